"""The Vorlagen screens at /verwaltung/vorlagen/: Fachbereich 2 drafts, the Kämmerei co-signs,
the Bürgermeister releases; bad input is answered at the field and nothing is half saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ratsinfo.bodies.models import Body
from ratsinfo.meetings.models import Meeting
from ratsinfo.papers import workflow
from ratsinfo.papers.models import ConsultationRole, Paper, PaperState
from tests.conftest import login_with_second_factor
from tests.papers.workflow_fixtures import Council, build_council


@pytest.fixture
def council(body: Body) -> Council:
    council = build_council(body)
    for meeting in (council.jos_meeting, council.va_meeting):  # planned meetings lie ahead
        meeting.start = timezone.now() + timedelta(days=30 if meeting == council.jos_meeting else 40)
        meeting.save()
    return council


def _client(user: User) -> Client:
    return login_with_second_factor(Client(), user)


def _new_draft(client: Client, council: Council) -> Paper:
    response = client.post("/verwaltung/vorlagen/neu/", {
        "paper_type": "Beschlussvorlage", "name": "Integrationskonzept", "department": council.fb2.pk,
        "day": "2022-09-23", "public": "on",
    })
    paper = Paper.objects.get(name="Integrationskonzept")
    assert response.status_code == 302 and response["Location"] == f"/verwaltung/vorlagen/{paper.pk}/bearbeiten/"
    return paper


def _edit(client: Client, paper: Paper, version: int, proposal: str) -> object:
    data = {"version": version, "name": paper.name, "department": paper.under_direction_of.get().pk, "day": "2022-09-23",
            "public": "on", "section_0": proposal, "section_1": "Sachverhalt", "section_2": "keine", "section_3": ""}
    return client.post(f"/verwaltung/vorlagen/{paper.pk}/bearbeiten/", data)


def test_the_whole_path_through_the_screens(council: Council) -> None:
    author, cosigner, mayor = _client(council.author), _client(council.cosigner), _client(council.mayor)
    paper = _new_draft(author, council)
    assert _edit(author, paper, Paper.objects.get(pk=paper.pk).version, "Die Verwaltung wird beauftragt.").status_code == 302
    steps_url = f"/verwaltung/vorlagen/{paper.pk}/beratungsfolge/"
    author.post(steps_url, {"organization": council.jos.pk, "role": "Vorberatung", "meeting": council.jos_meeting.pk})
    author.post(steps_url, {"organization": council.va.pk, "role": "Entscheidung", "meeting": council.va_meeting.pk})
    upload = SimpleUploadedFile("Antrag der Gruppe.pdf", b"%PDF-1.4 Antrag", content_type="application/pdf")
    assert author.post(f"/verwaltung/vorlagen/{paper.pk}/anlagen/", {"file": upload, "name": "Antrag", "public": "on"}).status_code == 302
    assert author.post(f"/verwaltung/vorlagen/{paper.pk}/mitzeichnung/", {"departments": [council.kaemmerei.pk]}).status_code == 302
    assert "Integrationskonzept" in cosigner.get("/verwaltung/vorlagen/").content.decode()
    version = Paper.objects.get(pk=paper.pk).version
    assert cosigner.post(f"/verwaltung/vorlagen/{paper.pk}/mitzeichnen/", {"version": version, "comment": "Haushalt ok"}).status_code == 302
    version = Paper.objects.get(pk=paper.pk).version
    response = mayor.post(f"/verwaltung/vorlagen/{paper.pk}/freigeben/", {"version": version}, follow=True)
    page = response.content.decode()
    assert "BV/0001/2021-2026" in page and "Freigegeben." in page
    assert [s in page for s in ("Entwurf angelegt", "Anlage hinzugefügt", "mitgezeichnet", "Haushalt ok")] == [True] * 4
    paper.refresh_from_db()
    assert paper.state == PaperState.FREIGEGEBEN and paper.files.get().size == len(b"%PDF-1.4 Antrag")


def test_a_stale_edit_is_refused_with_a_message(council: Council) -> None:
    author = _client(council.author)
    paper = _new_draft(author, council)
    stale = Paper.objects.get(pk=paper.pk).version
    _edit(author, paper, stale, "Erste Fassung")
    response = _edit(author, paper, stale, "Zweite Fassung")
    assert response.status_code == 400 and "inzwischen" in response.content.decode()
    assert workflow.decision_text(paper) == "Erste Fassung"


def test_bad_input_is_answered_at_the_field(council: Council) -> None:
    author = _client(council.author)
    response = author.post("/verwaltung/vorlagen/neu/", {"paper_type": "Quatsch", "name": "", "day": "gestern", "related": "XY/1"})
    page = response.content.decode()
    assert response.status_code == 400 and not Paper.objects.exists()
    assert 'id="id_name-fehler"' in page and "Keine Vorlage gefunden: XY/1" in page and "aria-describedby" in page


def test_a_wrong_step_is_refused_and_the_plan_unchanged(council: Council) -> None:
    author = _client(council.author)
    paper = _new_draft(author, council)
    response = author.post(f"/verwaltung/vorlagen/{paper.pk}/beratungsfolge/", {"organization": council.jos.pk, "role": "Entscheidung"})
    assert response.status_code == 400 and "§ 76" in response.content.decode() and not paper.consultations.exists()


def test_steps_move_and_go(council: Council) -> None:
    author = _client(council.author)
    paper = _new_draft(author, council)
    url = f"/verwaltung/vorlagen/{paper.pk}/beratungsfolge/"
    author.post(url, {"organization": council.jos.pk, "role": "Vorberatung"})
    author.post(url, {"organization": council.va.pk, "role": "Entscheidung"})
    refused = author.post(url, {"position": 2, "change": "hoch"})  # Entscheidung before Vorberatung
    assert refused.status_code == 400 and "vor der Entscheidung" in refused.content.decode()
    author.post(url, {"position": 1, "change": "entfernen"})
    assert list(paper.consultations.values_list("role", flat=True)) == [ConsultationRole.ENTSCHEIDUNG]


def test_the_author_sees_no_release_button_and_cannot_release(council: Council) -> None:
    paper = council.ready()
    author = _client(council.author)
    assert "Freigeben und nummerieren" not in author.get(f"/verwaltung/vorlagen/{paper.pk}/").content.decode()
    response = author.post(f"/verwaltung/vorlagen/{paper.pk}/freigeben/", {"version": paper.version})
    assert response.status_code == 400 and "nur die Bürgermeisterin" in response.content.decode()


def test_another_departments_draft_is_not_found(council: Council) -> None:
    paper = council.draft()
    assert _client(council.cosigner).get(f"/verwaltung/vorlagen/{paper.pk}/").status_code == 404


def test_a_council_member_does_not_find_the_screens(ratsfrau: User) -> None:
    client = Client()
    client.force_login(ratsfrau)
    assert client.get("/verwaltung/vorlagen/").status_code == 404


def test_an_antrag_on_paper_is_entered_by_the_sitzungsdienst(council: Council, sitzungsdienst: User) -> None:
    from ratsinfo.bodies.models import Organization, OrganizationKind

    gruppe = Organization.objects.create(body=council.body, name="Gruppe Grüne – KA – Linke", kind=OrganizationKind.GRUPPE)
    response = _client(sitzungsdienst).post("/verwaltung/vorlagen/antrag-erfassen/", {
        "paper_type": "Antrag", "name": "Integrationskonzept", "group": gruppe.pk, "text": "Die Verwaltung wird beauftragt.",
        "received_on": "2022-06-02", "public": "on",
    }, follow=True)
    assert "Antrag AN/0001/2021-2026 erfasst." in response.content.decode()


def test_the_work_lists_take_a_bounded_number_of_queries(council: Council) -> None:
    for _ in range(3):
        council.ready()
    mayor = _client(council.mayor)
    mayor.get("/verwaltung/vorlagen/")
    with CaptureQueriesContext(connection) as few:
        mayor.get("/verwaltung/vorlagen/")
    for _ in range(5):
        council.ready()
    with CaptureQueriesContext(connection) as more:
        page = mayor.get("/verwaltung/vorlagen/").content.decode()
    assert page.count("Erstellung eines Integrationskonzeptes") == 8 and len(more) == len(few)


def test_overdue_drafts_are_listed_against_the_redaktionsschluss(council: Council, settings: object) -> None:
    paper = council.draft()
    workflow.plan_consultations(paper, council.author, council.steps())
    soon = Meeting.objects.get(pk=council.jos_meeting.pk)
    soon.start = timezone.now() + timedelta(days=5)
    soon.save()
    page = _client(council.author).get("/verwaltung/vorlagen/").content.decode()
    overdue = page.split('id="liste-ueberfaellig"', 1)[1]
    assert "Erstellung eines Integrationskonzeptes" in overdue


def test_the_sitzungsdienst_sets_a_number_pattern(council: Council, sitzungsdienst: User) -> None:
    client = _client(sitzungsdienst)
    refused = client.post("/verwaltung/vorlagen/nummernkreise/", {"paper_type": "Beschlussvorlage", "pattern": "BV/{jahr}", "assign_at": "freigabe"})
    assert refused.status_code == 400 and "genau einen Platzhalter" in refused.content.decode()
    client.post("/verwaltung/vorlagen/nummernkreise/", {"paper_type": "Beschlussvorlage", "pattern": "{term}-BV-{number:03}", "assign_at": "freigabe"})
    assert workflow.release(council.ready(), council.mayor).reference == "2021-2026-BV-001"


def test_sachbearbeitung_does_not_set_number_patterns(council: Council) -> None:
    assert _client(council.author).get("/verwaltung/vorlagen/nummernkreise/").status_code == 404


def test_the_author_chooses_the_places_of_a_draft(council: Council) -> None:
    from ratsinfo.bodies.models import Location

    zentrum = Location.objects.create(description="Quartierszentrum Ahlhorn", locality="Großenkneten")
    plot = Location.objects.create(description="Flurstück 41/7", locality="Großenkneten")
    author = _client(council.author)
    form = author.get("/verwaltung/vorlagen/neu/").content.decode()
    assert "Orte, die die Vorlage betrifft" in form and "Quartierszentrum Ahlhorn" in form
    response = author.post("/verwaltung/vorlagen/neu/", {
        "paper_type": "Beschlussvorlage", "name": "Ankauf", "department": council.fb2.pk, "day": "2022-09-23",
        "locations": [plot.pk],
    })
    paper = Paper.objects.get(name="Ankauf")
    assert response.status_code == 302 and list(paper.locations.all()) == [plot]
    # a place only FB 2's non-public draft names is not offered to another Fachbereich
    assert "Flurstück 41/7" not in _client(council.cosigner).get("/verwaltung/vorlagen/neu/").content.decode()
    stale = paper.version
    data = {"version": stale, "name": "Ankauf", "department": council.fb2.pk, "day": "2022-09-23",
            "section_0": "Ankauf", "section_1": "", "section_2": "", "section_3": "", "locations": [plot.pk, zentrum.pk]}
    assert author.post(f"/verwaltung/vorlagen/{paper.pk}/bearbeiten/", data).status_code == 302
    assert set(paper.locations.all()) == {plot, zentrum}
    data["locations"] = []
    assert author.post(f"/verwaltung/vorlagen/{paper.pk}/bearbeiten/", data).status_code == 400  # stale
    assert set(paper.locations.all()) == {plot, zentrum}
