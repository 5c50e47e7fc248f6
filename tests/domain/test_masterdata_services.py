"""The master-data rules (ratsinfo.bodies.masterdata), called as the screens, the demo and importers call them."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ratsinfo.bodies import masterdata as md
from ratsinfo.bodies.models import (
    Body,
    LegislativeTerm,
    Membership,
    Organization,
    OrganizationKind,
    Person,
)

OLD = (date(2016, 11, 1), date(2021, 10, 31))
NEW = (date(2021, 11, 1), date(2026, 10, 31))


@pytest.fixture
def terms(body: Body) -> tuple[LegislativeTerm, LegislativeTerm]:
    return (LegislativeTerm.objects.create(body=body, name="2016-2021", start_date=OLD[0], end_date=OLD[1]),
            LegislativeTerm.objects.create(body=body, name="2021-2026", start_date=NEW[0], end_date=NEW[1]))


def _gremium(body: Body, name: str, short: str, period: tuple[date, date], **more: object) -> Organization:
    fields = md.GremiumFields(name=name, short_name=short, kind=OrganizationKind.FACHAUSSCHUSS,
                              start_date=period[0], end_date=period[1], **more)  # type: ignore[arg-type]
    return md.save_gremium(body, fields)


def test_a_short_name_is_unique_per_gemeinde_and_term(body: Body, terms: tuple[LegislativeTerm, ...]) -> None:
    old = _gremium(body, "Bauausschuss", "BA", OLD)
    new = _gremium(body, "Bau- und Umweltausschuss", "BA", NEW, predecessor=old)  # the next term may reuse it
    assert md.term_of(old) == terms[0] and md.term_of(new) == terms[1] and new.predecessor == old
    with pytest.raises(md.MasterDataError, match="Kurznamen „ba“ trägt in diesem Zeitraum schon") as refused:
        _gremium(body, "Betriebsausschuss", "ba", NEW)
    assert refused.value.field == "short_name"
    other_town = Body.objects.create(name="Gemeinde Wardenburg")
    assert _gremium(other_town, "Bauausschuss", "BA", NEW).short_name == "BA"
    assert Organization.objects.filter(body=body, short_name__iexact="ba").count() == 2


def test_a_gremium_cannot_continue_itself_or_a_later_one(body: Body, terms: tuple[LegislativeTerm, ...]) -> None:
    new = _gremium(body, "Finanzausschuss", "FA", NEW)
    fields = md.GremiumFields(name="Finanzausschuss", short_name="FA", start_date=NEW[0], predecessor=new)
    with pytest.raises(md.MasterDataError, match="sich selbst"):
        md.save_gremium(body, fields, organization=new, expected_version=md.version_of(new))
    with pytest.raises(md.MasterDataError, match="vor diesem begonnen"):
        _gremium(body, "Alter Finanzausschuss", "AFA", OLD, predecessor=new)


def test_the_verwaltungsausschuss_never_meets_in_public(body: Body) -> None:
    with pytest.raises(md.MasterDataError, match="§ 78"):
        md.save_gremium(body, md.GremiumFields(name="Verwaltungsausschuss", kind=OrganizationKind.VERWALTUNGSAUSSCHUSS))
    va = md.save_gremium(body, md.GremiumFields(name="Verwaltungsausschuss", kind=OrganizationKind.VERWALTUNGSAUSSCHUSS,
                                                meetings_public=False))
    assert va.council_listens


def test_memberships_keep_within_the_gremium_and_never_twice_in_one_role(body: Body, terms: tuple[LegislativeTerm, ...]) -> None:
    jos = _gremium(body, "Jugend-, Ordnungs- und Sozialausschuss", "JOS", NEW)
    anna = Person.objects.create(body=body, family_name="Meyer", given_name="Anna")
    early = md.MembershipFields(person=anna, organization=jos, start_date=date(2020, 1, 1))
    with pytest.raises(md.MasterDataError, match="vor der Gründung"):
        md.add_membership(early)
    with pytest.raises(md.MasterDataError, match="nach der Auflösung"):
        md.add_membership(md.MembershipFields(person=anna, organization=jos, start_date=NEW[0], end_date=date(2027, 1, 1)))
    first = md.add_membership(md.MembershipFields(person=anna, organization=jos, start_date=NEW[0], end_date=date(2023, 6, 30)))
    with pytest.raises(md.MasterDataError, match=re.escape("schon die Rolle „Mitglied“ seit 01.11.2021")):
        md.add_membership(md.MembershipFields(person=anna, organization=jos, role="mitglied", start_date=date(2023, 6, 30)))
    md.add_membership(md.MembershipFields(person=anna, organization=jos, start_date=date(2023, 7, 1)))  # the day after
    with pytest.raises(md.MasterDataError, match=re.escape("endete schon am 30.06.2023")):
        md.end_membership(first, date(2024, 1, 1), expected_version=md.version_of(first))
    md.end_membership(first, date(2023, 3, 31), expected_version=md.version_of(first))
    assert Membership.objects.filter(person=anna, organization=jos).count() == 2


def test_a_deputy_stands_in_for_their_own_group_only(body: Body, terms: tuple[LegislativeTerm, ...]) -> None:
    jos = _gremium(body, "Jugend-, Ordnungs- und Sozialausschuss", "JOS", NEW)
    spd = md.save_gremium(body, md.GremiumFields(name="SPD-Fraktion", short_name="SPD", kind=OrganizationKind.FRAKTION,
                                                 start_date=NEW[0]))
    gruppe = md.save_gremium(body, md.GremiumFields(name="Gruppe Grüne – KA – Linke", short_name="GKL",
                                                    kind=OrganizationKind.GRUPPE, start_date=NEW[0]))
    karl = Person.objects.create(body=body, family_name="Schulz", given_name="Karl")
    md.add_membership(md.MembershipFields(person=karl, organization=spd, start_date=NEW[0], end_date=date(2022, 12, 31)))
    deputy = md.MembershipFields(person=karl, organization=jos, role="Vertreter", deputy=True, on_behalf_of=gruppe,
                                 start_date=NEW[0])
    with pytest.raises(md.MasterDataError, match="nicht für den ganzen Zeitraum Mitglied der Gruppe „Gruppe Grüne – KA – Linke“") as refused:
        md.add_membership(deputy)
    assert refused.value.field == "on_behalf_of"
    in_spd = md.MembershipFields(person=karl, organization=jos, role="Vertreter", deputy=True, on_behalf_of=spd,
                                 start_date=date(2023, 1, 1))
    with pytest.raises(md.MasterDataError, match="nicht für den ganzen Zeitraum Mitglied der Fraktion"):  # he left the Fraktion before
        md.add_membership(in_spd)
    with pytest.raises(md.MasterDataError, match="keine stellvertretenden Mitglieder"):
        md.add_membership(md.MembershipFields(person=karl, organization=spd, deputy=True, on_behalf_of=gruppe))
    held = md.add_membership(md.MembershipFields(person=karl, organization=jos, role="Vertreter", deputy=True,
                                                 on_behalf_of=spd, start_date=NEW[0], end_date=date(2022, 12, 31)))
    assert held.deputy and held.on_behalf_of == spd


def test_a_stale_version_is_refused_and_nothing_changes(body: Body) -> None:
    anna = Person.objects.create(body=body, family_name="Meyer", given_name="Anna")
    seen = md.version_of(anna)
    md.save_person(body, md.PersonFields(family_name="Meyer", given_name="Anna", electoral_area="Ahlhorn"),
                   person=anna, expected_version=seen)
    with pytest.raises(md.MasterDataError, match="inzwischen") as refused:
        md.save_person(body, md.PersonFields(family_name="Meier"), person=anna, expected_version=seen)
    assert refused.value.field == "version"
    fresh = Person.objects.get(pk=anna.pk)
    assert (fresh.family_name, fresh.electoral_area, fresh.name) == ("Meyer", "Ahlhorn", "Anna Meyer")


def test_coordinates_are_read_from_points_and_point_features(db: None) -> None:
    from ratsinfo.bodies.models import Location

    assert md.coordinates_of(Location(geojson={"type": "Point", "coordinates": [8.25, 52.9]})) == (52.9, 8.25)
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [8.1, 52.8]}, "properties": {}}
    assert md.coordinates_of(Location(geojson=feature)) == (52.8, 8.1)
    assert md.coordinates_of(Location(geojson=None)) == (None, None)
    with pytest.raises(md.MasterDataError, match="zwischen -90 und 90"):
        md.save_location(md.LocationFields(description="Nordpol+", latitude=90.5, longitude=0))
