"""The Ahlhorn demo plan as the seed tells it."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from ratsinfo.bodies.models import Body, Organization, OrganizationKind
from ratsinfo.measures import services
from ratsinfo.measures.demo import PLAN_SLUG, build_measures_demo
from ratsinfo.measures.models import DecisionKind, Measure, MeasureDecision, MeasureStatus, Priority
from ratsinfo.meetings.models import AgendaItem


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
    # The committee's TOP on the plan is placed and numbered by the planning service: in the public
    # part (before any non-public item), numbered like its neighbours, published as on the sent agenda.
    note = e2023.noted_by
    agenda = list(note.meeting.agenda_items.alive().order_by("order"))
    assert note.number.startswith("Ö ") and not any(not i.public for i in agenda[: agenda.index(note)])
    assert len({i.number for i in agenda}) == len(agenda)
    assert AgendaItem.objects.visible_to(None).filter(pk=note.pk).exists()
    diff = services.compare_editions(e2023, e2024)
    assert diff.added and diff.removed and diff.changed
    assert services.compare_snapshots(e2024.snapshot, services.plan_snapshot(plan)).changed  # later state differs

    page = citizen_client.get(reverse("measures:plan", args=[PLAN_SLUG])).content.decode()
    assert "Integrationskonzept für die Gemeinde" in page
    assert citizen_client.get(integration.get_absolute_url()).status_code == 200


def test_the_committee_takes_note_in_a_top_placed_by_the_planning_service(body: Body) -> None:
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from ratsinfo.meetings.planning import add_item, plan_meeting

    jos = Organization.objects.create(body=body, name="Jugend-, Ordnungs- und Sozialausschuss", short_name="JOS",
                                      kind=OrganizationKind.FACHAUSSCHUSS)
    meeting = plan_meeting(jos, datetime.combine(date(2023, 4, 20), time(18), tzinfo=ZoneInfo("Europe/Berlin")))
    add_item(meeting, "Grundstücksangelegenheit", public=False)
    plan = build_measures_demo(body)
    note = plan.editions.get(name="Fortschreibung 2023").noted_by
    assert note is not None and note.meeting == meeting
    names = [i.name for i in meeting.agenda_items.alive().order_by("order")]
    # Before the closing fixed items of the public part, after the opening ones; numbers stay unique.
    assert names.index(note.name) == names.index("Mitteilungen") - 1
    assert note.number == f"Ö {names.index(note.name) + 1}"
    assert AgendaItem.objects.visible_to(None).filter(pk=note.pk).exists()
