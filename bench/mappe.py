#!/usr/bin/env python3
"""How long the Sitzungsmappe takes for the largest demo meeting (cold build, cached stamp, ZIP).

    .venv/bin/python bench/mappe.py [--repeat 3]

Builds the demo in a temporary data directory (fresh SQLite), picks the meeting with the most
documents a member sees (the Ratsfrau's audience) and the largest overall (the Sitzungsdienst's),
and prints per run: cold build (merge + cover + outline), stamped download and ZIP, with the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from benchlib import machine

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        os.environ["RATSINFO_DATA_DIR"] = data
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratsinfo.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.contrib.auth.models import User
        from django.core.management import call_command

        from ratsinfo.bodies.access import viewer_for
        from ratsinfo.corpus.demo import build_demo
        from ratsinfo.meetings.models import Meeting
        from ratsinfo.members.mappe import build_bundle, plan_for, stamped_pdf, zip_bytes
        from ratsinfo.members.models import Bundle

        call_command("migrate", verbosity=0)
        build_demo()
        print(machine())
        for username in ("ratsfrau", "sitzungsdienst"):
            viewer = viewer_for(User.objects.get(username=username))
            plans = [(plan_for(viewer, m), m) for m in Meeting.objects.filter(cancelled=False)]
            entries, meeting = max(plans, key=lambda p: len(p[0]))
            print(f"{username}: {meeting.name} ({meeting.start:%d.%m.%Y}), {len(entries)} Dokumente, "
                  f"{sum(not e.public for e in entries)} nichtöffentlich")
            for run in range(1, args.repeat + 1):
                Bundle.objects.filter(meeting=meeting).delete()
                began = time.perf_counter()
                bundle = build_bundle(meeting, entries)
                built = time.perf_counter() - began
                began = time.perf_counter()
                pdf = stamped_pdf(bundle, "Maren Vosteen")
                stamped = time.perf_counter() - began
                began = time.perf_counter()
                archive = zip_bytes(bundle, "Maren Vosteen")
                zipped = time.perf_counter() - began
                print(f"  Lauf {run}: Erstellen {built:.2f} s ({bundle.pages} Seiten, {len(pdf) // 1024} KiB), "
                      f"Stempeln beim Herunterladen {stamped:.2f} s, ZIP {zipped:.2f} s ({len(archive) // 1024} KiB)",
                      flush=True)


if __name__ == "__main__":
    main()
