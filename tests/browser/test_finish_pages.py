"""Every Maßnahmenplan page and the changed portal pages at 1280 px and 375 px: axe-core finds
no violation and no page scrolls sideways (WCAG 1.4.10; 640 px stands for 1280 px at 200 % zoom).
The mobile header takes at most a quarter of the first screen; maps fetch no tile unasked."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.test import Client

from ratsinfo.bodies.models import (
    Body,
    Location,
    Membership,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.lib.geo import point_feature
from ratsinfo.measures import services
from ratsinfo.measures.demo import PLAN_SLUG, build_measures_demo
from ratsinfo.measures.models import Measure, PlanEdition
from ratsinfo.meetings.models import Meeting
from ratsinfo.portal.demo import build_legal_demo
from tests.browser.conftest import assert_accessible
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.usefixtures("transactional_db")

WIDTHS = (1280, 375)
TILES = "https://kacheln.example.invalid/{z}/{x}/{y}.png"


@pytest.fixture
def town(transactional_db: Any, settings: Any) -> dict[str, Any]:
    settings.RATSINFO_MAP_TILE_URL = TILES
    # As an installation configures it: the tile server's host is allowed for images by the CSP.
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "img-src": [*policy["DIRECTIVES"]["img-src"], "https://kacheln.example.invalid"]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    body = Body.objects.create(name="Gemeinde Großenkneten", short_name="Großenkneten",
                               letterhead="Markt 1 · 26197 Großenkneten")
    plan = build_measures_demo(body)
    build_legal_demo(body)
    draft = services.create_edition(plan, "Fortschreibung 2025 (Entwurf)", date(2025, 3, 1))
    rat = Organization.objects.create(body=body, name="Rat der Gemeinde Großenkneten", kind=OrganizationKind.RAT)
    fraktion = Organization.objects.create(body=body, name="SPD-Fraktion", kind=OrganizationKind.FRAKTION)
    person = Person.objects.create(body=body, given_name="Maren", family_name="Vosteen", electoral_area="Wahlbereich II (Ahlhorn)",
                                   public_contact="maren.vosteen@example.org", contact_consent=True)
    Membership.objects.create(person=person, organization=rat, start_date=date(2021, 11, 1))
    Membership.objects.create(person=person, organization=fraktion, start_date=date(2021, 11, 1))
    rathaus = Location.objects.create(description="Rathaus Großenkneten", street_address="Markt 1", locality="Großenkneten",
                                      geojson=point_feature(52.9436, 8.2576, "Rathaus"))
    meeting = Meeting.objects.create(name="Sitzung des Rates", start=Meeting.objects.order_by("start").first().start,
                                     location=rathaus)
    meeting.organizations.add(rat)
    editor = User.objects.create_user("logemann", password="quartier-geheim-2024")
    editor.groups.add(Group.objects.get(name="Quartiersmanagement"))
    measure = Measure.objects.get(plan=plan, number="G 5")
    adopted = PlanEdition.objects.in_force().filter(plan=plan).first()
    base = f"/massnahmen/{PLAN_SLUG}/"
    public = [
        "/massnahmen/", base, f"{base}tafel/", f"{base}kosten/", f"{base}monitoring/", f"{base}fortschreibungen/",
        f"{base}fortschreibungen/vergleich/", f"{base}fortschreibungen/{adopted.pk}/", f"{base}akteure/",
        measure.get_absolute_url(),
    ]
    editing = [
        f"{base}beschluss/", f"{base}massnahme/neu/", f"{base}massnahme/{measure.pk}/bearbeiten/", f"{base}import/",
        f"{base}fortschreibungen/neu/", f"{base}fortschreibungen/{draft.pk}/", f"{base}stammdaten/",
        f"{base}stammdaten/handlungsfeld/neu/", f"{base}stammdaten/finanzierung/neu/",
        f"{base}stammdaten/indikatorwert/neu/", f"{base}stammdaten/foerdergebiet/{plan.funding_area.pk}/",
    ]
    portal = ["/", "/gremien/", "/impressum/", "/datenschutz/", "/barrierefreiheit/", person.get_absolute_url(),
              meeting.get_absolute_url()]
    return {"public": public, "editing": editing, "portal": portal, "editor": editor, "meeting": meeting}


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways: {width}"


def check(page: Any, urls: list[str], tile_requests: list[str]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900 if width > 400 else 667})
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            assert_accessible(page)
            no_sideways_scroll(page)
    page.set_viewport_size({"width": 640, "height": 450})  # 1280 px at 200 % zoom
    for url in urls:
        page.goto(url)
        no_sideways_scroll(page)
    assert tile_requests == [], "map tiles were fetched without the visitor asking"


def watch_tiles(page: Any) -> list[str]:
    requested: list[str] = []

    def block(route: Any) -> None:  # never reach the network from a test
        requested.append(route.request.url)
        route.abort()

    page.route("https://kacheln.example.invalid/**", block)
    return requested


def test_public_plan_pages_and_portal_pages_at_both_widths(town: dict[str, Any], page: Any) -> None:
    tiles = watch_tiles(page)
    check(page, town["public"] + town["portal"], tiles)


def test_editing_pages_of_the_quartiersmanagerin_at_both_widths(town: dict[str, Any], page: Any, live_server: Any) -> None:
    client = login_with_second_factor(Client(), town["editor"])
    cookie = django_settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": cookie, "value": client.cookies[cookie].value, "url": live_server.url}])
    tiles = watch_tiles(page)
    check(page, town["editing"], tiles)


def test_mobile_header_takes_a_quarter_of_the_screen_and_the_menu_opens_without_script(
    town: dict[str, Any], browser: Any, live_server: Any
) -> None:
    context = browser.new_context(locale="de-DE", base_url=live_server.url, java_script_enabled=False,
                                  viewport={"width": 375, "height": 667})
    page = context.new_page()
    try:
        for url in ("/", f"/massnahmen/{PLAN_SLUG}/"):
            page.goto(url)
            height = page.evaluate("document.querySelector('header.site-header').getBoundingClientRect().height")
            assert height <= 667 / 4, f"{url}: header {height}px"
            assert page.locator("header form[role=search]").is_visible()
            menu = page.get_by_role("navigation", name="Hauptmenü")
            assert not menu.is_visible()
            page.locator("summary", has_text="Menü").click()
            menu.get_by_role("link", name="Sitzungen").click()
            page.wait_for_url("**/sitzungen/")
    finally:
        context.close()


def test_map_loads_tiles_only_after_the_visitor_asks(town: dict[str, Any], page: Any) -> None:
    tiles = watch_tiles(page)
    page.goto(town["meeting"].get_absolute_url())
    assert "Rathaus Großenkneten" in page.locator(".map-places").inner_text()
    assert page.locator(".map-canvas").is_hidden() and tiles == []
    page.get_by_role("button", name="Karte anzeigen").click()
    page.locator(".leaflet-marker-icon").first.wait_for()
    page.wait_for_timeout(300)
    assert tiles and all(url.startswith("https://kacheln.example.invalid/") for url in tiles)
    assert_accessible(page)
