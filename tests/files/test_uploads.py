"""Uploading documents: stored by checksum, type from the content, within the size limit."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ratsinfo.files.models import File
from ratsinfo.files.services import FileError, attach_file, purge_file, store_upload
from ratsinfo.files.storage import blob_name
from ratsinfo.papers.models import Paper
from tests.conftest import login_with_second_factor
from tests.files.conftest import PDF, upload

pytestmark = pytest.mark.django_db


def test_an_uploaded_pdf_is_stored_under_its_checksum_and_reads_back_unchanged(vorlage: Paper) -> None:
    file = upload(vorlage, PDF, "Anlage 1 Lageplan.pdf")
    file.refresh_from_db()
    assert file.sha512 == hashlib.sha512(PDF).hexdigest()
    assert file.content.name.endswith(file.sha512)
    assert (file.size, file.mime_type, file.file_name) == (len(PDF), "application/pdf", "Anlage 1 Lageplan.pdf")
    with default_storage.open(file.content.name) as handle:
        assert handle.read() == PDF


def test_identical_content_is_stored_once_and_removing_one_record_keeps_the_others_bytes(
    vorlage: Paper, django_capture_on_commit_callbacks: Any
) -> None:
    first = upload(vorlage, PDF, "Lageplan.pdf")
    second = upload(vorlage, PDF, "Lageplan (Kopie).pdf")
    assert first.pk != second.pk and first.content.name == second.content.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        purge_file(first)
    assert callbacks  # the release of the bytes was considered, and refused
    assert not File.objects.filter(pk=first.pk).exists()
    assert default_storage.exists(second.content.name)


def test_removing_the_last_record_of_a_content_removes_its_bytes(
    vorlage: Paper, django_capture_on_commit_callbacks: Any
) -> None:
    file = upload(vorlage, PDF + b"nur einmal", "Einzelstueck.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        purge_file(file)
    assert not default_storage.exists(file.content.name)


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_stored(vorlage: Paper, settings: object) -> None:
    settings.RATSINFO_MAX_UPLOAD_MB = 1  # type: ignore[attr-defined]
    too_big = b"%PDF-1.7\n" + b"x" * (1024 * 1024)
    with pytest.raises(FileError, match="zu groß"):
        attach_file(File(body=vorlage.body, paper=vorlage), io.BytesIO(too_big), file_name="gross.pdf")
    assert not File.objects.exists()
    assert not default_storage.exists(blob_name(hashlib.sha512(too_big).hexdigest()))


def test_the_size_limit_holds_for_a_stream_that_does_not_say_its_size(settings: object) -> None:
    settings.RATSINFO_MAX_UPLOAD_MB = 1  # type: ignore[attr-defined]
    chunks = (b"a" * 65536 for _ in range(17))  # 1.06 MB, length unknown up front
    with pytest.raises(FileError, match="zu groß"):
        store_upload(chunks)


def test_an_empty_file_is_refused(vorlage: Paper) -> None:
    with pytest.raises(FileError, match="leer"):
        upload(vorlage, b"", "leer.pdf")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "image/png"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "text/html"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"),
        ("Protokollnotiz über die Begehung".encode(), "text/plain"),
        (bytes(range(256)) * 4, "application/octet-stream"),
    ],
)
def test_the_type_is_read_from_the_content_never_from_the_name(vorlage: Paper, content: bytes, expected: str) -> None:
    file = upload(vorlage, content, "Vorlage.pdf")
    assert file.mime_type == expected


def test_a_client_path_in_the_file_name_is_dropped(vorlage: Paper) -> None:
    file = upload(vorlage, PDF, "C:\\Users\\sb\\Desktop\\Lageplan\r\n.pdf")
    assert file.file_name == "Lageplan .pdf"


def test_the_sitzungsdienst_uploads_in_the_admin(vorlage: Paper, sitzungsdienst: Any) -> None:
    sitzungsdienst.is_superuser = True
    sitzungsdienst.save()
    staff_client = login_with_second_factor(Client(), sitzungsdienst)
    response = staff_client.post("/verwaltung/admin/files/file/add/", {
        "body": vorlage.body.pk, "name": "Lageplan", "file_name": "", "role": "auxiliary", "order": 0,
        "public": "on", "paper": vorlage.pk, "keywords": "[]",
        "upload": SimpleUploadedFile("Lageplan Ahlhorn.pdf", PDF, content_type="text/html"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    file = File.objects.get(paper=vorlage)
    assert (file.file_name, file.mime_type, file.size) == ("Lageplan Ahlhorn.pdf", "application/pdf", len(PDF))
    assert file.history.count() >= 1


def test_the_sitzungsdienst_adds_a_redacted_public_version_in_the_admin(vorlage: Paper, sitzungsdienst: Any) -> None:
    sitzungsdienst.is_superuser = True
    sitzungsdienst.save()
    staff_client = login_with_second_factor(Client(), sitzungsdienst)
    original = upload(vorlage, PDF + b"Name und Anschrift", "Stellungnahme.pdf", name="Stellungnahme")
    response = staff_client.post(f"/verwaltung/admin/files/file/{original.pk}/change/", {
        "body": vorlage.body.pk, "name": "Stellungnahme", "file_name": "Stellungnahme.pdf", "role": "auxiliary",
        "order": 0, "public": "on", "paper": vorlage.pk, "keywords": "[]",
        "public_upload": SimpleUploadedFile("Stellungnahme geschwärzt.pdf", PDF + b"[geschwaerzt]"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    original.refresh_from_db()
    redacted = original.public_version
    assert redacted is not None and redacted.is_redacted_version
    assert (redacted.file_name, redacted.paper, redacted.size) == (
        "Stellungnahme geschwärzt.pdf", vorlage, len(PDF + b"[geschwaerzt]")
    )
    assert list(File.objects.visible_to(None)) == [redacted]
