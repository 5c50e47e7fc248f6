"""Orchestration of an OParl import: crawl (or replay a dump), apply group by group, resume.

Each group of pages (what has arrived of one list, see pipeline.py) is written in one
transaction together with the cursor that says which page comes next, so `kill -9` at any
moment loses at most the group in flight and the next run resumes there. A run that read every list without error advances `ImportSource.last_success_started`;
the next run asks the server only for `modified_since` that moment.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from ratsinfo.oparl import types as T
from ratsinfo.oparl.importer import faults as F
from ratsinfo.oparl.importer import files
from ratsinfo.oparl.importer.clean import Cleaner, NotJSON, parse_json, type_of
from ratsinfo.oparl.importer.client import Client, ClientConfig, iter_list
from ratsinfo.oparl.importer.dump import DumpWriter, read_index, read_page
from ratsinfo.oparl.importer.mapping import FETCH, MODELS, Applier, Stats
from ratsinfo.oparl.importer.pipeline import ListFeed
from ratsinfo.oparl.models import (
    Alias,
    ImportRun,
    ImportSource,
    ListCursor,
    PendingLink,
    PendingObject,
)
from ratsinfo.search.outbox import mark_objects

log = logging.getLogger("ratsinfo.oparl.import")

# Body lists in dependency order (targets before the objects that point at them).
BODY_LISTS = [
    ("legislativeTermList", "LegislativeTerm"),
    ("locationList", "Location"),
    ("organization", "Organization"),
    ("person", "Person"),
    ("membership", "Membership"),
    ("meeting", "Meeting"),
    ("paper", "Paper"),
    ("agendaItem", "AgendaItem"),
    ("consultation", "Consultation"),
    ("file", "File"),
]
LIST_TYPES = dict(BODY_LISTS) | {"body": "Body"}
MAX_LINK_FETCHES = 100_000
GROUP_OBJECTS = 1000  # list entries written in one transaction at most (pages already fetched)
DIR_PAGES_PER_TRANSACTION = 10
# modified_since is our clock, the server filters by its own: overlap a little (re-imports are cheap)
SINCE_MARGIN = dt.timedelta(minutes=5)


class ImportFailed(Exception):
    """The import cannot start (entry URL unreadable, dump missing)."""


@dataclass
class ImportOptions:
    url: str | None = None
    from_dir: str | None = None
    dump_dir: str | None = None
    full: bool = False
    with_files: bool = False  # also copy the bytes of every file (after the metadata)
    progress: bool | None = None  # None: only on a terminal
    client: ClientConfig = field(default_factory=ClientConfig)
    transport: Any = None  # httpx transport, for tests


@dataclass
class ImportResult:
    stats: Stats
    run: ImportRun | None
    seconds: float
    objects: int = 0
    pages: int = 0
    requests: int = 0
    complete: bool = True
    missing: list[str] = field(default_factory=list)  # what an incomplete run lacks
    faults: list[str] = field(default_factory=list)
    files: str = ""  # outcome of --with-files

    def missing_line(self) -> str:
        """One German line for cron and monitoring: what an incomplete run is missing."""
        shown = "; ".join(self.missing[:3]) + (f" (und {len(self.missing) - 3} weitere)" if len(self.missing) > 3 else "")
        return f"OParl-Import unvollständig: {shown or 'Ursache unbekannt'}"

    @property
    def rate(self) -> float:
        return self.objects / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        head = (f"OParl-Import {'abgeschlossen' if self.complete else 'unvollständig'}: {self.objects} Objekte "
                f"auf {self.pages} Seiten in {self.seconds:.1f} s ({self.rate:.0f} Objekte/s)")
        text = head + "\n" + self.stats.table()
        if self.files:
            text += "\n" + self.files
        if self.faults:
            text += "\nServerfehler (repariert bzw. übergangen):\n" + "\n".join(f"  {line}" for line in self.faults)
        return text


@dataclass
class Page:
    kind: str  # "system", "list", "object"
    url: str
    raw: bytes
    objects: list[Any]
    expected: str | None
    body_url: str
    list_name: str = ""
    key: str = ""  # cursor key of the list
    next_url: str | None = None
    total: int | None = None
    raws: list[tuple[str, bytes]] = field(default_factory=list)  # (url, bytes) of each page, for --dump
    n_pages: int = 1


def _format_since(value: dt.datetime) -> str:
    return T.format_datetime(value.astimezone(dt.UTC))


class Crawler:
    """Walks an OParl server: System -> bodies -> each body's lists, page by page."""

    def __init__(self, client: Client, entry_url: str, filters: dict[str, str],
                 cursors: dict[str, tuple[str, bool]], keep_raw: bool = False) -> None:
        self.client = client
        self.keep_raw = keep_raw
        self.entry_url = entry_url
        self.filters = filters
        self.cursors = cursors  # key -> (next url, done)
        self.errors: list[str] = []
        self.body_urls: list[str] = []

    def pages(self) -> Iterator[Page]:
        entry = self.client.get(self.entry_url)
        if not entry.ok:
            raise ImportFailed(f"Einstiegs-URL nicht lesbar: {self.entry_url}: {entry.error or entry.status}")
        data = entry.data
        kind = type_of(data)
        bodies: list[dict[str, Any]] = []
        if kind == "System":
            yield Page("system", self.entry_url, entry.raw, [], None, "")
            body_list = data.get("body")
            if isinstance(body_list, str):
                outcome: dict[str, Any] = {}
                for page in iter_list(self.client, body_list, {}, outcome=outcome):
                    bodies += [b for b in page.data if isinstance(b, dict)]
                    yield Page("list", page.url, page.raw, page.data, "Body", "", "body")
                if outcome.get("error"):
                    self.errors.append(f"Liste der Körperschaften ab {outcome['error']}")
            else:
                raise ImportFailed(f"System ohne Liste der Körperschaften: {self.entry_url}")
        elif kind == "Body":
            if data.get("id") != self.entry_url:
                log.warning("OParl-Körperschaft %s meldet abweichende id %s", self.entry_url, data.get("id"))
            bodies = [data]
            yield Page("object", self.entry_url, entry.raw, [data], "Body", str(data.get("id")))
        else:
            raise ImportFailed(f"Einstiegs-URL ist weder System noch Body: {self.entry_url}")
        if not any(isinstance(b.get("id"), str) for b in bodies):
            self.errors.append(f"keine Körperschaft (Body) unter {self.entry_url} gefunden")
        for body in bodies:
            body_url = body.get("id")
            if isinstance(body_url, str):
                self.body_urls.append(body_url)
                yield from self._body_lists(body, body_url)

    def _body_lists(self, body: dict[str, Any], body_url: str) -> Iterator[Page]:
        feeds: list[tuple[str, str, str, ListFeed]] = []
        for list_field, type_name in BODY_LISTS:
            list_url = body.get(list_field)
            if isinstance(list_url, list) or not isinstance(list_url, str) or not list_url.startswith("http"):
                continue  # 1.0 bodies have fewer lists; embedded lists come with the body
            key = f"{body_url}#{list_field}"
            resume, done = self.cursors.get(key, ("", False))
            if done:
                continue
            feed = ListFeed(self.client, list_url, self.filters, resume or None, self.keep_raw)
            feeds.append((list_field, type_name, key, feed))
        # every list is fetched ahead at once (the client caps the requests in flight); they are
        # written in dependency order
        for *_rest, feed in feeds:
            feed.start()
        try:
            for list_field, type_name, key, feed in feeds:
                for group in feed.groups(GROUP_OBJECTS):
                    last = group[-1]
                    yield Page("list", group[0].url, b"", [o for p in group for o in p.data], type_name, body_url,
                               list_field, key, last.next_url, last.total,
                               raws=[(p.url, p.raw) for p in group] if self.keep_raw else [], n_pages=len(group))
                if feed.outcome.get("error"):
                    self.errors.append(f"Liste {list_field} ab {feed.outcome['error']}")
                yield Page("end", str(body.get(list_field)), b"", [], type_name, body_url, list_field, key)
        finally:
            for *_rest, feed in feeds:
                feed.close()


class Importer:
    def __init__(self, options: ImportOptions) -> None:
        self.options = options
        self.stats = Stats()
        self.objects = 0
        self.pages = 0
        self.client: Client | None = None
        self.faults = F.Faults()
        self.cleaner = Cleaner(self.faults)
        self.missing: list[str] = []
        self.files_summary = ""
        self.body_urls: list[str] = []  # bodies this run read, in order
        self.dump: DumpWriter | None = None
        self.bar: Any = None
        self.applier: Applier | None = None

    # -- public

    def run(self) -> ImportResult:
        began = time.perf_counter()
        show = self.options.progress if self.options.progress is not None else sys.stderr.isatty()
        self.bar = tqdm(unit=" Obj.", disable=not show, file=sys.stderr, dynamic_ncols=True)
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # the settings map up to 256 MB of the database file into memory; an import
            # walks the whole file once, so keep it out of the process (bounded memory)
            # and checkpoint the write-ahead log less often: fewer fsyncs, pages copied once
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA mmap_size=0")
                cursor.execute("PRAGMA wal_autocheckpoint=16384")
        try:
            if self.options.from_dir:
                run, complete = self._run_dir(Path(self.options.from_dir))
            else:
                run, complete = self._run_url()
        finally:
            self.bar.close()
            if self.client is not None:
                self.client.close()
            if self.dump is not None:
                self.dump.close()
        self.faults.log_summary()
        return ImportResult(self.stats, run, time.perf_counter() - began, self.objects, self.pages,
                            self.client.requests if self.client else 0, complete, list(self.missing),
                            self.faults.summary(), self.files_summary)

    # -- URL mode

    def _start_run(self, source: ImportSource, mode: str, dump_dir: str = "") -> ImportRun:
        running = source.runs.filter(status=ImportRun.Status.RUNNING)
        resumable = running.filter(mode=mode, dump_dir=dump_dir).order_by("-started").first()
        (running.exclude(pk=resumable.pk) if resumable else running).update(status=ImportRun.Status.ABANDONED)
        if resumable is not None:
            log.info("Setze unterbrochenen OParl-Import vom %s fort", resumable.started)
            return resumable
        since = None if self.options.full or mode != "url" else source.last_success_started
        if since is not None:
            since -= SINCE_MARGIN
        return ImportRun.objects.create(source=source, mode=mode, dump_dir=dump_dir, started=timezone.now(),
                                        modified_since=since)

    def _run_url(self) -> tuple[ImportRun, bool]:
        url = (self.options.url or "").strip()
        if not url.startswith(("http://", "https://")):
            raise ImportFailed(f"Keine gültige OParl-URL: {url!r}")
        self.client = Client(self.options.client, transport=self.options.transport, faults=self.faults)
        if self.options.dump_dir:
            self.dump = DumpWriter(self.options.dump_dir)
        source, _ = ImportSource.objects.get_or_create(url=url)
        run = self._start_run(source, "url")
        applier = self.applier = Applier(source, self.stats, self.cleaner)
        filters = {"modified_since": _format_since(run.modified_since)} if run.modified_since else {}
        # a list whose last page was written (no next link) is done even if the run died before saying so
        cursors = {c.key: (c.next_url, c.done or (c.pages > 0 and not c.next_url)) for c in run.cursors.all()}
        crawler = Crawler(self.client, url, filters, cursors, keep_raw=self.dump is not None)
        self.body_urls = crawler.body_urls
        for page in crawler.pages():
            if page.kind == "end":
                ListCursor.objects.update_or_create(run=run, key=page.key, defaults={"done": True, "next_url": ""})
                continue
            if self.dump is not None:
                for page_url, raw in page.raws or [(page.url, page.raw)]:
                    self.dump.write(url=page_url, raw=raw, kind=page.kind, body=page.body_url,
                                    list_name=page.list_name)
            self._apply(applier, page, run)
        self._resolve_pending(applier, source, fetch=True)
        self.missing += crawler.errors
        complete = not crawler.errors
        self._finish(run, source, complete)
        if self.options.with_files:
            self._copy_files(crawler.body_urls)
        return run, complete

    def _copy_files(self, body_urls: list[str]) -> None:
        from ratsinfo.bodies.models import Body

        assert self.client is not None
        body_ids = list(Body.objects.filter(source_url__in=body_urls).values_list("pk", flat=True))
        self.files_summary = files.summary(files.fetch_files(self.client, body_ids, self.options.client.connections))

    # -- dir mode

    def _run_dir(self, directory: Path) -> tuple[ImportRun, bool]:
        if not (directory / "index.jsonl").is_file():
            raise ImportFailed(f"Kein OParl-Dump (index.jsonl fehlt): {directory}")
        entries = read_index(directory)
        first = next(entries, None)
        if first is None:
            raise ImportFailed(f"OParl-Dump ist leer: {directory}")
        source, _ = ImportSource.objects.get_or_create(url=first.url)
        run = self._start_run(source, "dir", str(directory.resolve()))
        applier = self.applier = Applier(source, self.stats, self.cleaner)
        pending = (e for e in _chain(first, entries) if e.n > run.dump_position and e.kind != "system")
        while True:
            # several dump pages per transaction (fewer commits); the position is saved with
            # them, so a kill loses at most this group and the next run repeats it
            group = list(itertools.islice(pending, DIR_PAGES_PER_TRANSACTION))
            if not group:
                break
            with transaction.atomic():
                for entry in group:
                    self._apply(applier, self._dump_page(directory, entry), run, dump_position=entry.n)
        self._resolve_pending(applier, source, fetch=False)
        self._finish(run, source, True, advance=False)
        return run, True

    def _dump_page(self, directory: Path, entry: Any) -> Page:
        raw = read_page(directory, entry)
        objects: list[Any] = []
        if raw is not None:
            try:
                data = parse_json(raw, self.faults, entry.url)
            except NotJSON as exc:
                log.warning("Dump-Seite übersprungen: %s (%s): %s", entry.url, entry.file, exc)
                data = None
            if isinstance(data, dict) and isinstance(data.get("data"), list | dict):
                items = data["data"]
                objects = items if isinstance(items, list) else [items]
            elif isinstance(data, dict):
                objects = [data]
        expected = LIST_TYPES.get(entry.list) if entry.kind == "list" else None
        return Page(entry.kind, entry.url, b"", objects, expected, entry.body, entry.list)

    # -- shared

    def _apply(self, applier: Applier, page: Page, run: ImportRun, dump_position: int | None = None) -> None:
        with transaction.atomic():
            _no_commit_flush()
            n = 0
            if page.expected == "Body":
                for body in page.objects:
                    body_url = body.get("id") if isinstance(body, dict) else None
                    n += applier.apply_page([body], "Body", str(body_url or ""), page.url)
            elif page.objects:
                n = applier.apply_page(page.objects, page.expected, page.body_url, page.url)
            if dump_position is not None:
                run.dump_position = dump_position
                run.save(update_fields=["dump_position"])
            elif page.key:
                cursor, _ = ListCursor.objects.get_or_create(run=run, key=page.key)
                cursor.next_url = page.next_url or ""
                cursor.pages += page.n_pages
                cursor.save(update_fields=["next_url", "pages"])
        self.objects += n
        self.pages += page.n_pages
        if self.bar is not None:
            if page.list_name:
                self.bar.set_postfix_str(page.list_name, refresh=False)
            self.bar.update(n)

    def _fetch_object(self, applier: Applier, url: str, expected: str | None) -> bool:
        assert self.client is not None
        fetched = self.client.get(url)
        if not fetched.ok:
            log.warning("Verlinktes OParl-Objekt nicht abrufbar (%s): %s", fetched.error or fetched.status, url)
            return False
        data = fetched.data
        if isinstance(data.get("id"), str) and data["id"] != url:
            log.warning("OParl-Objekt %s meldet abweichende id %s", url, data["id"])
            applier.aliases[url] = data["id"]
            Alias.objects.update_or_create(source=applier.source, url=url[:500],
                                           defaults={"target_url": data["id"][:500]})
        body_url = data.get("body") if isinstance(data.get("body"), str) else ""
        if not body_url:
            body_url = (PendingObject.objects.filter(source=applier.source, missing=url)
                        .values_list("body_url", flat=True).first() or "")
        if not body_url:
            # a body of this server, never another import's (several sources share one installation)
            body_url = self.body_urls[0] if self.body_urls else ""
        if self.dump is not None:
            self.dump.write(url=url, raw=fetched.raw, kind="object", body=body_url)
        self.faults.note(F.UNLISTED, url, "einzeln abgerufen")
        with transaction.atomic():
            n = applier.apply_page([data], expected, body_url, url)
        self.objects += n
        return n > 0

    def _retry_pending_objects(self, applier: Applier, source: ImportSource) -> None:
        pending = list(source.pending_objects.all()[:5000])
        if not pending:
            return
        with transaction.atomic():
            source.pending_objects.filter(pk__in=[p.pk for p in pending]).delete()
            items = [it for p in pending if (it := applier.item_from_pending(p)) is not None]
            for it in items:
                applier.stats.add(it.type, "zurückgestellt", -1)
            applier.apply_items(items, "zurückgestellte Objekte")

    def _resolve_pending(self, applier: Applier, source: ImportSource, fetch: bool) -> None:
        self._retry_pending_objects(applier, source)
        if fetch:
            wanted: dict[str, str | None] = {}
            for url in source.pending_objects.values_list("missing", flat=True)[:MAX_LINK_FETCHES]:
                wanted.setdefault(url, None)
            for url, target in source.pending_links.values_list("target_url", "target_type").distinct()[
                    :MAX_LINK_FETCHES]:
                wanted.setdefault(url, target)
            dead: set[str] = set()
            for url, target_type in wanted.items():
                if not self._known(url, target_type) and not self._fetch_object(applier, url, target_type):
                    dead.add(url)
            if wanted:
                self._retry_pending_objects(applier, source)
        self._resolve_links(applier, source)
        if fetch:
            for dead_url in dead:
                n, _ = source.pending_links.filter(target_url=dead_url).delete()
                if n:
                    log.warning("%s Verweis(e) auf %s bleiben leer (Ziel nicht abrufbar)", n, dead_url)
        for p in source.pending_objects.all()[:1000]:
            log.warning("OParl-Objekt übersprungen: %s: verweist auf fehlendes %s", p.url, p.missing)
            self.stats.add(p.type_name, "übersprungen")
        for counter in self.stats.counts.values():
            counter.pop("zurückgestellt", None)

    def _known(self, url: str, target: str | None) -> bool:
        if target is None:
            return any(m._default_manager.filter(source_url=url).exists() for m in MODELS.values())
        return MODELS[target]._default_manager.filter(source_url=url).exists()

    def _resolve_links(self, applier: Applier, source: ImportSource) -> None:
        from django.apps import apps

        last_pk = 0
        while True:
            batch = list(source.pending_links.filter(pk__gt=last_pk).order_by("pk")[:2000])
            if not batch:
                return
            last_pk = batch[-1].pk
            with transaction.atomic():
                by_target: dict[str, set[str]] = {}
                for link in batch:
                    by_target.setdefault(link.target_type, set()).add(link.target_url)
                pks = {t: applier.resolve(t, urls) for t, urls in by_target.items()}
                done: list[int] = []
                linked: dict[str, set[int]] = {}
                for link in batch:
                    target_pk = pks[link.target_type].get(link.target_url)
                    if target_pk is None:
                        continue
                    done.append(link.pk)
                    if link.model == FETCH:
                        continue
                    model = apps.get_model(link.model)
                    linked.setdefault(link.model, set()).add(link.object_id)
                    f = model._meta.get_field(link.field.removesuffix("_id"))
                    if f.many_to_many:
                        through = f.remote_field.through
                        src, dst = f.m2m_field_name(), f.m2m_reverse_field_name()
                        rows = [through(**{f"{src}_id": link.object_id, f"{dst}_id": target_pk})]
                        if getattr(f.remote_field, "symmetrical", False) and target_pk != link.object_id:
                            rows.append(through(**{f"{src}_id": target_pk, f"{dst}_id": link.object_id}))
                        through._default_manager.bulk_create(rows, ignore_conflicts=True)
                    elif f.one_to_one and model._default_manager.filter(**{f.attname: target_pk}).exists():
                        log.warning("Verweis %s -> %s nicht gesetzt: Ziel schon vergeben", link, link.target_url)
                    else:
                        model._default_manager.filter(pk=link.object_id).update(**{f.attname: target_pk})
                PendingLink.objects.filter(pk__in=done).delete()
                for label, object_ids in linked.items():  # set without save(): tell the search index
                    mark_objects(apps.get_model(label), object_ids)

    def _finish(self, run: ImportRun, source: ImportSource, complete: bool, advance: bool = True) -> None:
        from ratsinfo.files.models import File
        from ratsinfo.meetings.models import AgendaItem
        from ratsinfo.papers.models import Paper

        # What the public can now see of the import has been public (lib.models.mark_ever_public),
        # decided by the models' own visibility rule rather than by the mapper.
        for model in (Paper, AgendaItem, File):
            model.objects.filter(source_url__isnull=False, ever_public=False).mark_ever_public()
        run.status = ImportRun.Status.DONE
        run.finished = timezone.now()
        run.stats = self.stats.as_dict()
        run.save(update_fields=["status", "finished", "stats"])
        if complete and advance:
            source.last_success_started = run.started
            source.save(update_fields=["last_success_started"])
        elif not complete:
            log.warning("OParl-Import unvollständig (Listen brachen ab); der nächste Lauf fragt ab dem "
                        "letzten vollständigen Lauf nach")


def _no_commit_flush() -> None:
    """PostgreSQL: this transaction's commit does not wait for the disk. A crash can lose the last
    groups, but each takes its cursor with it, so the next run imports them again; the database
    stays consistent (SQLite's WAL with synchronous=NORMAL behaves the same already)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def run_import(options: ImportOptions) -> ImportResult:
    return Importer(options).run()


def dump_only(url: str, directory: str, config: ClientConfig | None = None, transport: Any = None) -> int:
    """Crawl a server into a dump directory without touching the database; returns pages."""
    client = Client(config or ClientConfig(), transport=transport)
    writer = DumpWriter(directory)
    pages = 0
    try:
        for page in Crawler(client, url, {}, {}, keep_raw=True).pages():
            if page.kind != "end":
                for page_url, raw in page.raws or [(page.url, page.raw)]:
                    writer.write(url=page_url, raw=raw, kind=page.kind, body=page.body_url, list_name=page.list_name)
                    pages += 1
    finally:
        writer.close()
        client.close()
    return pages
