"""Content-addressed storage of file contents through Django's storage API.

A blob's name derives from its sha-512, so identical content is stored once and several File
rows may share one blob. Blobs are private: bytes reach a reader only through
`ratsinfo.files.downloads`, which checks visibility first.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

import puremagic
from django.core.files import File as DjangoFile
from django.core.files.storage import default_storage

CHUNK_SIZE = 1024 * 1024
PREFIX = "inhalte"
# Markup a browser would run (script in HTML, SVG, XML stylesheets): named so downloads treat it as active.
_MARKUP = (
    (b"<svg", "image/svg+xml"),
    (b"<!doctype html", "text/html"),
    (b"<html", "text/html"),
    (b"<?xml", "application/xml"),
)


class ContentTooLarge(ValueError):
    """The content exceeds the given limit (nothing has been stored)."""


@dataclass(frozen=True)
class StoredContent:
    name: str
    sha512: str
    size: int
    mime_type: str


def blob_name(sha512: str) -> str:
    return f"{PREFIX}/{sha512[:2]}/{sha512[2:4]}/{sha512}"


def sniff_mime_type(handle: IO[bytes]) -> str:
    """The MIME type read from the content itself (the client's name and type are never trusted)."""
    handle.seek(0)
    head = handle.read(4096)
    handle.seek(0)
    try:
        matches = puremagic.magic_stream(handle)
    except (puremagic.PureError, ValueError):
        matches = []
    finally:
        handle.seek(0)
    for match in matches:
        if match.mime_type:
            return str(match.mime_type)
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for marker, mime in _MARKUP:
        if lowered.startswith(marker) or (mime != "application/xml" and marker in lowered[:1024]):
            return mime
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a multi-byte character cut at the end is fine
                return "application/octet-stream"
        return "text/plain"
    return "application/octet-stream"


def store_chunks(chunks: Iterable[bytes], max_bytes: int | None = None) -> StoredContent:
    """Stream chunks to a temporary file while hashing, then into storage unless already there."""
    digest = hashlib.sha512()
    size = 0
    with tempfile.TemporaryFile() as spool:
        for chunk in chunks:
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                raise ContentTooLarge(size)
            digest.update(chunk)
            spool.write(chunk)
        sha512 = digest.hexdigest()
        mime_type = sniff_mime_type(spool)
        name = blob_name(sha512)
        if not default_storage.exists(name):
            # Two uploads of the same bytes at the same moment may leave a renamed second copy:
            # still correct, only not deduplicated.
            name = default_storage.save(name, DjangoFile(spool, name=name))
    return StoredContent(name=name, sha512=sha512, size=size, mime_type=mime_type)


def store_bytes(data: bytes) -> StoredContent:
    return store_chunks([data[i : i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE)] or [b""])

