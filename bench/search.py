"""Full-text search on a generated corpus, per backend: reindex time, index size, and the
latency of 200 realistic queries over HTTP beside the raw FTS5 / tsvector query on the same data.

    .venv/bin/python bench/search.py --papers 5000
    .venv/bin/python bench/search.py --papers 5000 --postgres-url postgres://postgres@127.0.0.1:5432/ri_search_bench

Each backend gets a fresh database (a temporary SQLite file; the named PostgreSQL database is
dropped and created, and dropped again at the end). The server is gunicorn with two workers.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import machine
from generate import recreate_postgres
from oparl_crawl import BIN, ROOT, start_server

QUERIES = 200


def run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def p50_p95(seconds: list[float]) -> tuple[float, float]:
    ms = sorted(s * 1000 for s in seconds)
    return statistics.median(ms), ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]


def corpus_rows(env: dict[str, str]) -> dict[str, list[Any]]:
    """Titles, section texts and references to build queries from (read through Django)."""
    code = (
        "import json, django; django.setup();"
        "from ratsinfo.papers.models import Paper, PaperSection;"
        "print(json.dumps({'titles': list(Paper.objects.values_list('name', flat=True)[:3000]),"
        "'texts': list(PaperSection.objects.values_list('text', flat=True)[:3000]),"
        "'refs': list(Paper.objects.exclude(reference='').values_list('reference', flat=True)[:3000])}))"
    )
    out = subprocess.run([str(BIN / "python"), "-c", code], env=env, cwd=ROOT, check=True, capture_output=True)
    import json

    return json.loads(out.stdout)


def make_queries(rows: dict[str, list[Any]], seed: int) -> list[dict[str, str]]:
    """Single words, inflected forms, two-word AND, phrases, references, prefixes, some filtered."""
    rnd = random.Random(seed)
    word = re.compile(r"[A-Za-zÄÖÜäöüß]{6,}")
    title_words = [w for t in rows["titles"] for w in word.findall(t)]
    text_words = [w for t in rows["texts"] for w in word.findall(t)]
    queries: list[dict[str, str]] = []
    for _ in range(40):
        queries.append({"q": rnd.choice(title_words)})
    for _ in range(30):
        w = rnd.choice(title_words)
        queries.append({"q": w + rnd.choice(["s", "es", "en", "n"])})
    for _ in range(30):
        queries.append({"q": f"{rnd.choice(title_words)} {rnd.choice(text_words)}"})
    for _ in range(25):
        words = word.findall(rnd.choice(rows["texts"]) or "Haushalt Gemeinde")
        i = rnd.randrange(max(1, len(words) - 1))
        queries.append({"q": '"' + " ".join(words[i : i + 2]) + '"'})
    for _ in range(25):
        ref = rnd.choice(rows["refs"])
        parts = re.findall(r"[A-Za-z]+|\d+", ref)
        form = rnd.choice([ref, f"{parts[0]} {int(parts[1])}" if len(parts) > 1 else ref, parts[1] if len(parts) > 1 else ref])
        queries.append({"q": form})
    for _ in range(20):
        queries.append({"q": rnd.choice(text_words)[:5] + "*"})
    for _ in range(QUERIES - len(queries)):
        q = {"q": rnd.choice(text_words)}
        q.update(rnd.choice([{"art": "vorlage"}, {"jahr": str(rnd.randint(2019, 2026))}, {"sortierung": "datum"},
                             {"art": "datei", "vorlagenart": "Beschlussvorlage"}]))
        queries.append(q)
    return queries


def raw_sqlite(path: Path, matches: list[str]) -> list[float]:
    con = sqlite3.connect(path)
    times = []
    for m in matches:
        start = time.perf_counter()
        con.execute("SELECT rowid, bm25(search_fts) FROM search_fts WHERE search_fts MATCH ? "
                    "ORDER BY bm25(search_fts) LIMIT 21", (m,)).fetchall()
        times.append(time.perf_counter() - start)
    con.close()
    return times


def raw_postgres(url: str, matches: list[str]) -> list[float]:
    import psycopg

    times = []
    with psycopg.connect(url) as con:
        for m in matches:
            start = time.perf_counter()
            con.execute("SELECT id FROM search_document, to_tsquery('simple', %s) q WHERE vector @@ q "
                        "ORDER BY ts_rank_cd(vector, q) DESC LIMIT 21", (m,)).fetchall()
            times.append(time.perf_counter() - start)
    return times


def match_strings(queries: list[dict[str, str]], vendor: str) -> list[str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratsinfo.settings")
    import django

    django.setup()
    from ratsinfo.search.analysis import parse
    from ratsinfo.search.backends import PostgresBackend, SQLiteBackend

    engine = PostgresBackend() if vendor == "postgresql" else SQLiteBackend()
    return [engine.match_param(parse(q["q"])) for q in queries if parse(q["q"])]


def index_size(vendor: str, env: dict[str, str], sqlite_path: Path | None) -> int:
    if vendor == "sqlite":
        assert sqlite_path is not None
        con = sqlite3.connect(sqlite_path)
        try:
            return int(con.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search%'").fetchone()[0] or 0)
        except sqlite3.OperationalError:
            return -1
        finally:
            con.close()
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as con:
        row = con.execute(
            "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname LIKE 'search_%' AND c.relkind = 'r'"
        ).fetchone()
        return int(row[0] or 0) if row else 0


def bench_backend(vendor: str, url: str, papers: int, seed: int, tmp: Path) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": url, "RATSINFO_DATA_DIR": str(tmp), "RATSINFO_LOG_LEVEL": "WARNING"}
    ratsinfo = str(BIN / "ratsinfo")
    run([ratsinfo, "migrate", "--verbosity", "0"], env)
    generated = run([ratsinfo, "generate", "--papers", str(papers), "--seed", str(seed)], env)
    reindex = run([ratsinfo, "reindex", "--quiet"], env)
    sqlite_path = tmp / "ratsinfo.sqlite3" if vendor == "sqlite" else None
    size = index_size(vendor, env, sqlite_path)
    docs = subprocess.run(
        [str(BIN / "python"), "-c", "import django; django.setup(); from ratsinfo.search.models import Document; print(Document.objects.count())"],
        env={**env, "DJANGO_SETTINGS_MODULE": "ratsinfo.settings"}, cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().strip()
    queries = make_queries(corpus_rows({**env, "DJANGO_SETTINGS_MODULE": "ratsinfo.settings"}), seed)
    server, base = start_server(env, workers=2)
    try:
        http: list[float] = []
        hits = 0
        with httpx.Client(timeout=60) as client:
            for q in queries[:10]:
                client.get(f"{base}/suche/", params=q)  # warm up both workers
            for q in queries:
                start = time.perf_counter()
                response = client.get(f"{base}/suche/", params={**q, "format": "json"})
                http.append(time.perf_counter() - start)
                response.raise_for_status()
                hits += bool(response.json()["results"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    matches = match_strings(queries, vendor)
    raw = raw_sqlite(sqlite_path, matches) if sqlite_path else raw_postgres(url, matches)
    return {"generated": generated, "reindex": reindex, "size": size, "docs": docs, "http": p50_p95(http),
            "raw": p50_p95(raw), "with_hits": hits, "queries": len(queries)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres-url", default="", help="eigene Bench-Datenbank (wird neu angelegt und gelöscht)")
    args = parser.parse_args()
    print(machine())
    results = {}
    with tempfile.TemporaryDirectory(prefix="ratsinfo-search-bench-") as tmp:
        sqlite_dir = Path(tmp) / "sqlite"
        sqlite_dir.mkdir()
        results["SQLite FTS5"] = bench_backend("sqlite", f"sqlite:///{sqlite_dir / 'ratsinfo.sqlite3'}", args.papers, args.seed, sqlite_dir)
        if args.postgres_url:
            recreate_postgres(args.postgres_url)
            pg_dir = Path(tmp) / "pg"
            pg_dir.mkdir()
            try:
                results["PostgreSQL tsvector"] = bench_backend("postgresql", args.postgres_url, args.papers, args.seed, pg_dir)
            finally:
                import psycopg
                from psycopg import sql

                base, _, name = args.postgres_url.rpartition("/")
                with psycopg.connect(base + "/postgres", autocommit=True) as conn:
                    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    print(f"\n{args.papers:,} Vorlagen (ratsinfo generate --seed {args.seed}), {QUERIES} Suchanfragen; {machine()}")
    print("| Backend | Dokumente im Index | Erzeugen | reindex | Indexgröße | HTTP Median / p95 | roh Median / p95 | Anfragen mit Treffern |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        size = f"{r['size'] / 1e6:.1f} MB" if r["size"] >= 0 else "–"
        print(f"| {name} | {r['docs']} | {r['generated']:.1f} s | {r['reindex']:.1f} s | {size} | "
              f"{r['http'][0]:.1f} / {r['http'][1]:.1f} ms | {r['raw'][0]:.2f} / {r['raw'][1]:.2f} ms | {r['with_hits']}/{r['queries']} |")


if __name__ == "__main__":
    main()
