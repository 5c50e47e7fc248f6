"""The Vorlage map and the start page's map of the last months in a real browser, at 1280 px and
375 px: axe-core finds no violation, nothing scrolls sideways, and no tile is fetched before the
visitor chooses "Karte anzeigen" (tile requests are routed and aborted: the test never reaches a server)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from ratsinfo.bodies.models import Body, Location
from ratsinfo.lib.geo import point_feature
from ratsinfo.papers.models import Paper, PaperState, PaperType
from tests.browser.conftest import assert_accessible
from tests.browser.test_finish_pages import TILES, no_sideways_scroll, watch_tiles
from tests.conftest import login_with_second_factor
from tests.papers.workflow_fixtures import build_council

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def placed(transactional_db: Any, settings: Any) -> dict[str, Any]:
    settings.RATSINFO_MAP_TILE_URL = TILES
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "img-src": [*policy["DIRECTIVES"]["img-src"], "https://kacheln.example.invalid"]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    body = Body.objects.create(name="Gemeinde Großenkneten", short_name="Großenkneten")
    places = [
        Location.objects.create(description=name, street_address=street, postal_code="26197", sub_locality="Ahlhorn",
                                locality="Großenkneten", geojson=point_feature(lat, lon, name))
        for name, street, lat, lon in (
            ("Quartierszentrum Ahlhorn", "Wildeshauser Straße 20", 52.8988, 8.2365),
            ("Spiel- und Bewegungsfläche Parkstraße", "Parkstraße", 52.9003, 8.2331),
            ("Wildeshauser Straße (Ortsdurchfahrt)", "Wildeshauser Straße", 52.8979, 8.2392),
        )
    ]
    paper = Paper.objects.create(
        body=body, reference="BV/0240/2021-2026", name="Erstellung eines Integrationskonzeptes für das Quartier Ahlhorn",
        paper_type=PaperType.BESCHLUSSVORLAGE, date=timezone.localdate() - timedelta(days=30),
        state=PaperState.FREIGEGEBEN,
    )
    paper.locations.add(*places)
    other = Paper.objects.create(
        body=body, reference="BV/0003/2026-2031", name="Bebauungsplan Nr. 221 „Gewerbegebiet Huntlosen-Nord“",
        paper_type=PaperType.BESCHLUSSVORLAGE, date=timezone.localdate() - timedelta(days=5),
        state=PaperState.FREIGEGEBEN,
    )
    other.locations.add(Location.objects.create(description="Gewerbegebiet Huntlosen-Nord", locality="Großenkneten",
                                                sub_locality="Huntlosen", geojson=point_feature(53.0012, 8.2818)))
    return {"body": body, "paper": paper}


def test_vorlage_and_start_page_maps_at_both_widths_load_tiles_only_on_request(placed: dict[str, Any], page: Any) -> None:
    tiles = watch_tiles(page)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900 if width > 400 else 667})
        for url in (placed["paper"].get_absolute_url(), "/"):
            response = page.goto(url)
            assert response is not None and response.status == 200
            assert page.locator(".map-places li").count() >= 1
            assert page.locator(".map-canvas").is_hidden()
            assert_accessible(page)
            no_sideways_scroll(page)
    assert tiles == [], "map tiles were fetched without the visitor asking"

    page.goto("/")
    places = page.locator(".map-places").inner_text()
    assert "BV/0240/2021-2026" in places and "Huntlosen" in places
    page.get_by_role("button", name="Karte anzeigen").click()
    page.locator(".leaflet-marker-icon").nth(3).wait_for()  # three places of BV/0240 and one of BV/0003
    assert page.locator(".leaflet-marker-icon").count() == 4
    page.wait_for_timeout(300)
    assert tiles and all(url.startswith("https://kacheln.example.invalid/") for url in tiles)
    assert_accessible(page)
    no_sideways_scroll(page)


def test_the_draft_form_with_places_at_both_widths(placed: dict[str, Any], page: Any, live_server: Any) -> None:
    council = build_council(placed["body"])
    client = login_with_second_factor(Client(), council.author)
    cookie = django_settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": cookie, "value": client.cookies[cookie].value, "url": live_server.url}])
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900 if width > 400 else 667})
        page.goto("/verwaltung/vorlagen/neu/")
        assert page.get_by_role("group", name="Orte, die die Vorlage betrifft").is_visible()
        assert_accessible(page)
        no_sideways_scroll(page)
    page.get_by_label("Betreff").fill("Spielfläche Parkstraße")
    page.get_by_label("federführender Fachbereich").select_option(str(council.fb2.pk))
    page.get_by_label("Spiel- und Bewegungsfläche Parkstraße").check()
    page.get_by_role("button", name="Entwurf anlegen").click()
    page.wait_for_url("**/bearbeiten/")
    assert page.get_by_label("Spiel- und Bewegungsfläche Parkstraße").is_checked()
    assert [p.description for p in Paper.objects.get(name="Spielfläche Parkstraße").locations.all()] == [
        "Spiel- und Bewegungsfläche Parkstraße"]


def test_list_filters_with_a_long_gremium_name_fit_a_phone(placed: dict[str, Any], page: Any) -> None:
    from ratsinfo.bodies.models import Organization, OrganizationKind
    from ratsinfo.meetings.models import Meeting

    committee = Organization.objects.create(
        body=placed["body"], kind=OrganizationKind.FACHAUSSCHUSS,
        name="Ausschuss für Bauen, Planung, Umwelt, Klimaschutz, Wirtschaftsförderung und Digitalisierung",
    )
    meeting = Meeting.objects.create(name="Sitzung des Ausschusses", start=timezone.now())
    meeting.organizations.add(committee)
    page.set_viewport_size({"width": 375, "height": 667})
    for url in ("/vorlagen/", "/sitzungen/"):
        page.goto(url)
        assert committee.name in page.locator("#f-gremium").inner_text()
        no_sideways_scroll(page)
