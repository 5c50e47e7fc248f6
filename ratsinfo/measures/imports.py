"""Import of a measure list from CSV or XLSX.

All or nothing: every row is checked first; if a single row is rejected, nothing is imported and
the report names each rejected row (row number as in the spreadsheet, column, reason). The user
fixes the file and uploads it again, so a second upload never duplicates half an import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ratsinfo.bodies.models import Organization
from ratsinfo.measures.exports import COLUMNS
from ratsinfo.measures.models import ActionField, Goal, Measure, MeasureStatus, Plan, Priority

MAX_BYTES = 2 * 1024 * 1024
TOO_BIG = "Die Datei ist größer als 2 MB."
MAX_ROWS = 2000
REQUIRED = ("Titel", "Handlungsfeld")
KNOWN = {label for _, label in COLUMNS}


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"Zeile {self.row}" if self.row else "Datei"
        col = f", Spalte „{self.column}“" if self.column else ""
        return f"{where}{col}: {self.reason}"


@dataclass
class ImportReport:
    file_errors: list[str] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)
    created: list[Measure] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.row_errors

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.row_errors})


# An upload is bounded in every dimension before and while it is read, so one file cannot tie
# up a worker: compressed size (MAX_BYTES), uncompressed size of the XLSX parts, rows (including
# blank ones), cells, and wall-clock time.
MAX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_RAW_ROWS = 2 * MAX_ROWS + 1000
MAX_COLUMNS = 64
MAX_CELLS = MAX_ROWS * 30
TIME_BUDGET_S = 15.0
ZIP_MAGIC = b"PK\x03\x04"
_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]{1,3}")


class _Budget:
    def __init__(self) -> None:
        self.deadline = time.monotonic() + TIME_BUDGET_S
        self.rows = 0
        self.cells = 0

    def take(self, row: list[str]) -> list[str]:
        self.rows += 1
        self.cells += len(row)
        if self.rows > MAX_RAW_ROWS:
            raise ValueError(f"Die Datei hat mehr als {MAX_ROWS} Zeilen.")
        if self.cells > MAX_CELLS:
            raise ValueError(f"Die Datei hat mehr als {MAX_CELLS} Zellen.")
        if self.rows % 100 == 0 and time.monotonic() > self.deadline:
            raise ValueError("Die Datei lässt sich nicht in angemessener Zeit lesen; bitte eine kleinere Datei hochladen.")
        return row


def _read_rows(name: str, data: bytes) -> Iterator[list[str]]:
    """The rows of the first sheet or the CSV text, one at a time; the type is decided by the
    content (an XLSX is a ZIP archive), the name only tells which one was meant."""
    lower = name.lower()
    budget = _Budget()
    if data.startswith(ZIP_MAGIC):
        if not lower.endswith(".xlsx"):
            raise ValueError("Die Datei ist ein Archiv; bitte eine CSV- oder XLSX-Datei hochladen.")
        yield from (budget.take(row) for row in _xlsx_rows(data))
        return
    if lower.endswith(".xlsx"):
        raise ValueError("Die XLSX-Datei lässt sich nicht lesen (beschädigt oder kein Excel-Format).")
    if not (lower.endswith(".csv") or lower.endswith(".txt")):
        raise ValueError("Bitte eine CSV- oder XLSX-Datei hochladen (Endung .csv oder .xlsx).")
    text = _decode_text(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        yield from (budget.take(list(r)) for r in csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise ValueError(f"Die CSV-Datei ist fehlerhaft: {exc}") from exc


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ValueError("Die XLSX-Datei lässt sich nicht lesen (beschädigt oder kein Excel-Format).") from exc
    if unpacked > MAX_UNCOMPRESSED:
        raise ValueError(f"Die XLSX-Datei ist entpackt größer als {MAX_UNCOMPRESSED // (1024 * 1024)} MB.")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise ValueError("Die XLSX-Datei lässt sich nicht lesen (beschädigt oder kein Excel-Format).") from exc
    try:
        # read_only streams the sheet's XML; max_col stops a forged dimension from padding rows.
        for row in wb.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS):
            cells = list(row)
            while cells and cells[-1] is None:  # padding up to the sheet's width is no content
                cells.pop()
            yield [_xlsx_text(v) for v in cells]
    except ValueError:
        raise
    except Exception as exc:
        raise ValueError("Die XLSX-Datei lässt sich nicht lesen (beschädigt oder kein Excel-Format).") from exc
    finally:
        wb.close()


def _decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), or Windows-1252 as Excel writes it; a UTF-8 file with invalid
    bytes in it is rejected with its line instead of being read as Windows-1252 mojibake."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_elsewhere = any(b >= 0x80 for b in data[: exc.start]) or _has_utf8_sequence(data[exc.end:])
        if utf8_elsewhere:
            line = data[: exc.start].count(b"\n") + 1
            raise ValueError(f"Zeile {line}: ungültige UTF-8-Zeichen; bitte die Datei als UTF-8 speichern.") from None
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ValueError("Die Datei ist keine Textdatei (CSV).")
    return text


def _has_utf8_sequence(data: bytes) -> bool:
    return any(_decodes(chunk) for chunk in _MULTIBYTE.findall(data))


def _decodes(chunk: bytes) -> bool:
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().strftime("%d.%m.%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _find_building(buildings: dict[str, Any], ref: str) -> Any:
    """„B 1“ or „B 1 Quartierszentrum“ (as exported) both name building measure B 1."""
    ref = ref.lower()
    if ref in buildings:
        return buildings[ref]
    prefixed = [n for n in buildings if ref.startswith(n + " ")]
    return buildings[max(prefixed, key=len)] if prefixed else None


def _parse_date(text: str) -> dt.date:
    text = text.strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%m/%Y", "%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"„{text}“ ist kein Datum (erwartet TT.MM.JJJJ).")


def _nonblank_rows(file_name: str, data: bytes) -> list[list[str]]:
    """Header and data rows without blank ones; reading stops one row after the limit."""
    table: list[list[str]] = []
    for row in _read_rows(file_name, data):
        if any(c.strip() for c in row):
            table.append(row)
            if len(table) > MAX_ROWS + 1:
                break
    return table


PRIORITY_WORDS: dict[str, int | None] = {str(label): value for value, label in Priority.choices}
PRIORITY_WORDS |= {str(v): v for v in Priority.values} | {"": None, "offen": None}
STATUS_WORDS = {label.lower(): value for value, label in MeasureStatus.choices} | {v: v for v in MeasureStatus.values}
YES = {"ja", "j", "x", "1", "true", "wahr"}
NO = {"", "nein", "n", "0", "false", "falsch"}


def import_measures(plan: Plan, file_name: str, data: bytes, *, user: Any = None) -> ImportReport:
    report = ImportReport()
    if len(data) > MAX_BYTES:
        report.file_errors.append(TOO_BIG)
        return report
    if not data.strip():
        report.file_errors.append("Die Datei ist leer.")
        return report
    try:
        table = _nonblank_rows(file_name, data)
    except ValueError as exc:
        report.file_errors.append(str(exc))
        return report
    if not table:
        report.file_errors.append("Die Datei enthält keine Zeilen.")
        return report
    header = [h.strip() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        report.file_errors.append(
            "Es fehlen Pflichtspalten: " + ", ".join(f"„{c}“" for c in missing)
            + ". Erwartet wird die Kopfzeile des CSV-Exports."
        )
        return report
    unknown = [h for h in header if h and h not in KNOWN]
    if unknown:
        report.file_errors.append("Unbekannte Spalten: " + ", ".join(f"„{c}“" for c in unknown) + ".")
        return report
    body_rows = table[1:]
    if not body_rows:
        report.file_errors.append("Die Datei enthält keine Zeilen, nur die Kopfzeile.")
        return report
    if len(body_rows) > MAX_ROWS:
        report.file_errors.append(f"Die Datei hat mehr als {MAX_ROWS} Zeilen.")
        return report

    fields = {af.name.lower(): af for af in ActionField.objects.filter(plan=plan)}
    goals = {(g.action_field_id, g.title.lower()): g for g in Goal.objects.filter(action_field__plan=plan)}
    orgs: dict[str, Organization] = {}
    for o in Organization.objects.alive().filter(body=plan.funding_area.body):
        orgs.setdefault(o.name.lower(), o)
        if o.short_name:
            orgs.setdefault(o.short_name.lower(), o)
    buildings = {b.number.lower(): b for b in plan.funding_area.building_measures.alive()}
    # Removed measures keep their number (the unique constraint covers them too).
    taken_numbers = set(Measure.objects.filter(plan=plan).exclude(number="").values_list("number", flat=True))

    pending: list[tuple[dict[str, Any], list[Organization], list[Any]]] = []
    for offset, raw in enumerate(body_rows, start=2):  # row 1 is the header, as in the spreadsheet
        report.rows_read += 1
        cells = {header[i]: (raw[i].strip() if i < len(raw) else "") for i in range(len(header)) if header[i]}
        errors: list[RowError] = []

        def err(column: str, reason: str, row: int = offset, errs: list[RowError] = errors) -> None:
            errs.append(RowError(row, column, reason))

        values: dict[str, Any] = {}
        title = cells.get("Titel", "")
        if not title:
            err("Titel", "Der Titel fehlt.")
        elif len(title) > 300:
            err("Titel", "Der Titel ist länger als 300 Zeichen.")
        values["title"] = title
        number = cells.get("Nr.", "")
        if len(number) > 20:
            err("Nr.", "Die Nummer ist länger als 20 Zeichen.")
        elif number and number in taken_numbers:
            err("Nr.", f"Die Nummer „{number}“ ist in diesem Plan schon vergeben.")
        values["number"] = number
        af = fields.get(cells.get("Handlungsfeld", "").lower())
        if af is None:
            err("Handlungsfeld", f"Handlungsfeld „{cells.get('Handlungsfeld', '')}“ gibt es in diesem Plan nicht "
                f"(möglich: {', '.join(a.name for a in fields.values())}).")
        values["action_field"] = af
        goal_text = cells.get("Ziel", "")
        values["goal"] = None
        if goal_text and af is not None:
            values["goal"] = goals.get((af.pk, goal_text.lower()))
            if values["goal"] is None:
                err("Ziel", f"Ziel „{goal_text}“ gibt es im Handlungsfeld „{af.name}“ nicht.")
        for key, column, limit in (("description", "Beschreibung", 20000), ("target_group", "Zielgruppe", 300),
                                   ("origin_note", "Herkunft", 300)):
            text = cells.get(column, "")
            if len(text) > limit:
                err(column, f"Der Text ist länger als {limit} Zeichen.")
            values[key] = text
        lead = cells.get("Federführung", "")
        values["lead_actor"] = None
        if lead:
            values["lead_actor"] = orgs.get(lead.lower())
            if values["lead_actor"] is None:
                err("Federführung", f"Akteur „{lead}“ ist nicht bekannt (zuerst als Gremium/Akteur anlegen).")
        partners = []
        for name in filter(None, (p.strip() for p in cells.get("Partner", "").split(";"))):
            org = orgs.get(name.lower())
            if org is None:
                err("Partner", f"Akteur „{name}“ ist nicht bekannt.")
            else:
                partners.append(org)
        building = []
        for ref in filter(None, (p.strip() for p in cells.get("Bauliche Maßnahmen", "").split(";"))):
            b = _find_building(buildings, ref)
            if b is None:
                err("Bauliche Maßnahmen", f"Bauliche Maßnahme „{ref}“ gibt es im Fördergebiet nicht.")
            else:
                building.append(b)
        for key, column in (("start_date", "Beginn"), ("end_date", "Ende")):
            values[key] = None
            if cells.get(column):
                try:
                    values[key] = _parse_date(cells[column])
                except ValueError as exc:
                    err(column, str(exc))
        if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
            err("Ende", "Das Ende liegt vor dem Beginn.")
        permanent = cells.get("Daueraufgabe", "").lower()
        if permanent not in YES | NO:
            err("Daueraufgabe", f"„{cells.get('Daueraufgabe')}“ ist weder „ja“ noch „nein“.")
        values["permanent"] = permanent in YES
        prio = cells.get("Priorität", "").lower()
        if prio not in PRIORITY_WORDS:
            err("Priorität", f"Priorität „{cells.get('Priorität')}“ ist unbekannt (hoch, mittel, niedrig oder leer).")
        values["priority"] = PRIORITY_WORDS.get(prio)
        status = cells.get("Status", "").lower() or MeasureStatus.IDEE
        if status not in STATUS_WORDS:
            err("Status", f"Status „{cells.get('Status')}“ ist unbekannt ({', '.join(MeasureStatus.labels)}).")
        values["status"] = STATUS_WORDS.get(status, MeasureStatus.IDEE)
        if number:
            taken_numbers.add(number)
        report.row_errors.extend(errors)
        if not errors:
            pending.append((values, partners, building))

    if not report.ok:
        return report
    with transaction.atomic():
        for values, partners, building in pending:
            measure = Measure(plan=plan, **values)
            measure._change_reason = f"Import aus {file_name[:100]}"  # type: ignore[attr-defined]
            measure.save()
            if partners:
                measure.partners.set(partners)
            if building:
                measure.building_measures.set(building)
            report.created.append(measure)
    return report
