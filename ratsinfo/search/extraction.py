"""Text of uploaded files for the search: PDF (pypdfium2), DOCX, ODT, plain text.

Runs in the background (`extract_file` task, `ratsinfo worker`). Bytes are read through the
storage API (`file.content.open("rb")`), whatever storage holds them. A PDF without a text
layer is flagged and, if `ocrmypdf` is installed, OCRed; a broken or encrypted file is marked
failed with the reason. Nothing here raises: one bad file never stops the queue.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from django.db import transaction
from django.utils import timezone

from ratsinfo.files.models import File
from ratsinfo.search.models import Extraction, ExtractionState

log = logging.getLogger(__name__)
MAX_BYTES = 200 * 1024 * 1024
MAX_CHARS = 2_000_000
OCR_TIMEOUT = 600
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@dataclass
class Outcome:
    state: str
    text: str = ""
    reason: str = ""
    pages: int | None = None


class ExtractionFailed(Exception):
    """The file cannot be read; the message (German) is shown to staff."""


def _kind(data: bytes, mime: str, name: str) -> str:
    name = name.lower()
    if data.startswith(b"%PDF") or mime == "application/pdf" or name.endswith(".pdf"):
        return "pdf"
    if data.startswith(b"PK"):
        if name.endswith(".odt") or "opendocument.text" in mime:
            return "odt"
        if name.endswith(".docx") or "wordprocessingml" in mime:
            return "docx"
    if mime.startswith("text/") or name.endswith((".txt", ".csv", ".md")):
        return "text"
    return ""


def pdf_text(data: bytes) -> tuple[str, int]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionFailed("PDF ist verschlüsselt (Kennwort nötig).") from exc
        raise ExtractionFailed(f"PDF ist beschädigt oder keine PDF-Datei ({exc}).") from exc
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n\n".join(pages).replace("\r\n", "\n"), len(pages)
    finally:
        document.close()


def _zip_xml(data: bytes, member: str) -> ElementTree.Element:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return ElementTree.fromstring(archive.read(member))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, RuntimeError) as exc:
        raise ExtractionFailed(f"Dokument ist beschädigt ({type(exc).__name__}).") from exc


def docx_text(data: bytes) -> str:
    root = _zip_xml(data, "word/document.xml")
    return "\n".join("".join(t.text or "" for t in p.iter(f"{_W}t")) for p in root.iter(f"{_W}p"))


def odt_text(data: bytes) -> str:
    root = _zip_xml(data, "content.xml")
    blocks = [e for e in root.iter() if e.tag in (f"{_ODF_TEXT}p", f"{_ODF_TEXT}h")]
    return "\n".join("".join(e.itertext()) for e in blocks)


def plain_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def ocr_available() -> bool:
    return shutil.which("ocrmypdf") is not None


def ocr(data: bytes) -> bytes:
    """A copy of the PDF with a text layer (ocrmypdf, German), or ExtractionFailed."""
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        source.write_bytes(data)
        done = subprocess.run(
            ["ocrmypdf", "--quiet", "-l", "deu", "--skip-text", str(source), str(target)],
            capture_output=True, timeout=OCR_TIMEOUT, check=False,
        )
        if done.returncode != 0 or not target.exists():
            raise ExtractionFailed(f"OCR fehlgeschlagen: {done.stderr.decode(errors='replace')[-300:]}")
        return target.read_bytes()


def extract(data: bytes, mime: str = "", name: str = "") -> Outcome:
    """The text of a file's bytes and what happened; never raises."""
    try:
        kind = _kind(data, mime, name)
        if kind == "pdf":
            text, pages = pdf_text(data)
            if text.strip():
                return Outcome(ExtractionState.DONE, text[:MAX_CHARS], pages=pages)
            if not ocr_available():
                return Outcome(ExtractionState.NO_TEXT, reason="PDF ohne Textebene (Scan); OCR ist nicht installiert.", pages=pages)
            text, pages = pdf_text(ocr(data))
            state = ExtractionState.OCR if text.strip() else ExtractionState.NO_TEXT
            return Outcome(state, text[:MAX_CHARS], pages=pages, reason="" if text.strip() else "OCR fand keinen Text.")
        if kind == "docx":
            return Outcome(ExtractionState.DONE, docx_text(data)[:MAX_CHARS])
        if kind == "odt":
            return Outcome(ExtractionState.DONE, odt_text(data)[:MAX_CHARS])
        if kind == "text":
            return Outcome(ExtractionState.DONE, plain_text(data)[:MAX_CHARS])
        return Outcome(ExtractionState.FAILED, reason=f"Dateiformat wird nicht unterstützt ({mime or name or 'unbekannt'}).")
    except ExtractionFailed as exc:
        return Outcome(ExtractionState.FAILED, reason=str(exc)[:500])
    except Exception as exc:  # a bug or a hostile file: record it, keep the queue going
        log.exception("Textgewinnung fehlgeschlagen")
        return Outcome(ExtractionState.FAILED, reason=f"Unerwarteter Fehler: {type(exc).__name__}: {exc}"[:500])


def _read(file: File) -> bytes:
    if not file.content:
        raise ExtractionFailed("Die Datei hat keinen gespeicherten Inhalt.")
    try:
        with file.content.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ExtractionFailed(f"Inhalt nicht lesbar: {exc}") from exc
    if len(data) > MAX_BYTES:
        raise ExtractionFailed("Datei ist zu groß für die Textgewinnung.")
    return data


def extract_file(file_id: int) -> Extraction | None:
    """Extract one file's text into its `Extraction` (which marks the file for reindexing)."""
    file = File.objects.filter(pk=file_id).first()
    if file is None:
        return None
    try:
        data = _read(file)
    except ExtractionFailed as exc:
        outcome = Outcome(ExtractionState.FAILED, reason=str(exc))
    else:
        outcome = extract(data, file.mime_type, file.file_name)
    with transaction.atomic():
        extraction, _ = Extraction.objects.select_for_update().get_or_create(file=file)
        extraction.state, extraction.text, extraction.reason = outcome.state, outcome.text, outcome.reason
        extraction.pages, extraction.sha512, extraction.finished_at = outcome.pages, file.sha512, timezone.now()
        extraction.save()
    return extraction


def needs_extraction(file: File) -> bool:
    if not file.content:
        return False
    done = Extraction.objects.filter(file=file).values_list("sha512", "state").first()
    return done is None or done[0] != file.sha512 or done[1] == ExtractionState.PENDING
