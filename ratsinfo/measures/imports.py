"""Import of a measure list from CSV or XLSX.

All or nothing: every row is checked first; if a single row is rejected, nothing is imported and
the report names each rejected row (row number as in the spreadsheet, column, reason). The user
fixes the file and uploads it again, so a second upload never duplicates half an import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
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


def _read_table(name: str, data: bytes) -> list[list[str]]:
    lower = name.lower()
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for broken files
            raise ValueError("Die XLSX-Datei lässt sich nicht lesen (beschädigt oder kein Excel-Format).") from exc
        ws = wb.worksheets[0]
        table = []
        for row in ws.iter_rows(values_only=True):
            table.append([_xlsx_text(v) for v in row])
        wb.close()
        return table
    if lower.endswith(".csv") or lower.endswith(".txt"):
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - cp1252 decodes nearly everything
            raise ValueError("Die Datei ist weder UTF-8 noch Windows-1252 kodiert.")
        if "\x00" in text:
            raise ValueError("Die Datei ist keine Textdatei (CSV).")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        try:
            return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
        except csv.Error as exc:
            raise ValueError(f"Die CSV-Datei ist fehlerhaft: {exc}") from exc
    raise ValueError("Bitte eine CSV- oder XLSX-Datei hochladen (Endung .csv oder .xlsx).")


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
        table = _read_table(file_name, data)
    except ValueError as exc:
        report.file_errors.append(str(exc))
        return report
    table = [r for r in table if any(c.strip() for c in r)] if table else []
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
