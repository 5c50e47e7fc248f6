"""The defects found by probing as an attacker and an operator (issue 13), each pinned at its cause:
no input answers 500, every id is range-checked, uploads are bounded, configuration errors are one line."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from ratsinfo.lib.forms import ID_MAX, IdField, is_id
from ratsinfo.measures import imports, services
from ratsinfo.measures.imports import import_measures
from ratsinfo.measures.models import Measure, PlanEdition
from tests.measures.factories import World, meeting_with_items
from tests.oparl.conftest import OParlTown

OPARL = "/oparl/v1.1"
CALENDAR_EDGES = [
    "modified_since=0001-01-01",
    "modified_until=9999-12-31T23:59:59",
    "created_since=0001-01-01T00:00:00%2B14:00",
    "modified_since=9999-12-31T23:59:59.999999-14:00",
]


def _oparl_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    data = json.loads(response.content)
    assert data["type"] == "https://schema.oparl.org/1.1/Error" and data["message"]
    return data


@pytest.mark.parametrize("query", CALENDAR_EDGES)
@pytest.mark.parametrize("path", ["/body", "/body/{body}/paper", "/body/{body}/meeting", "/organization/{org}/meeting"])
def test_oparl_list_filters_at_the_calendar_edges_are_an_oparl_400(
    oparl_town: OParlTown, citizen_client: Client, path: str, query: str
) -> None:
    url = OPARL + path.format(body=oparl_town.body.pk, org=oparl_town.rat.pk) + "?" + query
    message = _oparl_error(citizen_client.get(url), 400)["message"]
    assert "außerhalb" in message


def test_oparl_filters_inside_the_calendar_still_work(oparl_town: OParlTown, citizen_client: Client) -> None:
    response = citizen_client.get(f"{OPARL}/body/{oparl_town.body.pk}/paper?modified_since=1900-01-01&limit=5")
    assert response.status_code == 200 and json.loads(response.content)["data"]


@pytest.mark.parametrize("query", ["after=99999999999999999999", "before=%C2%B2", "limit=%C2%B2", "after=1" + "0" * 5000])
def test_oparl_cursors_outside_the_key_range_are_an_oparl_400(oparl_town: OParlTown, citizen_client: Client, query: str) -> None:
    _oparl_error(citizen_client.get(f"{OPARL}/body?{query}"), 400)


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_writing_to_the_oparl_api_answers_the_oparl_405(oparl_town: OParlTown, method: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(f"{OPARL}/body", data="{}", content_type="application/json")
    _oparl_error(response, 405)
    assert "GET" in response["Allow"]


def test_ids_beyond_the_key_range_are_unknown_not_errors(oparl_town: OParlTown, citizen_client: Client) -> None:
    huge = "9" * 20
    for url in (f"{OPARL}/paper/{huge}", f"{OPARL}/file/{huge}/access", f"/sitzungen/{huge}/", f"/dateien/{huge}/"):
        assert citizen_client.get(url).status_code == 404, url


def test_one_id_rule_with_a_german_message() -> None:
    assert is_id(1) and is_id(str(ID_MAX)) and not is_id(ID_MAX + 1)
    assert not is_id("²") and not is_id("0") and not is_id("-3") and not is_id("1" * 5000)
    with pytest.raises(Exception, match="keine gültige Nummer"):
        IdField().clean("99999999999999999999")


def _measure_post(world: World, **extra: Any) -> dict[str, Any]:
    return {"title": "Sprachcafé", "action_field": world.soziales.pk, "status": "idee", **extra}


def test_twenty_digit_ids_in_the_measure_forms_are_form_errors(world: World, qm_client: Client) -> None:
    url = reverse("measures:measure_new", args=[world.plan.slug])
    for field in ("partners", "building_measures", "lead_actor", "goal", "origin_item", "action_field"):
        response = qm_client.post(url, _measure_post(world, **{field: "99999999999999999999"}))
        assert response.status_code == 200, field
        assert response.context["form"].errors.get(field), field
    assert not Measure.objects.filter(title="Sprachcafé").exists()
    decision = reverse("measures:decision", args=[world.plan.slug])
    response = qm_client.post(decision, {"agenda_item": "99999999999999999999", "kind": "note", "edition": "²"})
    assert response.status_code == 200 and response.context["form"].errors


@pytest.mark.parametrize("query", ["jahr=%C2%B2", "jahr=99999999999999999999", "jahr=2023"])
def test_monitoring_year_is_parsed_by_a_form(world: World, citizen_client: Client, query: str) -> None:
    url = reverse("measures:monitoring", args=[world.plan.slug]) + "?" + query
    assert citizen_client.get(url).status_code == 200


@pytest.mark.parametrize("value", ["%C2%B2", "99999999999999999999", "abc"])
def test_decision_form_ignores_a_broken_measure_parameter(world: World, qm_client: Client, value: str) -> None:
    url = reverse("measures:decision", args=[world.plan.slug]) + "?massnahme=" + value
    assert qm_client.get(url).status_code == 200


def test_a_new_public_agenda_item_goes_before_the_nonpublic_part(world: World, qm_client: Client) -> None:
    # Was: appended after the non-public part. Now the one numbering function places it in the public part.
    meeting, _ = meeting_with_items([world.stk], "Sitzung mit Vertraulichem", date(2023, 9, 1), ["Grundstück"], public=False)
    response = qm_client.post(reverse("measures:decision", args=[world.plan.slug]), {
        "agenda_item": "", "meeting": meeting.pk, "new_item_name": "Fortschreibung", "kind": "adopt",
        "edition_name": "Fortschreibung 2023",
    })
    assert response.status_code == 302
    items = list(meeting.agenda_items.filter(deleted=False).order_by("order"))
    new = next(i for i in items if i.name == "Fortschreibung")
    assert new.public and new.number.startswith("Ö")
    assert all(i.order > new.order for i in items if not i.public)


def test_editions_cannot_be_created_without_limit(world: World, qm_client: Client) -> None:
    url = reverse("measures:edition_new", args=[world.plan.slug])
    for n in range(services.MAX_EDITIONS_PER_DAY):
        assert qm_client.post(url, {"name": f"Stand {n}", "edition_date": "2024-01-01"}).status_code == 302
    response = qm_client.post(url, {"name": "Stand zu viel", "edition_date": "2024-01-01"})
    assert response.status_code == 200 and "bitte morgen weiter" in response.content.decode()
    assert PlanEdition.objects.filter(plan=world.plan).count() == services.MAX_EDITIONS_PER_DAY


# --- Uploads ------------------------------------------------------------------------------------

HEADER = "Titel;Handlungsfeld\n"


def test_csv_with_invalid_utf8_is_rejected_naming_the_line(world: World) -> None:
    data = (HEADER + "Straßenfest;Soziales\n").encode() + b"Caf\xe9 im Quartier;Soziales\n"
    report = import_measures(world.plan, "liste.csv", data)
    assert not report.ok and not report.created
    assert report.file_errors == ["Zeile 3: ungültige UTF-8-Zeichen; bitte die Datei als UTF-8 speichern."]


def test_header_only_csv_reports_no_rows(world: World) -> None:
    report = import_measures(world.plan, "liste.csv", HEADER.encode())
    assert not report.ok and "keine Zeilen" in report.file_errors[0]


def _xlsx(rows: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["Titel", "Handlungsfeld"])
    for i in range(rows):
        ws.append([f"Maßnahme {i}", "Soziales"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_import_stops_reading_at_the_row_limit(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[int] = []
    original = imports._xlsx_text
    monkeypatch.setattr(imports, "_xlsx_text", lambda v: read.append(1) or original(v))
    report = import_measures(world.plan, "liste.xlsx", _xlsx(imports.MAX_ROWS + 1000))
    assert report.file_errors == [f"Die Datei hat mehr als {imports.MAX_ROWS} Zeilen."]
    # streamed: reading stopped right after the limit instead of at the last row
    assert len(read) <= 2 * (imports.MAX_ROWS + 2)


def test_xlsx_with_a_huge_uncompressed_part_is_rejected_before_parsing(world: World) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (imports.MAX_UNCOMPRESSED + 1))
    assert len(out.getvalue()) < imports.MAX_BYTES
    report = import_measures(world.plan, "bombe.xlsx", out.getvalue())
    assert report.file_errors and "entpackt größer" in report.file_errors[0]


def test_xlsx_cell_count_is_capped(world: World) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["Titel", "Handlungsfeld", *["x"] * 60])
    for _ in range(imports.MAX_CELLS // 60 + 1):
        ws.append(["a"] * 62)
    out = io.BytesIO()
    wb.save(out)
    report = import_measures(world.plan, "breit.xlsx", out.getvalue())
    assert report.file_errors and "Zellen" in report.file_errors[0]


def test_the_time_budget_ends_a_slow_read(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "TIME_BUDGET_S", -1.0)
    report = import_measures(world.plan, "liste.xlsx", _xlsx(500))
    assert report.file_errors and "angemessener Zeit" in report.file_errors[0]


def test_the_file_type_is_decided_by_content(world: World) -> None:
    report = import_measures(world.plan, "liste.csv", _xlsx(1))
    assert report.file_errors and "Archiv" in report.file_errors[0]
    report = import_measures(world.plan, "liste.xlsx", HEADER.encode())
    assert report.file_errors and "XLSX" in report.file_errors[0]


# --- Configuration errors and commands ------------------------------------------------------------


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ, RATSINFO_DATA_DIR=str(tmp_path), **env)
    for name in ("DJANGO_SETTINGS_MODULE", "RATSINFO_SECRET_KEY", "RATSINFO_DEBUG"):
        environ.pop(name, None)
    return subprocess.run([sys.executable, "-m", "ratsinfo", *args], env=environ, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("command", [["check"], ["serve", "--port", "1"], ["worker", "--batch"], ["migrate"]])
def test_missing_secret_key_in_production_is_one_german_line(tmp_path: Path, command: list[str]) -> None:
    out = _run(tmp_path, *command, RATSINFO_PRODUCTION="1")
    assert out.returncode == 2
    assert out.stderr.strip() == "ratsinfo: Konfigurationsfehler: RATSINFO_SECRET_KEY muss in Produktion gesetzt sein."


def test_every_configuration_error_is_one_line_with_status_2(tmp_path: Path) -> None:
    out = _run(tmp_path, "check", RATSINFO_CONN_MAX_AGE="lange")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "RATSINFO_CONN_MAX_AGE" in out.stderr and "Traceback" not in out.stderr


def test_generate_on_a_fresh_database_migrates_first(tmp_path: Path) -> None:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("eine frische SQLite-Datei; PostgreSQL-Testdatenbanken sind schon migriert")
    out = _run(tmp_path, "generate", "--papers", "2", "--no-progress")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "Die Datenbank war noch nicht eingerichtet: Migrationen ausgeführt."
    assert "Erzeugt: 2 Vorlagen" in out.stdout


def test_a_worker_on_an_unmigrated_database_says_so_instead_of_racing_serve(tmp_path: Path) -> None:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("eine frische SQLite-Datei; PostgreSQL-Testdatenbanken sind schon migriert")
    out = _run(tmp_path, "worker", "--batch")
    assert out.returncode == 1
    assert out.stderr.strip() == "CommandError: Die Datenbank ist nicht auf dem neuesten Stand: zuerst `ratsinfo migrate`."
