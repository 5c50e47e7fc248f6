"""Benchmark: `ratsinfo oparl-import URL` over HTTP, today's importer beside an older one, same data.

    git worktree add --detach /tmp/old-importer 2976f7a      # the importer to compare with (once)
    .venv/bin/python bench/oparl_import.py --papers 14000 --db sqlite --old-tree /tmp/old-importer
    .venv/bin/python bench/oparl_import.py --papers 14000 --db postgres --old-tree /tmp/old-importer

Starts bench/oparl_fixture_server.py (a synthetic OParl 1.1 body generated from the seed, served
on 127.0.0.1), then for each importer (the old tree via PYTHONPATH with this venv, then this
tree): a fresh database (SQLite file in a temporary directory, or its own PostgreSQL database
`<prefix>_old` / `<prefix>_new`), migrated by that tree, a first import and an unchanged
re-run (`modified_since`), each in a child process that reports wall time, its CPU time, its
peak RSS and the rows stored. Both importers run one after the other in the same run on the
same data, so their ratio holds on a shared machine; the load average is printed beside it.
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

from benchlib import machine

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"

CHILD = """
import json, os, resource, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratsinfo.settings")
django.setup()
from ratsinfo.oparl.importer.run import ImportOptions, run_import
from ratsinfo.oparl.importer.mapping import MODELS
options = ImportOptions(url=sys.argv[1], progress=False)
before = resource.getrusage(resource.RUSAGE_SELF)
r = run_import(options)
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
stored = sum(m._default_manager.filter(source_url__isnull=False).count() for m in MODELS.values())
print(json.dumps({"objects": r.objects, "pages": r.pages, "seconds": r.seconds, "cpu": cpu, "stored": stored,
                  "complete": r.complete, "new": r.stats.total("neu"), "changed": r.stats.total("geändert"),
                  "maxrss_mb": after.ru_maxrss / 1024}))
"""


def pg_recreate(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def child_env(tree: Path, data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = dict(os.environ, RATSINFO_DATA_DIR=str(data_dir), RATSINFO_LOG_LEVEL="ERROR", PYTHONPATH=str(tree))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_importer(label: str, tree: Path, url: str, work: Path, db: str, prefix: str) -> list[dict[str, Any]]:
    data_dir = work / f"data-{label}"
    data_dir.mkdir()
    database_url = None
    if db == "postgres":
        name = f"{prefix}_{label}"
        pg_recreate(name)
        database_url = f"postgres://postgres@127.0.0.1:5432/{name}"
    env = child_env(tree, data_dir, database_url)
    subprocess.run([sys.executable, "-m", "ratsinfo", "migrate", "-v", "0"], env=env, check=True, cwd=tree)
    runs = []
    for _kind in ("first", "again"):
        load = os.getloadavg()[0]
        out = subprocess.run([sys.executable, "-c", CHILD, url], env=env, check=True, capture_output=True,
                             text=True, cwd=tree)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["load"] = load
        runs.append(result)
    return runs


def line(label: str, r: dict[str, Any]) -> str:
    return (f"{label:<28} {r['seconds']:7.1f} s  {r['stored'] / r['seconds']:8.0f} gesp. Obj./s  "
            f"CPU {r['cpu']:6.1f} s  RSS {r['maxrss_mb']:4.0f} MB  neu {r['new']:6d}  geändert {r['changed']:4d}  "
            f"vollständig {'ja' if r['complete'] else 'NEIN'}  Last {r['load']:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=14_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-page", type=int, default=100)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--old-tree", type=Path, help="Checkout des älteren Importers (git worktree)")
    parser.add_argument("--pg-prefix", default="ri_importer_bench", help="Namensanfang der PostgreSQL-Datenbanken")
    parser.add_argument("--keep", action="store_true", help="temporäres Verzeichnis nicht löschen")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="oparl-import-bench-"))
    server = subprocess.Popen([sys.executable, str(ROOT / "bench" / "oparl_fixture_server.py"), "--papers",
                               str(args.papers), "--seed", str(args.seed), "--per-page", str(args.per_page)],
                              stdout=subprocess.PIPE, text=True)
    try:
        began = time.perf_counter()
        assert server.stdout is not None
        info = json.loads(server.stdout.readline())
        print(f"Maschine: {machine()}")
        print(f"Server: {info['url']} – {args.papers} Vorlagen (Seed {args.seed}), {info['objects']} Objekte, "
              f"{args.per_page} je Seite, bereit nach {time.perf_counter() - began:.1f} s")
        results: dict[str, list[dict[str, Any]]] = {}
        trees = ([("old", args.old_tree)] if args.old_tree else []) + [("new", ROOT)]
        for label, tree in trees:
            results[label] = run_importer(label, tree, info["url"], work, args.db, args.pg_prefix)
            first, again = results[label]
            print(line(f"{args.db} {label}: erster Import", first))
            print(line(f"{args.db} {label}: Wiederholung", again))
        if "old" in results:
            old, new = results["old"][0], results["new"][0]
            print(f"Verhältnis alt/neu ({args.db}): Wanduhr {old['seconds'] / new['seconds']:.2f}×, "
                  f"CPU des Importers {old['cpu'] / new['cpu']:.2f}×; Wiederholung "
                  f"{results['old'][1]['seconds']:.1f} s → {results['new'][1]['seconds']:.1f} s")
        print(f"Last am Ende: {os.getloadavg()[0]:.1f} auf {os.cpu_count()} Kernen (geteilte Maschine)")
    finally:
        server.terminate()
        server.wait()
        if args.keep:
            print(f"Arbeitsverzeichnis: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
