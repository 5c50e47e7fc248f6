"""Uploads: contents stored by checksum, the type read from the bytes, redacted public versions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import IO

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from ratsinfo.files.models import File
from ratsinfo.files.storage import CHUNK_SIZE, ContentTooLarge, StoredContent, store_chunks

Upload = UploadedFile | IO[bytes] | bytes
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


class FileError(ValueError):
    """An upload or change that cannot be made, with a German message for the user."""


def max_upload_bytes() -> int:
    return int(settings.RATSINFO_MAX_UPLOAD_MB) * 1024 * 1024


def clean_file_name(name: str) -> str:
    """The last path part of a client's file name, without control characters, at most 300 long."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub(" ", name).strip(" .")
    if len(name) > 300:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 299 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else name[:300]
    return name


def _chunks(upload: Upload | Iterable[bytes]) -> Iterator[bytes]:
    if isinstance(upload, bytes):
        yield from (upload[i : i + CHUNK_SIZE] for i in range(0, len(upload), CHUNK_SIZE))
    elif isinstance(upload, UploadedFile):
        yield from upload.chunks(CHUNK_SIZE)
    elif hasattr(upload, "read"):
        yield from iter(lambda: upload.read(CHUNK_SIZE), b"")
    else:
        yield from upload


def store_upload(upload: Upload | Iterable[bytes]) -> StoredContent:
    """Store content (streamed, within the size limit); identical content is stored once."""
    limit = max_upload_bytes()
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise FileError(f"Die Datei ist zu groß (höchstens {settings.RATSINFO_MAX_UPLOAD_MB} MB).")
    try:
        stored = store_chunks(_chunks(upload), max_bytes=limit)
    except ContentTooLarge as exc:
        raise FileError(f"Die Datei ist zu groß (höchstens {settings.RATSINFO_MAX_UPLOAD_MB} MB).") from exc
    if stored.size == 0:
        raise FileError("Die Datei ist leer.")
    return stored


def set_content(file: File, stored: StoredContent, file_name: str) -> None:
    """Point a file record at stored content (not saved: bulk writers save many at once)."""
    name = clean_file_name(file_name)
    if not name:
        raise FileError("Die Datei braucht einen Dateinamen.")
    file.content.name = stored.name
    file.size, file.sha512, file.mime_type, file.file_name = stored.size, stored.sha512, stored.mime_type, name


@transaction.atomic
def attach_file(file: File, upload: Upload | Iterable[bytes], *, file_name: str | None = None) -> File:
    """Give a (new or existing) file record its content; size, checksum and MIME type follow the bytes."""
    previous = file.content.name if file.pk else ""
    set_content(file, store_upload(upload), file_name or getattr(upload, "name", "") or file.file_name)
    file.save()
    if previous and previous != file.content.name:
        _release_blob_on_commit(previous)
    return file


@transaction.atomic
def add_public_version(original: File, upload: Upload, *, file_name: str | None = None) -> File:
    """Upload the redacted version the public sees in place of `original` (replacing an earlier one)."""
    original = File.objects.select_for_update().get(pk=original.pk)
    if original.is_redacted_version:
        raise FileError("Eine geschwärzte Fassung kann keine eigene öffentliche Fassung haben.")
    if original.deleted:
        raise FileError("Die Datei ist gelöscht.")
    redacted = original.public_version or File(
        body=original.body, name=original.name, date=original.date, role=original.role, order=original.order,
        paper=original.paper, meeting=original.meeting, agenda_item=original.agenda_item,
        license=original.license, public=True, is_redacted_version=True,
    )
    attach_file(redacted, upload, file_name=file_name or getattr(upload, "name", "") or original.file_name)
    if original.public_version_id != redacted.pk:
        original.public_version = redacted
        original.save(update_fields=["public_version"])
    return redacted


@transaction.atomic
def purge_file(file: File) -> None:
    """Remove a file record for good; its bytes go only if no other record holds the same content."""
    if file.is_redacted_version and File.objects.filter(public_version=file).exists():
        raise FileError("Die öffentliche Fassung kann nicht entfernt werden, solange es das Original gibt.")
    name = file.content.name
    file.delete()
    if name:
        _release_blob_on_commit(name)


def _release_blob_on_commit(name: str) -> None:
    def release() -> None:
        if not File.objects.filter(content=name).exists():
            default_storage.delete(name)

    transaction.on_commit(release)
