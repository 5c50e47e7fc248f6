"""A synthetic OParl 1.1 server for the import benchmark, its own deterministic generator.

    .venv/bin/python bench/oparl_fixture_server.py --papers 14000 --seed 1 [--port 0] [--per-page 100]

Builds a body of the shape of a large city's council system from the seed (papers with embedded
main/auxiliary files and consultations, meetings with embedded agenda items, persons with
embedded memberships, the six 1.1 lists that repeat embedded objects), renders every list page
once into memory and serves it on 127.0.0.1 (HTTP/1.1 keep-alive, threaded). `modified_since`
filters by the objects' `modified`, so an unchanged re-run sees empty lists. Files answer
`accessUrl` with deterministic bytes whose size and sha512 the File objects announce.
Prints one JSON line {"url", "objects", "pages"} on stdout when it is ready.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import orjson

S = "https://schema.oparl.org/1.1/"
LISTS = ("legislativeTermList", "locationList", "organization", "person", "membership", "meeting", "paper",
         "agendaItem", "consultation", "file")
WORDS = ("Sanierung", "Neubau", "Bebauungsplan", "Haushalt", "Radweg", "Kita", "Grundschule", "Feuerwehr",
         "Sportplatz", "Friedhof", "Kanal", "Straßenbeleuchtung", "Spielplatz", "Bürgerhaus", "Klimaschutz",
         "Wärmeplanung", "Gewerbegebiet", "Satzung", "Gebühren", "Zuschuss", "Stellenplan", "Jugendzentrum")
STREETS = ("Hauptstraße", "Schulstraße", "Am Markt", "Bahnhofstraße", "Lindenallee", "Kirchweg", "Mühlenweg")


def file_bytes(file_id: int, size: int) -> bytes:
    """Deterministic content of a file (a minimal text page repeated to `size` bytes)."""
    seed = f"%PDF-1.4 Anlage {file_id} der Vorlage\n".encode()
    return (seed * (size // len(seed) + 1))[:size]


class Corpus:
    def __init__(self, base: str, papers: int, seed: int) -> None:
        self.base = base
        self.rng = random.Random(seed)
        self.lists: dict[str, list[tuple[str, dict[str, Any]]]] = {name: [] for name in LISTS}
        self.files: dict[int, int] = {}  # file id -> size
        self._build(papers)

    def _ts(self) -> dict[str, str]:
        day = dt.datetime(2021, 11, 1, 8, tzinfo=dt.UTC) + dt.timedelta(minutes=self.rng.randrange(5 * 365 * 24 * 60))
        stamp = day.isoformat()
        return {"created": stamp, "modified": stamp}

    def _add(self, name: str, obj: dict[str, Any]) -> dict[str, Any]:
        self.lists[name].append((obj["modified"], obj))
        return obj

    def _build(self, n_papers: int) -> None:
        b, rng = self.base, self.rng
        body = f"{b}/body/1"
        self.body = {"id": body, "type": S + "Body", "name": "Stadt Benchhausen", "shortName": "Benchhausen",
                     "ags": "03403000", "system": f"{b}/", **{k: f"{body}/{k}" for k in LISTS},
                     "created": "2020-01-01T00:00:00+00:00", "modified": "2020-01-01T00:00:00+00:00"}
        terms = [self._add("legislativeTermList", {
            "id": f"{b}/legislativeTerm/{i}", "type": S + "LegislativeTerm", "body": body, "name": name,
            "startDate": start, "endDate": end, **self._ts()})
            for i, (name, start, end) in enumerate([("2016-2021", "2016-11-01", "2021-10-31"),
                                                     ("2021-2026", "2021-11-01", "2026-10-31")], 1)]
        self.body["legislativeTerm"] = terms
        locations = [self._add("locationList", {
            "id": f"{b}/location/{i}", "type": S + "Location", "description": f"Sitzungssaal {i}",
            "streetAddress": f"{rng.choice(STREETS)} {i}", "postalCode": "26123", "locality": "Benchhausen",
            **self._ts()}) for i in range(1, 21)]
        n_orgs = 60
        for i in range(1, n_orgs + 1):
            name = ("Rat", "Verwaltungsausschuss")[i - 1] if i <= 2 else f"Ausschuss für {rng.choice(WORDS)} {i}"
            self._add("organization", {"id": f"{b}/organization/{i}", "type": S + "Organization", "body": body,
                                       "name": name, "organizationType": "Gremium",
                                       "location": locations[i % 20]["id"], **self._ts()})
        membership_id = 0
        for i in range(1, 301):
            ms = []
            for _k in range(3):
                membership_id += 1
                ms.append(self._add("membership", {
                    "id": f"{b}/membership/{membership_id}", "type": S + "Membership",
                    "person": f"{b}/person/{i}", "organization": f"{b}/organization/{rng.randint(1, n_orgs)}",
                    "role": rng.choice(["Mitglied", "Mitglied", "Vorsitz", "stellv. Mitglied"]),
                    "votingRight": True, "startDate": "2021-11-01", **self._ts()}))
            self._add("person", {"id": f"{b}/person/{i}", "type": S + "Person", "body": body,
                                 "name": f"Vorname{i} Familie{i}", "givenName": f"Vorname{i}",
                                 "familyName": f"Familie{i}", "membership": ms, **self._ts()})
        # consultations fill agenda slots in turn, 13 per meeting, plus one item without paper
        per_meeting = 13
        consultations: list[dict[str, Any]] = []
        file_id = 0
        papers: list[dict[str, Any]] = []
        for i in range(1, n_papers + 1):
            ts = self._ts()
            cons = []
            for k in range(rng.choice((1, 1, 2, 2))):
                slot = len(consultations)
                m = slot // per_meeting + 1
                con = {"id": f"{b}/consultation/{slot + 1}", "type": S + "Consultation", "paper": f"{b}/paper/{i}",
                       "meeting": f"{b}/meeting/{m}", "agendaItem": f"{b}/agendaItem/{slot + 1}",
                       "organization": [f"{b}/organization/{1 + m % n_orgs}"],
                       "role": ("Vorberatung", "Entscheidung")[k], "authoritative": k == 1, **ts}
                consultations.append(con)
                cons.append(self._add("consultation", con))
            files = []
            for k in range(rng.choice((1, 2, 2, 3))):
                file_id += 1
                size = rng.randrange(2_000, 60_000)
                self.files[file_id] = size
                files.append(self._add("file", {
                    "id": f"{b}/file/{file_id}", "type": S + "File", "name": ("Vorlage", f"Anlage {k}")[min(k, 1)],
                    "fileName": f"vorlage-{i}-{k}.pdf", "mimeType": "application/pdf", "size": size,
                    "sha512Checksum": hashlib.sha512(file_bytes(file_id, size)).hexdigest(),
                    "accessUrl": f"{b}/file/{file_id}/access", "downloadUrl": f"{b}/file/{file_id}/download",
                    "paper": [f"{b}/paper/{i}"], **ts}))
            papers.append(self._add("paper", {
                "id": f"{b}/paper/{i}", "type": S + "Paper", "body": body,
                "name": f"{rng.choice(WORDS)} {rng.choice(STREETS)}: Beschluss {i}",
                "reference": f"{['BV', 'AN', 'MV'][i % 3]}/{i:05d}/2021-2026", "date": ts["created"][:10],
                "paperType": ("Beschlussvorlage", "Antrag", "Mitteilungsvorlage")[i % 3],
                "underDirectionOf": [f"{b}/organization/{1 + i % n_orgs}"],
                "mainFile": files[0], "auxiliaryFile": files[1:], "consultation": cons, **ts}))
        n_meetings = len(consultations) // per_meeting + 1
        for m in range(1, n_meetings + 1):
            ts = self._ts()
            items = []
            for k, con in enumerate(consultations[(m - 1) * per_meeting:m * per_meeting]):
                slot = int(con["id"].rsplit("/", 1)[1])
                items.append(self._add("agendaItem", {
                    "id": f"{b}/agendaItem/{slot}", "type": S + "AgendaItem", "meeting": f"{b}/meeting/{m}",
                    "number": f"Ö {k + 1}", "order": k + 1, "name": f"Vorlage {con['paper'].rsplit('/', 1)[1]}",
                    "public": True, "consultation": con["id"], "result": "ungeändert beschlossen", **ts}))
            items.append(self._add("agendaItem", {
                "id": f"{b}/agendaItem/m{m}", "type": S + "AgendaItem", "meeting": f"{b}/meeting/{m}",
                "number": f"Ö {len(items) + 1}", "order": len(items) + 1, "name": "Mitteilungen der Verwaltung",
                "public": True, **ts}))
            self._add("meeting", {
                "id": f"{b}/meeting/{m}", "type": S + "Meeting", "name": f"{m}. Sitzung",
                "start": ts["created"], "organization": [f"{b}/organization/{1 + m % n_orgs}"],
                "location": locations[m % 20], "agendaItem": items, **ts})
        self.stored = 1 + sum(len(self.lists[k]) for k in LISTS)


class Server:
    def __init__(self, papers: int, seed: int, per_page: int, port: int = 0) -> None:
        self.per_page = per_page
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/oparl/v1.1"
        self.corpus = Corpus(self.base, papers, seed)
        self.pages: dict[str, bytes] = {}
        self.pages[urlsplit(self.base + "/").path] = orjson.dumps(
            {"id": f"{self.base}/", "type": S + "System", "oparlVersion": S, "body": f"{self.base}/body",
             "name": "Benchhausen OParl"})
        self.pages[urlsplit(self.base + "/body").path] = orjson.dumps({"data": [self.corpus.body], "links": {}})
        self.pages[urlsplit(self.corpus.body["id"]).path] = orjson.dumps(self.corpus.body)
        for name in LISTS:
            self._render(name, [obj for _m, obj in self.corpus.lists[name]], "")
            for _m, obj in self.corpus.lists[name]:
                self.pages[urlsplit(obj["id"]).path] = orjson.dumps(obj)
        self.n_pages = sum(1 for key in self.pages if "page=" in key or key.endswith(LISTS))

    def _render(self, name: str, items: list[dict[str, Any]], since: str) -> dict[str, bytes]:
        path = urlsplit(f"{self.corpus.body['id']}/{name}").path
        out: dict[str, bytes] = {}
        chunks = [items[i:i + self.per_page] for i in range(0, len(items), self.per_page)] or [[]]
        extra = f"&modified_since={since}" if since else ""
        for n, chunk in enumerate(chunks, 1):
            links = {"next": f"{self.base.rsplit('/oparl', 1)[0]}{path}?page={n + 1}{extra}"} if n < len(chunks) else {}
            key = f"{path}?page={n}{extra}" if n > 1 else (f"{path}?{extra[1:]}" if extra else path)
            out[key] = orjson.dumps({"data": chunk, "links": links,
                                     "pagination": {"elementsPerPage": self.per_page, "currentPage": n}})
        if not since:
            self.pages.update(out)
        return out

    def answer(self, raw_path: str) -> tuple[int, bytes, str]:
        parts = urlsplit(raw_path)
        query = dict(parse_qsl(parts.query))
        since = query.get("modified_since", "")
        if parts.path.endswith(("/access", "/download")):
            file_id = int(parts.path.rsplit("/", 2)[1])
            size = self.corpus.files.get(file_id)
            if size is None:
                return 404, b"", "application/json"
            return 200, file_bytes(file_id, size), "application/pdf"
        if since:
            name = parts.path.rsplit("/", 1)[1]
            if name in LISTS:
                cut = dt.datetime.fromisoformat(since.replace(" ", "+"))
                items = [o for m, o in self.corpus.lists[name] if dt.datetime.fromisoformat(m) >= cut]
                key = f"{parts.path}?{parts.query}"
                pages = self._render(name, items, since)
                return 200, pages.get(key) or next(iter(pages.values())), "application/json"
        key = parts.path + (f"?{parts.query}" if parts.query else "")
        body = self.pages.get(key)
        if body is None:
            return 404, orjson.dumps({"type": S + "Error", "message": "nicht gefunden"}), "application/json"
        return 200, body, "application/json"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall between header and body

            def do_GET(self) -> None:
                status, body, ctype = server.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def serve_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        thread.start()
        return thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=14_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-page", type=int, default=100)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = Server(args.papers, args.seed, args.per_page, args.port)
    sys.stdout.write(orjson.dumps({"url": server.base + "/", "objects": server.corpus.stored,
                                   "pages": server.n_pages}).decode() + "\n")
    sys.stdout.flush()
    server.httpd.serve_forever()


if __name__ == "__main__":
    main()
