"""A database restart while the server and the worker run: requests during the outage get the German
503 page, /readyz says not ready, and afterwards everything answers again without restarting ratsinfo;
the task the worker was running is rolled back whole and runs again.

The restart is of a private throwaway PostgreSQL cluster (initdb + pg_ctl on a free port in a
temporary directory), never of a shared server. Without initdb the test is skipped with the reason,
except in CI (CI=true or RATSINFO_REQUIRE_POSTGRES=1), where PostgreSQL is required."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hardening.fault_tasks import FAULT_TASK_STATUS
from tests.hardening.test_faults import _free_port, _stop, _wait_for

REPO = Path(__file__).resolve().parents[2]
RATSINFO = [sys.executable, "-m", "ratsinfo"]
REQUIRED = os.environ.get("CI") == "true" or os.environ.get("RATSINFO_REQUIRE_POSTGRES") == "1"


def _postgres_bin(name: str) -> str | None:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    return found


@dataclass
class Cluster:
    directory: Path
    port: int
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/ratsinfo"

    def ctl(self, *args: str) -> None:
        pg_ctl = _postgres_bin("pg_ctl")
        assert pg_ctl is not None
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run([*self.as_user, pg_ctl, "-D", str(self.directory / "data"), "-l", str(self.directory / "log"),
                        "-o", options, "-w", "-t", "120", *args], check=True, capture_output=True, timeout=180)

    def sql(self, query: str, database: str = "ratsinfo") -> list[tuple[object, ...]]:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/{database}", autocommit=True) as conn:
            cursor = conn.execute(query)
            return cursor.fetchall() if cursor.description else []


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    initdb = _postgres_bin("initdb")
    if initdb is None or _postgres_bin("pg_ctl") is None:
        if REQUIRED:
            pytest.fail("initdb/pg_ctl fehlen: der Datenbank-Neustart-Test braucht PostgreSQL")
        pytest.skip("kein initdb auf diesem Rechner: der Neustart eines eigenen PostgreSQL-Clusters entfällt")
    directory = Path(tempfile.mkdtemp(prefix="ratsinfo-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: as the postgres user
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("als root ohne Benutzer postgres lässt sich kein Cluster anlegen")
        os.chown(directory, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_user, initdb, "-D", str(directory / "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--no-sync", "--locale=C.UTF-8"], check=True, capture_output=True, timeout=180)
    cluster = Cluster(directory, _free_port(), as_user)
    cluster.ctl("start")
    try:
        cluster.sql("CREATE DATABASE ratsinfo", database="postgres")
        yield cluster
    finally:
        try:
            cluster.ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(directory, ignore_errors=True)


def _get(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode()


def test_server_and_worker_survive_a_database_restart(cluster: Cluster, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RATSINFO_", "DJANGO_", "DATABASE_URL"))}
    env |= {"RATSINFO_DATA_DIR": str(tmp_path), "RATSINFO_LOG_LEVEL": "WARNING", "DATABASE_URL": cluster.url,
            "RATSINFO_HEARTBEAT_SECONDS": "0.5", "RATSINFO_WORKER_STALE_SECONDS": "30"}
    subprocess.run([*RATSINFO, "generate", "--papers", "5", "--no-progress"], env=env, cwd=REPO, check=True,
                   capture_output=True, timeout=600)
    subprocess.run([*RATSINFO, "shell", "-c", "from tests.hardening.fault_tasks import write_locations as t; "
                    "t.enqueue('Neustart', 40, 0.25)"], env=env, cwd=REPO, check=True, capture_output=True, timeout=300)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*RATSINFO, "serve", "--port", str(port), "--workers", "2", "--threads", "2"], env=env,
                              cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([*RATSINFO, "worker"], env=env, cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    tasks = FAULT_TASK_STATUS
    written = "SELECT count(*) FROM bodies_location WHERE description LIKE 'Neustart-%'"
    try:
        _wait_for(base + "/vorlagen/")
        end = time.monotonic() + 120
        while time.monotonic() < end and cluster.sql(tasks) != [("RUNNING",)]:
            time.sleep(0.2)
        assert cluster.sql(tasks) == [("RUNNING",)]
        _wait_for(base + "/readyz")  # database, schema and the worker's heartbeat

        cluster.ctl("stop", "-m", "fast")  # the restart: running transactions are cut off
        status, page = _get(base + "/vorlagen/")
        assert status == 503 and "Vorübergehend nicht erreichbar" in page and "Traceback" not in page
        status, page = _get(base + "/readyz")
        assert status == 503 and "nicht bereit" in page
        assert _get(base + "/healthz")[0] == 200  # the process lives: no restart by the load balancer
        cluster.ctl("start")

        _wait_for(base + "/vorlagen/")  # the same server processes, not restarted
        _wait_for(base + "/oparl/v1.1/body")
        _wait_for(base + "/readyz")  # the same worker beats again
        assert server.poll() is None and worker.poll() is None
        end = time.monotonic() + 120
        while time.monotonic() < end and cluster.sql(tasks) != [("SUCCESSFUL",)]:
            assert cluster.sql(written)[0][0] in (0, 40)  # never half written
            time.sleep(0.3)
        why = FAULT_TASK_STATUS.replace("SELECT status", "SELECT exception_class_path, traceback")
        assert cluster.sql(tasks) == [("SUCCESSFUL",)], cluster.sql(why)
        assert cluster.sql(written) == [(40,)]
    finally:
        _stop(server)
        _stop(worker)
    assert "erneut eingereiht" in (worker.stdout.read() if worker.stdout else "")
