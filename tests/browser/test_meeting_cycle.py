"""A whole meeting cycle in a real browser: the Sitzungsdienst composes the JOS agenda from a released
Vorlage, sends the Einladung, records attendance (autosaved) and the vote, the Vorlage moves to the VA's
agenda, the VA decides, the next JOS meeting approves the Niederschrift, it is published and the public
portal shows the result. axe-core checks every staff screen on the way."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ratsinfo.bodies.models import Body
from ratsinfo.meetings.models import Attendance, Meeting
from tests.browser.conftest import assert_accessible
from tests.conftest import account, login_with_second_factor
from tests.meetings.conftest import build_council

pytestmark = pytest.mark.usefixtures("transactional_db")


def _logged_in(browser: Any, live_server: Any) -> Any:
    user = account("ratsbuero", "Sitzungsdienst", staff=True)
    client = login_with_second_factor(Client(), user)
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin", base_url=live_server.url)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def _plan(page: Any, organization: str, day: dt.date) -> Meeting:
    page.goto("/verwaltung/sitzungen/")
    assert_accessible(page)
    page.get_by_label("Gremium").select_option(label=organization)
    page.get_by_label("Datum (bei einer Reihe: erster Termin)").fill(f"{day:%Y-%m-%d}")
    page.get_by_label("Uhrzeit").fill("18:00")
    page.get_by_role("button", name="Planen").click()
    page.wait_for_url(re.compile(r"/verwaltung/sitzungen/\d+/$"))
    return Meeting.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


def _compose_and_invite(page: Any, reference: str) -> None:
    assert_accessible(page)
    page.get_by_label(re.compile(reference)).check()
    page.get_by_role("button", name="Auf die Tagesordnung setzen").click()
    page.get_by_role("button", name="Einladung versenden").click()
    page.get_by_text("Einladung versandt").first.wait_for()


def _autosaved(page: Any, change: Any, text: str | re.Pattern[str] = "gespeichert") -> None:
    """Make a change and wait until the autosave script reports it stored."""
    page.evaluate("document.getElementById('autosave-status').textContent = ''")
    change()
    page.locator("#autosave-status").filter(has_text=text).wait_for()
    # "Wird gespeichert …" matches too, and entries queue: wait until the script has sent every entry.
    page.wait_for_function(
        "() => Object.keys(localStorage).filter(k => k.startsWith('ratsinfo-autosave:'))"
        ".every(k => localStorage.getItem(k) === '[]')"
    )


def _record(page: Any, meeting: Meeting, people: list[Any], item_label: str, result: str, votes: tuple[int, int, int] | None) -> None:
    page.goto(f"/verwaltung/sitzungen/{meeting.pk}/protokoll/")
    assert_accessible(page)
    for person in people:
        _autosaved(page, lambda p=person: page.locator(f"#id_a{p.pk}-status").select_option("anwesend"),
                   f"Anwesenheit von {person.name} gespeichert")
    fieldset = page.get_by_role("group", name=re.compile(item_label))
    _autosaved(page, lambda: fieldset.get_by_label("Ergebnis").select_option(result))
    if votes:
        for field, value in zip(("yes", "no", "abstain"), votes, strict=True):
            box = fieldset.locator(f"input[name$='-{field}']")
            _autosaved(page, lambda b=box, v=value: (b.fill(str(v)), b.press("Tab")), re.compile(r"gespeichert|Stimmen"))
    page.get_by_role("button", name="Sitzung abschließen und Niederschrift erzeugen").click()
    page.get_by_text("Sitzung abgeschlossen").first.wait_for()


def test_a_whole_meeting_cycle(browser: Any, live_server: Any) -> None:
    body = Body.objects.create(name="Gemeinde Großenkneten", short_name="Großenkneten")
    council = build_council(body)
    page = _logged_in(browser, live_server)
    today = timezone.localdate()

    jos = _plan(page, "Jugend-, Ordnungs- und Sozialausschuss", today + dt.timedelta(days=14))
    _compose_and_invite(page, "BV/0240/2021-2026")
    _record(page, jos, council.members, "Antrag auf Erstellung", "mehrheitlich beschlossen", (7, 2, 0))
    assert Attendance.objects.filter(meeting=jos, status="anwesend").count() == 9
    item = jos.agenda_items.get(consultation__paper=council.paper)
    assert (item.result, item.votes_yes, item.votes_no, item.votes_abstain) == ("mehrheitlich beschlossen", 7, 2, 0)

    va = _plan(page, "Verwaltungsausschuss", today + dt.timedelta(days=21))
    _compose_and_invite(page, "BV/0240/2021-2026")
    _record(page, va, council.va_members, "Antrag auf Erstellung", "ungeändert beschlossen", None)

    following = _plan(page, "Jugend-, Ordnungs- und Sozialausschuss", today + dt.timedelta(days=42))
    page.get_by_role("button", name="Einladung versenden").click()
    page.goto(f"/verwaltung/sitzungen/{following.pk}/protokoll/")
    fieldset = page.get_by_role("group", name=re.compile("Genehmigung der Niederschrift"))
    fieldset.get_by_label("Ergebnis").select_option("einstimmig beschlossen")
    fieldset.get_by_role("button", name="Ergebnis speichern").click()
    page.goto(f"/verwaltung/sitzungen/{following.pk}/")
    page.get_by_role("button", name=re.compile("Genehmigte Niederschrift")).click()
    page.get_by_text("veröffentlicht").first.wait_for()

    citizen = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    citizen.goto(council.paper.get_absolute_url())
    assert_accessible(citizen)
    assert "mehrheitlich beschlossen" in citizen.content() and "Ja 7" in citizen.content()
    citizen.goto(jos.get_absolute_url())
    assert citizen.get_by_role("link", name=re.compile("Niederschrift")).count() >= 1
