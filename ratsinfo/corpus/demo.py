"""The demo municipality (`ratsinfo demo`).

Contract: `build_demo()` builds the whole demo into the current (empty, migrated) database and
returns the demo Body. It imports the seed Vorlage through the importer and then calls
`ratsinfo.measures.demo.build_measures_demo(body)` for the Maßnahmenplan part.

Gemeinde Großenkneten with its real structure (Rat, Verwaltungsausschuss, Fachausschüsse,
Ortsrat Ahlhorn) and the real seed case BV/0240/2021-2026; people, the other Vorlagen and
the meetings around it are invented. Everything is deterministic (fixed random seed, dates
around a fixed anchor in the seed's year) except the upcoming meetings, which are placed
relative to today so the calendar always shows some. Every Vorlage of the demo goes through
the text importer, exactly as a municipality would feed it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ratsinfo.accounts.second_factor import mark_demo_account
from ratsinfo.bodies.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.bodies.roles import (
    BUERGERMEISTER,
    QUARTIERSMANAGEMENT,
    RATSMITGLIED,
    SACHBEARBEITUNG,
    SITZUNGSDIENST,
    STAFF_ROLES,
)
from ratsinfo.files.models import File, FileRole
from ratsinfo.meetings.models import AgendaItem, AgendaItemResult, Meeting, MeetingState
from ratsinfo.meetings.numbering import Slot, agenda_numbers
from ratsinfo.papers.importers.vorlage_text.parse import parse_bytes, parse_text
from ratsinfo.papers.importers.vorlage_text.services import apply_vorlage
from ratsinfo.papers.models import Consultation, Paper, PaperType

SEED_PATH = Path(__file__).resolve().parent / "fixtures" / "beschlussvorlage-BV-0240-2021-2026.txt"
SEED_REFERENCE = "BV/0240/2021-2026"
ANTRAG_REFERENCE = "AN/0012/2021-2026"
BERLIN = ZoneInfo("Europe/Berlin")
RANDOM_SEED = 20221006
# The demo year: meetings from September 2022 to August 2023 (the seed sits in October 2022).
YEAR_START = date(2022, 9, 1)
YEAR_END = date(2023, 8, 31)
TERM_START = date(2021, 11, 1)
# The 2021-2026 council was re-elected for 2026-2031: memberships are split at the change of term.
TERM_END = date(2026, 10, 31)
NEXT_TERM_START = date(2026, 11, 1)


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    description: str


DEMO_USERS = (
    DemoUser("sitzungsdienst", "demo-sitzungsdienst",
             "Sitzungsdienst (Sabine Ratsbüro): sieht alles, auch Nichtöffentliches und Entwürfe; bearbeitet "
             "Gremien, Personen, Vorlagen, Sitzungen und Dateien in der Verwaltung"),
    DemoUser("sachbearbeitung", "demo-sachbearbeitung",
             "Sachbearbeitung im Fachbereich 2 (Nils Behrens): verfasst Vorlagen des Fachbereichs mit Anlagen; sieht "
             "dessen Entwürfe und die nichtöffentlichen Punkte, die der Fachbereich umsetzt"),
    DemoUser("kaemmerei", "demo-kaemmerei",
             "Sachbearbeitung in der Kämmerei, Fachbereich 1 (Heike Oltmanns): zeichnet Vorlagen mit finanziellen "
             "Auswirkungen mit; sieht die Vorlagen des Fachbereichs 1"),
    DemoUser("buergermeister", "demo-buergermeister",
             "Bürgermeister Jens Hollmann: sieht alle Vorlagen einschließlich Entwürfen und gibt sie frei; Mitglied "
             "in Rat und Verwaltungsausschuss"),
    DemoUser("ratsfrau", "demo-ratsfrau",
             "Ratsfrau Maren Vosteen (Gruppe Grüne – KA – Linke): Mitglied in Rat und Jugend-, Ordnungs- und "
             "Sozialausschuss, nicht im Verwaltungsausschuss; sieht den nichtöffentlichen Teil von Rat und JOS und, "
             "als Zuhörerin nach § 78 NKomVG, den des Verwaltungsausschusses; nicht den anderer Ausschüsse"),
    DemoUser("ratsherr", "demo-ratsherr",
             "Ratsherr Tobias Grotelüschen (Gruppe Grüne – KA – Linke): Mitglied in Rat, Verwaltungsausschuss und "
             "Finanzausschuss; sieht deren nichtöffentlichen Teil, nicht den des JOS"),
    DemoUser("hinzugewaehlt", "demo-hinzugewaehlt",
             "Gisela Brand, hinzugewähltes Mitglied (§ 71 Abs. 7 NKomVG) nur im Jugend-, Ordnungs- und "
             "Sozialausschuss: sieht nur dessen nichtöffentlichen Teil"),
    DemoUser("quartiersmanagement", "demo-quartiersmanagement",
             "Quartiersmanagement Ahlhorn (Lena Hartmann): pflegt den Maßnahmenplan und erfasst Beschlüsse der "
             "Sozialträgerkonferenz; sonst nur Öffentliches"),
)

# The role (group from bodies/roles.py) of each demo account.
DEMO_ROLES = {
    "sitzungsdienst": SITZUNGSDIENST,
    "sachbearbeitung": SACHBEARBEITUNG,
    "kaemmerei": SACHBEARBEITUNG,
    "buergermeister": BUERGERMEISTER,
    "ratsfrau": RATSMITGLIED,
    "ratsherr": RATSMITGLIED,
    "hinzugewaehlt": RATSMITGLIED,
    "quartiersmanagement": QUARTIERSMANAGEMENT,
}

GROUP_NAME = "Gruppe Grüne – KA – Linke"

# name, short name, kind, meets roughly every n weeks, weekday (0 = Monday), hour
COMMITTEES = [
    ("Rat der Gemeinde Großenkneten", "Rat", OrganizationKind.RAT, 6, 3, 18),
    ("Verwaltungsausschuss", "VA", OrganizationKind.VERWALTUNGSAUSSCHUSS, 3, 3, 17),
    ("Jugend-, Ordnungs- und Sozialausschuss", "JOS", OrganizationKind.FACHAUSSCHUSS, 6, 3, 18),
    ("Bau-, Planungs- und Umweltausschuss", "BPU", OrganizationKind.FACHAUSSCHUSS, 5, 1, 18),
    ("Finanzausschuss", "FinA", OrganizationKind.FACHAUSSCHUSS, 8, 0, 18),
    ("Schulausschuss", "SchulA", OrganizationKind.FACHAUSSCHUSS, 8, 2, 17),
    ("Ortsrat Ahlhorn", "OR Ahlhorn", OrganizationKind.ORTSRAT, 8, 2, 19),
]

# Fraktionen/Gruppen with their council members (invented names).
GROUPS = [
    ("CDU-Fraktion", "CDU", OrganizationKind.FRAKTION, [
        ("Hermann", "Bruns", "m"), ("Anja", "Wichmann", "w"), ("Gerd", "Lüschen", "m"), ("Birgit", "Meyer", "w"),
        ("Johannes", "Stöver", "m"), ("Karin", "Ahlers", "w"), ("Dieter", "Rüdebusch", "m"),
        ("Silke", "Harms", "w"), ("Heinz", "Wempe", "m"), ("Petra", "Kathmann", "w"), ("Ulrich", "Sander", "m"),
        ("Marco", "Büsing", "m"),
    ]),
    ("SPD-Fraktion", "SPD", OrganizationKind.FRAKTION, [
        ("Sabine", "Osterloh", "w"), ("Klaus", "Hinrichs", "m"), ("Monika", "Tapken", "w"), ("Frank", "Eilers", "m"),
        ("Renate", "Schröder", "w"), ("Stefan", "Döhle", "m"), ("Nadine", "Wilken", "w"), ("Jürgen", "Bolte", "m"),
        ("Elke", "Fangmann", "w"),
    ]),
    (GROUP_NAME, "Grüne/KA/Linke", OrganizationKind.GRUPPE, [
        ("Maren", "Vosteen", "w"), ("Tobias", "Grotelüschen", "m"), ("Leonie", "Janßen", "w"),
        ("Aylin", "Demir", "w"), ("Rolf", "Kühling", "m"),
    ]),
    ("FDP-Fraktion", "FDP", OrganizationKind.FRAKTION, [("Christian", "Stukenborg", "m"), ("Ines", "Lammers", "w")]),
    ("UWG-Fraktion", "UWG", OrganizationKind.FRAKTION, [("Bernd", "Höffmann", "m"), ("Wiebke", "Thye", "w")]),
]

FACHBEREICHE = [
    ("Fachbereich 1 – Zentrale Dienste und Finanzen", "FB 1", "Andrea", "Kuhlmann", "w"),
    ("Fachbereich 2 – Bürgerservice, Ordnung und Soziales", "FB 2", "Martin", "Gerdes", "m"),
    ("Fachbereich 3 – Planen, Bauen und Umwelt", "FB 3", "Julia", "Böckmann", "w"),
    ("Fachbereich 4 – Bildung, Jugend und Familie", "FB 4", "Thomas", "Wulf", "m"),
]

OPENING_ITEMS = [
    "Eröffnung der Sitzung",
    "Feststellung der ordnungsgemäßen Ladung und der Beschlussfähigkeit",
    "Feststellung der Tagesordnung",
    "Genehmigung der Niederschrift über die Sitzung vom {previous}",
    "Einwohnerfragestunde",
]
CLOSING_PUBLIC = ["Anfragen und Anregungen", "Einwohnerfragestunde"]
NONPUBLIC_FILLERS = [
    "Grundstücksangelegenheiten",
    "Personalangelegenheiten",
    "Vertragsangelegenheiten",
    "Anfragen und Anregungen",
]


@dataclass
class Topic:
    """An invented Vorlage: where it starts and how far it goes."""

    paper_type: str
    committee: str  # short name of the first Gremium
    title: str
    month: int  # months after YEAR_START
    to_rat: bool = False
    public: bool = True
    department: str = "FB 2"
    originator: str = ""  # short name of a Fraktion/Gruppe for Anträge
    result: str = ""
    extra: dict[str, str] = field(default_factory=dict)


TOPICS = [
    Topic(PaperType.MITTEILUNGSVORLAGE, "JOS", "Jahresbericht der Jugendpflege 2021/2022", 0, department="FB 4"),
    Topic(PaperType.BESCHLUSSVORLAGE, "BPU", "Bebauungsplan Nr. 215 „Wohngebiet Am Bahnhof“, Ahlhorn – Aufstellungsbeschluss", 0, department="FB 3"),
    Topic(PaperType.BESCHLUSSVORLAGE, "FinA", "Überplanmäßige Aufwendungen für die Energieversorgung der gemeindlichen Gebäude", 0, department="FB 1"),
    Topic(PaperType.INFORMATIONSVORLAGE, "SchulA", "Schülerzahlen und Klassenbildung zum Schuljahr 2022/2023", 0, department="FB 4"),
    Topic(PaperType.BESCHLUSSVORLAGE, "JOS", "Fortschreibung des Feuerwehrbedarfsplans der Gemeinde Großenkneten", 1, to_rat=True),
    Topic(PaperType.MITTEILUNGSVORLAGE, "JOS", "Sachstandsbericht des Quartiersmanagements Ahlhorn", 1, department="FB 3"),
    Topic(PaperType.ANTRAG, "JOS", "Antrag der SPD-Fraktion auf Einrichtung eines Jugendparlaments", 1, originator="SPD", department="FB 4"),
    Topic(PaperType.BESCHLUSSVORLAGE, "OR Ahlhorn", "Verwendung der Verfügungsmittel des Ortsrates Ahlhorn 2022", 1, department="FB 1"),
    Topic(PaperType.BESCHLUSSVORLAGE, "BPU", "Sanierungsgebiet „Quartier Wildeshauser Straße“ – Fortschreibung des Rahmenplans", 2, to_rat=True, department="FB 3"),
    Topic(PaperType.BESCHLUSSVORLAGE, "BPU", "Vergabe der Bauleistungen für den Ausbau der Parkstraße", 2, public=False, department="FB 3"),
    Topic(PaperType.BESCHLUSSVORLAGE, "FinA", "Haushaltssatzung und Haushaltsplan 2023", 3, to_rat=True, department="FB 1"),
    Topic(PaperType.AENDERUNGSANTRAG, "FinA", "Änderungsantrag der Gruppe Grüne – KA – Linke zum Haushaltsplan 2023: Mittel für Schulsozialarbeit", 3, originator="Grüne/KA/Linke", department="FB 1", extra={"parent": "Haushaltssatzung und Haushaltsplan 2023"}),
    Topic(PaperType.AENDERUNGSANTRAG, "FinA", "Änderungsantrag der CDU-Fraktion zum Haushaltsplan 2023: Sanierung der Sportplätze", 3, originator="CDU", department="FB 1", extra={"parent": "Haushaltssatzung und Haushaltsplan 2023"}),
    Topic(PaperType.ANFRAGE, "SchulA", "Anfrage der SPD-Fraktion zur Schulwegsicherheit an der Grundschule Ahlhorn", 3, originator="SPD", department="FB 4"),
    Topic(PaperType.ANTWORT, "SchulA", "Antwort auf die Anfrage der SPD-Fraktion zur Schulwegsicherheit an der Grundschule Ahlhorn", 4, department="FB 4", extra={"question": "Anfrage der SPD-Fraktion zur Schulwegsicherheit an der Grundschule Ahlhorn"}),
    Topic(PaperType.BESCHLUSSVORLAGE, "SchulA", "Ausstattung der Grundschulen mit digitalen Tafeln (DigitalPakt Schule)", 4, department="FB 4"),
    Topic(PaperType.ANTRAG, "BPU", "Antrag der CDU-Fraktion auf Aufstellung von Geschwindigkeitsanzeigetafeln in den Ortsdurchfahrten", 4, originator="CDU", department="FB 2"),
    Topic(PaperType.BESCHLUSSVORLAGE, "JOS", "Zuschuss an den Tafel e. V. Ahlhorn für die Jahre 2023 bis 2025", 4),
    Topic(PaperType.BESCHLUSSVORLAGE, "JOS", "Gewährung einer Unterstützung im Einzelfall (Unterkunft Am Wasserturm)", 5, public=False),
    Topic(PaperType.BESCHLUSSVORLAGE, "BPU", "52. Änderung des Flächennutzungsplans „Photovoltaik-Freiflächenanlage Bakenhus“", 5, to_rat=True, department="FB 3"),
    Topic(PaperType.ANTRAG, "BPU", "Antrag der Gruppe Grüne – KA – Linke auf Erstellung eines Radverkehrskonzeptes", 5, originator="Grüne/KA/Linke", department="FB 3", result=AgendaItemResult.ABGELEHNT),
    Topic(PaperType.DRINGLICHKEITSVORLAGE, "VA", "Dringliche Beschaffung eines Hilfeleistungslöschfahrzeugs für die Ortsfeuerwehr Ahlhorn", 5),
    Topic(PaperType.MITTEILUNGSVORLAGE, "OR Ahlhorn", "Gestaltung des Dorfplatzes Ahlhorn – Ergebnisse der Bürgerbeteiligung", 6, department="FB 3"),
    Topic(PaperType.BESCHLUSSVORLAGE, "FinA", "Jahresabschluss 2021 und Entlastung des Bürgermeisters", 6, to_rat=True, department="FB 1"),
    Topic(PaperType.BESCHLUSSVORLAGE, "SchulA", "Schulentwicklungsplanung 2023–2028", 7, to_rat=True, department="FB 4"),
    Topic(PaperType.BESCHLUSSVORLAGE, "FinA", "Verkauf einer Teilfläche im Gewerbegebiet Ahlhorn-Süd", 7, public=False, department="FB 1"),
    Topic(PaperType.ANTRAG, "JOS", "Antrag der FDP-Fraktion auf Einführung einer digitalen Bürgerbeteiligungsplattform", 7, originator="FDP", department="FB 1", result=AgendaItemResult.VERTAGT),
    Topic(PaperType.INFORMATIONSVORLAGE, "BPU", "Kommunale Wärmeplanung – Zeitplan und Förderung", 8, department="FB 3"),
    Topic(PaperType.ANFRAGE, "JOS", "Anfrage der Gruppe Grüne – KA – Linke zur Belegung der Obdachlosenunterkünfte", 8, originator="Grüne/KA/Linke"),
    Topic(PaperType.ANTWORT, "JOS", "Antwort auf die Anfrage der Gruppe Grüne – KA – Linke zur Belegung der Obdachlosenunterkünfte", 9, extra={"question": "Anfrage der Gruppe Grüne – KA – Linke zur Belegung der Obdachlosenunterkünfte"}),
    Topic(PaperType.BESCHLUSSVORLAGE, "BPU", "Bebauungsplan Nr. 215 „Wohngebiet Am Bahnhof“, Ahlhorn – Satzungsbeschluss", 9, to_rat=True, department="FB 3"),
    Topic(PaperType.BESCHLUSSVORLAGE, "JOS", "Neufassung der Satzung über die Benutzung der Spielplätze", 9, to_rat=True),
    Topic(PaperType.MITTEILUNGSVORLAGE, "FinA", "Bericht über den Stand der Haushaltsausführung zum 30.06.2023", 10, department="FB 1"),
    Topic(PaperType.BESCHLUSSVORLAGE, "SchulA", "Ganztagsbetreuung an der Grundschule Ahlhorn ab dem Schuljahr 2024/2025", 10, department="FB 4"),
    Topic(PaperType.BESCHLUSSVORLAGE, "VA", "Personalangelegenheit: Stellenbesetzung in der Kämmerei", 10, public=False, department="FB 1"),
    Topic(PaperType.MITTEILUNGSVORLAGE, "OR Ahlhorn", "Weihnachtsbeleuchtung in der Ortsmitte Ahlhorn", 11, department="FB 3"),
]

# Vorlagen for the upcoming meetings (dated relative to today).
UPCOMING_TOPICS = [
    Topic(PaperType.BESCHLUSSVORLAGE, "FinA", "Haushaltssatzung und Haushaltsplan {year}", 0, to_rat=True, department="FB 1"),
    Topic(PaperType.BESCHLUSSVORLAGE, "JOS", "Fortschreibung des Maßnahmenplans „Sozialer Zusammenhalt“ Ahlhorn", 0, department="FB 3"),
    Topic(PaperType.MITTEILUNGSVORLAGE, "JOS", "Bericht der Gleichstellungsbeauftragten", 0),
    Topic(PaperType.BESCHLUSSVORLAGE, "BPU", "Bebauungsplan Nr. 221 „Gewerbegebiet Huntlosen-Nord“ – Aufstellungsbeschluss", 0, department="FB 3"),
    Topic(PaperType.ANTRAG, "SchulA", "Antrag der Gruppe Grüne – KA – Linke auf Ausweitung der Schulsozialarbeit", 0, originator="Grüne/KA/Linke", department="FB 4"),
    Topic(PaperType.BESCHLUSSVORLAGE, "OR Ahlhorn", "Verwendung der Verfügungsmittel des Ortsrates Ahlhorn {year}", 0, department="FB 1"),
    Topic(PaperType.BESCHLUSSVORLAGE, "VA", "Grundstücksangelegenheit: Ankauf einer Fläche an der Wildeshauser Straße", 0, public=False, department="FB 3"),
]

TYPE_PREFIX: dict[str, str] = {
    PaperType.BESCHLUSSVORLAGE: "BV",
    PaperType.MITTEILUNGSVORLAGE: "MV",
    PaperType.INFORMATIONSVORLAGE: "IV",
    PaperType.ANTRAG: "AN",
    PaperType.AENDERUNGSANTRAG: "ÄA",
    PaperType.ANFRAGE: "AF",
    PaperType.ANTWORT: "AF",
    PaperType.DRINGLICHKEITSVORLAGE: "DV",
}


UMLAUTS = str.maketrans({"ü": "ue", "ö": "oe", "ä": "ae", "ß": "ss"})


def term_label(day: date) -> str:
    """Name of the Wahlperiode a day falls in (terms start on 1 November every five years)."""
    start_year = day.year if day >= date(day.year, 11, 1) else day.year - 1
    start_year -= (start_year - 2021) % 5
    return f"{start_year}-{start_year + 5}"


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


class _Builder:
    def __init__(self, today: date) -> None:
        self.rng = random.Random(RANDOM_SEED)
        self.today = today
        self.orgs: dict[str, Organization] = {}
        self.members: dict[str, list[Person]] = {}
        self.person_group: dict[int, Organization] = {}
        self.schedules: dict[str, list[date]] = {}
        self.meetings: dict[tuple[str, date], Meeting] = {}
        self.agenda: dict[int, list[tuple[Paper, Consultation]]] = {}
        self.counters: dict[tuple[str, str], int] = {}
        self.papers_by_title: dict[str, Paper] = {}
        self.pending_memberships: list[Membership] = []  # written in bulk

    # -- structure ----------------------------------------------------------------------------
    def structure(self) -> Body:
        rathaus = Location.objects.create(
            description="Rathaus Großenkneten",
            street_address="Markt 1",
            postal_code="26197",
            locality="Großenkneten",
            geojson={"type": "Point", "coordinates": [8.2576, 52.9436]},
        )
        self.saal = Location.objects.create(
            description="Rathaus Großenkneten", room="Sitzungssaal", street_address="Markt 1",
            postal_code="26197", locality="Großenkneten",
            geojson={"type": "Point", "coordinates": [8.2576, 52.9436]},
        )
        self.ahlhorn = Location.objects.create(
            description="Bürgerhaus Ahlhorn", room="Großer Saal", street_address="Katharinenstraße 3",
            postal_code="26197", sub_locality="Ahlhorn", locality="Großenkneten",
            geojson={"type": "Point", "coordinates": [8.2302, 52.9015]},
        )
        body = Body.objects.create(
            name="Gemeinde Großenkneten",
            short_name="Großenkneten",
            ags="03458008",
            rgs="034580008008",
            website="https://www.grossenkneten.de/",
            license="https://creativecommons.org/licenses/by/4.0/",
            contact_email="ratsbuero@grossenkneten.example",
            contact_name="Sitzungsdienst der Gemeinde Großenkneten",
            location=rathaus,
        )
        self.body = body
        for name, start, end in [
            ("2016-2021", date(2016, 11, 1), date(2021, 10, 31)),
            ("2021-2026", date(2021, 11, 1), date(2026, 10, 31)),
            ("2026-2031", date(2026, 11, 1), date(2031, 10, 31)),
        ]:
            LegislativeTerm.objects.create(body=body, name=f"Wahlperiode {name}", start_date=start, end_date=end)

        verwaltung = self._org("Gemeindeverwaltung Großenkneten", "Verwaltung", OrganizationKind.VERWALTUNG, rathaus)
        for name, short, given, family, gender in FACHBEREICHE:
            fb = self._org(name, short, OrganizationKind.FACHBEREICH, rathaus, parent=verwaltung)
            head = self._person(given, family, gender)
            self._member(person=head, organization=fb, role="Fachbereichsleitung", start_date=date(2019, 1, 1))
        for name, short, kind, *_ in COMMITTEES:
            location = self.ahlhorn if kind == OrganizationKind.ORTSRAT else self.saal
            self._org(name, short, kind, location, classification=kind.label)
        self.orgs["Rat"].posts = ["Ratsvorsitzende/r", "stellv. Ratsvorsitzende/r", "Bürgermeister/in"]
        self.orgs["Rat"].save()

        self.mayor = self._person("Jens", "Hollmann", "m", status=["Bürgermeister"])
        for short, role in [("Rat", "Bürgermeister"), ("VA", "Vorsitzender"), ("Verwaltung", "Bürgermeister")]:
            self._member(person=self.mayor, organization=self.orgs[short], role=role, start_date=TERM_START)

        for name, short, kind, people in GROUPS:
            group = self._org(name, short, kind, None)
            persons = []
            for index, (given, family, gender) in enumerate(people):
                person = self._person(given, family, gender, status=["Ratsfrau" if gender == "w" else "Ratsherr"])
                persons.append(person)
                self.person_group[person.pk] = group
                self._member(
                    person=person, organization=group, start_date=TERM_START,
                    role="Vorsitzende" if index == 0 and gender == "w" else "Vorsitzender" if index == 0 else "Mitglied",
                )
                self._member(
                    person=person, organization=self.orgs["Rat"], on_behalf_of=group, start_date=TERM_START,
                    role="Ratsfrau" if gender == "w" else "Ratsherr",
                )
            self.members[short] = persons
        # A few memberships of the previous term, so people pages show history.
        for person in self.members["CDU"][:4] + self.members["SPD"][:3]:
            self._member(
                person=person, organization=self.orgs["Rat"], on_behalf_of=self.person_group[person.pk],
                role="Ratsfrau" if person.gender == "w" else "Ratsherr",
                start_date=date(2016, 11, 1), end_date=date(2021, 10, 31),
            )
        chair = next(
            m for m in self.pending_memberships
            if m.person == self.members["CDU"][0] and m.organization == self.orgs["Rat"] and m.end_date is None
        )
        chair.role = "Ratsvorsitzender"

        # Seats by strength (d'Hondt-like, fixed): VA has 10 Beigeordnete, Fachausschüsse 9 members.
        self._committee("VA", {"CDU": 4, "SPD": 3, "Grüne/KA/Linke": 2, "FDP": 1}, role="Beigeordnete/r", offset=1)
        for index, short in enumerate(["JOS", "BPU", "FinA", "SchulA"]):
            self._committee(short, {"CDU": 4, "SPD": 3, "Grüne/KA/Linke": 1, "FDP": 1}, offset=index * 2 + 2)
        self._committee("OR Ahlhorn", {"CDU": 3, "SPD": 2, "Grüne/KA/Linke": 1, "UWG": 1}, offset=5)
        self._demo_personas()
        self._continue_into_next_term()
        bulk_create_with_history(self.pending_memberships, Membership, batch_size=500)
        return body

    def _demo_personas(self) -> None:
        """Seats and people the demo accounts stand for (see DEMO_USERS)."""
        maren, _tobias, leonie = self.members["Grüne/KA/Linke"][:3]
        # The Ratsfrau sits in the Rat and the JOS, not in the VA; Leonie Janßen takes the Ortsrat seat.
        for membership in self.pending_memberships:
            if membership.organization in (self.orgs["JOS"], self.orgs["OR Ahlhorn"]):
                if membership.person == leonie:
                    membership.person = maren
                elif membership.person == maren:
                    membership.person = leonie
        added = self._person("Gisela", "Brand", "w", status=["hinzugewähltes Mitglied"])
        self.members["hinzugewaehlt"] = [added]
        self._member(
            person=added, organization=self.orgs["JOS"], role="hinzugewähltes Mitglied (§ 71 Abs. 7 NKomVG)",
            voting_right=False, start_date=TERM_START,
        )
        staff = [
            ("sitzungsdienst", "Sabine", "Ratsbüro", "w", "FB 1", "Sitzungsdienst"),
            ("sachbearbeitung", "Nils", "Behrens", "m", "FB 2", "Sachbearbeitung"),
            ("kaemmerei", "Heike", "Oltmanns", "w", "FB 1", "Sachbearbeitung Kämmerei"),
        ]
        for key, given, family, gender, department, role in staff:
            person = self._person(given, family, gender)
            self.members[key] = [person]
            self._member(person=person, organization=self.orgs[department], role=role, start_date=date(2019, 1, 1))
        self.members["quartiersmanagement"] = [self._person("Lena", "Hartmann", "w", status=["Quartiersmanagerin"])]

    def _continue_into_next_term(self) -> None:
        """Memberships of the 2021-2026 term end with it; the re-elected members continue from 1 Nov 2026."""
        for membership in list(self.pending_memberships):
            if membership.start_date == TERM_START and membership.end_date is None:
                membership.end_date = TERM_END
                self._member(
                    person=membership.person, organization=membership.organization, role=membership.role,
                    voting_right=membership.voting_right, deputy=membership.deputy,
                    on_behalf_of=membership.on_behalf_of, start_date=NEXT_TERM_START,
                )

    def _member(self, **fields: object) -> None:
        self.pending_memberships.append(Membership(**fields))

    def _org(self, name: str, short: str, kind: str, location: Location | None, **extra: object) -> Organization:
        org = Organization.objects.create(
            body=self.body, name=name, short_name=short, kind=kind, location=location,
            start_date=TERM_START if kind in (OrganizationKind.FRAKTION, OrganizationKind.GRUPPE) else None,
            **extra,
        )
        self.orgs[short] = org
        return org

    def _person(self, given: str, family: str, gender: str, status: list[str] | None = None) -> Person:
        slug_mail = f"{given}.{family}".lower().translate(UMLAUTS)
        return Person.objects.create(
            body=self.body, given_name=given, family_name=family, gender="weiblich" if gender == "w" else "männlich",
            form_of_address="Frau" if gender == "w" else "Herr", status=status or [],
            email=[f"{slug_mail}@rat.grossenkneten.example"], location=None,
        )

    def _committee(self, short: str, seats: dict[str, int], role: str = "Mitglied", offset: int = 0) -> None:
        org = self.orgs[short]
        members: list[Person] = []
        for group_short, count in seats.items():
            pool = self.members[group_short]
            start = offset % len(pool)
            members += [pool[(start + i) % len(pool)] for i in range(count)]
        for index, person in enumerate(members):
            member_role = role
            if short != "VA" and index == 0:
                member_role = "Vorsitzende" if person.gender == "weiblich" else "Vorsitzender"
            elif short != "VA" and index == len(seats):
                member_role = "stellv. Vorsitzende" if person.gender == "weiblich" else "stellv. Vorsitzender"
            self._member(
                person=person, organization=org, role=member_role, voting_right=True,
                on_behalf_of=self.person_group[person.pk], start_date=TERM_START,
            )
        # Grundmandat: a Fraktion without a seat sends a member without voting right (§ 71 Abs. 4 NKomVG).
        seated = set(seats)
        for group_short in ("UWG", "FDP"):
            if group_short not in seated:
                person = self.members[group_short][offset % 2]
                self._member(
                    person=person, organization=org, role="Grundmandat", voting_right=False,
                    on_behalf_of=self.person_group[person.pk], start_date=TERM_START,
                )
                break
        self.members[f"committee:{short}"] = members

    # -- meetings -----------------------------------------------------------------------------
    def schedule(self) -> None:
        """Meeting dates for the demo year; the seed's two dates are fixed."""
        fixed = {"JOS": [date(2022, 10, 6)], "VA": [date(2022, 10, 13)]}
        for _name, short, _kind, weeks, weekday, _hour in COMMITTEES:
            first = YEAR_START + timedelta(days=(weekday - YEAR_START.weekday()) % 7 + 7 * (len(short) % 3))
            dates = list(fixed.get(short, []))
            day = first
            while day <= YEAR_END:
                if all(abs((day - f).days) > 14 for f in dates) and not _holiday(day):
                    dates.append(day)
                day += timedelta(weeks=weeks)
            self.schedules[short] = sorted(dates)

    def upcoming_schedule(self) -> dict[str, list[date]]:
        """Two upcoming meetings per Gremium within the next ~10 weeks of today."""
        result: dict[str, list[date]] = {}
        for index, (_name, short, _kind, weeks, weekday, _hour) in enumerate(COMMITTEES):
            first = self.today + timedelta(days=(weekday - self.today.weekday()) % 7 + 7 * (index % 3))
            if first == self.today:
                first += timedelta(weeks=1)
            dates = [first, first + timedelta(weeks=min(weeks, 5))]
            # Keep clear of the Christmas and summer breaks: move on by whole weeks.
            for n, day in enumerate(dates):
                while _holiday(day) or (n and day <= dates[n - 1]):
                    day += timedelta(weeks=1)
                dates[n] = day
            result[short] = dates
        return result

    def meeting(self, short: str, day: date, *, cancelled: bool = False) -> Meeting:
        key = (short, day)
        if key in self.meetings:
            return self.meetings[key]
        name, _, _kind, _, _, hour = next(c for c in COMMITTEES if c[1] == short)
        past = day < self.today
        org = self.orgs[short]
        meeting = Meeting.objects.create(
            name=f"{_meeting_number(self, short, day)}. Sitzung des {_genitive(name)}",
            start=_aware(day, hour),
            end=_aware(day, hour + 2, 15) if past else None,
            location=org.location,
            public=org.meetings_public,
            cancelled=cancelled,
            meeting_state=(
                MeetingState.DURCHGEFUEHRT if past and not cancelled
                else MeetingState.EINGELADEN if (day - self.today).days <= 14
                else MeetingState.GEPLANT
            ),
        )
        meeting.organizations.add(org)
        self.meetings[key] = meeting
        self.agenda[meeting.pk] = []
        return meeting

    def next_meeting_date(self, short: str, after: date, schedule: dict[str, list[date]] | None = None) -> date | None:
        dates = (schedule or self.schedules)[short]
        return next((d for d in dates if d > after), None)

    # -- papers -------------------------------------------------------------------------------
    def reference(self, paper_type: str, day: date) -> str:
        prefix = TYPE_PREFIX[paper_type]
        label = term_label(day)
        start = {"BV": 180, "AN": 5, "MV": 60, "IV": 20}.get(prefix, 0) if label == "2021-2026" else 0
        number = self.counters.get((prefix, label), start) + 1
        if (prefix, label, number) in {("BV", "2021-2026", 240), ("AN", "2021-2026", 12)}:
            number += 1  # taken by the seed and its Antrag
        self.counters[(prefix, label)] = number
        return f"{prefix}/{number:04d}/{label}"

    def import_text(self, text: str) -> Paper:
        return apply_vorlage(parse_text(text), self.body).paper


def _holiday(day: date) -> bool:
    # No meetings in the Christmas break or the summer holidays of Lower Saxony.
    return (day.month == 12 and day.day > 18) or (day.month == 1 and day.day < 8) or (
        day.month == 7 and day.day >= 10
    ) or (day.month == 8 and day.day < 15)


def _genitive(name: str) -> str:
    if name.startswith("Rat der"):
        return "Rates der Gemeinde Großenkneten"
    if name.startswith("Ortsrat"):
        return name.replace("Ortsrat", "Ortsrates", 1)
    return name + "es" if name.endswith("ausschuss") else name


def _meeting_number(builder: _Builder, short: str, day: date) -> int:
    # Running number within the Wahlperiode, counted from the schedule (stable, deterministic).
    earlier = [d for d in builder.schedules.get(short, []) if d < day and term_label(d) == term_label(day)]
    # Meetings of the term before the demo year (from 01.11.2021 on) are not in the demo.
    base = {"Rat": 6, "VA": 14, "JOS": 5, "BPU": 6, "FinA": 4, "SchulA": 4, "OR Ahlhorn": 4}[short]
    return (base if term_label(day) == "2021-2026" else 0) + len(earlier) + 1


def _vorlage_text(
    *, paper_type: str, reference: str, public: bool, day: date, title: str,
    steps: list[tuple[str, date | None, str]], sections: list[tuple[str, list[str]]],
    attachments: Sequence[tuple[str, str]] = (),
) -> str:
    lines = ["", "", paper_type, f"Vorlage Nr.: {reference}", "öffentlich" if public else "nichtöffentlich",
             f"{day:%d.%m.%Y}", ""]
    if steps:
        lines.append("Beratungsfolge\tTermin\tZuständigkeit")
        lines += [f"{org}\t{d:%d.%m.%Y}\t{role}" if d else f"{org}\t\t{role}" for org, d, role in steps]
        lines.append("")
    lines += ["Tagesordnungspunkt:", title, ""]
    for heading, paragraphs in sections:
        lines += [f"{heading}:", ""]
        for paragraph in paragraphs:
            lines += [paragraph, ""]
    lines += [f"{file_name} **{attachment_title}**" for file_name, attachment_title in attachments]
    return "\n".join(lines)


def _sections_for(topic: Topic, title: str, rng: random.Random) -> list[tuple[str, list[str]]]:
    department = {
        "FB 1": "Fachbereich Zentrale Dienste und Finanzen",
        "FB 2": "Fachbereich Bürgerservice, Ordnung und Soziales",
        "FB 3": "Fachbereich Planen, Bauen und Umwelt",
        "FB 4": "Fachbereich Bildung, Jugend und Familie",
    }[topic.department]
    subject = title.split(":", 1)[-1].strip()
    matter = title.split(" auf ", 1)[-1] if topic.paper_type == PaperType.ANTRAG else subject
    cost = rng.choice([12_500, 48_000, 85_000, 160_000, 240_000, 415_000])
    if topic.paper_type == PaperType.ANTRAG:
        return [
            ("Antrag", [f"Die Verwaltung wird beauftragt, die {matter} zu prüfen und dem zuständigen Fachausschuss bis zum Ende des Jahres zu berichten."]),
            ("Begründung", [
                f"Das Anliegen „{matter}“ ist in den vergangenen Monaten wiederholt von Bürgerinnen und Bürgern an uns herangetragen worden.",
                "Andere Gemeinden im Landkreis Oldenburg haben damit gute Erfahrungen gemacht. Wir bitten um Zustimmung.",
            ]),
        ]
    if topic.paper_type == PaperType.AENDERUNGSANTRAG:
        return [
            ("Antrag", [f"Im Entwurf des Haushaltsplans werden zusätzlich {cost:,} Euro für die Maßnahme „{subject}“ veranschlagt.".replace(",", ".")]),
            ("Begründung", ["Die Maßnahme ist dringend geboten und kann durch Minderaufwendungen an anderer Stelle gedeckt werden."]),
        ]
    if topic.paper_type == PaperType.ANFRAGE:
        return [("Anfrage", [
            f"Wir bitten die Verwaltung um Beantwortung folgender Fragen zum Thema „{subject}“:",
            "1. Wie stellt sich die aktuelle Lage dar?\n2. Welche Maßnahmen sind geplant?\n3. Welche Kosten entstehen der Gemeinde?",
        ])]
    if topic.paper_type == PaperType.ANTWORT:
        return [("Antwort der Verwaltung", [
            "Zu 1.: Die Lage wurde von der Verwaltung gemeinsam mit den Beteiligten vor Ort geprüft; Auffälligkeiten wurden nicht festgestellt.",
            "Zu 2.: Die Verwaltung wird die Entwicklung weiter beobachten und im Fachausschuss berichten.",
            "Zu 3.: Zusätzliche Kosten entstehen derzeit nicht.",
        ])]
    if topic.paper_type in (PaperType.MITTEILUNGSVORLAGE, PaperType.INFORMATIONSVORLAGE):
        return [("Sachverhalt", [
            f"Der {department} berichtet über „{subject}“.",
            "Die Einzelheiten sind der Anlage zu entnehmen. Die Verwaltung wird in der Sitzung ergänzend berichten.",
        ])]
    decision_heading = rng.choice(["Beschlussvorschlag", "Beschlussempfehlung"])
    reasoning_heading = rng.choice(["Sach- und Rechtslage", "Begründung"])
    reasoning = [
        f"Der {department} hat die Angelegenheit „{subject}“ vorbereitet. Die rechtlichen Voraussetzungen liegen vor.",
        # Two paragraphs a page break split, as the municipality's export produces them.
        "Die Verwaltung hat dazu mehrere Varianten untersucht und mit den Beteiligten abgestimmt. Im Ergebnis wird die",
        "nachfolgend beschriebene Lösung empfohlen, weil sie wirtschaftlich ist und zügig umgesetzt werden kann.",
    ]
    result: list[tuple[str, list[str]]] = [
        (decision_heading, [f"Der Angelegenheit „{subject}“ wird entsprechend der Vorlage der Verwaltung zugestimmt."]),
        (reasoning_heading, reasoning),
    ]
    if rng.random() < 0.7:
        result.append(("Finanzielle Auswirkungen", [
            f"Die Kosten betragen voraussichtlich {cost:,} Euro. Haushaltsmittel stehen im Teilhaushalt des Fachbereichs zur Verfügung.".replace(",", "."),
        ]))
    return result


def _steps_for(builder: _Builder, topic: Topic, paper_day: date, schedule: dict[str, list[date]]) -> list[tuple[str, date | None, str]]:
    """The Beratungsfolge: Fachausschuss (Vorberatung) → VA (Entscheidung, or Vorberatung) → Rat."""
    if topic.paper_type in (PaperType.ANFRAGE, PaperType.ANTWORT, PaperType.MITTEILUNGSVORLAGE, PaperType.INFORMATIONSVORLAGE):
        first = builder.next_meeting_date(topic.committee, paper_day, schedule)
        return [(builder.orgs[topic.committee].name, first, "Kenntnisnahme")]
    steps: list[tuple[str, date | None, str]] = []
    day = paper_day
    if topic.committee not in ("VA", "Rat"):
        found = builder.next_meeting_date(topic.committee, day, schedule)
        steps.append((builder.orgs[topic.committee].name, found, "Vorberatung"))
        day = found or day
    va_day = builder.next_meeting_date("VA", day, schedule)
    steps.append(("Verwaltungsausschuss", va_day, "Vorberatung" if topic.to_rat else "Entscheidung"))
    if topic.to_rat:
        rat_day = builder.next_meeting_date("Rat", va_day or day, schedule)
        steps.append((builder.orgs["Rat"].name, rat_day, "Entscheidung"))
    return steps


@transaction.atomic
def build_demo(today: date | None = None) -> Body:
    """Build the demo municipality into the current (empty, migrated) database."""
    today = today or timezone.localdate()
    builder = _Builder(today)
    body = builder.structure()
    builder.schedule()
    _users(builder)
    seed, _antrag = _seed_case(builder)
    _demo_year(builder)
    _upcoming(builder)
    _agendas(builder, seed)
    from ratsinfo.corpus.demo_meetings import record_demo_meetings

    record_demo_meetings(seed)
    from ratsinfo.measures.demo import build_measures_demo

    build_measures_demo(body)
    from ratsinfo.corpus.demo_places import place_demo_papers

    place_demo_papers(body)  # after the Maßnahmenplan demo: it creates the Quartier's places
    from ratsinfo.portal.demo import build_legal_demo, build_profiles_demo

    build_legal_demo(body)
    build_profiles_demo(body)
    # The agendas were bulk-written (no save()): note what the public sees as having been public.
    AgendaItem.objects.mark_ever_public()
    File.objects.mark_ever_public()
    from ratsinfo.corpus.demo_documents import attach_demo_documents

    attach_demo_documents(body)  # a real PDF behind every file record
    from ratsinfo.meetings.tasks import finish_pending_documents

    finish_pending_documents()  # `ratsinfo demo` returns with no document left pending
    return body


def _users(builder: _Builder) -> None:
    """One account per role, each with the person behind it (the roles come from a data migration)."""
    persons = {
        "sitzungsdienst": builder.members["sitzungsdienst"][0],
        "sachbearbeitung": builder.members["sachbearbeitung"][0],
        "kaemmerei": builder.members["kaemmerei"][0],
        "buergermeister": builder.mayor,
        "ratsfrau": builder.members["Grüne/KA/Linke"][0],
        "ratsherr": builder.members["Grüne/KA/Linke"][1],
        "hinzugewaehlt": builder.members["hinzugewaehlt"][0],
        "quartiersmanagement": builder.members["quartiersmanagement"][0],
    }
    for demo_user in DEMO_USERS:
        person = persons[demo_user.username]
        role = DEMO_ROLES[demo_user.username]
        user = User.objects.create_user(
            demo_user.username, password=demo_user.password, first_name=person.given_name,
            last_name=person.family_name, email=f"{demo_user.username}@grossenkneten.example",
            is_staff=role in STAFF_ROLES,
        )
        user.groups.add(Group.objects.get(name=role))
        person.user = user
        person.save(update_fields=["user"])
        mark_demo_account(user)  # printed passwords: no second factor, a visible "Demo-Konto" banner


def _seed_case(builder: _Builder) -> tuple[Paper, Paper]:
    """The real case: the group's Antrag of 02.06.2022 and BV/0240/2021-2026 answering it."""
    body, group = builder.body, builder.orgs["Grüne/KA/Linke"]
    antrag_title = "Antrag der Gruppe Grüne – KA – Linke auf Erstellung eines Integrationskonzeptes"
    antrag = builder.import_text(_vorlage_text(
        paper_type=PaperType.ANTRAG, reference=ANTRAG_REFERENCE, public=True, day=date(2022, 6, 2),
        title=antrag_title, steps=[],
        sections=[
            ("Antrag", [
                "Die Verwaltung wird beauftragt, über einen externen Anbieter ein Integrationskonzept für die Gemeinde "
                "Großenkneten erstellen zu lassen. Hierfür sind Angebote einzuholen und der Auftrag ist zu vergeben.",
            ]),
            ("Begründung", [
                "Im Ortsteil Ahlhorn leben Menschen aus über 60 Nationen. Die Integrationsarbeit wird bisher von vielen "
                "Trägern und Ehrenamtlichen geleistet, aber nicht zusammengeführt.",
                "Ein Integrationskonzept schafft eine gemeinsame Grundlage mit Zielen, Maßnahmen und Zuständigkeiten "
                "und macht die Arbeit überprüfbar.",
            ]),
        ],
    ))
    antrag.originator_organizations.add(group)
    antrag.originator_persons.add(*builder.members["Grüne/KA/Linke"][:3])
    antrag.under_direction_of.add(builder.orgs["FB 2"])

    seed = _seed_through_workflow(builder, antrag)

    # The seed's attachment is the group's Antrag letter: give the placeholder its text, and the
    # Antrag its own main file with the same letter.
    letter = "\n\n".join(s.text for s in antrag.sections.order_by("order"))
    attachment = seed.files.get()
    attachment.mime_type = "application/pdf"
    attachment.date = date(2022, 6, 2)
    attachment.text = f"{antrag_title}\n\n{letter}"
    attachment.save()
    File.objects.create(
        body=body, paper=antrag, role=FileRole.MAIN, file_name="Antrag Gruppe Erstellung Integrationskonzept.pdf",
        name="Antrag der Gruppe Grüne – KA – Linke vom 02.06.2022", mime_type="application/pdf",
        date=date(2022, 6, 2), text=attachment.text,
    )
    builder.papers_by_title[antrag_title] = antrag
    for consultation in seed.consultations.select_related("organization"):
        assert consultation.organization is not None and consultation.planned_date is not None
        meeting = builder.meeting(consultation.organization.short_name, consultation.planned_date)
        builder.agenda[meeting.pk].append((seed, consultation))
    # The Antrag itself came to the committee through the Vorlage; it has no own Beratungsfolge.
    return seed, antrag


def _seed_through_workflow(builder: _Builder, antrag: Paper) -> Paper:
    """BV/0240/2021-2026 as the office made it, through the services: drafted by Fachbereich 2,
    co-signed by the Kämmerei, released (and so numbered) by the Bürgermeister, routed committee →
    VA; then the published text is recorded as imported, which leaves the Vorlage as the seed has it."""
    from ratsinfo.papers import numbering, workflow

    body, parsed = builder.body, parse_bytes(SEED_PATH.read_bytes())
    staff = {u.username: u for u in User.objects.filter(username__in=("sachbearbeitung", "kaemmerei", "buergermeister"))}
    author = staff["sachbearbeitung"]
    term = numbering.term_on(body, parsed.date)
    numbering.take_over_counter(body, parsed.paper_type, term, 239)  # numbers given before this Vorlage
    paper = workflow.create_draft(
        author, body, parsed.paper_type, parsed.name, department=builder.orgs["FB 2"],
        originators=[builder.orgs["Verwaltung"]], related=[antrag], public=parsed.public, day=parsed.date,
        sections=[(section.heading, section.text) for section in parsed.sections],
    )
    by_name = {org.name: org for org in builder.orgs.values()}
    steps = [workflow.Step(by_name[step.organization], step.role) for step in parsed.consultations]
    paper = workflow.plan_consultations(paper, author, steps)
    paper = workflow.send_for_cosigning(paper, author, departments=[builder.orgs["FB 1"]],
                                        comment="Finanzielle Auswirkungen bitte prüfen")
    workflow.sign(paper, staff["kaemmerei"], comment="Keine Haushaltsmittel berührt")
    paper = workflow.release(paper, staff["buergermeister"])
    assert paper.reference == parsed.reference
    seed = apply_vorlage(parsed, body).paper  # planned dates and the Anlage as published
    workflow.record_imported(seed, source="Vorlagentext (veröffentlichte Fassung)")
    # The steps happened in September 2022, not when the demo is built.
    for day, event in zip((12, 13, 14, 15, 19, 21, 23, 23), seed.events.order_by("pk"), strict=False):
        event.at = datetime.combine(date(2022, 9, day), time(10, 0), tzinfo=BERLIN)
        event.save(update_fields=["at"])
    return seed


def _make_paper(builder: _Builder, topic: Topic, paper_day: date, schedule: dict[str, list[date]], title: str) -> Paper:
    if topic.paper_type == PaperType.ANTWORT:
        # The answer carries the question's number with a suffix: AF/0003/2021-2026 -> AF/0003-1/2021-2026.
        prefix, number, label = builder.papers_by_title[topic.extra["question"]].reference.split("/")
        reference = f"{prefix}/{number}-1/{label}"
    else:
        reference = builder.reference(topic.paper_type, paper_day)
    steps = _steps_for(builder, topic, paper_day, schedule)
    attachments = []
    if topic.paper_type in (PaperType.BESCHLUSSVORLAGE, PaperType.MITTEILUNGSVORLAGE) and builder.rng.random() < 0.6:
        attachments.append((f"Anlage 1 {title.split(' – ')[0][:40].strip()}", "Übersichtsplan" if topic.committee == "BPU" else "Anlage 1"))
        if builder.rng.random() < 0.4:
            attachments.append(("Anlage 2 Kostenschätzung", "Kostenschätzung"))
    paper = builder.import_text(_vorlage_text(
        paper_type=topic.paper_type, reference=reference, public=topic.public, day=paper_day, title=title,
        steps=steps, sections=_sections_for(topic, title, builder.rng), attachments=attachments,
    ))
    paper.under_direction_of.add(builder.orgs[topic.department])
    if topic.originator:
        group = builder.orgs[topic.originator]
        paper.originator_organizations.add(group)
        paper.originator_persons.add(builder.members[topic.originator][0])
    else:
        paper.originator_organizations.add(builder.orgs["Verwaltung"])
    if "parent" in topic.extra:
        paper.superordinated_papers.add(builder.papers_by_title[topic.extra["parent"]])
    if "question" in topic.extra:
        question = builder.papers_by_title[topic.extra["question"]]
        paper.superordinated_papers.add(question)
        paper.related_papers.add(question)
    text = "\n\n".join(f"{s.heading}\n\n{s.text}" for s in paper.sections.order_by("order"))
    File.objects.create(
        body=builder.body, paper=paper, role=FileRole.MAIN, public=paper.public, mime_type="application/pdf",
        file_name=f"{paper.slug}.pdf", name=f"{paper.paper_type} {paper.reference}", date=paper_day,
        text=f"{paper.paper_type} {paper.reference}\n{title}\n\n{text}",
    )
    for file in paper.files.filter(role=FileRole.AUXILIARY):
        file.mime_type = "application/pdf"
        file.text = f"{file.name} zur Vorlage {paper.reference}: {title}"
        file.save()
    builder.papers_by_title[title] = paper
    for consultation in paper.consultations.select_related("organization"):
        if consultation.planned_date and consultation.organization:
            meeting = builder.meeting(consultation.organization.short_name, consultation.planned_date)
            builder.agenda[meeting.pk].append((paper, consultation))
    paper._demo_topic = topic  # type: ignore[attr-defined]
    return paper


def _demo_year(builder: _Builder) -> None:
    for topic in TOPICS:
        month_start = date(YEAR_START.year + (YEAR_START.month + topic.month - 1) // 12,
                           (YEAR_START.month + topic.month - 1) % 12 + 1, 1)
        paper_day = month_start + timedelta(days=builder.rng.randint(2, 20))
        _make_paper(builder, topic, paper_day, builder.schedules, topic.title)
    # Every scheduled meeting of the year takes place, with or without Vorlagen.
    for short, dates in builder.schedules.items():
        for day in dates:
            builder.meeting(short, day)


def _upcoming(builder: _Builder) -> None:
    schedule = builder.upcoming_schedule()
    for short, dates in schedule.items():
        builder.schedules[short] = sorted({*builder.schedules[short], *dates})
    year = builder.today.year + 1
    for topic in UPCOMING_TOPICS:
        paper_day = builder.today - timedelta(days=builder.rng.randint(3, 12))
        _make_paper(builder, topic, paper_day, schedule, topic.title.format(year=year))
    for short, dates in schedule.items():
        for n, day in enumerate(dates):
            # One upcoming meeting is called off (the Ortsrat's second one).
            builder.meeting(short, day, cancelled=(short == "OR Ahlhorn" and n == 1))


def _agendas(builder: _Builder, seed: Paper) -> None:
    """Agenda, results, minutes and invitations of every meeting (written in bulk: ~600 items)."""
    rng = builder.rng
    previous: dict[str, date] = {}
    all_items: list[AgendaItem] = []
    links: list[tuple[Consultation, AgendaItem]] = []
    files: list[File] = []
    minutes: list[tuple[Meeting, Organization, date, list[AgendaItem]]] = []
    for (short, day), meeting in sorted(builder.meetings.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        org = builder.orgs[short]
        past = day < builder.today and not meeting.cancelled
        items: list[dict[str, object]] = []
        opening = [
            text.format(previous=f"{previous[short]:%d.%m.%Y}") if "{previous}" in text else text
            for text in OPENING_ITEMS
            if "{previous}" not in text or short in previous
        ]
        if not org.meetings_public:
            opening = [t for t in opening if t != "Einwohnerfragestunde"]
        for text in opening:
            items.append({"name": text, "public": org.meetings_public})
        papers = builder.agenda.get(meeting.pk, [])
        for listed_paper, listed_consultation in papers:
            items.append({"name": listed_paper.name, "public": org.meetings_public and listed_paper.public,
                          "paper": listed_paper, "consultation": listed_consultation})
        if org.meetings_public:
            items += [{"name": t, "public": True} for t in CLOSING_PUBLIC[: 1 + (day.month % 2)]]
            for text in [*rng.sample(NONPUBLIC_FILLERS[:3], 1), "Anfragen und Anregungen"]:
                items.append({"name": text, "public": False})
        else:
            items.append({"name": "Anfragen und Anregungen", "public": False})
        # Public part first, then the non-public part; numbered Ö n / N n.
        items.sort(key=lambda i: not i["public"])
        numbers = agenda_numbers([Slot(public=bool(i["public"])) for i in items])  # the one agenda numbering
        meeting_items: list[AgendaItem] = []
        for order, (item, number) in enumerate(zip(items, numbers, strict=True), start=1):
            public = bool(item["public"])
            agenda_item = AgendaItem(
                meeting=meeting, order=order, number=number, name=str(item["name"]), public=public,
            )
            paper, consultation = item.get("paper"), item.get("consultation")
            if past and isinstance(paper, Paper) and isinstance(consultation, Consultation):
                _result(agenda_item, paper, consultation, org, seed, rng, builder)
            elif past and agenda_item.name.startswith("Genehmigung der Niederschrift"):
                agenda_item.result = AgendaItemResult.EINSTIMMIG
            meeting_items.append(agenda_item)
            if isinstance(consultation, Consultation):
                links.append((consultation, agenda_item))
        all_items += meeting_items
        if past:
            members = builder.members.get(f"committee:{short}")
            if short == "Rat":
                members = [p for group in GROUPS for p in builder.members[group[1]]]
            meeting.participants.add(*(members or []))
            minutes.append((meeting, org, day, meeting_items))
            previous[short] = day
        if not meeting.cancelled:
            files.append(File(
                body=builder.body, meeting=meeting, role=FileRole.INVITATION, mime_type="application/pdf",
                file_name=f"Einladung {org.short_name} {day:%Y-%m-%d}.pdf", name="Einladung",
                date=day - timedelta(days=8), public=True,
                text=f"Einladung zur {meeting.name} am {day:%d.%m.%Y}\n\n"
                + "\n".join(f"{i.number} {i.name}" for i in meeting_items if i.public),
            ))
    bulk_create_with_history(all_items, AgendaItem, batch_size=500)
    for consultation, agenda_item in links:
        consultation.meeting, consultation.agenda_item = agenda_item.meeting, agenda_item
        consultation.save()
    for meeting, org, day, meeting_items in minutes:
        files += _minutes(builder, meeting, org, day, meeting_items)
    bulk_create_with_history(files, File, batch_size=500)


def _result(
    item: AgendaItem, paper: Paper, consultation: Consultation, org: Organization, seed: Paper,
    rng: random.Random, builder: _Builder,
) -> None:
    decision = next((s.text for s in paper.sections.order_by("order") if s.heading.startswith("Beschluss")), "")
    if paper.pk == seed.pk:
        item.resolution_text = decision
        if org.kind == OrganizationKind.VERWALTUNGSAUSSCHUSS:
            item.result = AgendaItemResult.UNGEAENDERT
        else:
            # The recorded result of the real meeting on 06.10.2022.
            item.result = AgendaItemResult.MEHRHEITLICH
            item.votes_yes, item.votes_no, item.votes_abstain = 7, 2, 0
        return
    topic: Topic | None = getattr(paper, "_demo_topic", None)
    if consultation.role == "Kenntnisnahme" or paper.paper_type in (PaperType.MITTEILUNGSVORLAGE, PaperType.INFORMATIONSVORLAGE, PaperType.ANTWORT, PaperType.ANFRAGE):
        item.result = AgendaItemResult.KENNTNIS
        return
    voters = len(builder.members.get(f"committee:{org.short_name}", [])) or (30 if org.kind == OrganizationKind.RAT else 9)
    if org.kind == OrganizationKind.RAT:
        voters += 1  # the Bürgermeister votes in the Rat
    present = voters - rng.randint(0, 2)
    if topic and topic.result == AgendaItemResult.VERTAGT:
        item.result = AgendaItemResult.VERTAGT
        return
    if topic and topic.result == AgendaItemResult.ABGELEHNT:
        no = present // 2 + 2
        item.result, item.votes_yes, item.votes_no, item.votes_abstain = AgendaItemResult.ABGELEHNT, present - no - 1, no, 1
        return
    if rng.random() < 0.6:
        item.result, item.votes_yes, item.votes_no, item.votes_abstain = AgendaItemResult.EINSTIMMIG, present, 0, 0
    else:
        no = rng.randint(1, max(1, present // 3))
        abstain = rng.randint(0, 1)
        item.result = AgendaItemResult.MEHRHEITLICH
        item.votes_yes, item.votes_no, item.votes_abstain = present - no - abstain, no, abstain
    if rng.random() < 0.08:
        item.votes_conflicted = 1
        item.votes_yes = (item.votes_yes or 1) - 1
    item.resolution_text = decision


def _minutes(
    builder: _Builder, meeting: Meeting, org: Organization, day: date, items: list[AgendaItem]
) -> list[File]:
    """Niederschrift as a text-only file: public part public, non-public part separately."""
    def render(items: list[AgendaItem]) -> str:
        lines = [f"Niederschrift über die {meeting.name} am {day:%d.%m.%Y}", ""]
        for item in items:
            lines.append(f"{item.number} {item.name}")
            if item.result:
                votes = f" ({item.vote_summary})" if item.has_votes else ""
                lines.append(f"Ergebnis: {item.result}{votes}")
            if item.resolution_text:
                lines.append(f"Beschluss: {item.resolution_text}")
            lines.append("")
        return "\n".join(lines)

    result = []
    public_items = [i for i in items if i.public]
    nonpublic_items = [i for i in items if not i.public]
    if public_items:
        result.append(File(
            body=builder.body, meeting=meeting, role=FileRole.RESULTS_PROTOCOL, mime_type="application/pdf",
            file_name=f"Niederschrift {org.short_name} {day:%Y-%m-%d}.pdf", name="Niederschrift (öffentlicher Teil)",
            date=day + timedelta(days=10), public=True, text=render(public_items), order=1,
        ))
    if nonpublic_items:
        result.append(File(
            body=builder.body, meeting=meeting, role=FileRole.RESULTS_PROTOCOL, mime_type="application/pdf",
            file_name=f"Niederschrift {org.short_name} {day:%Y-%m-%d} nichtöffentlich.pdf",
            name="Niederschrift (nichtöffentlicher Teil)", date=day + timedelta(days=10), public=False,
            text=render(nonpublic_items), order=2,
        ))
    return result
