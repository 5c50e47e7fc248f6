"""Downloading documents on the portal and through OParl: one path, same answers."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from ratsinfo.files.models import File
from ratsinfo.papers.models import Paper
from tests.files.conftest import PDF, upload

pytestmark = pytest.mark.django_db
SURFACES = ["/dateien/{pk}/", "/oparl/v1.1/file/{pk}/access", "/oparl/v1.1/file/{pk}/download"]


def body_of(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.fixture
def lageplan(vorlage: Paper) -> File:
    return upload(vorlage, PDF, "Lageplan Ahlhorn.pdf", name="Anlage 1 Lageplan")


@pytest.mark.parametrize("url", SURFACES)
def test_a_public_pdf_downloads_whole_with_its_checksum_as_etag(url: str, lageplan: File, citizen_client: Client) -> None:
    response = citizen_client.get(url.format(pk=lageplan.pk))
    assert response.status_code == 200 and response.streaming  # streamed in chunks, never read whole
    assert body_of(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))
    assert response["ETag"] == f'"{hashlib.sha512(PDF).hexdigest()}"'
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = "attachment" if url.endswith("/download") else "inline"
    assert response["Content-Disposition"] == (
        f"{disposition}; filename=\"Lageplan Ahlhorn.pdf\"; filename*=UTF-8''Lageplan%20Ahlhorn.pdf"
    )


def test_a_known_etag_answers_304_without_the_bytes(lageplan: File, citizen_client: Client) -> None:
    etag = citizen_client.get(f"/dateien/{lageplan.pk}/")["ETag"]
    response = citizen_client.get(f"/dateien/{lageplan.pk}/", headers={"If-None-Match": f'"anders", {etag}'})
    assert response.status_code == 304
    assert response.content == b"" and response["ETag"] == etag
    assert citizen_client.get(f"/dateien/{lageplan.pk}/", headers={"If-None-Match": '"anders"'}).status_code == 200


@pytest.mark.parametrize(
    ("range_header", "first", "last"),
    [("bytes=0-9", 0, 9), ("bytes=100-", 100, len(PDF) - 1), ("bytes=-7", len(PDF) - 7, len(PDF) - 1),
     ("bytes=3000-999999", 3000, len(PDF) - 1)],
)
@pytest.mark.parametrize("url", SURFACES)
def test_a_single_range_answers_206_with_exactly_those_bytes(
    url: str, range_header: str, first: int, last: int, lageplan: File, citizen_client: Client
) -> None:
    response = citizen_client.get(url.format(pk=lageplan.pk), headers={"Range": range_header})
    assert response.status_code == 206
    assert body_of(response) == PDF[first : last + 1]
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(PDF)}"
    assert response["Content-Length"] == str(last - first + 1)


def test_a_range_beyond_the_end_answers_416(lageplan: File, citizen_client: Client) -> None:
    response = citizen_client.get(f"/dateien/{lageplan.pk}/", headers={"Range": f"bytes={len(PDF)}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(PDF)}"


def test_several_ranges_or_a_stale_if_range_get_the_whole_file(lageplan: File, citizen_client: Client) -> None:
    url = f"/dateien/{lageplan.pk}/"
    assert citizen_client.get(url, headers={"Range": "bytes=0-1,5-6"}).status_code == 200
    stale = citizen_client.get(url, headers={"Range": "bytes=0-1", "If-Range": '"alt"'})
    assert stale.status_code == 200 and body_of(stale) == PDF


@pytest.mark.parametrize(
    ("content", "mime"),
    [(b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>", "text/html"),
     (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml")],
)
def test_active_content_named_pdf_is_served_as_what_it_is_and_only_as_attachment(
    vorlage: Paper, content: bytes, mime: str, citizen_client: Client
) -> None:
    file = upload(vorlage, content, "harmlos.pdf")
    for url in ("/dateien/{pk}/", "/oparl/v1.1/file/{pk}/access"):
        response = citizen_client.get(url.format(pk=file.pk))
        assert response["Content-Type"] == mime
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Security-Policy"] == "sandbox"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_umlauts_quotes_and_line_breaks_in_the_name_make_a_safe_header(vorlage: Paper, citizen_client: Client) -> None:
    file = upload(vorlage, PDF, "Übersicht.pdf")
    File.objects.filter(pk=file.pk).update(file_name='Gebühren "2026"\r\nSet-Cookie: x=1; Größe.pdf')
    response = citizen_client.get(f"/dateien/{file.pk}/")
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and "Set-Cookie" not in response.headers
    assert header == (
        'inline; filename="Gebuehren _2026_Set-Cookie: x=1_ Groesse.pdf"; '
        "filename*=UTF-8''Geb%C3%BChren%20%222026%22Set-Cookie%3A%20x%3D1%3B%20Gr%C3%B6%C3%9Fe.pdf"
    )


@pytest.mark.parametrize("url", SURFACES)
def test_missing_bytes_answer_404_like_a_missing_file(url: str, lageplan: File, citizen_client: Client) -> None:
    default_storage.delete(lageplan.content.name)
    missing = citizen_client.get(url.format(pk=lageplan.pk))
    unknown = citizen_client.get(url.format(pk=lageplan.pk + 1000))
    assert (missing.status_code, unknown.status_code) == (404, 404)


@pytest.mark.parametrize("url", SURFACES)
def test_a_non_public_file_answers_404_to_the_public(url: str, vorlage: Paper, citizen_client: Client) -> None:
    file = upload(vorlage, PDF + b"Kaufvertrag", "Kaufvertrag.pdf", public=False)
    assert citizen_client.get(url.format(pk=file.pk)).status_code == 404


def test_the_sitzungsdienst_downloads_a_non_public_file_on_the_portal(vorlage: Paper, staff_client: Client) -> None:
    file = upload(vorlage, PDF + b"Kaufvertrag", "Kaufvertrag.pdf", public=False)
    response = staff_client.get(f"/dateien/{file.pk}/")
    assert response.status_code == 200 and body_of(response) == PDF + b"Kaufvertrag"
    assert "private" in response["Cache-Control"]


def test_oparl_size_checksum_and_type_describe_the_bytes_it_serves(lageplan: File, citizen_client: Client) -> None:
    data = citizen_client.get(f"/oparl/v1.1/file/{lageplan.pk}").json()
    for key in ("accessUrl", "downloadUrl"):
        response = citizen_client.get(data[key].replace("http://testserver", ""))
        content = body_of(response)
        assert response.status_code == 200
        assert len(content) == data["size"]
        assert hashlib.sha512(content).hexdigest() == data["sha512Checksum"]
        assert response["Content-Type"] == data["mimeType"]
