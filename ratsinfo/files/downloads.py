"""The one way bytes of a file reach a reader: portal `/dateien/<id>/` and OParl access/download.

Visibility is decided by `File.objects.visible_to`; a file the reader may not see and a file
whose bytes are missing look the same (None here, 404 in the views). Answers carry the
checksum as ETag (304 on If-None-Match), honour single byte ranges (206/416), and open inline
only for types a browser shows without running anything (PDF, plain images, plain text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import IO
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.utils.http import parse_etags

from ratsinfo.files.models import File
from ratsinfo.files.storage import CHUNK_SIZE
from ratsinfo.lib.access import Viewer

INLINE_TYPES = frozenset({
    "application/pdf", "text/plain", "image/png", "image/jpeg", "image/gif", "image/webp",
})  # fmt: skip
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_NOT_QUOTABLE = re.compile(r'[^\x20-\x7e]|["\\%;]')
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def visible_file(viewer: Viewer | None, pk: int) -> File | None:
    return File.objects.visible_to(viewer).filter(pk=pk).first()


def content_disposition(disposition: str, file_name: str) -> str:
    """RFC 6266: an ASCII fallback name plus the exact UTF-8 name (RFC 5987); nothing can break out."""
    exact = unicodedata.normalize("NFC", re.sub(r"[\x00-\x1f\x7f]", "", file_name)).strip() or "datei"
    ascii_name = unicodedata.normalize("NFKD", exact.translate(_GERMAN)).encode("ascii", "ignore").decode()
    fallback = _NOT_QUOTABLE.sub("_", ascii_name).strip() or "datei"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(exact, safe='')}"


def _parse_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) of a single satisfiable range; False if unsatisfiable; None to send it all."""
    match = _RANGE.match(header.replace(" ", ""))
    if match is None:  # several ranges or another unit: answer with the whole file (RFC 9110 allows it)
        return None
    first_raw, last_raw = match.groups()
    if not first_raw:
        if not last_raw or int(last_raw) == 0 or size == 0:
            return False
        return max(0, size - int(last_raw)), size - 1
    first = int(first_raw)
    last = min(int(last_raw), size - 1) if last_raw else size - 1
    if first >= size or (last_raw and int(last_raw) < first):
        return False
    return first, last


def _slice(handle: IO[bytes], first: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(first)
        while length > 0:
            chunk = handle.read(min(CHUNK_SIZE, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


def file_response(request: HttpRequest, file: File, *, attachment: bool = False) -> HttpResponseBase | None:
    """Stream the bytes of a visible file, or None if it has none (the caller answers 404)."""
    name = file.content.name
    if not name or not default_storage.exists(name):
        return None
    try:
        size = default_storage.size(name)
    except OSError:
        return None
    etag = f'"{file.sha512}"' if file.sha512 else None
    mime = file.mime_type or "application/octet-stream"
    headers = {
        "Content-Disposition": content_disposition(
            "attachment" if attachment or mime not in INLINE_TYPES else "inline", file.file_name or f"datei-{file.pk}"
        ),
        "X-Content-Type-Options": "nosniff",
        "Accept-Ranges": "bytes",
        # Revalidate each time: the same address may serve other bytes after a new upload.
        "Cache-Control": "private, no-cache",
    }
    if mime != "application/pdf":  # a sandboxed PDF would not open in Chromium's viewer
        headers["Content-Security-Policy"] = "sandbox"
    if etag:
        headers["ETag"] = etag
        if etag in parse_etags(request.headers.get("If-None-Match", "")) or request.headers.get("If-None-Match") == "*":
            return HttpResponse(status=304, headers={k: v for k, v in headers.items() if k != "Content-Disposition"})
    requested = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    wanted = _parse_range(requested, size) if requested and (if_range is None or if_range == etag) else None
    if wanted is False:
        return HttpResponse(status=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    try:
        handle = default_storage.open(name, "rb")
    except OSError:
        return None
    if isinstance(wanted, tuple):
        first, last = wanted
        response: HttpResponseBase = StreamingHttpResponse(_slice(handle, first, last - first + 1), status=206)
        headers |= {"Content-Range": f"bytes {first}-{last}/{size}", "Content-Length": str(last - first + 1)}
    else:
        response = FileResponse(handle)
        headers["Content-Length"] = str(size)
    # Set after construction: FileResponse would derive a disposition from the blob's name.
    for header, value in {**headers, "Content-Type": mime}.items():
        response[header] = value
    return response
