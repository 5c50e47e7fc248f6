"""Every other kind of Bürgerinfo page in a real browser with axe-core, and a council member's
view after logging in: non-public items are there, marked, and the page stays accessible."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import assert_accessible
from tests.conftest import join
from tests.portal.conftest import SECRET, build_world


@pytest.fixture
def world(transactional_db: Any, body: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(body)


def test_page_types_are_accessible(world: Any, page: Any) -> None:
    for url in [
        "/vorlagen/?art=Beschlussvorlage", world.jos.get_absolute_url(), world.gruppe.get_absolute_url(),
        "/gremien/", "/personen/", world.bernd.get_absolute_url(), "/suche/?q=Integration",
        "/sitzungen/?zeit=vergangen", world.cancelled.get_absolute_url(), "/barrierefreiheit/", "/gibt-es-nicht/",
    ]:  # fmt: skip
        page.goto(url)
        assert_accessible(page)
        assert SECRET not in page.content()


def test_council_member_logs_in_and_sees_non_public_part_marked(
    world: Any, ratsfrau: Any, page: Any
) -> None:
    join(ratsfrau, world.jos)  # a member of the committee: sees its non-public part
    page.goto(world.committee.get_absolute_url())
    assert "1 Tagesordnungspunkt im nichtöffentlichen Teil" in page.locator("main").inner_text()
    page.get_by_role("link", name="Anmelden").click()
    assert_accessible(page)
    page.get_by_label("Benutzername").fill("ratsfrau")
    page.get_by_label("Passwort").fill("geheim-genug-123")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(rf"/sitzungen/{world.committee.pk}/$"))
    main = page.locator("main").inner_text()
    assert f"Grundstücksangelegenheit {SECRET}" in main and "Ja 13" in main
    assert page.locator(".agenda-nonpublic .badge-nonpublic").count() == 1
    assert_accessible(page)
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto(world.committee.get_absolute_url())
    assert SECRET not in page.content()
