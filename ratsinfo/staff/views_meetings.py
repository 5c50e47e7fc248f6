"""The Sitzungsdienst's screens at /verwaltung/sitzungen/: planning, agenda, Einladung, the live
recording, Niederschrift, Beschlusskontrolle and Sitzungsgeld. Thin views over the meetings services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ratsinfo.bodies.access import viewer_of
from ratsinfo.bodies.models import Body, Person
from ratsinfo.meetings import planning, publication, recording, reports
from ratsinfo.meetings.access import manageable_organizations
from ratsinfo.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceReply,
    Implementation,
    Meeting,
)
from ratsinfo.meetings.rules import MeetingError, meeting_rules
from ratsinfo.staff import forms_meetings as f
from ratsinfo.staff.access import staff_required

# ---------------------------------------------------------------------------------------------
# Helpers: which meetings a user runs, and one way to answer a POST (page or autosave script).


def _meetings(request: HttpRequest) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(viewer_of(request)).filter(
        organizations__in=manageable_organizations(request.user)
    ).distinct()


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(_meetings(request), pk=pk)


def _members(meeting: Meeting) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=[p.pk for p in publication.recipients(meeting)]).order_by("family_name", "name")


def _answer(request: HttpRequest, meeting: Meeting, step: Callable[[], str], target: str) -> HttpResponseBase:
    """Run a service step; the autosave script gets JSON (with the new version), a form a redirect."""
    wants_json = request.headers.get("X-Autosave") == "1"
    try:
        message = step()
    except MeetingError as exc:
        if wants_json:
            return JsonResponse({"ok": False, "message": str(exc)}, status=409)
        messages.error(request, str(exc))
        return redirect(target)
    version = recording.workflow_of(meeting).version
    if wants_json:
        return JsonResponse({"ok": True, "message": message, "version": version})
    messages.success(request, message)
    return redirect(target)


def _invalid(request: HttpRequest, form: Any, target: str) -> HttpResponseBase:
    text = "Eingabe unvollständig: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
    if request.headers.get("X-Autosave") == "1":
        return JsonResponse({"ok": False, "message": text}, status=400)
    messages.error(request, text)
    return redirect(target)


def _detail_url(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("staff:meeting", kwargs={"pk": meeting.pk})


def _record_url(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("staff:meeting_record", kwargs={"pk": meeting.pk})


# ---------------------------------------------------------------------------------------------
# Planning


@staff_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    organizations = manageable_organizations(request.user)
    if not organizations.exists():
        raise Http404("Seite nicht gefunden")
    form = f.PlanForm(organizations, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            planned = _plan(d)
        except MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{len(planned)} Sitzung(en) geplant.")
            return redirect(_detail_url(planned[0]))
    today = timezone.now() - dt.timedelta(days=60)
    meetings = _meetings(request).filter(start__gte=today).prefetch_related("organizations").select_related("workflow").order_by("start")[:80]
    return render(request, "staff/meetings/list.html", {"form": form, "meetings": meetings})


def _plan(d: dict[str, Any]) -> list[Meeting]:
    if d["last_day"]:
        return planning.plan_series(d["organization"], d["first_day"], d["last_day"], interval_weeks=d["interval_weeks"],
                                    time=d["time"], location=d["location"], skip=d["skip"])
    start = timezone.make_aware(dt.datetime.combine(d["first_day"], d["time"]))
    return [planning.plan_meeting(d["organization"], start, location=d["location"])]


@staff_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    items = meeting.agenda_items.alive().select_related("record", "consultation__paper").order_by("order")
    waiting = planning.waiting_papers(meeting)
    earlier_nonpublic = AgendaItem.objects.visible_to(viewer_of(request)).filter(
        meeting__organizations__in=meeting.organizations.all(), public=False, meeting__start__lt=meeting.start or timezone.now(),
        record__announced_at__isnull=True,
    ).exclude(result="").order_by("-meeting__start", "order")[:50]
    context = {
        "meeting": meeting, "items": items, "rules": meeting_rules(meeting), **publication.document_state(meeting),
        "compose_form": f.ComposeForm(waiting), "item_form": f.ItemForm(), "invitation_form": f.InvitationForm(),
        "move_form": f.MoveForm(), "announce_form": f.AnnounceForm(meeting, earlier_nonpublic),
        "approved_minutes": _approved_unpublished(meeting),
    }
    return render(request, "staff/meetings/detail.html", context)


def _approved_unpublished(meeting: Meeting) -> list[Meeting]:
    approving = meeting.agenda_items.alive().filter(approves_minutes_of__isnull=False)
    return list(Meeting.objects.filter(workflow__minutes_approved_by__in=approving, workflow__minutes_published_at__isnull=True))


@staff_required
@require_POST
def meeting_move(request: HttpRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    form = f.MoveForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, _detail_url(meeting))
    d = form.cleaned_data
    start = timezone.make_aware(dt.datetime.combine(d["day"], d["time"]))
    return _answer(request, meeting, lambda: f"Verlegt auf {d['day']:%d.%m.%Y}." if planning.move_meeting(meeting, start, location=d["location"]) else "", _detail_url(meeting))


@staff_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    return _answer(request, meeting, lambda: "Sitzung abgesagt." if planning.cancel_meeting(meeting) else "", _detail_url(meeting))


# ---------------------------------------------------------------------------------------------
# Agenda and Einladung


@staff_required
@require_POST
def agenda_compose(request: HttpRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    form = f.ComposeForm(planning.waiting_papers(meeting), request.POST)
    if not form.is_valid():
        return _invalid(request, form, _detail_url(meeting))
    return _answer(request, meeting, lambda: f"{len(planning.compose_agenda(meeting, form.chosen()))} Vorlage(n) aufgenommen.", _detail_url(meeting))


@staff_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    form = f.ItemForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, _detail_url(meeting))
    d = form.cleaned_data
    return _answer(request, meeting, lambda: f"{planning.add_item(meeting, d['name'], public=d['public'], sub_item=d['sub_item']).number} aufgenommen.", _detail_url(meeting))


@staff_required
@require_POST
def agenda_item_action(request: HttpRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    form = f.ItemActionForm(meeting, request.POST)
    if not form.is_valid():
        return _invalid(request, form, _detail_url(meeting))
    item, action = form.cleaned_data["item"], form.cleaned_data["action"]

    def step() -> str:
        if action == "remove":
            planning.remove_item(item)
            return f"„{item.name}“ von der Tagesordnung genommen."
        planning.move_item_step(item, -1 if action == "up" else 1)
        return "Reihenfolge geändert."

    return _answer(request, meeting, step, _detail_url(meeting))


@staff_required
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    form = f.InvitationForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, _detail_url(meeting))
    reason = form.cleaned_data["late_reason"]
    return _answer(request, meeting, lambda: "Einladung versandt; das PDF wird erzeugt." if publication.send_invitation(meeting, late_reason=reason) else "", _detail_url(meeting))


# ---------------------------------------------------------------------------------------------
# Live recording


@staff_required
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    members = _members(meeting)
    attendance = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    version = recording.workflow_of(meeting).version
    excused = set(AttendanceReply.objects.filter(meeting=meeting, attending=False).values_list("person_id", flat=True))
    rows = [(p, f.AttendanceForm(members, initial=_attendance_initial(p, attendance.get(p.pk), version, p.pk in excused), prefix=f"a{p.pk}")) for p in members]
    items = list(meeting.agenda_items.alive().select_related("record", "consultation__paper").prefetch_related("exclusions").order_by("order"))
    item_forms = [(i, f.ResultForm(meeting, members, initial=_result_initial(i, version), prefix=f"i{i.pk}")) for i in items]
    context = {
        "meeting": meeting, "rows": rows, "item_forms": item_forms, "version": version, "rules": meeting_rules(meeting),
        "quorum_form": f.QuorumForm(initial={"version": version}, prefix="q"), "postpone_form": f.PostponeForm(meeting, initial={"version": version}, prefix="p"),
        "workflow": recording.workflow_of(meeting),
    }
    for item in items:  # „geändert beschlossen“ is shown as a diff against the recommendation
        record = getattr(item, "record", None)
        item.diff = recording.resolution_diff(record.recommendation, item.resolution_text) if record and item.result == "geändert beschlossen" else []  # type: ignore[attr-defined]
    return render(request, "staff/meetings/record.html", context)


def _attendance_initial(person: Person, a: Attendance | None, version: int, excused: bool) -> dict[str, Any]:
    base = {"person": person.pk, "version": version}
    if a is None:  # a cancellation in Mein Ratsinfo is offered as „entschuldigt“
        return {**base, "status": "entschuldigt" if excused else ""}
    return {**base, "status": a.status, "arrived": a.arrived, "left": a.left, "represents": a.represents_id, "chair": a.chair}


def _result_initial(item: AgendaItem, version: int) -> dict[str, Any]:
    record = getattr(item, "record", None)
    return {
        "item": item.pk, "version": version, "result": item.result, "yes": item.votes_yes, "no": item.votes_no,
        "abstain": item.votes_abstain, "excluded": [e.person_id for e in item.exclusions.all()],
        "majority_rule": record.majority_rule if record else "einfach",
        "requires_action": record.requires_action if record else False,
        "resolution_text": item.resolution_text or (record.recommendation if record else ""),
    }


@staff_required
@require_POST
def record_attendance(request: HttpRequest, pk: int, person_pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    form = f.AttendanceForm(_members(meeting), request.POST, prefix=f"a{person_pk}")
    if not form.is_valid() or form.cleaned_data["person"].pk != person_pk:
        return _invalid(request, form, _record_url(meeting))
    d = form.cleaned_data
    step = lambda: f"Anwesenheit von {d['person']} gespeichert." if recording.record_attendance(  # noqa: E731
        meeting, d["person"], d["status"], arrived=d["arrived"], left=d["left"], represents=d["represents"],
        chair=d["chair"], version=d["version"]) else ""
    return _answer(request, meeting, step, _record_url(meeting))


@staff_required
@require_POST
def record_quorum(request: HttpRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    form = f.QuorumForm(request.POST, prefix="q")
    if not form.is_valid():
        return _invalid(request, form, _record_url(meeting))
    d = form.cleaned_data
    action = recording.state_quorum if d["action"] == "state" else recording.dispute_quorum
    return _answer(request, meeting, lambda: f"Beschlussfähigkeit: {action(meeting, at=d['at'], version=d['version']).get_quorum_display()}.", _record_url(meeting))


@staff_required
@require_POST
def record_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    form = f.ResultForm(meeting, _members(meeting), request.POST, prefix=f"i{item_pk}")
    if not form.is_valid() or form.cleaned_data["item"].pk != item_pk or not form.cleaned_data["result"]:
        return _invalid(request, form, _record_url(meeting))
    d = form.cleaned_data

    def step() -> str:
        outcome = recording.record_result(
            d["item"], d["result"], yes=d["yes"], no=d["no"], abstain=d["abstain"], resolution_text=d["resolution_text"],
            excluded=d["excluded"], majority_rule=d["majority_rule"], requires_action=d["requires_action"], at=d["at"],
            version=d["version"],
        )
        return " ".join([f"{d['item'].number}: {d['result']} gespeichert.", *outcome.warnings])

    return _answer(request, meeting, step, _record_url(meeting) + f"#top-{item_pk}")


@staff_required
@require_POST
def record_postpone(request: HttpRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    form = f.PostponeForm(meeting, request.POST, prefix="p")
    if not form.is_valid():
        return _invalid(request, form, _record_url(meeting))
    d = form.cleaned_data
    return _answer(request, meeting, lambda: f"Vertagt in die {recording.postpone_item(d['item'], d['to_meeting'], version=d['version']).meeting}.", _record_url(meeting))


@staff_required
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    return _answer(request, meeting, lambda: "Sitzung abgeschlossen; die Niederschrift wird erzeugt." if publication.close_meeting(meeting, end=timezone.now() if meeting.start and meeting.start < timezone.now() else None) else "", _detail_url(meeting))


# ---------------------------------------------------------------------------------------------
# Niederschrift and Bekanntgabe


@staff_required
@require_POST
def minutes_publish(request: HttpRequest, pk: int, approved_pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    approved = _meeting(request, approved_pk)
    return _answer(request, meeting, lambda: f"Niederschrift der {approved} veröffentlicht." if publication.publish_minutes(approved) else "", _detail_url(meeting))


@staff_required
@require_POST
def announce(request: HttpRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    earlier = AgendaItem.objects.visible_to(viewer_of(request)).filter(meeting__in=_meetings(request), public=False)
    form = f.AnnounceForm(meeting, earlier, request.POST)
    if not form.is_valid():
        return _invalid(request, form, _detail_url(meeting))
    d = form.cleaned_data
    return _answer(request, meeting, lambda: f"{len(d['items'])} Beschluss/Beschlüsse bekanntgegeben." if publication.announce_results(d["announcing"], d["items"]) else "", _detail_url(meeting))


# ---------------------------------------------------------------------------------------------
# Beschlusskontrolle and Sitzungsgeld


def _body(request: HttpRequest) -> Body:
    body = Body.objects.alive().order_by("pk").first()
    if body is None or not manageable_organizations(request.user).exists():
        raise Http404("Seite nicht gefunden")
    return body


def _implementations(request: HttpRequest) -> QuerySet[Implementation]:
    """Decisions of the meetings this user runs, as far as they may see them."""
    visible = AgendaItem.objects.visible_to(viewer_of(request)).filter(meeting__in=_meetings(request))
    return Implementation.objects.filter(item__in=visible)


@staff_required
def control_list(request: HttpRequest) -> HttpResponseBase:
    body = _body(request)
    form = f.ControlFilterForm(request.GET or None)
    implementations = _implementations(request).select_related("item__meeting", "department").prefetch_related("notes")
    if form.is_valid() and form.cleaned_data["overdue"]:
        implementations = implementations.filter(pk__in=reports.overdue().values("pk"))
    if form.is_valid() and form.cleaned_data["format"] == "pdf":
        return _download(reports.implementation_report(body, implementations), "application/pdf", "Beschlusskontrolle.pdf")
    rows = [(i, f.ImplementationForm(initial={"department": i.department_id, "due_date": i.due_date, "state": i.state}, prefix=f"b{i.pk}")) for i in implementations]
    return render(request, "staff/meetings/control.html", {"form": form, "rows": rows, "today": timezone.localdate()})


@staff_required
@require_POST
def control_update(request: HttpRequest, pk: int) -> HttpResponseBase:
    _body(request)
    implementation = get_object_or_404(_implementations(request), pk=pk)
    form = f.ImplementationForm(request.POST, prefix=f"b{pk}")
    if form.is_valid():
        d = form.cleaned_data
        reports.update_implementation(implementation, department=d["department"], due_date=d["due_date"], state=d["state"], note=d["note"], user=request.user)
        messages.success(request, "Beschlusskontrolle gespeichert.")
    else:
        messages.error(request, "Eingabe unvollständig.")
    return redirect("staff:meeting_control")


@staff_required
def allowance_list(request: HttpRequest) -> HttpResponseBase:
    body = _body(request)
    form = f.PeriodForm(request.GET or None)
    lines = reports.allowances(body, form.cleaned_data["start"], form.cleaned_data["end"]) if form.is_valid() and form.cleaned_data["start"] <= form.cleaned_data["end"] else []
    fmt = form.cleaned_data.get("format") if form.is_valid() else ""
    rows = reports.allowance_rows(lines)
    if fmt == "csv":
        return _download(reports.table_csv(reports.ALLOWANCE_COLUMNS, rows).encode("utf-8-sig"), "text/csv; charset=utf-8", "Sitzungsgeld.csv")
    if fmt == "pdf":
        period = f"Zeitraum {form.cleaned_data['start']:%d.%m.%Y} bis {form.cleaned_data['end']:%d.%m.%Y}"
        return _download(reports.table_pdf("Sitzungsgeld", body.name, reports.ALLOWANCE_COLUMNS, rows, period), "application/pdf", "Sitzungsgeld.pdf")
    return render(request, "staff/meetings/allowance.html", {"form": form, "rows": rows, "columns": reports.ALLOWANCE_COLUMNS})


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
