"""The Ratsfrau's evening on a tablet, in a real browser with axe-core on every page at 1280 and 375 px:
she opens her next meeting, downloads the Sitzungsmappe, writes a note and replies "abgesagt"."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def municipality(transactional_db: Any, settings: Any, tmp_path: Any) -> None:
    from ratsinfo.corpus.demo import build_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    build_demo()


def assert_fits(page: Any) -> None:
    """No sideways scrolling at the current width."""
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), page.url


def check(page: Any) -> None:
    assert_accessible(page)
    assert_fits(page)


def test_ratsfrau_prepares_her_next_meeting(municipality: None, page: Any) -> None:
    page.goto("/anmelden/?next=/mein-ratsinfo/")
    page.get_by_label("Benutzername").fill("ratsfrau")
    page.get_by_label("Passwort").fill("demo-ratsfrau")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/mein-ratsinfo/$"))

    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/mein-ratsinfo/")
        check(page)
        next_meeting = page.locator(".card-title a").first
        meeting_url = next_meeting.get_attribute("href")
        next_meeting.click()
        page.wait_for_url(re.compile(r"/mein-ratsinfo/sitzungen/\d+/$"))
        assert page.get_by_role("heading", name="Tagesordnung").is_visible()
        check(page)
        page.get_by_role("link", name="Sitzungsmappe (PDF und ZIP)").click()
        page.wait_for_url(re.compile(r"/mappe/$"))
        check(page)
        for url in ("/mein-ratsinfo/einstellungen/", "/mein-ratsinfo/antraege/"):
            page.goto(url)
            check(page)

    # At 375 px: the download, a note and the reply, by keyboard where it matters.
    page.goto(meeting_url)
    page.get_by_role("link", name="Sitzungsmappe (PDF und ZIP)").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Sitzungsmappe als PDF herunterladen").click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert download_info.value.suggested_filename.startswith("Sitzungsmappe")

    page.goto(meeting_url)
    first_note = page.locator("details.note").first
    first_note.locator("summary").focus()
    page.keyboard.press("Enter")
    field = first_note.get_by_role("textbox").last
    field.fill("Nach den Folgekosten fragen")
    first_note.get_by_role("button", name="Notiz speichern").last.click()
    page.get_by_text("Ihre Notiz ist gespeichert.").wait_for()
    assert page.locator("details.note textarea", has_text="Nach den Folgekosten fragen").count() == 1
    check(page)

    page.get_by_label("absagen").check()
    page.get_by_label("Anmerkung (freiwillig)").fill("Dienstreise")
    page.get_by_label("Anmerkung (freiwillig)").press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Rückmeldung senden"
    page.keyboard.press("Enter")
    page.get_by_text("Ihre Rückmeldung ist gespeichert: abgesagt.").wait_for()
    check(page)
