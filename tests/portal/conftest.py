"""A small municipality for the portal tests: the seed case plus non-public records that carry
the marker SECRET in every title, text and file name, so a leak is easy to detect."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from ratsinfo.bodies.models import Location, Membership, Organization, OrganizationKind, Person
from ratsinfo.files.models import File, FileRole
from ratsinfo.meetings.models import AgendaItem, Meeting, MeetingState
from ratsinfo.papers.models import (
    Consultation,
    ConsultationRole,
    Paper,
    PaperSection,
    PaperState,
    PaperType,
)
from ratsinfo.search.indexing import flush_all

SECRET = "XGEHEIMX"
BERLIN = ZoneInfo("Europe/Berlin")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def build_world(body: Any) -> SimpleNamespace:
    w = SimpleNamespace(body=body)
    w.rathaus = Location.objects.create(
        description="Rathaus Großenkneten",
        room="Sitzungssaal",
        street_address="Markt 1",
        postal_code="26197",
        locality="Großenkneten",
    )
    w.rat = Organization.objects.create(
        body=body, name="Rat der Gemeinde Großenkneten", short_name="Rat", kind=OrganizationKind.RAT
    )
    w.va = Organization.objects.create(
        body=body,
        name="Verwaltungsausschuss",
        short_name="VA",
        kind=OrganizationKind.VERWALTUNGSAUSSCHUSS,
    )
    w.jos = Organization.objects.create(
        body=body,
        name="Jugend-, Ordnungs- und Sozialausschuss",
        short_name="JOS",
        kind=OrganizationKind.FACHAUSSCHUSS,
    )
    w.gruppe = Organization.objects.create(
        body=body,
        name="Gruppe Grüne - KA - Linke",
        short_name="Grüne-KA-Linke",
        kind=OrganizationKind.GRUPPE,
    )
    w.cdu = Organization.objects.create(
        body=body, name="CDU-Fraktion", short_name="CDU", kind=OrganizationKind.FRAKTION
    )
    w.fb = Organization.objects.create(
        body=body, name="Fachbereich Bürgerservice", kind=OrganizationKind.FACHBEREICH
    )

    term = (dt.date(2021, 11, 1), dt.date(2026, 10, 31))
    w.anna = Person.objects.create(
        body=body, given_name="Anna", family_name="Albers", name="Anna Albers"
    )
    w.bernd = Person.objects.create(
        body=body, given_name="Bernd", family_name="Brinkmann", name="Bernd Brinkmann"
    )
    w.carla = Person.objects.create(
        body=body, given_name="Carla", family_name="Cordes", name="Carla Cordes"
    )
    Membership.objects.create(
        person=w.anna,
        organization=w.jos,
        role="Vorsitzende",
        on_behalf_of=w.cdu,
        start_date=term[0],
    )
    Membership.objects.create(
        person=w.bernd,
        organization=w.jos,
        role="Mitglied",
        on_behalf_of=w.gruppe,
        start_date=term[0],
    )
    Membership.objects.create(
        person=w.carla,
        organization=w.jos,
        role="Mitglied",
        on_behalf_of=w.gruppe,
        start_date=dt.date(2016, 11, 1),
        end_date=dt.date(2021, 10, 31),
    )
    Membership.objects.create(
        person=w.bernd, organization=w.gruppe, role="Gruppensprecher", start_date=term[0]
    )
    Membership.objects.create(
        person=w.anna, organization=w.cdu, role="Mitglied", start_date=term[0]
    )

    w.committee = Meeting.objects.create(
        name="Sitzung des Jugend-, Ordnungs- und Sozialausschusses",
        start=at(dt.date(2022, 10, 6), 17),
        end=at(dt.date(2022, 10, 6), 19),
        location=w.rathaus,
        meeting_state=MeetingState.DURCHGEFUEHRT,
    )
    w.committee.organizations.add(w.jos)
    w.va_meeting = Meeting.objects.create(
        name="Sitzung des Verwaltungsausschusses",
        start=at(dt.date(2022, 10, 13), 16),
        location=w.rathaus,
        meeting_state=MeetingState.DURCHGEFUEHRT,
        public=False,
    )
    w.va_meeting.organizations.add(w.va)
    w.cancelled = Meeting.objects.create(
        name="Sitzung des Rates",
        start=at(dt.date(2022, 10, 20), 18),
        cancelled=True,
        location=w.rathaus,
    )
    w.cancelled.organizations.add(w.rat)

    items = [
        ("Ö 1", "Eröffnung der Sitzung", True, "", None),
        (
            "Ö 5",
            "Antrag der Gruppe Grüne - KA - Linke auf Erstellung eines Integrationskonzeptes",
            True,
            "mehrheitlich beschlossen",
            (7, 2, 0),
        ),
        ("Ö 7", "Bericht der Verwaltung", True, "zur Kenntnis genommen", None),
        ("N 1", f"Grundstücksangelegenheit {SECRET}", False, f"beschlossen {SECRET}", (13, 4, 1)),
    ]
    w.items = {}
    for order, (number, name, public, result, votes) in enumerate(items, start=1):
        yes, no, abstain = votes or (None, None, None)
        w.items[number] = AgendaItem.objects.create(
            meeting=w.committee,
            number=number,
            order=order,
            name=name,
            public=public,
            result=result,
            votes_yes=yes,
            votes_no=no,
            votes_abstain=abstain,
            resolution_text=f"Beschlusstext {SECRET}" if not public else "",
        )
    w.va_item = AgendaItem.objects.create(
        meeting=w.va_meeting,
        number="N 3",
        order=1,
        name=f"Integrationskonzept VA {SECRET}",
        public=False,
        result="beschlossen",
        votes_yes=11,
        votes_no=0,
        votes_abstain=0,
    )

    w.paper = Paper.objects.create(
        body=body,
        name="Antrag der Gruppe Grüne - KA - Linke auf Erstellung eines Integrationskonzeptes",
        reference="BV/0240/2021-2026",
        date=dt.date(2022, 9, 23),
        paper_type=PaperType.BESCHLUSSVORLAGE,
        state=PaperState.FREIGEGEBEN,
    )
    w.paper.under_direction_of.add(w.fb)
    PaperSection.objects.create(
        paper=w.paper, order=1, heading="Beschlussempfehlung", text="Dem Antrag wird nicht gefolgt."
    )
    PaperSection.objects.create(
        paper=w.paper, order=2, heading="Sach- und Rechtslage", text="Die Gruppe beantragt …"
    )
    w.antrag = Paper.objects.create(
        body=body,
        name="Erstellung eines Integrationskonzeptes",
        reference="AN/0031/2021-2026",
        date=dt.date(2022, 6, 2),
        paper_type=PaperType.ANTRAG,
        state=PaperState.FREIGEGEBEN,
    )
    w.antrag.originator_organizations.add(w.gruppe)
    w.antrag.originator_persons.add(w.bernd)
    w.paper.related_papers.add(w.antrag)
    w.secret_paper = Paper.objects.create(
        body=body,
        name=f"Vertragsangelegenheit {SECRET}",
        reference="BV/0999/2021-2026",
        date=dt.date(2022, 9, 30),
        paper_type=PaperType.BESCHLUSSVORLAGE,
        state=PaperState.FREIGEGEBEN,
        public=False,
    )
    w.secret_paper.originator_persons.add(w.bernd)
    w.paper.related_papers.add(w.secret_paper)
    w.draft = Paper.objects.create(
        body=body,
        name=f"Entwurf {SECRET}",
        reference="BV/1000/2021-2026",
        date=dt.date(2022, 10, 1),
        paper_type=PaperType.BESCHLUSSVORLAGE,
        state=PaperState.ENTWURF,
    )
    w.amendment = Paper.objects.create(
        body=body,
        name="Änderungsantrag zum Integrationskonzept",
        reference="ÄA/0001/2021-2026",
        date=dt.date(2022, 10, 5),
        paper_type=PaperType.AENDERUNGSANTRAG,
        state=PaperState.FREIGEGEBEN,
    )
    w.amendment.superordinated_papers.add(w.paper)

    Consultation.objects.create(
        paper=w.paper,
        organization=w.jos,
        meeting=w.committee,
        agenda_item=w.items["Ö 5"],
        order=1,
        role=ConsultationRole.VORBERATUNG,
        planned_date=dt.date(2022, 10, 6),
    )
    Consultation.objects.create(
        paper=w.paper,
        organization=w.va,
        meeting=w.va_meeting,
        agenda_item=w.va_item,
        order=2,
        role=ConsultationRole.ENTSCHEIDUNG,
        planned_date=dt.date(2022, 10, 13),
    )
    # A public agenda item that treats a non-public paper: the item shows, the paper must not.
    Consultation.objects.create(
        paper=w.secret_paper,
        organization=w.jos,
        meeting=w.committee,
        agenda_item=w.items["Ö 7"],
        order=1,
        role=ConsultationRole.KENNTNISNAHME,
    )
    Consultation.objects.create(
        paper=w.secret_paper,
        organization=w.va,
        meeting=w.va_meeting,
        order=2,
        role=ConsultationRole.ENTSCHEIDUNG,
    )

    File.objects.create(
        body=body,
        name="Einladung JOS",
        file_name="einladung-jos-2022-10-06.pdf",
        mime_type="application/pdf",
        meeting=w.committee,
        role=FileRole.INVITATION,
        size=123456,
    )
    File.objects.create(
        body=body,
        name="Niederschrift JOS",
        file_name="niederschrift-jos-2022-10-06.pdf",
        mime_type="application/pdf",
        meeting=w.committee,
        role=FileRole.RESULTS_PROTOCOL,
    )
    File.objects.create(
        body=body,
        name=f"Anlage {SECRET}",
        file_name=f"{SECRET}-anlage.pdf",
        mime_type="application/pdf",
        meeting=w.committee,
        public=False,
    )
    File.objects.create(
        body=body,
        name=f"Lageplan {SECRET}",
        file_name=f"{SECRET}-lageplan.pdf",
        mime_type="application/pdf",
        agenda_item=w.items["N 1"],
        meeting=w.committee,
    )
    w.antrag_file = File.objects.create(
        body=body,
        name="Antrag der Gruppe",
        file_name="antrag-gruppe.pdf",
        mime_type="application/pdf",
        paper=w.paper,
        role=FileRole.AUXILIARY,
    )
    w.antrag_file.set_content(b"%PDF-1.4 Antrag", "antrag-gruppe.pdf")
    w.antrag_file.save()
    File.objects.create(
        body=body,
        name=f"Vermerk {SECRET}",
        file_name=f"{SECRET}-vermerk.pdf",
        mime_type="application/pdf",
        paper=w.paper,
        public=False,
    )
    w.secret_file = File.objects.create(
        body=body,
        name=f"Vertrag {SECRET}",
        file_name=f"{SECRET}-vertrag.pdf",
        mime_type="application/pdf",
        paper=w.secret_paper,
    )
    # Released and public, but its first meeting's Einladung is not sent yet: published with it, not before.
    w.unpublished = Paper.objects.create(
        body=body,
        name=f"Freigegeben, noch nicht veröffentlicht {SECRET}",
        reference="BV/1001/2021-2026",
        date=dt.date(2022, 10, 2),
        paper_type=PaperType.BESCHLUSSVORLAGE,
        state=PaperState.FREIGEGEBEN,
        published_at=None,
    )
    w.unpublished.originator_persons.add(w.bernd)
    w.paper.related_papers.add(w.unpublished)
    Consultation.objects.create(
        paper=w.unpublished, organization=w.jos, meeting=w.committee, order=1, role=ConsultationRole.VORBERATUNG,
        planned_date=dt.date(2022, 10, 6),
    )
    File.objects.create(
        body=body,
        name=f"Vorlage {SECRET}",
        file_name=f"{SECRET}-vorlage-1001.pdf",
        mime_type="application/pdf",
        paper=w.unpublished,
    )
    return w


@pytest.fixture
def world(body: Any, settings: Any, tmp_path: Any) -> SimpleNamespace:
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(body)
    flush_all()  # the search index as the worker leaves it after the commit
    return world
