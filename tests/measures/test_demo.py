"""The Ahlhorn demo plan as the seed tells it."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from ratsinfo.bodies.models import Body, Organization, OrganizationKind
from ratsinfo.measures import services
from ratsinfo.measures.demo import PLAN_SLUG, build_measures_demo
from ratsinfo.measures.models import DecisionKind, Measure, MeasureDecision, MeasureStatus, Priority


def test_demo_plan_tells_the_ahlhorn_story(body: Body, citizen_client: Client) -> None:
    plan = build_measures_demo(body)
    assert plan.funding_area.name == "Quartier Wildeshauser Straße" and plan.funding_area.inhabitants == 1825
    assert [f.name for f in plan.action_fields.all()] == ["Wohnen", "Soziales", "Freizeit und Kultur", "Gesundheit und Sicherheit"]
    assert 15 <= Measure.objects.alive().filter(plan=plan).count() <= 20
    kinds = set(Organization.objects.filter(body=body).values_list("kind", flat=True))
    assert {OrganizationKind.SOZIALTRAEGERKONFERENZ, OrganizationKind.ARBEITSGRUPPE, OrganizationKind.PROJEKTSTEUERUNGSGRUPPE} <= kinds
    stk = Organization.objects.get(kind=OrganizationKind.SOZIALTRAEGERKONFERENZ, body=body)
    assert [m.start.date() for m in stk.meetings.order_by("start")][:3] == [date(2021, 11, 3), date(2022, 5, 24), date(2023, 3, 8)]
    assert stk.memberships.count() >= 5

    integration = Measure.objects.get(plan=plan, title="Integrationskonzept für die Gemeinde")
    history = list(MeasureDecision.objects.filter(measure=integration).order_by("decided_on", "pk"))
    assert history[0].kind == DecisionKind.CREATE and history[0].decided_on == date(2022, 10, 6)
    assert (history[1].kind, history[1].new_value, history[1].decided_on) == (DecisionKind.PRIORITY, "mittel", date(2023, 3, 8))
    assert integration.priority == Priority.HOCH and integration.status == MeasureStatus.ANGESCHOBEN

    e2024, e2023 = plan.editions.all()
    assert (e2023.name, e2023.edition_date, e2023.adopted_by.meeting.name) == ("Fortschreibung 2023", date(2023, 3, 8), "3. Sozialträgerkonferenz")
    assert e2023.noted_by is not None
    diff = services.compare_editions(e2023, e2024)
    assert diff.added and diff.removed and diff.changed
    assert services.compare_snapshots(e2024.snapshot, services.plan_snapshot(plan)).changed  # later state differs

    page = citizen_client.get(reverse("measures:plan", args=[PLAN_SLUG])).content.decode()
    assert "Integrationskonzept für die Gemeinde" in page
    assert citizen_client.get(integration.get_absolute_url()).status_code == 200
