"""Shared fixtures of the OParl tests (server and importer). Add fixtures; do not change others'."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ratsinfo.bodies.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.files.models import File, FileRole
from ratsinfo.meetings.models import AgendaItem, Meeting, MeetingState
from ratsinfo.papers.models import Consultation, ConsultationRole, Paper, PaperState, PaperType

# Stands in every non-public record; it must never appear on a public surface.
OPARL_SECRET = "GEHEIM-Grundstueckspreis-4711"


@dataclass
class OParlTown:
    body: Body
    term: LegislativeTerm
    rathaus: Location
    rat: Organization
    ausschuss: Organization
    va: Organization
    ratsfrau: Person
    membership: Membership
    meeting: Meeting
    va_meeting: Meeting
    public_item: AgendaItem
    secret_item: AgendaItem
    va_item: AgendaItem
    paper: Paper
    secret_paper: Paper
    draft: Paper
    consultation: Consultation
    va_consultation: Consultation
    main_file: File
    secret_file: File
    secret_item_file: File
    protocol: File


@pytest.fixture
def oparl_town(db: Any, body: Body, settings: Any, tmp_path: Any) -> OParlTown:
    """Großenkneten with public and non-public records side by side (secrets carry OPARL_SECRET)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    rathaus = Location.objects.create(description="Rathaus Ahlhorn", room="Sitzungssaal", street_address="Markt 1",
                                      postal_code="26197", locality="Großenkneten",
                                      geojson={"type": "Feature", "geometry": {"type": "Point", "coordinates": [8.23, 52.9]},
                                               "properties": {}})
    body.location = rathaus
    body.website = "https://www.grossenkneten.de/"
    body.license = "https://creativecommons.org/licenses/by/4.0/"
    body.save()
    term = LegislativeTerm.objects.create(body=body, name="2021-2026", start_date=dt.date(2021, 11, 1),
                                          end_date=dt.date(2026, 10, 31))
    rat = Organization.objects.create(body=body, name="Rat der Gemeinde Großenkneten", kind=OrganizationKind.RAT)
    ausschuss = Organization.objects.create(body=body, name="Jugend-, Ordnungs- und Sozialausschuss",
                                            short_name="JOS", kind=OrganizationKind.FACHAUSSCHUSS, location=rathaus)
    va = Organization.objects.create(body=body, name="Verwaltungsausschuss", short_name="VA",
                                     kind=OrganizationKind.VERWALTUNGSAUSSCHUSS)
    ratsfrau = Person.objects.create(body=body, given_name="Anna", family_name="Meyer", location=rathaus,
                                     email=["anna.meyer@example.org"])
    membership = Membership.objects.create(person=ratsfrau, organization=ausschuss, role="Vorsitzende",
                                           start_date=dt.date(2021, 11, 1))
    start = timezone.make_aware(dt.datetime(2022, 10, 10, 18, 0))
    meeting = Meeting.objects.create(name="5. Sitzung des JOS", start=start, end=start + dt.timedelta(hours=2),
                                     location=rathaus, meeting_state=MeetingState.DURCHGEFUEHRT)
    meeting.organizations.add(ausschuss)
    meeting.participants.add(ratsfrau)
    va_meeting = Meeting.objects.create(name="Sitzung des Verwaltungsausschusses", public=False,
                                        start=start + dt.timedelta(days=7))
    va_meeting.organizations.add(va)
    paper = Paper.objects.create(body=body, name="Antrag der Gruppe auf Bolzplatz", reference="BV/0240/2021-2026",
                                 date=dt.date(2022, 9, 23), paper_type=PaperType.BESCHLUSSVORLAGE,
                                 state=PaperState.FREIGEGEBEN)
    paper.under_direction_of.add(ausschuss)
    paper.originator_persons.add(ratsfrau)
    secret_paper = Paper.objects.create(body=body, name=f"Grundstücksangelegenheit {OPARL_SECRET}",
                                        reference="BV/0241/2021-2026", public=False, state=PaperState.FREIGEGEBEN)
    draft = Paper.objects.create(body=body, name=f"Entwurf {OPARL_SECRET}", reference="BV/0242/2021-2026",
                                 state=PaperState.ENTWURF)
    paper.related_papers.add(secret_paper)
    public_item = AgendaItem.objects.create(meeting=meeting, number="Ö 5", order=5, name=paper.name,
                                            result="mehrheitlich beschlossen", votes_yes=7, votes_no=2)
    secret_item = AgendaItem.objects.create(meeting=meeting, number="N 1", order=20, public=False,
                                            name=f"Personalangelegenheit {OPARL_SECRET}")
    va_item = AgendaItem.objects.create(meeting=va_meeting, number="N 1", order=1, public=False,
                                        name=f"Beschluss VA {OPARL_SECRET}")
    consultation = Consultation.objects.create(paper=paper, organization=ausschuss, meeting=meeting,
                                               agenda_item=public_item, order=1, role=ConsultationRole.VORBERATUNG)
    va_consultation = Consultation.objects.create(paper=paper, organization=va, meeting=va_meeting,
                                                  agenda_item=va_item, order=2, role=ConsultationRole.ENTSCHEIDUNG)
    main_file = File(body=body, name="Beschlussvorlage", file_name="BV-0240.pdf", mime_type="application/pdf",
                     role=FileRole.MAIN, paper=paper, text="Sachverhalt Bolzplatz")
    main_file.set_content(b"%PDF-1.4 Bolzplatz", "BV-0240.pdf")
    main_file.save()
    secret_file = File.objects.create(body=body, name=f"Kaufvertrag {OPARL_SECRET}", file_name="kaufvertrag.pdf",
                                      paper=paper, public=False)
    secret_item_file = File.objects.create(body=body, name=f"Anlage {OPARL_SECRET}", file_name="anlage.pdf",
                                           agenda_item=secret_item, meeting=meeting)
    protocol = File(body=body, name="Niederschrift", file_name="niederschrift.pdf", mime_type="application/pdf",
                    role=FileRole.RESULTS_PROTOCOL, meeting=meeting)
    protocol.set_content(b"%PDF-1.4 Niederschrift", "niederschrift.pdf")
    protocol.save()
    return OParlTown(body, term, rathaus, rat, ausschuss, va, ratsfrau, membership, meeting, va_meeting,
                     public_item, secret_item, va_item, paper, secret_paper, draft, consultation, va_consultation,
                     main_file, secret_file, secret_item_file, protocol)
