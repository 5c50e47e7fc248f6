"""`ratsinfo backup` and `ratsinfo restore` as an operator runs them: every table's rows and every
file's hash come back identical in an empty installation, and a full one is never overwritten
without --force. SQLite in the SQLite pass, PostgreSQL (own databases) in the PostgreSQL pass."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from django.db import connection
tables = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows = sorted(repr(tuple(str(v) for v in row)) for row in cursor.fetchall())
        tables[table] = [len(rows), hashlib.sha256("\\n".join(rows).encode()).hexdigest()]
root = Path(settings.MEDIA_ROOT)
files = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
         for p in sorted(root.rglob("*")) if p.is_file()} if root.is_dir() else {}
print(json.dumps({"tables": tables, "files": files}))
"""
ADD_FILES = """
from django.core.files.base import ContentFile
from ratsinfo.files.models import File
for i, f in enumerate(File.objects.order_by("pk")[:3]):
    f.content.save(f"anlage-{i}.pdf", ContentFile(b"%PDF-1.7 Anlage " + bytes([i]) * 1000))
"""


def _pg_base() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


@pytest.fixture
def installations(tmp_path: Path) -> Iterator[dict[str, dict[str, str]]]:
    """Two installations (source and target) with their own data dir and database."""
    base = _pg_base()
    envs = {}
    created = []
    for name in ("quelle", "ziel"):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RATSINFO_", "DJANGO_", "DATABASE_URL"))}
        env["RATSINFO_DATA_DIR"] = str(tmp_path / name)
        if base:
            import psycopg

            db = f"{base.rsplit('/', 1)[1]}_bk_{name}_{os.getpid()}"
            with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
                conn.execute(f'CREATE DATABASE "{db}"')
            created.append(db)
            env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + db
        envs[name] = env
    yield envs
    if base:
        import psycopg

        with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            for db in created:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def _run(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([sys.executable, "-m", "ratsinfo", *args], env=env, capture_output=True, text=True,
                         timeout=300, cwd=REPO)
    if check:
        assert out.returncode == 0, out.stderr[-2000:]
    return out


def _assert_identical(got: dict[str, dict[str, object]], expected: dict[str, dict[str, object]]) -> None:
    differing = sorted(t for t in expected["tables"].keys() | got["tables"].keys()
                       if expected["tables"].get(t) != got["tables"].get(t))
    assert differing == []
    assert got["files"] == expected["files"]


def _snapshot(env: dict[str, str]) -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads(_run(env, "shell", "-c", SNAPSHOT).stdout.strip().splitlines()[-1])
    return data


def test_restore_into_an_empty_installation_gives_identical_data(
    installations: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    source, target = installations["quelle"], installations["ziel"]
    _run(source, "generate", "--papers", "8", "--no-progress")
    _run(source, "shell", "-c", ADD_FILES)
    before = _snapshot(source)
    assert len(before["files"]) == 3 and before["tables"]["papers_paper"][0] == 8

    _run(source, "backup", str(tmp_path / "sicherung"))
    manifest = json.loads((tmp_path / "sicherung" / "manifest.json").read_text())
    expected = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
    assert manifest["database"] == expected[manifest["vendor"]]
    _run(target, "restore", str(tmp_path / "sicherung"))
    _assert_identical(_snapshot(target), before)


def test_restore_never_overwrites_a_full_installation_without_force(
    installations: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    source, target = installations["quelle"], installations["ziel"]
    _run(source, "generate", "--papers", "2", "--no-progress")
    _run(source, "backup", str(tmp_path / "sicherung"))
    _run(target, "generate", "--papers", "3", "--no-progress")
    theirs = _snapshot(target)
    refused = _run(target, "restore", str(tmp_path / "sicherung"), check=False)
    assert refused.returncode != 0 and "nicht leer" in refused.stderr and "--force" in refused.stderr
    assert _snapshot(target) == theirs
    _run(target, "restore", "--force", str(tmp_path / "sicherung"))
    _assert_identical(_snapshot(target), _snapshot(source))


def test_a_damaged_backup_is_refused_before_anything_changes(installations: dict[str, dict[str, str]],
                                                             tmp_path: Path) -> None:
    source, target = installations["quelle"], installations["ziel"]
    _run(source, "generate", "--papers", "1", "--no-progress")
    _run(source, "shell", "-c", ADD_FILES)
    _run(source, "backup", str(tmp_path / "sicherung"))
    blob = next((tmp_path / "sicherung" / "files").iterdir())
    blob.write_bytes(b"verfaelscht")
    out = _run(target, "restore", str(tmp_path / "sicherung"), check=False)
    assert out.returncode != 0 and "beschädigt" in out.stderr
    again = _run(source, "backup", str(tmp_path / "sicherung"), check=False)
    assert again.returncode != 0 and "nicht leer" in again.stderr


def test_postgresql_backup_without_pg_dump_says_what_to_install(installations: dict[str, dict[str, str]],
                                                                 tmp_path: Path) -> None:
    if not _pg_base():
        pytest.skip("SQLite sichert mit der Online-Backup-API, ohne externe Programme")
    env = {**installations["quelle"], "PATH": str(Path(sys.executable).parent)}
    _run(env, "migrate")
    out = _run(env, "backup", str(tmp_path / "sicherung"), check=False)
    assert out.returncode != 0 and "pg_dump ist nicht installiert" in out.stderr
    assert not (tmp_path / "sicherung").exists()
