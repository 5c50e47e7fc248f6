"""Background tasks of the meetings workflow: generating the Einladung and Niederschrift PDFs.

Generating never blocks a page: the service marks the document pending and enqueues; `ratsinfo worker`
(or, in tests, the immediate backend) runs the task, which stores the PDF and clears the mark.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ratsinfo.files.models import File, FileRole
from ratsinfo.files.services import attach_file
from ratsinfo.meetings.documents import render_invitation, render_minutes
from ratsinfo.meetings.models import Meeting, MeetingWorkflow

INVITATION_NAMES = {True: "Einladung", False: "Einladung (mit nichtöffentlichem Teil)"}
MINUTES_NAMES = {True: "Niederschrift (öffentlicher Teil)", False: "Niederschrift (vollständig, mit nichtöffentlichem Teil)"}


def _store(meeting: Meeting, role: str, public: bool, name: str, data: bytes, file_name: str, *, visible: bool) -> File:
    org = meeting.organizations.select_related("body").order_by("pk").first()
    if org is None:
        raise ValueError("Sitzung ohne Gremium")
    file = (
        File.objects.filter(meeting=meeting, role=role, name=name, deleted=False).first()
        or File(body=org.body, meeting=meeting, role=role, name=name, order=1 if public else 2)
    )
    file.public = visible
    file.mime_type = "application/pdf"
    file.date = timezone.localdate()
    return attach_file(file, [data], file_name=file_name)


def _label(meeting: Meeting) -> str:
    org = meeting.organizations.order_by("pk").first()
    day = f"{timezone.localtime(meeting.start):%Y-%m-%d}" if meeting.start else str(meeting.pk)
    return f"{org.short_name or org.name if org else 'Sitzung'} {day}"


@task()
def generate_invitation(meeting_id: int) -> None:
    with transaction.atomic():
        meeting = Meeting.objects.select_related("location").get(pk=meeting_id)
        label = _label(meeting)
        if meeting.public:
            _store(meeting, FileRole.INVITATION, True, INVITATION_NAMES[True], render_invitation(meeting),
                   f"Einladung {label}.pdf", visible=True)
        if meeting.agenda_items.alive().filter(public=False).exists():
            _store(meeting, FileRole.INVITATION, False, INVITATION_NAMES[False], render_invitation(meeting, "members"),
                   f"Einladung {label} vollständig.pdf", visible=False)
        MeetingWorkflow.objects.filter(meeting=meeting).update(invitation_pending=False)


@task()
def generate_minutes(meeting_id: int) -> None:
    with transaction.atomic():
        meeting = Meeting.objects.select_related("location").get(pk=meeting_id)
        workflow = MeetingWorkflow.objects.get(meeting=meeting)
        label = _label(meeting)
        published = workflow.minutes_published_at is not None
        if meeting.agenda_items.alive().filter(public=True).exists():
            _store(meeting, FileRole.RESULTS_PROTOCOL, True, MINUTES_NAMES[True], render_minutes(meeting, "public"),
                   f"Niederschrift {label}.pdf", visible=published)
        _store(meeting, FileRole.RESULTS_PROTOCOL, False, MINUTES_NAMES[False], render_minutes(meeting, "members"),
               f"Niederschrift {label} vollständig.pdf", visible=False)
        MeetingWorkflow.objects.filter(meeting=meeting).update(minutes_pending=False)


def finish_pending_documents() -> int:
    """Generate, here and now, every document still marked pending (the demo returns only when done)."""
    done = 0
    for workflow in MeetingWorkflow.objects.filter(invitation_pending=True):
        generate_invitation.call(workflow.meeting_id)
        done += 1
    for workflow in MeetingWorkflow.objects.filter(minutes_pending=True):
        generate_minutes.call(workflow.meeting_id)
        done += 1
    return done
