"""Text extraction in the background: real PDFs made with typst, DOCX/ODT/plain text, and the
failure paths (broken, encrypted, image-only PDF) that are recorded and never stop the queue."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import segno
import typst

from ratsinfo.bodies.models import Body
from ratsinfo.files.models import File
from ratsinfo.lib.access import PUBLIC
from ratsinfo.papers.models import Paper, PaperState
from ratsinfo.search.extraction import extract, extract_file
from ratsinfo.search.indexing import flush_all
from ratsinfo.search.models import Extraction, ExtractionState
from ratsinfo.search.service import search


def typst_pdf(tmp_path: Path, source: str, name: str = "doc") -> bytes:
    path = tmp_path / f"{name}.typ"
    path.write_text(source, encoding="utf-8")
    pdf: bytes = typst.compile(str(path), format="pdf", ignore_system_fonts=True)
    return pdf


def encrypted(pdf: bytes) -> bytes:
    out = io.BytesIO()
    pikepdf.open(io.BytesIO(pdf)).save(out, encryption=pikepdf.Encryption(owner="amt", user="geheim", R=6))
    return out.getvalue()


def image_only_pdf(tmp_path: Path) -> bytes:
    segno.make("Scan einer Seite").save(str(tmp_path / "scan.png"), scale=4)
    return typst_pdf(tmp_path, '#image("scan.png", width: 5cm)', "scan")


def docx(text: str) -> bytes:
    out = io.BytesIO()
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>')
    return out.getvalue()


def odt(text: str) -> bytes:
    out = io.BytesIO()
    t = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    o = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("content.xml", f'<office:document-content xmlns:office="{o}" xmlns:text="{t}"><office:body><office:text><text:h>Titel</text:h><text:p>{text}</text:p></office:text></office:body></office:document-content>')
    return out.getvalue()


def test_pdf_text_comes_from_every_page(tmp_path: Path) -> None:
    pdf = typst_pdf(tmp_path, "Erste Seite: Lärmschutzwand.\n#pagebreak()\nZweite Seite: Straßenausbaubeiträge.")
    outcome = extract(pdf, "application/pdf", "a.pdf")
    assert outcome.state == ExtractionState.DONE and outcome.pages == 2
    assert "Lärmschutzwand" in outcome.text and "Straßenausbaubeiträge" in outcome.text


@pytest.mark.parametrize(
    ("data", "mime", "name"),
    [
        (docx("Die Feuerwehrgerätehäuser werden saniert."), "", "bericht.docx"),
        (odt("Die Feuerwehrgerätehäuser werden saniert."), "application/vnd.oasis.opendocument.text", "b.odt"),
        ("Die Feuerwehrgerätehäuser werden saniert.".encode("cp1252"), "text/plain", "b.txt"),
    ],
)
def test_office_and_text_files(data: bytes, mime: str, name: str) -> None:
    outcome = extract(data, mime, name)
    assert outcome.state == ExtractionState.DONE and "Feuerwehrgerätehäuser" in outcome.text


def test_broken_and_encrypted_pdfs_fail_with_the_reason(tmp_path: Path) -> None:
    broken = extract(b"%PDF-1.7\n1 0 obj << /Type /Catalog", "application/pdf", "kaputt.pdf")
    assert broken.state == ExtractionState.FAILED and "beschädigt" in broken.reason
    locked = extract(encrypted(typst_pdf(tmp_path, "Geheim.")), "application/pdf", "zu.pdf")
    assert locked.state == ExtractionState.FAILED and "verschlüsselt" in locked.reason
    assert extract(docx("x")[:40], "", "halb.docx").state == ExtractionState.FAILED


def test_an_image_only_pdf_is_flagged(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr("ratsinfo.search.extraction.ocr_available", lambda: False)
    outcome = extract(image_only_pdf(tmp_path), "application/pdf", "scan.pdf")
    assert outcome.state == ExtractionState.NO_TEXT and "Textebene" in outcome.reason


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def _attach(body: Body, data: bytes, name: str, **fields: Any) -> File:
    paper = Paper.objects.create(body=body, name="Lärmaktionsplan", state=PaperState.FREIGEGEBEN)
    file = File(body=body, paper=paper, file_name=name, mime_type=fields.pop("mime", "application/pdf"), **fields)
    file.set_content(data, name)
    file.save()
    return file


def test_an_upload_is_extracted_after_commit_and_becomes_searchable(
    body: Body, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    pdf = typst_pdf(media, "Der Lärmaktionsplan nennt die Ortsdurchfahrt Sage.")
    with django_capture_on_commit_callbacks(execute=True):
        file = _attach(body, pdf, "laerm.pdf")
    extraction = Extraction.objects.get(file=file)
    assert extraction.state == ExtractionState.DONE and extraction.sha512 == file.sha512
    flush_all()
    hits = search(PUBLIC, "Ortsdurchfahrt", facets=False).hits
    assert [(h.kind, h.title) for h in hits] == [("datei", "laerm.pdf")]
    assert "<mark>Ortsdurchfahrt</mark>" in hits[0].snippet and hits[0].context.startswith("zu Vorlage")


def test_one_bad_file_does_not_stop_the_queue(body: Body, media: Path) -> None:
    bad = _attach(body, b"%PDF-1.4 nichts", "kaputt.pdf")
    locked = _attach(body, encrypted(typst_pdf(media, "Geheim.")), "zu.pdf")
    scan = _attach(body, image_only_pdf(media), "scan.pdf")
    good = _attach(body, b"Bericht zur Ortsdurchfahrt", "bericht.txt", mime="text/plain")
    missing = _attach(body, b"weg", "weg.txt", mime="text/plain")
    Path(missing.content.path).unlink()
    states = {f.file_name: extract_file(f.pk).state for f in (bad, locked, scan, good, missing)}  # type: ignore[union-attr]
    assert states["kaputt.pdf"] == states["zu.pdf"] == states["weg.txt"] == ExtractionState.FAILED
    assert states["bericht.txt"] == ExtractionState.DONE
    assert states["scan.pdf"] in (ExtractionState.NO_TEXT, ExtractionState.OCR)
    assert "nicht lesbar" in Extraction.objects.get(file=missing).reason
