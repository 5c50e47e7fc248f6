"""Shared by the bench scripts: what machine the figures were measured on."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unbekannt"


def machine() -> str:
    """CPU, cores, Python, SQLite, kernel and the current load: print it with every figure."""
    return (f"{cpu_model()} × {os.cpu_count()} Kerne, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}, "
            f"Last (1 min) {os.getloadavg()[0]:.1f}")
