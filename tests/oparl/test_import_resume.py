"""Killed at any point, the importer resumes where it was and never leaves half an object graph."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from ratsinfo.oparl.importer import mapping
from ratsinfo.oparl.importer import run as run_module
from ratsinfo.oparl.importer.client import ClientConfig
from ratsinfo.oparl.importer.run import ImportOptions, run_import
from ratsinfo.oparl.models import ImportRun
from ratsinfo.papers.models import Consultation, Paper
from tests.oparl.test_import_support import FixtureServer, town_routes

ROOT = Path(__file__).resolve().parents[2]


def _env(data_dir: Path) -> dict[str, str]:
    # the importer process gets its own SQLite file (also when the suite runs on PostgreSQL)
    env = dict(os.environ, RATSINFO_DATA_DIR=str(data_dir), RATSINFO_LOG_LEVEL="WARNING")
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db, timeout=10) as con:
        return int(con.execute(sql).fetchone()[0])


def _graph_is_whole(db: Path) -> None:
    """Every imported paper has its consultation and its main file: pages are atomic."""
    with sqlite3.connect(db, timeout=10) as con:
        papers = con.execute("SELECT id FROM papers_paper").fetchall()
        for (pk,) in papers:
            assert con.execute("SELECT count(*) FROM papers_consultation WHERE paper_id=?", (pk,)).fetchone()[0] == 1
            assert con.execute("SELECT count(*) FROM files_file WHERE paper_id=?", (pk,)).fetchone()[0] == 1


def test_kill_9_mid_import_then_rerun_gives_the_complete_body(tmp_path: Path) -> None:
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "ratsinfo", "migrate", "-v", "0"], env=_env(data), cwd=ROOT, check=True)
    db = data / "ratsinfo.sqlite3"
    with FixtureServer(town_routes(papers=40, per_page=2, delay=0.15)) as server:
        cmd = [sys.executable, "-m", "ratsinfo", "oparl-import", server.url("/oparl/"), "--no-progress",
               "--retries", "1", "--backoff", "0.01"]
        proc = subprocess.Popen(cmd, env=_env(data), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                if db.exists() and _count(db, "SELECT count(*) FROM papers_paper") >= 6:
                    break
                time.sleep(0.05)
            assert proc.poll() is None, "Import war schon fertig, bevor er abgebrochen werden konnte"
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
        killed_at = _count(db, "SELECT count(*) FROM papers_paper")
        assert 6 <= killed_at < 40
        _graph_is_whole(db)
        assert _count(db, "SELECT count(*) FROM oparl_importrun WHERE status='running'") == 1

        server.routes = town_routes(papers=40, per_page=2)
        server.hits.clear()
        done = subprocess.run(cmd, env=_env(data), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "OParl-Import abgeschlossen" in done.stdout
    assert _count(db, "SELECT count(*) FROM papers_paper") == 40
    _graph_is_whole(db)
    assert _count(db, "SELECT count(*) FROM meetings_agendaitem") == 40
    assert _count(db, "SELECT count(*) FROM papers_consultation WHERE agenda_item_id IS NOT NULL") == 40
    # the interrupted run was resumed (not started afresh): finished lists were not asked again,
    # and the paper list continued after the last page written
    assert _count(db, "SELECT count(*) FROM oparl_importrun") == 1
    assert _count(db, "SELECT count(*) FROM oparl_importrun WHERE status='done'") == 1
    assert not any(h.startswith("/oparl/body/1/organization") for h in server.hits)
    first_paper_page = next(h for h in server.hits if h.startswith("/oparl/body/1/paper"))
    assert "page=" in first_paper_page


def test_an_interrupted_replay_of_a_dump_resumes_at_the_next_page(db: Any, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with FixtureServer(town_routes(papers=12, per_page=2)) as server:
        run_import(ImportOptions(url=server.url("/oparl/"), dump_dir=str(tmp_path / "dump"), progress=False,
                                 client=ClientConfig(retries=1, backoff=0.01)))
    Paper.objects.all().delete()
    calls = {"n": 0}
    original = mapping.Applier.apply_page

    def crash_on_paper_page(self: Any, raw: Any, expected: Any, body_url: str, where: str) -> int:
        if expected == "Paper":
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt  # as good as a kill: the transaction of this page is lost
        return original(self, raw, expected, body_url, where)

    monkeypatch.setattr(mapping.Applier, "apply_page", crash_on_paper_page)
    monkeypatch.setattr(run_module, "DIR_PAGES_PER_TRANSACTION", 1)
    with pytest.raises(KeyboardInterrupt):
        run_import(ImportOptions(from_dir=str(tmp_path / "dump"), progress=False))
    assert Paper.objects.count() == 4  # two whole pages
    assert all(p.consultations.count() == 1 for p in Paper.objects.all())
    monkeypatch.setattr(mapping.Applier, "apply_page", original)
    monkeypatch.setattr(run_module, "DIR_PAGES_PER_TRANSACTION", 10)

    result = run_import(ImportOptions(from_dir=str(tmp_path / "dump"), progress=False))

    assert Paper.objects.count() == 12
    assert Consultation.objects.filter(agenda_item__isnull=False).count() == 12
    assert result.stats.counts["Paper"]["neu"] == 8  # only what was missing
    dir_runs = ImportRun.objects.filter(mode="dir")
    assert dir_runs.count() == 1 and dir_runs.get().status == ImportRun.Status.DONE
