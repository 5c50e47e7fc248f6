"""Production settings, browser security headers and the load balancer's endpoints."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ratsinfo.ops import heartbeat
from ratsinfo.ops.models import WorkerHeartbeat

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "p7Vq-3mZ_x9LrT2sWcK8nB4hJ6fD1gY0aE5uI7oP3qR9tX2vN8mQ4wS6zC1"


def _ratsinfo(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("RATSINFO_", "DJANGO_"))}
    environ |= {"RATSINFO_DATA_DIR": str(tmp_path), **env}
    return subprocess.run([sys.executable, "-m", "ratsinfo", *args], env=environ, capture_output=True, text=True,
                          timeout=120, cwd=REPO)


def test_production_with_key_and_hosts_passes_check_deploy(tmp_path: Path) -> None:
    out = _ratsinfo(tmp_path, "check", "--deploy", "--fail-level", "WARNING", RATSINFO_PRODUCTION="1",
                    RATSINFO_SECRET_KEY=PRODUCTION_KEY, RATSINFO_ALLOWED_HOSTS="rats.grossenkneten.de")
    assert out.returncode == 0, out.stderr
    assert "System check identified no issues" in out.stdout + out.stderr


def test_secrets_can_come_from_files(tmp_path: Path) -> None:
    key_file = tmp_path / "schluessel"
    key_file.write_text(PRODUCTION_KEY + "\n")
    env = {"RATSINFO_PRODUCTION": "1", "RATSINFO_SECRET_KEY_FILE": str(key_file), "RATSINFO_ALLOWED_HOSTS": "rats.de"}
    code = f"from django.conf import settings; print(settings.SECRET_KEY == {PRODUCTION_KEY!r})"
    out = _ratsinfo(tmp_path, "shell", "-c", code, **env)
    assert out.stdout.strip().splitlines()[-1] == "True", out.stderr
    both = _ratsinfo(tmp_path, "check", **env, RATSINFO_SECRET_KEY=PRODUCTION_KEY)
    assert both.returncode == 2 and "Nur eine von RATSINFO_SECRET_KEY und RATSINFO_SECRET_KEY_FILE" in both.stderr
    missing = _ratsinfo(tmp_path, "check", **env | {"RATSINFO_SECRET_KEY_FILE": str(tmp_path / "fehlt")})
    assert missing.returncode == 2 and "lässt sich nicht lesen" in missing.stderr


def test_every_page_has_a_strict_content_security_policy(citizen_client: Client, body: Any) -> None:
    response = citizen_client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_no_template_has_inline_script_or_style() -> None:
    """The policy forbids inline script and style; a template that used them would break silently."""
    offenders = []
    for template in (REPO / "ratsinfo").rglob("templates/**/*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", text):
            offenders.append(str(template.relative_to(REPO)))
    assert offenders == []


def test_answers_to_logged_in_users_are_never_stored(staff_client: Client, citizen_client: Client, body: Any) -> None:
    for url in ("/", "/vorlagen/", "/oparl/v1.1/body"):
        assert staff_client.get(url)["Cache-Control"] == "private, no-store", url
    assert "no-store" not in citizen_client.get("/vorlagen/").get("Cache-Control", "")


def test_healthz_answers_without_data(citizen_client: Client) -> None:
    response = citizen_client.get("/healthz")
    assert response.status_code == 200 and json.loads(response.content) == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_needs_a_live_worker(citizen_client: Client, db: Any) -> None:
    response = citizen_client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "nicht bereit", "checks": {"database": True, "migrations": True, "worker": False},
    }
    heartbeat.beat("rathaus-1")
    response = citizen_client.get("/readyz")
    assert response.status_code == 200 and json.loads(response.content)["checks"]["worker"] is True
    WorkerHeartbeat.objects.update(seen="2000-01-01T00:00:00Z")
    assert citizen_client.get("/readyz").status_code == 503


def test_tasks_of_a_dead_worker_go_back_to_the_queue(db: Any) -> None:
    def running(owner: str) -> DBTaskResult:
        return DBTaskResult.objects.create(
            status=TaskResultStatus.RUNNING, args_kwargs={"args": [], "kwargs": {}}, task_path="x.y",
            backend_name="default", run_after="9999-01-01T00:00:00Z", worker_ids=[owner],
        )

    heartbeat.beat("lebt-1")
    orphan, alive = running("tot-1"), running("lebt-1")
    assert heartbeat.requeue_orphaned_tasks() == 1
    orphan.refresh_from_db()
    alive.refresh_from_db()
    assert (orphan.status, orphan.started_at) == (TaskResultStatus.READY, None)
    assert alive.status == TaskResultStatus.RUNNING


def test_plain_http_probes_are_not_redirected_in_production() -> None:
    assert any(re.match(p, "healthz") for p in settings.SECURE_REDIRECT_EXEMPT)
    assert any(re.match(p, "readyz") for p in settings.SECURE_REDIRECT_EXEMPT)


def test_the_admin_change_list_has_no_inline_style(sitzungsdienst: Any, monkeypatch: Any) -> None:
    """Django's change list without actions brings an inline <style>: served as a stylesheet instead."""
    from django.contrib import admin

    from ratsinfo.bodies.models import Location
    from tests.conftest import login_with_second_factor

    sitzungsdienst.is_superuser = True
    sitzungsdienst.save()
    model_admin = admin.site._registry[Location]
    monkeypatch.setattr(model_admin, "actions_on_top", False)
    monkeypatch.setattr(model_admin, "actions_on_bottom", False)
    page = login_with_second_factor(Client(), sitzungsdienst).get("/verwaltung/admin/bodies/location/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<style" not in html and "/static/ops/admin-changelist-without-actions.css" in html
