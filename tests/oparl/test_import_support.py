"""Helpers of the importer tests: a scriptable local OParl server and a small clean town.

The server runs `http.server` in a thread on 127.0.0.1 with a random port. Routes map a path
(with or without query) to a response spec: {"json": …} or {"raw": "…"}, "status",
"headers", "delay" (seconds), or {"sequence": [spec, …]} answered in turn (the last repeats).
"{BASE}" in any body is replaced by the server's base URL; a route "path?*" answers any query.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "broken"
S = "https://schema.oparl.org/1.1/"
FILTERS = ("modified_since=", "modified_until=", "created_since=", "created_until=")


class FixtureServer:
    def __init__(self, routes: dict[str, Any] | None = None) -> None:
        self.routes: dict[str, Any] = dict(routes or {})
        self.hits: list[str] = []
        self._counters: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits.append(self.path)
                spec = server._spec(self.path)
                if spec is None:
                    spec = {"status": 404, "json": {"error": "not found"}}
                if spec.get("delay"):
                    time.sleep(spec["delay"])
                if "raw" in spec:
                    body = spec["raw"].replace("{BASE}", server.base).encode("utf-8")
                    ctype = spec.get("content_type", "application/json")
                else:
                    body = json.dumps(spec.get("json", {}), ensure_ascii=False).replace("{BASE}", server.base).encode()
                    ctype = spec.get("content_type", "application/json")
                try:
                    self.send_response(spec.get("status", 200))
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    for key, value in spec.get("headers", {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _spec(self, path: str) -> dict[str, Any] | None:
        spec = self.routes.get(path)
        if spec is None and "?" in path:
            # filters (modified_since …) are ignored by this server unless a route names them
            base, query = path.split("?", 1)
            rest = "&".join(p for p in query.split("&") if not p.startswith(FILTERS))
            spec = self.routes.get(f"{base}?{rest}" if rest else base) or self.routes.get(f"{base}?*")
        if spec is None:
            return None
        if "sequence" in spec:
            n = self._counters.get(path, 0)
            self._counters[path] = n + 1
            return spec["sequence"][min(n, len(spec["sequence"]) - 1)]
        return spec

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> FixtureServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def load_routes(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))["routes"]


def page(items: list[Any], next_path: str | None = None) -> dict[str, Any]:
    links = {"next": "{BASE}" + next_path} if next_path else {}
    return {"json": {"data": items, "links": links, "pagination": {"totalElements": len(items)}}}


def town_routes(papers: int = 5, per_page: int = 2, modified: str = "2024-01-10T10:00:00+01:00",
                paper_names: dict[int, str] | None = None, deleted_persons: tuple[int, ...] = (),
                delay: float = 0.0) -> dict[str, Any]:
    """A clean little OParl 1.1 town: 2 organizations, 2 persons, 1 meeting, `papers` papers."""
    b = "{BASE}/oparl"
    ts = {"created": "2023-01-01T09:00:00+01:00", "modified": modified}
    body = {
        "id": f"{b}/body/1", "type": S + "Body", "name": "Gemeinde Musterfeld", "shortName": "Musterfeld",
        "system": f"{b}/", "organization": f"{b}/body/1/organization", "person": f"{b}/body/1/person",
        "meeting": f"{b}/body/1/meeting", "paper": f"{b}/body/1/paper", "membership": f"{b}/body/1/membership",
        "legislativeTermList": f"{b}/body/1/legislativeTerm", "locationList": f"{b}/body/1/location",
        "agendaItem": f"{b}/body/1/agendaItem", "consultation": f"{b}/body/1/consultation",
        "file": f"{b}/body/1/file",
        "legislativeTerm": [{"id": f"{b}/term/1", "type": S + "LegislativeTerm", "name": "2021-2026",
                             "startDate": "2021-11-01", "endDate": "2026-10-31", **ts}],
        **ts,
    }
    orgs = [
        {"id": f"{b}/organization/1", "type": S + "Organization", "body": f"{b}/body/1", "name": "Rat der Gemeinde",
         "organizationType": "Gremium", "classification": "Rat", **ts},
        {"id": f"{b}/organization/2", "type": S + "Organization", "body": f"{b}/body/1",
         "name": "Bauausschuss", "shortName": "BA", "organizationType": "Gremium", **ts},
    ]
    persons = []
    for i in (1, 2):
        url = f"{b}/person/{i}"
        if i in deleted_persons:
            persons.append({"id": url, "type": S + "Person", "deleted": True, **ts})
            continue
        persons.append({
            "id": url, "type": S + "Person", "body": f"{b}/body/1", "givenName": ["Anna", "Bernd"][i - 1],
            "familyName": ["Meyer", "Schulz"][i - 1], "name": ["Anna Meyer", "Bernd Schulz"][i - 1],
            "membership": [{"id": f"{b}/membership/{i}", "type": S + "Membership", "person": url,
                            "organization": f"{b}/organization/{i}", "role": "Mitglied", "votingRight": True,
                            "startDate": "2021-11-01", **ts}],
            **ts,
        })
    meeting = {
        "id": f"{b}/meeting/1", "type": S + "Meeting", "name": "3. Sitzung des Bauausschusses",
        "start": "2024-01-08T18:00:00+01:00", "end": "2024-01-08T20:00:00+01:00",
        "organization": [f"{b}/organization/2"], "participant": [f"{b}/person/1"],
        "location": {"id": f"{b}/location/1", "type": S + "Location", "description": "Rathaus, Saal 1",
                     "locality": "Musterfeld", **ts},
        "agendaItem": [
            {"id": f"{b}/agendaItem/{i}", "type": S + "AgendaItem", "meeting": f"{b}/meeting/1",
             "number": f"Ö {i}", "order": i, "name": f"Vorlage {i}", "public": True,
             "consultation": f"{b}/consultation/{i}", "result": "ungeändert beschlossen", **ts}
            for i in range(1, papers + 1)
        ],
        "resultsProtocol": {"id": f"{b}/file/900", "type": S + "File", "name": "Niederschrift",
                            "fileName": "niederschrift.pdf", "mimeType": "application/pdf",
                            "accessUrl": f"{b}/file/900/access", **ts},
        **ts,
    }
    paper_objs = []
    names = paper_names or {}
    for i in range(1, papers + 1):
        paper_objs.append({
            "id": f"{b}/paper/{i}", "type": S + "Paper", "body": f"{b}/body/1",
            "name": names.get(i, f"Bebauungsplan Nr. {i}"), "reference": f"BV/{i:04d}/2024",
            "date": "2024-01-02", "paperType": "Beschlussvorlage", "underDirectionOf": [f"{b}/organization/2"],
            "mainFile": {"id": f"{b}/file/{i}", "type": S + "File", "name": "Vorlage", "fileName": f"bv-{i}.pdf",
                         "mimeType": "application/pdf", "size": 1234, "accessUrl": f"{b}/file/{i}/access", **ts},
            "consultation": [{"id": f"{b}/consultation/{i}", "type": S + "Consultation", "paper": f"{b}/paper/{i}",
                              "meeting": f"{b}/meeting/1", "agendaItem": f"{b}/agendaItem/{i}",
                              "organization": [f"{b}/organization/2"], "role": "Vorberatung", **ts}],
            **ts,
        })

    def paged(path: str, items: list[Any]) -> dict[str, Any]:
        routes: dict[str, Any] = {}
        chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
        for n, chunk in enumerate(chunks, 1):
            nxt = f"/oparl/{path}?page={n + 1}" if n < len(chunks) else None
            spec = page(chunk, nxt)
            if delay:
                spec["delay"] = delay
            routes[f"/oparl/{path}" if n == 1 else f"/oparl/{path}?page={n}"] = spec
        return routes

    routes: dict[str, Any] = {
        "/oparl/": {"json": {"id": f"{b}/", "type": S + "System", "oparlVersion": S, "body": f"{b}/body", **ts}},
        "/oparl/body": page([body]),
    }
    routes |= paged("body/1/organization", orgs)
    routes |= paged("body/1/person", persons)
    routes |= paged("body/1/meeting", [meeting])
    routes |= paged("body/1/paper", paper_objs)
    for empty in ("membership", "legislativeTerm", "location", "agendaItem", "consultation", "file"):
        routes[f"/oparl/body/1/{empty}"] = page([])
    return routes
