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
    ItemKind,
    Meeting,
)
from ratsinfo.meetings.rules import MeetingError, meeting_rules
from ratsinfo.staff import forms_meetings as f
from ratsinfo.staff.access import staff_required, the_body

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


def _post(
    request: HttpRequest, pk: int, make_form: Callable[[Meeting, Any], Any], step: Callable[[Meeting, dict[str, Any]], str],
    target: Callable[[Meeting], str], anchor: str = "",
) -> HttpResponseBase:
    """The one POST handler of these screens: the meeting the user runs, the form checked at the boundary,
    the service step run and answered (JSON for the autosave script, a redirect for a plain form)."""
    meeting = _meeting(request, pk)
    form = make_form(meeting, request.POST)
    url = target(meeting) + anchor
    if not form.is_valid():
        return _invalid(request, form, url)
    return _answer(request, meeting, lambda: step(meeting, form.cleaned_data), url)


def _only(form: Any, field: str, pk: int) -> Any:
    """The row named in the URL is the only one the form accepts (e.g. /top/<item>/ posts that item)."""
    form.fields[field].queryset = form.fields[field].queryset.filter(pk=pk)
    return form


def _item_post(
    request: HttpRequest, pk: int, item_pk: int, make_form: Callable[[Meeting, Any, str], Any], prefix: str,
    step: Callable[[Meeting, dict[str, Any]], str],
) -> HttpResponseBase:
    """A POST about one agenda item (result, election, own vote): its form accepts that item only."""
    form = lambda m, data: _only(make_form(m, data, f"{prefix}{item_pk}"), "item", item_pk)  # noqa: E731
    return _post(request, pk, form, step, _record_url, f"#top-{item_pk}")


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
    return _post(request, pk, lambda m, data: f.MoveForm(data), _move, _detail_url)


def _move(meeting: Meeting, d: dict[str, Any]) -> str:
    planning.move_meeting(meeting, timezone.make_aware(dt.datetime.combine(d["day"], d["time"])), location=d["location"])
    return f"Verlegt auf {d['day']:%d.%m.%Y}."


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
    return _post(request, pk, lambda m, data: f.ComposeForm(planning.waiting_papers(m), data), _compose, _detail_url)


def _compose(meeting: Meeting, d: dict[str, Any]) -> str:
    return f"{len(planning.compose_agenda(meeting, d['chosen']))} Vorlage(n) aufgenommen."


@staff_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _post(request, pk, lambda m, data: f.ItemForm(data), _add_item, _detail_url)


def _add_item(meeting: Meeting, d: dict[str, Any]) -> str:
    kind = ItemKind.ELECTION if d["election"] else ItemKind.REGULAR
    return f"{planning.add_item(meeting, d['name'], public=d['public'], sub_item=d['sub_item'], kind=kind).number} aufgenommen."


@staff_required
@require_POST
def agenda_item_action(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _post(request, pk, lambda m, data: f.ItemActionForm(m, data), _item_action, _detail_url)


def _item_action(meeting: Meeting, d: dict[str, Any]) -> str:
    item, action = d["item"], d["action"]
    if action == "remove":
        planning.remove_item(item)
        return f"„{item.name}“ von der Tagesordnung genommen."
    planning.move_item_step(item, -1 if action == "up" else 1)
    return "Reihenfolge geändert."


@staff_required
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _post(request, pk, lambda m, data: f.InvitationForm(data), _invite, _detail_url)


def _invite(meeting: Meeting, d: dict[str, Any]) -> str:
    publication.send_invitation(meeting, late_reason=d["late_reason"])
    return "Einladung versandt; das PDF wird erzeugt."


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
    items = list(meeting.agenda_items.alive().select_related("record", "consultation__paper").prefetch_related("exclusions", "recorded_votes__person").order_by("order"))
    context = {
        "meeting": meeting, "rows": rows, "item_forms": [_item_forms(meeting, i, members, version) for i in items],
        "version": version, "rules": meeting_rules(meeting),
        "quorum_form": f.QuorumForm(initial={"version": version}, prefix="q"), "postpone_form": f.PostponeForm(meeting, initial={"version": version}, prefix="p"),
        "workflow": recording.workflow_of(meeting),
    }
    return render(request, "staff/meetings/record.html", context)


def _item_forms(meeting: Meeting, item: AgendaItem, members: QuerySet[Person], version: int) -> dict[str, Any]:
    """Per item: the result form (an election's form for a § 67 item) and the § 68 own-vote form."""
    record = getattr(item, "record", None)
    election = record is not None and record.kind == ItemKind.ELECTION
    form = (f.ElectionForm(meeting, initial=_election_initial(item, version), prefix=f"w{item.pk}") if election
            else f.ResultForm(meeting, members, initial=_result_initial(item, version), prefix=f"i{item.pk}"))
    own_vote = f.OwnVoteForm(meeting, members, initial={"item": item.pk, "version": version}, prefix=f"s{item.pk}")
    secret = election and (record.election or {}).get("method") == "geheim"  # type: ignore[union-attr]
    # „geändert beschlossen“ is shown as a diff against the recommendation
    diff = recording.resolution_diff(record.recommendation, item.resolution_text) if record and item.result == "geändert beschlossen" else []
    return {"item": item, "form": form, "election": election, "own_vote": None if secret else own_vote, "diff": diff}


def _election_initial(item: AgendaItem, version: int) -> dict[str, Any]:
    """The recorded round; after a first round without result the second round, same candidates."""
    record = getattr(item, "record", None)
    election = (record.election if record is not None else None) or {}
    rounds = election.get("rounds") or []
    initial: dict[str, Any] = {"item": item.pk, "version": version, "method": election.get("method", "stimmzettel")}
    if not rounds:
        return initial
    last = rounds[-1]
    second_due = len(rounds) == 1 and not last["elected"]
    initial.update({"round_number": 2 if second_due else last["round"]})
    if not second_due:
        initial.update({"no": last.get("no"), "abstain": last.get("abstain"), "invalid": last.get("invalid"),
                        "lot_winner": last["elected"] if last.get("by_lot") else ""})
    for row, (name, count) in enumerate(last["votes"].items(), start=1):
        initial[f"candidate_{row}"] = name
        initial[f"votes_{row}"] = None if second_due else count
    return initial


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
    form = lambda m, data: _only(f.AttendanceForm(_members(m), data, prefix=f"a{person_pk}"), "person", person_pk)  # noqa: E731
    return _post(request, pk, form, _attendance, _record_url)


def _attendance(meeting: Meeting, d: dict[str, Any]) -> str:
    recording.record_attendance(meeting, d["person"], d["status"], arrived=d["arrived"], left=d["left"],
                                represents=d["represents"], chair=d["chair"], version=d["version"])
    return f"Anwesenheit von {d['person']} gespeichert."


@staff_required
@require_POST
def record_quorum(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _post(request, pk, lambda m, data: f.QuorumForm(data, prefix="q"), _quorum, _record_url)


def _quorum(meeting: Meeting, d: dict[str, Any]) -> str:
    action = recording.state_quorum if d["action"] == "state" else recording.dispute_quorum
    return f"Beschlussfähigkeit: {action(meeting, at=d['at'], version=d['version']).get_quorum_display()}."


@staff_required
@require_POST
def record_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponseBase:
    return _item_post(request, pk, item_pk, lambda m, data, p: f.ResultForm(m, _members(m), data, prefix=p), "i", _result)


def _result(meeting: Meeting, d: dict[str, Any]) -> str:
    outcome = recording.record_result(
        d["item"], d["result"], yes=d["yes"], no=d["no"], abstain=d["abstain"], resolution_text=d["resolution_text"],
        excluded=d["excluded"], majority_rule=d["majority_rule"], requires_action=d["requires_action"], at=d["at"],
        version=d["version"],
    )
    return " ".join([f"{d['item'].number}: {d['result']} gespeichert.", *outcome.warnings])


@staff_required
@require_POST
def record_election(request: HttpRequest, pk: int, item_pk: int) -> HttpResponseBase:
    return _item_post(request, pk, item_pk, lambda m, data, p: f.ElectionForm(m, data, prefix=p), "w", _election)


def _election(meeting: Meeting, d: dict[str, Any]) -> str:
    election = recording.record_election(
        d["item"], d["candidates"], method=d["method"], objection=d["objection"], secret_demanded=d["secret_demanded"],
        round_number=d["round_number"], lot_winner=d["lot_winner"], no=d["no"] or 0, abstain=d["abstain"] or 0,
        invalid=d["invalid"] or 0, version=d["version"],
    )
    outcome = f"gewählt ist {election['elected']}" if election["elected"] else "ein zweiter Wahlgang ist erforderlich"
    return f"{d['item'].number}: {election['round']}. Wahlgang gespeichert, {outcome}."


@staff_required
@require_POST
def record_own_vote(request: HttpRequest, pk: int, item_pk: int) -> HttpResponseBase:
    return _item_post(request, pk, item_pk, lambda m, data, p: f.OwnVoteForm(m, _members(m), data, prefix=p), "s", _own_vote)


def _own_vote(meeting: Meeting, d: dict[str, Any]) -> str:
    if d["vote"] == f.OwnVoteForm.REMOVE:
        recording.remove_own_vote(d["item"], d["person"], version=d["version"])
        return f"Festgehaltene Stimme von {d['person']} entfernt."
    recorded = recording.record_own_vote(d["item"], d["person"], d["vote"], version=d["version"])
    return f"Auf Wunsch festgehalten: {d['person']} stimmte {recorded.get_vote_display()}."


@staff_required
@require_POST
def record_postpone(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _post(request, pk, lambda m, data: f.PostponeForm(m, data, prefix="p"), _postpone, _record_url)


def _postpone(meeting: Meeting, d: dict[str, Any]) -> str:
    return f"Vertagt in die {recording.postpone_item(d['item'], d['to_meeting'], version=d['version']).meeting}."


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
    earlier = AgendaItem.objects.visible_to(viewer_of(request)).filter(meeting__in=_meetings(request), public=False)
    return _post(request, pk, lambda m, data: f.AnnounceForm(m, earlier, data), _announce, _detail_url)


def _announce(meeting: Meeting, d: dict[str, Any]) -> str:
    publication.announce_results(d["announcing"], d["items"])
    return f"{len(d['items'])} Beschluss/Beschlüsse bekanntgegeben."


# ---------------------------------------------------------------------------------------------
# Beschlusskontrolle and Sitzungsgeld


def _body(request: HttpRequest) -> Body:
    if not manageable_organizations(request.user).exists():
        raise Http404("Seite nicht gefunden")
    return the_body()


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
