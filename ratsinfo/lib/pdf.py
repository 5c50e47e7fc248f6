"""Accessible PDFs from Typst templates (PDF/A-2b for archiving, PDF/UA-1 for screen readers).

Data goes in as JSON through `sys.inputs.data` and is set as text, never evaluated as markup.
One compiler per template is kept for the process: fonts and the parsed template are reused,
so a batch (the demo's few hundred documents) costs milliseconds per document.
"""

from __future__ import annotations

import datetime as dt
import threading
from functools import cache
from pathlib import Path
from typing import Any

import orjson

PDF_STANDARDS = ["a-2b", "ua-1"]
_lock = threading.Lock()  # one compiler object is not meant for two threads at once


@cache
def _compiler(template: Path) -> Any:
    import typst

    return typst.Compiler(str(template), root=str(template.parent), ignore_system_fonts=True)


def compile_pdf(template: Path, data: dict[str, Any], *, timestamp: dt.datetime | None = None) -> bytes:
    """The PDF for `data`; with a fixed `timestamp` equal data give equal bytes (stored once)."""
    with _lock:
        pdf: bytes = _compiler(template).compile(
            format="pdf",
            sys_inputs={"data": orjson.dumps(data, default=str).decode()},
            pdf_standards=PDF_STANDARDS,
            timestamp=timestamp,
        )
    return pdf
