"""Load test: many concurrent clients against the portal and OParl, served by `ratsinfo serve`.

    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/ri_load --recreate
    .venv/bin/python bench/load.py --clients 200 --seconds 60 --workers 4 --threads 8

Generates a corpus (--papers, default 2,000) into the given PostgreSQL database (its own, never
one someone else works with; or a fresh SQLite file without --database-url), starts `ratsinfo
serve` on 127.0.0.1 only, and lets --clients async httpx clients (one connection each) request
a mix of Bürgerinfo pages and OParl lists/objects for --seconds (bounded, default 60). Reports
requests/s, p50/p90/p99 latency, errors by kind, and the machine (shared: note its load).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
from benchlib import machine

ROOT = Path(__file__).resolve().parents[1]
MAX_SECONDS = 120  # the script refuses longer runs: the machine is shared
PORTAL = ["/", "/vorlagen/", "/sitzungen/", "/gremien/", "/personen/", "/suche/?q=Haushalt", "/sitzungen/?ansicht=monat"]
OPARL = ["/oparl/v1.1/", "/oparl/v1.1/body", "/oparl/v1.1/body/1/paper", "/oparl/v1.1/body/1/meeting?limit=20",
         "/oparl/v1.1/body/1/organization", "/oparl/v1.1/body/1/person?limit=50"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def recreate_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


async def client_loop(client: httpx.AsyncClient, paths: list[str], deadline: float, latencies: list[float],
                      errors: Counter[str]) -> None:
    rng = random.Random()
    while time.monotonic() < deadline:
        path = rng.choice(paths)
        start = time.perf_counter()
        try:
            response = await client.get(path)
            if response.status_code != 200:
                errors[f"HTTP {response.status_code}"] += 1
            else:
                latencies.append(time.perf_counter() - start)
        except httpx.HTTPError as exc:
            errors[type(exc).__name__] += 1


async def load(base: str, clients: int, seconds: float, paths: list[str]) -> tuple[list[float], Counter[str], float]:
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:
        start = time.monotonic()
        deadline = start + seconds
        await asyncio.gather(*(client_loop(client, paths, deadline, latencies, errors) for _ in range(clients)))
        return latencies, errors, time.monotonic() - start


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else (values[0] if values else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="eigene PostgreSQL-Datenbank (sonst eine neue SQLite-Datei)")
    parser.add_argument("--recreate", action="store_true", help="die PostgreSQL-Datenbank vorher neu anlegen")
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if args.seconds > MAX_SECONDS:
        parser.error(f"--seconds höchstens {MAX_SECONDS} (geteilte Maschine)")
    data_dir = Path(tempfile.mkdtemp(prefix="ratsinfo-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RATSINFO_", "DJANGO_"))}
    env |= {"RATSINFO_DATA_DIR": str(data_dir), "RATSINFO_LOG_LEVEL": "WARNING"}
    if args.database_url:
        if args.recreate:
            recreate_postgres(args.database_url)
        env["DATABASE_URL"] = args.database_url
    ratsinfo = [sys.executable, "-m", "ratsinfo"]
    server = None
    try:
        subprocess.run([*ratsinfo, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        subprocess.run([*ratsinfo, "generate", "--papers", str(args.papers), "--no-progress"], env=env, cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen(
            [*ratsinfo, "serve", "--port", str(port), "--workers", str(args.workers), "--threads", str(args.threads)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        latencies, errors, wall = asyncio.run(load(base, args.clients, args.seconds, PORTAL + OPARL))
        total = len(latencies) + sum(errors.values())
        database = "PostgreSQL" if args.database_url else "SQLite"
        print(f"Maschine: {machine()}")
        print(f"{database}, {args.papers} Vorlagen; ratsinfo serve mit {args.workers} Prozessen × {args.threads} Threads; "
              f"{args.clients} Clients, {wall:.0f} s, Mischung aus {len(PORTAL)} Portal- und {len(OPARL)} OParl-Adressen")
        print(f"Anfragen: {total} ({total / wall:.0f}/s), erfolgreich {len(latencies)}, Fehler {sum(errors.values())}"
              + (f" ({', '.join(f'{k}: {v}' for k, v in errors.most_common())})" if errors else ""))
        if latencies:
            print(f"Latenz: p50 {percentile(latencies, 50) * 1000:.0f} ms, p90 {percentile(latencies, 90) * 1000:.0f} ms, "
                  f"p99 {percentile(latencies, 99) * 1000:.0f} ms")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
