"""Word and phrase pools for the synthetic corpus (`ratsinfo.corpus.generator`).

Everything here is fictitious but shaped like the papers of a Lower Saxony municipality:
subjects per topic, sentences for the Sach- und Rechtslage, financial notes, names.
Placeholders in braces are filled by the generator (`{ort}`, `{strasse}`, `{betrag}` …).
"""

from __future__ import annotations

TOWNS = [
    ("Lindenhagen", ["Lindenhagen", "Ostermoor", "Birkenhof", "Wehrstedt"]),
    ("Moorbeck", ["Moorbeck", "Hohenfeld", "Sandkrug", "Altendorf"]),
    ("Eschenwalde", ["Eschenwalde", "Kleinrode", "Bruchhausen", "Weidenau"]),
    ("Heidewinkel", ["Heidewinkel", "Tannenbrook", "Vörden", "Langenhorst"]),
    ("Brakenfelde", ["Brakenfelde", "Süderheide", "Hagenbüttel", "Wiesmoor-Nord"]),
]

GIVEN_NAMES_F = [
    "Anna", "Birgit", "Christina", "Doris", "Elke", "Franziska", "Gabriele", "Heike", "Ingrid", "Jana",
    "Karin", "Laura", "Monika", "Nadine", "Petra", "Renate", "Sabine", "Tanja", "Ursula", "Vanessa",
    "Wiebke", "Yvonne", "Zeynep", "Marlies", "Silke", "Anke", "Insa", "Hilke", "Frauke", "Meike",
    "Katharina", "Julia", "Lena", "Sophie", "Maria", "Elif", "Olga", "Natalia",
]
GIVEN_NAMES_M = [
    "Andreas", "Bernd", "Christian", "Dieter", "Erik", "Frank", "Gerd", "Heiko", "Ingo", "Jens",
    "Klaus", "Lars", "Michael", "Norbert", "Olaf", "Peter", "Rainer", "Stefan", "Thomas", "Uwe",
    "Volker", "Werner", "Hauke", "Focko", "Enno", "Gerrit", "Tobias", "Jan", "Hendrik", "Matthias",
    "Mehmet", "Ahmet", "Dimitri", "Lukas", "Finn", "Jürgen", "Hartmut", "Wilfried",
]
FAMILY_NAMES = [
    "Meyer", "Müller", "Schmidt", "Schulz", "Wessels", "Hinrichs", "Janssen", "Brüning", "Ahlers",
    "Bohlken", "Cordes", "Deters", "Eilers", "Fangmann", "Gerdes", "Hespe", "Imholte", "Kläne",
    "Lübbe", "Lüken", "Martens", "Niemann", "Oltmanns", "Pundt", "Rüdebusch", "Sander", "Stöver",
    "Tapken", "Uhlhorn", "Vosteen", "Wempe", "Wübbenhorst", "Abeling", "Bullermann", "Dählmann",
    "Evers", "Frerichs", "Grotelüschen", "Haverkamp", "Kramer", "Lange", "Nordmann", "Osterloh",
    "Rolfes", "Sieverding", "Thole", "Weinert", "Yilmaz", "Kowalski", "Nowak", "Petersen", "Böhm",
]

PARTIES = [
    # (short, Fraktion name, weight of seats)
    ("CDU", "CDU-Fraktion", 34),
    ("SPD", "SPD-Fraktion", 30),
    ("GRÜNE", "Fraktion Bündnis 90/Die Grünen", 13),
    ("FDP", "FDP-Fraktion", 7),
    ("UWG", "Fraktion der Unabhängigen Wählergemeinschaft", 9),
    ("LINKE", "Fraktion DIE LINKE", 4),
]

# Topic families: key -> committee key, Fachbereich key, keywords
TOPICS = {
    "bau": ("bau", "fb3", ["Bauen", "Planung"]),
    "finanzen": ("finanzen", "fb1", ["Finanzen", "Haushalt"]),
    "soziales": ("soziales", "fb2", ["Soziales", "Jugend"]),
    "schule": ("schule", "fb4", ["Schule", "Kultur", "Sport"]),
    "ordnung": ("ordnung", "fb2", ["Ordnung", "Feuerwehr", "Verkehr"]),
    "umwelt": ("umwelt", "fb5", ["Umwelt", "Klimaschutz"]),
    "strassen": ("bau", "fb5", ["Straßen", "Tiefbau"]),
    "verwaltung": ("finanzen", "fb1", ["Verwaltung", "Satzung"]),
}

COMMITTEES = [
    # key, name, short name, genitive (for "Sitzung des …")
    ("bau", "Ausschuss für Bauen, Planung und Entwicklung", "BPA", "des Ausschusses für Bauen, Planung und Entwicklung"),
    ("finanzen", "Finanz- und Wirtschaftsausschuss", "FWA", "des Finanz- und Wirtschaftsausschusses"),
    ("soziales", "Jugend-, Ordnungs- und Sozialausschuss", "JOSA", "des Jugend-, Ordnungs- und Sozialausschusses"),
    ("schule", "Schul-, Kultur- und Sportausschuss", "SKSA", "des Schul-, Kultur- und Sportausschusses"),
    ("ordnung", "Ausschuss für Feuerwehr, Sicherheit und Verkehr", "FSVA", "des Ausschusses für Feuerwehr, Sicherheit und Verkehr"),
    ("umwelt", "Ausschuss für Umwelt, Klimaschutz und Energie", "UKEA", "des Ausschusses für Umwelt, Klimaschutz und Energie"),
]

DEPARTMENTS = [
    ("fb1", "Fachbereich 1 – Zentrale Dienste und Finanzen", "FB 1"),
    ("fb2", "Fachbereich 2 – Bürgerdienste, Ordnung und Soziales", "FB 2"),
    ("fb3", "Fachbereich 3 – Planen und Bauen", "FB 3"),
    ("fb4", "Fachbereich 4 – Schule, Kultur und Sport", "FB 4"),
    ("fb5", "Fachbereich 5 – Tiefbau, Umwelt und Liegenschaften", "FB 5"),
]

OTHER_BODIES = [
    # kind, name, short name
    ("sozialtraegerkonferenz", "Sozialträgerkonferenz {town}", "STK"),
    ("arbeitsgruppe", "Arbeitsgruppe Wohnen im Quartier", "AG Wohnen"),
    ("projektsteuerungsgruppe", "Projektsteuerungsgruppe Sozialer Zusammenhalt", "PSG"),
    ("extern", "Landkreis Ammerland-Geest", "Landkreis"),
    ("sonstige", "Seniorenbeirat der Gemeinde {town}", "Seniorenbeirat"),
]

STREETS = [
    "Hauptstraße", "Bahnhofstraße", "Schulstraße", "Kirchweg", "Am Markt", "Lindenallee", "Mühlenweg",
    "Dorfstraße", "Wildeshauser Straße", "Oldenburger Straße", "Birkenweg", "Eichenstraße", "Am Sportplatz",
    "Gartenstraße", "Feldstraße", "Moorweg", "Heideweg", "Zum Bruch", "Ringstraße", "Poststraße",
    "Jahnstraße", "Brinkstraße", "Auf dem Esch", "Am Kanal", "Ziegeleistraße", "Industriestraße",
]
FIELD_NAMES = [
    "Westlich der Bahnhofstraße", "Am Mühlenbach", "Hohe Geest", "Auf der Heide", "Lange Wand",
    "Südlich Dorfstraße", "Gewerbegebiet Nord", "Kampstücken", "Esch-Ost", "Am Sandberg", "Wiesengrund",
    "Birkenkamp", "Im Brook", "Achter de Schoole", "Ortsmitte",
]
CLUBS = [
    "TuS {ort} e. V.", "Schützenverein {ort} von 1874 e. V.", "Heimatverein {ort} e. V.",
    "Förderverein der Grundschule {ort} e. V.", "Spielmannszug {ort} e. V.", "DRK-Ortsverein {ort}",
    "SV Blau-Weiß {ort} e. V.", "Kulturkreis {ort} e. V.", "Tafel {ort} e. V.", "Landfrauenverein {ort}",
]
KITAS = ["Regenbogen", "Sonnenschein", "Pusteblume", "Kleine Strolche", "Arche Noah", "Wiesenzwerge", "Am Wald"]
BUILDINGS = [
    "Grundschule {ort}", "Oberschule {town}", "Sporthalle {ort}", "Rathaus {town}", "Feuerwehrhaus {ort}",
    "Dorfgemeinschaftshaus {ort}", "Bauhof", "Kindertagesstätte {kita}", "Freibad {town}",
]
RIVERS = ["Lethe", "Hunte", "Aue", "Soeste", "Ahe"]

SUBJECTS = {
    "bau": [
        "Bebauungsplan Nr. {bplan} „{flur}“, Ortsteil {ort} – Aufstellungsbeschluss",
        "Bebauungsplan Nr. {bplan} „{flur}“, Ortsteil {ort} – Abwägung und Satzungsbeschluss",
        "{fnp}. Änderung des Flächennutzungsplanes im Bereich „{flur}“ – Feststellungsbeschluss",
        "Erschließung des Baugebiets „{flur}“ in {ort}",
        "Vergabe von Bauplätzen im Baugebiet „{flur}“ – Vergaberichtlinie",
        "Neubau einer Kindertagesstätte in {ort} – Entwurfsplanung",
        "Sanierung des {gebaeude} – Vorstellung der Planung",
        "Städtebauliches Entwicklungskonzept für die Ortsmitte {ort}",
        "Veränderungssperre für den Bereich „{flur}“",
    ],
    "finanzen": [
        "Haushaltssatzung und Haushaltsplan für das Haushaltsjahr {jahr}",
        "Jahresabschluss {jahr_prev} und Entlastung des Bürgermeisters",
        "Überplanmäßige Aufwendungen für {zweck}",
        "Außerplanmäßige Auszahlungen für {zweck}",
        "Festsetzung der Realsteuerhebesätze ab {jahr}",
        "Investitionsprogramm {jahr} bis {jahr4}",
        "Übertragung von Haushaltsermächtigungen in das Haushaltsjahr {jahr}",
        "Neufassung der Hundesteuersatzung",
    ],
    "soziales": [
        "Erweiterung der Kindertagesstätte „{kita}“ in {ort} um eine Krippengruppe",
        "Kita-Bedarfsplanung {jahr}/{jahr1}",
        "Förderung der offenen Jugendarbeit in {ort}",
        "Sozialer Maßnahmenplan für das Quartier {strasse}",
        "Einrichtung eines Jugendtreffs in {ort}",
        "Zuschuss an den {verein} für die Seniorenarbeit",
        "Unterbringung von Geflüchteten – Anmietung von Wohnraum in {ort}",
        "Änderung der Gebührensatzung für die Kindertagesstätten",
    ],
    "schule": [
        "Sanierung der Turnhalle der Grundschule {ort}",
        "Ganztagsbetreuung an der Grundschule {ort} ab dem Schuljahr {jahr}/{jahr1}",
        "Digitale Ausstattung der Schulen – Medienentwicklungsplan",
        "Zuschuss an den {verein} für die Erneuerung des Kunstrasenplatzes",
        "Schülerbeförderung – Einrichtung einer zusätzlichen Buslinie nach {ort}",
        "Sportstättenentwicklungsplan der Gemeinde {town}",
        "Kulturförderrichtlinie der Gemeinde {town}",
    ],
    "ordnung": [
        "Ersatzbeschaffung eines Löschgruppenfahrzeugs LF 10 für die Ortsfeuerwehr {ort}",
        "Fortschreibung des Feuerwehrbedarfsplans {jahr}",
        "Neubau des Feuerwehrhauses {ort}",
        "Verkehrsberuhigung in der {strasse} in {ort}",
        "Tempo 30 vor der Grundschule {ort}",
        "Verordnung über die Aufrechterhaltung der öffentlichen Sicherheit und Ordnung",
        "Aufstellung von Geschwindigkeitsanzeigetafeln in {ort}",
    ],
    "umwelt": [
        "Kommunale Wärmeplanung für die Gemeinde {town}",
        "Photovoltaikanlage auf dem Dach des {gebaeude}",
        "Umrüstung der Straßenbeleuchtung in {ort} auf LED",
        "Fortschreibung des Klimaschutzkonzeptes",
        "Pflanzung von Straßenbäumen in der {strasse}",
        "Renaturierung der {fluss} im Bereich {ort}",
        "Blühstreifenprogramm auf gemeindeeigenen Flächen",
    ],
    "strassen": [
        "Ausbau der {strasse} in {ort}",
        "Radweg entlang der Kreisstraße zwischen {ort} und {ort2}",
        "Sanierung des Regenwasserkanals in der {strasse}",
        "Straßenunterhaltungsprogramm {jahr}",
        "Erneuerung der Brücke über die {fluss} in {ort}",
        "Barrierefreier Umbau der Bushaltestelle {strasse} in {ort}",
    ],
    "verwaltung": [
        "Änderung der Hauptsatzung der Gemeinde {town}",
        "Neufassung der Geschäftsordnung für den Rat, die Ausschüsse und die Ortsräte",
        "Änderung der Entschädigungssatzung",
        "Wahl der Schöffinnen und Schöffen für die Amtsperiode {jahr}–{jahr4}",
        "Bestellung einer Schiedsperson für den Schiedsamtsbezirk {town}",
        "Interkommunale Zusammenarbeit mit der Nachbargemeinde bei der Digitalisierung",
        "Benennung einer Straße im Baugebiet „{flur}“",
    ],
}

NONPUBLIC_SUBJECTS = [
    "Grundstücksangelegenheit: Verkauf einer Teilfläche des Flurstücks {flurstueck}, Flur {flurnr}, Gemarkung {ort}",
    "Grundstücksangelegenheit: Ankauf von Flächen im Bereich „{flur}“",
    "Personalangelegenheit: Besetzung der Stelle der Fachbereichsleitung {fbnr}",
    "Vergabe der Bauleistungen für die Sanierung des {gebaeude}",
    "Vergabe der Planungsleistungen für den Ausbau der {strasse}",
    "Stundung einer Gewerbesteuerforderung",
    "Vertragsangelegenheit: Pachtvertrag für die Gaststätte im {gebaeude}",
    "Niederschlagung einer Forderung",
    "Rechtsangelegenheit: Klageverfahren wegen des Bebauungsplanes Nr. {bplan}",
]

MOTION_SUBJECTS = [
    "Einrichtung eines Bürgerbusses",
    "Prüfung eines Radweges zwischen {ort} und {ort2}",
    "Erstellung eines Integrationskonzeptes",
    "Einführung eines Bürgerhaushaltes",
    "Aufstellung von Trinkwasserbrunnen in {ort}",
    "Einrichtung eines Kinder- und Jugendparlaments",
    "kostenfreies WLAN im Ortskern {ort}",
    "Verkehrsberuhigung der {strasse}",
    "Übertragung der Ratssitzungen im Internet",
    "Erstellung eines Spielplatzkonzeptes",
    "Ausweisung von Flächen für Tiny Houses",
    "Beitritt zum Bündnis „Kommunen für biologische Vielfalt“",
    "Sanierung des Bolzplatzes in {ort}",
    "Einführung von Patenschaften für Grünflächen",
]

QUESTION_SUBJECTS = [
    "Sachstand Breitbandausbau in {ort}",
    "Unterrichtsausfall an der Grundschule {ort}",
    "Leerstand im Ortskern {ort}",
    "Wartezeiten für Kita-Plätze",
    "Zustand der {strasse}",
    "Kosten der Flüchtlingsunterbringung",
    "Ausfall der Straßenbeleuchtung in {ort}",
    "Einsatzzeiten der Ortsfeuerwehr {ort}",
    "Nutzung des Dorfgemeinschaftshauses {ort}",
]

INFO_SUBJECTS = [
    "Sachstandsbericht: {subject}",
    "Bericht der Verwaltung über {bericht}",
    "Information: {subject}",
]
REPORTS = [
    "die Umsetzung der Ratsbeschlüsse im Jahr {jahr_prev}",
    "den Stand der Baumaßnahmen im Gemeindegebiet",
    "die Entwicklung der Einwohnerzahlen",
    "die Arbeit des Quartiersmanagements im Jahr {jahr_prev}",
    "die Ergebnisse der Verkehrszählung in {ort}",
    "die Auslastung der Kindertagesstätten",
    "den Haushaltsvollzug zum 30. Juni {jahr}",
]

REASONS = {
    "bau": [
        "Für den Bereich „{flur}“ besteht eine anhaltend hohe Nachfrage nach Wohnbaugrundstücken, insbesondere von jungen Familien aus {ort}.",
        "Die frühzeitige Beteiligung der Öffentlichkeit gemäß § 3 Abs. 1 BauGB fand vom {datum} bis zum {datum2} statt.",
        "Die Träger öffentlicher Belange wurden gemäß § 4 BauGB beteiligt; die eingegangenen Stellungnahmen sind in der Abwägungstabelle zusammengestellt.",
        "Der Entwurf sieht eine Grundflächenzahl von 0,{grz} und eine maximale Zahl von zwei Vollgeschossen vor.",
        "Das Planungsbüro hat die Entwurfsplanung in enger Abstimmung mit dem Fachbereich Planen und Bauen erarbeitet.",
        "Die Erschließung soll über die {strasse} erfolgen; eine zweite Zufahrt ist für Rettungsfahrzeuge vorgesehen.",
    ],
    "finanzen": [
        "Der Ergebnishaushalt weist im Haushaltsjahr {jahr} einen Fehlbetrag von {betrag} € aus, der aus der Überschussrücklage gedeckt werden kann.",
        "Nach § 117 NKomVG sind über- und außerplanmäßige Aufwendungen nur zulässig, wenn sie unabweisbar sind und die Deckung gewährleistet ist.",
        "Die Mehraufwendungen sind durch Preissteigerungen bei den Bau- und Energiekosten bedingt.",
        "Die Deckung erfolgt durch Minderaufwendungen im Produkt {produkt}.",
        "Der Jahresabschluss wurde vom Rechnungsprüfungsamt des Landkreises geprüft; der Schlussbericht liegt vor.",
        "Die Hebesätze der Gemeinde liegen unter dem Durchschnitt vergleichbarer Gemeinden im Landkreis.",
    ],
    "soziales": [
        "Nach der aktuellen Bedarfsplanung fehlen in {ort} zum kommenden Kindergartenjahr {anzahl} Betreuungsplätze.",
        "Der Träger der Einrichtung hat sich bereit erklärt, den Betrieb der zusätzlichen Gruppe zu übernehmen.",
        "Das Quartiersmanagement hat gemeinsam mit den sozialen Akteuren Handlungsansätze erarbeitet, die in der Sozialträgerkonferenz abgestimmt wurden.",
        "Die Maßnahme ist Bestandteil des integrierten städtebaulichen Entwicklungskonzeptes (ISEK) im Programm Sozialer Zusammenhalt.",
        "Die Zahl der betreuten Jugendlichen ist im vergangenen Jahr auf {anzahl} gestiegen.",
        "Ein Rechtsanspruch auf einen Betreuungsplatz besteht nach § 24 SGB VIII.",
    ],
    "schule": [
        "Die Turnhalle wurde {baujahr} errichtet und entspricht nicht mehr den heutigen energetischen Anforderungen.",
        "Ab dem Schuljahr {jahr1}/{jahr2} besteht ein stufenweise eingeführter Rechtsanspruch auf Ganztagsbetreuung im Grundschulalter.",
        "Der Schulvorstand hat sich in seiner Sitzung am {datum} für das vorgeschlagene Konzept ausgesprochen.",
        "Der {verein} nutzt die Anlage mit {anzahl} Mitgliedern in zahlreichen Mannschaften.",
        "Die Förderung erfolgt auf Grundlage der Sportförderrichtlinie der Gemeinde.",
    ],
    "ordnung": [
        "Das vorhandene Fahrzeug der Ortsfeuerwehr {ort} ist {alter} Jahre alt und muss nach dem Feuerwehrbedarfsplan ersetzt werden.",
        "Die Ausschreibung erfolgt europaweit im offenen Verfahren.",
        "Anwohnerinnen und Anwohner der {strasse} haben wiederholt auf zu hohe Geschwindigkeiten hingewiesen.",
        "Eine Verkehrszählung im {monat} {jahr_prev} ergab eine durchschnittliche Belastung von {anzahl} Fahrzeugen am Tag.",
        "Die Straßenverkehrsbehörde des Landkreises wurde beteiligt und hat keine Bedenken geäußert.",
    ],
    "umwelt": [
        "Nach dem Niedersächsischen Klimagesetz sind Gemeinden zur Erstellung eines Wärmeplans verpflichtet.",
        "Die geplante Anlage hat eine Leistung von rund {kwp} kWp und deckt einen großen Teil des Eigenbedarfs.",
        "Durch die Umrüstung auf LED-Technik sinkt der Stromverbrauch der Straßenbeleuchtung um etwa {prozent} Prozent.",
        "Die Maßnahme wird aus der Kommunalrichtlinie des Bundes mit {prozent} Prozent gefördert.",
        "Die Untere Naturschutzbehörde hat der Maßnahme zugestimmt.",
    ],
    "strassen": [
        "Die {strasse} befindet sich in einem schlechten baulichen Zustand; die Fahrbahn weist zahlreiche Risse und Absenkungen auf.",
        "Im Zuge des Ausbaus sollen auch die Nebenanlagen und die Straßenbeleuchtung erneuert werden.",
        "Die Anliegerinnen und Anlieger wurden in einer Informationsveranstaltung am {datum} über die Planung unterrichtet.",
        "Der Landkreis beteiligt sich als Baulastträger der Kreisstraße an den Kosten des Radweges.",
        "Die Bauzeit wird auf etwa {monate} Monate geschätzt.",
    ],
    "verwaltung": [
        "Die Änderung ist aufgrund der Novellierung des Niedersächsischen Kommunalverfassungsgesetzes erforderlich.",
        "Der Entwurf wurde mit den Vorsitzenden der Fraktionen und Gruppen abgestimmt.",
        "Nach § 58 Abs. 1 NKomVG ist für den Erlass von Satzungen der Rat zuständig.",
        "Die Satzung tritt am Tag nach ihrer Bekanntmachung im Amtsblatt des Landkreises in Kraft.",
        "Die Vorschlagsliste liegt eine Woche lang im Rathaus zur Einsichtnahme aus.",
    ],
}

GENERIC_REASONS = [
    "Die Verwaltung hat die Angelegenheit eingehend geprüft.",
    "Der Sachverhalt wurde in der Sitzung am {datum} bereits vorgestellt und erörtert.",
    "Auf die als Anlage beigefügten Unterlagen wird verwiesen.",
    "Die Verwaltung empfiehlt, dem Beschlussvorschlag zu folgen.",
    "Eine Beteiligung des Ortsrates {ort} ist erfolgt.",
    "Weitere Einzelheiten werden in der Sitzung mündlich erläutert.",
    "Die Angelegenheit ist im Rahmen der Haushaltsberatungen {jahr} zu berücksichtigen.",
    "Rechtliche Bedenken bestehen nicht.",
    "Alternativen wurden geprüft, sind jedoch mit deutlich höheren Kosten verbunden.",
    "Mit der Umsetzung kann voraussichtlich im {monat} {jahr} begonnen werden.",
    "Die Maßnahme trägt zur Verbesserung der Lebensqualität in {ort} bei.",
    "Der Bürgermeister schlägt daher vor, wie folgt zu beschließen.",
]

MANDATES = [
    "die erforderlichen Schritte zur Umsetzung einzuleiten",
    "die Maßnahme im Haushaltsjahr {jahr} umzusetzen",
    "die Öffentlichkeit und die Träger öffentlicher Belange zu beteiligen",
    "Angebote einzuholen und den Auftrag an den wirtschaftlichsten Bieter zu vergeben",
    "Fördermittel zu beantragen",
    "dem Ausschuss regelmäßig über den Fortgang zu berichten",
    "den Beschluss ortsüblich bekannt zu machen",
    "die notwendigen Verträge abzuschließen",
]

FINANCE = [
    "Die Kosten belaufen sich auf voraussichtlich {betrag} €. Haushaltsmittel stehen im Teilhaushalt {th}, Produkt {produkt}, zur Verfügung.",
    "Es entstehen keine finanziellen Auswirkungen.",
    "Die Maßnahme wird zu zwei Dritteln aus Mitteln der Städtebauförderung gefördert; der Eigenanteil der Gemeinde beträgt {betrag} €.",
    "Die jährlichen Folgekosten werden auf {betrag2} € geschätzt und sind in den kommenden Haushalten zu veranschlagen.",
    "Die erforderlichen Mittel in Höhe von {betrag} € sind im Haushaltsplan {jahr} nicht veranschlagt; die Deckung erfolgt überplanmäßig.",
    "Der Gemeinde entstehen Einnahmen in Höhe von {betrag} €.",
]

QUESTIONS = [
    "Wie viele Fälle sind der Verwaltung seit {jahr_prev} bekannt geworden?",
    "Welche Maßnahmen hat die Verwaltung bisher ergriffen?",
    "Mit welchen Kosten rechnet die Verwaltung?",
    "Bis wann ist mit einer Lösung zu rechnen?",
    "Welche Fördermöglichkeiten bestehen?",
    "Wie bewertet die Verwaltung die Situation in {ort}?",
]
ANSWERS = [
    "Der Verwaltung sind {anzahl} Fälle bekannt.",
    "Die Verwaltung steht im engen Austausch mit den Beteiligten.",
    "Belastbare Kostenschätzungen liegen derzeit noch nicht vor.",
    "Eine Lösung wird bis Ende {jahr} angestrebt.",
    "Förderprogramme des Landes werden derzeit geprüft.",
    "Die Verwaltung wird im zuständigen Fachausschuss berichten.",
]

ATTACHMENTS = [
    ("Lageplan", "Der Lageplan zeigt den Geltungsbereich im Maßstab 1:1000 mit den angrenzenden Flurstücken in {ort}."),
    ("Kostenschätzung", "Kostenschätzung nach DIN 276: Gesamtkosten {betrag} € brutto, davon Baukonstruktion und technische Anlagen."),
    ("Planzeichnung", "Planzeichnung mit textlichen Festsetzungen und Begründung zum Bebauungsplan Nr. {bplan}."),
    ("Stellungnahme des Landkreises", "Der Landkreis nimmt wie folgt Stellung: Gegen die Planung bestehen keine grundsätzlichen Bedenken."),
    ("Abwägungstabelle", "Zusammenstellung der Stellungnahmen aus der Beteiligung der Öffentlichkeit mit Abwägungsvorschlag der Verwaltung."),
    ("Präsentation", "Präsentation der Verwaltung zur Sitzung am {datum} mit Übersicht über Zeitplan und Kosten."),
    ("Satzungsentwurf", "Satzungsentwurf mit Synopse der bisherigen und der künftigen Fassung."),
    ("Antragsschreiben", "Schreiben vom {datum} mit dem Antrag und dessen Begründung."),
]

MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
    "November", "Dezember",
]
