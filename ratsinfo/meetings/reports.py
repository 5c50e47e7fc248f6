"""Beschlusskontrolle (implementation of decisions) and Sitzungsgeld (§ 55 NKomVG): services and exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ratsinfo.bodies.models import Body, Organization, Person
from ratsinfo.lib.pdf import compile_pdf
from ratsinfo.meetings.models import (
    AllowanceRate,
    Attendance,
    AttendanceStatus,
    Implementation,
    ImplementationNote,
    ImplementationState,
)
from ratsinfo.meetings.rules import MeetingError

REPORT = Path(__file__).parent / "typst" / "report.typ"


def table_pdf(title: str, author: str, columns: list[str], rows: list[list[str]], intro: str = "") -> bytes:
    data = {"title": title, "author": author, "columns": columns, "rows": rows, "intro": intro}
    return compile_pdf(REPORT, data, timestamp=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))


def table_csv(columns: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Beschlusskontrolle


@transaction.atomic
def update_implementation(
    implementation: Implementation, *, department: Organization | None = None, due_date: dt.date | None = None,
    state: str | None = None, note: str = "", user: Any = None, today: dt.date | None = None,
) -> Implementation:
    """Staff maintain the record: department, due date, state, a progress note; „erledigt“ gets its date."""
    implementation = Implementation.objects.select_for_update().get(pk=implementation.pk)
    today = today or timezone.localdate()
    if state is not None and state not in ImplementationState.values:
        raise MeetingError("Unbekannter Bearbeitungsstand.")
    if department is not None:
        implementation.department = department
    if due_date is not None:
        implementation.due_date = due_date
    if state is not None:
        implementation.state = state
        implementation.done_on = today if state == ImplementationState.DONE else None
    implementation.save()
    if note.strip():
        author = user if getattr(user, "is_authenticated", False) else None
        ImplementationNote.objects.create(implementation=implementation, day=today, text=note.strip(), author=author)
    return implementation


def overdue(today: dt.date | None = None) -> QuerySet[Implementation]:
    today = today or timezone.localdate()
    return (
        Implementation.objects.exclude(state=ImplementationState.DONE).filter(due_date__lt=today)
        .select_related("item__meeting", "department").order_by("due_date")
    )


def implementation_rows(implementations: QuerySet[Implementation]) -> list[list[str]]:
    rows = []
    for impl in implementations.select_related("item__meeting", "department").prefetch_related("notes"):
        meeting = impl.item.meeting
        day = f"{timezone.localtime(meeting.start):%d.%m.%Y}" if meeting.start else ""
        last = list(impl.notes.all())[-1:]
        rows.append([
            f"{day} {impl.item.number}", impl.item.name, impl.department.name if impl.department else "",
            f"{impl.due_date:%d.%m.%Y}" if impl.due_date else "", impl.get_state_display(), last[0].text if last else "",
        ])
    return rows


IMPLEMENTATION_COLUMNS = ["Sitzung/TOP", "Beschluss", "Fachbereich", "Frist", "Stand", "letzter Sachstand"]


def implementation_report(body: Body, implementations: QuerySet[Implementation]) -> bytes:
    return table_pdf("Bericht zur Beschlusskontrolle", body.name, IMPLEMENTATION_COLUMNS, implementation_rows(implementations))


# ---------------------------------------------------------------------------------------------
# Sitzungsgeld


@dataclass(frozen=True, slots=True)
class AllowanceLine:
    person: Person
    meetings: int
    chaired: int
    amount: Decimal


def _rate(rates: list[AllowanceRate], organization_ids: set[int], day: dt.date) -> AllowanceRate | None:
    candidates = [r for r in rates if r.valid_from <= day and (r.organization_id is None or r.organization_id in organization_ids)]
    # A Gremium's own rate beats the general one; the newest valid rate wins.
    candidates.sort(key=lambda r: (r.organization_id is not None, r.valid_from), reverse=True)
    return candidates[0] if candidates else None


def allowances(body: Body, start: dt.date, end: dt.date) -> list[AllowanceLine]:
    """Sitzungsgeld per member for attended meetings in the period; several meetings on one day count once."""
    if end < start:
        raise MeetingError("Das Ende des Zeitraums liegt vor seinem Beginn.")
    rates = list(AllowanceRate.objects.filter(body=body))
    attendances = (
        Attendance.objects.filter(
            person__body=body, status__in=[AttendanceStatus.PRESENT, AttendanceStatus.VIDEO],
            meeting__deleted=False, meeting__cancelled=False,
        )
        .select_related("person", "meeting").prefetch_related("meeting__organizations").order_by("person__family_name", "person__name")
    )
    per_person: dict[int, dict[dt.date, tuple[Decimal, bool]]] = {}
    people: dict[int, Person] = {}
    for a in attendances:
        if a.meeting.start is None:
            continue
        day = timezone.localtime(a.meeting.start).date()
        if not start <= day <= end:
            continue
        rate = _rate(rates, {o.pk for o in a.meeting.organizations.all()}, day)
        amount = Decimal(0) if rate is None else (rate.chair_amount if a.chair else rate.member_amount)
        days = per_person.setdefault(a.person_id, {})
        people[a.person_id] = a.person
        if amount >= days.get(day, (Decimal(-1), False))[0]:
            days[day] = (amount, a.chair)
    return [
        AllowanceLine(people[pid], len(days), sum(1 for _, chair in days.values() if chair), sum((amt for amt, _ in days.values()), Decimal(0)))
        for pid, days in per_person.items()
    ]


ALLOWANCE_COLUMNS = ["Name", "Sitzungstage", "davon Vorsitz", "Sitzungsgeld (€)"]


def allowance_rows(lines: list[AllowanceLine]) -> list[list[str]]:
    return [[line.person.name, str(line.meetings), str(line.chaired), f"{line.amount:.2f}".replace(".", ",")] for line in lines]
