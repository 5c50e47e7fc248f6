"""Workflows of the Maßnahmenplan: record a decision, create and compare Fortschreibungen,
the Kosten- und Finanzierungsübersicht and the monitoring report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ratsinfo.measures.models import (
    DecisionKind,
    FundingSource,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Measure,
    MeasureDecision,
    MeasureFunding,
    MeasureStatus,
    Plan,
    PlanEdition,
    Priority,
)
from ratsinfo.meetings.models import AgendaItem


class DecisionError(ValueError):
    """A decision that cannot be recorded, with a German message for the user."""


# ---------------------------------------------------------------------------------------------
# Decisions


def _decision_date(agenda_item: AgendaItem) -> dt.date | None:
    start = agenda_item.start or agenda_item.meeting.start
    if start is None:
        return None
    from django.utils import timezone

    return timezone.localtime(start).date() if timezone.is_aware(start) else start.date()


def _record(plan: Plan, agenda_item: AgendaItem, kind: str, user: Any, **fields: Any) -> MeasureDecision:
    """One decision row: the agenda item that caused it, its date and who recorded it."""
    return MeasureDecision.objects.create(
        plan=plan, agenda_item=agenda_item, kind=kind, decided_on=_decision_date(agenda_item),
        recorded_by=user if getattr(user, "is_authenticated", False) else None, **fields,
    )


def _check_item(plan: Plan, agenda_item: AgendaItem) -> None:
    if agenda_item.deleted or agenda_item.meeting.deleted:
        raise DecisionError("Der Tagesordnungspunkt ist gelöscht.")
    allowed = set(plan.bodies.values_list("pk", flat=True))
    if allowed and not agenda_item.meeting.organizations.filter(pk__in=allowed).exists():
        raise DecisionError("Der Tagesordnungspunkt gehört zu keinem Gremium dieses Maßnahmenplans.")


@transaction.atomic
def create_measure_by_decision(
    plan: Plan, agenda_item: AgendaItem, *, user: Any = None, note: str = "", **fields: Any
) -> Measure:
    """A body takes a new measure into the plan."""
    _check_item(plan, agenda_item)
    partners = fields.pop("partners", [])
    building_measures = fields.pop("building_measures", [])
    fields.setdefault("origin_agenda_item", agenda_item)
    measure = Measure(plan=plan, **fields)
    measure._change_reason = f"aufgenommen durch {agenda_item}"  # type: ignore[attr-defined]
    measure.full_clean(exclude=["plan", "origin_agenda_item"])
    measure.save()
    if partners:
        measure.partners.set(partners)
    if building_measures:
        measure.building_measures.set(building_measures)
    _record(
        plan, agenda_item, DecisionKind.CREATE, user, measure=measure, new_value=measure.get_status_display(), note=note,
    )
    return measure


@transaction.atomic
def change_priority(
    measure: Measure, agenda_item: AgendaItem, priority: int | None, *, user: Any = None, note: str = ""
) -> MeasureDecision:
    if priority is not None and priority not in Priority.values:
        raise DecisionError("Unbekannte Priorität.")
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    _check_item(measure.plan, agenda_item)
    old = measure.priority_label
    measure.priority = priority
    measure._change_reason = f"Priorität: Beschluss {agenda_item}"  # type: ignore[attr-defined]
    measure.save()
    return _record(
        measure.plan, agenda_item, DecisionKind.PRIORITY, user, measure=measure, old_value=old, new_value=measure.priority_label, note=note,
    )


@transaction.atomic
def change_status(
    measure: Measure, agenda_item: AgendaItem, status: str, *, user: Any = None, note: str = ""
) -> MeasureDecision:
    if status not in MeasureStatus.values:
        raise DecisionError("Unbekannter Status.")
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    _check_item(measure.plan, agenda_item)
    old = measure.get_status_display()
    measure.status = status
    measure._change_reason = f"Status: Beschluss {agenda_item}"  # type: ignore[attr-defined]
    measure.save()
    return _record(
        measure.plan, agenda_item, DecisionKind.STATUS, user, measure=measure, old_value=old, new_value=measure.get_status_display(), note=note,
    )


@transaction.atomic
def remove_measure(measure: Measure, agenda_item: AgendaItem, *, user: Any = None, note: str = "") -> MeasureDecision:
    """A body takes a measure out of the plan (e.g. merged into another); editions keep it."""
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    _check_item(measure.plan, agenda_item)
    measure.deleted = True
    measure._change_reason = "aus dem Plan genommen"  # type: ignore[attr-defined]
    measure.save()
    return _record(
        measure.plan, agenda_item, DecisionKind.REMOVE, user, measure=measure, old_value=str(measure), note=note,
    )


@transaction.atomic
def adopt_plan(
    plan: Plan, agenda_item: AgendaItem, name: str, *, user: Any = None, note: str = "",
    edition_date: dt.date | None = None,
) -> PlanEdition:
    """A body adopts the current plan: creates the Fortschreibung and records the decision."""
    _check_item(plan, agenda_item)
    edition = create_edition(plan, name, edition_date or _decision_date(agenda_item) or dt.date.today(), adopted_by=agenda_item)
    _record(
        plan, agenda_item, DecisionKind.ADOPT, user, edition=edition, new_value=name, note=note,
    )
    return edition


@transaction.atomic
def note_edition(edition: PlanEdition, agenda_item: AgendaItem, *, user: Any = None) -> PlanEdition:
    """A council body takes note of a Fortschreibung (the one later addition to an edition)."""
    if edition.noted_by_id is not None:
        raise DecisionError("Diese Fortschreibung wurde bereits zur Kenntnis genommen.")
    edition.noted_by = agenda_item
    edition.save(update_fields=["noted_by"])
    _record(
        edition.plan, agenda_item, DecisionKind.NOTE, user, edition=edition, new_value=edition.name,
    )
    return edition


# ---------------------------------------------------------------------------------------------
# Editions


def _public_item_label(item: AgendaItem | None, public_item_ids: set[int]) -> str:
    """Only a public agenda item may be named in a snapshot (editions are shown with the plan)."""
    if item is None or item.pk not in public_item_ids:
        return ""
    day = _decision_date(item)
    when = f" am {day:%d.%m.%Y}" if day else ""
    bodies = ", ".join(o.name for o in item.meeting.organizations.all())
    return f"{bodies}{when}, {item}".strip(", ")


def _money(value: Decimal | None) -> str:
    return f"{(value or Decimal('0')):.2f}"


def measure_snapshot(m: Measure, public_item_ids: set[int]) -> dict[str, Any]:
    fundings = sorted(m.fundings.all(), key=lambda f: (f.year, f.source, f.programme))
    indicators = sorted(m.indicators.all(), key=lambda i: (i.kind, i.name))
    origin = m.origin_note or _public_item_label(m.origin_agenda_item, public_item_ids)
    return {
        "id": m.pk,
        "number": m.number,
        "title": m.title,
        "description": m.description,
        "target_group": m.target_group,
        "action_field": m.action_field.name,
        "goal": m.goal.title if m.goal else "",
        "lead_actor": m.lead_actor.name if m.lead_actor else "",
        "partners": sorted(o.name for o in m.partners.all()),
        "building_measures": sorted(str(b) for b in m.building_measures.all()),
        "start_date": m.start_date.isoformat() if m.start_date else "",
        "end_date": m.end_date.isoformat() if m.end_date else "",
        "permanent": m.permanent,
        "period": m.period_label,
        "priority": m.priority_label,
        "status": m.get_status_display(),
        "origin": origin,
        "total_cost": _money(sum((f.amount for f in fundings), Decimal("0"))),
        "fundings": [
            {"source": f.get_source_display(), "programme": f.programme, "year": f.year, "amount": _money(f.amount)}
            for f in fundings
        ],
        "indicators": [
            {
                "kind": i.get_kind_display(), "name": i.name, "unit": i.unit,
                "target": _money(i.target_value) if i.target_value is not None else "",
            }
            for i in indicators
        ],
    }


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The whole plan as plain JSON data: what an edition stores and every export renders."""
    measures = (
        Measure.objects.alive().filter(plan=plan)
        .select_related("action_field", "goal", "lead_actor", "origin_agenda_item__meeting")
        .prefetch_related(
            "partners", "building_measures", "fundings", "indicators", "origin_agenda_item__meeting__organizations"
        )
        .order_by("action_field__order", "number", "pk")
    )
    # Snapshots do not depend on who looks: they name only what the public may see.
    public_item_ids = set(
        AgendaItem.objects.visible_to(None)
        .filter(pk__in=measures.values("origin_agenda_item"))
        .values_list("pk", flat=True)
    )
    area = plan.funding_area
    return {
        "plan": {
            "title": plan.title,
            "description": plan.description,
            "funding_area": area.name,
            "programme": area.programme,
            "area_description": area.description,
            "area_ha": str(area.area_ha) if area.area_ha is not None else "",
            "inhabitants": area.inhabitants,
            "funding_start": area.funding_start.isoformat() if area.funding_start else "",
            "lead_actor": plan.lead_actor.name if plan.lead_actor else "",
        },
        "action_fields": [
            {"name": af.name, "goals": [g.title for g in af.goals.all()]}
            for af in plan.action_fields.prefetch_related("goals")
        ],
        "measures": [measure_snapshot(m, public_item_ids) for m in measures],
    }


# Each edition stores a snapshot of the whole plan: a bound keeps a stuck form or a script from
# filling the database (a plan lives for years with a few editions a year).
MAX_EDITIONS_PER_PLAN = 100
MAX_EDITIONS_PER_DAY = 10


@transaction.atomic
def create_edition(
    plan: Plan, name: str, edition_date: dt.date, *, adopted_by: AgendaItem | None = None
) -> PlanEdition:
    name = name.strip()
    if not name:
        raise DecisionError("Die Fortschreibung braucht eine Bezeichnung.")
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one count at a time per plan
    editions = PlanEdition.objects.filter(plan=plan)
    if editions.count() >= MAX_EDITIONS_PER_PLAN:
        raise DecisionError(f"Ein Plan kann höchstens {MAX_EDITIONS_PER_PLAN} Fortschreibungen haben.")
    if editions.filter(created__gte=timezone.now() - dt.timedelta(days=1)).count() >= MAX_EDITIONS_PER_DAY:
        raise DecisionError(f"Heute wurden schon {MAX_EDITIONS_PER_DAY} Fortschreibungen angelegt; bitte morgen weiter.")
    if PlanEdition.objects.filter(plan=plan, name=name).exists():
        raise DecisionError(f"Eine Fortschreibung „{name}“ gibt es in diesem Plan schon.")
    # Without a deciding item the edition is a draft: not in force until `adopt_draft_edition`.
    return PlanEdition.objects.create(
        plan=plan, name=name, edition_date=edition_date, snapshot=plan_snapshot(plan), adopted_by=adopted_by,
        is_draft=adopted_by is None,
    )


@transaction.atomic
def adopt_draft_edition(
    edition: PlanEdition, agenda_item: AgendaItem, *, user: Any = None, note: str = ""
) -> PlanEdition:
    """A body of the plan adopts a draft Fortschreibung as it was drafted: it is in force from now on."""
    edition = PlanEdition.objects.select_for_update().select_related("plan").get(pk=edition.pk)
    if not edition.is_draft:
        raise DecisionError("Diese Fortschreibung ist bereits beschlossen.")
    _check_item(edition.plan, agenda_item)
    edition.adopted_by = agenda_item
    edition.is_draft = False
    edition.save(update_fields=["adopted_by", "is_draft"])
    _record(edition.plan, agenda_item, DecisionKind.ADOPT, user, edition=edition, new_value=edition.name, note=note)
    return edition


COUNCIL_KINDS = ("rat", "verwaltungsausschuss", "fachausschuss", "ortsrat")


def decided_by_phrase(item: AgendaItem | None, public_item_ids: set[int] | None = None) -> str:
    """„von der 3. Sozialträgerkonferenz am 08.03.2023“ / „vom Jugend-, Ordnungs- und Sozialausschuss am …“.

    With `public_item_ids`, only a public agenda item is named (exports are public documents).
    """
    if item is None or (public_item_ids is not None and item.pk not in public_item_ids):
        return ""
    day = _decision_date(item)
    when = f" am {day:%d.%m.%Y}" if day else ""
    council = [o for o in item.meeting.organizations.all() if o.kind in COUNCIL_KINDS]
    if council:
        return f"vom {council[0].name}{when}"
    return f"von der {item.meeting.name}{when}"


def edition_facts(edition: PlanEdition | None) -> dict[str, str] | None:
    """Name, date and the public deciding bodies of an edition, as every export prints them."""
    if edition is None:
        return None
    items = [i for i in (edition.adopted_by, edition.noted_by) if i is not None]
    public = set(AgendaItem.objects.visible_to(None).filter(pk__in=[i.pk for i in items]).values_list("pk", flat=True))
    return {
        "name": edition.name,
        "date": edition.edition_date.strftime("%d.%m.%Y"),
        "draft": "ja" if edition.is_draft else "",
        "adopted_by": decided_by_phrase(edition.adopted_by, public),
        "noted_by": decided_by_phrase(edition.noted_by, public),
    }


COMPARED_FIELDS: tuple[tuple[str, str], ...] = (
    ("number", "Nr."),
    ("title", "Titel"),
    ("description", "Beschreibung"),
    ("target_group", "Zielgruppe"),
    ("action_field", "Handlungsfeld"),
    ("goal", "Ziel"),
    ("lead_actor", "Federführung"),
    ("partners", "Partner"),
    ("building_measures", "bauliche Maßnahmen"),
    ("period", "Zeitraum"),
    ("priority", "Priorität"),
    ("status", "Status"),
    ("total_cost", "Kosten gesamt"),
    ("fundings", "Finanzierung"),
    ("indicators", "Indikatoren"),
    ("origin", "Herkunft"),
)


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class MeasureChange:
    measure: dict[str, Any]
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class EditionComparison:
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[MeasureChange]
    unchanged_count: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _display(value: Any) -> str:
    if isinstance(value, list):
        parts = []
        for v in value:
            if isinstance(v, dict):
                parts.append(" ".join(str(x) for x in v.values() if x not in ("", None)))
            else:
                parts.append(str(v))
        return "; ".join(parts)
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return "" if value is None else str(value)


def compare_snapshots(old: dict[str, Any], new: dict[str, Any]) -> EditionComparison:
    """Measures added, removed and changed field by field (identity: the measure's id)."""
    old_by_id = {m["id"]: m for m in old.get("measures", [])}
    new_by_id = {m["id"]: m for m in new.get("measures", [])}
    added = [m for k, m in new_by_id.items() if k not in old_by_id]
    removed = [m for k, m in old_by_id.items() if k not in new_by_id]
    changed: list[MeasureChange] = []
    unchanged = 0
    for key, after in new_by_id.items():
        before = old_by_id.get(key)
        if before is None:
            continue
        diffs = [
            FieldChange(name, label, _display(before.get(name)), _display(after.get(name)))
            for name, label in COMPARED_FIELDS
            if before.get(name) != after.get(name)
        ]
        if diffs:
            changed.append(MeasureChange(after, diffs))
        else:
            unchanged += 1
    return EditionComparison(added, removed, changed, unchanged)


def compare_editions(old: PlanEdition, new: PlanEdition) -> EditionComparison:
    return compare_snapshots(old.snapshot, new.snapshot)


# ---------------------------------------------------------------------------------------------
# Kosten- und Finanzierungsübersicht, monitoring


@dataclass
class CostOverview:
    """Rows carry one amount per funding source, in the order of `sources`."""

    sources: list[tuple[str, str]]
    by_field: list[tuple[str, list[Decimal], Decimal]]
    by_year: list[tuple[int, list[Decimal], Decimal]]
    source_totals: list[Decimal]
    total: Decimal

    def amount(self, source: str) -> Decimal:
        keys = [k for k, _ in self.sources]
        return self.source_totals[keys.index(source)]


def cost_overview(measures: Any) -> CostOverview:
    """Sums of MeasureFunding per Handlungsfeld × source and per year × source (one query)."""
    rows = (
        MeasureFunding.objects.filter(measure__in=measures)
        .values("measure__action_field__name", "measure__action_field__order", "source", "year")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    keys = list(FundingSource.values)
    by_field: dict[tuple[int, str], list[Decimal]] = defaultdict(lambda: [Decimal("0")] * len(keys))
    by_year: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal("0")] * len(keys))
    for r in rows:
        i = keys.index(r["source"])
        by_field[(r["measure__action_field__order"], r["measure__action_field__name"])][i] += r["total"]
        by_year[r["year"]][i] += r["total"]
    source_totals = [sum((v[i] for v in by_field.values()), Decimal("0")) for i in range(len(keys))]
    return CostOverview(
        sources=list(FundingSource.choices),
        by_field=[(name, by_field[(o, name)], sum(by_field[(o, name)], Decimal("0"))) for o, name in sorted(by_field)],
        by_year=[(y, by_year[y], sum(by_year[y], Decimal("0"))) for y in sorted(by_year)],
        source_totals=source_totals,
        total=sum(source_totals, Decimal("0")),
    )


@dataclass
class MonitoringRow:
    measure: Measure
    indicator: Indicator
    target: Decimal | None
    actual: Decimal | None

    @property
    def reached(self) -> bool | None:
        if self.target is None or self.actual is None:
            return None
        return self.actual >= self.target


def monitoring_report(measures: Any, year: int) -> dict[str, list[MonitoringRow]]:
    """Indicators with target and actual value of one year, grouped input/output/context."""
    values = {
        v.indicator_id: v for v in IndicatorValue.objects.filter(indicator__measure__in=measures, year=year)
    }
    report: dict[str, list[MonitoringRow]] = {label: [] for _, label in IndicatorKind.choices}
    indicators = (
        Indicator.objects.filter(measure__in=measures)
        .select_related("measure")
        .order_by("kind", "measure__number", "name")
    )
    for ind in indicators:
        value = values.get(ind.pk)
        target = value.target_value if value and value.target_value is not None else ind.target_value
        report[ind.get_kind_display()].append(MonitoringRow(ind.measure, ind, target, value.actual_value if value else None))
    return report


def monitoring_years(measures: Any) -> list[int]:
    return sorted(
        set(IndicatorValue.objects.filter(indicator__measure__in=measures).values_list("year", flat=True)), reverse=True
    )



# ---------------------------------------------------------------------------------------------
# Akteure


ACTOR_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Gremien des Plans", ("sozialtraegerkonferenz", "arbeitsgruppe", "projektsteuerungsgruppe")),
    ("Institutionen und Träger", ("extern", "sonstige")),
    ("Verwaltung", ("verwaltung", "fachbereich")),
    ("Gremien des Rates", COUNCIL_KINDS),
)


LINKED_ACTOR_KINDS = (*COUNCIL_KINDS, *ACTOR_GROUPS[0][1])  # those with a page of their own in the portal


def plan_actors(plan: Plan, measures: Any) -> list[tuple[str, list[Any]]]:
    """Everyone who works on the plan: its deciding bodies, lead actors and partners of its measures."""
    from django.db.models import Q

    from ratsinfo.bodies.models import Organization

    partner_ids = Measure.partners.through.objects.filter(measure__in=measures).values("organization_id")
    orgs = list(
        Organization.objects.visible_to(None)
        .filter(Q(measure_plans=plan) | Q(led_measures__in=measures) | Q(pk__in=partner_ids) | Q(pk=plan.lead_actor_id))
        .distinct().order_by("name")
    )
    return [(label, [o for o in orgs if o.kind in kinds]) for label, kinds in ACTOR_GROUPS if any(o.kind in kinds for o in orgs)]
