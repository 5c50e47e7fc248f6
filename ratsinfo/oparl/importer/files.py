"""`oparl-import --with-files`: the bytes of every imported file, after the metadata.

Downloads run concurrently (the client's `connections`, Retry-After honoured, at most twice as
many downloads in flight as connections) while the main thread stores them in groups of
`STORE_GROUP` files per transaction, with their `FileFetch` rows: a `kill -9` loses at most the
files in flight and the group not yet committed, and the next run asks only for files without
content. Size and SHA-512 are checked where the server gives them; an HTML page (status 200 or
an error status) or a wrong checksum marks the file failed with the reason and the run goes
on; a failed file is tried again by the next runs, `MAX_ATTEMPTS` times in all. A URL shared by
several files is downloaded once. Text extraction is queued as a background task
(`tasks.extract_file_text`).
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q

from ratsinfo.files.models import File
from ratsinfo.oparl.importer.client import Client, Fetched
from ratsinfo.oparl.models import FileFetch

log = logging.getLogger("ratsinfo.oparl.import")

MAX_BYTES = 200_000_000  # larger files are left as links (and marked failed with the reason)
MAX_ATTEMPTS = 3
BATCH = 500
STORE_GROUP = 50  # files stored per transaction (a kill loses at most these)
STORE_BYTES = 64_000_000  # … or fewer when they are large (bounded memory)


@dataclass
class Wanted:
    url: str
    file_ids: list[int]
    size: int | None
    sha512: str
    mime_type: str
    file_name: str


def pending_files(body_ids: Iterable[int]) -> Iterator[list[Wanted]]:
    """Files of these bodies that have an external URL and no content yet, in batches."""
    last = 0
    base = (File.objects.filter(body_id__in=list(body_ids), source_url__isnull=False, deleted=False, content="")
            .exclude(external_access_url="")
            .exclude(oparl_fetch__state=FileFetch.State.DONE)
            .exclude(Q(oparl_fetch__state=FileFetch.State.FAILED) & Q(oparl_fetch__attempts__gte=MAX_ATTEMPTS)))
    while True:
        rows = list(base.filter(pk__gt=last).order_by("pk").values_list(
            "pk", "external_access_url", "size", "sha512", "mime_type", "file_name")[:BATCH])
        if not rows:
            return
        last = rows[-1][0]
        by_url: dict[str, Wanted] = {}
        for pk, url, size, sha512, mime_type, file_name in rows:
            if url in by_url:
                by_url[url].file_ids.append(pk)
            else:
                by_url[url] = Wanted(url, [pk], size, sha512.lower(), mime_type, file_name)
        yield list(by_url.values())


def problem(wanted: Wanted, fetched: Fetched) -> str:
    """Why these bytes are not the file (empty: they are)."""
    if not fetched.ok:
        return fetched.error or f"HTTP {fetched.status}"
    data, ctype = fetched.raw, str(fetched.data or "").lower()
    head = data[:300].lstrip().lower()
    if ("html" in ctype or head.startswith((b"<!doctype html", b"<html"))) and "html" not in wanted.mime_type:
        return f"HTML-Seite statt Datei (Status {fetched.status})"
    if wanted.size is not None and wanted.size != len(data):
        return f"Größe {len(data)} Bytes statt angegebener {wanted.size}"
    if wanted.sha512 and hashlib.sha512(data).hexdigest() != wanted.sha512:
        return "SHA-512-Prüfsumme stimmt nicht"
    return ""


def store_contents(done: list[tuple[int, bytes]]) -> None:
    """The one place that stores imported bytes (through File.set_content), with the fetch
    state, several files in one transaction."""
    from ratsinfo.oparl.importer.tasks import extract_file_text

    with transaction.atomic():
        files = File.objects.in_bulk([file_id for file_id, _data in done])
        for file_id, data in done:
            file = files[file_id]
            file.set_content(data, file.file_name)
            file._change_reason = "OParl-Import: Inhalt"  # type: ignore[attr-defined]
            # `modified` stays the source's: a mirrored object is as new as its original, and a
            # re-import must find it unchanged
            file.save(keep_modified=True)
            _mark(file_id, FileFetch.State.DONE, "")
            transaction.on_commit(lambda pk=file_id: extract_file_text.enqueue(pk))  # type: ignore[misc]


def _mark(file_id: int, state: str, reason: str) -> None:
    updated = FileFetch.objects.filter(file_id=file_id).update(state=state, reason=reason[:500],
                                                                attempts=F("attempts") + 1)
    if not updated:
        FileFetch.objects.create(file_id=file_id, state=state, reason=reason[:500], attempts=1)


def fetch_files(client: Client, body_ids: Iterable[int], connections: int) -> Counter[str]:
    """Download and store the pending files; returns counts by outcome."""
    counts: Counter[str] = Counter()
    failures: dict[str, int] = defaultdict(int)
    window = max(1, connections) * 2
    done: list[tuple[int, bytes]] = []
    held = 0
    with ThreadPoolExecutor(max_workers=max(1, connections), thread_name_prefix="oparl-file") as pool:
        for batch in pending_files(body_ids):
            running: dict[Future[Fetched], Wanted] = {}
            todo = list(batch)
            while todo or running:
                while todo and len(running) < window:
                    item = todo.pop(0)
                    running[pool.submit(client.get_bytes, item.url, MAX_BYTES)] = item
                finished, _rest = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    item = running.pop(future)
                    fetched = future.result()
                    if _settle(item, fetched, counts, failures):
                        done += [(file_id, fetched.raw) for file_id in item.file_ids]
                        held += len(fetched.raw)
                if len(done) >= STORE_GROUP or held >= STORE_BYTES:
                    store_contents(done)
                    done, held = [], 0
            if done:
                store_contents(done)
                done, held = [], 0
    for reason, n in failures.items():
        log.warning("Dateien nicht kopiert (%s): %s", reason, n)
    return counts


def _settle(item: Wanted, fetched: Fetched, counts: Counter[str], failures: dict[str, int]) -> bool:
    """Counts the outcome; marks a failure at once. True: the bytes are to be stored."""
    reason = problem(item, fetched)
    if reason:
        if not failures:
            log.warning("Datei nicht kopiert: %s: %s", item.url, reason)
        failures[reason.split(" (")[0]] += len(item.file_ids)
        with transaction.atomic():
            for file_id in item.file_ids:
                _mark(file_id, FileFetch.State.FAILED, reason)
        counts["fehlgeschlagen"] += len(item.file_ids)
        return False
    counts["geladen"] += len(item.file_ids)
    return True


def summary(counts: Counter[str]) -> str:
    parts: list[Any] = [f"{n} {k}" for k, n in sorted(counts.items())]
    return "Dateien: " + (", ".join(parts) if parts else "nichts zu laden")
