"""PDF/CSV/XLSX exports and the all-or-nothing import with its report of rejected rows."""

from __future__ import annotations

import io
from datetime import date

import pypdfium2
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ratsinfo.measures import exports, services
from ratsinfo.measures.imports import import_measures
from ratsinfo.measures.models import Measure, MeasureStatus, Priority
from tests.measures.factories import World

HEADER = "Nr.;Titel;Handlungsfeld;Ziel;Federführung;Partner;Beginn;Ende;Daueraufgabe;Priorität;Status\n"


def pdf_text(data: bytes) -> tuple[int, str]:
    doc = pypdfium2.PdfDocument(data)
    text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    return len(doc), text


def test_edition_pdf_is_accessible_and_archivable(world: World, citizen_client: Client) -> None:
    edition = services.adopt_plan(world.plan, world.items[2], "Fortschreibung 2023")
    response = citizen_client.get(reverse("measures:edition_export", args=[world.plan.slug, edition.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    pages, text = pdf_text(data)
    assert pages >= 1
    for m in world.measures.values():
        assert m.title in text
    assert "Fortschreibung 2023" in text and "Wohnen" in text
    # PDF/A-2b and PDF/UA-1 identification in the XMP metadata, a tagged structure and a language
    assert b"<pdfaid:part>2</pdfaid:part>" in data and b"<pdfaid:conformance>B</pdfaid:conformance>" in data
    assert b"<pdfuaid:part>1</pdfuaid:part>" in data
    assert b"/StructTreeRoot" in data and b"/Lang" in data and b"/Marked true" in data
    meta = pypdfium2.PdfDocument(data).get_metadata_dict()
    assert meta["Title"] == f"{world.plan.title} – Fortschreibung 2023"


def test_pdf_text_is_never_typst_markup(world: World) -> None:
    Measure.objects.filter(pk=world.measures["mieter"].pk).update(title='#panic("x") *fett* $x$ ]] [[ // Kommentar')
    data = exports.pdf_bytes(services.plan_snapshot(world.plan), doc_title="T", author="A")
    assert '#panic("x") *fett* $x$ ]] [[ // Kommentar' in pdf_text(data)[1]


def test_csv_and_xlsx_exports(world: World, citizen_client: Client) -> None:
    Measure.objects.filter(pk=world.measures["mieter"].pk).update(description="=HYPERLINK(\"http://böse\")")
    csv_response = citizen_client.get(reverse("measures:export", args=[world.plan.slug, "csv"]))
    text = csv_response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Nr.;Titel;Beschreibung;Zielgruppe;Handlungsfeld")
    assert len(lines) == 4
    assert "'=HYPERLINK" in text  # no formula for spreadsheet programs
    assert "1500,50" in text
    xlsx = citizen_client.get(reverse("measures:export", args=[world.plan.slug, "xlsx"]))
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][1] == "Titel" and {r[1] for r in rows[1:]} == {m.title for m in world.measures.values()}


def test_export_can_be_imported_into_another_plan(world: World, body: object) -> None:
    from tests.measures.factories import build_world

    other = build_world(body, title="Zweiter Plan")  # type: ignore[arg-type]
    Measure.objects.filter(plan=other.plan).delete()
    # actors of the first plan are known in the same municipality
    csv_data = exports.csv_bytes(services.plan_snapshot(world.plan))
    report = import_measures(other.plan, "export.csv", csv_data)
    assert report.ok, [str(e) for e in report.row_errors] + report.file_errors
    assert sorted(m.title for m in Measure.objects.filter(plan=other.plan)) == sorted(m.title for m in world.measures.values())
    imported = Measure.objects.get(plan=other.plan, number="S 1")
    assert imported.permanent and imported.priority == Priority.MITTEL and imported.status == MeasureStatus.LAUFEND
    assert list(imported.partners.all()) == [world.qm]


def test_bad_rows_are_reported_and_nothing_is_imported(world: World) -> None:
    data = (
        HEADER
        + "N 1;Gute Zeile;Wohnen;;;;01.01.2024;;nein;hoch;geplant\n"
        + "N 2;;Wohnen;;;;;;;;\n"  # no title
        + "N 3;Falsches Feld;Verkehr;;;;;;;;\n"
        + "N 4;Falsches Datum;Soziales;;Unbekannter Verein;;31.02.2024;;vielleicht;sehr hoch;erledigt\n"
        + "W 1;Doppelte Nummer;Wohnen;;;;01.05.2024;01.01.2024;;;\n"
        + "N 1;Doppelt in der Datei;Wohnen;Integration fördern;;;;;;;\n"
    ).encode("utf-8")
    before = Measure.objects.count()
    report = import_measures(world.plan, "liste.csv", data)
    assert not report.ok
    assert Measure.objects.count() == before
    errors = {(e.row, e.column) for e in report.row_errors}
    assert (3, "Titel") in errors
    assert (4, "Handlungsfeld") in errors
    assert {(5, "Federführung"), (5, "Beginn"), (5, "Daueraufgabe"), (5, "Priorität"), (5, "Status")} <= errors
    assert {(6, "Nr."), (6, "Ende")} <= errors
    assert {(7, "Nr."), (7, "Ziel")} <= errors
    assert report.rejected_rows == [3, 4, 5, 6, 7]
    messages = [str(e) for e in report.row_errors]
    assert "Zeile 4, Spalte „Handlungsfeld“: Handlungsfeld „Verkehr“ gibt es in diesem Plan nicht (möglich: Wohnen, Soziales)." in messages
    assert any("„31.02.2024“ ist kein Datum" in m for m in messages)


def test_broken_files_get_a_clear_message(world: World) -> None:
    cases = {
        ("liste.pdf", b"%PDF-1.7"): "CSV- oder XLSX-Datei",
        ("leer.csv", b"   \n"): "leer",
        ("kaputt.xlsx", b"PK\x03\x04kaputt"): "XLSX-Datei lässt sich nicht lesen",
        ("ohne-kopf.csv", "Maßnahme;Feld\nA;B\n".encode()): "Pflichtspalten",
        ("fremd.csv", b"Titel;Handlungsfeld;Farbe\nA;Wohnen;rot\n"): "Unbekannte Spalten: „Farbe“",
        ("binär.csv", b"Titel;Handlungsfeld\n\x00\x01\x02"): "keine Textdatei",
    }
    for (name, data), expected in cases.items():
        report = import_measures(world.plan, name, data)
        assert not report.ok and expected in " ".join(report.file_errors), (name, report.file_errors)
    assert Measure.objects.filter(plan=world.plan).count() == 3


def test_windows_csv_and_xlsx_import(world: World) -> None:
    data = "Titel;Handlungsfeld;Priorität\nBürgerfrühstück;Soziales;niedrig\n".encode("cp1252")
    report = import_measures(world.plan, "liste.csv", data)
    assert report.ok and report.created[0].title == "Bürgerfrühstück" and report.created[0].priority == Priority.NIEDRIG
    wb = Workbook()
    ws = wb.active
    ws.append(["Titel", "Handlungsfeld", "Beginn", "Daueraufgabe"])
    ws.append(["Hoffest", "Wohnen", date(2024, 5, 1), "ja"])
    out = io.BytesIO()
    wb.save(out)
    report = import_measures(world.plan, "liste.xlsx", out.getvalue())
    assert report.ok
    assert report.created[0].start_date == date(2024, 5, 1) and report.created[0].permanent


def test_import_page_shows_the_report(world: World, qm_client: Client) -> None:
    url = reverse("measures:import", args=[world.plan.slug])
    upload = SimpleUploadedFile("liste.csv", (HEADER + "N 9;Gute Zeile;Wohnen;;;;;;;;\nN 10;;Wohnen;;;;;;;;\n").encode())
    response = qm_client.post(url, {"file": upload})
    text = response.content.decode()
    assert response.status_code == 200 and "Nichts importiert" in text and "Der Titel fehlt." in text
    assert "1 von 2 Zeilen abgelehnt" in text
    upload = SimpleUploadedFile("liste.csv", (HEADER + "N 9;Gute Zeile;Wohnen;;;;;;;;\n").encode())
    response = qm_client.post(url, {"file": upload})
    assert response.status_code == 302
    assert Measure.objects.filter(plan=world.plan, title="Gute Zeile").exists()
