"""The places the demo's Vorlagen concern (OParl Paper.location), named by the Sitzungsdienst through
`papers.workflow.set_places` after the Maßnahmenplan demo has created the Quartier's places.

Coordinates are WGS 84 (GeoJSON [lon, lat]), approximate, read off the map of Großenkneten and Ahlhorn.
Two places are named only by non-public Vorlagen (land deals): the public never sees them."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q

from ratsinfo.bodies.models import Body, Location
from ratsinfo.corpus.demo import SEED_REFERENCE
from ratsinfo.lib.geo import point_feature
from ratsinfo.measures.demo import PLACES as QUARTIER_PLACES
from ratsinfo.papers import workflow
from ratsinfo.papers.models import Paper

# key: (name, street, sub-locality, latitude, longitude)
PLACES = {
    "bahnhof": ("Wohngebiet Am Bahnhof", "Am Bahnhof", "Ahlhorn", 52.9027, 8.2262),
    "dorfplatz": ("Dorfplatz Ahlhorn", "Kirchstraße", "Ahlhorn", 52.9004, 8.2341),
    "schule": ("Grundschule Ahlhorn", "Schulstraße", "Ahlhorn", 52.9018, 8.2372),
    "huntlosen": ("Gewerbegebiet Huntlosen-Nord", "Bahnhofstraße", "Huntlosen", 53.0012, 8.2818),
    "bakenhus": ("Photovoltaik-Freiflächenanlage Bakenhus", "", "Bakenhus", 53.0170, 8.2330),
    "ahlhorn_sued": ("Gewerbegebiet Ahlhorn-Süd, Teilfläche", "Industriestraße", "Ahlhorn", 52.8896, 8.2405),
    "wildeshauser": ("Fläche an der Wildeshauser Straße", "Wildeshauser Straße", "Ahlhorn", 52.8969, 8.2418),
}

# Vorlage (reference or subject) -> the places it concerns (keys of PLACES or of the Quartier's places).
PAPER_PLACES = {
    SEED_REFERENCE: ("zentrum", "park", "strasse"),
    "Sanierungsgebiet „Quartier Wildeshauser Straße“ – Fortschreibung des Rahmenplans": ("zentrum", "strasse"),
    "Fortschreibung des Maßnahmenplans „Sozialer Zusammenhalt“ Ahlhorn": ("zentrum",),
    "Vergabe der Bauleistungen für den Ausbau der Parkstraße": ("park",),
    "Bebauungsplan Nr. 215 „Wohngebiet Am Bahnhof“, Ahlhorn – Aufstellungsbeschluss": ("bahnhof",),
    "Bebauungsplan Nr. 215 „Wohngebiet Am Bahnhof“, Ahlhorn – Satzungsbeschluss": ("bahnhof",),
    "Gestaltung des Dorfplatzes Ahlhorn – Ergebnisse der Bürgerbeteiligung": ("dorfplatz",),
    "Anfrage der SPD-Fraktion zur Schulwegsicherheit an der Grundschule Ahlhorn": ("schule",),
    "Ganztagsbetreuung an der Grundschule Ahlhorn ab dem Schuljahr 2024/2025": ("schule",),
    "Bebauungsplan Nr. 221 „Gewerbegebiet Huntlosen-Nord“ – Aufstellungsbeschluss": ("huntlosen",),
    "52. Änderung des Flächennutzungsplans „Photovoltaik-Freiflächenanlage Bakenhus“": ("bakenhus",),
    "Verkauf einer Teilfläche im Gewerbegebiet Ahlhorn-Süd": ("ahlhorn_sued",),
    "Grundstücksangelegenheit: Ankauf einer Fläche an der Wildeshauser Straße": ("wildeshauser",),
}


def place_demo_papers(body: Body) -> None:
    places = {key: _place(name, street, "Ahlhorn", lat, lon) for key, (name, street, lat, lon) in QUARTIER_PLACES.items()}
    places |= {key: _place(*spec) for key, spec in PLACES.items()}
    office = User.objects.get(username="sitzungsdienst")
    papers = Paper.objects.filter(body=body, deleted=False)
    for key, wanted in PAPER_PLACES.items():
        for paper in papers.filter(Q(reference=key) | Q(name=key)):
            workflow.set_places(paper, office, [places[name] for name in wanted])


def _place(name: str, street: str, sub_locality: str, lat: float, lon: float) -> Location:
    place = Location.objects.filter(description=name, deleted=False).first()
    return place or Location.objects.create(
        description=name, street_address=street, postal_code="26197", sub_locality=sub_locality,
        locality="Großenkneten", geojson=point_feature(lat, lon, name),
    )
