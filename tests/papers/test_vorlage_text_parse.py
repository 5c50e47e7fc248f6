"""Reading Vorlagen in the municipality's text layout (parser only, no database)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ratsinfo.papers.importers.vorlage_text.parse import (
    VorlageParseError,
    is_heading,
    join_page_breaks,
    parse_bytes,
    parse_text,
)
from tests.papers import seed_expected as seed

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_seed_reads_with_every_field_right() -> None:
    parsed = parse_bytes(seed.SEED_PATH.read_bytes())

    assert parsed.paper_type == "Beschlussvorlage"
    assert parsed.reference == "BV/0240/2021-2026"
    assert parsed.public is True
    assert parsed.date == date(2022, 9, 23)
    assert parsed.name == "Antrag der Gruppe Grüne - KA - Linke auf Erstellung eines Integrationskonzeptes"
    assert [(c.organization, c.date, c.role) for c in parsed.consultations] == seed.CONSULTATIONS
    assert [s.heading for s in parsed.sections] == ["Beschlussempfehlung", "Sach- und Rechtslage"]
    assert parsed.sections[0].text.split("\n\n") == seed.BESCHLUSSEMPFEHLUNG
    assert parsed.sections[1].text.split("\n\n") == seed.SACH_UND_RECHTSLAGE
    assert [(a.file_name, a.title) for a in parsed.attachments] == [
        ("Änderungsantrag Gruppe_Erstellung Integrationskonzept", "Antrag Gruppe Erstellung Integrationskonzept")
    ]
    assert parsed.to_json() == seed.JSON


def test_the_page_break_in_the_seed_is_healed_with_one_space() -> None:
    text = parse_bytes(seed.SEED_PATH.read_bytes()).sections[1].text
    assert "Zusammenwirken von baulichen und sozialen Maßnahmen soll" in text
    assert "und\n" not in text and "und  sozialen" not in text


def test_three_step_beratungsfolge_with_rat_crlf_and_several_attachments() -> None:
    raw = (FIXTURES / "beschlussvorlage-rat-drei-schritte-crlf.txt").read_bytes()
    assert b"\r\n" in raw
    parsed = parse_bytes(raw)
    assert [(c.organization, c.date, c.role) for c in parsed.consultations] == [
        ("Bau-, Planungs- und Umweltausschuss", date(2023, 6, 20), "Vorberatung"),
        ("Verwaltungsausschuss", date(2023, 6, 29), "Vorberatung"),
        ("Rat der Gemeinde Großenkneten", date(2023, 7, 6), "Entscheidung"),
    ]
    # A subject over two lines becomes one line.
    assert parsed.name == "Bebauungsplan Nr. 215 „Wohngebiet Am Bahnhof“, Ahlhorn – Satzungsbeschluss"
    assert [s.heading for s in parsed.sections] == ["Beschlussvorschlag", "Begründung", "Finanzielle Auswirkungen"]
    assert parsed.sections[1].text == (
        "Der Rat hat am 03.11.2022 die Aufstellung des Bebauungsplanes beschlossen. Die frühzeitige Beteiligung "
        "der Öffentlichkeit und der Behörden fand im Februar 2023 statt. Die eingegangenen Stellungnahmen wurden "
        "geprüft und abgewogen; das Ergebnis der Abwägung ist der Anlage 2 zu entnehmen.\n\n"
        "Mit dem Satzungsbeschluss kann das Verfahren abgeschlossen werden."
    )
    assert all("\r" not in s.text for s in parsed.sections)
    assert [(a.file_name, a.title) for a in parsed.attachments] == [
        ("Anlage 1 Planzeichnung B-Plan 215", "Planzeichnung"),
        ("Anlage 2 Abwägungstabelle", "Abwägung der Stellungnahmen"),
        ("Anlage 3 Begründung B-Plan 215", "Begründung zum Bebauungsplan"),
    ]


def test_nichtoeffentliche_mitteilungsvorlage_with_an_open_date() -> None:
    parsed = parse_bytes((FIXTURES / "mitteilungsvorlage-nichtoeffentlich.txt").read_bytes())
    assert (parsed.paper_type, parsed.reference, parsed.public) == ("Mitteilungsvorlage", "MV/0071/2021-2026", False)
    assert [(c.organization, c.date, c.role) for c in parsed.consultations] == [
        ("Jugend-, Ordnungs- und Sozialausschuss", None, "Kenntnisnahme")
    ]
    assert parsed.sections[0].heading == "Sachverhalt"
    assert parsed.sections[0].text.count("\n\n") == 1
    assert parsed.attachments == []


def test_antrag_with_bom_and_without_beratungsfolge() -> None:
    raw = (FIXTURES / "antrag-ohne-beratungsfolge-bom.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    parsed = parse_bytes(raw)
    assert parsed.paper_type == "Antrag"
    assert parsed.consultations == []
    assert parsed.name == "Antrag der Gruppe Grüne – KA – Linke auf Erstellung eines Integrationskonzeptes"
    # Lines of one paragraph keep their line break.
    assert parsed.sections[1].text == (
        "Im Ortsteil Ahlhorn leben Menschen aus über 60 Nationen.\nDie Integrationsarbeit wird von vielen Trägern geleistet."
    )


def test_dringlichkeitsvorlage_with_crlf_and_bom() -> None:
    parsed = parse_bytes((FIXTURES / "dringlichkeitsvorlage-crlf-bom.txt").read_bytes())
    assert (parsed.paper_type, parsed.public) == ("Dringlichkeitsvorlage", False)
    assert [s.heading for s in parsed.sections] == ["Beschlussvorschlag", "Finanzielle Auswirkungen"]
    assert [(a.file_name, a.title) for a in parsed.attachments] == [("Angebot Fahrzeugbau", "Angebot des Herstellers")]


def test_anfrage_keeps_a_sentence_ending_in_a_colon_inside_its_section() -> None:
    parsed = parse_bytes((FIXTURES / "anfrage-ortsrat.txt").read_bytes())
    assert parsed.paper_type == "Anfrage"
    assert [s.heading for s in parsed.sections] == ["Anfrage"]
    assert parsed.sections[0].text == (
        "Wir bitten um Beantwortung folgender Fragen:\n\n"
        "1. Wie viele Vereine nutzen die Sporthallen?\n2. Gibt es freie Hallenzeiten?"
    )
    assert [c.role for c in parsed.consultations] == ["Anhörung", "Kenntnisnahme"]


def test_informationsvorlage_with_two_kenntnisnahmen() -> None:
    parsed = parse_bytes((FIXTURES / "informationsvorlage.txt").read_bytes())
    assert parsed.paper_type == "Informationsvorlage"
    assert [c.organization for c in parsed.consultations] == ["Bau-, Planungs- und Umweltausschuss", "Schulausschuss"]


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Beschlussempfehlung:", True),
        ("Sach- und Rechtslage:", True),
        ("Finanzielle Auswirkungen:", True),
        ("Auswirkungen auf den Klimaschutz:", True),
        ("2. Begründung:", True),
        ("Finanzielle und personelle Auswirkungen:", True),
        ("Ergebnis der öffentlichen Auslegung:", True),
        ("Der Rat beschließt:", False),
        ("Die Verwaltung schlägt vor:", False),
        ("Die Kosten setzen sich wie folgt zusammen:", False),
        ("Wir bitten um Beantwortung folgender Fragen:", False),
        ("Beschlussempfehlung", False),
        ("Zu 1.: Die Lage ist ruhig.", False),
    ],
)
def test_what_counts_as_a_section_heading(line: str, heading: bool) -> None:
    assert is_heading(line) is heading


def test_nicht_oeffentlich_in_two_words_and_lower_case_type_are_accepted() -> None:
    text = (
        "beschlussvorlage\nVorlage Nr.: BV/1/2021-2026\nNicht öffentlich\n01.02.2023\n\n"
        "Tagesordnungspunkt: Betreff auf derselben Zeile\n\nBeschlussvorschlag:\nZustimmung.\n"
    )
    parsed = parse_text(text)
    assert (parsed.paper_type, parsed.public, parsed.name) == ("Beschlussvorlage", False, "Betreff auf derselben Zeile")


BROKEN = [
    ("leer.txt", 0, None, "Die Datei ist leer"),
    ("latin1.txt", 5, "�ffentlich", "nicht UTF-8"),
    ("ohne-vorlagennummer.txt", 4, "BV/0240/2021-2026", "Vorlage Nr."),
    ("falsches-datum.txt", 6, "31.02.2022", "kein gültiges Datum"),
    ("datum-kein-datum.txt", 6, "23. September 2022", "TT.MM.JJJJ"),
    ("beratungsfolge-leerzeichen.txt", 10, "Verwaltungsausschuss 13.10.2022 Entscheidung", "gefunden: 1"),
    ("beratungsfolge-vier-spalten.txt", 10, "Verwaltungsausschuss⇥13.10.2022⇥Entscheidung⇥TOP 5", "gefunden: 4"),
    ("unbekannte-zustaendigkeit.txt", 10, "Verwaltungsausschuss⇥13.10.2022⇥Beschluss", "Unbekannte Zuständigkeit „Beschluss“"),
    ("unbekannte-vorlagenart.txt", 3, "Sitzungsprotokoll", "Vorlagenart"),
    ("ohne-oeffentlich.txt", 5, "intern", "nichtöffentlich"),
    ("ohne-tagesordnungspunkt.txt", 12, "Betreff:", "Tagesordnungspunkt:"),
    ("text-vor-abschnitt.txt", 15, "Der Bürgermeister empfiehlt Folgendes.", "vor der ersten Abschnittsüberschrift"),
    ("html.txt", 1, "<!DOCTYPE html>", "Vorlagenart"),
    ("abgeschnitten.txt", 4, "Vorlage Nr.: BV/0240/2021-2026", "endet"),
]


@pytest.mark.parametrize(("name", "line_no", "line", "reason"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_input_names_the_line_that_broke_it(name: str, line_no: int, line: str | None, reason: str) -> None:
    with pytest.raises(VorlageParseError) as caught:
        parse_bytes((FIXTURES / "kaputt" / name).read_bytes())
    message = caught.value.message
    assert reason in message
    assert "\n" not in message
    if line_no:
        assert message.startswith(f"Zeile {line_no} „{line}“: ")


# -- properties ------------------------------------------------------------------------------

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ.,;!?-–()„“0123456789", min_size=1, max_size=12)
paragraphs = st.lists(words, min_size=1, max_size=12).map(" ".join)


@given(st.lists(paragraphs, min_size=1, max_size=8))
@settings(max_examples=200, deadline=None)
def test_joining_page_breaks_never_loses_or_reorders_words(parts: list[str]) -> None:
    joined = join_page_breaks(parts)
    assert " ".join(joined).split() == " ".join(parts).split()
    assert 1 <= len(joined) <= len(parts)
    # Only a paragraph starting in lower case is ever glued to the one before.
    assert len(parts) - len(joined) <= sum(1 for p in parts[1:] if p[:1].islower())


@given(st.lists(st.lists(paragraphs, min_size=1, max_size=4), min_size=1, max_size=4))
@settings(max_examples=100, deadline=None)
def test_a_written_document_reads_back_with_all_its_words(sections: list[list[str]]) -> None:
    lines = ["Beschlussvorlage", "Vorlage Nr.: BV/9/2021-2026", "öffentlich", "01.02.2023", "",
             "Tagesordnungspunkt:", "Betreff", ""]
    for index, section in enumerate(sections):
        lines += [f"Abschnitt {index + 1}:", ""]
        for paragraph in section:
            lines += [paragraph, ""]
    parsed = parse_text("\r\n".join(lines))
    assert len(parsed.sections) == len(sections)
    for written, read in zip(sections, parsed.sections, strict=True):
        assert read.text.split() == " ".join(written).split()
