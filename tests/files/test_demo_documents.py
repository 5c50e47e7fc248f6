"""The demo has a real document behind every file record, and no document link is broken."""

from __future__ import annotations

import hashlib

import pypdfium2
import pytest
from django.core.files.storage import default_storage
from django.test import Client

from ratsinfo.bodies.models import Body
from ratsinfo.files.models import File, FileRole
from ratsinfo.meetings.models import AgendaItem, Meeting
from tests.oparl.server_helpers import crawl_list, get_json
from tests.test_demo_site import _crawl

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def pdf_text(data: bytes) -> str:
    """The text of a PDF as one line of words (pdfium fails loudly on anything that is no PDF)."""
    document = pypdfium2.PdfDocument(data)
    try:
        text = " ".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    return " ".join(text.split())


def stored(file: File) -> bytes:
    with default_storage.open(file.content.name) as handle:
        data: bytes = handle.read()
        return data


def words(text: str) -> str:
    return " ".join(text.split())


def test_every_demo_file_record_holds_a_pdf_its_size_and_checksum_describe(demo: Body) -> None:
    files = list(File.objects.filter(body=demo).select_related("paper"))
    assert len(files) >= 200
    for file in files:
        data = stored(file)
        assert (file.mime_type, file.size, file.sha512) == (
            "application/pdf", len(data), hashlib.sha512(data).hexdigest()
        ), file
        assert file.paper is None or words(file.paper.reference) in pdf_text(data), file


def test_the_seed_attachment_is_the_groups_antrag_of_2_june_2022(demo: Body) -> None:
    attachment = File.objects.get(paper__reference="BV/0240/2021-2026", role=FileRole.AUXILIARY)
    text = pdf_text(stored(attachment))
    assert "Antrag der Gruppe Grüne – KA – Linke auf Erstellung eines Integrationskonzeptes" in text
    assert "02.06.2022" in text and "Integrationskonzept für die Gemeinde Großenkneten" in text


def test_meeting_documents_show_the_agenda_and_public_ones_nothing_of_the_non_public_part(demo: Body) -> None:
    held = Meeting.objects.filter(files__role=FileRole.RESULTS_PROTOCOL).distinct()
    assert held.count() >= 30
    checked = 0
    for meeting in held.prefetch_related("agenda_items", "files"):
        items = list(meeting.agenda_items.all())
        public_names = {words(i.name) for i in items if i.public}
        secret_names = {words(i.name) for i in items if not i.public} - public_names
        for file in meeting.files.all():
            text = pdf_text(stored(file))
            if file.public:
                leaked = [name for name in secret_names if name in text]
                assert not leaked, f"{file.file_name}: {leaked}"
                assert all(f"{i.number}: {words(i.name)}" in text for i in items if i.public), file
            else:
                assert all(f"{i.number}: {words(i.name)}" in text for i in items), file
            if file.role == FileRole.RESULTS_PROTOCOL:
                voted = [i for i in items if i.has_votes and (i.public or not file.public)]
                assert all(i.vote_summary in text for i in voted), file
            checked += 1
    assert checked >= 80


def test_the_votes_of_the_committee_on_the_seed_are_in_its_niederschrift(demo: Body) -> None:
    item = AgendaItem.objects.get(consultation__paper__reference="BV/0240/2021-2026", votes_yes=7)
    minutes = item.meeting.files.get(role=FileRole.RESULTS_PROTOCOL, public=True)
    text = pdf_text(stored(minutes))
    assert "Vorlage BV/0240/2021-2026" in text and "Ja 7, Nein 2, Enthaltungen 0" in text


def test_an_anonymous_crawl_finds_no_broken_link_and_every_oparl_file_serves_its_bytes(demo: Body) -> None:
    client = Client()
    pages = _crawl(client)
    # (The crawler also picks up mailto: addresses and the like as relative paths: not links of the site.)
    broken = [f"{url}: {r.status_code}" for url, r in pages.items()
              if url.startswith("/") and (r.status_code == 404 or r.status_code >= 500)]
    assert not broken, "\n".join(broken[:20])
    downloads = [url for url in pages if url.startswith("/dateien/")]
    assert len(downloads) >= 50
    system = get_json(client, "/oparl/v1.1/")
    body = next(b for b in get_json(client, system["body"])["data"] if b["name"] == demo.name)
    oparl_files = crawl_list(client, body["file"])
    assert len(oparl_files) == File.objects.visible_to(None).count()
    for obj in oparl_files:
        for key in ("accessUrl", "downloadUrl"):
            response = client.get(obj[key].replace("http://testserver", ""))
            assert response.status_code == 200, (obj[key], response.status_code)
            data = b"".join(response.streaming_content)
            assert (len(data), hashlib.sha512(data).hexdigest(), response["Content-Type"]) == (
                obj["size"], obj["sha512Checksum"], obj["mimeType"]
            )
            assert pdf_text(data)
