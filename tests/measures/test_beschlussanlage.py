"""The plan as the council adopts it: draft editions, the edition in force, the history with its
decisions, the PDF as Beschlussanlage and the XLSX with real dates."""

from __future__ import annotations

import datetime as dt
import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pypdfium2
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ratsinfo.bodies.models import Organization, OrganizationKind
from ratsinfo.measures import exports, services
from ratsinfo.measures.models import DecisionKind, MeasureDecision, PlanEdition, Priority
from tests.measures.factories import World, meeting_with_items


def pdf_text(data: bytes) -> str:
    doc = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def test_an_edition_without_a_decision_is_a_draft_until_a_body_adopts_it(
    world: World, qm_client: Client, citizen_client: Client
) -> None:
    plan_url = reverse("measures:plan", args=[world.plan.slug])
    response = qm_client.post(reverse("measures:edition_new", args=[world.plan.slug]),
                              {"name": "Fortschreibung 2025", "edition_date": "2025-03-01"})
    assert response.status_code == 302
    draft = PlanEdition.objects.get(plan=world.plan, name="Fortschreibung 2025")
    assert draft.is_draft and draft.adopted_by is None
    # The public sees no edition in force, no draft in the list, and no draft page.
    page = citizen_client.get(plan_url).content.decode()
    assert "noch keine beschlossene Fortschreibung" in page and "Fortschreibung 2025" not in page
    assert "Fortschreibung 2025" not in citizen_client.get(reverse("measures:editions", args=[world.plan.slug])).content.decode()
    assert citizen_client.get(draft.get_absolute_url()).status_code == 404
    assert "Noch keine beschlossene Fortschreibung" in pdf_text(
        citizen_client.get(reverse("measures:export", args=[world.plan.slug, "pdf"])).content
    )
    # The Quartiersmanagerin sees it marked as a draft and records the adopting decision.
    assert "Entwurf" in qm_client.get(plan_url).content.decode()
    response = qm_client.post(reverse("measures:edition_adopt", args=[world.plan.slug, draft.pk]),
                              {"agenda_item": world.items[2].pk, "note": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft and draft.adopted_by == world.items[2]
    decision = MeasureDecision.objects.get(edition=draft)
    assert decision.kind == DecisionKind.ADOPT and decision.decided_on == date(2023, 3, 8)
    # Plan page, PDF and XLSX now agree on the edition in force.
    in_force = citizen_client.get(plan_url).content.decode()
    assert "Fortschreibung 2025" in in_force and "von der 1. Sozialträgerkonferenz" in in_force
    text = pdf_text(citizen_client.get(reverse("measures:export", args=[world.plan.slug, "pdf"])).content)
    assert "Geltende Fortschreibung: Fortschreibung 2025" in text
    wb = load_workbook(io.BytesIO(citizen_client.get(reverse("measures:export", args=[world.plan.slug, "xlsx"])).content))
    assert "Fortschreibung 2025" in (wb.properties.subject or "")
    # Adopting twice is refused with a German message.
    response = qm_client.post(reverse("measures:edition_adopt", args=[world.plan.slug, draft.pk]),
                              {"agenda_item": world.items[2].pk}, follow=True)
    assert "bereits beschlossen" in response.content.decode()


def test_adopting_a_draft_is_for_editors_and_for_the_plans_bodies_only(world: World, body: Any, citizen_client: Client) -> None:
    draft = services.create_edition(world.plan, "Entwurf 2025", date(2025, 1, 1))
    url = reverse("measures:edition_adopt", args=[world.plan.slug, draft.pk])
    assert citizen_client.post(url, {"agenda_item": world.items[2].pk}).status_code == 302  # to the login
    other = Organization.objects.create(body=body, name="Fremder Ausschuss", kind=OrganizationKind.FACHAUSSCHUSS)
    _, items = meeting_with_items([other], "Fremde Sitzung", date(2024, 5, 5), ["Fremder TOP"])
    try:
        services.adopt_draft_edition(draft, items[0])
    except services.DecisionError as exc:
        assert "keinem Gremium" in str(exc)
    else:
        raise AssertionError("a foreign body adopted the plan")
    draft.refresh_from_db()
    assert draft.is_draft


def test_history_tells_the_decision_or_the_day_it_was_entered(world: World, qm_client: Client, citizen_client: Client) -> None:
    m = world.measures["integration"]
    services.change_priority(m, world.items[1], Priority.HOCH)
    response = qm_client.post(reverse("measures:measure_edit", args=[world.plan.slug, m.pk]), {
        "number": "S 2", "title": "Integrationskonzept neu", "action_field": world.soziales.pk,
    })
    assert response.status_code == 302
    page = citizen_client.get(m.get_absolute_url()).content.decode()
    history = page[page.index("Änderungsverlauf"):]
    assert "08.03.2023" in history and "1. Sozialträgerkonferenz" in history and "Ö 2" in history
    assert f"von Hand eingetragen am {dt.date.today():%d.%m.%Y}" in history


def test_pdf_is_a_beschlussanlage_with_deciding_bodies_and_kuf_totals(world: World, body: Any, citizen_client: Client) -> None:
    body.letterhead = "Fachbereich 2 – Soziales\nMarkt 1, 26197 Teststadt"
    body.save()
    committee = Organization.objects.create(body=body, name="Jugend-, Ordnungs- und Sozialausschuss",
                                            kind=OrganizationKind.FACHAUSSCHUSS)
    world.plan.bodies.add(committee)
    _, items = meeting_with_items([committee], "Sitzung des JOS", date(2023, 4, 20), ["Maßnahmenplan"])
    edition = services.adopt_plan(world.plan, world.items[2], "Fortschreibung 2023")
    services.note_edition(edition, items[0])
    data = citizen_client.get(reverse("measures:edition_export", args=[world.plan.slug, edition.pk, "pdf"])).content
    text = pdf_text(data)
    assert "beschlossen von der 1. Sozialträgerkonferenz Maßnahmenplan Teststadt am 08.03.2023" in text
    assert "zur Kenntnis genommen vom Jugend-, Ordnungs- und Sozialausschuss am 20.04.2023" in text
    assert "Markt 1, 26197 Teststadt" in text and "Inhalt" in text
    kuf = text[text.index("Beträge in EUR"):].replace("\r\n", "\n")
    # Städtebauförderung 2022: 1.000; Verfügungsfonds 2023: 250; Eigenmittel 2023: 500,50; total 1.750,50
    assert "Summe 1.000,00 750,50 1.750,50" in kuf
    assert "Städtebauförderung 1.000,00 – 1.000,00" in kuf
    # A measure without costs shows „–“, never „0,00“.
    assert re.search(r"(?<![\d.,])0,00", text) is None
    assert b"<pdfuaid:part>1</pdfuaid:part>" in data and b"<pdfaid:part>2</pdfaid:part>" in data


def test_pdf_letterhead_logo_is_taken_from_the_gemeinde(world: World, body: Any) -> None:
    from django.core.files.base import ContentFile

    body.logo.save("wappen.png", ContentFile(_tiny_png()))
    head = exports.letterhead(body)
    assert head["logo_format"] == "png" and bytes(head["logo"]) == _tiny_png()
    data = exports.pdf_bytes(services.plan_snapshot(world.plan), doc_title="T", author=body.name, letterhead=head)
    doc = pypdfium2.PdfDocument(data)
    try:
        kinds = [obj.type for obj in doc[0].get_objects()]
    finally:
        doc.close()
    assert pypdfium2.raw.FPDF_PAGEOBJ_IMAGE in kinds


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    raw = b"".join(b"\x00" + b"\x0a\x4b\x78" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_xlsx_round_trip_reads_dates_as_dates(world: World, citizen_client: Client) -> None:
    data = citizen_client.get(reverse("measures:export", args=[world.plan.slug, "xlsx"])).content
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Maßnahmen", "Kosten und Finanzierung", "Monitoring"]
    ws = wb["Maßnahmen"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["W 1"]["Beginn"] == dt.datetime(2022, 1, 1) and rows["W 1"]["Ende"] == dt.datetime(2024, 12, 31)
    assert ws.auto_filter.ref == f"A1:P{ws.max_row}"
    assert ws["J2"].number_format == "DD.MM.YYYY"
    kuf = wb["Kosten und Finanzierung"]
    assert kuf.auto_filter.ref
    amounts = [r[6] for r in kuf.iter_rows(min_row=2, values_only=True)]
    assert sum(Decimal(str(a)) for a in amounts) == Decimal("1750.50")
    monitoring = list(wb["Monitoring"].iter_rows(min_row=2, values_only=True))
    assert monitoring == [("S 1", "Sprachcafé Maßnahmenplan Teststadt", "Output", "Teilnehmende Maßnahmenplan Teststadt", "Personen", 60)]
    # and the import reads the exported dates back
    from ratsinfo.measures.imports import import_measures

    report = import_measures(world.plan, "plan.xlsx", _renumbered(data), user=None)
    assert report.ok, report.row_errors
    assert {m.start_date for m in report.created} >= {date(2022, 1, 1)}


def _renumbered(xlsx: bytes) -> bytes:
    """The export with new numbers, so that the import adds the measures again."""
    wb = load_workbook(io.BytesIO(xlsx))
    for (cell,) in wb["Maßnahmen"].iter_rows(min_row=2, max_col=1):
        cell.value = f"N {cell.value}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_actors_of_the_plan_are_not_gremien_of_the_council(world: World, citizen_client: Client) -> None:
    page = citizen_client.get(reverse("measures:actors", args=[world.plan.slug])).content.decode()
    assert "Institutionen und Träger" in page and world.caritas.name in page
    assert "Gremien des Plans" in page and world.stk.name in page


def test_master_data_screens_for_the_quartiersmanagement(world: World, qm_client: Client, citizen_client: Client) -> None:
    master = reverse("measures:master", args=[world.plan.slug])
    assert citizen_client.get(master).status_code == 302
    assert qm_client.get(master).status_code == 200
    new = lambda kind: reverse("measures:master_new", args=[world.plan.slug, kind])  # noqa: E731
    assert qm_client.post(new("handlungsfeld"), {"name": "Freizeit und Kultur", "order": 3}).status_code == 302
    assert world.plan.action_fields.filter(name="Freizeit und Kultur").exists()
    response = qm_client.post(new("handlungsfeld"), {"name": "Wohnen", "order": 4})
    assert "gibt es in diesem Plan schon" in response.content.decode()
    m = world.measures["integration"]
    assert qm_client.post(new("finanzierung"), {"measure": m.pk, "source": "eigenmittel", "programme": "",
                                                "year": 2025, "amount": "1200"}).status_code == 302
    assert m.fundings.get().amount == Decimal("1200")
    ind = world.measures["sprachcafe"].indicators.get()
    assert qm_client.post(new("indikatorwert"), {"indicator": ind.pk, "year": 2024, "target_value": "60",
                                                 "actual_value": "61"}).status_code == 302
    assert ind.values.get(year=2024).actual_value == Decimal("61")
    edit_area = reverse("measures:master_edit", args=[world.plan.slug, "foerdergebiet", world.area.pk])
    assert qm_client.post(edit_area, {"name": "Quartier Nord", "programme": "Sozialer Zusammenhalt",
                                      "inhabitants": 1900}).status_code == 302
    world.area.refresh_from_db()
    assert world.area.name == "Quartier Nord" and world.area.history.count() == 2


def test_master_data_of_another_plan_is_not_found(world: World, body: Any, qm_client: Client) -> None:
    from tests.measures.factories import build_world

    other = build_world(body, title="Anderer Plan", slug="anderer-plan")
    url = reverse("measures:master_edit", args=[world.plan.slug, "handlungsfeld", other.wohnen.pk])
    assert qm_client.get(url).status_code == 404
    funding = other.measures["mieter"].fundings.get()
    url = reverse("measures:master_edit", args=[world.plan.slug, "finanzierung", funding.pk])
    assert qm_client.post(url, {"loeschen": "1"}).status_code == 404
    assert qm_client.get(reverse("measures:master_new", args=[world.plan.slug, "unbekannt"])).status_code == 404


def test_a_council_member_cannot_edit_master_data(world: World) -> None:
    client = Client()
    client.force_login(User.objects.create_user("ratsfrau-x", password="x-geheim-123"))
    assert client.get(reverse("measures:master", args=[world.plan.slug])).status_code == 403




def test_a_measure_placed_on_the_map_by_the_quartiersmanagerin(world: World, qm_client: Client, citizen_client: Client) -> None:
    from ratsinfo.bodies.models import Location
    from ratsinfo.lib.geo import point_feature

    place = Location.objects.create(description="Spielplatz Parkstraße", geojson=point_feature(52.9003, 8.2331))
    m = world.measures["mieter"]
    response = qm_client.post(reverse("measures:measure_edit", args=[world.plan.slug, m.pk]), {
        "number": "W 1", "title": m.title, "action_field": world.wohnen.pk, "location": place.pk,
    })
    assert response.status_code == 302
    html = citizen_client.get(m.get_absolute_url()).content.decode()
    assert "Ort der Maßnahme" in html and "Spielplatz Parkstraße" in html and "52,90030° N" in html
    assert "Orte der Maßnahmen" in citizen_client.get(reverse("measures:plan", args=[world.plan.slug])).content.decode()
