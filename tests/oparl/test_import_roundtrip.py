"""Round trip: a body exported by our own OParl server (on a live port) and imported into an
empty database gives the same public data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from ratsinfo.bodies.models import Body, LegislativeTerm, Location, Membership, Organization, Person
from ratsinfo.files.models import File
from ratsinfo.lib.access import PUBLIC
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.oparl.importer.client import ClientConfig
from ratsinfo.oparl.importer.run import ImportOptions, dump_only, run_import
from ratsinfo.oparl.models import ImportSource
from ratsinfo.papers.models import Consultation, Paper
from tests.oparl.conftest import OPARL_SECRET

ANON = PUBLIC


def _s(value: dt.datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() if value else None


def _loc(loc: Location | None) -> Any:
    return loc and (loc.description, loc.street_address, loc.room, loc.postal_code, loc.locality, loc.geojson)


def _names(qs: Any) -> list[str]:
    return sorted(o.name for o in qs.visible_to(ANON))


def public_snapshot() -> dict[str, Any]:
    """Everything the public may see, keyed by natural keys (primary keys differ after import)."""
    snap: dict[str, Any] = {}
    snap["bodies"] = sorted(
        (b.name, b.short_name, b.website, b.license, b.ags, b.classification, _loc(b.location),
         _s(b.created), _s(b.modified))
        for b in Body.objects.visible_to(ANON))
    snap["terms"] = sorted((t.name, t.start_date, t.end_date) for t in LegislativeTerm.objects.visible_to(ANON))
    snap["organizations"] = sorted(
        (o.name, o.short_name, o.kind, o.start_date, o.end_date, o.meetings_public, _loc(o.location),
         o.parent.name if o.parent else None, _s(o.modified))
        for o in Organization.objects.visible_to(ANON))
    snap["persons"] = sorted(
        (p.name, p.given_name, p.family_name, p.titles, p.email, p.phone, _loc(p.location), _s(p.modified))
        for p in Person.objects.visible_to(ANON))
    snap["memberships"] = sorted(
        (m.person.name, m.organization.name, m.role, m.voting_right, m.start_date, m.end_date,
         m.on_behalf_of.name if m.on_behalf_of else None)
        for m in Membership.objects.visible_to(ANON))
    snap["meetings"] = sorted(
        (m.name, _s(m.start), _s(m.end), m.meeting_state, m.cancelled, _loc(m.location),
         _names(m.organizations), _names(m.participants))
        for m in Meeting.objects.visible_to(ANON))
    snap["agenda_items"] = sorted(
        (a.meeting.name, a.number, a.order, a.name, a.public, a.result, a.resolution_text)
        for a in AgendaItem.objects.visible_to(ANON))
    snap["papers"] = sorted(
        (p.reference, p.name, p.date, p.paper_type, p.slug, _names(p.under_direction_of),
         _names(p.originator_persons), sorted(r.reference for r in p.related_papers.visible_to(ANON)),
         _s(p.created), _s(p.modified))
        for p in Paper.objects.visible_to(ANON))
    visible_items = set(AgendaItem.objects.visible_to(ANON).values_list("pk", flat=True))
    snap["consultations"] = sorted(
        (c.paper.reference, c.order, c.role, c.authoritative, c.organization.name if c.organization else None,
         c.meeting.name if c.meeting else None,
         c.agenda_item.number if c.agenda_item_id in visible_items else None)  # a non-public item stays hidden
        for c in Consultation.objects.visible_to(ANON))
    snap["files"] = sorted(
        (f.name, f.file_name, f.mime_type, f.size, f.sha512, f.role,
         f.paper.reference if f.paper else None, f.meeting.name if f.meeting else None,
         f.agenda_item.number if f.agenda_item_id in visible_items else None)
        for f in File.objects.visible_to(ANON))
    return snap


@pytest.mark.django_db(transaction=True)
def test_our_own_export_imports_into_an_empty_database_with_the_same_public_data(
        live_server: Any, oparl_town: Any, tmp_path: Path) -> None:
    before = public_snapshot()
    assert before["papers"] and before["consultations"] and before["files"]
    dump = tmp_path / "dump"
    pages = dump_only(f"{live_server.url}/oparl/v1.1/", str(dump), ClientConfig(retries=1, backoff=0.01))
    assert pages > 5
    assert OPARL_SECRET not in "".join(p.read_text() for p in (dump / "pages").iterdir())
    # empty the database (also the non-public records, which never left the server)
    for model in (File, Consultation, AgendaItem, Meeting, Paper, Membership, Person, Organization,
                  LegislativeTerm, Body, Location):
        model.objects.all().delete()

    result = run_import(ImportOptions(from_dir=str(dump), progress=False))

    after = public_snapshot()
    for key in before:
        assert after[key] == before[key], key
    assert result.stats.total("übersprungen") == 0
    assert File.objects.exclude(external_access_url="").count() == File.objects.count()
    # a second import of the same export changes nothing
    again = run_import(ImportOptions(from_dir=str(dump), progress=False))
    assert again.stats.total("neu") == 0 and again.stats.total("geändert") == 0
    assert ImportSource.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_importer_crawls_our_server_live_and_builds_a_faithful_copy(
        live_server: Any, oparl_town: Any, tmp_path: Path) -> None:
    url = f"{live_server.url}/oparl/v1.1/"
    result = run_import(ImportOptions(url=url, progress=False, client=ClientConfig(retries=1, backoff=0.01)))
    assert result.complete and result.stats.total("übersprungen") == 0
    # same database: the copy lives next to the original, marked by its source URL
    copy = Paper.objects.get(source_url__startswith=live_server.url)
    original = oparl_town.paper
    assert copy.reference == original.reference and copy.body != original.body
    assert copy.slug == "BV-0240-2021-2026-2"
    assert [(c.order, c.role, c.organization.name, c.meeting.name) for c in copy.consultations.all()] == [
        (c.order, c.role, c.organization.name, c.meeting.name) for c in original.consultations.all()]
    assert copy.consultations.get(order=1).agenda_item.number == "Ö 5"
    assert sorted(copy.files.values_list("name", flat=True)) == ["Beschlussvorlage"]
    assert not Paper.objects.filter(source_url__isnull=False, name__contains=OPARL_SECRET).exists()
    assert not AgendaItem.objects.filter(source_url__isnull=False, name__contains=OPARL_SECRET).exists()
    assert not File.objects.filter(source_url__isnull=False, name__contains=OPARL_SECRET).exists()
