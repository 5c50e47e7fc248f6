"""Mein Ratsinfo at /mein-ratsinfo/: the council member's side. Thin views; rules live in services/queries."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from ratsinfo.bodies.access import viewer_of
from ratsinfo.meetings.models import AttendanceReply
from ratsinfo.members import motions, queries, services
from ratsinfo.members.access import member_required
from ratsinfo.members.forms import NoteForm, ReplyForm
from ratsinfo.members.models import Answer, MotionState


@member_required
def start(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    since = services.record_visit(request.user)  # type: ignore[arg-type]
    meetings = queries.next_meetings(viewer)
    drafts = motions.drafts_of(request.user).filter(state=MotionState.ENTWURF)  # type: ignore[arg-type]
    return render(request, "members/start.html", {
        "memberships": queries.my_memberships(viewer), "meetings": meetings, "since": since,
        "documents": queries.new_documents(viewer, since), "waiting": queries.waiting_replies(meetings),
        "drafts": drafts[:10], "roles": request.user.groups.values_list("name", flat=True),
    })  # fmt: skip


@member_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = services.member_meeting(request.user, pk)  # type: ignore[arg-type]
    except services.MembersError as error:
        raise Http404(str(error)) from error
    viewer = viewer_of(request)
    reply = AttendanceReply.objects.filter(meeting=found, person_id=viewer.person_id or 0).first()
    initial = {"answer": Answer.ZUSAGE if reply.attending else Answer.ABSAGE, "note": reply.note} if reply else None
    return render(request, "members/meeting.html", {
        "page": queries.meeting_page(viewer, found), "meeting": found, "reply": reply,
        "reply_form": ReplyForm(initial=initial), "open": queries.is_upcoming(found),
    })  # fmt: skip


@member_required
def reply(request: HttpRequest, pk: int) -> HttpResponseBase:
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        messages.error(request, "Bitte wählen Sie „zusagen“ oder „absagen“.")
        return redirect("members:meeting", pk=pk)
    try:
        saved = services.reply_attendance(request.user, pk, form.cleaned_data["answer"], form.cleaned_data["note"])  # type: ignore[arg-type]
    except services.MembersError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Ihre Rückmeldung ist gespeichert: {'zugesagt' if saved.attending else 'abgesagt'}.")
    return redirect("members:meeting", pk=pk)


@member_required
def note(request: HttpRequest) -> HttpResponseBase:
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        messages.error(request, "Die Notiz konnte nicht gespeichert werden.")
        return redirect("members:start")
    data = form.cleaned_data
    try:
        saved = services.save_note(request.user, data["text"], paper_id=data["paper"], agenda_item_id=data["agenda_item"])  # type: ignore[arg-type]
    except services.MembersError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Ihre Notiz ist gespeichert." if saved else "Ihre Notiz ist gelöscht.")
    target = data["next"]
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("members:start")


@member_required
def notes_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(services.notes_export(request.user), content_type="text/markdown; charset=utf-8")  # type: ignore[arg-type]
    response["Content-Disposition"] = 'attachment; filename="meine-notizen.md"'
    response["Cache-Control"] = "private, no-store"
    return response
