"""What 200 wrong passwords in a row cost with the real password hasher (not MD5 as in tests).

Runs in a temporary data directory with a fresh SQLite file: 200 wrong passwords for one
account from one address through the real login view, with the lockout as configured
(RATSINFO_LOGIN_FAILURE_LIMIT), against a sample of guesses with the lockout lifted (the cost per
guess without it, extrapolated to 200). Prints CPU seconds of this process and wall-clock time.

    .venv/bin/python bench/login_lockout.py [--guesses 200] [--unprotected-sample 10]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.benchlib import machine


def _guesses(client: object, username: str, address: str, count: int) -> tuple[float, float, list[int]]:
    wall, cpu = time.perf_counter(), time.process_time()
    statuses = [
        client.post("/anmelden/", {"username": username, "password": "falsch"}, REMOTE_ADDR=address).status_code  # type: ignore[attr-defined]
        for _ in range(count)
    ]
    return time.perf_counter() - wall, time.process_time() - cpu, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--guesses", type=int, default=200)
    parser.add_argument("--unprotected-sample", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ratsinfo-bench-") as data_dir:
        os.environ["RATSINFO_DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratsinfo.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth.hashers import get_hasher
        from django.contrib.auth.models import User
        from django.core.management import call_command
        from django.test import Client, override_settings

        call_command("migrate", verbosity=0)
        User.objects.create_user("ratsherr", password="richtig-und-lang-2026")
        User.objects.create_user("ratsfrau", password="richtig-und-lang-2026")
        hasher = get_hasher()
        print(f"Maschine: {machine()}")
        print(f"Hasher: {hasher.algorithm} ({getattr(hasher, 'iterations', '-')} Iterationen), "
              f"Sperre nach {settings.AXES_FAILURE_LIMIT} Fehlversuchen")

        wall, cpu, statuses = _guesses(Client(), "ratsherr", "198.51.100.1", args.guesses)
        print(f"{args.guesses} Fehlversuche mit Sperre: {cpu:.2f} s CPU, {wall:.2f} s Wand; "
              f"{statuses.count(429)} davon mit 429 abgewiesen")

        with override_settings(AXES_FAILURE_LIMIT=10**9):
            wall_u, cpu_u, _ = _guesses(Client(), "ratsfrau", "198.51.100.2", args.unprotected_sample)
        per_guess = cpu_u / args.unprotected_sample
        print(f"ohne Sperre: {per_guess * 1000:.0f} ms CPU je Fehlversuch → {args.guesses} Fehlversuche ≈ "
              f"{per_guess * args.guesses:.1f} s CPU (hochgerechnet aus {args.unprotected_sample}, "
              f"{wall_u / args.unprotected_sample * 1000:.0f} ms Wand je Versuch)")


if __name__ == "__main__":
    main()
