"""A Vorlage made in a real browser, checked with axe-core on every staff page: `sachbearbeitung`
(Fachbereich 2) drafts a Beschlussvorlage with an Anlage and its Beratungsfolge, `kaemmerei` co-signs,
`buergermeister` releases; the number appears. The public does not see it yet: it is published with
its first meeting's agenda, so once `sitzungsdienst` puts it on the JOS agenda and sends the Einladung
the public portal shows the Vorlage with its planned Beratungsfolge."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.usefixtures("transactional_db")
TITLE = "Förderung von Sprachkursen im Quartier Wildeshauser Straße"


@pytest.fixture
def municipality(transactional_db: Any, settings: Any, tmp_path: Any) -> None:
    from ratsinfo.corpus.demo import build_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    build_demo()


def _log_in(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/anmelden/?next=/verwaltung/vorlagen/")
    _field(page, "Benutzername").fill(username)
    _field(page, "Passwort").fill(f"demo-{username}")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/verwaltung/vorlagen/$"))
    assert_accessible(page)
    return page


def _field(page: Any, label: str) -> Any:
    """A form field by its label (required ones say „(Pflichtfeld)“ after it)."""
    return page.get_by_label(re.compile("^" + re.escape(label) + r"( \(Pflichtfeld\))?$"))


def _next_meeting(short_name: str, after: Any = None) -> Any:
    from ratsinfo.meetings.models import Meeting

    meetings = Meeting.objects.filter(organizations__short_name=short_name, cancelled=False, start__gte=after or timezone.now())
    return meetings.order_by("start").first()


def _late(meeting: Any) -> bool:
    from ratsinfo.meetings.publication import is_late
    from ratsinfo.meetings.rules import meeting_rules

    return is_late(meeting, timezone.now(), meeting_rules(meeting).invitation_period_days)


def test_a_vorlage_is_drafted_cosigned_released_and_published(municipality: None, browser: Any, live_server: Any) -> None:
    author = _log_in(browser, live_server, "sachbearbeitung")
    author.get_by_role("link", name="Neue Vorlage").click()
    assert_accessible(author)
    _field(author, "Vorlagenart").select_option("Beschlussvorlage")
    _field(author, "Betreff").fill(TITLE)
    _field(author, "federführender Fachbereich").select_option(label="Fachbereich 2 – Bürgerservice, Ordnung und Soziales")
    _field(author, "Datum").fill(timezone.localdate().isoformat())
    author.get_by_role("button", name="Entwurf anlegen").click()
    author.wait_for_url(re.compile(r"/bearbeiten/$"))
    assert_accessible(author)
    _field(author, "Beschlussvorschlag").fill("Die Verwaltung wird beauftragt, Sprachkurse im Quartier zu fördern.")
    _field(author, "Finanzielle Auswirkungen").fill("12.000 Euro im Haushaltsjahr 2027.")
    author.get_by_role("button", name="Speichern").click()
    author.wait_for_url(re.compile(r"/verwaltung/vorlagen/\d+/$"))
    assert_accessible(author)

    author.get_by_role("link", name="Beratungsfolge bearbeiten").first.click()
    assert_accessible(author)
    jos = _next_meeting("JOS")
    va = _next_meeting("VA", after=jos.start)
    for gremium, role, meeting in (("Jugend-, Ordnungs- und Sozialausschuss", "Vorberatung", jos), ("Verwaltungsausschuss", "Entscheidung", va)):
        _field(author, "Gremium").select_option(label=gremium)
        _field(author, "Zuständigkeit").select_option(role)
        _field(author, "Sitzung").select_option(str(meeting.pk))
        author.get_by_role("button", name="Schritt anfügen").click()
        author.wait_for_url(re.compile(r"/beratungsfolge/$"))
    assert author.locator("ol.steps li").count() == 2
    assert_accessible(author)
    author.get_by_role("link", name="zurück zur Vorlage").click()

    _field(author, "Datei").set_input_files(files=[{"name": "Kostenschätzung.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 Kosten"}])
    _field(author, "Titel der Anlage").fill("Anlage 1 Kostenschätzung")
    author.get_by_role("button", name="Hochladen").click()
    assert author.get_by_text("Anlage hinzugefügt.").is_visible()
    _field(author, "Fachbereich 1 – Zentrale Dienste und Finanzen").check()
    author.get_by_role("button", name="Zur Mitzeichnung senden").click()
    assert author.get_by_text("Zur Mitzeichnung gesandt.").is_visible()
    assert "Freigeben und nummerieren" not in author.content()  # four-eyes: not for the author
    assert_accessible(author)

    cosigner = _log_in(browser, live_server, "kaemmerei")
    cosigner.locator("#liste-mitzeichnen").locator("xpath=..").get_by_role("link", name=TITLE).click()
    assert_accessible(cosigner)
    cosigner.get_by_role("button", name="Mitzeichnen").click()
    assert cosigner.get_by_text("Mitgezeichnet.").is_visible()

    mayor = _log_in(browser, live_server, "buergermeister")
    mayor.locator("#liste-freigabe").locator("xpath=..").get_by_role("link", name=TITLE).click()
    assert_accessible(mayor)
    mayor.get_by_role("button", name="Freigeben und nummerieren").click()
    assert mayor.get_by_text("Freigegeben.").is_visible()
    reference = mayor.locator(".kicker .ref").inner_text()
    assert re.fullmatch(r"BV/\d{4}/\d{4}-\d{4}", reference)
    assert_accessible(mayor)

    citizen = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    address = "/vorlagen/" + reference.replace("/", "-") + "/"
    assert citizen.goto(address).status == 404  # released, not yet published with an agenda
    assert reference not in citizen.goto("/vorlagen/").text()

    office = _log_in(browser, live_server, "sitzungsdienst")
    office.goto(f"/verwaltung/sitzungen/{jos.pk}/")
    assert_accessible(office)
    office.get_by_label(re.compile(re.escape(reference))).check()
    office.get_by_role("button", name="Auf die Tagesordnung setzen").click()
    office.get_by_text("1 Vorlage(n) aufgenommen").first.wait_for()
    assert citizen.goto(address).status == 404  # on the agenda, but the agenda is not out yet
    if _late(jos):
        office.get_by_label(re.compile("Begründung einer verkürzten Ladungsfrist")).fill("Dringlich: Förderfrist endet.")
    office.get_by_role("button", name=re.compile("Einladung versenden|Nachtrag versenden")).click()
    office.get_by_text(re.compile("Einladung versandt")).first.wait_for()

    assert citizen.goto(address).status == 200
    assert citizen.get_by_role("heading", level=1).inner_text() == TITLE
    steps = citizen.locator("ol.timeline").inner_text()
    assert "Jugend-, Ordnungs- und Sozialausschuss" in steps and "Vorberatung" in steps and "Entscheidung" in steps
    assert "Kostenschätzung" in citizen.content()
