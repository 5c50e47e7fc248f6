"""`ratsinfo backup PATH` and `ratsinfo restore PATH`: the database and the stored files.

A backup is a directory:
- `manifest.json`: format, database kind, time, and every stored file (path -> SHA-256);
- `database.sqlite3` (SQLite online backup API: a consistent copy while the system runs), or
  `database.pgdump` (pg_dump: one snapshot in one transaction; needs Debian's postgresql-client
  in the server's major version - Django's serialization would renumber many-to-many rows, so a
  restore would not be identical);
- `files/<sha256>`: each distinct file content once (content-addressed, verified on restore).

The database is copied first, the files after: a file that a row of the copy names was written
before that row, so it is there; files that arrive later are harmless extras.
A restore goes only into an empty installation unless `force` is given, and checks every hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

FORMAT = 1
# Tables that `migrate` fills by itself: they do not make an installation "non-empty".
SCHEMA_TABLES = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in German."""


@dataclass
class Summary:
    database: str
    files: int
    bytes: int


def _vendor() -> str:
    return str(connection.vendor)


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files() -> Iterator[Path]:
    root = _media_root()
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


# --- Backup ---------------------------------------------------------------------------------------


def backup(target: Path) -> Summary:
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} ist nicht leer; bitte ein neues Verzeichnis angeben.")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written next to the target and renamed at the end (same file system, so the rename is atomic).
    work = Path(tempfile.mkdtemp(prefix=".ratsinfo-backup-", dir=target.parent))
    try:
        database = _backup_database(work)
        files, size = _backup_files(work / "files")
        manifest = {
            "format": FORMAT, "database": database, "vendor": _vendor(),
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "files": files,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        # Appears complete or not at all: an interrupted backup leaves only the hidden work dir.
        if target.exists():
            target.rmdir()
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Summary(database=database, files=len(files), bytes=size)


def _backup_database(work: Path) -> str:
    if _vendor() == "sqlite":
        out = work / "database.sqlite3"
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        dest = sqlite3.connect(str(out))
        try:
            source.backup(dest)  # page by page, consistent while others write (WAL)
        finally:
            dest.close()
            source.close()
        return out.name
    out = work / "database.pgdump"
    _pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={out}")
    return out.name


def _backup_files(store: Path) -> tuple[dict[str, str], int]:
    store.mkdir(parents=True)
    files: dict[str, str] = {}
    size = 0
    root = _media_root()
    for path in _media_files():
        digest = _sha256(path)
        blob = store / digest
        if not blob.exists():
            shutil.copyfile(path, blob)
            if _sha256(blob) != digest:  # changed while copied: take it again next time
                raise BackupError(f"Die Datei {path.relative_to(root)} wurde während der Sicherung geändert.")
            size += blob.stat().st_size
        files[path.relative_to(root).as_posix()] = digest
    return files, size


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = [f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _pg(program: str, *args: str) -> None:
    if shutil.which(program) is None:
        raise BackupError(f"{program} ist nicht installiert (Debian: apt-get install postgresql-client).")
    base, env = _pg_args()
    result = subprocess.run([program, *base, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{program} ist fehlgeschlagen: {result.stderr.strip()[:500]}")


# --- Restore --------------------------------------------------------------------------------------


def nonempty_tables() -> list[str]:
    """Tables with rows beyond what `migrate` writes: their names, for the refusal message."""
    existing = set(connection.introspection.table_names())
    out = []
    with connection.cursor() as cursor:
        for table in sorted(existing - SCHEMA_TABLES):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                out.append(table)
    return out


def restore(source: Path, *, force: bool = False) -> Summary:
    manifest = _read_manifest(source)
    if manifest["vendor"] != _vendor():
        raise BackupError(
            f"Die Sicherung stammt aus {manifest['vendor']}, diese Installation nutzt {_vendor()}; "
            "bitte in eine Installation derselben Datenbankart zurückspielen."
        )
    for path, digest in manifest["files"].items():  # check everything before touching anything
        blob = source / "files" / digest
        if not blob.is_file() or _sha256(blob) != digest:
            raise BackupError(f"Die Sicherung ist beschädigt: Inhalt von {path} fehlt oder stimmt nicht.")
    if not force:
        tables = nonempty_tables() if connection.introspection.table_names() else []
        if tables or any(True for _ in _media_files()):
            what = ", ".join(tables[:5]) + (" …" if len(tables) > 5 else "") if tables else "gespeicherte Dateien"
            raise BackupError(f"Die Installation ist nicht leer ({what}); überschreiben nur mit --force.")
    _restore_database(source / manifest["database"])
    _restore_files(source, manifest["files"])
    size = sum((source / "files" / d).stat().st_size for d in set(manifest["files"].values()))
    return Summary(database=manifest["database"], files=len(manifest["files"]), bytes=size)


def _read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} ist keine ratsinfo-Sicherung (manifest.json fehlt oder ist kaputt).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unbekanntes Sicherungsformat {manifest.get('format')!r}.")
    return manifest


def _restore_database(dump: Path) -> None:
    if dump.suffix == ".sqlite3":
        name = str(settings.DATABASES["default"]["NAME"])
        connections.close_all()
        source, dest = sqlite3.connect(str(dump)), sqlite3.connect(name)
        try:
            source.backup(dest)  # replaces every page of the live file, under SQLite's own lock
        finally:
            dest.close()
            source.close()
    else:
        connections.close_all()
        _pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", str(dump))


def _restore_files(source: Path, files: dict[str, str]) -> None:
    root = _media_root()
    for path in list(_media_files()):
        if path.relative_to(root).as_posix() not in files:
            path.unlink()
    for rel, digest in files.items():
        dest = root / rel
        if not dest.resolve().is_relative_to(root.resolve()):
            raise BackupError(f"Ungültiger Dateipfad in der Sicherung: {rel}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.wiederherstellen")
        shutil.copyfile(source / "files" / digest, tmp)
        os.replace(tmp, dest)
