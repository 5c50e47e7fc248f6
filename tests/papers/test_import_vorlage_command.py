"""`ratsinfo import-vorlage PFAD [--dry-run] [--json] [--body …]` as the Sitzungsdienst uses it."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.core.management import CommandError, call_command

from ratsinfo.bodies.models import Body, Organization
from ratsinfo.papers.models import Paper
from tests.papers import seed_expected as seed

FIXTURES = Path(__file__).parent / "fixtures"
RATSINFO = Path(sys.executable).parent / "ratsinfo"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_vorlage", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_reports_what_it_did_and_a_second_run_changes_nothing(body: Body) -> None:
    out, _ = run(str(seed.SEED_PATH))
    assert "BV/0240/2021-2026 angelegt" in out
    assert "Jugend-, Ordnungs- und Sozialausschuss" in out  # newly created Gremien are named
    out, _ = run(str(seed.SEED_PATH))
    assert "bereits aktuell" in out
    assert Paper.objects.count() == 1


@pytest.mark.django_db
def test_json_prints_one_object_and_still_imports(body: Body) -> None:
    out, err = run(str(seed.SEED_PATH), "--json")
    assert orjson.loads(out) == seed.JSON
    assert out.count("\n") == 1
    assert "angelegt" in err  # the summary goes to stderr, stdout stays pure JSON
    assert Paper.objects.filter(reference=seed.REFERENCE).exists()


@pytest.mark.django_db
def test_dry_run_writes_nothing_and_needs_no_gemeinde() -> None:
    out, _ = run(str(seed.SEED_PATH), "--dry-run")
    assert "Probelauf" in out and "BV/0240/2021-2026" in out
    out, _ = run(str(seed.SEED_PATH), "--dry-run", "--json")
    assert orjson.loads(out)["reference"] == seed.REFERENCE
    assert not Paper.objects.exists()
    assert not Organization.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["falsches-datum.txt", "beratungsfolge-vier-spalten.txt", "unbekannte-zustaendigkeit.txt", "latin1.txt"]
)
def test_broken_file_exits_with_2_and_writes_nothing(body: Body, name: str) -> None:
    with pytest.raises(CommandError) as caught:
        run(str(FIXTURES / "kaputt" / name), "--json")
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(f"{name}: Zeile ")
    assert not Paper.objects.exists()
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_missing_file_and_ambiguous_gemeinde_are_explained(body: Body) -> None:
    with pytest.raises(CommandError, match="Datei nicht gefunden") as caught:
        run("/nirgendwo/vorlage.txt")
    assert caught.value.returncode == 2
    Body.objects.create(name="Gemeinde Wardenburg", short_name="Wardenburg")
    with pytest.raises(CommandError, match="mehrere Gemeinden"):
        run(str(seed.SEED_PATH))
    run(str(seed.SEED_PATH), "--body", "Wardenburg")
    assert Paper.objects.get().body.short_name == "Wardenburg"


def _cli(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["RATSINFO_DATA_DIR"] = str(tmp_path)  # never touches a real database
    return subprocess.run([str(RATSINFO), "import-vorlage", *args], capture_output=True, text=True, env=env, timeout=60)


def test_console_script_exit_code_and_json_output(tmp_path: Path) -> None:
    ok = _cli(str(seed.SEED_PATH), "--dry-run", "--json", tmp_path=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert orjson.loads(ok.stdout) == seed.JSON

    broken = _cli(str(FIXTURES / "kaputt" / "beratungsfolge-leerzeichen.txt"), "--json", tmp_path=tmp_path)
    assert broken.returncode == 2
    assert broken.stdout == ""
    message = broken.stderr.strip()
    assert "\n" not in message
    assert message.startswith("Fehler: beratungsfolge-leerzeichen.txt: Zeile 10 „Verwaltungsausschuss 13.10.2022")


def test_help_is_german(tmp_path: Any) -> None:
    result = _cli("--help", tmp_path=tmp_path)
    assert result.returncode == 0
    assert "--dry-run" in result.stdout and "nichts speichern" in result.stdout
