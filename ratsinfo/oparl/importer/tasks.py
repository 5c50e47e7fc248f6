"""Background task of `oparl-import --with-files`: the text of a copied file, for search.

Runs in `ratsinfo worker` (django-tasks, database backend). PDFs are read with pypdfium2,
plain text files decoded; other types keep an empty text. A PDF that pdfium cannot open is
logged and left without text (the file itself stays downloadable).
"""

from __future__ import annotations

import logging

import pypdfium2 as pdfium
from django_tasks import task

from ratsinfo.files.models import File

log = logging.getLogger("ratsinfo.oparl.import")
MAX_CHARS = 5_000_000  # a text field, not an archive: enough for any council document


def extract_text(data: bytes, mime_type: str) -> str:
    if data[:5] == b"%PDF-" or mime_type == "application/pdf":
        pdf = pdfium.PdfDocument(data)
        try:
            parts = []
            for page in pdf:
                textpage = page.get_textpage()
                parts.append(textpage.get_text_bounded())
                textpage.close()
                page.close()
        finally:
            pdf.close()
        return "\n\n".join(p.strip() for p in parts if p.strip())[:MAX_CHARS]
    if mime_type.startswith("text/") and "html" not in mime_type:
        return data.decode("utf-8", errors="replace")[:MAX_CHARS]
    return ""


@task()
def extract_file_text(file_id: int) -> None:
    file = File.objects.filter(pk=file_id).first()
    if file is None or not file.content:
        return
    with file.content.open("rb") as fh:
        data = fh.read()
    try:
        text = extract_text(data, file.mime_type)
    except pdfium.PdfiumError as exc:
        log.warning("Text der Datei %s nicht lesbar: %s", file_id, exc)
        return
    # `text` is not part of the file's history (excluded there): a plain update
    File.objects.filter(pk=file_id).update(text=text.replace("\x00", ""))
