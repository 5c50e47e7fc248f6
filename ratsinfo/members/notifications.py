"""E-mail notifications of members: new Einladung/Nachtrag, new documents, new Vorlagen in followed Gremien.

Each mail is built from `visible_to(viewer_for(user))` of its recipient, so it never names anything
outside their audience. Single mails go out on every run; the daily digest once a day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from ratsinfo.bodies.access import viewer_for
from ratsinfo.files.models import File, FileRole
from ratsinfo.lib.access import Viewer
from ratsinfo.meetings.models import Meeting
from ratsinfo.members.models import MemberSettings
from ratsinfo.members.queries import my_files
from ratsinfo.members.services import mail_address, person_of
from ratsinfo.papers.models import Paper

DIGEST_EVERY = dt.timedelta(hours=23)
MAX_LINES = 50


@dataclass(frozen=True)
class Notice:
    subject: str
    line: str


def notices_for(found: MemberSettings, viewer: Viewer, since: dt.datetime, until: dt.datetime) -> list[Notice]:
    notices: list[Notice] = []
    window = Q(created__gt=since, created__lte=until)
    mine = Meeting.objects.nonpublic_audience_of(viewer).values("pk")
    files = File.objects.visible_to(viewer).filter(window).select_related("meeting", "paper").order_by("created", "pk")
    if found.notify_invitations:
        for file in files.filter(meeting__in=mine, role=FileRole.INVITATION)[:MAX_LINES]:
            meeting = file.meeting
            assert meeting is not None
            kind = "Nachtrag" if "nachtrag" in f"{file.name} {file.file_name}".lower() else "Einladung"
            notices.append(Notice(f"{kind}: {meeting.name}", f"{kind} zur {meeting.name} ({_day(meeting.start)})"))
    if found.notify_documents:
        documents = my_files(viewer).filter(window).exclude(role=FileRole.INVITATION).order_by("created", "pk")
        for file in documents[:MAX_LINES]:
            where = file.paper.reference or file.paper.name if file.paper else file.meeting.name if file.meeting else ""
            notices.append(Notice(f"Neues Dokument: {file}", f"Neues Dokument „{file}“ ({where})"))
    if found.notify_papers:
        followed = found.followed.values("pk")
        papers = (
            Paper.objects.visible_to(viewer)
            .filter(window, consultations__organization__in=followed)
            .distinct()
            .order_by("created", "pk")
        )
        for paper in papers[:MAX_LINES]:
            notices.append(Notice(f"Neue Vorlage: {paper}", f"Neue Vorlage {paper}"))
    return notices


def _day(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y, %H:%M} Uhr" if moment else "Termin offen"


@transaction.atomic
def send_member_notifications(now: dt.datetime | None = None) -> int:
    """Send what is due; returns the number of mails sent."""
    now = now or timezone.now()
    sent = 0
    for found in MemberSettings.objects.select_for_update().select_related("user").filter(user__is_active=True):
        if found.digest and now - found.notified_until < DIGEST_EVERY:
            continue
        person = person_of(found.user)
        address = mail_address(person) if person is not None else found.user.email
        notices = notices_for(found, viewer_for(found.user), found.notified_until, now) if address else []
        found.notified_until = now
        found.save(update_fields=["notified_until"])
        if not notices:
            continue
        greeting = f"Guten Tag {person.name if person else found.user.get_username()},\n\n"
        footer = "\n\nDie Unterlagen finden Sie unter Mein Ratsinfo. Benachrichtigungen ändern Sie dort unter Einstellungen.\n"
        if found.digest:
            body = greeting + "neu seit gestern:\n\n" + "\n".join(f"– {n.line}" for n in notices) + footer
            send_mail(f"Mein Ratsinfo: {len(notices)} Neuigkeiten", body, None, [address])
            sent += 1
            continue
        for notice in notices:
            send_mail(notice.subject, greeting + notice.line + "." + footer, None, [address])
            sent += 1
    return sent


@task()
def send_member_notifications_task() -> int:
    return send_member_notifications()
