"""The master-data screens in a real browser: the Sitzungsdienst keeps the JOS's fixed agenda items and a
person's profile; axe-core finds no violation on the list and edit pages at 1280 and 375 px."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.usefixtures("transactional_db")
WIDTHS = (1280, 375)


@pytest.fixture
def municipality(transactional_db: Any, settings: Any, tmp_path: Any) -> None:
    from ratsinfo.corpus.demo import build_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    build_demo()


def _log_in(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/anmelden/?next=/verwaltung/stammdaten/gremien/")
    _field(page, "Benutzername").fill("sitzungsdienst")
    _field(page, "Passwort").fill("demo-sitzungsdienst")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/verwaltung/stammdaten/gremien/$"))
    return page


def _field(page: Any, label: str) -> Any:
    return page.get_by_label(re.compile("^" + re.escape(label) + r"( \(Pflichtfeld\))?$"))


def _check_widths(page: Any) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.get_by_role("heading", level=1).count() == 1
        assert_accessible(page)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def test_the_sitzungsdienst_keeps_gremien_and_persons(municipality: None, browser: Any, live_server: Any) -> None:
    page = _log_in(browser, live_server)
    _check_widths(page)
    page.get_by_role("link", name="Jugend-, Ordnungs- und Sozialausschuss", exact=True).click()
    page.wait_for_url(re.compile(r"/gremien/\d+/$"))
    _check_widths(page)

    _field(page, "Bezeichnung des festen Punkts").fill("Personalangelegenheiten")
    _field(page, "Teil").select_option("n")
    _field(page, "Stelle").select_option("end")
    page.get_by_role("button", name="Punkt hinzufügen").click()
    page.wait_for_url(re.compile(r"#feste-punkte$"))
    assert page.get_by_text("Feste Tagesordnungspunkte gespeichert.").is_visible()
    rows = page.locator("table.fixed-items tbody tr")
    assert "Personalangelegenheiten" in rows.last.inner_text()
    page.get_by_role("button", name="Personalangelegenheiten nach oben").click()
    page.wait_for_url(re.compile(r"#feste-punkte$"))
    assert "Personalangelegenheiten" in page.locator("table.fixed-items tbody tr").nth(rows.count() - 2).inner_text()
    _check_widths(page)

    _field(page, "Ladungsfrist (Tage)").fill("0")
    page.get_by_role("button", name="Sitzungsregeln speichern").click()
    assert page.locator("#regeln-invitation_period_days-fehler").is_visible()
    _check_widths(page)  # the page with a field error

    page.get_by_role("navigation", name="Stammdaten").get_by_role("link", name="Personen").click()
    page.wait_for_url(re.compile(r"/stammdaten/personen/$"))
    _check_widths(page)
    _field(page, "Name enthält").fill("Ratsbüro")
    page.get_by_role("button", name="Filtern").click()
    page.locator("table tbody a").first.click()
    page.wait_for_url(re.compile(r"/personen/\d+/$"))
    assert "Benutzerkonto: sitzungsdienst" in page.content()
    _check_widths(page)
    _field(page, "Wahlbereich").fill("Ahlhorn")
    page.get_by_role("button", name="Person speichern").click()
    assert page.get_by_text("Person gespeichert.").is_visible()
    assert _field(page, "Wahlbereich").input_value() == "Ahlhorn"
