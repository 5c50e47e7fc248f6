"""Vorlagen and their Anlagen as accessible PDFs generated from their text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ratsinfo.files.models import File
from ratsinfo.lib.pdf import compile_pdf

TEMPLATE = Path(__file__).parent / "typst" / "document.typ"


def render_paper_file(file: File) -> bytes:
    """A file of a Vorlage (main file or Anlage) as a PDF of its text."""
    paper = file.paper
    title = file.name or file.file_name.rsplit(".", 1)[0]
    meta = []
    if paper is not None:
        meta.append(("Vorlage", f"{paper.reference} – {paper.name}" if paper.reference else paper.name))
    if file.date:
        meta.append(("Datum", f"{file.date:%d.%m.%Y}"))
    paragraphs = [p.strip() for p in file.text.split("\n\n") if p.strip()] or [title]
    data = {
        "doc_title": title,
        "author": file.body.name,
        "meta": meta,
        "paragraphs": paragraphs,
    }
    day = file.date or (paper.date if paper is not None else None) or dt.date(2000, 1, 1)
    return compile_pdf(TEMPLATE, data, timestamp=dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC))
