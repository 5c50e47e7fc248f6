#!/usr/bin/env python3
"""The million-paper benchmark: one corpus, every figure beside a limit measured in the same run.

    make bench                                      # 1,000,000 Vorlagen, SQLite and PostgreSQL
    .venv/bin/python bench/million.py --papers 20000 --sqlite-only
    .venv/bin/python bench/million.py --papers 200 --sqlite-only --repeat 3 --out /tmp/RESULTS.md

Per database (SQLite in a temporary data directory; PostgreSQL in a bench database of its own,
dropped and created, never a test database) a child process builds N Vorlagen with `ratsinfo
generate` (Sitzungen, TOPs, Beratungen, Dateien with text) and measures: the generation rate
beside raw sqlite3 `executemany` / PostgreSQL `COPY` of as many rows; an OParl crawl of all ten
body lists over HTTP (gunicorn, bench/oparl_crawl.py) beside a raw SQL read of the same paper
rows, first and last page latency beside a trivial Django view over HTTP; the Bürgerinfo's main
pages (bench/portal.py) beside a trivial Django view through the same test client and a raw SQL
count. The import runs bench/oparl_import.py as a subprocess (SQLite). Writes bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

from benchlib import machine  # noqa: E402

PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/ratsinfo_bench_million"
# Every row RESULTS.md has (the smoke test checks them all).
ROWS = ("Erzeugung", "OParl-Crawl", "OParl-Seitenlatenz", "Import", "Portal", "Suche")
LIMIT_ROWS = 200_000  # rows of the raw insert limit (enough for a steady rate, a second or two)


# --- measuring helpers ---------------------------------------------------------------------------
def timings(call: Callable[[], Any], repeat: int, warm: int = 2) -> list[float]:
    for _ in range(warm):
        call()
    result = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        result.append((time.perf_counter() - start) * 1000)
    return sorted(result)


def p50_p95(ms: list[float]) -> tuple[float, float]:
    ordered = sorted(ms)
    return statistics.median(ordered), ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


def limit_rows(n: int) -> list[tuple[Any, ...]]:
    """Rows shaped like the generator's (an id, short and long text, numbers, a date)."""
    return [(i, f"BV/{i:06d}/2021-2026", f"Beschlussvorlage {i}: Sanierung der Straße {i % 500}", i % 25,
             "2023-05-01", i % 7 == 0, f"vorlage-{i}.pdf") for i in range(1, n + 1)]


def sqlite_insert_rate(path: Path, n: int) -> float:
    rows = limit_rows(n)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, reference TEXT, name TEXT, org INTEGER, day TEXT, "
                 "public INTEGER, file_name TEXT)")
    start = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    seconds = time.perf_counter() - start
    conn.close()
    return n / seconds


def postgres_copy_rate(url: str, n: int) -> float:
    import psycopg

    rows = limit_rows(n)
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TEMP TABLE t (id integer PRIMARY KEY, reference text, name text, org integer, "
                     "day date, public boolean, file_name text)")
        start = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY t FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        return n / (time.perf_counter() - start)


# --- one database: the child process ------------------------------------------------------------
def measure_database(args: argparse.Namespace) -> dict[str, Any]:
    data_dir = Path(args.data_dir)
    os.environ.update(RATSINFO_DATA_DIR=str(data_dir), DATABASE_URL=args.database_url,
                      DJANGO_SETTINGS_MODULE="ratsinfo.settings", RATSINFO_LOG_LEVEL="WARNING")
    import django

    django.setup()
    import portal
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from ratsinfo.corpus.generator import generate
    from ratsinfo.papers.models import Paper

    call_command("migrate", verbosity=0)
    out: dict[str, Any] = {"vendor": connection.vendor}
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        version = cursor.fetchone()[0]
    out["database"] = f"SQLite {version}" if connection.vendor == "sqlite" else f"PostgreSQL {version}"

    start, cpu = time.perf_counter(), time.process_time()
    stats = generate(papers=args.papers, seed=args.seed, progress=False)
    wall = time.perf_counter() - start
    out["generate"] = {"papers": stats.papers, "rows": stats.rows, "seconds": wall,
                       "cpu": time.process_time() - cpu}
    n = min(LIMIT_ROWS, max(stats.rows, 10_000))
    if connection.vendor == "sqlite":
        out["insert_limit"] = {"rows_per_s": sqlite_insert_rate(data_dir / "limit.sqlite3", n), "how": "sqlite3 executemany"}
    else:
        out["insert_limit"] = {"rows_per_s": postgres_copy_rate(args.database_url, n), "how": "COPY"}

    # raw SQL: read every paper row (the crawl's limit) and count them (the list page's limit)
    table = Paper._meta.db_table
    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(f"SELECT * FROM {table}")  # a model's table name, no input
        read = len(cursor.fetchall())
        out["read_limit"] = {"rows_per_s": read / (time.perf_counter() - start), "rows": read}

        def count() -> None:
            cursor.execute(f"SELECT count(*) FROM {table}")
            cursor.fetchone()

        out["count_ms"] = p50_p95(timings(count, args.repeat))

    client = Client()
    out["trivial_client_ms"] = p50_p95(timings(lambda: client.get("/oparl/"), args.repeat))
    out["portal"] = []
    for label, url in portal.pages():
        if url == "DEEP":
            url = portal.deep_url(client, 199)
        ms = timings(lambda url=url: _get_ok(client, url), args.repeat)
        out["portal"].append((label, *p50_p95(ms)))
    connection.close()
    out["crawl"] = crawl(data_dir, args)
    return out


def _get_ok(client: Any, url: str) -> None:
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)


def crawl(data_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    import httpx
    from oparl_crawl import crawl_body, median_latency, start_server

    workers = os.cpu_count() or 2
    env = {**os.environ, "RATSINFO_DATA_DIR": str(data_dir), "DATABASE_URL": args.database_url}
    env.pop("RATSINFO_PUBLIC_BASE_URL", None)
    server, base = start_server(env, workers)
    try:
        with httpx.Client(timeout=120) as client:
            system = client.get(f"{base}/oparl/v1.1/").json()
            body = client.get(system["body"]).json()["data"][-1]
            stats = crawl_body(body, workers, args.crawl_limit, server.pid)
            first_url = f"{body['paper']}?limit=100"
            last_url = client.get(first_url).json()["links"].get("last") or first_url
            stats["first_ms"] = median_latency(client, first_url, args.repeat) * 1000
            stats["last_ms"] = median_latency(client, last_url, args.repeat) * 1000
            stats["trivial_ms"] = statistics.median(timings(lambda: client.get(f"{base}/oparl/"), args.repeat))
        stats["workers"] = workers
        return stats
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- the parent: every database, the import, RESULTS.md ---------------------------------------------
def run_child(args: argparse.Namespace, database_url: str, data_dir: Path) -> dict[str, Any]:
    result = data_dir / "result.json"
    subprocess.run([sys.executable, __file__, "--phase", "database", "--papers", str(args.papers),
                    "--seed", str(args.seed), "--repeat", str(args.repeat), "--crawl-limit", str(args.crawl_limit),
                    "--database-url", database_url, "--data-dir", str(data_dir), "--result", str(result)],
                   check=True, cwd=ROOT)
    return dict(json.loads(result.read_text()))


def recreate_postgres(url: str) -> None:
    from generate import recreate_postgres as recreate

    name = url.rpartition("/")[2]
    if name.startswith("test_"):
        raise SystemExit(f"--postgres-url: {name!r} sieht nach einer Test-Datenbank aus; bitte eine eigene Bench-Datenbank.")
    recreate(url)


def drop_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def run_import(papers: int) -> dict[str, Any]:
    """bench/oparl_import.py (SQLite, today's importer only): first-run stored objects/s and peak RSS."""
    done = subprocess.run([sys.executable, str(BENCH / "oparl_import.py"), "--papers", str(papers), "--db", "sqlite"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    line = next((line for line in done.stdout.splitlines() if "erster Import" in line), "")
    rate = re.search(r"(\d+) gesp\. Obj\./s", line)
    rss = re.search(r"RSS\s+(\d+) MB", line)
    return {"objects_per_s": int(rate.group(1)) if rate else None, "rss_mb": int(rss.group(1)) if rss else None,
            "line": line or done.stdout.strip().splitlines()[-1:]}


def fmt(value: float | None, unit: str = "") -> str:
    """German thousands separator; small values keep the digits that matter."""
    if value is None:
        return "–"
    if isinstance(value, int) or value >= 100:
        text = f"{value:,.0f}".replace(",", ".")
    else:
        text = f"{value:.1f}" if value >= 1 else f"{value:.3f}"
        text = text.replace(".", ",")
    return text + (f" {unit}" if unit else "")


def per(amount: float, seconds: float) -> float | None:
    return amount / seconds if seconds else None


def ratio(value: float | None, limit: float | None) -> str:
    if not (value and limit):
        return "–"
    share = value / limit
    return (f"{share:.2f}" if share >= 0.1 else f"{share:.3f}").replace(".", ",")


def results_markdown(args: argparse.Namespace, measured: dict[str, dict[str, Any]], imported: dict[str, Any],
                     machine_text: str, seconds: float) -> str:
    lines = [
        "# Benchmark-Ergebnisse (bench/million.py)", "",
        f"Lauf vom {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {fmt(args.papers)} Vorlagen (Seed {args.seed}), "
        f"{args.repeat} Messungen je Latenz, Dauer {fmt(seconds)} s.",
        f"Maschine: {machine_text}.", "",
        "Jede Zahl steht neben einer Grenze, die im selben Lauf auf denselben Daten gemessen wurde; "
        "„Verhältnis“ ist Wert/Grenze (bei Raten: Anteil der Grenze, bei Latenzen: Vielfaches).", "",
        "| Messung | Datenbank | Wert | Grenze (gleicher Lauf) | Verhältnis |",
        "|---|---|---|---|---|",
    ]
    for m in measured.values():
        g, lim = m["generate"], m["insert_limit"]
        rows_per_s = g["rows"] / g["seconds"]
        lines.append(f"| Erzeugung (`ratsinfo generate`) | {m['database']} | {fmt(g['papers'] / g['seconds'])} Vorlagen/s, "
                     f"{fmt(rows_per_s)} Zeilen/s ({fmt(g['rows'])} Zeilen in {fmt(g['seconds'])} s; "
                     f"{fmt(per(g['papers'], g['cpu']))} Vorlagen je CPU-s dieses Prozesses) | "
                     f"{lim['how']}: {fmt(lim['rows_per_s'])} Zeilen/s | {ratio(rows_per_s, lim['rows_per_s'])} |")
        c, read = m["crawl"], m["read_limit"]
        crawl_rate = c["objects"] / c["seconds"]
        lines.append(f"| OParl-Crawl (10 Listen, {c['workers']} Worker, limit={args.crawl_limit}) | {m['database']} | "
                     f"{fmt(crawl_rate)} Objekte/s ({fmt(c['objects'])} auf {fmt(c['pages'])} Seiten; "
                     f"{fmt(c['embedded'] / c['seconds'])}/s mit eingebetteten; "
                     f"{fmt(per(c['objects'], c['server_cpu']))} je Server-CPU-s) | rohes `SELECT *` der Vorlagen: "
                     f"{fmt(read['rows_per_s'])} Zeilen/s | {ratio(crawl_rate, read['rows_per_s'])} |")
        lines.append(f"| OParl-Seitenlatenz Vorlagen limit=100, erste / letzte (Median) | {m['database']} | "
                     f"{fmt(c['first_ms'], 'ms')} / {fmt(c['last_ms'], 'ms')} (letzte/erste "
                     f"{ratio(c['last_ms'], c['first_ms'])}) | triviale Django-Sicht über HTTP (`/oparl/`, Weiterleitung): "
                     f"{fmt(c['trivial_ms'], 'ms')} | {ratio(c['last_ms'], c['trivial_ms'])} |")
    for name, m in measured.items():
        if name == "sqlite":
            lim = m["insert_limit"]
            lines.append(f"| Import (`bench/oparl_import.py`, {fmt(args.import_papers)} Vorlagen) | SQLite | "
                         f"{fmt(imported.get('objects_per_s'))} Objekte/s, Spitzen-RSS {fmt(imported.get('rss_mb'), 'MB')} | "
                         f"{lim['how']}: {fmt(lim['rows_per_s'])} Zeilen/s | "
                         f"{ratio(imported.get('objects_per_s'), lim['rows_per_s'])} |")
        else:
            lines.append(f"| Import | {m['database']} | nicht gemessen (bench/oparl_import.py importiert nur in SQLite) | – | – |")
    for m in measured.values():
        trivial, count = m["trivial_client_ms"], m["count_ms"]
        for label, p50, p95 in m["portal"]:
            limit = f"`SELECT count(*)` Vorlagen: {fmt(count[0], 'ms')}" if label.startswith("Vorlagen") else \
                f"triviale Django-Sicht (Test-Client): {fmt(trivial[0], 'ms')}"
            base = count[0] if label.startswith("Vorlagen") else trivial[0]
            lines.append(f"| Portal: {label} (Median / p95) | {m['database']} | {fmt(p50, 'ms')} / {fmt(p95, 'ms')} | "
                         f"{limit} | {ratio(p50, base)} |")
    for m in measured.values():
        lines.append(f"| Suche p50/p95 | {m['database']} | noch nicht vorhanden (kein Suchindex) | "
                     "FTS5/tsvector-Abfrage: noch nicht vorhanden | – |")
    lines += ["", "Import-Ausgabe: " + str(imported.get("line", "")).strip(), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=1_000_000)
    parser.add_argument("--import-papers", type=int, help="Vorlagen des Import-Laufs (Standard: --papers)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=21, help="Messungen je Latenz")
    parser.add_argument("--crawl-limit", type=int, default=1000, help="Seitengröße des Crawls")
    parser.add_argument("--postgres-url", default=PG_DEFAULT, help="eigene Bench-Datenbank (wird neu angelegt)")
    parser.add_argument("--sqlite-only", action="store_true", help="PostgreSQL auslassen")
    parser.add_argument("--keep-postgres", action="store_true", help="Bench-Datenbank danach nicht löschen")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--phase", choices=["database"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        Path(args.result).write_text(json.dumps(measure_database(args)))
        return
    if args.papers < 1:
        parser.error("--papers muss mindestens 1 sein")
    args.import_papers = args.import_papers or args.papers
    began = time.perf_counter()
    machine_text = machine()
    measured: dict[str, dict[str, Any]] = {}
    targets = [("sqlite", None)] + ([] if args.sqlite_only else [("postgres", args.postgres_url)])
    for name, url in targets:
        data_dir = Path(tempfile.mkdtemp(prefix=f"ratsinfo-million-{name}-"))
        try:
            if url:
                recreate_postgres(url)
            measured[name] = run_child(args, url or f"sqlite:///{data_dir / 'ratsinfo.sqlite3'}", data_dir)
            print(f"{name}: fertig nach {time.perf_counter() - began:.0f} s", file=sys.stderr)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
            if url and not args.keep_postgres:
                drop_postgres(url)
    imported = run_import(args.import_papers)
    text = results_markdown(args, measured, imported, machine_text, time.perf_counter() - began)
    args.out.write_text(with_other_sections(args.out, text))
    print(text)


def with_other_sections(path: Path, text: str) -> str:
    """This benchmark owns the head of RESULTS.md; the sections the other benchmarks write
    (`## … (bench/<name>.py)`) stay as they are."""
    old = path.read_text() if path.exists() else ""
    others = re.split(r"(?m)^(?=## .*\(bench/(?!million\.py))", old)[1:]
    return text.rstrip() + "\n\n" + "".join(others) if others else text


if __name__ == "__main__":
    main()
