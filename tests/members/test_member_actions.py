"""The member acts: replies to an invitation, writes notes, sets notifications, subscribes her calendar, files an Antrag."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from ratsinfo.bodies.models import Person
from ratsinfo.files.models import File, FileRole
from ratsinfo.meetings.models import AgendaItem, AttendanceReply
from ratsinfo.members import motions, services
from ratsinfo.members.models import Note
from ratsinfo.members.notifications import send_member_notifications
from ratsinfo.papers.models import Paper, PaperState, PaperType
from tests.conftest import account, join
from tests.members.conftest import (
    Council,
    add_item,
    invite,
    logged_in,
    other_account,
    paper_with_file,
)

# --- Attendance -------------------------------------------------------------------------------


def test_absagen_notifies_the_deputies_of_the_gremium(member: User, council: Council, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    deputy = other_account("vertreter", council)
    join(deputy, council.jos, deputy=True)
    fina_deputy = other_account("fina-vertreter", council)
    join(fina_deputy, council.fina, deputy=True)
    client = logged_in(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mein-ratsinfo/sitzungen/{council.jos_meeting.pk}/rueckmeldung/",
                               {"answer": "absage", "note": "Dienstreise"}, follow=True)
    assert "Ihre Rückmeldung ist gespeichert: abgesagt." in response.content.decode()
    reply = AttendanceReply.objects.get(meeting=council.jos_meeting, person__user=member)
    assert (reply.attending, reply.note) == (False, "Dienstreise")
    assert [m.to for m in mail.outbox] == [["vertreter@example.org"]]
    assert "Ratsfrau" in mail.outbox[0].body and "Grundstück" not in mail.outbox[0].body


def test_zusagen_notifies_nobody_and_a_foreign_meeting_is_refused(member: User, council: Council) -> None:
    services.reply_attendance(member, council.jos_meeting.pk, "zusage")
    assert not mail.outbox
    with pytest.raises(services.MembersError, match="nicht zu Ihren Gremien"):
        services.reply_attendance(member, council.fina_meeting.pk, "absage")
    response = logged_in(member).post(f"/mein-ratsinfo/sitzungen/{council.jos_meeting.pk}/rueckmeldung/", {"answer": "vielleicht"}, follow=True)
    assert "Bitte wählen Sie" in response.content.decode()


def test_a_missing_reply_waits_on_the_start_page(member: User, council: Council) -> None:
    client = logged_in(member)
    assert "Rückmeldung zur Teilnahme: 12. Sitzung des JOS" in client.get("/mein-ratsinfo/").content.decode()
    services.reply_attendance(member, council.jos_meeting.pk, "zusage")
    assert "Rückmeldung zur Teilnahme: 12. Sitzung des JOS" not in client.get("/mein-ratsinfo/").content.decode()


# --- Notes ------------------------------------------------------------------------------------


def test_a_note_on_a_vorlage_follows_it_through_the_beratungsfolge_and_stays_private(member: User, council: Council) -> None:
    client = logged_in(member)
    item = AgendaItem.objects.get(meeting=council.jos_meeting, consultation__paper=council.public_paper)
    client.post("/mein-ratsinfo/notizen/", {"paper": council.public_paper.pk, "text": "Nach Folgekosten fragen",
                                            "next": f"/mein-ratsinfo/sitzungen/{council.jos_meeting.pk}/"})
    client.post("/mein-ratsinfo/notizen/", {"agenda_item": item.pk, "text": "Frau Meyer anrufen"})
    add_item(council.jos_later, 1, council.public_paper, council.jos)
    later = client.get(f"/mein-ratsinfo/sitzungen/{council.jos_later.pk}/").content.decode()
    assert "Nach Folgekosten fragen" in later and "Frau Meyer anrufen" not in later
    colleague = other_account("kollegin", council)
    join(colleague, council.jos)
    assert "Nach Folgekosten fragen" not in logged_in(colleague).get(f"/mein-ratsinfo/sitzungen/{council.jos_later.pk}/").content.decode()
    export = client.get("/mein-ratsinfo/notizen/export.md")
    text = export.content.decode()
    assert export["Content-Disposition"].startswith("attachment")
    assert "## Vorlage BV/0240/2021-2026 Neubau Kita Ahlhorn" in text and "Frau Meyer anrufen" in text


def test_no_note_on_what_the_member_may_not_see(member: User, council: Council) -> None:
    with pytest.raises(services.MembersError):
        services.save_note(member, "heimlich", paper_id=council.fina_secret_paper.pk)
    services.save_note(member, "weg damit", paper_id=council.public_paper.pk)
    services.save_note(member, "  ", paper_id=council.public_paper.pk)
    assert not Note.objects.exists()


# --- Notifications ----------------------------------------------------------------------------


def test_new_invitations_and_documents_are_mailed_only_within_the_audience(member: User, council: Council) -> None:
    services.settings_of(member)
    outsider = other_account("finanzer", council)
    join(outsider, council.fina)
    services.settings_of(outsider)
    invite(council.jos_later)
    secret = File(body=council.body, paper=council.secret_paper, role=FileRole.AUXILIARY, name="Wertgutachten Bahnhofstraße",
                  file_name="gutachten.pdf", mime_type="application/pdf", public=False)
    secret.save()
    assert send_member_notifications() == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["Einladung: 13. Sitzung des JOS", "Neues Dokument: Wertgutachten Bahnhofstraße"]
    assert all(m.to == ["maren.vosteen@example.org"] for m in mail.outbox)
    mail.outbox.clear()
    assert send_member_notifications() == 0


def test_the_daily_digest_collects_and_switched_off_mails_stay_away(member: User, council: Council) -> None:
    found = services.settings_of(member)
    found.digest, found.notify_documents, found.notify_papers = True, False, True
    found.save()
    found.followed.add(council.jos)
    found.notified_until = found.notified_until.replace(year=found.notified_until.year - 1)
    found.save()
    paper_with_file(council.body, "AN/0001/2021-2026", "Antrag Radweg", public=True, text="Radweg bauen.")
    Paper.objects.get(reference="AN/0001/2021-2026").consultations.create(organization=council.jos)
    assert send_member_notifications() == 1
    body = mail.outbox[0].body
    assert "Neue Vorlage AN/0001/2021-2026 Antrag Radweg" in body and "Neues Dokument" not in body
    assert "Stundung" not in body


def test_settings_are_switched_in_the_form(member: User, council: Council) -> None:
    client = logged_in(member)
    response = client.post("/mein-ratsinfo/einstellungen/", {"notify_invitations": "on", "digest": "on",
                                                              "followed": [council.fina.pk]}, follow=True)
    assert "Ihre Einstellungen sind gespeichert." in response.content.decode()
    found = services.settings_of(member)
    assert (found.notify_invitations, found.notify_documents, found.digest) == (True, False, True)
    assert list(found.followed.all()) == [council.fina]


# --- Calendar feed ----------------------------------------------------------------------------


def test_the_personal_calendar_works_until_revoked_and_a_renewed_token_replaces_the_old(member: User, council: Council) -> None:
    client = logged_in(member)
    client.post("/mein-ratsinfo/einstellungen/kalender/neu/")
    page = client.get("/mein-ratsinfo/einstellungen/").content.decode()
    token = page.split("/mein-ratsinfo/kalender/", 1)[1].split(".ics", 1)[0]
    assert services.settings_of(member).feed_token_hash == services.hash_token(token) != token
    feed = Client().get(f"/mein-ratsinfo/kalender/{token}.ics")
    assert feed.status_code == 200 and b"12. Sitzung des JOS" in feed.content and b"Finanzausschuss" not in feed.content
    client.post("/mein-ratsinfo/einstellungen/kalender/neu/")
    assert Client().get(f"/mein-ratsinfo/kalender/{token}.ics").status_code == 404
    renewed = client.get("/mein-ratsinfo/einstellungen/").content.decode().split("/mein-ratsinfo/kalender/", 1)[1].split(".ics", 1)[0]
    assert Client().get(f"/mein-ratsinfo/kalender/{renewed}.ics").status_code == 200
    client.post("/mein-ratsinfo/einstellungen/kalender/sperren/")
    assert Client().get(f"/mein-ratsinfo/kalender/{renewed}.ics").status_code == 404


# --- Anträge and Anfragen ---------------------------------------------------------------------


def test_an_antrag_is_drafted_cosigned_in_the_group_and_submitted_to_the_sitzungsdienst(member: User, council: Council) -> None:
    colleague = other_account("kollegin", council)
    join(colleague, council.group)
    outsider = other_account("andere", council)
    client = logged_in(member)
    response = client.post("/mein-ratsinfo/antraege/", {"kind": "Antrag", "group": council.group.pk,
                                                         "title": "Radweg Ahlhorn", "text": "Der Rat möge beschließen …"}, follow=True)
    assert "Ihr Entwurf ist gespeichert" in response.content.decode()
    draft = motions.drafts_of(member).get()
    assert "Antrag in Vorbereitung: Radweg Ahlhorn" in logged_in(colleague).get("/mein-ratsinfo/").content.decode()
    assert "Radweg Ahlhorn" not in logged_in(outsider).get("/mein-ratsinfo/").content.decode()
    assert logged_in(outsider).get(f"/mein-ratsinfo/antraege/{draft.pk}/").status_code == 404
    logged_in(colleague).post(f"/mein-ratsinfo/antraege/{draft.pk}/mitzeichnen/")
    staffer = account("mitarbeiterin", body=council.body)  # in the Gruppe, but without the right to submit
    join(staffer, council.group)
    with pytest.raises(services.MembersError, match="Einreichen können"):
        motions.submit(staffer, draft.pk)
    client.post(f"/mein-ratsinfo/antraege/{draft.pk}/einreichen/")
    paper = Paper.objects.get(name="Radweg Ahlhorn")
    assert (paper.paper_type, paper.state, paper.created_by) == (PaperType.ANTRAG, PaperState.EINGEREICHT, member)
    assert list(paper.originator_organizations.all()) == [council.group]
    assert set(paper.originator_persons.all()) == set(Person.objects.filter(user__in=[member, colleague]))
    page = client.get(f"/mein-ratsinfo/antraege/{draft.pk}/").content.decode()
    assert "eingereicht" in page
    assert paper in Paper.objects.filter(state=PaperState.EINGEREICHT)  # in the Sitzungsdienst's incoming list
    assert not Paper.objects.visible_to(None).filter(pk=paper.pk).exists()


def test_the_empty_form_answers_in_german(member: User, council: Council) -> None:
    response = logged_in(member).post("/mein-ratsinfo/antraege/", {"kind": "Antrag"})
    page = response.content.decode()
    assert "Bitte geben Sie einen Betreff an." in page and "Bitte wählen Sie Ihre Fraktion oder Gruppe." in page
