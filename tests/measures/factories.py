"""A small Maßnahmenplan world for the tests: one funding area, a published plan with two
Handlungsfelder, a Sozialträgerkonferenz with one meeting, and a few measures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User

from ratsinfo.bodies.models import Body, Organization, OrganizationKind
from ratsinfo.measures.models import (
    ActionField,
    BuildingMeasure,
    FundingArea,
    FundingSource,
    Goal,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Measure,
    MeasureFunding,
    MeasureStatus,
    Plan,
    Priority,
)
from ratsinfo.meetings.models import AgendaItem, Meeting

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class World:
    body: Body
    area: FundingArea
    plan: Plan
    stk: Organization
    qm: Organization
    caritas: Organization
    wohnen: ActionField
    soziales: ActionField
    goal: Goal
    building: BuildingMeasure
    meeting: Meeting
    items: list[AgendaItem]
    measures: dict[str, Measure] = field(default_factory=dict)


def meeting_with_items(orgs: list[Organization], name: str, day: date, titles: list[str], public: bool = True) -> tuple[Meeting, list[AgendaItem]]:
    meeting = Meeting.objects.create(name=name, start=datetime.combine(day, time(17), tzinfo=BERLIN))
    meeting.organizations.set(orgs)
    items = [
        AgendaItem.objects.create(meeting=meeting, order=i, number=f"{'Ö' if public else 'N'} {i}", name=t, public=public)
        for i, t in enumerate(titles, start=1)
    ]
    return meeting, items


def build_world(body: Body, *, title: str = "Maßnahmenplan Teststadt", published: bool = True, slug: str = "") -> World:
    area = FundingArea.objects.create(body=body, name=f"Fördergebiet {title}", programme="Sozialer Zusammenhalt",
                                      area_ha=Decimal("62"), inhabitants=1825, funding_start=date(2019, 6, 1))
    stk = Organization.objects.create(body=body, name=f"Sozialträgerkonferenz {title}", kind=OrganizationKind.SOZIALTRAEGERKONFERENZ)
    qm = Organization.objects.create(body=body, name=f"Quartiersmanagement {title}", short_name="", kind=OrganizationKind.EXTERN)
    caritas = Organization.objects.create(body=body, name=f"Caritas {title}", kind=OrganizationKind.EXTERN)
    plan = Plan.objects.create(funding_area=area, title=title, slug=slug, published=published, lead_actor=qm)
    plan.bodies.set([stk])
    wohnen = ActionField.objects.create(plan=plan, name="Wohnen", order=1)
    soziales = ActionField.objects.create(plan=plan, name="Soziales", order=2)
    goal = Goal.objects.create(action_field=soziales, title="Integration fördern")
    building = BuildingMeasure.objects.create(funding_area=area, number="B 1", title="Quartierszentrum",
                                              cost=Decimal("100000"), funding_share=Decimal("66666"), start_year=2020, end_year=2022)
    meeting, items = meeting_with_items([stk], f"1. Sozialträgerkonferenz {title}", date(2023, 3, 8),
                                        ["Sachstand", "Priorisierung", "Beschluss des Plans"])
    world = World(body, area, plan, stk, qm, caritas, wohnen, soziales, goal, building, meeting, items)
    world.measures["mieter"] = Measure.objects.create(
        plan=plan, number="W 1", title=f"Mieterberatung {title}", action_field=wohnen, lead_actor=qm,
        status=MeasureStatus.ANGESCHOBEN, priority=Priority.HOCH, start_date=date(2022, 1, 1), end_date=date(2024, 12, 31),
    )
    world.measures["sprachcafe"] = m = Measure.objects.create(
        plan=plan, number="S 1", title=f"Sprachcafé {title}", action_field=soziales, goal=goal, lead_actor=caritas,
        status=MeasureStatus.LAUFEND, priority=Priority.MITTEL, permanent=True,
    )
    m.partners.set([qm])
    m.building_measures.set([building])
    world.measures["integration"] = Measure.objects.create(
        plan=plan, number="S 2", title=f"Integrationskonzept {title}", action_field=soziales, goal=goal,
        status=MeasureStatus.IDEE, priority=None,
    )
    MeasureFunding.objects.create(measure=m, source=FundingSource.STAEDTEBAUFOERDERUNG, year=2022, amount=Decimal("1000"))
    MeasureFunding.objects.create(measure=m, source=FundingSource.EIGENMITTEL, year=2023, amount=Decimal("500.50"))
    MeasureFunding.objects.create(measure=world.measures["mieter"], source=FundingSource.VERFUEGUNGSFONDS, year=2023, amount=Decimal("250"))
    ind = Indicator.objects.create(measure=m, kind=IndicatorKind.OUTPUT, name=f"Teilnehmende {title}", unit="Personen", target_value=Decimal("60"))
    IndicatorValue.objects.create(indicator=ind, year=2023, target_value=Decimal("50"), actual_value=Decimal("57"))
    return world


def editor(username: str = "qm", group: str = "Quartiersmanagement") -> User:
    user = User.objects.create_user(username=username, password="geheim-genug-123")
    user.groups.add(Group.objects.get(name=group))
    return user
