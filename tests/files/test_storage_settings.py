"""Where file contents are stored is configured by environment: local by default, or any S3 store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

PROBE = "import json, ratsinfo.settings as s; print(json.dumps(s.STORAGES['default']))"


def storage_settings(tmp_path: Path, **env: str) -> tuple[int, Any, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RATSINFO_")}
    run = subprocess.run(
        [sys.executable, "-c", PROBE], env={**clean, "RATSINFO_DATA_DIR": str(tmp_path), **env},
        capture_output=True, text=True, check=False,
    )
    return run.returncode, json.loads(run.stdout) if run.returncode == 0 else None, run.stderr


def test_by_default_contents_lie_in_the_local_data_directory(tmp_path: Path) -> None:
    code, storage, _ = storage_settings(tmp_path)
    assert code == 0 and storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_s3_compatible_store_is_configured_with_secrets_from_files(tmp_path: Path) -> None:
    secret = tmp_path / "s3-secret"
    secret.write_text("geheim-123\n")
    code, storage, stderr = storage_settings(
        tmp_path, RATSINFO_STORAGE="s3", RATSINFO_S3_BUCKET="ratsinfo-dateien",
        RATSINFO_S3_ENDPOINT="https://s3.grossenkneten.example", RATSINFO_S3_ACCESS_KEY="ratsinfo",
        RATSINFO_S3_SECRET_KEY_FILE=str(secret),
    )
    assert code == 0, stderr
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["access_key"], options["secret_key"]) == (
        "ratsinfo-dateien", "https://s3.grossenkneten.example", "ratsinfo", "geheim-123"
    )
    assert options["default_acl"] is None  # private objects: only the access-checked download serves them


def test_a_missing_bucket_or_an_unknown_storage_stops_the_start(tmp_path: Path) -> None:
    code, _, stderr = storage_settings(tmp_path, RATSINFO_STORAGE="s3")
    assert code != 0 and "RATSINFO_S3_BUCKET" in stderr
    code, _, stderr = storage_settings(tmp_path, RATSINFO_STORAGE="ftp")
    assert code != 0 and "RATSINFO_STORAGE" in stderr
