"""The Sitzungsmappe: exactly the documents the member may see, in agenda order, stamped where non-public."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from django.contrib.auth.models import User
from django.test import Client
from pypdf import PdfReader

from ratsinfo.bodies.access import viewer_for
from ratsinfo.bodies.models import Body
from ratsinfo.files.models import File
from ratsinfo.meetings.models import Meeting
from ratsinfo.members.mappe import STAMP_TEXT, build_bundle, plan_for, request_bundle, stamped_pdf
from ratsinfo.members.models import Bundle


def page_texts(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def outline(data: bytes) -> list[tuple[int, str]]:
    reader = PdfReader(io.BytesIO(data))

    def walk(items: list, depth: int) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        for entry in items:
            if isinstance(entry, list):
                found += walk(entry, depth + 1)
            else:
                found.append((depth, entry.title))
        return found

    return walk(reader.outline, 0)


def next_meeting_with_nonpublic_documents(user: User) -> Meeting:
    viewer = viewer_for(user)
    for meeting in Meeting.objects.nonpublic_audience_of(viewer).filter(cancelled=False).distinct().order_by("-start"):
        entries = plan_for(viewer, meeting)
        if any(not e.public for e in entries) and any(e.public for e in entries):
            return meeting
    raise AssertionError("Die Demo hat keine Sitzung mit nichtöffentlichen Unterlagen für dieses Konto.")


@pytest.fixture
def ratsfrau_demo(demo: Body) -> User:
    return User.objects.get(username="ratsfrau")


def test_the_mappe_holds_every_visible_document_in_agenda_order_with_bookmarks(ratsfrau_demo: User) -> None:
    meeting = next_meeting_with_nonpublic_documents(ratsfrau_demo)
    entries = plan_for(viewer_for(ratsfrau_demo), meeting)
    bundle = build_bundle(meeting, entries)
    data = stamped_pdf(bundle, "Maren Vosteen")
    texts = page_texts(data)
    assert "Sitzungsmappe" in texts[0] and "Inhalt" in texts[0]
    marks = outline(data)
    assert marks[0] == (0, "Deckblatt und Inhalt")
    sections = [title for depth, title in marks if depth == 0][1:]
    expected_sections = list(dict.fromkeys(e.section for e in entries))
    assert sections == expected_sections
    if entries[0].section == "Einladung":
        assert sections[0] == "Einladung"
    assert [title for depth, title in marks if depth == 1] == [e.title for e in entries]
    # Every non-public page carries the footer with the name, no public page does.
    nonpublic = {i for first, last in bundle.nonpublic_pages for i in range(first, last + 1)}
    assert nonpublic
    for index, text in enumerate(texts):
        stamped = STAMP_TEXT in text and "Maren Vosteen" in text
        assert stamped == (index in nonpublic), index


def test_the_mappe_never_holds_what_the_member_may_not_see(ratsfrau_demo: User) -> None:
    ratsherr = User.objects.get(username="ratsherr")
    viewer = viewer_for(ratsfrau_demo)
    meeting = next_meeting_with_nonpublic_documents(ratsherr)
    theirs = {e.file_id for e in plan_for(viewer_for(ratsherr), meeting)}
    mine = plan_for(viewer, meeting)
    visible = set(File.objects.visible_to(viewer).values_list("pk", flat=True))
    assert {e.file_id for e in mine} <= visible
    hidden = theirs - visible
    if hidden:  # a meeting of the Finanzausschuss: its non-public files stay out of her Mappe
        names = [File.objects.get(pk=pk).name for pk in hidden]
        text = "\n".join(page_texts(stamped_pdf(build_bundle(meeting, mine), "Maren Vosteen")))
        assert all(e.file_id not in hidden for e in mine)
        assert names and all(File.objects.get(pk=pk).text[:60] not in text for pk in hidden)


def test_the_build_is_cached_per_audience_and_stamped_per_member(ratsfrau_demo: User) -> None:
    meeting = next_meeting_with_nonpublic_documents(ratsfrau_demo)
    entries = plan_for(viewer_for(ratsfrau_demo), meeting)
    first = request_bundle(meeting, entries)
    assert first is not None and request_bundle(meeting, entries) == first
    assert Bundle.objects.filter(meeting=meeting).count() == 1
    assert stamped_pdf(first, "Maren Vosteen") == stamped_pdf(first, "Maren Vosteen")  # deterministic
    assert stamped_pdf(first, "Maren Vosteen") != stamped_pdf(first, "Gisela Brand")
    public_only = [e for e in entries if e.public]
    assert request_bundle(meeting, public_only) != first


def test_a_member_downloads_pdf_and_zip_and_the_public_gets_nothing(ratsfrau_demo: User) -> None:
    meeting = next_meeting_with_nonpublic_documents(ratsfrau_demo)
    member = Client()
    member.force_login(ratsfrau_demo)
    page = member.get(f"/mein-ratsinfo/sitzungen/{meeting.pk}/mappe/")
    assert page.status_code == 200
    pdf = member.get(f"/mein-ratsinfo/sitzungen/{meeting.pk}/mappe.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert STAMP_TEXT in "\n".join(page_texts(pdf.content))
    archive = member.get(f"/mein-ratsinfo/sitzungen/{meeting.pk}/mappe.zip")
    assert archive.status_code == 200 and archive.content.startswith(b"PK")
    assert Client().get(f"/mein-ratsinfo/sitzungen/{meeting.pk}/mappe.pdf").status_code == 302

