#!/usr/bin/env python3
"""Benchmark of the corpus generator: N Vorlagen with everything that belongs to them.

    .venv/bin/python bench/generate.py                       # 100,000 papers, temporary SQLite file
    .venv/bin/python bench/generate.py --papers 10000 \\
        --database-url postgres://postgres@127.0.0.1:5432/ratsinfo_bench --recreate

Runs against a temporary data directory (RATSINFO_DATA_DIR) unless --data-dir is given, so it
never touches ./var. With --database-url the database is migrated first; --recreate drops and
creates it (PostgreSQL only; use a database of its own!). Prints papers/s and rows/s with the
machine it ran on; CPU time counts this process only (on PostgreSQL the server works as well).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchlib import cpu_model

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))




def recreate_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    if not name or name in {"postgres", "template0", "template1", "ratsinfo"}:
        raise SystemExit(f"--recreate verweigert für die Datenbank {name!r}: eine eigene Bench-Datenbank angeben.")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--recreate", action="store_true", help="PostgreSQL-Datenbank vorher neu anlegen")
    parser.add_argument("--data-dir", help="Datenverzeichnis (Standard: temporär, wird gelöscht)")
    parser.add_argument("--progress", action="store_true", help="Fortschrittsbalken (nur im Terminal)")
    args = parser.parse_args()

    tmp = None
    data_dir = args.data_dir
    if not data_dir:
        tmp = data_dir = tempfile.mkdtemp(prefix="ratsinfo-bench-")
    os.environ["RATSINFO_DATA_DIR"] = data_dir
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        if args.recreate:
            recreate_postgres(args.database_url)
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ratsinfo.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from ratsinfo.corpus.generator import generate

        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("select sqlite_version()")
                db = f"SQLite {cursor.fetchone()[0]} (Datei, WAL)"
            else:
                cursor.execute("show server_version")
                db = f"PostgreSQL {cursor.fetchone()[0]} ({connection.settings_dict['NAME']})"
        load = os.getloadavg()
        wall0, cpu0 = time.perf_counter(), time.process_time()
        stats = generate(papers=args.papers, seed=args.seed, progress=args.progress)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        size = ""
        if connection.vendor == "sqlite":
            files = list(Path(data_dir).glob("ratsinfo.sqlite3*"))
            size = f", Datenbank {sum(f.stat().st_size for f in files) / 2**20:.0f} MiB"
        print(f"Maschine: {len(os.sched_getaffinity(0))} Kerne, {cpu_model()}, "
              f"Python {platform.python_version()}, {db}; Last vorher {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print(f"Erzeugt: {stats.papers} Vorlagen, {stats.meetings} Sitzungen, {stats.agenda_items} TOP, "
              f"{stats.consultations} Beratungen, {stats.sections} Abschnitte, {stats.files} Dateien, "
              f"{stats.rows} Zeilen insgesamt{size}")
        print(f"Zeit: {wall:.1f} s Wand, {cpu:.1f} s CPU dieses Prozesses")
        print(f"Durchsatz: {stats.papers / wall:,.0f} Vorlagen/s, {stats.rows / wall:,.0f} Zeilen/s "
              f"(je CPU-Sekunde: {stats.papers / cpu:,.0f} Vorlagen, {stats.rows / cpu:,.0f} Zeilen)")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
