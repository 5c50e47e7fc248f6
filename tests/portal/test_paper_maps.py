"""The map of a Vorlage's places and the start page's map of the last months' Vorlagen: a text
alternative always, tiles only on request, and never a place of a Vorlage the visitor may not see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from ratsinfo.bodies.models import Body, Location, Organization, OrganizationKind
from ratsinfo.bodies.roles import RATSMITGLIED
from ratsinfo.lib.geo import point_feature
from ratsinfo.papers.models import Consultation, ConsultationRole, Paper, PaperState, PaperType
from tests.conftest import account, join

pytestmark = pytest.mark.django_db
PLOT = "Flurstück 41/7 an der Wildeshauser Straße"


@dataclass
class Town:
    public_paper: Paper
    old_paper: Paper
    land_deal: Paper
    park: Location
    plot: Location
    finance_member: User
    social_member: User


def _place(name: str, lat: float, lon: float) -> Location:
    return Location.objects.create(description=name, street_address=name.split(" an der ")[-1], postal_code="26197",
                                   sub_locality="Ahlhorn", locality="Großenkneten", geojson=point_feature(lat, lon, name))


def _paper(body: Body, reference: str, name: str, days_ago: int, *, public: bool = True) -> Paper:
    return Paper.objects.create(body=body, reference=reference, name=name, paper_type=PaperType.BESCHLUSSVORLAGE,
                                date=timezone.localdate() - timedelta(days=days_ago), public=public,
                                state=PaperState.FREIGEGEBEN)


@pytest.fixture
def town(body: Body) -> Town:
    finance = Organization.objects.create(body=body, name="Finanzausschuss", short_name="FinA",
                                          kind=OrganizationKind.FACHAUSSCHUSS)
    social = Organization.objects.create(body=body, name="Jugend-, Ordnungs- und Sozialausschuss", short_name="JOS",
                                         kind=OrganizationKind.FACHAUSSCHUSS)
    park = _place("Spielfläche Parkstraße", 52.9003, 8.2331)
    plot = _place(PLOT, 52.8969, 8.2418)
    school = _place("Grundschule Ahlhorn", 52.9018, 8.2372)
    public_paper = _paper(body, "BV/0300/2021-2026", "Neugestaltung der Spielfläche Parkstraße", 20)
    public_paper.locations.add(park)
    old_paper = _paper(body, "BV/0100/2021-2026", "Ganztagsbetreuung an der Grundschule Ahlhorn", 400)
    old_paper.locations.add(school)
    land_deal = _paper(body, "BV/0301/2021-2026", "Grundstücksangelegenheit: Ankauf einer Fläche", 10, public=False)
    land_deal.locations.add(plot, park)
    Consultation.objects.create(paper=land_deal, organization=finance, role=ConsultationRole.ENTSCHEIDUNG, order=1)
    finance_member = account("ratsherr", RATSMITGLIED, body=body)
    join(finance_member, finance)
    social_member = account("ratsfrau", RATSMITGLIED, body=body)
    join(social_member, social)
    return Town(public_paper, old_paper, land_deal, park, plot, finance_member, social_member)


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def map_block(page: str) -> str:
    start = page.index('class="map-block"')
    return page[start:page.index("</section>", start)]


def test_vorlage_shows_its_places_as_a_list_and_a_map_loaded_only_on_request(
        town: Town, citizen_client: Client, settings: Any) -> None:
    settings.RATSINFO_MAP_TILE_URL = "https://karten.example.org/{z}/{x}/{y}.png"
    page = html(citizen_client, town.public_paper.get_absolute_url())
    block = map_block(page)
    assert "Orte der Vorlage" in block and "Spielfläche Parkstraße" in block
    assert "52,90030° N" in block and "8,23310° O" in block  # the text alternative
    assert 'data-tiles="https://karten.example.org/{z}/{x}/{y}.png"' in block and "<img" not in block
    assert "Karte anzeigen" in block and "hidden" in block[block.index("map-canvas") - 40:]


def test_vorlage_without_places_has_no_map(town: Town, body: Body, citizen_client: Client) -> None:
    bare = _paper(body, "MV/0001/2021-2026", "Bericht der Gleichstellungsbeauftragten", 5)
    assert "map-block" not in html(citizen_client, bare.get_absolute_url())


def test_start_page_maps_the_visible_vorlagen_of_the_last_months(
        town: Town, citizen_client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(30):
        page = html(citizen_client, "/")
    block = map_block(page)
    assert "Karte anzeigen" in block
    assert town.public_paper.reference in block and town.public_paper.get_absolute_url() in block
    assert town.old_paper.reference not in block  # older than the last months


@pytest.mark.parametrize("who", ["anonymous", "member of another Gremium"])
def test_a_non_public_vorlages_place_stays_within_its_audience(town: Town, client: Client, who: str) -> None:
    if who != "anonymous":
        client.force_login(town.social_member)
    home = html(client, "/")
    assert PLOT not in home and town.land_deal.reference not in home
    assert client.get(town.land_deal.get_absolute_url()).status_code == 404
    oparl = client.get(f"/oparl/v1.1/location/{town.plot.pk}")
    assert oparl.status_code == 404 and PLOT not in oparl.content.decode()
    body_url = client.get("/oparl/v1.1/").json()["body"]
    locations = client.get(client.get(body_url).json()["data"][0]["locationList"]).content.decode()
    assert PLOT not in locations and "Spielfläche Parkstraße" in locations  # a shared place stays public
    assert Location.objects.visible_to(None).filter(pk=town.plot.pk).count() == 0


def test_the_deciding_committees_member_sees_the_land_deals_places(town: Town, client: Client) -> None:
    client.force_login(town.finance_member)
    block = map_block(html(client, "/"))
    assert PLOT in block and town.land_deal.reference in block
    assert PLOT in html(client, town.land_deal.get_absolute_url())
    # the API is always the public view
    assert client.get(f"/oparl/v1.1/location/{town.plot.pk}").status_code == 404
