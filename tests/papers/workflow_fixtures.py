"""A small Gemeinde for the Vorlagen workflow: Fachbereich 2 drafts, the Kämmerei (FB 1) co-signs,
the Bürgermeister releases; Jugend-, Ordnungs- und Sozialausschuss, Verwaltungsausschuss and Rat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from ratsinfo.bodies.models import Body, LegislativeTerm, Organization, OrganizationKind
from ratsinfo.bodies.roles import BUERGERMEISTER, SACHBEARBEITUNG
from ratsinfo.meetings.models import Meeting
from ratsinfo.papers import workflow
from ratsinfo.papers.models import ConsultationRole, Paper, PaperType
from tests.conftest import account, join

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class Council:
    body: Body
    fb2: Organization
    kaemmerei: Organization
    jos: Organization
    va: Organization
    rat: Organization
    jos_meeting: Meeting
    va_meeting: Meeting
    rat_meeting: Meeting
    author: User
    cosigner: User
    mayor: User

    def steps(self) -> list[workflow.Step]:
        return [
            workflow.Step(self.jos, ConsultationRole.VORBERATUNG, self.jos_meeting),
            workflow.Step(self.va, ConsultationRole.ENTSCHEIDUNG, self.va_meeting),
        ]

    def draft(self, paper_type: str = PaperType.BESCHLUSSVORLAGE, day: date = date(2022, 9, 23)) -> Paper:
        paper = workflow.create_draft(
            self.author, self.body, paper_type, "Erstellung eines Integrationskonzeptes", department=self.fb2, day=day
        )
        sections = [(h, "Die Verwaltung wird beauftragt." if i == 0 else "Text") for i, h in
                    enumerate(workflow.TEMPLATES[paper_type])]
        return workflow.update_draft(paper, self.author, expected_version=paper.version, sections=sections)

    def ready(self, paper_type: str = PaperType.BESCHLUSSVORLAGE) -> Paper:
        """A complete, co-signed draft waiting for release."""
        paper = self.draft(paper_type)
        paper = workflow.plan_consultations(paper, self.author, self.steps())
        paper = workflow.send_for_cosigning(paper, self.author, departments=[self.kaemmerei])
        workflow.sign(paper, self.cosigner)
        return Paper.objects.get(pk=paper.pk)


def _meeting(org: Organization, day: date) -> Meeting:
    meeting = Meeting.objects.create(name=f"Sitzung {org.short_name}", start=datetime(day.year, day.month, day.day, 18, tzinfo=BERLIN))
    meeting.organizations.add(org)
    return meeting


def build_council(body: Body) -> Council:
    LegislativeTerm.objects.create(body=body, name="Wahlperiode 2021-2026", start_date=date(2021, 11, 1), end_date=date(2026, 10, 31))
    LegislativeTerm.objects.create(body=body, name="Wahlperiode 2026-2031", start_date=date(2026, 11, 1), end_date=date(2031, 10, 31))
    org = lambda name, short, kind: Organization.objects.create(body=body, name=name, short_name=short, kind=kind)  # noqa: E731
    fb2 = org("Fachbereich 2 – Bürgerdienste", "FB 2", OrganizationKind.FACHBEREICH)
    kaemmerei = org("Fachbereich 1 – Kämmerei", "FB 1", OrganizationKind.FACHBEREICH)
    jos = org("Jugend-, Ordnungs- und Sozialausschuss", "JOS", OrganizationKind.FACHAUSSCHUSS)
    va = org("Verwaltungsausschuss", "VA", OrganizationKind.VERWALTUNGSAUSSCHUSS)
    rat = org("Rat der Gemeinde Großenkneten", "Rat", OrganizationKind.RAT)
    author = account("sachbearbeitung", SACHBEARBEITUNG, staff=True, body=body)
    join(author, fb2)
    cosigner = account("kaemmerei", SACHBEARBEITUNG, staff=True, body=body)
    join(cosigner, kaemmerei)
    mayor = account("buergermeister", BUERGERMEISTER, staff=True, body=body)
    return Council(
        body, fb2, kaemmerei, jos, va, rat, _meeting(jos, date(2022, 10, 10)), _meeting(va, date(2022, 10, 24)),
        _meeting(rat, date(2022, 11, 7)), author, cosigner, mayor,
    )
