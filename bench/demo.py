#!/usr/bin/env python3
"""How long `ratsinfo demo` takes (moved here from a timed test assertion, which failed on busy machines).

    .venv/bin/python bench/demo.py [--repeat 3]

Runs `ratsinfo demo` in a temporary data directory (fresh SQLite) and prints wall-clock and CPU
time per run with the machine it ran on. Goal: under 30 s on the two-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import machine

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ratsinfo = ROOT / ".venv" / "bin" / "ratsinfo"
    print(machine())
    for run in range(1, args.repeat + 1):
        with tempfile.TemporaryDirectory() as data_dir:
            env = {**os.environ, "RATSINFO_DATA_DIR": data_dir}
            env.pop("DATABASE_URL", None)
            subprocess.run([str(ratsinfo), "migrate", "--no-input", "-v", "0"], env=env, check=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.monotonic()
            subprocess.run([str(ratsinfo), "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
            wall = time.monotonic() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            print(f"Lauf {run}: {wall:.1f} s Wanduhr, {cpu:.1f} s CPU (Ziel < 30 s)", flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
