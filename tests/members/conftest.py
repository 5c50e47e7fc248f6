"""A small council for the members' tests: the JOS and the Finanzausschuss, each with a meeting that
has a public and a non-public Vorlage with a real PDF; the Ratsfrau sits in the JOS only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from ratsinfo.bodies.models import Body, Organization, OrganizationKind
from ratsinfo.bodies.roles import RATSMITGLIED
from ratsinfo.files.models import File, FileRole
from ratsinfo.meetings.documents import render_invitation
from ratsinfo.meetings.models import AgendaItem, Meeting, MeetingState
from ratsinfo.papers.documents import render_paper_file
from ratsinfo.papers.models import Consultation, Paper, PaperState
from tests.conftest import account, join


@dataclass
class Council:
    body: Body
    jos: Organization
    fina: Organization
    group: Organization
    jos_meeting: Meeting
    jos_later: Meeting
    fina_meeting: Meeting
    public_paper: Paper
    secret_paper: Paper
    fina_secret_paper: Paper


def add_item(meeting: Meeting, order: int, paper: Paper, org: Organization) -> AgendaItem:
    item = AgendaItem.objects.create(
        meeting=meeting, order=order, number=f"{'Ö' if paper.public else 'N'} {order}", name=paper.name, public=paper.public
    )
    Consultation.objects.create(paper=paper, organization=org, meeting=meeting, agenda_item=item)
    return item


def paper_with_file(body: Body, reference: str, name: str, *, public: bool, text: str) -> Paper:
    paper = Paper.objects.create(
        body=body, reference=reference, name=name, public=public, state=PaperState.FREIGEGEBEN, date=date(2026, 11, 20)
    )
    file = File(body=body, paper=paper, role=FileRole.MAIN, mime_type="application/pdf", name=f"Vorlage {reference}",
                file_name=f"{reference.replace('/', '-')}.pdf", public=public, text=text)
    file.set_content(render_paper_file(file))
    file.save()
    return paper


def meeting_of(body: Body, org: Organization, name: str, days: int) -> Meeting:
    meeting = Meeting.objects.create(
        name=name, start=(timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0), meeting_state=MeetingState.EINGELADEN
    )
    meeting.organizations.add(org)
    return meeting


def invite(meeting: Meeting) -> File:
    file = File(body=meeting.organizations.get().body, meeting=meeting, role=FileRole.INVITATION, name="Einladung",
                mime_type="application/pdf", file_name="Einladung.pdf", public=True)
    file.set_content(render_invitation(meeting))
    file.save()
    return file


@pytest.fixture(autouse=True)
def _no_pending_builds() -> Iterator[None]:
    """A build queued (never run) in one test must not hold back the same Mappe in the next."""
    yield
    cache.clear()


@pytest.fixture
def council(body: Body) -> Council:
    jos = Organization.objects.create(body=body, name="Jugend-, Ordnungs- und Sozialausschuss", short_name="JOS",
                                      kind=OrganizationKind.FACHAUSSCHUSS)
    fina = Organization.objects.create(body=body, name="Finanzausschuss", short_name="FinA", kind=OrganizationKind.FACHAUSSCHUSS)
    group = Organization.objects.create(body=body, name="Gruppe Grüne – KA – Linke", short_name="GKL", kind=OrganizationKind.GRUPPE)
    public_paper = paper_with_file(body, "BV/0240/2021-2026", "Neubau Kita Ahlhorn", public=True, text="Die Kita wird gebaut.")
    secret_paper = paper_with_file(body, "BV/0300/2021-2026", "Grundstückskauf Bahnhofstraße", public=False,
                                   text="Kaufpreis 412.000 Euro für das Grundstück Bahnhofstraße.")
    fina_secret = paper_with_file(body, "BV/0400/2021-2026", "Stundung Gewerbesteuer Firma Müller", public=False,
                                  text="Stundung der Gewerbesteuer der Firma Müller bis Juni.")
    jos_meeting = meeting_of(body, jos, "12. Sitzung des JOS", 5)
    add_item(jos_meeting, 1, public_paper, jos)
    add_item(jos_meeting, 2, secret_paper, jos)
    invite(jos_meeting)
    jos_later = meeting_of(body, jos, "13. Sitzung des JOS", 40)
    fina_meeting = meeting_of(body, fina, "8. Sitzung des Finanzausschusses", 6)
    add_item(fina_meeting, 1, fina_secret, fina)
    invite(fina_meeting)
    return Council(body, jos, fina, group, jos_meeting, jos_later, fina_meeting, public_paper, secret_paper, fina_secret)


@pytest.fixture
def member(ratsfrau: User, council: Council) -> User:
    """The Ratsfrau, member of the JOS and of the Gruppe (not of the Finanzausschuss)."""
    ratsfrau.email = "maren.vosteen@example.org"
    ratsfrau.save()
    join(ratsfrau, council.jos)
    join(ratsfrau, council.group)
    return ratsfrau


def other_account(name: str, council: Council) -> User:
    user = account(name, RATSMITGLIED, body=council.body)
    user.email = f"{name}@example.org"
    user.save()
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
