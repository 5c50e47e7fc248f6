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


def xlsx_bytes(snapshot: dict[str, Any], sheet_title: str = "Maßnahmen") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    ws.append([label for _, label in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows(snapshot):
        ws.append([_defuse(v) for v in row])
    cost_col = [name for name, _ in COLUMNS].index("total_cost") + 1
    for (cell,) in ws.iter_rows(min_row=2, min_col=cost_col, max_col=cost_col):
        cell.number_format = "#,##0.00"
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJKLMNOP", (8, 40, 60, 25, 22, 30, 28, 40, 30, 11, 11, 12, 10, 12, 14, 40), strict=False):
        ws.column_dimensions[col].width = width
    wb.properties.title = sheet_title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def german_money(value: Decimal | str) -> str:
    """1234.5 -> „1.234,50“."""
    return f"{Decimal(value):,.2f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def pdf_bytes(snapshot: dict[str, Any], *, doc_title: str, author: str, edition: dict[str, str] | None = None) -> bytes:
    field_summary = []
    for af in snapshot.get("action_fields", []):
        ms = [m for m in snapshot.get("measures", []) if m["action_field"] == af["name"]]
        cost = sum((Decimal(m["total_cost"]) for m in ms), Decimal("0"))
        field_summary.append({"name": af["name"], "count": len(ms), "cost": german_money(cost)})
    measures = [
        {
            **m,
            "total_cost": german_money(m["total_cost"]),
            "fundings": [{**f, "amount": german_money(f["amount"])} for f in m.get("fundings", [])],
            "indicators": [
                {**i, "target": german_money(i["target"]).removesuffix(",00") if i["target"] else ""}
                for i in m.get("indicators", [])
            ],
        }
        for m in snapshot.get("measures", [])
    ]
    plan = dict(snapshot.get("plan", {}))
    plan["funding_start"] = _german_date(plan.get("funding_start", ""))
    plan["area_ha"] = str(plan.get("area_ha", "")).removesuffix(".0").replace(".", ",")
    data = {
        **snapshot,
        "plan": plan,
        "measures": measures,
        "field_summary": field_summary,
        "doc_title": doc_title,
        "author": author or "ratsinfo",
        "edition": edition,
        "generated_on": dt.date.today().strftime("%d.%m.%Y"),
    }
    return compile_pdf(TEMPLATE, data)
