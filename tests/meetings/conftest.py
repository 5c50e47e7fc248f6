"""A small Gemeinde for the meetings workflow: a Jugend-, Ordnungs- und Sozialausschuss with nine
voting members and two deputies, the Verwaltungsausschuss, and the Vorlage that goes from one to the other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ratsinfo.bodies.models import Body, Membership, Organization, OrganizationKind, Person
from ratsinfo.meetings.models import Meeting
from ratsinfo.meetings.planning import plan_meeting
from ratsinfo.papers.models import Consultation, Paper, PaperSection, PaperState, PaperType

RECOMMENDATION = "Dem Antrag der Gruppe wird nicht gefolgt."


@dataclass
class Council:
    body: Body
    jos: Organization
    va: Organization
    conference: Organization
    members: list[Person]
    deputies: list[Person]
    va_members: list[Person]
    paper: Paper
    fb2: Organization

    def meeting(self, org: Organization | None = None, day: dt.date = dt.date(2022, 10, 6), hour: int = 18) -> Meeting:
        org = org or self.jos
        return plan_meeting(org, timezone.make_aware(dt.datetime.combine(day, dt.time(hour))))


def _people(body: Body, org: Organization, prefix: str, n: int, **fields: Any) -> list[Person]:
    people = []
    for i in range(1, n + 1):
        person = Person.objects.create(body=body, name=f"{prefix} {i}", family_name=f"{prefix}{i:02d}")
        Membership.objects.create(person=person, organization=org, start_date=dt.date(2021, 11, 1), **fields)
        people.append(person)
    return people


@pytest.fixture
def council(body: Body) -> Council:
    return build_council(body)


def build_council(body: Body) -> Council:
    jos = Organization.objects.create(body=body, name="Jugend-, Ordnungs- und Sozialausschuss", short_name="JOS",
                                      kind=OrganizationKind.FACHAUSSCHUSS)
    va = Organization.objects.create(body=body, name="Verwaltungsausschuss", short_name="VA",
                                     kind=OrganizationKind.VERWALTUNGSAUSSCHUSS)
    conference = Organization.objects.create(body=body, name="Sozialträgerkonferenz", short_name="STK",
                                             kind=OrganizationKind.SOZIALTRAEGERKONFERENZ)
    fb2 = Organization.objects.create(body=body, name="Fachbereich 2", short_name="FB 2", kind=OrganizationKind.FACHBEREICH)
    members = _people(body, jos, "Mitglied", 9)
    deputies = _people(body, jos, "Vertreter", 2, deputy=True)
    va_members = _people(body, va, "VA-Mitglied", 7)
    paper = Paper.objects.create(
        body=body, name="Antrag auf Erstellung eines Integrationskonzeptes", reference="BV/0240/2021-2026",
        paper_type=PaperType.BESCHLUSSVORLAGE, state=PaperState.FREIGEGEBEN, date=dt.date(2022, 9, 23),
    )
    paper.under_direction_of.add(fb2)
    PaperSection.objects.create(paper=paper, order=1, heading="Beschlussvorschlag", text=RECOMMENDATION)
    Consultation.objects.create(paper=paper, organization=jos, order=1, role="Vorberatung", planned_date=dt.date(2022, 10, 6))
    Consultation.objects.create(paper=paper, organization=va, order=2, role="Entscheidung", planned_date=dt.date(2022, 10, 13))
    return Council(body, jos, va, conference, members, deputies, va_members, paper, fb2)
