"""The seed Vorlage BV/0240/2021-2026 as a reader sees it, written out by hand (not derived
from the parser), so the importer is checked against the document itself."""

from __future__ import annotations

from datetime import date
from pathlib import Path

SEED_PATH = Path(__file__).resolve().parents[2] / "ratsinfo" / "corpus" / "fixtures" / "beschlussvorlage-BV-0240-2021-2026.txt"

PAPER_TYPE = "Beschlussvorlage"
REFERENCE = "BV/0240/2021-2026"
PUBLIC = True
DATE = date(2022, 9, 23)
# The subject line uses plain hyphens, unlike the text body (en dashes): kept exactly.
NAME = "Antrag der Gruppe Grüne - KA - Linke auf Erstellung eines Integrationskonzeptes"

CONSULTATIONS = [
    ("Jugend-, Ordnungs- und Sozialausschuss", date(2022, 10, 6), "Vorberatung"),
    ("Verwaltungsausschuss", date(2022, 10, 13), "Entscheidung"),
]

BESCHLUSSEMPFEHLUNG = [
    "Dem Antrag der Gruppe Grüne – KA – Linke auf Erstellung eines Integrationskonzeptes wird nicht gefolgt.",
    "Die bereits begonnene Erstellung eines sozialen Maßnahmenplanes unter Beteiligung der sozialen Akteure "
    "(Sozialträgerkonferenzen) wird fortgeführt.",
]

SACH_UND_RECHTSLAGE = [
    "Die Gruppe Grüne – KA – Linke beantragt mit Schreiben vom 02.06.2022, über einen externen Anbieter ein "
    "Integrationskonzept für die Gemeinde erstellen zu lassen. Hierfür sollen Angebote eingeholt sowie der "
    "Auftrag vergeben werden.",
    "Der Antrag ist der Beschlussvorlage Nr. BV/0240/2021-2026 beigelegt.",
    "Zur Begründung im Einzelnen wird auf den Antrag verwiesen.",
    "Bereits mit der Erstellung des Integrierten Städtebaulichen Entwicklungskonzeptes (ISEK) im Jahr 2016 als "
    "vorbereitende Maßnahme des Förderprogramms Sozialer Zusammenhalt sind die vielfältigen Herausforderungen auf "
    "die sozialen Entwicklungen im Ortsteil Ahlhorn aufgezeigt worden. Eine Projektsteuerungsgruppe, bestehend aus "
    "Integrationsbeauftragter/m, Quartiersmanagement, Sanierungsträger, Verwaltung, hat Handlungsansätze für diese "
    "Herausforderungen festgelegt. Die Erstellung eines „Sozialen Maßnahmenplanes“ (auch Integriertes "
    "Handlungskonzept – IHK – genannt) wurde festgelegt. Ein solches Konzept ist ebenfalls durch die "
    "Rahmenplanung der Städtebauförderung vorgegeben.",
    # The page break after "von baulichen und" is healed: one paragraph, joined by one space.
    "Weitergehend als ein Integrationskonzept zeigt ein sozialer Maßnahmenplan auf, inwieweit die erforderlichen "
    "sozialen Maßnahmen (= Integrationsaufgaben) in die geplanten baulichen Maßnahmen integriert werden. Die "
    "erforderlichen Rahmenbedingungen und Unterstützungen aus der Integrationsarbeit werden dabei nicht nur für "
    "sich, sondern integriert in den Strukturen des Städtebauförderprogramms entwickelt. Durch dieses "
    "Zusammenwirken von baulichen und sozialen Maßnahmen soll die Lebensqualität im Quartier nachhaltig verbessert "
    "werden. Der Schwerpunkt liegt dabei auf den allgemeinen sozialen Maßnahmen und geht über die reine "
    "Integrationsarbeit hinaus.",
    "Mit den in Ahlhorn tätigen sozialen Akteuren wurde im Juli 2021 eine „Ideenwerkstatt“ durchgeführt. Ergebnis "
    "dieser Ideenwerkstatt war der Wunsch, eine dauerhafte Struktur für die sozialen Maßnahmen zu etablieren und "
    "einen laufenden Austausch der Beteiligten untereinander zu fördern. Auf dieser Grundlage wurden die "
    "Sozialträgerkonferenzen eingerichtet.",
    "Basierend auf diesen Konferenzen und Arbeitsgruppentreffen wird der Maßnahmenplan zurzeit federführend vom "
    "Quartiersmanagement in enger Zusammenarbeit mit dem Sanierungsträger und der Verwaltung erstellt. Dieses "
    "Vorgehen wurde mit allen sozialen Akteuren im Rahmen der Sozialträgerkonferenz abgestimmt und befürwortet.",
    "Vorteilhaft gegenüber einem Integrationskonzept ist darüber hinaus, dass es sich beim Maßnahmenplan um ein "
    "Arbeitsinstrument und nicht um ein starres Konzept handelt. Durch die enge Zusammenarbeit mit den sozialen "
    "Akteuren vor Ort werden die für Ahlhorn erarbeiteten sozialen Maßnahmen viel konkreter, zudem kann der "
    "Maßnahmenplan fortgeschrieben werden und sich an die Entwicklungen im Quartier anpassen.",
    "Die Erstellung eines Integrationskonzeptes kann ein Teil des Maßnahmenplans sein. Welche Priorität die "
    "Erstellung eines solchen Integrationskonzeptes hat, entscheiden die Akteure bei den kommenden "
    "Sozialträgerkonferenzen.",
    "Der Bürgermeister schlägt daher vor, dem Antrag der Gruppe Grüne – KA – Linke nicht zu folgen und die "
    "Erarbeitung des bereits begonnenen Maßnahmenplans fortzuführen.",
]

SECTIONS = [
    ("Beschlussempfehlung", "\n\n".join(BESCHLUSSEMPFEHLUNG)),
    ("Sach- und Rechtslage", "\n\n".join(SACH_UND_RECHTSLAGE)),
]

ATTACHMENT_FILE_NAME = "Änderungsantrag Gruppe_Erstellung Integrationskonzept"
ATTACHMENT_TITLE = "Antrag Gruppe Erstellung Integrationskonzept"

JSON = {
    "paperType": PAPER_TYPE,
    "reference": REFERENCE,
    "public": True,
    "date": "2022-09-23",
    "name": NAME,
    "consultations": [
        {"organization": "Jugend-, Ordnungs- und Sozialausschuss", "date": "2022-10-06", "role": "Vorberatung"},
        {"organization": "Verwaltungsausschuss", "date": "2022-10-13", "role": "Entscheidung"},
    ],
    "sections": [{"heading": heading, "text": text} for heading, text in SECTIONS],
    "attachments": [{"fileName": ATTACHMENT_FILE_NAME, "title": ATTACHMENT_TITLE}],
}
