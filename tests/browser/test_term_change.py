"""The change of Wahlperiode in a real browser: the Sitzungsdienst opens 2026-2031, enters a Fraktion,
takes the Gremien over, distributes the JOS seats (d'Hondt, a tie left to the lot), records the lot,
nominates a member, plans the constitutive session and previews the accounts of members who left.
axe-core checks every page at 1280 and 375 px."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ratsinfo.bodies import term_change as tc
from ratsinfo.bodies.models import Body
from tests.browser.conftest import assert_accessible
from tests.browser.test_meeting_cycle import _logged_in
from tests.conftest import account
from tests.domain.test_term_change import COUNCIL, NEW_END, NEW_START, OldTerm

pytestmark = pytest.mark.usefixtures("transactional_db")
WIDTHS = (1280, 375)


def _checked(page: Any) -> None:
    """axe-core at both widths; the page has one h1 and no horizontal scrolling of the whole page."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        assert page.locator("h1").count() == 1
        too_wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1"
            " && !e.closest('.table-scroll')).map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5)"
        )
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), too_wide
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_change_of_term_in_the_browser(browser: Any, live_server: Any) -> None:
    old = OldTerm(Body.objects.create(name="Gemeinde Großenkneten", short_name="Großenkneten"))
    left = account("ausgeschieden", "Ratsmitglied")
    old.persons[0].user = left
    old.persons[0].save()
    page = _logged_in(browser, live_server)
    page.goto("/verwaltung/wahlperiode/")
    _checked(page)
    page.get_by_label("Beginn der Wahlperiode").fill("2026-11-01")
    page.get_by_label("Ende der Wahlperiode").fill("2031-10-31")
    page.get_by_role("button", name="Wahlperiode anlegen").click()
    page.wait_for_url(re.compile(r"/verwaltung/wahlperiode/\d+/$"))
    _checked(page)

    # Step 2 in the browser for the CDU, the others through the same service.
    page.get_by_label("Name der Fraktion/Gruppe (leer: Ratsmitglieder ohne Fraktion)").fill("CDU-Fraktion")
    page.get_by_label(re.compile(r"^Kurzname")).fill("CDU")
    for person in old.persons[1:13]:
        page.get_by_label(person.name, exact=True).check()
    page.get_by_role("combobox", name="Vorsitz").select_option(label=old.persons[1].name)
    page.get_by_role("button", name="Eintragen").click()
    page.get_by_text("12 Ratsmitglied(er) eingetragen für CDU-Fraktion.").wait_for()
    term = tc.open_term(old.body, NEW_START, NEW_END)
    at = 13
    for name, short, kind, size in COUNCIL[1:]:
        tc.enter_council_group(term, old.persons[at:at + size], name=name, short_name=short, kind=kind)
        at += size

    # Bad input answers at the field.
    page.get_by_role("button", name="Gremien übernehmen").click()
    page.get_by_text("Bitte bestätigen.").wait_for()
    _checked(page)
    page.get_by_label("Ja, die Gremien der bisherigen Wahlperiode übernehmen und diese beenden").check()
    page.get_by_role("button", name="Gremien übernehmen").click()
    page.get_by_text("Gremien übernommen.").wait_for()

    page.get_by_role("combobox", name="Ausschuss").select_option(label="Jugend-, Ordnungs- und Sozialausschuss")
    page.get_by_label("Zahl der Sitze").fill("10")
    page.get_by_label(re.compile("^Verfahren")).select_option("dhondt")
    page.get_by_role("button", name="Sitze verteilen").click()
    page.get_by_text(re.compile("Gleichstand um 1 Sitz")).first.wait_for()
    _checked(page)
    page.get_by_role("link", name="Jugend-, Ordnungs- und Sozialausschuss").click()
    page.wait_for_url(re.compile(r"/sitze/\d+/$"))
    _checked(page)
    page.get_by_label("SPD-Fraktion").check()
    page.get_by_role("button", name="Los eintragen").click()
    page.get_by_text(re.compile("Los gezogen: SPD-Fraktion")).first.wait_for()
    page.get_by_label("benennende Fraktion/Gruppe").select_option(label="SPD-Fraktion")
    page.get_by_role("combobox", name="Person").select_option(label=old.persons[23].name)  # a Grüne member: refused
    page.get_by_role("button", name="Benennen").click()
    page.get_by_text(re.compile("gehört nicht der SPD-Fraktion an")).wait_for()
    _checked(page)
    page.get_by_role("combobox", name="Person").select_option(label=old.persons[13].name)
    page.get_by_role("button", name="Benennen").click()
    page.get_by_text(re.compile("sitzt für die SPD-Fraktion")).wait_for()
    _checked(page)

    page.get_by_role("link", name="Zurück zum Wahlperiodenwechsel").click()
    page.get_by_label(re.compile(r"^Datum")).fill("2026-11-12")
    page.get_by_label(re.compile(r"^Uhrzeit")).fill("18:00")
    # Planning renumbers the agenda several times: on a loaded machine this answer can take longer.
    page.get_by_role("button", name="Sitzung planen").click(timeout=90_000)
    page.get_by_text(re.compile("Konstituierende Sitzung: Rat der Gemeinde")).first.wait_for()
    _checked(page)
    page.get_by_role("link", name="Vorschau und Deaktivierung").click()
    page.wait_for_url(re.compile(r"/konten/$"))
    _checked(page)
    assert page.get_by_label(re.compile("Ratsmitglied 00")).is_checked()
    page.get_by_role("button", name="Ausgewählte Konten deaktivieren").click()
    page.get_by_text("1 Konto/Konten deaktiviert.").wait_for()
    _checked(page)
    left.refresh_from_db()
    assert left.is_active is False

