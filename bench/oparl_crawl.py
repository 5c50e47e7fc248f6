"""Benchmark: crawl the whole OParl API of a generated body over HTTP, served by gunicorn.

    .venv/bin/python bench/oparl_crawl.py --papers 100000

Generates the corpus into a fresh SQLite file (or reuses one with --data-dir), starts gunicorn
on 127.0.0.1 (workers = CPU cores, no access log), and walks system → body → all ten body
lists by their `next` links, the way meine-stadt-transparent and other harvesters do (one
client thread per server worker). Reports list objects per second (plus embedded objects),
and the latency of the paper list's first and last page (median of repeated requests): with
keyset pagination the ratio should stay near 1.
"""

from __future__ import annotations

import argparse
import os
import platform
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LISTS = ("organization", "person", "meeting", "paper", "agendaItem", "consultation", "file", "locationList",
         "legislativeTermList", "membership")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, env=env, cwd=ROOT, check=True)


def count_embedded(obj: Any) -> int:
    if isinstance(obj, dict):
        own = 1 if "type" in obj and "id" in obj else 0
        return own + sum(count_embedded(v) for v in obj.values() if isinstance(v, dict | list))
    if isinstance(obj, list):
        return sum(count_embedded(v) for v in obj if isinstance(v, dict | list))
    return 0


def crawl_list(client: httpx.Client, url: str, limit: int, stats: dict[str, Any]) -> None:
    params: dict[str, Any] | None = {"limit": limit}
    objects = embedded = pages = 0
    while url:
        response = client.get(url, params=params)
        response.raise_for_status()
        page = orjson.loads(response.content)
        objects += len(page["data"])
        embedded += sum(count_embedded(o) for o in page["data"])
        pages += 1
        url = page["links"].get("next")
        params = None  # the next link carries limit and filters
    stats["objects"] += objects
    stats["embedded"] += embedded
    stats["pages"] += pages


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children, from /proc."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def median_latency(client: httpx.Client, url: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url).raise_for_status()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def start_server(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn on a free loopback port (workers processes, one thread each); returns it and its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "ratsinfo.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", "1", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(timeout=120) as client:
        for _ in range(100):
            try:
                client.get(f"{base}/oparl/v1.1/")
                break
            except httpx.TransportError:
                time.sleep(0.2)
    return server, base


def crawl_body(body: dict[str, Any], workers: int, limit: int, server_pid: int) -> dict[str, Any]:
    """All ten lists of a body, one client thread per server worker; counts and CPU seconds."""
    tasks: queue.Queue[str] = queue.Queue()
    for key in sorted(LISTS, key=lambda k: k not in {"paper", "agendaItem", "consultation", "file"}):
        tasks.put(body[key])
    stats: dict[str, Any] = {"objects": 0, "embedded": 0, "pages": 0}
    lock = threading.Lock()

    def worker() -> None:
        with httpx.Client(timeout=120) as own:
            while True:
                try:
                    url = tasks.get_nowait()
                except queue.Empty:
                    return
                local = {"objects": 0, "embedded": 0, "pages": 0}
                crawl_list(own, url, limit, local)
                with lock:
                    for key, value in local.items():
                        stats[key] += value

    server_cpu = process_cpu(server_pid)
    client_cpu = time.process_time()
    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats["seconds"] = time.perf_counter() - start
    stats["server_cpu"] = process_cpu(server_pid) - server_cpu
    stats["client_cpu"] = time.process_time() - client_cpu
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=1000, help="page size the crawler asks for (max 1000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--data-dir", help="reuse this RATSINFO_DATA_DIR (generated once) instead of a temp dir")
    args = parser.parse_args()

    tmp = None
    if args.data_dir:
        data_dir = Path(args.data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.mkdtemp(prefix="oparl-crawl-")
        data_dir = Path(tmp)
    env = {**os.environ, "RATSINFO_DATA_DIR": str(data_dir), "DATABASE_URL": f"sqlite:///{data_dir / 'ratsinfo.sqlite3'}",
           "RATSINFO_LOG_LEVEL": "WARNING"}
    env.pop("RATSINFO_PUBLIC_BASE_URL", None)
    marker = data_dir / f"generated-{args.papers}-{args.seed}"
    server = None
    try:
        if not marker.exists():
            start = time.perf_counter()
            run([str(BIN / "ratsinfo"), "migrate", "-v0"], env)
            run([str(BIN / "ratsinfo"), "generate", "--papers", str(args.papers), "--seed", str(args.seed)], env)
            marker.touch()
            print(f"Generiert: {args.papers} Vorlagen in {time.perf_counter() - start:.0f} s")
        server, base = start_server(env, args.workers)
        with httpx.Client(timeout=120) as client:
            system = client.get(f"{base}/oparl/v1.1/").json()
            bodies = client.get(system["body"]).json()["data"]
            body = bodies[-1]  # the generated one (a reused database may hold more)
            # Warm both workers' caches and connections.
            for _ in range(4):
                client.get(body["paper"], params={"limit": 10})

            stats = crawl_body(body, args.workers, args.limit, server.pid)
            seconds, server_cpu, client_cpu = stats["seconds"], stats["server_cpu"], stats["client_cpu"]

            first_url = f"{body['paper']}?limit=100"
            last_url = client.get(first_url).json()["links"]["last"]
            first = median_latency(client, first_url, 21)
            last = median_latency(client, last_url, 21)
            prev_of_last = client.get(last_url).json()["links"]["prev"]
            middle = median_latency(client, prev_of_last, 21)

        print(f"Maschine: {platform.platform()}, {os.cpu_count()} Kerne, Python {platform.python_version()}, SQLite")
        print(f"Server: gunicorn, {args.workers} Worker; Crawler: {args.workers} Threads, limit={args.limit}")
        print(f"Gecrawlt: {stats['objects']:,} Listenobjekte ({stats['embedded']:,} mit eingebetteten) "
              f"auf {stats['pages']:,} Seiten in {seconds:.1f} s")
        print(f"Durchsatz: {stats['objects'] / seconds:,.0f} Objekte/s "
              f"({stats['embedded'] / seconds:,.0f} Objekte/s mit eingebetteten)")
        cores = os.cpu_count() or 1
        print(f"CPU: Server {server_cpu:.1f} s, Crawler {client_cpu:.1f} s, Systemlast (1 min) "
              f"{os.getloadavg()[0]:.1f}; je Server-CPU-Sekunde {stats['objects'] / server_cpu:,.0f} Objekte, "
              f"auf {cores} freien Kernen also etwa {stats['objects'] / ((server_cpu + client_cpu) / cores):,.0f} Objekte/s")
        print(f"Paper-Liste limit=100: erste Seite {first * 1000:.1f} ms, letzte {last * 1000:.1f} ms, "
              f"vorletzte {middle * 1000:.1f} ms, Verhältnis letzte/erste {last / first:.2f}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
