"""Demo content of the Maßnahmenplan (Ahlhorn), called by `ratsinfo.corpus.demo.build_demo`.

The genesis follows the public record (ISEK 2016, Akteursworkshop 18.09.2020, Ideenwerkstatt
07.07.2021, Sozialträgerkonferenzen 03.11.2021, 24.05.2022, 08.03.2023, the council's decision
on BV/0240/2021-2026 of 06.10.2022); persons, measures, amounts and the 2024 events are invented.
Decisions are applied in date order through the services, so every edition snapshots the plan
exactly as it stood on its day.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from ratsinfo.bodies.models import (
    Body,
    Location,
    Membership,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.lib.geo import point_feature
from ratsinfo.measures import services
from ratsinfo.measures.models import (
    ActionField,
    BuildingMeasure,
    FundingArea,
    FundingSource,
    Goal,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Measure,
    MeasureFunding,
    MeasureStatus,
    Plan,
    Priority,
)
from ratsinfo.meetings.models import AgendaItem, AgendaItemResult, Meeting, MeetingState
from ratsinfo.meetings.numbering import Slot, agenda_numbers
from ratsinfo.meetings.planning import add_item
from ratsinfo.papers.models import Consultation, Paper

SEED_REFERENCE = "BV/0240/2021-2026"
PLAN_SLUG = "quartier-wildeshauser-strasse"
BERLIN = ZoneInfo("Europe/Berlin")

H, M, N = Priority.HOCH, Priority.MITTEL, Priority.NIEDRIG
S = MeasureStatus
F = FundingSource

BUILDINGS = [
    ("B 1", "Umbau und Erweiterung des Quartierszentrums mit Stadtteilbüro", "1250000", "833333", 2019, 2022, "fertiggestellt 2022"),
    ("B 2", "Anreizförderung für die Modernisierung von Mehrfamilienhäusern", "2400000", "800000", 2020, 2027, "laufend"),
    ("B 3", "Neugestaltung der Wohnumfelder und Innenhöfe", "650000", "433333", 2022, 2025, "im Bau"),
    ("B 4", "Spiel- und Bewegungsfläche an der Parkstraße", "480000", "320000", 2023, 2025, "in Planung"),
    ("B 5", "Fuß- und Radwegeverbindungen mit Beleuchtung", "900000", "600000", 2021, 2026, "1. Bauabschnitt fertig"),
    ("B 6", "Umgestaltung des Straßenraums Wildeshauser Straße", "3100000", "2066667", 2024, 2028, "in Planung"),
]

FIELDS = [
    ("Wohnen", ["Wohnverhältnisse und Wohnumfeld verbessern", "Nachbarschaften in den Wohnanlagen stärken"]),
    ("Soziales", ["Anlaufstellen und Beratung im Quartier sichern", "Integration und Teilhabe fördern"]),
    ("Freizeit und Kultur", ["Angebote für Kinder und Jugendliche ausbauen", "Begegnung und Kultur im Quartier fördern"]),
    ("Gesundheit und Sicherheit", ["Sicherheitsgefühl im öffentlichen Raum erhöhen", "Gesundheit und Prävention stärken"]),
]

# Actors: (key, name, short name, kind)
ACTORS = [
    ("stk", "Sozialträgerkonferenz Ahlhorn", "STK Ahlhorn", OrganizationKind.SOZIALTRAEGERKONFERENZ),
    ("psg", "Projektsteuerungsgruppe Sozialer Zusammenhalt Ahlhorn", "PSG Ahlhorn", OrganizationKind.PROJEKTSTEUERUNGSGRUPPE),
    ("ag_int", "Arbeitsgruppe Integration und Nachbarschaft", "AG Integration", OrganizationKind.ARBEITSGRUPPE),
    ("ag_kjf", "Arbeitsgruppe Kinder, Jugend und Familie", "AG Kinder, Jugend, Familie", OrganizationKind.ARBEITSGRUPPE),
    ("qm", "Quartiersmanagement Ahlhorn", "Quartiersmanagement", OrganizationKind.EXTERN),
    ("st", "Sanierungsträger Quartier Wildeshauser Straße", "Sanierungsträger", OrganizationKind.EXTERN),
    ("int", "Integrationsbeauftragte der Gemeinde Großenkneten", "Integrationsbeauftragte", OrganizationKind.VERWALTUNG),
    ("caritas", "Caritas-Beratungsstelle Ahlhorn", "Caritas", OrganizationKind.EXTERN),
    ("awo", "AWO-Ortsverein Ahlhorn", "AWO", OrganizationKind.EXTERN),
    ("diakonie", "Diakonisches Werk, Beratungsstelle Ahlhorn", "Diakonie", OrganizationKind.EXTERN),
    ("tv", "Turnverein Ahlhorn von 1912 e. V.", "TV Ahlhorn", OrganizationKind.EXTERN),
    ("kita", "Kindertagesstätte Regenbogen Ahlhorn", "Kita Regenbogen", OrganizationKind.EXTERN),
    ("gs", "Grundschule Ahlhorn", "Grundschule Ahlhorn", OrganizationKind.EXTERN),
    ("wohnbau", "Wohnbau Ahlhorn GmbH", "Wohnbau Ahlhorn", OrganizationKind.EXTERN),
    ("polizei", "Polizeistation Ahlhorn", "Polizei Ahlhorn", OrganizationKind.EXTERN),
    ("vhs", "Volkshochschule (Außenstelle Ahlhorn)", "VHS", OrganizationKind.EXTERN),
]

PEOPLE = [
    ("Katrin", "Logemann", "w", "qm", "Quartiersmanagerin"),
    ("Yusuf", "Karaca", "m", "qm", "Quartiersmanager"),
    ("Michael", "Tebben", "m", "st", "Projektleitung"),
    ("Dilara", "Aksoy", "w", "int", "Integrationsbeauftragte"),
    ("Heike", "Ostendorf", "w", "caritas", "Beratung"),
    ("Peter", "Rowold", "m", "awo", "Vorsitzender"),
    ("Svenja", "Claußen", "w", "kita", "Leitung"),
    ("Andreas", "Moormann", "m", "tv", "Jugendwart"),
]


def _aware(day: date, hour: int = 17) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=BERLIN)


class _Demo:
    def __init__(self, body: Body) -> None:
        self.body = body
        self.orgs: dict[str, Organization] = {}
        self.location = Location.objects.filter(description="Bürgerhaus Ahlhorn").first() or Location.objects.create(
            description="Quartierszentrum Ahlhorn", street_address="Wildeshauser Straße 20",
            postal_code="26197", sub_locality="Ahlhorn", locality="Großenkneten",
        )

    def org(self, key: str, name: str, short: str, kind: str, **extra: object) -> Organization:
        org = Organization.objects.filter(body=self.body, name=name).first()
        if org is None:
            org = Organization.objects.create(body=self.body, name=name, short_name=short, kind=kind, **extra)
        self.orgs[key] = org
        return org

    def meeting(self, name: str, day: date, orgs: list[str], items: list[tuple[str, str]], hour: int = 17) -> list[AgendaItem]:
        meeting = Meeting.objects.create(
            name=name, start=_aware(day, hour), end=_aware(day, hour + 2), location=self.location,
            meeting_state=MeetingState.DURCHGEFUEHRT, public=True,
        )
        meeting.organizations.set([self.orgs[k] for k in orgs])
        created = []
        numbers = agenda_numbers([Slot(public=True)] * len(items))  # the one agenda numbering
        for order, ((title, result), number) in enumerate(zip(items, numbers, strict=True), start=1):
            created.append(AgendaItem.objects.create(
                meeting=meeting, order=order, number=number, name=title, public=True, result=result,
            ))
        return created

    def append_item(self, meeting: Meeting, title: str, result: str) -> AgendaItem:
        """A public TOP of a held meeting, placed and numbered like any other (the one planning service);
        it was on the agenda as sent, so it is published."""
        item = add_item(meeting, title, public=True, published=True)
        item.result = result
        item.save(update_fields=["result", "modified"])
        return item


def _seed_agenda_item(body: Body) -> tuple[AgendaItem | None, Organization | None]:
    """The committee's agenda item on the seed Vorlage (06.10.2022), if the demo has it."""
    paper = Paper.objects.filter(body=body, reference=SEED_REFERENCE).first()
    if paper is None:
        return None, None
    consultation = (
        Consultation.objects.filter(paper=paper, agenda_item__isnull=False, agenda_item__public=True)
        .select_related("agenda_item", "organization")
        .order_by("order")
        .first()
    )
    if consultation is None or consultation.agenda_item is None:
        return None, None
    return consultation.agenda_item, consultation.organization


@transaction.atomic
def build_measures_demo(body: Body) -> Plan:
    """Adds the Ahlhorn plan (with its actors, meetings, decisions and editions) to the demo."""
    d = _Demo(body)
    for key, name, short, kind in ACTORS:
        d.org(key, name, short, kind)
    verwaltung = Organization.objects.filter(body=body, kind=OrganizationKind.VERWALTUNG, parent__isnull=True).exclude(
        pk=d.orgs["int"].pk
    ).first() or Organization.objects.create(body=body, name="Gemeindeverwaltung Großenkneten", short_name="Verwaltung", kind=OrganizationKind.VERWALTUNG)
    d.orgs["verw"] = verwaltung
    d.orgs["int"].parent = verwaltung
    d.orgs["int"].save()
    for key in ("ag_int", "ag_kjf"):
        d.orgs[key].parent = d.orgs["stk"]
        d.orgs[key].save()
    for key, founded in (("stk", date(2021, 11, 3)), ("psg", date(2017, 3, 1)), ("ag_int", date(2021, 11, 3)),
                         ("ag_kjf", date(2021, 11, 3)), ("qm", date(2020, 1, 1))):
        d.orgs[key].start_date = founded
        d.orgs[key].save()

    # Members: the conference is made of the social actors' representatives.
    for given, family, gender, org_key, role in PEOPLE:
        person = Person.objects.filter(body=body, given_name=given, family_name=family).first() or Person.objects.create(
            body=body, given_name=given, family_name=family, gender="weiblich" if gender == "w" else "männlich",
            form_of_address="Frau" if gender == "w" else "Herr",
        )
        Membership.objects.create(person=person, organization=d.orgs[org_key], role=role, start_date=date(2020, 1, 1))
        Membership.objects.create(
            person=person, organization=d.orgs["stk"], start_date=date(2021, 11, 3),
            role="Geschäftsführung" if (given, family) == ("Katrin", "Logemann") else f"Mitglied ({d.orgs[org_key].short_name})",
        )
        if org_key in {"qm", "st", "int"}:
            Membership.objects.create(person=person, organization=d.orgs["psg"], role="Mitglied", start_date=date(2020, 1, 1))
        if org_key in {"int", "caritas", "diakonie"}:
            Membership.objects.create(person=person, organization=d.orgs["ag_int"], role="Mitglied", start_date=date(2021, 11, 3))
        if org_key in {"kita", "tv", "awo"}:
            Membership.objects.create(person=person, organization=d.orgs["ag_kjf"], role="Mitglied", start_date=date(2021, 11, 3))

    area = FundingArea.objects.create(
        body=body, name="Quartier Wildeshauser Straße",
        programme="Sozialer Zusammenhalt (bis 2019: Soziale Stadt)",
        description=(
            "Ortsteil Ahlhorn beiderseits der Wildeshauser Straße zwischen Bahnhof und Ortsmitte: "
            "Geschosswohnungsbau der 1960er- und 1970er-Jahre, ehemalige Wohnungen der Bundeswehr, "
            "hoher Anteil junger Familien und zugewanderter Menschen. Aufnahme in das Programm Soziale Stadt 2019."
        ),
        area_ha=Decimal("62"), inhabitants=1825, funding_start=date(2019, 6, 1),
    )
    buildings = {}
    for number, title, cost, share, start, end, state in BUILDINGS:
        buildings[number] = BuildingMeasure.objects.create(
            funding_area=area, number=number, title=title, cost=Decimal(cost), funding_share=Decimal(share),
            start_year=start, end_year=end, state=state,
            description="Maßnahme des Integrierten Städtebaulichen Entwicklungskonzepts (ISEK) 2016.",
        )

    seed_item, seed_committee = _seed_agenda_item(body)
    plan = Plan.objects.create(
        funding_area=area, slug=PLAN_SLUG, title="Sozialer Maßnahmenplan Quartier Wildeshauser Straße",
        description=(
            "Der soziale Maßnahmenplan (integriertes Handlungskonzept) verbindet die sozialen Maßnahmen mit den "
            "baulichen Maßnahmen des ISEK 2016 im Programm „Sozialer Zusammenhalt“. Er wird vom "
            "Quartiersmanagement mit dem Sanierungsträger und der Verwaltung auf Grundlage der "
            "Sozialträgerkonferenzen und Arbeitsgruppen erarbeitet und fortgeschrieben."
        ),
        published=True, lead_actor=d.orgs["qm"], basis_agenda_item=seed_item,
    )
    committee = seed_committee or Organization.objects.filter(body=body, short_name="JOS").first()
    if committee is None:
        committee = d.org("jos", "Jugend-, Ordnungs- und Sozialausschuss", "JOS", OrganizationKind.FACHAUSSCHUSS)
    d.orgs["jos"] = committee
    plan.bodies.set([d.orgs[k] for k in ("stk", "psg", "ag_int", "ag_kjf", "qm", "jos")])
    fields: dict[str, ActionField] = {}
    goals: dict[str, Goal] = {}
    for order, (name, goal_titles) in enumerate(FIELDS, start=1):
        fields[name] = ActionField.objects.create(plan=plan, name=name, order=order)
        for g_order, title in enumerate(goal_titles, start=1):
            goals[title] = Goal.objects.create(action_field=fields[name], title=title, order=g_order)

    # -- genesis -----------------------------------------------------------------------------
    d.meeting("Projektsteuerungsgruppe Sozialer Zusammenhalt", date(2019, 11, 12), ["psg"], [
        ("Handlungsansätze aus dem ISEK 2016", "zur Kenntnis genommen"),
        ("Erstellung eines sozialen Maßnahmenplans (integriertes Handlungskonzept)", "einstimmig beschlossen"),
    ])
    workshop = d.meeting("Akteursworkshop Soziales im Quartier", date(2020, 9, 18), ["qm", "psg"], [
        ("Bestandsaufnahme der sozialen Angebote in Ahlhorn", "erledigt"),
        ("Bedarfe aus Sicht der Akteure", "erledigt"),
    ])
    ideen = d.meeting("Ideenwerkstatt mit den sozialen Akteuren", date(2021, 7, 7), ["qm", "psg"], [
        ("Ideensammlung Handlungsfeld Wohnen", "erledigt"),
        ("Ideensammlung Handlungsfeld Soziales", "erledigt"),
        ("Ideensammlung Handlungsfelder Freizeit und Kultur, Gesundheit und Sicherheit", "erledigt"),
        ("Dauerhafte Struktur: Einrichtung von Sozialträgerkonferenzen", "einstimmig beschlossen"),
    ], hour=15)

    measures: dict[str, Measure] = {}

    def create(key: str, item: AgendaItem, **fields_: object) -> Measure:
        m = services.create_measure_by_decision(plan, item, **fields_)  # type: ignore[arg-type]
        measures[key] = m
        return m

    def fund(key: str, *rows: tuple[str, int, str, str]) -> None:
        for source, year, amount, programme in rows:
            MeasureFunding.objects.create(measure=measures[key], source=source, year=year, amount=Decimal(amount), programme=programme)

    # From the Akteursworkshop 2020 (origin) — the Quartierszentrum was already being built.
    create("S1", workshop[0], number="S 1", title="Stadtteilbüro als Anlaufstelle im Quartierszentrum",
           description="Offene Sprechzeiten des Quartiersmanagements, Vermittlung an Beratungsstellen, Raum für Initiativen.",
           target_group="alle Bewohnerinnen und Bewohner", action_field=fields["Soziales"],
           goal=goals["Anlaufstellen und Beratung im Quartier sichern"], lead_actor=d.orgs["qm"],
           partners=[d.orgs["st"], d.orgs["verw"]], building_measures=[buildings["B 1"]],
           start_date=date(2020, 3, 1), permanent=True, status=S.ANGESCHOBEN, priority=H,
           origin_note="Akteursworkshop 18.09.2020")
    create("S5", workshop[1], number="S 5", title="Mehrsprachiger Wegweiser der sozialen Angebote",
           description="Gedruckter und digitaler Wegweiser in sechs Sprachen, jährlich aktualisiert.",
           target_group="neu zugezogene Familien", action_field=fields["Soziales"],
           goal=goals["Anlaufstellen und Beratung im Quartier sichern"], lead_actor=d.orgs["int"],
           partners=[d.orgs["qm"]], start_date=date(2021, 1, 1), end_date=date(2021, 12, 31), status=S.GEPLANT,
           priority=M, origin_note="Akteursworkshop 18.09.2020")

    # From the Ideenwerkstatt 07.07.2021.
    idea = {"status": S.IDEE, "origin_note": "Ideenwerkstatt 07.07.2021"}
    create("W1", ideen[0], number="W 1", title="Aufsuchende Mieterberatung in den Mehrfamilienhäusern",
           description="Beratung zu Nebenkosten, Energiesparen und Wohnungswechsel direkt in den Wohnanlagen.",
           target_group="Mieterinnen und Mieter der Wohnanlagen Wildeshauser Straße", action_field=fields["Wohnen"],
           goal=goals["Wohnverhältnisse und Wohnumfeld verbessern"], lead_actor=d.orgs["qm"],
           partners=[d.orgs["wohnbau"], d.orgs["caritas"]], building_measures=[buildings["B 2"]],
           start_date=date(2022, 1, 1), end_date=date(2025, 12, 31), **idea)
    create("W2", ideen[0], number="W 2", title="Nachbarschaftslotsinnen und -lotsen in den Hausgemeinschaften",
           description="Ehrenamtliche Ansprechpersonen je Hauseingang, geschult vom Quartiersmanagement.",
           target_group="Hausgemeinschaften", action_field=fields["Wohnen"],
           goal=goals["Nachbarschaften in den Wohnanlagen stärken"], lead_actor=d.orgs["qm"],
           partners=[d.orgs["wohnbau"]], start_date=date(2022, 4, 1), permanent=True, **idea)
    create("W3", ideen[0], number="W 3", title="Beteiligung bei der Neugestaltung der Innenhöfe",
           description="Planungswerkstätten mit Kindern und Erwachsenen vor dem Umbau der Innenhöfe.",
           target_group="Bewohnerinnen und Bewohner, Kinder", action_field=fields["Wohnen"],
           goal=goals["Wohnverhältnisse und Wohnumfeld verbessern"], lead_actor=d.orgs["st"],
           partners=[d.orgs["qm"], d.orgs["verw"]], building_measures=[buildings["B 3"]],
           start_date=date(2022, 3, 1), end_date=date(2023, 6, 30), **idea)
    create("W4", ideen[0], number="W 4", title="Modernisierungsberatung für private Eigentümerinnen und Eigentümer",
           description="Erstberatung zur Anreizförderung und zu steuerlichen Abschreibungen im Sanierungsgebiet.",
           target_group="Eigentümerinnen und Eigentümer", action_field=fields["Wohnen"],
           goal=goals["Wohnverhältnisse und Wohnumfeld verbessern"], lead_actor=d.orgs["st"],
           partners=[d.orgs["verw"]], building_measures=[buildings["B 2"]], start_date=date(2021, 9, 1), permanent=True, **idea)
    create("S2", ideen[1], number="S 2", title="Sprachcafé und Deutschkurse mit Kinderbetreuung",
           description="Wöchentliches Sprachcafé im Quartierszentrum, ergänzt um Kurse der VHS mit Kinderbetreuung.",
           target_group="Zugewanderte Erwachsene, besonders Mütter", action_field=fields["Soziales"],
           goal=goals["Integration und Teilhabe fördern"], lead_actor=d.orgs["caritas"],
           partners=[d.orgs["vhs"], d.orgs["int"], d.orgs["kita"]], building_measures=[buildings["B 1"]],
           start_date=date(2022, 1, 1), permanent=True, **idea)
    create("S3", ideen[1], number="S 3", title="Integrationslotsinnen und -lotsen",
           description="Geschulte Ehrenamtliche begleiten zu Behörden, Ärztinnen und Schulen.",
           target_group="Neu Zugewanderte", action_field=fields["Soziales"],
           goal=goals["Integration und Teilhabe fördern"], lead_actor=d.orgs["int"],
           partners=[d.orgs["diakonie"], d.orgs["caritas"]], start_date=date(2022, 6, 1), permanent=True, **idea)
    create("S6", ideen[1], number="S 6", title="Elterncafé in der Kita Regenbogen",
           description="Offener Treff für Eltern mit Beratung zu Erziehung, Schule und Gesundheit.",
           target_group="Eltern von Kindern bis 10 Jahre", action_field=fields["Soziales"],
           goal=goals["Integration und Teilhabe fördern"], lead_actor=d.orgs["kita"],
           partners=[d.orgs["awo"], d.orgs["qm"]], start_date=date(2022, 2, 1), end_date=date(2024, 7, 31), **idea)
    create("F1", ideen[2], number="F 1", title="Offener Jugendtreff im Quartierszentrum",
           description="Drei Öffnungstage pro Woche mit pädagogischer Begleitung.",
           target_group="Jugendliche von 12 bis 18 Jahren", action_field=fields["Freizeit und Kultur"],
           goal=goals["Angebote für Kinder und Jugendliche ausbauen"], lead_actor=d.orgs["verw"],
           partners=[d.orgs["qm"], d.orgs["tv"]], building_measures=[buildings["B 1"]],
           start_date=date(2022, 9, 1), permanent=True, **idea)
    create("F2", ideen[2], number="F 2", title="Interkulturelles Quartiersfest",
           description="Jährliches Fest der Nationen im Quartier, organisiert mit den Vereinen.",
           target_group="alle Bewohnerinnen und Bewohner", action_field=fields["Freizeit und Kultur"],
           goal=goals["Begegnung und Kultur im Quartier fördern"], lead_actor=d.orgs["qm"],
           partners=[d.orgs["awo"], d.orgs["tv"], d.orgs["int"]], start_date=date(2022, 6, 1), permanent=True, **idea)
    create("F3", ideen[2], number="F 3", title="Bewegungsparcours und Spielplatz Parkstraße mit Kinderbeteiligung",
           description="Kinder und Jugendliche gestalten die neue Spiel- und Bewegungsfläche mit.",
           target_group="Kinder und Jugendliche", action_field=fields["Freizeit und Kultur"],
           goal=goals["Angebote für Kinder und Jugendliche ausbauen"], lead_actor=d.orgs["st"],
           partners=[d.orgs["gs"], d.orgs["tv"], d.orgs["qm"]], building_measures=[buildings["B 4"]],
           start_date=date(2023, 3, 1), end_date=date(2025, 9, 30), **idea)
    create("F4", ideen[2], number="F 4", title="Ferienprogramm für Kinder aus dem Quartier",
           description="Sommerferienwochen mit Sport, Kunst und Ausflügen; kostenfrei für Familien mit Bildungskarte.",
           target_group="Kinder von 6 bis 12 Jahren", action_field=fields["Freizeit und Kultur"],
           goal=goals["Angebote für Kinder und Jugendliche ausbauen"], lead_actor=d.orgs["tv"],
           partners=[d.orgs["awo"], d.orgs["gs"]], start_date=date(2022, 7, 1), permanent=True, **idea)
    create("G1", ideen[2], number="G 1", title="Angsträume beseitigen: Beleuchtung und Sichtachsen",
           description="Begehungen mit Bewohnerinnen, Polizei und Verwaltung; Umsetzung mit dem Wegebau.",
           target_group="Fußgängerinnen und Fußgänger, besonders Frauen und Ältere", action_field=fields["Gesundheit und Sicherheit"],
           goal=goals["Sicherheitsgefühl im öffentlichen Raum erhöhen"], lead_actor=d.orgs["verw"],
           partners=[d.orgs["polizei"], d.orgs["qm"], d.orgs["st"]], building_measures=[buildings["B 5"]],
           start_date=date(2022, 5, 1), end_date=date(2026, 12, 31), **idea)
    create("G2", ideen[2], number="G 2", title="Gesundheitstag und Gesundheitslotsen im Quartier",
           description="Jährlicher Gesundheitstag mit Vorsorgeangeboten; mehrsprachige Gesundheitslotsen.",
           target_group="Familien, Ältere", action_field=fields["Gesundheit und Sicherheit"],
           goal=goals["Gesundheit und Prävention stärken"], lead_actor=d.orgs["diakonie"],
           partners=[d.orgs["qm"], d.orgs["int"]], start_date=date(2023, 5, 1), permanent=True, **idea)
    create("G3", ideen[2], number="G 3", title="Sicherheitspartnerschaft mit der Polizei",
           description="Regelmäßige Sprechstunde der Kontaktbeamtin im Stadtteilbüro.",
           target_group="alle Bewohnerinnen und Bewohner", action_field=fields["Gesundheit und Sicherheit"],
           goal=goals["Sicherheitsgefühl im öffentlichen Raum erhöhen"], lead_actor=d.orgs["polizei"],
           partners=[d.orgs["qm"], d.orgs["verw"]], start_date=date(2022, 10, 1), permanent=True, **idea)
    create("G4", ideen[2], number="G 4", title="Aktion „Sauberes Quartier“",
           description="Müllsammelaktionen mit Schulen und Hausgemeinschaften, Patenschaften für Grünflächen.",
           target_group="Schülerinnen und Schüler, Hausgemeinschaften", action_field=fields["Gesundheit und Sicherheit"],
           goal=goals["Sicherheitsgefühl im öffentlichen Raum erhöhen"], lead_actor=d.orgs["qm"],
           partners=[d.orgs["gs"], d.orgs["wohnbau"]], start_date=date(2022, 4, 1), permanent=True, **idea)

    # 1. Sozialträgerkonferenz 03.11.2021: the actors prioritise.
    stk1 = d.meeting("1. Sozialträgerkonferenz", date(2021, 11, 3), ["stk"], [
        ("Begrüßung und Einrichtung der Sozialträgerkonferenz", "einstimmig beschlossen"),
        ("Vorstellung der Ergebnisse der Ideenwerkstatt", "zur Kenntnis genommen"),
        ("Priorisierung der Maßnahmen", "einstimmig beschlossen"),
        ("Einrichtung der Arbeitsgruppen", "einstimmig beschlossen"),
    ])
    for key, prio in (("W1", H), ("W2", M), ("W3", M), ("W4", N), ("S2", H), ("S3", H), ("S6", M), ("F1", H),
                      ("F2", M), ("F3", M), ("F4", N), ("G1", H), ("G2", N), ("G3", M), ("G4", N)):
        services.change_priority(measures[key], stk1[2], prio)
    for key in ("W1", "S2", "S3", "F1", "F2", "G1", "G4"):
        services.change_status(measures[key], stk1[2], S.GEPLANT)

    ag_int = d.meeting("Arbeitsgruppe Integration und Nachbarschaft", date(2022, 2, 15), ["ag_int"], [
        ("Start Sprachcafé", "einstimmig beschlossen"),
        ("Schulung der Integrationslotsinnen", "einstimmig beschlossen"),
    ], hour=10)
    services.change_status(measures["S2"], ag_int[0], S.ANGESCHOBEN)
    services.change_status(measures["S3"], ag_int[1], S.ANGESCHOBEN)

    # 2. Sozialträgerkonferenz 24.05.2022
    stk2 = d.meeting("2. Sozialträgerkonferenz", date(2022, 5, 24), ["stk"], [
        ("Sachstand der Maßnahmen", "zur Kenntnis genommen"),
        ("Abstimmung des Vorgehens zum Maßnahmenplan", "einstimmig beschlossen"),
        ("Neue Maßnahmen aus den Arbeitsgruppen", "einstimmig beschlossen"),
    ])
    for key, status in (("W1", S.ANGESCHOBEN), ("F2", S.ANGESCHOBEN), ("G4", S.LAUFEND), ("S5", S.UMGESETZT),
                        ("S1", S.LAUFEND), ("G1", S.ANGESCHOBEN), ("F4", S.GEPLANT)):
        services.change_status(measures[key], stk2[0], status)
    create("F5", stk2[2], number="F 5", title="Kulturwerkstatt für Seniorinnen und Senioren",
           description="Erzählcafé und Kreativangebote, auch als Brücke zwischen Alteingesessenen und Zugezogenen.",
           target_group="Ältere Menschen", action_field=fields["Freizeit und Kultur"],
           goal=goals["Begegnung und Kultur im Quartier fördern"], lead_actor=d.orgs["awo"],
           partners=[d.orgs["qm"]], start_date=date(2022, 10, 1), permanent=True, status=S.GEPLANT, priority=N,
           origin_note="AG Kinder, Jugend und Familie")

    # The council's decision of 06.10.2022 on BV/0240/2021-2026 brings in the Integrationskonzept
    # as a candidate measure whose priority the actors decide.
    integration_origin = seed_item
    if integration_origin is None:
        jos = d.meeting("Sitzung des Jugend-, Ordnungs- und Sozialausschusses", date(2022, 10, 6), ["jos"], [
            ("Antrag der Gruppe Grüne – KA – Linke auf Erstellung eines Integrationskonzeptes", AgendaItemResult.MEHRHEITLICH),
        ], hour=18)
        integration_origin = jos[0]
    create("S4", integration_origin, number="S 4", title="Integrationskonzept für die Gemeinde",
           description=(
               "Erstellung eines Integrationskonzepts als Teil des Maßnahmenplans. Nach dem Beschluss zur Vorlage "
               "BV/0240/2021-2026 entscheiden die Akteure in den Sozialträgerkonferenzen über seine Priorität."
           ),
           target_group="Zugewanderte und aufnehmende Gesellschaft", action_field=fields["Soziales"],
           goal=goals["Integration und Teilhabe fördern"], lead_actor=d.orgs["int"],
           partners=[d.orgs["qm"], d.orgs["verw"], d.orgs["caritas"], d.orgs["diakonie"]],
           status=S.IDEE, priority=None,
           note="Dem Antrag auf ein extern erstelltes Integrationskonzept wird nicht gefolgt; der Maßnahmenplan wird fortgeführt.")

    # 3. Sozialträgerkonferenz 08.03.2023: priorities, status, adoption of the plan.
    stk3 = d.meeting("3. Sozialträgerkonferenz", date(2023, 3, 8), ["stk"], [
        ("Sachstand der Maßnahmen", "zur Kenntnis genommen"),
        ("Priorität der Erstellung eines Integrationskonzeptes", "mehrheitlich beschlossen"),
        ("Beschluss des sozialen Maßnahmenplans", "einstimmig beschlossen"),
    ])
    services.change_priority(measures["S4"], stk3[1], M, note="Erst nach Start der Integrationslotsen angehen.")
    for key, status in (("W3", S.LAUFEND), ("S2", S.LAUFEND), ("F1", S.UMGESETZT), ("F2", S.UMGESETZT),
                        ("S6", S.ANGESCHOBEN), ("G3", S.ANGESCHOBEN), ("F4", S.LAUFEND)):
        services.change_status(measures[key], stk3[0], status)

    fund("S1", (F.STAEDTEBAUFOERDERUNG, 2021, "40000", ""), (F.EIGENMITTEL, 2021, "20000", ""),
         (F.STAEDTEBAUFOERDERUNG, 2022, "42000", ""), (F.EIGENMITTEL, 2022, "21000", ""),
         (F.STAEDTEBAUFOERDERUNG, 2023, "44000", ""), (F.EIGENMITTEL, 2023, "22000", ""))
    fund("W1", (F.STAEDTEBAUFOERDERUNG, 2022, "12000", ""), (F.DRITTE, 2022, "6000", "Wohnbau Ahlhorn GmbH"),
         (F.STAEDTEBAUFOERDERUNG, 2023, "12000", ""), (F.DRITTE, 2023, "6000", "Wohnbau Ahlhorn GmbH"))
    fund("W3", (F.STAEDTEBAUFOERDERUNG, 2022, "8000", ""), (F.EIGENMITTEL, 2022, "4000", ""))
    fund("S2", (F.ANDERE_PROGRAMME, 2022, "9500", "Gute Nachbarschaft"), (F.ANDERE_PROGRAMME, 2023, "9500", "Gute Nachbarschaft"),
         (F.EIGENMITTEL, 2023, "2000", ""))
    fund("S3", (F.ANDERE_PROGRAMME, 2022, "6000", "Landesprogramm Integration"), (F.EIGENMITTEL, 2023, "3000", ""))
    fund("S5", (F.VERFUEGUNGSFONDS, 2021, "2800", ""))
    fund("F1", (F.EIGENMITTEL, 2022, "35000", ""), (F.EIGENMITTEL, 2023, "52000", ""))
    fund("F2", (F.VERFUEGUNGSFONDS, 2022, "3000", ""), (F.VERFUEGUNGSFONDS, 2023, "3500", ""), (F.DRITTE, 2023, "1000", "Sponsoring örtlicher Betriebe"))
    fund("F4", (F.VERFUEGUNGSFONDS, 2022, "2500", ""), (F.EIGENMITTEL, 2023, "4000", ""))
    fund("G1", (F.STAEDTEBAUFOERDERUNG, 2023, "15000", ""), (F.EIGENMITTEL, 2023, "7500", ""))
    fund("G4", (F.VERFUEGUNGSFONDS, 2022, "800", ""), (F.VERFUEGUNGSFONDS, 2023, "900", ""))
    fund("S4", (F.EIGENMITTEL, 2024, "25000", "Kostenschätzung"))

    def indicator(key: str, kind: str, name: str, unit: str, target: str, values: dict[int, tuple[str | None, str | None]]) -> None:
        ind = Indicator.objects.create(measure=measures[key], kind=kind, name=name, unit=unit, target_value=Decimal(target))
        for year, (soll, ist) in values.items():
            IndicatorValue.objects.create(
                indicator=ind, year=year, target_value=Decimal(soll) if soll else None,
                actual_value=Decimal(ist) if ist else None,
            )

    indicator("S1", IndicatorKind.INPUT, "Eingesetzte Fördermittel", "EUR", "130000",
              {2022: ("63000", "63000"), 2023: ("66000", "61500"), 2024: ("66000", "66000")})
    indicator("S1", IndicatorKind.OUTPUT, "Beratungskontakte im Stadtteilbüro", "Kontakte", "1200",
              {2022: ("800", "740"), 2023: ("1000", "1130"), 2024: ("1200", "1265")})
    indicator("S2", IndicatorKind.OUTPUT, "Teilnehmende am Sprachcafé", "Personen", "60",
              {2022: ("40", "38"), 2023: ("50", "57"), 2024: ("60", "61")})
    indicator("F1", IndicatorKind.OUTPUT, "Besuche im Jugendtreff", "Besuche je Woche", "80",
              {2023: ("60", "72"), 2024: ("80", "77")})
    indicator("F2", IndicatorKind.OUTPUT, "Besucherinnen und Besucher des Quartiersfests", "Personen", "600",
              {2022: ("400", "450"), 2023: ("500", "620")})
    indicator("W1", IndicatorKind.OUTPUT, "Beratene Haushalte", "Haushalte", "150",
              {2022: ("50", "42"), 2023: ("100", "96"), 2024: ("150", "141")})
    indicator("G1", IndicatorKind.OUTPUT, "Beseitigte Angsträume", "Orte", "8", {2023: ("3", "2"), 2024: ("6", "5")})
    indicator("S1", IndicatorKind.KONTEXT, "Einwohnerinnen und Einwohner im Fördergebiet", "Personen", "1825",
              {2022: (None, "1811"), 2023: (None, "1825"), 2024: (None, "1843")})
    indicator("S3", IndicatorKind.KONTEXT, "Anteil Personen ohne deutsche Staatsangehörigkeit", "%", "0",
              {2022: (None, "31.5"), 2023: (None, "33.2"), 2024: (None, "33.9")})

    edition_2023 = services.adopt_plan(plan, stk3[2], "Fortschreibung 2023",
                                       note="Der Maßnahmenplan wird als offener Plan regelmäßig fortgeschrieben.")
    # The committee takes note of the adopted plan.
    committee_meeting = (
        Meeting.objects.filter(organizations=committee, start__date__gt=date(2023, 3, 8), cancelled=False)
        .order_by("start").first()
    )
    title = "Sozialer Maßnahmenplan Quartier Wildeshauser Straße – Fortschreibung 2023"
    if committee_meeting is not None:
        note_item = d.append_item(committee_meeting, title, AgendaItemResult.KENNTNIS)
    else:
        note_item = d.meeting(f"Sitzung des {committee.name}", date(2023, 4, 20), ["jos"], [
            (title, AgendaItemResult.KENNTNIS),
        ], hour=18)[0]
    services.note_edition(edition_2023, note_item)

    # 2024: the plan moves on (invented).
    ag_kjf = d.meeting("Arbeitsgruppe Kinder, Jugend und Familie", date(2023, 11, 14), ["ag_kjf"], [
        ("Elterncafé: Sachstand", "zur Kenntnis genommen"),
        ("Ferienprogramm 2024", "einstimmig beschlossen"),
    ], hour=10)
    services.change_status(measures["F4"], ag_kjf[1], S.VERSTETIGT)
    stk4 = d.meeting("4. Sozialträgerkonferenz", date(2024, 3, 13), ["stk"], [
        ("Sachstand der Maßnahmen", "zur Kenntnis genommen"),
        ("Integrationskonzept: Priorität und Auftrag", "einstimmig beschlossen"),
        ("Neue Maßnahmen", "einstimmig beschlossen"),
        ("Fortschreibung des Maßnahmenplans", "einstimmig beschlossen"),
    ])
    services.change_priority(measures["S4"], stk4[1], H, note="Die Integrationslotsen haben Bedarf an gemeinsamen Zielen gezeigt.")
    services.change_status(measures["S4"], stk4[1], S.GEPLANT)
    for key, status in (("W1", S.LAUFEND), ("S3", S.LAUFEND), ("F2", S.VERSTETIGT), ("G1", S.LAUFEND),
                        ("G2", S.VERWORFEN), ("W4", S.ANGESCHOBEN)):
        services.change_status(measures[key], stk4[0], status, note="Kein Träger gefunden." if key == "G2" else "")
    services.change_priority(measures["F3"], stk4[0], H)
    create("G5", stk4[2], number="G 5", title="Trinkbrunnen und schattige Sitzplätze an der Wildeshauser Straße",
           description="Hitzeschutz im Straßenraum, umgesetzt mit der Umgestaltung der Wildeshauser Straße.",
           target_group="Ältere, Familien mit kleinen Kindern", action_field=fields["Gesundheit und Sicherheit"],
           goal=goals["Gesundheit und Prävention stärken"], lead_actor=d.orgs["verw"],
           partners=[d.orgs["st"], d.orgs["qm"]], building_measures=[buildings["B 6"]],
           start_date=date(2025, 4, 1), end_date=date(2027, 10, 31), status=S.GEPLANT, priority=M)
    fund("G5", (F.STAEDTEBAUFOERDERUNG, 2025, "30000", ""), (F.EIGENMITTEL, 2025, "15000", ""))
    services.remove_measure(measures["S6"], stk4[0], note="Das Elterncafé geht im Sprachcafé mit Kinderbetreuung (S 2) auf.")
    w2 = Measure.objects.get(pk=measures["W2"].pk)
    w2.description += " Ab 2024 gemeinsam mit der Wohnbau Ahlhorn GmbH in allen Wohnanlagen."
    w2._change_reason = "Beschreibung fortgeschrieben"  # type: ignore[attr-defined]
    w2.save()
    services.adopt_plan(plan, stk4[3], "Fortschreibung 2024")

    # After the 2024 edition: the current plan has moved on again.
    ag_int2 = d.meeting("Arbeitsgruppe Integration und Nachbarschaft", date(2024, 9, 17), ["ag_int"], [
        ("Integrationskonzept: Auftakt", "einstimmig beschlossen"),
    ], hour=10)
    services.change_status(measures["S4"], ag_int2[0], S.ANGESCHOBEN)
    _places(d, measures)
    if not body.letterhead:
        Body.objects.filter(pk=body.pk).update(
            letterhead="Fachbereich 3 – Bürgerdienste und Soziales\nMarkt 1 · 26197 Großenkneten\nwww.grossenkneten.de")
    return plan


# The Quartier's places (coordinates WGS 84, approximate, from the map of Ahlhorn).
PLACES = {
    "zentrum": ("Quartierszentrum Ahlhorn", "Wildeshauser Straße 20", 52.8988, 8.2365),
    "park": ("Spiel- und Bewegungsfläche Parkstraße", "Parkstraße", 52.9003, 8.2331),
    "strasse": ("Wildeshauser Straße (Ortsdurchfahrt)", "Wildeshauser Straße", 52.8979, 8.2392),
}
PLACE_OF_MEASURE = {"S1": "zentrum", "F1": "zentrum", "F3": "park", "G5": "strasse", "G1": "strasse"}


def _places(d: _Demo, measures: dict[str, Measure]) -> None:
    places = {}
    for key, (name, street, lat, lon) in PLACES.items():
        places[key] = Location.objects.create(
            description=name, street_address=street, postal_code="26197", sub_locality="Ahlhorn",
            locality="Großenkneten", geojson=point_feature(lat, lon, name),
        )
    for key, place in PLACE_OF_MEASURE.items():
        Measure.objects.filter(pk=measures[key].pk).update(location=places[place])
    if d.location.geojson is None:  # the Quartierszentrum the meetings take place in
        Location.objects.filter(pk=d.location.pk).update(geojson=point_feature(52.8988, 8.2365, str(d.location)))
