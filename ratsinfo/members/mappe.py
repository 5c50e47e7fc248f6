"""The Sitzungsmappe: every document of a meeting that one audience sees, as one PDF (and a ZIP).

The view decides which files go in (`plan_for`, through `visible_to(viewer)`); the background task
only merges what the plan names, so it can never add a file. A build is cached per audience: its key
covers the meeting and the exact set of files with their checksums and public flags, so members who
see the same set share one build. Non-public pages get the footer "nichtöffentlich – nur für
Mitglieder" with the member's name at download time (a few milliseconds per page, deterministic).

pypdf (pure Python, maintained) merges, writes the bookmarks and stamps; Typst sets the cover with
the table of contents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ContentStream, DictionaryObject, NameObject

from ratsinfo.files.models import File, FileRole
from ratsinfo.files.storage import store_bytes
from ratsinfo.lib.access import Viewer
from ratsinfo.lib.pdf import compile_pdf
from ratsinfo.meetings.models import Meeting
from ratsinfo.members.models import Bundle
from ratsinfo.members.queries import meeting_page

TEMPLATE = Path(__file__).parent / "typst" / "mappe.typ"
FORMAT_VERSION = "1"  # part of the cache key: a new layout builds anew
STAMP_TEXT = "nichtöffentlich – nur für Mitglieder"
PENDING_SECONDS = 300  # a build that has not arrived by then is queued again


@dataclass(frozen=True)
class Entry:
    """One document in the Sitzungsmappe, under a heading (Einladung, a TOP, Niederschrift)."""

    section: str
    title: str
    file_id: int
    sha512: str
    public: bool
    file_name: str


def plan_for(viewer: Viewer, meeting: Meeting) -> list[Entry]:
    """The documents this viewer sees, in order: Einladung, each TOP's Vorlage and Anlagen, the rest."""
    page = meeting_page(viewer, meeting)
    ordered: list[tuple[str, File]] = [("Einladung", f) for f in page.invitation]
    for item in [*page.public_items, *page.nonpublic_items]:
        section = f"TOP {item}"
        paper = getattr(item, "visible_paper", None)
        if paper is not None:
            main = sorted(paper.visible_files, key=lambda f: (f.role != FileRole.MAIN, f.order, f.pk))
            ordered += [(section, f) for f in main]
        ordered += [(section, f) for f in getattr(item, "visible_files", [])]
    ordered += [("Niederschrift", f) for f in page.minutes]
    ordered += [("Weitere Dokumente", f) for f in page.other_files]
    ids = [f.pk for _, f in ordered]
    public = set(File.objects.visible_to(None).filter(pk__in=ids).values_list("pk", flat=True))
    seen: set[int] = set()
    entries = []
    for section, file in ordered:
        if file.pk in seen or not file.has_content:
            continue
        seen.add(file.pk)
        entries.append(Entry(section, str(file), file.pk, file.sha512, file.pk in public, file.file_name))
    return entries


def bundle_key(meeting: Meeting, entries: list[Entry]) -> str:
    parts = [FORMAT_VERSION, str(meeting.pk), *(f"{e.section}|{e.file_id}|{e.sha512}|{int(e.public)}" for e in entries)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def request_bundle(meeting: Meeting, entries: list[Entry]) -> Bundle | None:
    """The cached build, or None after queueing one (the immediate backend builds it at once)."""
    key = bundle_key(meeting, entries)
    found = Bundle.objects.filter(key=key).first()
    # One queued build per audience at a time, however often the page is reloaded meanwhile.
    if found is None and cache.add(_pending(key), True, PENDING_SECONDS):
        build_bundle_task.enqueue(meeting.pk, [asdict(e) for e in entries])
        found = Bundle.objects.filter(key=key).first()
    return found


def _pending(key: str) -> str:
    return f"ratsinfo-mappe-{key}"


@task()
def build_bundle_task(meeting_id: int, plan: list[dict[str, Any]]) -> str:
    meeting = Meeting.objects.get(pk=meeting_id)
    return build_bundle(meeting, [Entry(**e) for e in plan]).key


def build_bundle(meeting: Meeting, entries: list[Entry]) -> Bundle:
    """Merge the planned files behind a cover with the table of contents; store and cache the result."""
    key = bundle_key(meeting, entries)
    found = Bundle.objects.filter(key=key).first()
    if found is not None:
        return found
    began = time.perf_counter()
    files = File.objects.in_bulk([e.file_id for e in entries])
    readers: list[tuple[Entry, PdfReader | None]] = []
    for entry in entries:
        readers.append((entry, _reader(files.get(entry.file_id), entry.sha512)))
    cover = _cover(meeting, readers)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover)), import_outline=False)
    writer.add_outline_item(title="Deckblatt und Inhalt", page_number=0)
    nonpublic: list[list[int]] = []
    parents: dict[str, Any] = {}
    for entry, reader in readers:
        if reader is None:
            continue
        first = len(writer.pages)
        writer.append(reader, import_outline=False)
        if entry.section not in parents:
            parents[entry.section] = writer.add_outline_item(title=entry.section, page_number=first)
        writer.add_outline_item(title=entry.title, page_number=first, parent=parents[entry.section])
        if not entry.public:
            nonpublic.append([first, len(writer.pages) - 1])
    writer.add_metadata({"/Title": f"Sitzungsmappe – {meeting.name}", "/Producer": "ratsinfo"})
    writer.page_mode = "/UseOutlines"
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)  # fonts shared by all documents
    out = io.BytesIO()
    writer.write(out)
    stored = store_bytes(out.getvalue())
    cache.delete(_pending(key))
    try:
        with transaction.atomic():
            return Bundle.objects.create(
                key=key, meeting=meeting, pdf=stored.name, nonpublic_pages=nonpublic,
                entries=[asdict(e) for e in entries], pages=len(writer.pages),
                build_seconds=time.perf_counter() - began,
            )
    except IntegrityError:  # built twice at the same moment: the first one stays
        return Bundle.objects.get(key=key)


def _reader(file: File | None, sha512: str) -> PdfReader | None:
    """A PDF reader for the planned version of the file (a changed file has a new key anyway)."""
    if file is None or file.sha512 != sha512 or not file.content.name:
        return None
    try:
        with default_storage.open(file.content.name, "rb") as handle:
            data = handle.read()
        if not data.startswith(b"%PDF"):
            return None
        reader = PdfReader(io.BytesIO(data))
        len(reader.pages)  # a broken file fails here, not in the middle of the merge
        return reader
    except (OSError, ValueError, PyPdfError):
        return None  # listed in the table of contents as "nur in der ZIP-Datei"


def _cover(meeting: Meeting, readers: list[tuple[Entry, PdfReader | None]]) -> bytes:
    """Cover and table of contents; set twice when the page numbers shift the cover's own length."""
    organizations = list(meeting.organizations.select_related("body").order_by("name"))
    start = timezone.localtime(meeting.start) if meeting.start else None
    data: dict[str, Any] = {
        "doc_title": f"Sitzungsmappe: {meeting.name}",
        "author": organizations[0].body.name if organizations else "ratsinfo",
        "organization": ", ".join(o.name for o in organizations),
        "date": f"{start:%d.%m.%Y, %H:%M} Uhr" if start else "noch offen",
        "location": str(meeting.location or ""),
        "stand": f"{timezone.localtime():%d.%m.%Y}",
        "hint": "Lesezeichen führen zu jedem Dokument. Dokumente, die keine PDF-Dateien sind, "
        "enthält die ZIP-Datei der Sitzungsmappe.",
    }
    cover_pages = 1
    for _ in range(3):
        data["entries"] = _toc(readers, cover_pages)
        cover = compile_pdf(TEMPLATE, data, timestamp=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        pages = len(PdfReader(io.BytesIO(cover)).pages)
        if pages == cover_pages:
            break
        cover_pages = pages
    return cover


def _toc(readers: list[tuple[Entry, PdfReader | None]], cover_pages: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = cover_pages + 1
    section = None
    for entry, reader in readers:
        if entry.section != section:
            section = entry.section
            rows.append({"level": 0, "title": section, "page": str(page) if reader is not None else ""})
        if reader is None:
            rows.append({"level": 1, "title": f"{entry.title} (nur in der ZIP-Datei)", "page": "–"})
            continue
        rows.append({"level": 1, "title": entry.title, "page": str(page)})
        page += len(reader.pages)
    return rows


# --- Download: stamping and ZIP ----------------------------------------------------------------


def stamped_pdf(bundle: Bundle, member_name: str) -> bytes:
    """The cached build with the non-public footer and the member's name on each non-public page."""
    with default_storage.open(bundle.pdf, "rb") as handle:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(handle.read())))
    stamps: dict[tuple[float, float], PageObject] = {}
    for first, last in bundle.nonpublic_pages:
        for index in range(first, last + 1):
            page = writer.pages[index]
            size = (float(page.mediabox.width), float(page.mediabox.height))
            if size not in stamps:
                stamps[size] = _stamp_page(*size, stamp_text(member_name))
            page.merge_page(stamps[size])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stamp_text(member_name: str) -> str:
    return f"{STAMP_TEXT} – {member_name}"


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")  # the standard font's WinAnsi encoding
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _stamp_page(width: float, height: float, text: str) -> PageObject:
    """A transparent page with the footer line (Helvetica, a standard font: nothing to embed)."""
    page = PageObject.create_blank_page(width=width, height=height)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })  # fmt: skip
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/RIStamp"): font})}
    )
    # Marked as an artifact: screen readers skip it, it is not part of the document's text flow.
    operators = b"/Artifact BMC q 0.6 0 0 rg BT /RIStamp 8 Tf 1 0 0 1 56 14 Tm " + _pdf_string(text) + b" Tj ET Q EMC"
    stream = ContentStream(None, None)
    stream.set_data(operators)
    page.replace_contents(stream)
    return page


def zip_bytes(bundle: Bundle, member_name: str) -> bytes:
    """Every document as a single file in agenda order; non-public PDFs carry the footer too."""
    files = File.objects.in_bulk([e["file_id"] for e in bundle.entries])
    out = io.BytesIO()
    stamped_name = stamp_text(member_name)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, entry in enumerate(bundle.entries, start=1):
            file = files.get(entry["file_id"])
            if file is None or file.sha512 != entry["sha512"]:
                continue
            with default_storage.open(str(file.content.name), "rb") as handle:
                data = handle.read()
            if not entry["public"] and data.startswith(b"%PDF"):
                data = _stamp_all(data, stamped_name)
            name = f"{number:02d} {entry['section']} – {entry['file_name'] or entry['title']}".replace("/", "-")
            info = zipfile.ZipInfo(name[:180], date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def _stamp_all(data: bytes, text: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        page.merge_page(_stamp_page(float(page.mediabox.width), float(page.mediabox.height), text))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
