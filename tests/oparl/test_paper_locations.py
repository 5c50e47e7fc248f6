"""Paper.location (OParl 1.1: an array of embedded Locations) from the server to the importer and back;
a place that only a non-public Vorlage names stays out of every list and is no object of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ratsinfo.bodies.models import Location
from ratsinfo.lib.access import PUBLIC
from ratsinfo.lib.geo import point_feature
from ratsinfo.oparl.importer.client import ClientConfig
from ratsinfo.oparl.importer.run import ImportOptions, dump_only, run_import
from ratsinfo.papers.models import Paper
from tests.oparl.conftest import OPARL_SECRET, OParlTown
from tests.oparl.server_helpers import crawl_list, get, get_json, validate, walk

API = "/oparl/v1.1"


def assert_geojson_point(geojson: Any) -> tuple[float, float]:
    """RFC 7946: a Point (or a Point Feature) with [longitude, latitude]; returns (lon, lat)."""
    geometry = geojson["geometry"] if geojson.get("type") == "Feature" else geojson
    assert geometry["type"] == "Point", geojson
    lon, lat = geometry["coordinates"][:2]
    assert isinstance(lon, int | float) and isinstance(lat, int | float)
    assert -180 <= lon <= 180 and -90 <= lat <= 90, geojson
    return lon, lat


@pytest.fixture
def placed_town(oparl_town: OParlTown) -> OParlTown:
    """The Bolzplatz Vorlage names two places; the non-public land deal names a plot of its own."""
    bolzplatz = Location.objects.create(description="Bolzplatz Parkstraße", street_address="Parkstraße",
                                        postal_code="26197", sub_locality="Ahlhorn", locality="Großenkneten",
                                        geojson=point_feature(52.9003, 8.2331, "Bolzplatz"))
    plot = Location.objects.create(description=f"Flurstück {OPARL_SECRET}", street_address="Wildeshauser Straße",
                                   locality="Großenkneten", geojson=point_feature(52.8969, 8.2418))
    oparl_town.paper.locations.add(bolzplatz, oparl_town.rathaus)
    oparl_town.secret_paper.locations.add(plot)
    return oparl_town


def test_paper_embeds_its_places_as_locations_with_geojson(placed_town: OParlTown, citizen_client: Client) -> None:
    paper = get_json(citizen_client, f"{API}/paper/{placed_town.paper.pk}")
    validate(paper, "Paper")
    places = {place["description"]: place for place in paper["location"]}
    assert set(places) == {"Bolzplatz Parkstraße", "Rathaus Ahlhorn"}
    assert assert_geojson_point(places["Bolzplatz Parkstraße"]["geojson"]) == (8.2331, 52.9003)
    own = get_json(citizen_client, places["Bolzplatz Parkstraße"]["id"])
    assert own["streetAddress"] == "Parkstraße" and own["modified"] == places["Bolzplatz Parkstraße"]["modified"]


def test_every_location_the_api_serves_carries_a_valid_point(placed_town: OParlTown, citizen_client: Client) -> None:
    body = get_json(citizen_client, f"{API}/body/{placed_town.body.pk}")
    objects = [*crawl_list(citizen_client, body["locationList"]), *crawl_list(citizen_client, body["paper"])]
    locations = [obj for _path, obj in walk(objects) if obj["type"].endswith("/Location")]
    assert locations
    for location in locations:
        validate(location, "Location", embedded=True)
        lon, lat = assert_geojson_point(location["geojson"])
        assert 7 < lon < 9 and 52 < lat < 54  # Landkreis Oldenburg: longitude first


def test_a_place_only_a_non_public_vorlage_names_is_nowhere_in_the_api(
        placed_town: OParlTown, citizen_client: Client) -> None:
    plot = Location.objects.get(description__contains=OPARL_SECRET)
    body = get_json(citizen_client, f"{API}/body/{placed_town.body.pk}")
    for since in ({}, {"modified_since": "2000-01-01T00:00:00+01:00"}):  # the list with tombstones too
        listed = {int(obj["id"].rsplit("/", 1)[-1]) for obj in crawl_list(citizen_client, body["locationList"], **since)}
        assert placed_town.rathaus.pk in listed and plot.pk not in listed
        assert OPARL_SECRET not in get(citizen_client, body["locationList"], **since).content.decode()
    assert get(citizen_client, f"{API}/location/{plot.pk}").status_code == 404
    # once the Vorlage is public, so is its place
    Paper.objects.filter(pk=placed_town.secret_paper.pk).update(public=True)
    assert get_json(citizen_client, f"{API}/location/{plot.pk}")["description"] == plot.description


def test_naming_a_place_changes_the_papers_modified(placed_town: OParlTown) -> None:
    before = Paper.objects.get(pk=placed_town.paper.pk).modified
    placed_town.paper.locations.remove(placed_town.rathaus)
    assert Paper.objects.get(pk=placed_town.paper.pk).modified > before


def _places(paper: Paper) -> list[tuple[str, str, Any]]:
    return sorted((p.description, p.street_address, p.geojson) for p in paper.locations.visible_to(PUBLIC))


@pytest.mark.django_db(transaction=True)
def test_paper_locations_survive_an_export_and_import_round_trip(
        live_server: Any, placed_town: OParlTown, tmp_path: Path) -> None:
    before = {p.reference: _places(p) for p in Paper.objects.visible_to(PUBLIC)}
    assert len(before["BV/0240/2021-2026"]) == 2
    dump = tmp_path / "dump"
    dump_only(f"{live_server.url}/oparl/v1.1/", str(dump), ClientConfig(retries=1, backoff=0.01))
    assert OPARL_SECRET not in "".join(p.read_text() for p in (dump / "pages").iterdir())
    Paper.objects.all().delete()
    Location.objects.all().delete()

    first = run_import(ImportOptions(from_dir=str(dump), progress=False))

    assert first.stats.total("übersprungen") == 0
    assert {p.reference: _places(p) for p in Paper.objects.visible_to(PUBLIC)} == before
    assert not Location.objects.filter(description__contains=OPARL_SECRET).exists()
    again = run_import(ImportOptions(from_dir=str(dump), progress=False))
    assert again.stats.total("neu") == 0 and again.stats.total("geändert") == 0
