"""Full-text search on a generated corpus, per backend: reindex time, index size, and the
latency of 200 realistic queries over HTTP beside the raw FTS5 / tsvector query on the same data.

    .venv/bin/python bench/search.py                       # 100,000 Vorlagen (+ ~300,000 Dateien), SQLite
    .venv/bin/python bench/search.py --postgres-url postgres://postgres@127.0.0.1:5432/ri_searchbench
    .venv/bin/python bench/search.py --papers 200 --data-dir /tmp/x --out /tmp/x/RESULTS.md   # smoke

The corpus is built once per backend and reused by later runs (`ratsinfo generate` +
`ratsinfo reindex`, noted in DATA_DIR/<backend>.json; the SQLite file lives in DATA_DIR): the
reindex time is the one measured when it was built, or again with --reindex. The named
PostgreSQL database is created if missing and kept (drop it yourself, or --fresh). The server
is gunicorn with two workers; its CPU time per query is reported beside the wall clock, since
on a shared machine the wall clock measures the other jobs as well.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import machine
from generate import recreate_postgres
from oparl_crawl import BIN, ROOT, process_cpu, start_server

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


def http_pass(
    client: httpx.Client, base: str, queries: list[dict[str, str]], server_pid: int | None = None,
) -> tuple[list[float], int, float]:
    """Each query once over HTTP: the seconds of each, how many had hits, the server's CPU seconds."""
    http: list[float] = []
    hits = 0
    cpu_before = process_cpu(server_pid) if server_pid else 0.0
    for q in queries:
        start = time.perf_counter()
        response = client.get(f"{base}/suche/", params={**q, "format": "json"})
        http.append(time.perf_counter() - start)
        response.raise_for_status()
        hits += bool(response.json()["results"])
    return http, hits, (process_cpu(server_pid) - cpu_before) if server_pid else 0.0


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


def django_value(env: dict[str, str], code: str) -> str:
    return subprocess.run(
        [str(BIN / "python"), "-c", f"import django; django.setup(); {code}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "ratsinfo.settings"}, cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().strip()


def corpus(vendor: str, env: dict[str, str], papers: int, seed: int, state: Path, rebuild: bool, reindex: bool) -> dict[str, Any]:
    """Generate and index once; later runs reuse the data (and the figures of building it)."""
    ratsinfo = str(BIN / "ratsinfo")
    known = json.loads(state.read_text()) if state.exists() else {}
    if rebuild or known.get("papers") != papers or known.get("seed") != seed:
        known = {"papers": papers, "seed": seed}
        state.unlink(missing_ok=True)
        if vendor == "sqlite":  # a new corpus in an empty database, never added to the old one
            for suffix in ("", "-wal", "-shm"):
                (state.parent / f"ratsinfo.sqlite3{suffix}").unlink(missing_ok=True)
        else:
            recreate_postgres(env["DATABASE_URL"])
        run([ratsinfo, "migrate", "--verbosity", "0"], env)
        known["generated"] = run([ratsinfo, "generate", "--papers", str(papers), "--seed", str(seed)], env)
        reindex = True
    else:
        run([ratsinfo, "migrate", "--verbosity", "0"], env)
    if reindex:
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        known["reindex"] = run([ratsinfo, "reindex", "--quiet"], env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        known["reindex_cpu"] = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
        known["reindex_load"] = os.getloadavg()[0]
        known["counts"] = django_value(env, (
            "from ratsinfo.search.models import Document; from ratsinfo.files.models import File;"
            "print(Document.objects.count(), File.objects.count())"
        ))
        state.write_text(json.dumps(known))
    return known


def bench_backend(vendor: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    data = Path(args.data_dir) / ("sqlite" if vendor == "sqlite" else "pg")
    data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": url, "RATSINFO_DATA_DIR": str(data), "RATSINFO_LOG_LEVEL": "WARNING"}
    built = corpus(vendor, env, args.papers, args.seed, data / "corpus.json", args.fresh, args.reindex)
    sqlite_path = data / "ratsinfo.sqlite3" if vendor == "sqlite" else None
    size = index_size(vendor, env, sqlite_path)
    queries = make_queries(corpus_rows({**env, "DJANGO_SETTINGS_MODULE": "ratsinfo.settings"}), args.seed)
    matches = match_strings(queries, vendor)
    # A loaded machine may need more than gunicorn's 30 s for a cold first query.
    server, base = start_server({**env, "GUNICORN_CMD_ARGS": "--timeout 600"}, workers=2)
    loads = [os.getloadavg()[0]]
    try:
        with httpx.Client(timeout=120) as client:
            for q in queries[:10]:
                client.get(f"{base}/suche/", params=q)  # warm up both workers
            # Two passes: the first reads what is not in memory (this VM's kernel gives back
            # page cache left unused for a while, so a first pass after a pause reads the disk),
            # the second is the measured one.
            cold, _, _ = http_pass(client, base, queries)
            http, hits, server_cpu = http_pass(client, base, queries, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
    loads.append(os.getloadavg()[0])
    cpu = time.process_time()
    raw = raw_sqlite(sqlite_path, matches) if sqlite_path else raw_postgres(url, matches)
    raw_cpu = (time.process_time() - cpu) / max(1, len(matches))
    documents, files = (built.get("counts") or "0 0").split()
    return {**built, "size": size, "docs": int(documents), "files": int(files), "http": p50_p95(http),
            "cold": p50_p95(cold),
            "raw": p50_p95(raw), "server_cpu_ms": server_cpu / len(queries) * 1000,
            "raw_cpu_ms": raw_cpu * 1000 if sqlite_path else None, "with_hits": hits, "queries": len(queries),
            "load": loads}


def de(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def report(args: argparse.Namespace, results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "## Suche (bench/search.py)", "",
        f"Lauf vom {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {de(args.papers, 0)} Vorlagen "
        f"(`ratsinfo generate --seed {args.seed}`), {QUERIES} Suchanfragen über HTTP (gunicorn, 2 Worker, JSON).",
        f"Maschine: {machine()}.", "",
        "Ziel: p95 ≤ 100 ms je Backend über HTTP; `ratsinfo reindex` ≤ 5 min. Die Wanduhr misst auf der geteilten "
        "Maschine die anderen Jobs mit; die Server-CPU je Anfrage (gunicorn-Prozesse, bei PostgreSQL ohne den "
        "Datenbankserver) sagt, was eine Anfrage auf einem freien Kern kostet.", "",
        "| Backend | Dokumente im Index (Dateien) | reindex Wand / CPU (Last) | Indexgröße | HTTP Median / p95 "
        "| erster Durchgang (kalt) | Server-CPU je Anfrage | roh Median / p95 | Anfragen mit Treffern "
        "| Last vorher → nachher |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        size = f"{de(r['size'] / 1e6)} MB" if r["size"] >= 0 else "–"
        lines.append(
            f"| {name} | {de(r['docs'], 0)} ({de(r['files'], 0)}) | {de(r['reindex'])} s / {de(r.get('reindex_cpu', 0))} s "
            f"({de(r.get('reindex_load', 0))}) | {size} | {de(r['http'][0])} / {de(r['http'][1])} ms "
            f"| {de(r['cold'][0])} / {de(r['cold'][1])} ms "
            f"| {de(r['server_cpu_ms'])} ms | {de(r['raw'][0], 2)} / {de(r['raw'][1], 2)} ms "
            f"| {r['with_hits']}/{r['queries']} | {de(r['load'][0])} → {de(r['load'][1])} |"
        )
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """Replace the search section of RESULTS.md (million.py writes the rest)."""
    text = path.read_text() if path.exists() else ""
    head = text.split("## Suche (bench/search.py)")[0].rstrip()
    path.write_text((head + "\n\n" if head else "") + section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres-url", default="", help="eigene Bench-Datenbank (wird angelegt und behalten)")
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--data-dir", default="/tmp/ratsinfo-search-bench")
    parser.add_argument("--fresh", action="store_true", help="Korpus neu erzeugen")
    parser.add_argument("--reindex", action="store_true", help="reindex erneut messen")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "RESULTS.md")
    args = parser.parse_args()
    print(machine())
    results = {}
    if args.sqlite:
        sqlite_url = f"sqlite:///{Path(args.data_dir) / 'sqlite' / 'ratsinfo.sqlite3'}"
        results["SQLite FTS5"] = bench_backend("sqlite", sqlite_url, args)
    if args.postgres_url:
        results["PostgreSQL tsvector"] = bench_backend("postgresql", args.postgres_url, args)
    section = report(args, results)
    print(section)
    write_section(args.out, section)


if __name__ == "__main__":
    main()
