"""Importing Vorlagen into the database: fields, Beratungsfolge, Anlagen, idempotency."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ratsinfo.bodies.models import Body, Organization, OrganizationKind
from ratsinfo.files.models import File, FileRole
from ratsinfo.papers.importers.vorlage_text import services
from ratsinfo.papers.importers.vorlage_text.parse import parse_bytes, parse_text
from ratsinfo.papers.importers.vorlage_text.services import (
    VorlageImportError,
    apply_vorlage,
    guess_organization_kind,
    resolve_body,
)
from ratsinfo.papers.models import Consultation, Paper, PaperSection, PaperState
from ratsinfo.papers.services import import_vorlage_file
from tests.papers import seed_expected as seed

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.django_db


def _history_rows() -> dict[str, int]:
    return {
        "paper": Paper.history.count(),
        "section": PaperSection.history.count(),
        "consultation": Consultation.history.count(),
        "file": File.history.count(),
        "organization": Organization.history.count(),
    }


def test_the_seed_is_imported_with_every_field_right(body: Body) -> None:
    _, report = import_vorlage_file(seed.SEED_PATH, body)

    paper = Paper.objects.get()
    assert report.created and report.paper == paper
    assert paper.body == body
    assert paper.paper_type == "Beschlussvorlage"
    assert paper.reference == "BV/0240/2021-2026"
    assert paper.public is True
    assert paper.state == PaperState.FREIGEGEBEN
    assert paper.is_public
    assert paper.date == date(2022, 9, 23)
    assert paper.name == "Antrag der Gruppe Grüne - KA - Linke auf Erstellung eines Integrationskonzeptes"
    assert paper.slug == "BV-0240-2021-2026"

    sections = list(paper.sections.order_by("order"))
    assert [(s.order, s.heading) for s in sections] == [(1, "Beschlussempfehlung"), (2, "Sach- und Rechtslage")]
    assert sections[0].text.split("\n\n") == seed.BESCHLUSSEMPFEHLUNG
    assert sections[1].text.split("\n\n") == seed.SACH_UND_RECHTSLAGE

    steps = list(paper.consultations.order_by("order"))
    assert [(c.order, c.organization.name, c.planned_date, c.role, c.authoritative) for c in steps] == [
        (1, "Jugend-, Ordnungs- und Sozialausschuss", date(2022, 10, 6), "Vorberatung", False),
        (2, "Verwaltungsausschuss", date(2022, 10, 13), "Entscheidung", True),
    ]
    committee, va = (c.organization for c in steps)
    assert committee.kind == OrganizationKind.FACHAUSSCHUSS and committee.body == body
    assert va.kind == OrganizationKind.VERWALTUNGSAUSSCHUSS
    assert va.meetings_public is False  # § 78 NKomVG
    assert {o.name for o in report.created_organizations} == {committee.name, va.name}

    attachment = File.objects.get()
    assert attachment.paper == paper and attachment.body == body
    assert attachment.file_name == "Änderungsantrag Gruppe_Erstellung Integrationskonzept"
    assert attachment.name == "Antrag Gruppe Erstellung Integrationskonzept"
    assert attachment.role == FileRole.AUXILIARY
    assert attachment.public is True
    assert not attachment.has_content


def test_importing_the_same_file_twice_changes_nothing(body: Body) -> None:
    import_vorlage_file(seed.SEED_PATH, body)
    paper = Paper.objects.get()
    before = _history_rows()
    modified = {
        "paper": paper.modified,
        "consultations": [c.modified for c in paper.consultations.order_by("order")],
        "file": File.objects.get().modified,
    }
    ids = (list(paper.sections.values_list("pk", flat=True)), list(paper.consultations.values_list("pk", flat=True)))

    _, report = import_vorlage_file(seed.SEED_PATH, body)

    paper.refresh_from_db()
    assert not report.changed
    assert "nichts geändert" in report.summary()
    assert _history_rows() == before
    assert paper.modified == modified["paper"]
    assert [c.modified for c in paper.consultations.order_by("order")] == modified["consultations"]
    assert File.objects.get().modified == modified["file"]
    assert (list(paper.sections.values_list("pk", flat=True)), list(paper.consultations.values_list("pk", flat=True))) == ids
    assert Organization.objects.count() == 2


def test_a_revised_file_updates_only_what_changed_and_keeps_meeting_links(body: Body, tmp_path: Path) -> None:
    from ratsinfo.meetings.models import AgendaItem, Meeting

    import_vorlage_file(seed.SEED_PATH, body)
    paper = Paper.objects.get()
    meeting = Meeting.objects.create(name="Sitzung JOS")
    item = AgendaItem.objects.create(meeting=meeting, order=6, number="Ö 6", name=paper.name)
    committee_step = paper.consultations.get(order=1)
    committee_step.meeting, committee_step.agenda_item = meeting, item
    committee_step.save()
    before = _history_rows()

    revised = seed.SEED_PATH.read_text("utf-8").replace(
        "Zur Begründung im Einzelnen wird auf den Antrag verwiesen.",
        "Zur Begründung im Einzelnen wird auf den beigefügten Antrag verwiesen.",
    ).replace("Verwaltungsausschuss\t13.10.2022", "Verwaltungsausschuss\t20.10.2022")
    path = tmp_path / "revised.txt"
    path.write_text(revised, "utf-8")
    _, report = import_vorlage_file(path, body)

    assert report.changed and not report.created
    after = _history_rows()
    assert after["section"] == before["section"] + 1  # only the Sach- und Rechtslage
    assert after["consultation"] == before["consultation"] + 1  # only the VA step
    assert after["file"] == before["file"]
    assert after["paper"] == before["paper"]
    committee_step.refresh_from_db()
    assert (committee_step.meeting, committee_step.agenda_item) == (meeting, item)
    assert paper.consultations.get(order=2).planned_date == date(2022, 10, 20)
    assert "beigefügten Antrag" in paper.sections.get(order=2).text


def test_placeholders_no_longer_listed_are_removed_but_uploaded_files_stay(body: Body, tmp_path: Path) -> None:
    import_vorlage_file(FIXTURES / "beschlussvorlage-rat-drei-schritte-crlf.txt", body)
    paper = Paper.objects.get()
    assert list(paper.files.order_by("order").values_list("file_name", "name", "order")) == [
        ("Anlage 1 Planzeichnung B-Plan 215", "Planzeichnung", 1),
        ("Anlage 2 Abwägungstabelle", "Abwägung der Stellungnahmen", 2),
        ("Anlage 3 Begründung B-Plan 215", "Begründung zum Bebauungsplan", 3),
    ]
    uploaded = paper.files.get(order=1)
    uploaded.set_content(b"%PDF-1.7 Planzeichnung", "planzeichnung.pdf")
    uploaded.save()

    text = (FIXTURES / "beschlussvorlage-rat-drei-schritte-crlf.txt").read_bytes().decode()
    shorter = text.split("Anlage 1 ")[0]
    path = tmp_path / "ohne-anlagen.txt"
    path.write_text(shorter, "utf-8")
    import_vorlage_file(path, body)

    assert list(paper.files.alive().values_list("file_name", flat=True)) == ["Anlage 1 Planzeichnung B-Plan 215"]
    assert paper.files.filter(deleted=True).count() == 2


def test_three_step_beratungsfolge_creates_the_rat(body: Body) -> None:
    import_vorlage_file(FIXTURES / "beschlussvorlage-rat-drei-schritte-crlf.txt", body)
    steps = list(Paper.objects.get().consultations.order_by("order").select_related("organization"))
    assert [(c.organization.kind, c.authoritative) for c in steps] == [
        (OrganizationKind.FACHAUSSCHUSS, False),
        (OrganizationKind.VERWALTUNGSAUSSCHUSS, False),
        (OrganizationKind.RAT, True),
    ]


def test_existing_gremien_are_found_by_name_or_short_name(body: Body) -> None:
    jos = Organization.objects.create(
        body=body, name="Jugend-, Ordnungs- und Sozialausschuss", short_name="JOS", kind=OrganizationKind.FACHAUSSCHUSS
    )
    va = Organization.objects.create(body=body, name="Der Verwaltungsausschuss", short_name="Verwaltungsausschuss",
                                     kind=OrganizationKind.VERWALTUNGSAUSSCHUSS)
    other_body = Body.objects.create(name="Gemeinde Wardenburg", short_name="Wardenburg")
    Organization.objects.create(body=other_body, name="Verwaltungsausschuss", slug="va-wardenburg")

    _, report = import_vorlage_file(seed.SEED_PATH, body)

    assert report.created_organizations == []
    assert [c.organization for c in Paper.objects.get().consultations.order_by("order")] == [jos, va]


def test_nichtoeffentliche_vorlage_makes_its_attachments_nonpublic(body: Body) -> None:
    import_vorlage_file(FIXTURES / "dringlichkeitsvorlage-crlf-bom.txt", body)
    paper = Paper.objects.get()
    assert paper.public is False
    assert File.objects.get().public is False
    assert not Paper.objects.visible_to(None).exists()


def test_a_failure_while_writing_leaves_nothing_behind(body: Body, monkeypatch: Any) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("Festplatte voll")

    monkeypatch.setattr(services, "_apply_attachments", broken)
    with pytest.raises(RuntimeError):
        import_vorlage_file(seed.SEED_PATH, body)
    assert not Paper.objects.exists()
    assert not Organization.objects.exists()
    assert not Consultation.objects.exists()


def test_a_removed_beratungsfolge_step_is_tombstoned(body: Body) -> None:
    text = (FIXTURES / "beschlussvorlage-rat-drei-schritte-crlf.txt").read_bytes().decode()
    apply_vorlage(parse_text(text), body)
    apply_vorlage(parse_text(text.replace("Rat der Gemeinde Großenkneten\t06.07.2023\tEntscheidung\r\n", "")), body)
    paper = Paper.objects.get()
    assert paper.consultations.alive().count() == 2
    assert paper.consultations.filter(deleted=True).count() == 1


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Verwaltungsausschuss", OrganizationKind.VERWALTUNGSAUSSCHUSS),
        ("Rat", OrganizationKind.RAT),
        ("Gemeinderat", OrganizationKind.RAT),
        ("Rat der Gemeinde Großenkneten", OrganizationKind.RAT),
        ("Jugend-, Ordnungs- und Sozialausschuss", OrganizationKind.FACHAUSSCHUSS),
        ("Ausschuss für Feuerwehr und Ordnung", OrganizationKind.FACHAUSSCHUSS),
        ("Ortsrat Ahlhorn", OrganizationKind.ORTSRAT),
        ("Sozialträgerkonferenz Ahlhorn", OrganizationKind.SONSTIGE),
        ("Ratsbüro", OrganizationKind.SONSTIGE),
    ],
)
def test_kind_of_a_new_gremium_is_guessed_from_its_name(name: str, kind: str) -> None:
    assert guess_organization_kind(name) == kind


def test_body_is_the_only_one_or_must_be_chosen(body: Body) -> None:
    assert resolve_body() == body
    assert resolve_body(str(body.pk)) == body
    assert resolve_body("großenkneten") == body
    other = Body.objects.create(name="Gemeinde Wardenburg", short_name="Wardenburg")
    with pytest.raises(VorlageImportError, match="--body"):
        resolve_body()
    assert resolve_body("Wardenburg") == other
    with pytest.raises(VorlageImportError, match="nicht gefunden"):
        resolve_body("Hude")


def test_no_body_gives_a_clear_error(db: Any) -> None:
    with pytest.raises(VorlageImportError, match="keine Gemeinde angelegt"):
        resolve_body()


def test_parsed_result_and_database_agree_for_every_fixture(body: Body) -> None:
    for path in sorted(FIXTURES.glob("*.txt")):
        parsed = parse_bytes(path.read_bytes())
        report = apply_vorlage(parsed, body)
        paper = report.paper
        assert (paper.paper_type, paper.reference, paper.public, paper.date, paper.name) == (
            parsed.paper_type, parsed.reference, parsed.public, parsed.date, parsed.name
        ), path.name
        assert [(s.heading, s.text) for s in paper.sections.order_by("order")] == [
            (s.heading, s.text) for s in parsed.sections
        ]
        assert [(c.organization.name, c.planned_date, c.role) for c in paper.consultations.order_by("order")] == [
            (c.organization, c.date, c.role) for c in parsed.consultations
        ]
