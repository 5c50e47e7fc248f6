"""Pages of the Maßnahmenplan under /massnahmen/. Views stay thin: every plan is found through
`Plan.objects.visible_to(viewer_of(request))` and everything else hangs on the plan found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from ratsinfo.bodies.access import viewer_of
from ratsinfo.measures import exports, imports, maps, services
from ratsinfo.measures.forms import (
    AdoptDraftForm,
    CompareQuery,
    DecisionForm,
    DecisionQuery,
    EditionForm,
    FilterForm,
    ImportForm,
    MeasureForm,
    MonitoringQuery,
)
from ratsinfo.measures.imports import import_measures
from ratsinfo.measures.models import (
    Measure,
    MeasureDecision,
    MeasureStatus,
    Plan,
    PlanEdition,
    can_edit_measures,
)
from ratsinfo.meetings.models import AgendaItem, AgendaItemResult
from ratsinfo.meetings.recording import MeetingError, record_result


def _plan(request: HttpRequest, slug: str) -> Plan:
    return get_object_or_404(
        Plan.objects.visible_to(viewer_of(request)).select_related(
            "funding_area__body", "lead_actor", "basis_agenda_item__meeting"
        ),
        slug=slug,
    )


def _require_editor(request: HttpRequest) -> HttpResponseBase | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_edit_measures(request.user):
        raise PermissionDenied("Nur Quartiersmanagement und Verwaltung bearbeiten den Maßnahmenplan.")
    return None


def _base_context(request: HttpRequest, plan: Plan, **extra: Any) -> dict[str, Any]:
    return {"plan": plan, "can_edit": can_edit_measures(request.user), **extra}


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.visible_to(viewer_of(request)).select_related("funding_area").order_by("title")
    return render(request, "measures/plan_list.html", {"plans": plans, "can_edit": can_edit_measures(request.user)})


def _filtered_measures(request: HttpRequest, plan: Plan) -> tuple[FilterForm, Any]:
    form = FilterForm(plan, request.GET or None)
    measures = Measure.objects.visible_to(viewer_of(request)).filter(plan=plan).for_table()
    return form, form.apply(measures)


def _in_force(request: HttpRequest, plan: Plan) -> PlanEdition | None:
    """The edition in force: the newest adopted one (drafts never count, for anyone)."""
    return (
        PlanEdition.objects.visible_to(viewer_of(request)).filter(plan=plan).in_force()
        .select_related("adopted_by__meeting", "noted_by__meeting")
        .prefetch_related("adopted_by__meeting__organizations", "noted_by__meeting__organizations")
        .first()
    )


def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan(request, slug)
    form, measures = _filtered_measures(request, plan)
    in_force = _in_force(request, plan)
    drafts = PlanEdition.objects.visible_to(viewer_of(request)).filter(plan=plan, is_draft=True)
    facts = services.edition_facts(in_force)
    return render(
        request, "measures/plan_detail.html",
        _base_context(request, plan, filter_form=form, measures=list(measures), in_force=in_force,
                      in_force_label=facts["adopted_by"] if facts else "", drafts=list(drafts),
                      basis_label=_item_label(request, plan.basis_agenda_item),
                      basis_meeting=plan.basis_agenda_item.meeting if plan.basis_agenda_item else None,
                      map_points=maps.measure_points(plan)),
    )


def plan_board(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan(request, slug)
    form, measures = _filtered_measures(request, plan)
    by_status: dict[str, list[Measure]] = {value: [] for value in MeasureStatus.values}
    for m in measures:
        by_status[m.status].append(m)
    columns = [(value, label, by_status[value]) for value, label in MeasureStatus.choices]
    return render(
        request, "measures/plan_board.html",
        _base_context(request, plan, filter_form=form, columns=columns),
    )


HISTORY_FIELDS = {
    "number": "Nr.", "title": "Titel", "description": "Beschreibung", "target_group": "Zielgruppe",
    "start_date": "Beginn", "end_date": "Ende", "permanent": "Daueraufgabe", "priority": "Priorität",
    "status": "Status", "action_field": "Handlungsfeld", "goal": "Ziel", "lead_actor": "Federführung",
    "partners": "Partner", "building_measures": "bauliche Maßnahmen", "origin_note": "Herkunft",
}
SHOWN_VALUES = {"number", "title", "target_group", "start_date", "end_date", "permanent", "priority", "status"}


M2M_TARGETS = {"partners": "organization_id", "building_measures": "buildingmeasure_id"}


# Which decision kind explains a history record (a decision row is written in the same transaction).
_DECISION_FOR_CHANGE = {"priority": "priority", "status": "status", "deleted": "remove"}
_SAME_TRANSACTION = dt.timedelta(seconds=10)


def _decision_for(record: Any, kinds: set[str], decisions: list[MeasureDecision]) -> MeasureDecision | None:
    for d in decisions:
        if d.kind in kinds and abs(d.recorded_at - record.history_date) <= _SAME_TRANSACTION:
            decisions.remove(d)  # each decision explains one change
            return d
    return None


def _history(measure: Measure, decisions: list[MeasureDecision]) -> list[dict[str, Any]]:
    """Field changes from simple_history, each with the (visible) decision that made it, else the
    date it was entered; values only for plain fields (never an agenda item).

    A fixed number of queries: the newest 31 states, plus one query per m2m field for all of them.
    """
    records = list(measure.history.all().order_by("-history_date", "-history_id")[:31])[::-1]
    if not records:
        return []
    unused = list(decisions)
    m2m: dict[str, dict[int, set[int]]] = {}
    for name, target in M2M_TARGETS.items():
        through = getattr(records[0], name).model
        sets: dict[int, set[int]] = {r.history_id: set() for r in records}
        for history_id, target_id in through.objects.filter(history__in=[r.history_id for r in records]).values_list(
            "history_id", target
        ):
            sets[history_id].add(target_id)
        m2m[name] = sets
    plain = [f for f in HISTORY_FIELDS if f not in M2M_TARGETS]
    out = []
    for previous, record in zip([None, *records], records, strict=False):
        if previous is None:
            if record.history_type == "+":
                decision = _decision_for(record, {"create"}, unused)
                out.append({"date": record.history_date, "label": "aufgenommen", "changes": [], "decision": decision,
                            "origin": measure.origin_note})
            continue
        delta = record.diff_against(previous, included_fields=[*plain, "deleted"])
        changes = []
        for change in delta.changes:
            if change.field == "deleted":
                changes.append({"field": "Plan", "old": "", "new": "herausgenommen" if change.new else "wieder aufgenommen"})
            elif change.field in SHOWN_VALUES:
                old = _history_value(record, change.field, change.old)
                new = _history_value(record, change.field, change.new)
                changes.append({"field": HISTORY_FIELDS[change.field], "old": old, "new": new})
            else:
                changes.append({"field": HISTORY_FIELDS[change.field], "old": "", "new": "geändert"})
        for name in M2M_TARGETS:
            if m2m[name][record.history_id] != m2m[name][previous.history_id]:
                changes.append({"field": HISTORY_FIELDS[name], "old": "", "new": "geändert"})
        if changes:
            kinds = {_DECISION_FOR_CHANGE[c.field] for c in delta.changes if c.field in _DECISION_FOR_CHANGE}
            decision = _decision_for(record, kinds, unused) if kinds else None
            out.append({"date": record.history_date, "label": "geändert", "changes": changes, "decision": decision})
    out.reverse()
    return out


def _history_value(record: Any, field: str, value: Any) -> str:
    if value in (None, ""):
        return "offen" if field == "priority" else "–"
    if field == "priority":
        from ratsinfo.measures.models import Priority

        return str(Priority(value).label)
    if field == "status":
        return str(MeasureStatus(value).label)
    if field == "permanent":
        return "ja" if value else "nein"
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def measure_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = _plan(request, slug)
    measure = get_object_or_404(
        Measure.objects.visible_to(viewer_of(request))
        .filter(plan=plan)
        .select_related("action_field", "goal", "lead_actor", "location")
        .prefetch_related("partners", "building_measures", "fundings", "indicators__values"),
        pk=pk,
    )
    decisions = list(
        MeasureDecision.objects.visible_to(viewer_of(request))
        .filter(measure=measure)
        .select_related("agenda_item__meeting")
        .prefetch_related("agenda_item__meeting__organizations")
        .order_by("decided_on", "pk")
    )
    origin_visible = measure.origin_agenda_item_id is not None and _visible_agenda_item(
        request, measure.origin_agenda_item_id
    )
    return render(
        request, "measures/measure_detail.html",
        _base_context(
            request, plan, measure=measure, decisions=decisions, history=_history(measure, decisions),
            map_points=maps.measure_points(plan, measure),
            origin_item=measure.origin_agenda_item if origin_visible else None,
        ),
    )


def _visible_agenda_item(request: HttpRequest, pk: int) -> bool:
    from ratsinfo.meetings.models import AgendaItem

    return AgendaItem.objects.visible_to(viewer_of(request)).filter(pk=pk).exists()


@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponseBase:
    if (denied := _require_editor(request)) is not None:
        return denied
    plan = _plan(request, slug)
    instance = get_object_or_404(Measure.objects.visible_to(viewer_of(request)).filter(plan=plan), pk=pk) if pk else None
    form = MeasureForm(plan, request.POST or None, instance=instance, viewer=viewer_of(request))
    if request.method == "POST" and form.is_valid():
        measure = form.save(commit=False)
        measure.plan = plan
        if instance is None:
            measure.priority = int(form.cleaned_data["priority"]) if form.cleaned_data.get("priority") else None
            measure.status = form.cleaned_data["status"]
        with transaction.atomic():
            origin = form.cleaned_data.get("origin_item")
            if origin is not None:
                fields = {f: getattr(measure, f) for f in form.Meta.fields if f not in {"partners", "building_measures"}}
                measure = services.create_measure_by_decision(
                    plan, origin, user=request.user, priority=measure.priority, status=measure.status,
                    partners=form.cleaned_data["partners"], building_measures=form.cleaned_data["building_measures"],
                    **fields,
                )
            else:
                measure._change_reason = "bearbeitet" if instance else "angelegt"  # type: ignore[attr-defined]
                measure.save()
                form.save_m2m()
        messages.success(request, f"Maßnahme „{measure.title}“ gespeichert.")
        return redirect(measure.get_absolute_url())
    return render(request, "measures/measure_form.html", _base_context(request, plan, form=form, measure=instance))


@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, slug: str) -> HttpResponseBase:
    if (denied := _require_editor(request)) is not None:
        return denied
    plan = _plan(request, slug)
    initial = {"measure": DecisionQuery(request.GET).value("massnahme")}
    form = DecisionForm(plan, viewer_of(request), request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                item = form.resolved_agenda_item()
                effect, targets = _decision_effect(plan, data, request.user)
                # One way to record a body's results: the decision is an effect of the recording service.
                record_result(item, data["result"] or item.result or AgendaItemResult.EINSTIMMIG, yes=item.votes_yes,
                              no=item.votes_no, abstain=item.votes_abstain, effects=[effect])
        except (services.DecisionError, MeetingError, ValidationError) as exc:
            form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"Beschluss erfasst ({item}).")
            return redirect(targets[0] if targets else plan.get_absolute_url())
    return render(request, "measures/decision_form.html", _base_context(request, plan, form=form))


def _decision_effect(plan: Plan, data: dict[str, Any], user: Any) -> tuple[Callable[[AgendaItem], None], list[str]]:
    """The Maßnahmenplan's consequence of a decision, run inside the recording; `targets` gets the page to show."""
    targets: list[str] = []

    def effect(item: AgendaItem) -> None:
        kind, note = data["kind"], data["note"]
        if kind == "priority":
            services.change_priority(data["measure"], item, int(data["priority"]) if data.get("priority") else None, user=user, note=note)
            targets.append(data["measure"].get_absolute_url())
        elif kind == "status":
            services.change_status(data["measure"], item, data["status"], user=user, note=note)
            targets.append(data["measure"].get_absolute_url())
        elif kind == "remove":
            services.remove_measure(data["measure"], item, user=user, note=note)
        elif kind == "note":
            targets.append(services.note_edition(data["edition"], item, user=user).get_absolute_url())
        else:
            targets.append(services.adopt_plan(plan, item, data["edition_name"], user=user, note=note).get_absolute_url())

    return effect, targets


def costs(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan(request, slug)
    measures = Measure.objects.visible_to(viewer_of(request)).filter(plan=plan)
    overview = services.cost_overview(measures)
    buildings = plan.funding_area.building_measures.alive().order_by("number")
    return render(request, "measures/costs.html", _base_context(request, plan, overview=overview, buildings=buildings))


def monitoring(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan(request, slug)
    measures = Measure.objects.visible_to(viewer_of(request)).filter(plan=plan)
    years = services.monitoring_years(measures)
    year = MonitoringQuery(request.GET).value("jahr") or (years[0] if years else timezone.localdate().year - 1)
    report = services.monitoring_report(measures, year)
    return render(
        request, "measures/monitoring.html", _base_context(request, plan, report=report, year=year, years=years)
    )


def edition_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan(request, slug)
    editions = list(
        PlanEdition.objects.visible_to(viewer_of(request)).filter(plan=plan).select_related("adopted_by__meeting", "noted_by__meeting")
    )
    return render(
        request, "measures/edition_list.html",
        _base_context(request, plan, editions=editions, in_force=_in_force(request, plan)),
    )


def _edition(request: HttpRequest, plan: Plan, pk: int) -> PlanEdition:
    return get_object_or_404(PlanEdition.objects.visible_to(viewer_of(request)).filter(plan=plan), pk=pk)


def _item_label(request: HttpRequest, item: Any) -> str:
    """An agenda item's label, only if the user may see it."""
    if item is None or not _visible_agenda_item(request, item.pk):
        return ""
    start = item.meeting.start
    when = f" am {timezone.localtime(start):%d.%m.%Y}" if start else ""
    return f"{item.meeting.name}{when}, {item}"


def edition_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = _plan(request, slug)
    edition = _edition(request, plan, pk)
    return render(
        request, "measures/edition_detail.html",
        _base_context(
            request, plan, edition=edition, measures=edition.measures,
            adopt_form=AdoptDraftForm(plan, viewer_of(request)) if edition.is_draft else None,
            adopted_by=_item_label(request, edition.adopted_by), noted_by=_item_label(request, edition.noted_by),
        ),
    )


def edition_compare(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan(request, slug)
    editions = list(PlanEdition.objects.visible_to(viewer_of(request)).filter(plan=plan).order_by("edition_date", "pk"))
    comparison = old = new = None
    current_label = "aktueller Stand"
    query = CompareQuery(request.GET)
    if query.errors:
        raise Http404("Diese Fortschreibung gibt es nicht.")
    a, b = query.value("alt"), query.value("neu")
    if a and b:
        old = _edition(request, plan, a)
        if b == "aktuell":
            new_snapshot = services.plan_snapshot(plan)
            comparison = services.compare_snapshots(old.snapshot, new_snapshot)
            new = None
        else:
            new = _edition(request, plan, b)
            comparison = services.compare_editions(old, new)
    elif len(editions) >= 2:
        old, new = editions[-2], editions[-1]
        comparison = services.compare_editions(old, new)
    return render(
        request, "measures/edition_compare.html",
        _base_context(request, plan, editions=editions, comparison=comparison, old=old, new=new,
                      current_label=current_label),
    )


@require_http_methods(["GET", "POST"])
def edition_create(request: HttpRequest, slug: str) -> HttpResponseBase:
    if (denied := _require_editor(request)) is not None:
        return denied
    plan = _plan(request, slug)
    form = EditionForm(request.POST or None, initial={"edition_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.create_edition(plan, form.cleaned_data["name"], form.cleaned_data["edition_date"])
        except services.DecisionError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"{edition.name} angelegt.")
            return redirect(edition.get_absolute_url())
    return render(request, "measures/edition_form.html", _base_context(request, plan, form=form))


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _export(snapshot: dict[str, Any], fmt: str, *, title: str, file_stem: str, body: Any,
            edition: dict[str, str] | None = None, in_force: dict[str, str] | None = None) -> HttpResponse:
    if fmt == "pdf":
        data = exports.pdf_bytes(
            snapshot, doc_title=title, author=body.name, edition=edition, in_force=in_force,
            letterhead=exports.letterhead(body),
        )
    elif fmt == "csv":
        data = exports.csv_bytes(snapshot)
    else:
        data = exports.xlsx_bytes(snapshot, edition=edition or in_force)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{file_stem}.{fmt}"'
    return response


def plan_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    plan = _plan(request, slug)
    snapshot = services.plan_snapshot(plan)
    return _export(
        snapshot, fmt, title=f"{plan.title} – aktueller Stand", file_stem=plan.slug,
        body=plan.funding_area.body, in_force=services.edition_facts(_in_force(request, plan)),
    )


def edition_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    plan = _plan(request, slug)
    edition = _edition(request, plan, pk)
    return _export(
        edition.snapshot, fmt, title=f"{plan.title} – {edition.name}",
        file_stem=f"{plan.slug}-{slugify(edition.name)}", body=plan.funding_area.body,
        edition=services.edition_facts(edition),
    )


@require_http_methods(["GET", "POST"])
def measure_import(request: HttpRequest, slug: str) -> HttpResponseBase:
    if (denied := _require_editor(request)) is not None:
        return denied
    plan = _plan(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:  # before reading it at all
            form.add_error("file", imports.TOO_BIG)
        else:
            report = import_measures(plan, upload.name, upload.read(), user=request.user)
            if report.ok:
                messages.success(request, f"{len(report.created)} Maßnahmen importiert.")
                return redirect(plan.get_absolute_url())
    return render(request, "measures/import.html", _base_context(request, plan, form=form, report=report))


@require_http_methods(["POST"])
def edition_adopt(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """A body of the plan adopts a draft edition (a new function beside the decision form)."""
    if (denied := _require_editor(request)) is not None:
        return denied
    plan = _plan(request, slug)
    edition = _edition(request, plan, pk)
    form = AdoptDraftForm(plan, viewer_of(request), request.POST)
    if form.is_valid():
        try:
            services.adopt_draft_edition(edition, form.cleaned_data["agenda_item"], user=request.user,
                                         note=form.cleaned_data["note"])
        except services.DecisionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{edition.name} beschlossen; sie ist jetzt die geltende Fortschreibung.")
    else:
        messages.error(request, "Bitte den Tagesordnungspunkt wählen, der die Fortschreibung beschlossen hat.")
    return redirect(edition.get_absolute_url())


def actors(request: HttpRequest, slug: str) -> HttpResponse:
    """Akteure of the plan: its bodies and the institutions that lead or join measures."""
    plan = _plan(request, slug)
    groups = services.plan_actors(plan, Measure.objects.visible_to(viewer_of(request)).filter(plan=plan))
    return render(request, "measures/actors.html", _base_context(request, plan, groups=groups, linked_kinds=services.LINKED_ACTOR_KINDS))
