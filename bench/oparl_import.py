"""Benchmark: import a generated OParl 1.1 body from a directory dump into a fresh SQLite.

    .venv/bin/python bench/oparl_import.py --papers 100000

Writes a synthetic dump the way `ratsinfo oparl-import URL --dump DIR` does (one file per
list page, 100 objects per page, the six OParl-1.1 body lists included, so embedded objects
arrive a second time through their own lists), migrates an empty SQLite database, imports
the dump in a child process and reports objects/s and the child's peak RSS. A second run
over the same dump measures the idempotent path (everything unchanged).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from benchlib import machine

ROOT = Path(__file__).resolve().parents[1]
S = "https://schema.oparl.org/1.1/"
BASE = "https://ratsinfo.example.org/oparl/v1.1"


class DumpBuilder:
    def __init__(self, directory: Path, per_page: int) -> None:
        self.dir = directory
        (directory / "pages").mkdir(parents=True)
        self.index = open(directory / "index.jsonl", "wb")  # noqa: SIM115
        self.n = 0
        self.per_page = per_page
        self.objects = 0

    def write(self, url: str, data: Any, kind: str, body: str = "", list_name: str = "") -> None:
        self.n += 1
        name = f"pages/{self.n:07d}.json"
        (self.dir / name).write_bytes(orjson.dumps(data))
        self.index.write(orjson.dumps({"n": self.n, "file": name, "url": url, "kind": kind, "body": body,
                                       "list": list_name}) + b"\n")

    def write_list(self, list_url: str, items: Any, body: str, list_name: str) -> None:
        chunk: list[Any] = []
        page = 1

        def flush(last: bool) -> None:
            nonlocal page, chunk
            links = {} if last else {"next": f"{list_url}?page={page + 1}"}
            url = list_url if page == 1 else f"{list_url}?page={page}"
            self.write(url, {"data": chunk, "links": links, "pagination": {"elementsPerPage": self.per_page}},
                       "list", body, list_name)
            self.objects += len(chunk)
            page += 1
            chunk = []

        for item in items:
            chunk.append(item)
            if len(chunk) == self.per_page:
                flush(False)
        flush(True)

    def close(self) -> None:
        self.index.close()


def ts(day: int) -> dict[str, str]:
    stamp = f"2023-{1 + day % 12:02d}-{1 + day % 28:02d}T10:{day % 60:02d}:00+01:00"
    return {"created": stamp, "modified": stamp}


def generate_dump(directory: Path, papers: int, per_page: int = 100) -> dict[str, int]:
    b = f"{BASE}/body/1"
    out = DumpBuilder(directory, per_page)
    out.write(f"{BASE}/", {"id": f"{BASE}/", "type": S + "System", "oparlVersion": S, "body": f"{BASE}/body"},
              "system")
    lists = {k: f"{b}/{k}" for k in ("organization", "person", "meeting", "paper", "membership",
                                      "agendaItem", "consultation", "file", "locationList", "legislativeTermList")}
    body = {"id": b, "type": S + "Body", "name": "Gemeinde Benchhausen", "system": f"{BASE}/", **lists,
            "legislativeTerm": [{"id": f"{BASE}/legislativeTerm/1", "type": S + "LegislativeTerm",
                                 "name": "2021-2026", "startDate": "2021-11-01", "endDate": "2026-10-31", **ts(1)}],
            **ts(1)}
    out.write(f"{BASE}/body", {"data": [body], "links": {}}, "list", "", "body")
    out.objects += 2
    n_orgs, n_persons = 25, 300
    locations = [{"id": f"{BASE}/location/{i}", "type": S + "Location", "description": f"Sitzungssaal {i}",
                  "locality": "Benchhausen", **ts(i)} for i in range(1, 6)]
    out.write_list(lists["locationList"], locations, b, "locationList")
    orgs = [{"id": f"{BASE}/organization/{i}", "type": S + "Organization", "body": b,
             "name": f"Ausschuss {i}" if i > 2 else ["Rat", "Verwaltungsausschuss"][i - 1],
             "organizationType": "Gremium", **ts(i)} for i in range(1, n_orgs + 1)]
    out.write_list(lists["organization"], orgs, b, "organization")
    memberships = []

    def person(i: int) -> dict[str, Any]:
        ms = [{"id": f"{BASE}/membership/{i * 2 + k}", "type": S + "Membership", "person": f"{BASE}/person/{i}",
               "organization": f"{BASE}/organization/{1 + (i + k * 7) % n_orgs}", "role": "Mitglied",
               "votingRight": True, "startDate": "2021-11-01", **ts(i)} for k in range(2)]
        memberships.extend(ms)
        return {"id": f"{BASE}/person/{i}", "type": S + "Person", "body": b, "name": f"Person {i}",
                "givenName": "Vorname", "familyName": f"Familie{i}", "membership": ms, **ts(i)}

    out.write_list(lists["person"], (person(i) for i in range(1, n_persons + 1)), b, "person")
    out.write_list(lists["membership"], memberships, b, "membership")
    # meetings with agenda items: each paper is consulted twice (2 agenda items)
    items_per_meeting = 15
    n_meetings = max(1, papers * 2 // items_per_meeting + 1)

    def agenda(m: int) -> list[dict[str, Any]]:
        result = []
        for k in range(items_per_meeting):
            slot = (m - 1) * items_per_meeting + k  # 0-based agenda slot; paper = slot // 2 + 1
            paper = slot // 2 + 1
            if paper > papers:
                break
            result.append({"id": f"{BASE}/agendaItem/{slot + 1}", "type": S + "AgendaItem",
                           "meeting": f"{BASE}/meeting/{m}", "number": f"Ö {k + 1}", "order": k + 1,
                           "name": f"Vorlage {paper}", "public": True, "consultation": f"{BASE}/consultation/{slot + 1}",
                           "result": "ungeändert beschlossen", **ts(slot)})
        return result

    def meeting(m: int) -> dict[str, Any]:
        return {"id": f"{BASE}/meeting/{m}", "type": S + "Meeting", "name": f"{m}. Sitzung",
                "start": f"2023-{1 + m % 12:02d}-{1 + m % 28:02d}T18:00:00+01:00",
                "organization": [f"{BASE}/organization/{1 + m % n_orgs}"],
                "location": locations[m % 5], "agendaItem": agenda(m), **ts(m)}

    out.write_list(lists["meeting"], (meeting(m) for m in range(1, n_meetings + 1)), b, "meeting")

    def paper(i: int) -> dict[str, Any]:
        cons = []
        for k in range(2):
            slot = (i - 1) * 2 + k
            m = slot // items_per_meeting + 1
            cons.append({"id": f"{BASE}/consultation/{slot + 1}", "type": S + "Consultation",
                         "paper": f"{BASE}/paper/{i}", "meeting": f"{BASE}/meeting/{m}",
                         "agendaItem": f"{BASE}/agendaItem/{slot + 1}",
                         "organization": [f"{BASE}/organization/{1 + m % n_orgs}"],
                         "role": ["Vorberatung", "Entscheidung"][k], "authoritative": k == 1, **ts(i)})
        files = [{"id": f"{BASE}/file/{i * 2 + k}", "type": S + "File", "name": ["Vorlage", "Anlage 1"][k],
                  "fileName": f"vorlage-{i}-{k}.pdf", "mimeType": "application/pdf", "size": 10_000 + (i * 7919 + k * 104729) % 890_000,
                  "accessUrl": f"{BASE}/file/{i * 2 + k}/access", "paper": [f"{BASE}/paper/{i}"], **ts(i)}
                 for k in range(2)]
        return {"id": f"{BASE}/paper/{i}", "type": S + "Paper", "body": b,
                "name": f"Beschlussvorlage {i}: Sanierung der Straße {1 + i * 31 % 500}",
                "reference": f"BV/{i:06d}/2021-2026", "date": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "paperType": "Beschlussvorlage", "underDirectionOf": [f"{BASE}/organization/{1 + i % n_orgs}"],
                "mainFile": files[0], "auxiliaryFile": files[1:], "consultation": cons, **ts(i)}

    out.write_list(lists["paper"], (paper(i) for i in range(1, papers + 1)), b, "paper")
    # the 1.1 lists of objects that were embedded above
    out.write_list(lists["agendaItem"], (ai for m in range(1, n_meetings + 1) for ai in agenda(m)), b, "agendaItem")
    out.write_list(lists["consultation"], (c for i in range(1, papers + 1) for c in paper(i)["consultation"]),
                   b, "consultation")
    out.write_list(lists["file"], (f for i in range(1, papers + 1) for f in
                                   [paper(i)["mainFile"], *paper(i)["auxiliaryFile"]]), b, "file")
    out.close()
    return {"pages": out.n, "list_objects": out.objects, "meetings": n_meetings}


CHILD = """
import json, resource, sys, time, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratsinfo.settings")
django.setup()
from ratsinfo.oparl.importer.run import ImportOptions, run_import
if int(sys.argv[2]):
    from django.db import connection
    with connection.cursor() as c:
        c.execute(f"PRAGMA cache_size=-{int(sys.argv[2]) * 1024}")
before = resource.getrusage(resource.RUSAGE_SELF)
r = run_import(ImportOptions(from_dir=sys.argv[1], progress=False))
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(json.dumps({"objects": r.objects, "pages": r.pages, "seconds": r.seconds, "cpu": cpu,
                  "stats": r.stats.as_dict(), "maxrss_mb": after.ru_maxrss / 1024}))
"""




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--per-page", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="temporäres Verzeichnis nicht löschen")
    parser.add_argument("--sqlite-cache-mb", type=int, default=0,
                        help="SQLite-Seitencache des Imports in MB (0: wie in den Settings, 64 MB)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="oparl-bench-"))
    try:
        began = time.perf_counter()
        info = generate_dump(work / "dump", args.papers, args.per_page)
        gen_seconds = time.perf_counter() - began
        env = dict(os.environ, RATSINFO_DATA_DIR=str(work / "data"), RATSINFO_LOG_LEVEL="ERROR")
        env.pop("DATABASE_URL", None)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run([sys.executable, "-m", "ratsinfo", "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
        runs = []
        for _label in ("erster Import", "Wiederholung"):
            out = subprocess.run([sys.executable, "-c", CHILD, str(work / "dump"), str(args.sqlite_cache_mb)],
                                 env=env, check=True,
                                 capture_output=True, text=True, cwd=ROOT)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        first, again = runs
        new = sum(c.get("neu", 0) for c in first["stats"].values())
        db_mb = (work / "data" / "ratsinfo.sqlite3").stat().st_size / 1e6
        print(f"Maschine: {machine()}")
        print(f"Dump: {args.papers} Vorlagen, {info['pages']} Seiten, {info['list_objects']} Listeneinträge, "
              f"erzeugt in {gen_seconds:.1f} s")
        entries = sum(sum(c.values()) for c in first["stats"].values())
        print(f"Last: Load average {os.getloadavg()[0]:.1f} auf {os.cpu_count()} Kernen (geteilte Maschine)")
        print(f"Erster Import: {first['objects']} Objekte geschrieben/geprüft (davon {new} neu; {entries} "
              f"Einträge samt Dubletten der 1.1-Listen) in {first['seconds']:.1f} s Wanduhr = "
              f"{first['objects'] / first['seconds']:.0f} Objekte/s; CPU {first['cpu']:.1f} s = "
              f"{first['objects'] / first['cpu']:.0f} Objekte je CPU-s; Spitzen-RSS {first['maxrss_mb']:.0f} MB, "
              f"Datenbank {db_mb:.0f} MB")
        print(f"Wiederholung (alles unverändert): {again['objects']} Objekte in {again['seconds']:.1f} s = "
              f"{again['objects'] / again['seconds']:.0f} Objekte/s; CPU {again['cpu']:.1f} s = "
              f"{again['objects'] / again['cpu']:.0f} Objekte je CPU-s; Spitzen-RSS {again['maxrss_mb']:.0f} MB")
        print("Je Typ (erster Import):", json.dumps(first["stats"], ensure_ascii=False))
    finally:
        if args.keep:
            print(f"Arbeitsverzeichnis: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
