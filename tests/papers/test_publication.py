"""Issue 9 point 4: a public Vorlage becomes visible to the public when it is released AND published with
its first meeting's agenda (the Einladung or a Nachtrag that lists it); a Gemeinde may configure "at
release". One visibility place: Paper.public_q (papers, their Beratungsfolge and files follow it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ratsinfo.files.models import File
from ratsinfo.meetings.planning import add_item, compose_agenda, plan_meeting, waiting_papers
from ratsinfo.meetings.publication import send_invitation
from ratsinfo.papers import workflow
from ratsinfo.papers.models import Consultation, Paper, PaperSettings, PublicationMoment
from tests.papers.workflow_fixtures import BERLIN, Council, build_council

pytestmark = pytest.mark.django_db
BEFORE_THE_LADUNGSFRIST = dt.datetime(2022, 9, 30, 10, tzinfo=BERLIN)


@pytest.fixture
def council(body: Any) -> Council:
    return build_council(body)


def _invite(meeting: Any) -> None:
    send_invitation(meeting, now=BEFORE_THE_LADUNGSFRIST)


def _public(paper: Paper) -> bool:
    return Paper.objects.visible_to(None).filter(pk=paper.pk).exists()


def _meeting_for(council: Council, paper: Paper) -> Any:
    """The JOS meeting its Beratungsfolge plans it for (10.10.2022)."""
    return council.jos_meeting


def test_a_released_vorlage_waits_for_the_einladung_of_its_first_meeting(council: Council) -> None:
    paper = workflow.release(council.ready(), council.mayor)
    assert paper.published_at is None and not _public(paper)
    assert not Consultation.objects.visible_to(None).filter(paper=paper).exists()
    meeting = _meeting_for(council, paper)
    compose_agenda(meeting, [c for c in waiting_papers(meeting) if c.paper_id == paper.pk])
    assert not _public(paper)  # on the agenda, but the agenda is not out yet
    _invite(meeting)
    paper.refresh_from_db()
    assert paper.published_at is not None and _public(paper)
    assert Consultation.objects.visible_to(None).filter(paper=paper).exists()
    assert paper.ever_public
    history = paper.history.order_by("-history_date").first()
    assert history is not None and history.history_change_reason == "mit der Tagesordnung veröffentlicht"


def test_the_gemeinde_may_publish_at_release(council: Council) -> None:
    PaperSettings.objects.create(body=council.body, publish=PublicationMoment.AT_RELEASE)
    paper = workflow.release(council.ready(), council.mayor)
    assert paper.published_at is not None and _public(paper)


def test_a_non_public_vorlage_stays_non_public_after_the_einladung(council: Council) -> None:
    draft = council.ready()
    Paper.objects.filter(pk=draft.pk).update(public=False)
    paper = workflow.release(Paper.objects.get(pk=draft.pk), council.mayor)
    meeting = _meeting_for(council, paper)
    compose_agenda(meeting, [c for c in waiting_papers(meeting) if c.paper_id == paper.pk])
    _invite(meeting)
    assert not _public(paper)


def test_a_vorlage_added_after_the_einladung_goes_online_with_the_nachtrag(council: Council) -> None:
    paper = workflow.release(council.ready(), council.mayor)
    meeting = _meeting_for(council, paper)
    _invite(meeting)
    compose_agenda(meeting, [c for c in waiting_papers(meeting) if c.paper_id == paper.pk])
    assert not _public(paper)
    _invite(meeting)  # the 1. Nachtrag
    assert _public(paper)


def test_a_body_without_einladung_rules_publishes_its_agenda_and_vorlage_at_once(council: Council) -> None:
    from ratsinfo.bodies.models import Organization, OrganizationKind

    conference = Organization.objects.create(body=council.body, name="Sozialträgerkonferenz",
                                             kind=OrganizationKind.SOZIALTRAEGERKONFERENZ)
    paper = workflow.release(council.ready(), council.mayor)
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=3), dt.time(17)))
    meeting = plan_meeting(conference, start)
    step = Consultation.objects.create(paper=paper, organization=conference, order=9, role="Kenntnisnahme")
    add_item(meeting, "", consultation=step)
    assert _public(paper)


def test_a_withdrawn_vorlage_is_not_published_by_a_later_einladung(council: Council) -> None:
    paper = workflow.release(council.ready(), council.mayor)
    meeting = _meeting_for(council, paper)
    compose_agenda(meeting, [c for c in waiting_papers(meeting) if c.paper_id == paper.pk])
    workflow.withdraw(paper, council.mayor, comment="Neue Fassung folgt")
    _invite(meeting)
    paper.refresh_from_db()
    assert paper.published_at is None and not _public(paper)


def test_a_released_unpublished_vorlage_appears_nowhere_public(council: Council, citizen_client: Client, settings: Any, tmp_path: Any) -> None:
    """Portal page, lists, search, OParl, feeds and iCal: not before the Einladung."""
    from ratsinfo.search import indexing

    settings.MEDIA_ROOT = tmp_path
    paper = workflow.release(council.ready(), council.mayor)
    File.objects.create(body=council.body, paper=paper, name="Lageplan Bolzplatz", file_name="lageplan-bolzplatz.pdf",
                        mime_type="application/pdf")
    indexing.flush_all()
    marks = [paper.reference, paper.reference.replace("/", "-"), paper.name, "lageplan-bolzplatz"]
    urls = ["/", "/vorlagen/", "/sitzungen/", "/gremien/", "/feeds/vorlagen.rss", "/feeds/vorlagen.atom",
            "/ical/sitzungen.ics", f"/suche/?q={paper.name.split()[0]}", "/oparl/v1.1/", "/oparl/v1.1/body"]
    body_url = f"/oparl/v1.1/body/{council.body.pk}"
    urls += [f"{body_url}/paper", f"{body_url}/file", f"{body_url}/meeting",
             f"/oparl/v1.1/organization/{council.jos.pk}/consultation"]
    for url in urls:
        response = citizen_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for mark in marks:
            assert mark not in content, (url, mark)
    assert citizen_client.get(paper.get_absolute_url()).status_code == 404
    assert citizen_client.get(f"/oparl/v1.1/paper/{paper.pk}").status_code == 404
    for file in paper.files.all():
        assert citizen_client.get(f"/dateien/{file.pk}/").status_code == 404
        assert citizen_client.get(f"/oparl/v1.1/file/{file.pk}").status_code == 404
    # The Einladung publishes it: the same addresses now show it.
    meeting = _meeting_for(council, paper)
    compose_agenda(meeting, [c for c in waiting_papers(meeting) if c.paper_id == paper.pk])
    _invite(meeting)
    assert citizen_client.get(paper.get_absolute_url()).status_code == 200
    assert paper.reference in citizen_client.get("/vorlagen/").content.decode()
    assert citizen_client.get(f"/oparl/v1.1/paper/{paper.pk}").status_code == 200
