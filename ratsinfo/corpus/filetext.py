"""Realistic German text of generated Anlagen (what text extraction would get from the PDFs).

Paragraphs of municipal German composed from a vocabulary of nouns with their inflected forms
(nominative, genitive, plural, dative plural) and sentence templates that use them in every
case, so a search corpus has what real attachments have: the same term in many forms, long
compounds (Sozialträgerkonferenzen, Haushaltssatzung), numbers, dates and references.
Deterministic: everything is drawn from the `rand` passed in (a `random.Random().random`).
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable, Mapping

# gender, nominative singular, genitive singular, nominative plural, dative plural
NOUNS: list[tuple[str, str, str, str, str]] = [
    ("m", "Bebauungsplan", "Bebauungsplans", "Bebauungspläne", "Bebauungsplänen"),
    ("f", "Sozialträgerkonferenz", "Sozialträgerkonferenz", "Sozialträgerkonferenzen", "Sozialträgerkonferenzen"),
    ("f", "Haushaltssatzung", "Haushaltssatzung", "Haushaltssatzungen", "Haushaltssatzungen"),
    ("n", "Integrationskonzept", "Integrationskonzeptes", "Integrationskonzepte", "Integrationskonzepten"),
    ("m", "Flächennutzungsplan", "Flächennutzungsplans", "Flächennutzungspläne", "Flächennutzungsplänen"),
    ("f", "Kindertagesstätte", "Kindertagesstätte", "Kindertagesstätten", "Kindertagesstätten"),
    ("m", "Feuerwehrbedarfsplan", "Feuerwehrbedarfsplanes", "Feuerwehrbedarfspläne", "Feuerwehrbedarfsplänen"),
    ("f", "Straßenausbaubeitragssatzung", "Straßenausbaubeitragssatzung", "Straßenausbaubeitragssatzungen",
     "Straßenausbaubeitragssatzungen"),
    ("n", "Radverkehrskonzept", "Radverkehrskonzepts", "Radverkehrskonzepte", "Radverkehrskonzepten"),
    ("f", "Abwassergebühr", "Abwassergebühr", "Abwassergebühren", "Abwassergebühren"),
    ("m", "Zuwendungsbescheid", "Zuwendungsbescheides", "Zuwendungsbescheide", "Zuwendungsbescheiden"),
    ("f", "Machbarkeitsstudie", "Machbarkeitsstudie", "Machbarkeitsstudien", "Machbarkeitsstudien"),
    ("n", "Gewerbegebiet", "Gewerbegebietes", "Gewerbegebiete", "Gewerbegebieten"),
    ("f", "Grundschule", "Grundschule", "Grundschulen", "Grundschulen"),
    ("m", "Klimaschutzmanager", "Klimaschutzmanagers", "Klimaschutzmanager", "Klimaschutzmanagern"),
    ("f", "Photovoltaikanlage", "Photovoltaikanlage", "Photovoltaikanlagen", "Photovoltaikanlagen"),
    ("n", "Dorfgemeinschaftshaus", "Dorfgemeinschaftshauses", "Dorfgemeinschaftshäuser", "Dorfgemeinschaftshäusern"),
    ("f", "Verkehrsberuhigung", "Verkehrsberuhigung", "Verkehrsberuhigungen", "Verkehrsberuhigungen"),
    ("m", "Jahresabschluss", "Jahresabschlusses", "Jahresabschlüsse", "Jahresabschlüssen"),
    ("f", "Friedhofsgebührensatzung", "Friedhofsgebührensatzung", "Friedhofsgebührensatzungen",
     "Friedhofsgebührensatzungen"),
    ("n", "Förderprogramm", "Förderprogramms", "Förderprogramme", "Förderprogrammen"),
    ("f", "Sanierungsmaßnahme", "Sanierungsmaßnahme", "Sanierungsmaßnahmen", "Sanierungsmaßnahmen"),
    ("m", "Stellenplan", "Stellenplanes", "Stellenpläne", "Stellenplänen"),
    ("f", "Wärmeplanung", "Wärmeplanung", "Wärmeplanungen", "Wärmeplanungen"),
    ("n", "Regenrückhaltebecken", "Regenrückhaltebeckens", "Regenrückhaltebecken", "Regenrückhaltebecken"),
    ("f", "Jugendhilfeplanung", "Jugendhilfeplanung", "Jugendhilfeplanungen", "Jugendhilfeplanungen"),
    ("m", "Schulentwicklungsplan", "Schulentwicklungsplans", "Schulentwicklungspläne", "Schulentwicklungsplänen"),
    ("f", "Bürgerbeteiligung", "Bürgerbeteiligung", "Bürgerbeteiligungen", "Bürgerbeteiligungen"),
    ("n", "Wohnbaugrundstück", "Wohnbaugrundstücks", "Wohnbaugrundstücke", "Wohnbaugrundstücken"),
    ("m", "Investitionszuschuss", "Investitionszuschusses", "Investitionszuschüsse", "Investitionszuschüssen"),
    ("f", "Lärmschutzwand", "Lärmschutzwand", "Lärmschutzwände", "Lärmschutzwänden"),
    ("n", "Quartiersmanagement", "Quartiersmanagements", "Quartiersmanagements", "Quartiersmanagements"),
    ("f", "Kostenschätzung", "Kostenschätzung", "Kostenschätzungen", "Kostenschätzungen"),
    ("m", "Erschließungsvertrag", "Erschließungsvertrages", "Erschließungsverträge", "Erschließungsverträgen"),
    ("f", "Ausgleichsfläche", "Ausgleichsfläche", "Ausgleichsflächen", "Ausgleichsflächen"),
    ("n", "Feuerwehrgerätehaus", "Feuerwehrgerätehauses", "Feuerwehrgerätehäuser", "Feuerwehrgerätehäusern"),
    ("f", "Seniorenbegegnungsstätte", "Seniorenbegegnungsstätte", "Seniorenbegegnungsstätten",
     "Seniorenbegegnungsstätten"),
    ("m", "Maßnahmenplan", "Maßnahmenplans", "Maßnahmenpläne", "Maßnahmenplänen"),
    ("f", "Ganztagsbetreuung", "Ganztagsbetreuung", "Ganztagsbetreuungen", "Ganztagsbetreuungen"),
    ("n", "Gutachten", "Gutachtens", "Gutachten", "Gutachten"),
    ("f", "Stellungnahme", "Stellungnahme", "Stellungnahmen", "Stellungnahmen"),
    ("m", "Haushaltsplan", "Haushaltsplans", "Haushaltspläne", "Haushaltsplänen"),
    ("f", "Breitbandversorgung", "Breitbandversorgung", "Breitbandversorgungen", "Breitbandversorgungen"),
    ("n", "Sportstättenkonzept", "Sportstättenkonzeptes", "Sportstättenkonzepte", "Sportstättenkonzepten"),
    ("f", "Grundsteuerhebesatzung", "Grundsteuerhebesatzung", "Grundsteuerhebesatzungen",
     "Grundsteuerhebesatzungen"),
    ("m", "Spielplatz", "Spielplatzes", "Spielplätze", "Spielplätzen"),
    ("f", "Straßenbeleuchtung", "Straßenbeleuchtung", "Straßenbeleuchtungen", "Straßenbeleuchtungen"),
    ("n", "Verkehrsgutachten", "Verkehrsgutachtens", "Verkehrsgutachten", "Verkehrsgutachten"),
    ("f", "Unterbringung", "Unterbringung", "Unterbringungen", "Unterbringungen"),
    ("m", "Wirtschaftsplan", "Wirtschaftsplanes", "Wirtschaftspläne", "Wirtschaftsplänen"),
]
ARTICLES = {  # gender -> nominative, genitive, dative, accusative (definite)
    "m": ("der", "des", "dem", "den"), "f": ("die", "der", "der", "die"), "n": ("das", "des", "dem", "das"),
}
ADJECTIVES = [
    "vorliegend", "geplant", "aktuell", "städtisch", "kommunal", "überarbeitet", "beschlossen", "ergänzend",
    "vorläufig", "zuständig", "erforderlich", "öffentlich", "bisherig", "künftig", "gemeinsam",
]
VERBS = [  # 3rd person singular, 3rd person plural, participle
    ("prüft", "prüfen", "geprüft"), ("empfiehlt", "empfehlen", "empfohlen"), ("beschließt", "beschließen", "beschlossen"),
    ("berücksichtigt", "berücksichtigen", "berücksichtigt"), ("erläutert", "erläutern", "erläutert"),
    ("ergänzt", "ergänzen", "ergänzt"), ("überarbeitet", "überarbeiten", "überarbeitet"),
    ("bewertet", "bewerten", "bewertet"), ("fördert", "fördern", "gefördert"), ("finanziert", "finanzieren", "finanziert"),
]
ACTORS = [
    "Die Verwaltung", "Der Fachausschuss", "Der Landkreis", "Das Planungsbüro", "Die Kämmerei",
    "Der Ortsrat", "Die Gleichstellungsbeauftragte", "Der Bürgermeister", "Die Arbeitsgruppe",
]
TEMPLATES = [
    "{actor} {v3} {acc_n} im Rahmen {des_m} und legt das Ergebnis {dem_gremium} vor.",
    "Gegenstand {des_n} ist die {adj}e Fortschreibung {des_m} für den Ortsteil {ort}.",
    "Die {pl} wurden zuletzt am {datum} {part}; die Ergebnisse sind in der Anlage dargestellt.",
    "Nach Abschluss {des_n} sind Mittel in Höhe von {betrag} € im Haushaltsjahr {jahr} vorgesehen.",
    "Zu {den_pl} liegen {zahl} Stellungnahmen vor, die in der Abwägung berücksichtigt wurden.",
    "{the_n_cap} ist mit {dem_m} abgestimmt und wird gemäß § {paragraph} NKomVG umgesetzt.",
    "Die Beteiligung der Öffentlichkeit zu {den_pl} fand vom {datum} bis zum {datum2} statt.",
    "Im Ergebnis {des_n} {v3} die Verwaltung, {acc_m} in der vorliegenden Fassung zu beschließen.",
    "Die Kosten {des_n} belaufen sich nach der Kostenschätzung auf {betrag} € brutto.",
    "Hinweise zu {den_pl} wurden in der Sitzung {des_gremium} am {datum} ausführlich erörtert.",
    "Auf die Vorlage {ref} und die dort beschriebenen {pl} wird verwiesen.",
    "Die {adj}en {pl} betreffen insbesondere die Flurstücke {zahl} und {zahl2} der Gemarkung {ort}.",
    "{actor} {v3} {acc_n} unter Beachtung {des_m} und der einschlägigen Förderrichtlinien.",
    "Eine Änderung {des_n} wirkt sich nicht auf {acc_m} aus; Folgekosten entstehen nicht.",
    "Mit {dem_n} werden die Empfehlungen der Sozialträgerkonferenz vom {datum} aufgegriffen.",
]
GREMIEN = [  # dative, genitive
    ("dem Rat", "des Rates"), ("dem Verwaltungsausschuss", "des Verwaltungsausschusses"),
    ("dem Bauausschuss", "des Bauausschusses"), ("dem Finanzausschuss", "des Finanzausschusses"),
    ("dem Ausschuss für Soziales, Jugend und Integration", "des Ausschusses für Soziales, Jugend und Integration"),
    ("dem Schulausschuss", "des Schulausschusses"), ("dem Ortsrat", "des Ortsrates"),
    ("dem Umweltausschuss", "des Umweltausschusses"),
]


def _noun_forms(noun: tuple[str, str, str, str, str]) -> dict[str, str]:
    gender, nom, gen, plural, dat_plural = noun
    the, of, to, acc = ARTICLES[gender]
    return {"the": f"{the} {nom}", "of": f"{of} {gen}", "to": f"{to} {nom}", "acc": f"{acc} {nom}", "pl": plural,
            "dat_pl": dat_plural}


# Compound nouns as councils write them, a modifier and a head (Fugen as written): with the
# named nouns above, 1,350 nouns, so a word is in as many Anlagen as in a real council's
# (a few very common ones, most rare) instead of every noun in a third of all files.
HEADS: list[tuple[str, str, str, str, str]] = [
    ("m", "plan", "plans", "pläne", "plänen"), ("n", "konzept", "konzeptes", "konzepte", "konzepten"),
    ("f", "satzung", "satzung", "satzungen", "satzungen"), ("n", "gutachten", "gutachtens", "gutachten", "gutachten"),
    ("f", "studie", "studie", "studien", "studien"), ("n", "programm", "programms", "programme", "programmen"),
    ("m", "bericht", "berichts", "berichte", "berichten"), ("m", "vertrag", "vertrages", "verträge", "verträgen"),
    ("f", "gebühr", "gebühr", "gebühren", "gebühren"), ("f", "anlage", "anlage", "anlagen", "anlagen"),
    ("n", "zentrum", "zentrums", "zentren", "zentren"), ("f", "fläche", "fläche", "flächen", "flächen"),
    ("n", "gebiet", "gebietes", "gebiete", "gebieten"), ("f", "maßnahme", "maßnahme", "maßnahmen", "maßnahmen"),
    ("f", "förderung", "förderung", "förderungen", "förderungen"), ("f", "planung", "planung", "planungen", "planungen"),
    ("m", "beirat", "beirates", "beiräte", "beiräten"), ("f", "verordnung", "verordnung", "verordnungen", "verordnungen"),
    ("f", "richtlinie", "richtlinie", "richtlinien", "richtlinien"),
    ("m", "zuschuss", "zuschusses", "zuschüsse", "zuschüssen"), ("n", "projekt", "projektes", "projekte", "projekten"),
    ("f", "sanierung", "sanierung", "sanierungen", "sanierungen"),
    ("f", "erweiterung", "erweiterung", "erweiterungen", "erweiterungen"),
    ("m", "ausbau", "ausbaus", "ausbauten", "ausbauten"), ("f", "kommission", "kommission", "kommissionen", "kommissionen"),
    ("n", "verfahren", "verfahrens", "verfahren", "verfahren"),
]
MODIFIERS = [
    "Bebauungs", "Flächennutzungs", "Haushalts", "Verkehrs", "Schul", "Feuerwehr", "Sport", "Kinder", "Jugend",
    "Senioren", "Klima", "Energie", "Wasser", "Abwasser", "Friedhofs", "Straßen", "Rad", "Park", "Wohnungsbau",
    "Gewerbe", "Hafen", "Bahnhofs", "Markt", "Stadtentwicklungs", "Ortskern", "Dorfentwicklungs", "Quartiers",
    "Integrations", "Sozial", "Kultur", "Wirtschaftsförderungs", "Tourismus", "Umwelt", "Lärmschutz", "Denkmal",
    "Bäder", "Spielplatz", "Grünflächen", "Kita", "Bildungs", "Digitalisierungs", "Breitband", "Hochwasserschutz",
    "Wald", "Naturschutz", "Mobilitäts", "Parkraum", "Nahverkehrs", "Obdachlosen", "Inklusions",
]


def _compound(modifier: str, head: tuple[str, str, str, str, str]) -> tuple[str, str, str, str, str]:
    gender, *forms = head
    return (gender, *(modifier + f for f in forms))  # type: ignore[return-value]


def _vocabulary() -> list[dict[str, str]]:
    """Every noun's forms, in a fixed order that is also its rank of frequency (Zipf)."""
    compounds = [_compound(m, h) for m in MODIFIERS for h in HEADS]
    random.Random("filetext-vocabulary").shuffle(compounds)
    # The named nouns are what councils write most: ranks 5, 10, … 250.
    for i, noun in enumerate(NOUNS):
        compounds.insert(4 + 5 * i, noun)
    return [_noun_forms(n) for n in compounds]


FORMS = _vocabulary()
# Zipf's law: the k-th most frequent noun is drawn with weight 1/k.
_CUMULATIVE = list(itertools.accumulate(1 / k for k in range(1, len(FORMS) + 1)))
TOPICAL = 0.6  # share of an Anlage's sentences about its own topic
PER_TOPIC = 12  # distinct sentences drawn per topic


def sentence(rand: Callable[[], float], fill: Mapping[str, str], n: Mapping[str, str], m: Mapping[str, str]) -> str:
    """One sentence with the nouns `n` and `m` in the cases its template asks for."""
    verb = VERBS[int(rand() * len(VERBS))]
    gremium = GREMIEN[int(rand() * len(GREMIEN))]
    values = {
        "actor": ACTORS[int(rand() * len(ACTORS))], "v3": verb[0], "part": verb[2],
        "adj": ADJECTIVES[int(rand() * len(ADJECTIVES))],
        "dem_gremium": gremium[0], "des_gremium": gremium[1],
        "the_n": n["the"], "the_n_cap": n["the"][0].upper() + n["the"][1:], "acc_n": n["acc"], "acc_m": m["acc"],
        "des_n": n["of"], "des_m": m["of"], "dem_n": n["to"], "dem_m": m["to"],
        "pl": n["pl"], "den_pl": "den " + n["dat_pl"],
        "zahl": str(1 + int(rand() * 400)), "zahl2": str(1 + int(rand() * 400)),
        "paragraph": str(40 + int(rand() * 80)), "jahr": str(2019 + int(rand() * 8)),
    }
    return TEMPLATES[int(rand() * len(TEMPLATES))].format_map(_Values(values, fill))


class Pool:
    """Sentences drawn once (about 85 µs each), composed into texts at a few µs per text: the
    generator writes hundreds of thousands of Anlagen. Each text has a topic noun: most of its
    sentences are about it, the rest are general (nouns drawn by their frequency)."""

    def __init__(self, rand: Callable[[], float], fills: Callable[[], Mapping[str, str]], size: int = 2000):
        self.rand, self.fills = rand, fills
        self.general = [sentence(rand, fills(), self.noun(), self.noun()) for _ in range(size)]
        self.topical: dict[int, list[str]] = {}  # drawn when a topic first comes up

    def noun(self) -> dict[str, str]:
        return FORMS[self.rank()]

    def rank(self) -> int:
        return min(len(FORMS) - 1, bisect.bisect(_CUMULATIVE, self.rand() * _CUMULATIVE[-1]))

    def text(self, count: int) -> str:
        """`count` sentences in paragraphs of three to five."""
        rand, general = self.rand, self.general
        topic = self.rank()
        own = self.topical.get(topic)
        if own is None:
            own = self.topical[topic] = [
                sentence(rand, self.fills(), FORMS[topic], self.noun()) for _ in range(PER_TOPIC)
            ]
        picked = [
            own[int(rand() * PER_TOPIC)] if rand() < TOPICAL else general[int(rand() * len(general))]
            for _ in range(count)
        ]
        out, i = [], 0
        while i < count:
            size = 3 + int(rand() * 3)
            out.append(" ".join(picked[i : i + size]))
            i += size
        return "\n\n".join(out)


class _Values(dict):  # type: ignore[type-arg]
    """Template values drawn per sentence, then the generator's placeholders (lazily)."""

    def __init__(self, values: dict[str, str], fill: Mapping[str, str]):
        super().__init__(values)
        self.fill = fill

    def __missing__(self, key: str) -> str:
        return self.fill[key]
