"""Smoke run of the load test (bench/load.py): 20 clients for 5 s against `ratsinfo serve` on the
database of this test run (SQLite file, or a PostgreSQL database of its own beside the test
database). No timing is asserted (figures: bench/RESULTS.md with the machine); zero errors are."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_twenty_clients_for_five_seconds_get_no_error() -> None:
    args = [sys.executable, str(ROOT / "bench" / "load.py"), "--papers", "20", "--clients", "20", "--seconds", "5"]
    test_db = os.environ.get("DATABASE_URL", "")
    if test_db.startswith("postgres"):
        args += ["--database-url", f"{test_db.rstrip('/')}_load_smoke", "--recreate"]
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "RATSINFO_DATA_DIR"}}
    # A bound, not a timing assertion: on a shared, saturated machine migrating, generating and
    # starting the server took 13 minutes once.
    out = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert re.search(r"erfolgreich [1-9]\d*, Fehler 0\n", out.stdout), out.stdout
