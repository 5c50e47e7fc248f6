"""The Sitzungsmappe of a meeting for the logged-in member: status page, PDF and ZIP download."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ratsinfo.bodies.access import viewer_of
from ratsinfo.files.downloads import content_disposition
from ratsinfo.meetings.models import Meeting
from ratsinfo.members.access import member_required
from ratsinfo.members.mappe import Entry, plan_for, request_bundle, stamped_pdf, zip_bytes
from ratsinfo.members.models import Bundle
from ratsinfo.members.services import MembersError, member_meeting, person_of


def _plan(request: HttpRequest, pk: int) -> tuple[Meeting, list[Entry]]:
    try:
        meeting = member_meeting(request.user, pk)  # type: ignore[arg-type]
    except MembersError as error:
        raise Http404(str(error)) from error
    return meeting, plan_for(viewer_of(request), meeting)


def _member_name(request: HttpRequest) -> str:
    person = person_of(request.user)  # type: ignore[arg-type]
    return person.name if person is not None else request.user.get_username()


@member_required
def mappe(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, entries = _plan(request, pk)
    bundle = request_bundle(meeting, entries)
    return render(request, "members/mappe.html", {"meeting": meeting, "entries": entries, "bundle": bundle})


def _download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    meeting, entries = _plan(request, pk)
    bundle: Bundle | None = request_bundle(meeting, entries)
    if bundle is None:
        return render(request, "members/mappe.html", {"meeting": meeting, "entries": entries, "bundle": None}, status=202)
    name = _member_name(request)
    data = stamped_pdf(bundle, name) if kind == "pdf" else zip_bytes(bundle, name)
    response = HttpResponse(data, content_type="application/pdf" if kind == "pdf" else "application/zip")
    day = f"{meeting.start:%Y-%m-%d} " if meeting.start else ""
    response["Content-Disposition"] = content_disposition("attachment", f"Sitzungsmappe {day}{meeting.name}.{kind}")
    response["Cache-Control"] = "private, no-store"
    return response


@member_required
def mappe_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "pdf")


@member_required
def mappe_zip(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "zip")
