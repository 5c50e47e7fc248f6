"""Crawl an OParl 1.1 server from its System object and check it rule by rule (see rules.py).

Order of work, so a small --max-requests still checks a little of everything: the System, the
body list, a bounded number of pages of every body list (each object and everything it embeds
against the schema), then per body one re-walk with another page size, the two filters, and per
type a sample of ids, embedded objects, references and file downloads.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from ratsinfo.oparl.validate.fetch import Answer, BudgetExhausted, FetchConfig, Fetcher
from ratsinfo.oparl.validate.rules import Report
from ratsinfo.oparl.validate.schema import Schemas, find_schema_dir, type_name_of

BODY_LISTS = {"organization": "Organization", "person": "Person", "meeting": "Meeting", "paper": "Paper",
              "agendaItem": "AgendaItem", "consultation": "Consultation", "file": "File",
              "locationList": "Location", "legislativeTermList": "LegislativeTerm", "membership": "Membership"}
KEPT_PER_TYPE = 200  # list objects remembered per type for the later checks


class ValidationAborted(Exception):
    """The server cannot be checked at all (unreachable, no System object): exit status 2."""


@dataclass
class ValidateOptions:
    url: str
    schema_dir: str | None = None
    fetch: FetchConfig = field(default_factory=FetchConfig)
    max_pages: int | None = None  # pages per list; by default half the budget spread over the lists
    sample: int = 5  # objects per type whose id, embedded copies and references are fetched
    max_files: int = 5
    max_file_bytes: int = 20 * 2**20


@dataclass
class Walk:
    url: str
    objects: list[dict[str, Any]]
    complete: bool
    entries: int = 0
    first_page: dict[str, Any] | None = None


def _ids(objects: list[dict[str, Any]]) -> set[str]:
    return {o["id"] for o in objects if isinstance(o.get("id"), str)}


def _timestamp(value: Any) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return parsed if parsed and parsed.tzinfo else None


class Validator:
    def __init__(self, options: ValidateOptions, schemas: Schemas, fetcher: Fetcher) -> None:
        self.options = options
        self.schemas = schemas
        self.fetcher = fetcher
        self.report = Report(options.url)
        self.known: dict[str, str] = {}  # id -> declared type of every object seen
        self.listed: dict[str, list[dict[str, Any]]] = {}  # type -> list objects (first KEPT_PER_TYPE)
        self.embedded: dict[str, list[tuple[dict[str, Any], str]]] = {}  # type -> (object, embedding id)
        self.files: dict[str, dict[str, Any]] = {}

    # --- fetching and checking single objects ------------------------------------------------
    def fetch(self, url: str, type_name: str, params: dict[str, Any] | None = None) -> Answer:
        answer = self.fetcher.get_json(url, params)
        if answer.status and answer.data is not None and answer.headers.get("Access-Control-Allow-Origin") != "*":
            self.report.add("cors", type_name, answer.url,
                            f"Access-Control-Allow-Origin = {answer.headers.get('Access-Control-Allow-Origin')!r}")
        return answer

    def _remember(self, obj: dict[str, Any], type_name: str) -> None:
        self.report.objects[type_name] += 1
        if isinstance(obj.get("id"), str):
            self.known.setdefault(obj["id"], type_name)  # a wrong type URL is reported as type-url
            if type_name == "File" and obj.get("deleted") is not True:
                self.files.setdefault(obj["id"], obj)

    def _on_embedded(self, obj: dict[str, Any], type_name: str, parent: str) -> None:
        self._remember(obj, type_name)
        kept = self.embedded.setdefault(type_name, [])
        if len(kept) < self.options.sample and obj.get("deleted") is not True:
            kept.append((obj, parent))

    def check_object(self, obj: Any, type_name: str, where: str) -> None:
        checked = self.schemas.check(obj, type_name, where, self.report.add, self._on_embedded)
        if checked and isinstance(obj, dict):
            self._remember(obj, checked)
            kept = self.listed.setdefault(checked, [])
            if len(kept) < KEPT_PER_TYPE:
                kept.append(obj)

    # --- lists ---------------------------------------------------------------------------------
    def walk(self, url: str, type_name: str, max_pages: int, params: dict[str, Any] | None = None,
             check: bool = True, rule: str = "http") -> Walk:
        """Follow `next` from url; `rule` is what a failing first page breaks."""
        result = Walk(url, [], False)
        seen_pages: set[str] = set()
        seen_ids: set[str] = set()
        current: str | None = url
        while current:
            if len(seen_pages) >= max_pages:
                return result
            answer = self.fetch(current, type_name, params)
            page = answer.data
            if answer.error or not isinstance(page, dict):
                broken = rule if not seen_pages else "pagination-next"
                self.report.add(broken, type_name, answer.url, answer.error or "Antwort ist kein JSON-Objekt")
                return result
            links = page.get("links", None)
            if not isinstance(page.get("data"), list) or not isinstance(links, dict):
                self.report.add("list-shape", type_name, answer.url,
                                f"data: {type(page.get('data')).__name__}, links: {type(links).__name__}")
                return result
            if result.first_page is None:
                result.first_page = page
            seen_pages.add(current)
            params = None  # the next link carries limit and filters
            for obj in page["data"]:
                result.entries += 1
                object_id = obj.get("id") if isinstance(obj, dict) else None
                if isinstance(object_id, str):
                    if object_id in seen_ids:
                        self.report.add("pagination-duplicate", type_name, object_id, f"erneut auf {answer.url}")
                        continue
                    seen_ids.add(object_id)
                if check:
                    self.check_object(obj, type_name, answer.url)
                if isinstance(obj, dict):
                    result.objects.append(obj)
            following = links.get("next")
            if following is not None and not isinstance(following, str):
                self.report.add("pagination-next", type_name, answer.url, f"next = {following!r}")
                return result
            if following in seen_pages:
                self.report.add("pagination-next", type_name, answer.url, f"next führt zurück auf {following}")
                return result
            current = following
        result.complete = True
        pagination = (result.first_page or {}).get("pagination")
        total = pagination.get("totalElements") if isinstance(pagination, dict) else None
        if isinstance(total, int) and check and total != result.entries:
            self.report.add("pagination-missing", type_name, url,
                            f"totalElements = {total}, beim Blättern gefunden: {result.entries}")
        return result

    # --- the run -------------------------------------------------------------------------------
    def run(self) -> Report:
        answer = self.fetch(self.options.url, "System")
        if answer.status == 0 or not isinstance(answer.data, dict):
            raise ValidationAborted(f"{self.options.url}: {answer.error or 'keine JSON-Antwort'}")
        if type_name_of(answer.data) != "System":
            raise ValidationAborted(f"{self.options.url} ist kein OParl-1.1-System (type = "
                                    f"{answer.data.get('type')!r}); bitte die URL des System-Objekts angeben.")
        system = answer.data
        self.check_object(system, "System", self.options.url)
        walks: list[dict[str, Walk]] = []
        try:
            if isinstance(system.get("body"), str):
                bodies = self.walk(system["body"], "Body", self._pages(1)).objects
                walks = [self._crawl_body(body, len(bodies)) for body in bodies if body.get("deleted") is not True]
            for per_body in walks:
                self.check_pages(per_body)
                self.check_filters(per_body)
            self.check_ids()
            self.check_embedded()
            self.check_references()
            self.check_files()
        except BudgetExhausted:
            self.report.incomplete = True
        self.report.requests = self.fetcher.requests
        return self.report

    def _pages(self, lists: int) -> int:
        if self.options.max_pages:
            return self.options.max_pages
        return max(1, self.options.fetch.max_requests // 2 // max(1, lists))

    def _crawl_body(self, body: dict[str, Any], bodies: int) -> dict[str, Walk]:
        walks: dict[str, Walk] = {}
        for key, type_name in BODY_LISTS.items():
            if isinstance(body.get(key), str):
                walks[key] = self.walk(body[key], type_name, self._pages(bodies * len(BODY_LISTS)))
        return walks

    @staticmethod
    def _pick(walks: dict[str, Walk], usable: Any) -> tuple[str, Walk] | None:
        """A completely read list if there is one (the paper list first, then the smallest), else
        the longest partly read one: then only what a part can show is checked."""
        candidates = [(key, w) for key, w in walks.items() if usable(w)]
        candidates.sort(key=lambda kw: (not kw[1].complete, kw[0] != "paper",
                                        len(kw[1].objects) * (1 if kw[1].complete else -1)))
        return candidates[0] if candidates else None

    def check_pages(self, walks: dict[str, Walk]) -> None:
        """Walk one list again with another page size: same objects, no page longer than `limit`."""
        picked = self._pick(walks, lambda w: len(w.objects) >= 3 and w.first_page)
        if not picked:
            self.report.note("Keine Liste mit mindestens 3 Objekten: Seitengrößen nicht verglichen.")
            return
        key, full = picked
        type_name = BODY_LISTS[key]
        per_page = len((full.first_page or {}).get("data", []))
        # smaller than the server's own page size, so paging is exercised and a too long page shows
        limit = max(1, min(per_page - 1, math.ceil(len(full.objects) / 3))) if per_page > 1 else 2
        url = full.url
        again = self.walk(url, type_name, 12, params={"limit": limit}, check=False, rule="pagination-limit")
        first = again.first_page or {}
        if len(first.get("data", [])) > limit:
            self.report.add("pagination-limit", type_name, url,
                            f"limit={limit} angefragt, {len(first['data'])} Objekte geliefert")
            return
        if not (full.complete and again.complete):
            return
        missing = sorted(_ids(full.objects) ^ _ids(again.objects))
        if missing:
            self.report.add("pagination-missing", type_name, url,
                            f"mit limit={limit} und mit {per_page} je Seite verschieden: {', '.join(missing[:5])}")

    def check_filters(self, walks: dict[str, Walk]) -> None:
        for attribute, parameter, rule in (("modified", "modified_since", "filter-modified-since"),
                                           ("created", "created_since", "filter-created-since")):
            def stamps(walk: Walk, attribute: str = attribute) -> set[dt.datetime]:
                return {t for o in walk.objects if (t := _timestamp(o.get(attribute)))}

            picked = self._pick(walks, lambda w: len(stamps(w)) >= 2)
            if not picked:
                self.report.note(f"Keine Liste mit zwei verschiedenen „{attribute}“-Zeiten: {parameter} nicht geprüft.")
                continue
            key, full = picked
            type_name = BODY_LISTS[key]
            values = sorted(stamps(full))
            since = values[len(values) // 2]
            raw = next(o[attribute] for o in full.objects if _timestamp(o.get(attribute)) == since)
            url = full.url
            filtered = self.walk(url, type_name, 20, params={parameter: raw}, check=False, rule=rule)
            early = [o.get("id") for o in filtered.objects
                     if (t := _timestamp(o.get(attribute))) and t < since]
            if early:
                self.report.add(rule, type_name, url, f"{parameter}={raw} liefert ältere Objekte: {', '.join(map(str, early[:3]))}")
            if full.complete and filtered.complete:
                later = {o["id"] for o in full.objects
                         if (t := _timestamp(o.get(attribute))) and t > since and isinstance(o.get("id"), str)}
                lost = sorted(later - _ids(filtered.objects))
                if lost:
                    self.report.add(rule, type_name, url, f"{parameter}={raw} lässt neuere Objekte aus: {', '.join(lost[:3])}")

    def _resolve(self, url: str, type_name: str) -> dict[str, Any] | None:
        answer = self.fetch(url, type_name)
        if answer.error or not isinstance(answer.data, dict):
            self.report.add("id-unresolved", type_name, url, answer.error or "Antwort ist kein JSON-Objekt")
            return None
        return answer.data

    def _same_object(self, url: str, type_name: str, found: dict[str, Any]) -> bool:
        declared = type_name_of(found)
        if declared is None:
            self.report.add("type-url", type_name, url, f"type = {found.get('type')!r}")
        if found.get("id") != url or declared not in (None, type_name):
            self.report.add("id-mismatch", type_name, url,
                            f"liefert id = {found.get('id')!r}, type = {found.get('type')!r}")
            return False
        return True

    def check_ids(self) -> None:
        for type_name, objects in sorted(self.listed.items()):
            live = [o for o in objects if o.get("deleted") is not True and isinstance(o.get("id"), str)]
            for obj in live[: self.options.sample]:
                found = self._resolve(obj["id"], type_name)
                if found is not None:
                    self._same_object(obj["id"], type_name, found)

    def check_embedded(self) -> None:
        for type_name, pairs in sorted(self.embedded.items()):
            for obj, parent in pairs:
                if not isinstance(obj.get("id"), str):
                    continue
                found = self._resolve(obj["id"], type_name)
                if found is None or not self._same_object(obj["id"], type_name, found):
                    continue
                differing = sorted(k for k in obj if k in found and obj[k] != found[k])
                if differing:
                    self.report.add("embedded-mismatch", type_name, obj["id"],
                                    f"eingebettet in {parent}, abweichend: {', '.join(differing)}")

    def check_references(self) -> None:
        fetched: dict[tuple[str, str], int] = {}
        sources = {t: [o for o in objs if o.get("deleted") is not True][: self.options.sample]
                   for t, objs in self.listed.items()}
        for type_name, pairs in self.embedded.items():
            sources.setdefault(type_name, []).extend(obj for obj, _ in pairs)
        for type_name, objects in sorted(sources.items()):
            for obj in objects:
                for key, target, is_array in self.schemas.references(type_name):
                    value = obj.get(key)
                    urls = value if is_array and isinstance(value, list) else [value]
                    for url in (u for u in urls if isinstance(u, str)):
                        self._check_reference(url, f"{type_name}.{key}", target, obj.get("id"), fetched)

    def _check_reference(self, url: str, field: str, target: str, source: Any,
                         fetched: dict[tuple[str, str], int]) -> None:
        declared = self.known.get(url)
        if declared is None:
            if fetched.get((field, target), 0) >= 2:
                return
            fetched[(field, target)] = fetched.get((field, target), 0) + 1
            answer = self.fetch(url, target)
            if answer.error or not isinstance(answer.data, dict):
                self.report.add("id-unresolved", target, url, f"{field} von {source}: {answer.error or 'kein Objekt'}")
                return
            declared = type_name_of(answer.data) or target
            if type_name_of(answer.data) is None:
                self.report.add("type-url", target, url, f"type = {answer.data.get('type')!r}")
            self.known[url] = declared
        if declared != target:
            self.report.add("reference-type", target, url, f"{field} von {source} zeigt auf {declared}")

    def check_files(self) -> None:
        checked = 0
        for file in self.files.values():
            if checked >= self.options.max_files:
                break
            if not isinstance(file.get("accessUrl"), str) or not ("size" in file or "sha512Checksum" in file):
                continue
            checked += 1
            got = self.fetcher.download(file["accessUrl"], self.options.max_file_bytes)
            if isinstance(got, str):
                if got.startswith("größer"):
                    self.report.note(f"{file['accessUrl']}: {got}")
                else:
                    self.report.add("http", "File", file["accessUrl"], f"accessUrl: {got}")
                continue
            size, sha512 = got
            if isinstance(file.get("size"), int) and file["size"] != size:
                self.report.add("file-size", "File", file["id"], f"size = {file['size']}, heruntergeladen {size} Bytes")
            declared = file.get("sha512Checksum")
            if isinstance(declared, str) and declared.lower() != sha512:
                self.report.add("file-checksum", "File", file["id"], f"sha512Checksum = {declared[:16]}…, berechnet {sha512[:16]}…")
        if not checked:
            self.report.note("Keine Datei mit size/sha512Checksum gefunden: Downloads nicht geprüft.")


def validate_server(options: ValidateOptions) -> Report:
    """Check the OParl 1.1 server behind options.url; raises ValidationAborted or SchemaMissing."""
    schemas = Schemas(find_schema_dir(options.schema_dir))
    fetcher = Fetcher(options.fetch)
    try:
        return Validator(options, schemas, fetcher).run()
    finally:
        fetcher.close()
