"""Exports of a plan or an edition: PDF (Typst, PDF/UA-1 + PDF/A-2b), CSV and XLSX.

Everything renders from a snapshot dict (`services.plan_snapshot` or `PlanEdition.snapshot`), so
the current plan and a Fortschreibung are exported by the same code.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from ratsinfo.lib.pdf import compile_pdf

TEMPLATE = Path(__file__).parent / "typst" / "plan.typ"

# Column headers of the CSV/XLSX export; the import reads the same headers.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "Nr."),
    ("title", "Titel"),
    ("description", "Beschreibung"),
    ("target_group", "Zielgruppe"),
    ("action_field", "Handlungsfeld"),
    ("goal", "Ziel"),
    ("lead_actor", "Federführung"),
    ("partners", "Partner"),
    ("building_measures", "Bauliche Maßnahmen"),
    ("start_date", "Beginn"),
    ("end_date", "Ende"),
    ("permanent", "Daueraufgabe"),
    ("priority", "Priorität"),
    ("status", "Status"),
    ("total_cost", "Kosten gesamt (EUR)"),
    ("origin", "Herkunft"),
)


def _german_date(iso: str) -> str:
    if not iso:
        return ""
    return dt.date.fromisoformat(iso).strftime("%d.%m.%Y")


def _cell(name: str, value: Any) -> Any:
    if name in {"partners", "building_measures"}:
        return "; ".join(value)
    if name in {"start_date", "end_date"}:
        return _german_date(value)
    if name == "permanent":
        return "ja" if value else "nein"
    if name == "total_cost":
        return Decimal(value)
    return value


def rows(snapshot: dict[str, Any]) -> list[list[Any]]:
    return [[_cell(name, m.get(name, "")) for name, _ in COLUMNS] for m in snapshot.get("measures", [])]


def _defuse(value: Any) -> Any:
    """Spreadsheet formula injection: text starting with = + - @ is not run as a formula."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def csv_bytes(snapshot: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([label for _, label in COLUMNS])
    for row in rows(snapshot):
        writer.writerow([_defuse(f"{v:.2f}".replace(".", ",") if isinstance(v, Decimal) else v) for v in row])
    # UTF-8 with BOM so that spreadsheet programs recognise umlauts.
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_cell(name: str, value: Any) -> Any:
    """Like the CSV cell, but dates as real dates (the spreadsheet sorts and filters them)."""
    if name in {"start_date", "end_date"}:
        return dt.date.fromisoformat(value) if value else None
    return _cell(name, value)


def _sheet(wb: Any, title: str, headers: list[str], body: list[list[Any]], widths: list[int],
           formats: dict[int, str]) -> Any:
    """One sheet: bold header, frozen first row, autofilter, number and date formats per column."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title[:31])
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in body:
        ws.append([_defuse(v) for v in row])
    for col, fmt in formats.items():
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = fmt
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(body) + 1, 2)}"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    return ws


DATE_FORMAT = "DD.MM.YYYY"
MONEY_FORMAT = "#,##0.00"


def xlsx_bytes(snapshot: dict[str, Any], sheet_title: str = "Maßnahmen", edition: dict[str, str] | None = None) -> bytes:
    """Sheet 1 the measures (importable), sheet 2 the Kosten- und Finanzierungsübersicht, sheet 3 monitoring."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    names = [name for name, _ in COLUMNS]
    measures = snapshot.get("measures", [])
    _sheet(
        wb, sheet_title, [label for _, label in COLUMNS],
        [[_xlsx_cell(name, m.get(name, "")) for name in names] for m in measures],
        [8, 40, 60, 25, 22, 30, 28, 40, 30, 12, 12, 12, 10, 12, 14, 40],
        {names.index("start_date") + 1: DATE_FORMAT, names.index("end_date") + 1: DATE_FORMAT,
         names.index("total_cost") + 1: MONEY_FORMAT},
    )
    _sheet(
        wb, "Kosten und Finanzierung",
        ["Nr.", "Maßnahme", "Handlungsfeld", "Finanzierung", "Programm", "Jahr", "Betrag (EUR)"],
        [[m["number"], m["title"], m["action_field"], f["source"], f["programme"], f["year"], Decimal(f["amount"])]
         for m in measures for f in m.get("fundings", [])],
        [8, 40, 22, 26, 28, 8, 14], {7: MONEY_FORMAT},
    )
    _sheet(
        wb, "Monitoring",
        ["Nr.", "Maßnahme", "Art", "Indikator", "Einheit", "Zielwert"],
        [[m["number"], m["title"], i["kind"], i["name"], i["unit"], Decimal(i["target"]) if i["target"] else None]
         for m in measures for i in m.get("indicators", [])],
        [8, 40, 10, 45, 16, 12], {6: "#,##0.##"},
    )
    wb.active = 0
    wb.properties.title = sheet_title
    if edition:
        wb.properties.subject = " ".join(v for k, v in edition.items() if v and k in {"name", "date", "adopted_by"})
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def german_money(value: Decimal | str) -> str:
    """1234.5 -> „1.234,50“."""
    return f"{Decimal(value):,.2f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def letterhead(body: Any) -> dict[str, Any]:
    """The Gemeinde's name, letterhead lines and logo (raw bytes for Typst) from its settings."""
    lines = [line.strip() for line in (body.letterhead or "").splitlines()] if body is not None else []
    head: dict[str, Any] = {
        "name": body.name if body is not None else "", "lines": [line for line in lines if line],
        "logo": None, "logo_format": "",
    }
    if body is not None and body.logo:
        suffix = Path(body.logo.name).suffix.lower().lstrip(".")
        try:
            with body.logo.open("rb") as fh:
                raw = fh.read(LOGO_MAX_BYTES + 1)
        except OSError:
            raw = b""
        if raw and len(raw) <= LOGO_MAX_BYTES:
            head["logo"] = list(raw)
            head["logo_format"] = {"jpg": "jpg", "jpeg": "jpg", "svg": "svg"}.get(suffix, "png")
    return head


LOGO_MAX_BYTES = 512 * 1024


def _money_or_dash(value: Decimal) -> str:
    """„–“ instead of „0,00“ where there is nothing to pay."""
    return german_money(value) if value else "–"


def kuf_table(measures: list[dict[str, Any]]) -> dict[str, Any]:
    """Kosten- und Finanzierungsübersicht: funding source × year, with row and column totals."""
    cells: dict[tuple[str, int], Decimal] = {}
    for m in measures:
        for f in m.get("fundings", []):
            key = (f["source"], int(f["year"]))
            cells[key] = cells.get(key, Decimal("0")) + Decimal(f["amount"])
    years = sorted({y for _, y in cells})
    sources = list(dict.fromkeys(source for source, _ in sorted(cells, key=lambda k: k[0])))
    rows = []
    for source in sources:
        amounts = [cells.get((source, y), Decimal("0")) for y in years]
        rows.append({"source": source, "cells": [_money_or_dash(a) for a in amounts], "total": _money_or_dash(sum(amounts, Decimal("0")))})
    year_totals = [sum((cells.get((s, y), Decimal("0")) for s in sources), Decimal("0")) for y in years]
    return {
        "years": [str(y) for y in years], "rows": rows, "year_totals": [_money_or_dash(t) for t in year_totals],
        "total": german_money(sum(year_totals, Decimal("0"))),
    }


def pdf_bytes(
    snapshot: dict[str, Any], *, doc_title: str, author: str, edition: dict[str, str] | None = None,
    in_force: dict[str, str] | None = None, letterhead: dict[str, Any] | None = None,
) -> bytes:
    """The Beschlussanlage: title page (edition, deciding body and date), contents, measures per
    Handlungsfeld on landscape pages, KuF per source and year, monitoring indicators."""
    field_summary = []
    for af in snapshot.get("action_fields", []):
        ms = [m for m in snapshot.get("measures", []) if m["action_field"] == af["name"]]
        cost = sum((Decimal(m["total_cost"]) for m in ms), Decimal("0"))
        field_summary.append({"name": af["name"], "count": len(ms), "cost": _money_or_dash(cost)})
    measures = [
        {
            **m,
            "total_cost": _money_or_dash(Decimal(m["total_cost"])),
            "fundings": [{**f, "amount": german_money(f["amount"])} for f in m.get("fundings", [])],
            "indicators": [
                {**i, "target": german_money(i["target"]).removesuffix(",00") if i["target"] else "–"}
                for i in m.get("indicators", [])
            ],
        }
        for m in snapshot.get("measures", [])
    ]
    plan = dict(snapshot.get("plan", {}))
    plan["funding_start"] = _german_date(plan.get("funding_start", ""))
    plan["area_ha"] = str(plan.get("area_ha", "")).removesuffix(".0").replace(".", ",")
    total = sum((Decimal(m["total_cost"]) for m in snapshot.get("measures", [])), Decimal("0"))
    data = {
        **snapshot,
        "plan": plan,
        "measures": measures,
        "field_summary": field_summary,
        "field_total": german_money(total),
        "kuf": kuf_table(snapshot.get("measures", [])),
        "doc_title": doc_title,
        "author": author or "ratsinfo",
        "edition": edition,
        "in_force": in_force,
        "letterhead": letterhead or {"name": author, "lines": [], "logo": None, "logo_format": ""},
        "generated_on": dt.date.today().strftime("%d.%m.%Y"),
    }
    return compile_pdf(TEMPLATE, data)
