"""The console script and the server, as an operator uses them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

RATSINFO = [sys.executable, "-m", "ratsinfo"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, RATSINFO_DATA_DIR=str(tmp_path))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_sqlite_file_database_runs_in_wal_mode(tmp_path: Path) -> None:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("betrifft nur die eingebettete SQLite-Datenbank")
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
    )
    out = subprocess.run([*RATSINFO, "shell", "-c", code], env=_env(tmp_path), capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "wal"
    assert (tmp_path / "ratsinfo.sqlite3").exists()


def test_dashed_command_names_map_to_management_commands(tmp_path: Path) -> None:
    out = subprocess.run([*RATSINFO, "help", "--commands"], env=_env(tmp_path), capture_output=True, text=True, check=True)
    assert "serve" in out.stdout.split()
    assert "worker" in out.stdout.split()


def test_bad_database_url_fails_loudly(tmp_path: Path) -> None:
    env = _env(tmp_path) | {"DATABASE_URL": "oracle://nobody@nowhere/db"}
    out = subprocess.run([*RATSINFO, "check"], env=env, capture_output=True, text=True)
    assert out.returncode != 0
    assert "DATABASE_URL" in out.stderr


def test_serve_migrates_and_answers_http(tmp_path: Path) -> None:
    """`ratsinfo serve` on a fresh data dir runs the migrations itself and serves pages."""
    port = _free_port()
    env = _env(tmp_path)
    if env.get("DATABASE_URL", "").startswith("postgres"):
        # A fresh database of its own, so that the migrations really run here.
        base = env["DATABASE_URL"].rsplit("/", 1)[0]
        name = f"ratsinfo_serve_{os.getpid()}"
        subprocess.run(["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", f"{base}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
        env["DATABASE_URL"] = f"{base}/{name}"
    proc = subprocess.Popen(
        [*RATSINFO, "serve", "--port", str(port), "--workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 300  # a liveness bound (migrations on a busy machine), not a timing goal
        status = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/vorlagen/", timeout=5) as response:
                    status = response.status
                    body = response.read().decode()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"serve endete vorzeitig:\n{proc.stdout.read() if proc.stdout else ''}")
                time.sleep(0.3)
        assert status == 200
        assert "<h1" in body
    finally:
        proc.terminate()
        proc.wait(timeout=20)
