"""A citizen's path through the Bürgerinfo in a real browser, checked with axe-core on every page:
start page → calendar → the committee meeting of 06.10.2022 → the seed Vorlage → its
Beratungsfolge and result (also as printed) → subscribing to the iCal feed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from icalendar import Calendar

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def municipality(transactional_db: Any, settings: Any, tmp_path: Any) -> None:
    from ratsinfo.corpus.demo import build_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    build_demo()


def test_citizen_finds_the_decision_and_subscribes(municipality: None, page: Any) -> None:
    page.goto("/")
    assert_accessible(page)
    # Keyboard first: the skip link is the first stop and leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Sitzungen"
    ).click()
    page.wait_for_url(re.compile(r"/sitzungen/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Monatsansicht").click()
    page.get_by_label("Monat", exact=True).fill("2022-10")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url(re.compile(r"monat=2022-10"))
    assert page.get_by_role("heading", name="Oktober 2022", exact=True).is_visible()
    assert_accessible(page)

    meetings = (
        page.locator("ul.meetings li")
        .filter(has_text="06.10.2022")
        .filter(has_text="Jugend-, Ordnungs- und Sozialaus")
    )
    meetings.first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/sitzungen/\d+/$"))
    assert (
        "Sitzung des Jugend-, Ordnungs- und Sozialausschusses"
        in page.get_by_role("heading", level=1).inner_text()
    )
    assert "Donnerstag, 06.10.2022" in page.locator(".facts").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="BV/0240/2021-2026").first.click()
    page.wait_for_url(re.compile(r"/vorlagen/BV-0240-2021-2026/$"))
    assert_accessible(page)
    steps = page.locator("section.consultations ol.timeline > li")
    assert steps.count() >= 2
    committee_step = steps.nth(0).inner_text()
    assert (
        "06.10.2022" in committee_step
        and "Jugend-, Ordnungs- und Sozialausschuss" in committee_step
    )
    assert "Vorberatung" in committee_step
    assert (
        "mehrheitlich beschlossen" in committee_step
        and "Ja 7 · Nein 2 · Enthaltungen 0" in committee_step
    )
    va_step = steps.nth(1).inner_text()
    assert (
        "13.10.2022" in va_step and "Verwaltungsausschuss" in va_step and "Entscheidung" in va_step
    )
    # Printed, the Vorlage keeps its content and loses the site's navigation.
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Hauptnavigation").is_visible()
    assert not page.locator("footer").is_visible()
    assert page.get_by_role("heading", name="Beratungsfolge").is_visible()
    page.emulate_media(media="screen")

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Abonnieren"
    ).click()
    page.wait_for_url(re.compile(r"/ical/$"))
    assert_accessible(page)
    href = page.get_by_role("link", name="Alle Sitzungen").get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    assert any(e.decoded("DTSTART").date().isoformat() == "2022-10-06" for e in events)
