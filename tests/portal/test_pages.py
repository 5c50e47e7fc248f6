"""What a citizen finds on each page of the Bürgerinfo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from ratsinfo.meetings.models import Meeting
from tests.portal.conftest import at

pytestmark = pytest.mark.django_db


def html(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response.content.decode()


def test_start_page_shows_meetings_papers_decisions_and_search(
    world: Any, citizen_client: Client
) -> None:
    page = html(citizen_client, "/")
    assert 'role="search"' in page and 'name="q"' in page
    assert "/vorlagen/BV-0240-2021-2026/" in page
    assert "Sitzung des Jugend-, Ordnungs- und Sozialausschusses" in page
    # The committee's public decision with its vote, linked to the paper.
    assert "mehrheitlich beschlossen" in page and "Ja 7 · Nein 2 · Enthaltungen 0" in page


def test_start_page_lists_upcoming_meetings_first(world: Any, citizen_client: Client) -> None:
    future = Meeting.objects.create(
        name="Sitzung des Rates (künftig)", start=at(dt.date.today() + dt.timedelta(days=10), 18)
    )
    future.organizations.add(world.rat)
    page = html(citizen_client, "/")
    assert "Nächste Sitzungen" in page
    assert page.index("Sitzung des Rates (künftig)") < page.index('id="h-vorlagen"')


def test_calendar_lists_past_meetings_and_marks_cancelled(
    world: Any, citizen_client: Client
) -> None:
    page = html(citizen_client, "/sitzungen/?zeit=vergangen")
    assert (
        page.index("Sitzung des Rates")
        < page.index("Sitzung des Verwaltungsausschusses")
        < page.index("Sitzung des Jugend-")
    )
    assert "abgesagt" in page
    upcoming = html(citizen_client, "/sitzungen/")
    assert "Zurzeit sind keine Sitzungen angesetzt" in upcoming


def test_calendar_month_view_and_body_filter(world: Any, citizen_client: Client) -> None:
    page = html(citizen_client, "/sitzungen/?ansicht=monat&monat=2022-10")
    assert "Oktober 2022" in page
    assert (
        world.committee.get_absolute_url() in page and world.va_meeting.get_absolute_url() in page
    )
    filtered = html(citizen_client, f"/sitzungen/?monat=2022-10&gremium={world.jos.slug}")
    assert world.committee.get_absolute_url() in filtered
    assert world.va_meeting.get_absolute_url() not in filtered
    assert "nächster Monat" in filtered


@pytest.mark.parametrize(
    "query",
    [
        "monat=2022-13",
        "monat=abc",
        "gremium=gibt-es-nicht",
        "aeltere=99999999",
        "neuere=-1",
        "zeit=x",
    ],
)
def test_calendar_survives_bad_parameters(world: Any, citizen_client: Client, query: str) -> None:
    html(citizen_client, f"/sitzungen/?{query}")


def test_meeting_page_shows_agenda_results_and_documents(
    world: Any, citizen_client: Client
) -> None:
    page = html(citizen_client, world.committee.get_absolute_url())
    assert "Jugend-, Ordnungs- und Sozialausschuss" in page
    assert "Donnerstag, 06.10.2022" in page and "17:00 Uhr" in page
    assert "Rathaus Großenkneten" in page and "durchgeführt" in page
    assert "Ö 5" in page and "/vorlagen/BV-0240-2021-2026/" in page
    assert "Ja 7 · Nein 2 · Enthaltungen 0" in page
    assert "Einladung JOS" in page and "Niederschrift JOS" in page
    assert "1 Tagesordnungspunkt im nichtöffentlichen Teil" in page


def test_cancelled_meeting_is_marked(world: Any, citizen_client: Client) -> None:
    page = html(citizen_client, world.cancelled.get_absolute_url())
    assert "Diese Sitzung ist abgesagt" in page


def test_paper_page_shows_facts_sections_files_relations_and_beratungsfolge(
    world: Any, citizen_client: Client
) -> None:
    page = html(citizen_client, "/vorlagen/BV-0240-2021-2026/")
    assert (
        '<span class="ref">BV/0240/2021-2026</span>' in page
        and "Beschlussvorlage" in page
        and "23.09.2022" in page
    )
    assert "Fachbereich Bürgerservice" in page  # federführend
    assert "Beschlussempfehlung" in page and "Dem Antrag wird nicht gefolgt." in page
    assert "antrag-gruppe.pdf" not in page or "Antrag der Gruppe" in page
    assert "Antrag der Gruppe" in page
    assert "AN/0031/2021-2026" in page  # the group's Antrag (related)
    assert "ÄA/0001/2021-2026" in page  # Änderungsantrag
    timeline = page[page.index("Beratungsfolge") :]
    assert timeline.index("Jugend-, Ordnungs- und Sozialausschuss") < timeline.index(
        "Verwaltungsausschuss"
    )
    assert "Vorberatung" in timeline and "Entscheidung" in timeline
    assert "mehrheitlich beschlossen" in timeline and "Ja 7 · Nein 2 · Enthaltungen 0" in timeline
    # The VA decided in its non-public session: the step is there, the result is not.
    assert "Beratung im nichtöffentlichen Teil der Sitzung" in timeline
    assert "Ja 11" not in page


def test_antrag_page_names_its_originators(world: Any, citizen_client: Client) -> None:
    page = html(citizen_client, world.antrag.get_absolute_url())
    assert "Gruppe Grüne - KA - Linke" in page and "Bernd Brinkmann" in page
    assert "/vorlagen/BV-0240-2021-2026/" in page


def test_paper_list_filters(world: Any, citizen_client: Client) -> None:
    page = html(citizen_client, "/vorlagen/")
    assert (
        page.index(world.amendment.get_absolute_url())
        < page.index("/vorlagen/BV-0240-2021-2026/")
        < page.index(world.antrag.get_absolute_url())
    )
    only_antrag = html(citizen_client, "/vorlagen/?art=Antrag")
    assert "AN/0031/2021-2026" in only_antrag and "/vorlagen/BV-0240-2021-2026/" not in only_antrag
    va = html(citizen_client, f"/vorlagen/?gremium={world.va.slug}")
    assert "/vorlagen/BV-0240-2021-2026/" in va and "AN/0031/2021-2026" not in va
    assert "/vorlagen/BV-0240-2021-2026/" not in html(citizen_client, "/vorlagen/?jahr=2021")
    by_person = html(citizen_client, f"/vorlagen/?urheber={world.bernd.slug}")
    assert "AN/0031/2021-2026" in by_person and "/vorlagen/BV-0240-2021-2026/" not in by_person


def test_body_page_members_roles_groups_meetings_and_papers(
    world: Any, citizen_client: Client
) -> None:
    page = html(citizen_client, world.jos.get_absolute_url())
    members = page[page.index("Aktuelle Mitglieder") : page.index("Frühere Mitglieder")]
    assert members.index("Anna Albers") < members.index("Bernd Brinkmann")  # Vorsitz first
    assert "Vorsitzende" in members and "CDU" in members and "Grüne-KA-Linke" in members
    assert "Carla Cordes" in page[page.index("Frühere Mitglieder") :]
    assert world.committee.get_absolute_url() in page
    assert "/vorlagen/BV-0240-2021-2026/" in page  # in consultation here


def test_group_page_shows_members_representatives_and_motions(
    world: Any, citizen_client: Client
) -> None:
    page = html(citizen_client, world.gruppe.get_absolute_url())
    assert "Gruppensprecher" in page
    assert "Jugend-, Ordnungs- und Sozialausschuss" in page  # Bernd sits there for the group
    assert "AN/0031/2021-2026" in page


def test_person_page_memberships_over_time_and_motions(world: Any, citizen_client: Client) -> None:
    page = html(citizen_client, world.bernd.get_absolute_url())
    assert "Gruppensprecher" in page and "Jugend-, Ordnungs- und Sozialausschuss" in page
    assert "01.11.2021" in page
    assert "AN/0031/2021-2026" in page


def test_lists_of_bodies_and_persons(world: Any, citizen_client: Client) -> None:
    page = html(citizen_client, "/gremien/")
    assert page.index("<h2>Rat und Ausschüsse") < page.index("<h2>Fraktionen und Gruppen")
    assert "Verwaltungsausschuss" in page and "CDU-Fraktion" in page
    groups = html(citizen_client, "/gremien/?art=fraktionen")
    assert "CDU-Fraktion" in groups and "Verwaltungsausschuss" not in groups
    persons = html(citizen_client, "/personen/")
    assert (
        persons.index("Anna Albers")
        < persons.index("Bernd Brinkmann")
        < persons.index("Carla Cordes")
    )
    assert "Carla Cordes" not in html(citizen_client, "/personen/?buchstabe=B")
    html(citizen_client, "/personen/?seite=999")


@pytest.mark.parametrize(
    "q",
    [
        "Integrationskonzept",
        "BV/0240/2021-2026",
        "BV-0240-2021-2026",
        "0240",
        "Integration Konzept",
        "Integrationskonzept Brücke",
    ],
)
def test_search_finds_the_seed_paper(world: Any, citizen_client: Client, q: str) -> None:
    page = html(citizen_client, f"/suche/?q={q}")
    if q == "Integrationskonzept Brücke":  # every word must match
        assert "/vorlagen/BV-0240-2021-2026/" not in page
    else:
        assert "/vorlagen/BV-0240-2021-2026/" in page


def test_search_finds_bodies_persons_meetings(world: Any, citizen_client: Client) -> None:
    assert "/gremien/jos/" in html(citizen_client, "/suche/?q=Sozialausschuss")
    assert world.bernd.get_absolute_url() in html(citizen_client, "/suche/?q=Brinkmann")
    empty = html(citizen_client, "/suche/")
    assert "Vorlagen" in empty
    html(citizen_client, "/suche/?q=" + "x" * 5000)
    html(citizen_client, "/suche/?q=%00%27%22<script>")
    for url in [
        "/vorlagen/?gremium=%00",
        "/vorlagen/?urheber=a%00b",
        "/vorlagen/?jahr=%00",
        "/personen/?buchstabe=%00",
        "/vorlagen/?jahr=%C2%B2",
        "/vorlagen/?aeltere=%C2%B2",
    ]:
        html(citizen_client, url)


def test_accessibility_statement_and_login_page(world: Any, citizen_client: Client) -> None:
    page = html(citizen_client, "/barrierefreiheit/")
    assert "Erklärung zur Barrierefreiheit" in page and "NBGG" in page and "Schlichtungs" in page
    login = html(citizen_client, "/anmelden/")
    assert '<label for="id_username">Benutzername</label>' in login


def test_login_and_logout(world: Any, sitzungsdienst: Any) -> None:
    client = Client()
    response = client.post(
        "/anmelden/", {"username": "sitzungsdienst", "password": "falsch", "next": "/"}
    )
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    response = client.post(
        "/anmelden/",
        {"username": "sitzungsdienst", "password": "geheim-genug-123", "next": "/sitzungen/"},
    )
    # Staff are sent to set up their second factor first, then on to where they wanted to go.
    assert response.status_code == 302 and response["Location"] == "/konto/zwei-faktor/einrichten/?next=%2Fsitzungen%2F"
    assert "Abmelden" in html(client, "/")
    response = client.post("/abmelden/")
    assert response.status_code == 302
    assert "Anmelden" in html(client, "/")


def test_useful_404(world: Any, citizen_client: Client) -> None:
    for url in [
        "/gibt-es-nicht/",
        "/vorlagen/BV-9999-2021-2026/",
        "/sitzungen/999999/",
        "/gremien/nix/",
        "/personen/niemand/",
    ]:
        page = html(citizen_client, url, status=404)
        assert "Seite nicht gefunden" in page and 'name="q"' in page and 'href="/vorlagen/"' in page


def test_file_download(world: Any, citizen_client: Client) -> None:
    response = citizen_client.get(f"/dateien/{world.antrag_file.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 Antrag"
    assert (
        response["Content-Disposition"].startswith("inline")
        and "antrag-gruppe.pdf" in response["Content-Disposition"]
    )
    world.antrag_file.mime_type = "text/html"
    world.antrag_file.save()
    response = citizen_client.get(f"/dateien/{world.antrag_file.pk}/")
    assert response["Content-Disposition"].startswith("attachment")
    # A listed file without stored content is a clean 404, not a 500.
    assert citizen_client.get("/dateien/1/").status_code == 404


@pytest.mark.parametrize("sparse_links", [0, 2000])
def test_body_and_originator_filters_agree_whichever_plan(
    world: Any, citizen_client: Client, monkeypatch: Any, sparse_links: int
) -> None:
    """Dense links are probed per Vorlage, sparse ones read from the link table: same answer."""
    from ratsinfo.portal import queries

    monkeypatch.setattr(queries, "SPARSE_LINKS", sparse_links)
    va = html(citizen_client, f"/vorlagen/?gremium={world.va.slug}")
    assert "/vorlagen/BV-0240-2021-2026/" in va and world.antrag.get_absolute_url() not in va
    group = html(citizen_client, f"/vorlagen/?urheber={world.gruppe.slug}")
    assert world.antrag.get_absolute_url() in group and "/vorlagen/BV-0240-2021-2026/" not in group
    person = html(citizen_client, world.bernd.get_absolute_url())
    assert world.antrag.get_absolute_url() in person
