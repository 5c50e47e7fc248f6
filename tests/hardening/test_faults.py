"""Faults an operator meets, in subprocesses on an installation of their own (SQLite file):
kill -9 of the web server, of the worker in the middle of a task, and a full disk. Each recovers
by itself and nothing is half written; while the disk is full, reads go on and writes get a German
503 page (database restart: tests/hardening/test_database_restart.py; kill -9 of an OParl import:
tests/oparl/test_import_resume.py. The shared PostgreSQL server is never restarted.)"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hardening.fault_tasks import FAULT_TASK_STATUS

REPO = Path(__file__).resolve().parents[2]
RATSINFO = [sys.executable, "-m", "ratsinfo"]

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="Fehlerfälle laufen auf einer eigenen SQLite-Installation; im SQLite-Durchlauf geprüft",
)


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RATSINFO_", "DJANGO_", "DATABASE_URL"))}
    return env | {"RATSINFO_DATA_DIR": str(data_dir), "RATSINFO_LOG_LEVEL": "WARNING", **extra}


def _run(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([*RATSINFO, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    if check:
        assert out.returncode == 0, out.stderr[-2000:]
    return out


def _sql(db: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db, timeout=20) as con:
        return con.execute(query).fetchall()


def _intact(db: Path) -> None:
    assert _sql(db, "PRAGMA integrity_check") == [("ok",)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


def _wait_for(url: str, want: int = 200, seconds: float = 90) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if _status(url) == want:
            return
        time.sleep(0.3)
    raise AssertionError(f"{url} antwortet nicht mit {want}")


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


@pytest.fixture
def installation(tmp_path: Path) -> Path:
    _run(_env(tmp_path), "generate", "--papers", "20", "--no-progress")
    return tmp_path


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*RATSINFO, "serve", "--port", str(port), "--workers", "2", "--threads", "2"], env=env,
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_the_web_server_recovers_from_kill_9(installation: Path) -> None:
    env, port = _env(installation), _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(env, port)
    try:
        _wait_for(base + "/healthz")
        end = time.monotonic() + 60  # the first worker may answer before the second has booted
        while time.monotonic() < end and len(_children(server.pid)) < 2:
            time.sleep(0.3)
        workers = _children(server.pid)
        assert len(workers) == 2
        os.kill(min(workers), signal.SIGKILL)  # one worker dies: the arbiter starts another
        end = time.monotonic() + 60
        while time.monotonic() < end and (min(workers) in _children(server.pid) or len(_children(server.pid)) < 2):
            time.sleep(0.3)
        assert len(_children(server.pid)) == 2 and min(workers) not in _children(server.pid)
        for _ in range(10):
            assert _status(base + "/vorlagen/") == 200
        orphans = _children(server.pid)
        os.kill(server.pid, signal.SIGKILL)  # the whole server dies
        server.wait(timeout=10)
        end = time.monotonic() + 60  # its workers notice the lost arbiter and leave
        while time.monotonic() < end and any(Path(f"/proc/{p}").exists() for p in orphans):
            time.sleep(0.3)
        _intact(installation / "ratsinfo.sqlite3")
        server = _serve(env, port)  # started again as an operator or systemd would
        _wait_for(base + "/vorlagen/")
    finally:
        _stop(server)
    _intact(installation / "ratsinfo.sqlite3")


def test_a_task_killed_with_its_worker_runs_again_and_is_never_half_written(installation: Path) -> None:
    env = _env(installation, RATSINFO_HEARTBEAT_SECONDS="0.5", RATSINFO_WORKER_STALE_SECONDS="2")
    db = installation / "ratsinfo.sqlite3"
    ours = FAULT_TASK_STATUS
    _run(env, "shell", "-c", "from tests.hardening.fault_tasks import write_locations as t; t.enqueue('Fehlerfall', 40, 0.1)")
    worker = subprocess.Popen([*RATSINFO, "worker"], env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        end = time.monotonic() + 60
        while time.monotonic() < end and _sql(db, ours) != [("RUNNING",)]:
            time.sleep(0.2)
        time.sleep(1.5)  # in the middle of writing its 40 rows
        assert _sql(db, ours) == [("RUNNING",)]
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    _intact(db)
    assert _sql(db, "SELECT count(*) FROM bodies_location WHERE description LIKE 'Fehlerfall-%'") == [(0,)]
    time.sleep(2.5)  # the dead worker's heartbeat goes stale
    out = _run(env, "worker", "--batch")
    assert "1 unterbrochene Aufgabe(n) erneut eingereiht." in out.stdout
    assert _sql(db, ours) == [("SUCCESSFUL",)]
    assert _sql(db, "SELECT count(*) FROM bodies_location WHERE description LIKE 'Fehlerfall-%'") == [(40,)]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "klein"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount_point)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"kein tmpfs einhängbar (mount -t tmpfs braucht root): {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


WRITE_MANY = (
    "from django.db import transaction\n"
    "from ratsinfo.bodies.models import Location\n"
    "with transaction.atomic():\n"
    "    Location.objects.bulk_create([Location(description='Voll-%d' % i, room='x' * 400) for i in range(5000)])\n"
)


READER_PASSWORD = "lesen-auf-vollem-speicher-42"


def _browser() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _open(browser: urllib.request.OpenerDirector, url: str, data: dict[str, str] | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Referer": url} if body else {})
    try:
        with browser.open(request, timeout=30) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode()


def _log_in(browser: urllib.request.OpenerDirector, base: str, username: str) -> tuple[int, str]:
    _, form = _open(browser, base + "/anmelden/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token, form[:500]
    return _open(browser, base + "/anmelden/", {"csrfmiddlewaretoken": token.group(1), "username": username,
                                                 "password": READER_PASSWORD})


def test_a_full_disk_fails_writes_whole_and_recovers_when_space_is_back(small_disk: Path) -> None:
    env, port = _env(small_disk), _free_port()
    base = f"http://127.0.0.1:{port}"
    _run(env, "generate", "--papers", "5", "--no-progress")
    _run(env, "shell", "-c", "from django.contrib.auth.models import User; "
         f"User.objects.create_user('leserin', password={READER_PASSWORD!r}); "
         f"User.objects.create_user('spaeter', password={READER_PASSWORD!r})")
    db = small_disk / "ratsinfo.sqlite3"
    server = _serve(env, port)
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        reader = _browser()
        assert _log_in(reader, base, "leserin")[0] == 200  # redirected to the start page
        filler = small_disk / "fueller"
        with filler.open("wb") as handle:  # fill the disk up to the last block
            try:
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            except OSError:
                pass
        # Reads go on while the disk is full: anonymous, OParl, search, a member's start page
        # (which notes the visit on the side: skipped, not a 500).
        for path in ("/", "/vorlagen/", "/sitzungen/", "/gremien/", "/suche/?q=Haushalt", "/oparl/v1.1/body/1/paper"):
            assert _status(base + path) == 200, path
        status, page = _open(reader, base + "/mein-ratsinfo/")
        assert status == 200 and "Mein Ratsinfo" in page
        # A write (a login writes its session) gets the German 503 page, no traceback.
        status, page = _log_in(_browser(), base, "spaeter")
        assert status == 503 and "Speicher voll" in page and "Traceback" not in page, page[:500]
        out = _run(env, "shell", "-c", WRITE_MANY, check=False)
        # SQLite says "database or disk is full", or "disk I/O error" when not even its WAL index fits
        assert out.returncode != 0 and re.search(r"full|No space|disk I/O error", out.stderr), out.stderr[-500:]
        filler.unlink()
        _intact(db)
        assert _sql(db, "SELECT count(*) FROM bodies_location WHERE description LIKE 'Voll-%'") == [(0,)]
        _run(env, "shell", "-c", WRITE_MANY)  # the same write, without any restart
        assert _sql(db, "SELECT count(*) FROM bodies_location WHERE description LIKE 'Voll-%'") == [(5000,)]
        assert _status(f"http://127.0.0.1:{port}/vorlagen/") == 200  # the running server, not restarted
        assert _log_in(_browser(), base, "spaeter")[0] == 200  # writes work again
    finally:
        _stop(server)
    _intact(db)
