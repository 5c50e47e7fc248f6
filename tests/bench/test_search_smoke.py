"""Smoke test of the search benchmark: bench/search.py end to end on a tiny corpus (no timing
is asserted; the figures belong in bench/RESULTS.md with the machine)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_search_benchmark_reports_every_backend_beside_the_raw_query(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark-Ergebnisse\n\nvon million.py\n")
    args = [sys.executable, str(ROOT / "bench" / "search.py"), "--papers", "30", "--data-dir", str(tmp_path / "data"),
            "--out", str(out)]
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "RATSINFO_DATA_DIR"}}
    backends = ["SQLite FTS5"]
    test_db = os.environ.get("DATABASE_URL", "")
    if test_db.startswith("postgres"):  # a bench database of its own beside the test database
        args += ["--postgres-url", f"{test_db.rstrip('/')}_search_smoke"]
        backends.append("PostgreSQL tsvector")

    try:
        subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, timeout=900)
    finally:
        if len(backends) > 1:
            _drop(args[-1])

    text = out.read_text()
    assert text.startswith("# Benchmark-Ergebnisse") and "von million.py" in text  # the rest is kept
    assert "## Suche (bench/search.py)" in text and "Maschine:" in text
    rows = [line.split("|")[1:-1] for line in text.splitlines() if line.startswith("| ") and "Backend" not in line]
    assert [r[0].strip() for r in rows] == backends
    for row in rows:
        http, cold, server_cpu, raw, with_hits = row[4], row[5], row[6], row[7], row[8]
        assert " ms" in http and " ms" in cold and " ms" in server_cpu and " ms" in raw
        found, asked = (int(n) for n in with_hits.strip().split("/"))
        assert asked == 200 and found > 0


def _drop(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
