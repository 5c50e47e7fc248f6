#!/usr/bin/env python3
"""Einladung and Niederschrift generation (issue 10):

    .venv/bin/python bench/meetings.py [--repeat 5]

Builds, in a temporary SQLite database, a Fachausschuss meeting with 40 agenda items (Einladung,
goal < 1 s) and a 6-hour Rat meeting with 60 items, 31 members' attendance with times and deputies,
votes, § 41 exclusions and resolution texts (Niederschrift, members' version with the N part), then
times `render_invitation` and `render_minutes` (the first run includes loading fonts and template).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time

from benchlib import machine

RESOLUTION = ("Der Rat beschließt die Vorlage in der Fassung der Beschlussempfehlung des Verwaltungsausschusses. "
              "Die Verwaltung wird beauftragt, die erforderlichen Schritte einzuleiten und bis zum Jahresende zu berichten. ")


def build() -> tuple[object, object]:
    from django.utils import timezone

    from ratsinfo.bodies.models import Body, Membership, Organization, OrganizationKind, Person
    from ratsinfo.meetings.models import AgendaItemResult, AttendanceStatus
    from ratsinfo.meetings.planning import add_item, plan_meeting
    from ratsinfo.meetings.recording import record_attendance, record_result, state_quorum

    body = Body.objects.create(name="Gemeinde Bench")
    committee = Organization.objects.create(body=body, name="Bauausschuss", short_name="BA", kind=OrganizationKind.FACHAUSSCHUSS)
    rat = Organization.objects.create(body=body, name="Rat der Gemeinde", short_name="Rat", kind=OrganizationKind.RAT)
    people = []
    for i in range(31):
        person = Person.objects.create(body=body, name=f"Ratsmitglied {i + 1:02d}", family_name=f"M{i:02d}")
        Membership.objects.create(person=person, organization=rat, start_date=dt.date(2021, 11, 1),
                                  role="Bürgermeister" if i == 0 else "Mitglied")
        people.append(person)
    start = timezone.make_aware(dt.datetime(2024, 3, 14, 18))
    invitation = plan_meeting(committee, start)
    for n in range(40 - invitation.agenda_items.count()):
        add_item(invitation, f"Bebauungsplan Nr. {100 + n} „Am Wasserturm {n}“ – Aufstellungsbeschluss", public=n % 8 != 7)
    minutes = plan_meeting(rat, start + dt.timedelta(days=7))
    for n in range(60 - minutes.agenda_items.count()):
        add_item(minutes, f"Haushaltsangelegenheit {n + 1}: überplanmäßige Aufwendungen", public=n % 6 != 5)
    for i, person in enumerate(people):
        status = AttendanceStatus.EXCUSED if i % 10 == 9 else AttendanceStatus.PRESENT
        left = dt.time(21, 30) if i % 7 == 3 else None
        record_attendance(minutes, person, status, arrived=dt.time(18), left=left, chair=i == 1)
    state_quorum(minutes, at=dt.time(18, 5))
    for n, item in enumerate(minutes.agenda_items.order_by("order")):
        excluded = [people[n % 31]] if n % 9 == 4 else []
        record_result(item, AgendaItemResult.MEHRHEITLICH, yes=18, no=4, abstain=1, excluded=excluded,
                      resolution_text=RESOLUTION * 3, at=dt.time(18 + n // 12, (n * 5) % 60))
    minutes.end = minutes.start + dt.timedelta(hours=6)
    minutes.save()
    return invitation, minutes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ.update(RATSINFO_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="ratsinfo.settings", RATSINFO_LOG_LEVEL="WARNING")
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        from ratsinfo.meetings.documents import render_invitation, render_minutes

        call_command("migrate", verbosity=0)
        invitation, minutes = build()
        print(machine())
        for label, render, goal in (
            ("Einladung, 40 TOP", lambda: render_invitation(invitation, "members"), "Ziel < 1 s"),  # type: ignore[arg-type]
            ("Niederschrift Rat, 6 h, 60 TOP, 31 Mitglieder", lambda: render_minutes(minutes, "members"), ""),  # type: ignore[arg-type]
        ):
            times, size = [], 0
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                size = len(render())
                times.append(time.perf_counter() - t0)
            print(f"{label}: erster Lauf {times[0]:.2f} s, Median {statistics.median(times):.2f} s, "
                  f"max {max(times):.2f} s, {size / 1024:.0f} KiB {goal}".rstrip(), flush=True)


if __name__ == "__main__":
    main()
