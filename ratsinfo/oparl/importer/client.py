"""HTTP side of the importer: a patient, suspicious client for real OParl servers.

Retries with exponential backoff on network errors, 5xx, 429 (honouring Retry-After) and
HTML pages sent with status 200; 401/403/404/410 are final. `iter_list` walks a paginated
list and guards against what servers do wrong with `next` links: endless repetition,
links that drop our filters, pages that only repeat what we have already seen.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from ratsinfo.oparl.importer import faults as F
from ratsinfo.oparl.importer.clean import NotJSON, parse_json, type_of

log = logging.getLogger("ratsinfo.oparl.import")

USER_AGENT = "ratsinfo-oparl-importer/1.0 (+https://github.com/ratsinfo)"
FINAL_STATUSES = {400, 401, 403, 404, 405, 410, 451}


@dataclass
class Fetched:
    url: str
    status: int
    data: Any = None
    raw: bytes = b""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.error


@dataclass
class ClientConfig:
    retries: int = 5
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_wait: float = 120.0
    timeout: float = 60.0
    delay: float = 0.0  # politeness pause between requests
    connections: int = 4  # requests in flight at most (lists are fetched ahead concurrently)


@dataclass
class Client:
    config: ClientConfig = field(default_factory=ClientConfig)
    transport: httpx.BaseTransport | None = None
    requests: int = 0
    faults: F.Faults = field(default_factory=F.Faults)
    _http: httpx.Client | None = None
    _slots: threading.BoundedSemaphore = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _not_before: float = 0.0  # a Retry-After holds back every request, not only the one told

    def __post_init__(self) -> None:
        n = max(1, self.config.connections)
        self._slots = threading.BoundedSemaphore(n)
        self._http = httpx.Client(
            limits=httpx.Limits(max_connections=n, max_keepalive_connections=n),
            timeout=httpx.Timeout(self.config.timeout, connect=min(self.config.timeout, 15.0)),
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            transport=self.transport,
        )

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def get(self, url: str) -> Fetched:
        """GET a JSON document; never raises for server misbehaviour."""
        return self._fetch(url, self._interpret)

    def get_bytes(self, url: str, max_bytes: int) -> Fetched:
        """GET a file's bytes (in `raw`; `data` is its content type); never raises for server misbehaviour."""
        return self._fetch(url, lambda u, r: self._bytes(u, r, max_bytes), stream=True)

    def _bytes(self, url: str, response: httpx.Response, max_bytes: int) -> Fetched:
        status = response.status_code
        if status >= 400:
            return Fetched(url, status, error=f"HTTP {status}")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                return Fetched(url, status, error=f"größer als {max_bytes // 1_000_000} MB")
            chunks.append(chunk)
        return Fetched(url, status, data=response.headers.get("content-type", ""), raw=b"".join(chunks))

    def _fetch(self, url: str, interpret: Any, stream: bool = False) -> Fetched:
        assert self._http is not None
        attempt = 0
        while True:
            attempt += 1
            wait: float | None = None
            with self._slots:
                pause = self._not_before - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                if self.config.delay:
                    time.sleep(self.config.delay)
                with self._lock:
                    self.requests += 1
                try:
                    if stream:
                        with self._http.stream("GET", url) as response:
                            result = interpret(url, response)
                    else:
                        response = self._http.get(url)
                        result = interpret(url, response)
                except httpx.HTTPError as exc:
                    result = Fetched(url, 0, error=f"Netzwerkfehler: {type(exc).__name__}: {exc}")
                else:
                    if response.status_code == 429 or response.status_code == 503:
                        wait = _retry_after(response.headers.get("Retry-After"))
                        if wait is not None:
                            with self._lock:
                                self._not_before = max(self._not_before,
                                                       time.monotonic() + min(wait, self.config.max_wait))
                    if result.status in FINAL_STATUSES or result.ok:
                        return result
            if attempt > self.config.retries:
                return result
            if wait is None:
                wait = self.config.backoff * (2 ** (attempt - 1))
            wait = min(wait, self.config.max_wait)
            log.warning("OParl-Abruf wird wiederholt (%s/%s, in %.1f s): %s: %s",
                        attempt, self.config.retries, wait, url, result.error)
            time.sleep(wait)

    def _interpret(self, url: str, response: httpx.Response) -> Fetched:
        status = response.status_code
        if status >= 400:
            return Fetched(url, status, error=f"HTTP {status}")
        raw = response.content
        ctype = response.headers.get("content-type", "").lower()
        if "html" in ctype and not raw.lstrip().startswith((b"{", b"[")):
            return Fetched(url, status, raw=raw, error=f"HTML-Seite statt JSON (Status {status})")
        try:
            data = parse_json(raw, self.faults, url)
        except NotJSON as exc:
            return Fetched(url, status, raw=raw, error=f"{exc} (Status {status})")
        if isinstance(data, list):
            # a bare array where a list object belongs (some servers' empty modified_since window)
            self.faults.note(F.EMPTY_LIST_ARRAY, url, f"{len(data)} Einträge")
            data = {"data": data, "links": {}}
        if not isinstance(data, dict):
            return Fetched(url, status, raw=raw, error="JSON ist kein Objekt")
        return Fetched(url, status, data=data, raw=raw)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def with_params(url: str, params: dict[str, str]) -> str:
    """`url` with `params` set (replacing existing values of the same name)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query.extend(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def missing_params(url: str, params: dict[str, str]) -> dict[str, str]:
    present = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    return {k: v for k, v in params.items() if present.get(k) != v}


@dataclass
class ListPage:
    url: str
    data: list[Any]
    raw: bytes
    next_url: str | None
    total: int | None


def iter_list(client: Client, start_url: str, filters: dict[str, str], *, resume_url: str | None = None,
              max_stale_pages: int = 3, outcome: dict[str, Any] | None = None) -> Iterator[ListPage]:
    """Pages of an OParl list; stops safely on loops, broken links and repeated content.

    `outcome["error"]` is set when the list ended early for a reason that may be transient
    (an unreadable page), so the run does not count as complete."""
    outcome = {} if outcome is None else outcome
    url: str | None = resume_url or (with_params(start_url, filters) if filters else start_url)
    visited: set[str] = set()
    seen_ids: set[int] = set()  # hashes keep memory bounded on long lists
    stale = 0
    while url:
        if url in visited:
            client.faults.note(F.NEXT_LOOP, url, "next-Link führt zurück auf eine bereits gelesene Seite, Ende")
            return
        visited.add(url)
        fetched = client.get(url)
        if not fetched.ok:
            if fetched.status == 404 and filters and not visited - {url}:
                # Some servers answer an empty modified_since window with 404.
                log.info("OParl-Liste leer (404 auf gefiltertes Fenster): %s", url)
            else:
                log.warning("OParl-Listenseite nicht lesbar, Liste endet hier: %s: %s", url, fetched.error)
                outcome["error"] = f"{url}: {fetched.error}"
            return
        body = fetched.data
        items = _list_items(body, client.faults, url)
        if items is None:
            log.warning("OParl-Listenseite ohne data-Liste, Liste endet hier: %s", url)
            outcome["error"] = f"{url}: ohne data"
            return
        links = body.get("links") if isinstance(body.get("links"), dict) else {}
        raw_next = links.get("next")
        nxt = raw_next.strip() if isinstance(raw_next, str) and raw_next.strip() else None
        if nxt:
            lost = missing_params(nxt, filters)
            if lost:
                client.faults.note(F.DROPPED_FILTER, nxt, "ergänzt: " + ",".join(lost))
                nxt = with_params(nxt, lost)
        ids = [hash(i.get("id")) for i in items if isinstance(i, dict)]
        if ids and seen_ids.issuperset(ids):
            stale += 1
            if stale >= max_stale_pages:
                client.faults.note(F.REPEATING_PAGES, url, f"Ende nach {stale} Seiten")
                nxt = None
        else:
            stale = 0
        # an id listed again (on a later page, or twice on one): the first one counts, so a
        # re-run does not flip between two versions and write history each time
        fresh: list[Any] = []
        page_ids: set[int] = set()
        for item in items:
            key = hash(item.get("id")) if isinstance(item, dict) else None
            if key is not None and (key in seen_ids or key in page_ids):
                continue
            if key is not None:
                page_ids.add(key)
            fresh.append(item)
        client.faults.note(F.DUPLICATE_ID, url, n=len(items) - len(fresh))
        items = fresh
        seen_ids |= page_ids
        pagination = body.get("pagination") if isinstance(body.get("pagination"), dict) else {}
        total = pagination.get("totalElements") if isinstance(pagination.get("totalElements"), int) else None
        yield ListPage(url=url, data=items, raw=fetched.raw, next_url=nxt, total=total)
        url = nxt


def _list_items(body: dict[str, Any], faults: F.Faults, url: str) -> list[Any] | None:
    """The entries of a list page, also from the shapes real servers send instead."""
    items = body.get("data")
    if isinstance(items, list):
        return items
    if isinstance(items, dict):
        faults.note(F.DATA_OBJECT, url)
        if "id" in items or "type" in items:
            return [items]  # one object
        return [v for v in items.values() if isinstance(v, dict)]  # objects keyed by id or number
    if items is None and "data" not in body and (type_of(body) is not None or isinstance(body.get("id"), str)):
        faults.note(F.SINGLE_OBJECT_LIST, url)
        return [body]
    return None
