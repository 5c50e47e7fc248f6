"""A Quartiersmanagerin records a decision of the Sozialträgerkonferenz that raises a measure's
priority; the public plan shows it. axe-core checks the plan, board, measure and form pages."""

from __future__ import annotations

import re
from base64 import b32decode
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django_otp.oath import totp

from ratsinfo.bodies.models import Body, Organization, OrganizationKind
from ratsinfo.measures.demo import PLAN_SLUG, build_measures_demo
from ratsinfo.measures.models import Measure, MeasureDecision, Priority
from tests.browser.conftest import assert_accessible
from tests.measures.factories import meeting_with_items

pytestmark = pytest.mark.usefixtures("transactional_db")

MEASURE = "Aktion „Sauberes Quartier“"


@pytest.fixture
def ahlhorn(transactional_db: Any) -> Measure:
    body = Body.objects.create(name="Gemeinde Großenkneten", short_name="Großenkneten")
    build_measures_demo(body)
    user = User.objects.create_user("logemann", password="quartier-geheim-2024", first_name="Katrin", last_name="Logemann")
    user.groups.add(Group.objects.get(name="Quartiersmanagement"))
    stk = Organization.objects.get(body=body, kind=OrganizationKind.SOZIALTRAEGERKONFERENZ)
    meeting_with_items([stk], "5. Sozialträgerkonferenz", date(2025, 3, 12), ["Sachstand", "Priorisierung Sauberkeit im Quartier"])
    measure = Measure.objects.get(plan__slug=PLAN_SLUG, title=MEASURE)
    assert measure.priority == Priority.NIEDRIG
    return measure


def test_quartiersmanagerin_raises_priority_and_the_public_plan_shows_it(ahlhorn: Measure, page: Any, browser: Any, live_server: Any) -> None:
    # Public plan first: accessible, the measure is "niedrig".
    page.goto(f"/massnahmen/{PLAN_SLUG}/")
    assert_accessible(page)
    row = page.locator(f"#massnahme-{ahlhorn.pk}")
    assert row.locator("td[data-priority]").inner_text() == "niedrig"
    page.goto(f"/massnahmen/{PLAN_SLUG}/tafel/")
    assert_accessible(page)

    # Log in as the Quartiersmanagerin.
    page.goto(f"/anmelden/?next=/massnahmen/{PLAN_SLUG}/massnahme/{ahlhorn.pk}/")
    page.get_by_label("Benutzername").fill("logemann")
    page.get_by_label("Passwort").fill("quartier-geheim-2024")
    page.get_by_role("button", name="Anmelden").click()
    # Quartiersmanagement is a staff role: the first login sets up the authenticator app.
    page.wait_for_url(re.compile(r"/konto/zwei-faktor/einrichten/"))
    assert_accessible(page)
    secret = page.locator(".otp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Bestätigen").click()
    assert_accessible(page)
    page.get_by_role("link", name="Weiter", exact=True).click()
    page.wait_for_url(re.compile(rf"/massnahme/{ahlhorn.pk}/$"))
    assert_accessible(page)

    page.get_by_role("link", name="Beschluss zu dieser Maßnahme erfassen").click()
    page.wait_for_url(re.compile(r"/beschluss/"))
    assert_accessible(page)
    page.get_by_label("Tagesordnungspunkt").select_option(label="5. Sozialträgerkonferenz – Ö 2 Priorisierung Sauberkeit im Quartier")
    page.get_by_label("Beschluss", exact=True).select_option(label="Priorität ändern")
    assert page.get_by_label("Maßnahme", exact=True).evaluate("el => el.selectedOptions[0].text").endswith(MEASURE)
    page.get_by_label("neue Priorität").select_option(label="hoch")
    page.get_by_label("Vermerk").fill("Beschwerden über Müll an der Wildeshauser Straße")
    page.get_by_role("button", name="Beschluss speichern").click()
    page.wait_for_url(re.compile(rf"/massnahme/{ahlhorn.pk}/$"))
    assert page.locator("#prioritaet").inner_text() == "hoch"

    decision = MeasureDecision.objects.get(measure=ahlhorn, agenda_item__meeting__name="5. Sozialträgerkonferenz")
    assert (decision.old_value, decision.new_value, decision.recorded_by.username) == ("niedrig", "hoch", "logemann")

    # A citizen (fresh browser context, not logged in) sees the new priority and the decision.
    citizen = browser.new_context(locale="de-DE", base_url=live_server.url)
    public = citizen.new_page()
    public.goto(f"/massnahmen/{PLAN_SLUG}/?prioritaet=1")
    assert public.locator(f"#massnahme-{ahlhorn.pk} td[data-priority]").inner_text() == "hoch"
    assert public.get_by_role("link", name="Beschluss erfassen").count() == 0
    public.goto(f"/massnahmen/{PLAN_SLUG}/massnahme/{ahlhorn.pk}/")
    decisions = public.locator("ol.decisions").inner_text()
    assert "5. Sozialträgerkonferenz" in decisions and "niedrig → hoch" in decisions
    assert_accessible(public)
    # The other public views of the plan are accessible too.
    for path in ("kosten/", "monitoring/", "fortschreibungen/", "fortschreibungen/vergleich/"):
        public.goto(f"/massnahmen/{PLAN_SLUG}/{path}")
        assert public.get_by_role("heading", level=1).count() == 1
        assert_accessible(public)
    public.get_by_role("link", name="Fortschreibungen", exact=True).click()
    public.get_by_role("link", name="Fortschreibung 2023").click()
    assert "08.03.2023" in public.locator("main").inner_text()
    assert_accessible(public)
    citizen.close()

    # The editing pages of the Quartiersmanagerin.
    for path in ("massnahme/neu/", "import/", "fortschreibungen/neu/"):
        page.goto(f"/massnahmen/{PLAN_SLUG}/{path}")
        assert_accessible(page)
