"""A small hand-written OParl 1.1 server on 127.0.0.1 for the validator tests, with faults to inject.

The data is written out below as plain JSON-like dicts: one Gemeinde with its System, Body, a
Gremium, a Ratsfrau, one Sitzung with a TOP, four Vorlagen (each with a Beratung and an embedded
Hauptdatei) and a deleted fifth one. Lists are paged by `page` with `limit` (default 2) and
filter by `modified_since`/`created_since`; `FAULTS` lists one injected fault per validator rule.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

S = "https://schema.oparl.org/1.1/"
DEFAULT_LIMIT = 2


def _stamp(month: int) -> str:
    return f"2024-{month:02d}-01T10:00:00+01:00"


class FixtureServer:
    def __init__(self, base: str) -> None:
        self.base = base
        self.flags: set[str] = set()
        self.broken: dict[str, tuple[int, bytes]] = {}  # path -> (status, body) answered instead
        self.throttled: set[str] = set()  # paths answering 429 with Retry-After once
        self.requests = 0
        self.page_hook: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None  # rewrites list pages
        self.contents = {f"/file/{n}/content": f"%PDF-1.4 Vorlage {n}".encode() for n in range(1, 5)}
        b = base
        created = _stamp(1)
        term = {"id": f"{b}/term/1", "type": S + "LegislativeTerm", "body": f"{b}/body/1", "name": "2021-2026",
                "startDate": "2021-11-01", "endDate": "2026-10-31", "created": created, "modified": created}
        location = {"id": f"{b}/location/1", "type": S + "Location", "description": "Rathaus Ahlhorn",
                    "streetAddress": "Markt 1", "created": created, "modified": created}
        membership = {"id": f"{b}/membership/1", "type": S + "Membership", "person": f"{b}/person/1",
                      "organization": f"{b}/org/1", "role": "Vorsitzende", "created": created, "modified": created}
        person = {"id": f"{b}/person/1", "type": S + "Person", "body": f"{b}/body/1", "name": "Anna Meyer",
                  "email": ["anna.meyer@example.org"], "membership": [membership],
                  "created": created, "modified": created}
        org = {"id": f"{b}/org/1", "type": S + "Organization", "body": f"{b}/body/1",
               "name": "Jugend-, Ordnungs- und Sozialausschuss", "membership": [f"{b}/membership/1"],
               "created": created, "modified": created}
        item = {"id": f"{b}/item/1", "type": S + "AgendaItem", "meeting": f"{b}/meeting/1", "number": "Ö 5",
                "order": 5, "name": "Bolzplatz", "public": True, "created": created, "modified": created}
        meeting = {"id": f"{b}/meeting/1", "type": S + "Meeting", "name": "5. Sitzung des JOS",
                   "start": "2024-02-10T18:00:00+01:00", "organization": [f"{b}/org/1"], "location": location,
                   "agendaItem": [item], "created": created, "modified": created}
        files, consultations, papers = [], [], []
        for n in range(1, 5):
            content = self.contents[f"/file/{n}/content"]
            files.append({"id": f"{b}/file/{n}", "type": S + "File", "name": f"Vorlage {n}",
                          "fileName": f"vorlage-{n}.pdf", "mimeType": "application/pdf", "size": len(content),
                          "sha512Checksum": hashlib.sha512(content).hexdigest(),
                          "accessUrl": f"{b}/file/{n}/content", "paper": [f"{b}/paper/{n}"],
                          "created": created, "modified": created})
            consultations.append({"id": f"{b}/consultation/{n}", "type": S + "Consultation",
                                  "paper": f"{b}/paper/{n}", "meeting": f"{b}/meeting/1",
                                  "organization": [f"{b}/org/1"], "role": "Vorberatung",
                                  "created": created, "modified": created})
            papers.append({"id": f"{b}/paper/{n}", "type": S + "Paper", "body": f"{b}/body/1",
                           "name": f"Antrag {n}", "reference": f"BV/{n:04d}/2024", "date": f"2024-0{n}-01",
                           "mainFile": files[-1], "consultation": [consultations[-1]],
                           "created": _stamp(n), "modified": _stamp(n + 1)})
        deleted = {"id": f"{b}/paper/5", "type": S + "Paper", "deleted": True,
                   "created": _stamp(5), "modified": _stamp(6)}
        lists = {"organization": [org], "person": [person], "meeting": [meeting], "paper": [*papers, deleted],
                 "agendaItem": [item], "consultation": consultations, "file": files, "locationList": [location],
                 "legislativeTermList": [term], "membership": [membership]}
        body = {"id": f"{b}/body/1", "type": S + "Body", "system": f"{b}/", "name": "Gemeinde Großenkneten",
                **{key: f"{b}/body/1/{key}" for key in lists}, "legislativeTerm": [term],
                "created": created, "modified": created}
        system = {"id": f"{b}/", "type": S + "System", "oparlVersion": S, "name": "Testsystem",
                  "body": f"{b}/body", "created": created, "modified": created}
        self.lists: dict[str, list[dict[str, Any]]] = {f"/body/1/{k}": v for k, v in lists.items()}
        self.lists["/body"] = [body]
        self.objects: dict[str, dict[str, Any]] = {}
        for obj in [system, body, term, location, membership, person, org, item, meeting, *files,
                    *consultations, *papers]:
            self.objects[urlsplit(obj["id"]).path] = obj

    # --- answering ------------------------------------------------------------------------------
    def answer(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        headers = {"Content-Type": "application/json"}
        if "no-cors" not in self.flags:
            headers["Access-Control-Allow-Origin"] = "*"
        self.requests += 1
        if path in self.throttled:
            self.throttled.discard(path)
            return 429, {**headers, "Retry-After": "1"}, b"{}"
        if path in self.broken:
            status, body = self.broken[path]
            return status, {**headers, "Content-Type": "text/html"}, body
        if path in self.contents:
            return 200, {"Content-Type": "application/pdf"}, self.contents[path]
        if path in self.objects:
            return 200, headers, json.dumps(self.objects[path]).encode()
        if path in self.lists:
            page = self.page(path, query)
            return 200, headers, json.dumps(self.page_hook(path, page) if self.page_hook else page).encode()
        error = {"type": S + "Error", "message": "Nicht gefunden"}
        return 404, headers, json.dumps(error).encode()

    def page(self, path: str, query: dict[str, str]) -> dict[str, Any]:
        items = self.lists[path]
        for key, attribute in (("modified_since", "modified"), ("created_since", "created")):
            if key in query and f"ignore-{key}" not in self.flags:
                since = dt.datetime.fromisoformat(query[key])
                items = [o for o in items if dt.datetime.fromisoformat(o[attribute]) >= since]
        limit = DEFAULT_LIMIT if "ignore-limit" in self.flags else int(query.get("limit", DEFAULT_LIMIT))
        number = int(query.get("page", 1))
        start = (number - 1) * limit
        if number > 1 and f"overlap:{path}" in self.flags:
            start -= 1  # page 2 repeats the last object of page 1
        if number > 1 and f"skip:{path}" in self.flags:
            start += 1  # one object falls between page 1 and page 2
        data: Any = items[start:start + limit]
        if f"data-object:{path}" in self.flags:
            data = {str(i): o for i, o in enumerate(data)}
        url = f"{self.base}{path}"
        links = {"first": f"{url}?{urlencode({**query, 'page': 1})}"}
        if start + limit < len(items):
            links["next"] = f"{url}?{urlencode({**query, 'page': number + 1})}"
        if f"loop:{path}" in self.flags and number > 1:
            links["next"] = url  # back to the first page, as the Body gives it
        pagination: dict[str, Any] = {"elementsPerPage": limit, "currentPage": number}
        if f"overlap:{path}" not in self.flags:
            pagination["totalElements"] = len(items)
        return {"data": data, "pagination": pagination, "links": links}


def _flag(name: str) -> Callable[[FixtureServer], None]:
    return lambda s: s.flags.add(name)


def _set(path: str, key: str, value: Any) -> Callable[[FixtureServer], None]:
    def change(s: FixtureServer) -> None:
        s.objects[path][key] = value
    return change


def _del(path: str, key: str) -> Callable[[FixtureServer], None]:
    return lambda s: s.objects[path].pop(key)


def _replace(path: str, key: str, value: Any) -> Callable[[FixtureServer], None]:
    """Serve another version at the object's own id (and in its list), the embedded copy stays."""
    def change(s: FixtureServer) -> None:
        changed = {**copy.deepcopy(s.objects[path]), key: value}
        for items in s.lists.values():
            items[:] = [changed if o is s.objects[path] else o for o in items]
        s.objects[path] = changed
    return change


def _serve_other(path: str, key: str, value: Any) -> Callable[[FixtureServer], None]:
    """Only the object's own address answers the changed version; lists and embeddings keep the old."""
    def change(s: FixtureServer) -> None:
        s.objects[path] = {**copy.deepcopy(s.objects[path]), key: value}
    return change


def _break(path: str, status: int) -> Callable[[FixtureServer], None]:
    return lambda s: s.broken.update({path: (status, b"<html><body>Fehler</body></html>")})


def _add_to_deleted(s: FixtureServer) -> None:
    s.lists["/body/1/paper"][-1]["name"] = "Gelöschte Vorlage"


# rule -> the one fault that breaks it (and nothing else)
FAULTS: dict[str, Callable[[FixtureServer], None]] = {
    "http": _break("/body/1/organization", 500),
    "cors": _flag("no-cors"),
    "schema-required": _del("/item/1", "order"),
    "schema-type": _set("/paper/2", "reference", 240),
    "schema-format": _set("/meeting/1", "start", "2024-02-10 18:00"),
    "empty-value": _set("/person/1", "email", []),
    "type-url": _set("/org/1", "type", "https://schema.oparl.org/1.0/Organization"),
    "id-unresolved": _break("/paper/3", 404),
    "id-mismatch": _serve_other("/person/1", "id", "{base}/person/99"),
    "reference-type": _set("/consultation/2", "meeting", "{base}/org/1"),
    "embedded-mismatch": _replace("/file/1", "name", "Vorlage 1 (alte Fassung)"),
    "list-shape": _flag("data-object:/body/1/membership"),
    "pagination-next": _flag("loop:/body/1/file"),
    "pagination-duplicate": _flag("overlap:/body/1/consultation"),
    "pagination-missing": _flag("skip:/body/1/consultation"),
    "pagination-limit": _flag("ignore-limit"),
    "filter-modified-since": _flag("ignore-modified_since"),
    "filter-created-since": _flag("ignore-created_since"),
    "deleted-shape": _add_to_deleted,
    "file-size": _set("/file/2", "size", 4711),
    "file-checksum": _set("/file/2", "sha512Checksum", hashlib.sha512(b"andere Bytes").hexdigest()),
}


@contextmanager
def serve(fault: str | None = None) -> Iterator[FixtureServer]:
    """The fixture server on a free port of 127.0.0.1, with one fault of FAULTS injected."""
    holder: dict[str, FixtureServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            status, headers, body = holder["server"].answer(parts.path.rstrip("/") or "/", query)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    server = holder["server"] = FixtureServer(base)
    if fault:
        FAULTS[fault](server)
        for obj in server.objects.values():  # "{base}" in a fault's value
            for key, value in obj.items():
                if isinstance(value, str) and "{base}" in value:
                    obj[key] = value.replace("{base}", base)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
