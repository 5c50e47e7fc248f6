"""The OParl importer against a clean local server: mirror, re-import, incremental, dump."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ratsinfo.bodies.models import Body, Membership, Organization, OrganizationKind, Person
from ratsinfo.files.models import File, FileRole
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.oparl.importer.client import ClientConfig
from ratsinfo.oparl.importer.run import ImportOptions, run_import
from ratsinfo.oparl.models import ImportSource
from ratsinfo.papers.models import Consultation, Paper, PaperState
from tests.oparl.test_import_support import FixtureServer, town_routes

FAST = ClientConfig(retries=2, backoff=0.01, timeout=5)


def do_import(url: str | None = None, **kwargs: Any) -> Any:
    return run_import(ImportOptions(url=url, client=FAST, progress=False, **kwargs))


def consultation_item_is_public(paper: Paper) -> bool:
    item = paper.consultations.get().agenda_item
    return item.public and item.ever_public and all(f.ever_public for f in File.objects.filter(paper=paper))


@pytest.fixture
def town_server() -> Any:
    with FixtureServer(town_routes()) as server:
        yield server


def test_a_body_is_mirrored_with_its_papers_meetings_people_and_files(db: Any, town_server: FixtureServer) -> None:
    result = do_import(town_server.url("/oparl/"))

    body = Body.objects.get(source_url=town_server.url("/oparl/body/1"))
    assert body.name == "Gemeinde Musterfeld"
    assert body.legislative_terms.get().name == "2021-2026"
    papers = Paper.objects.filter(body=body)
    assert papers.count() == 5
    paper = papers.get(reference="BV/0003/2024")
    # imported data is public: OParl only publishes what is public
    assert paper.state == PaperState.FREIGEGEBEN and paper.public
    assert paper in Paper.objects.visible_to(None)
    # it has been public, so our own OParl server will report its deletion as a tombstone later
    assert paper.ever_public and consultation_item_is_public(paper)
    assert paper.slug == "BV-0003-2024"
    assert [o.name for o in paper.under_direction_of.all()] == ["Bauausschuss"]
    consultation = paper.consultations.get()
    assert consultation.meeting.name == "3. Sitzung des Bauausschusses"
    assert consultation.agenda_item.number == "Ö 3"
    assert consultation.organization.short_name == "BA"
    main = File.objects.get(paper=paper)
    assert main.role == FileRole.MAIN and main.external_access_url.endswith("/file/3/access")
    assert not main.content  # no copy of the content: a placeholder with the external URL
    meeting = Meeting.objects.get()
    assert meeting.agenda_items.count() == 5
    assert meeting.location.description == "Rathaus, Saal 1"
    assert list(meeting.organizations.values_list("name", flat=True)) == ["Bauausschuss"]
    assert File.objects.get(meeting=meeting).role == FileRole.RESULTS_PROTOCOL
    assert Organization.objects.get(name="Rat der Gemeinde").kind == OrganizationKind.RAT
    assert Organization.objects.get(name="Bauausschuss").kind == OrganizationKind.FACHAUSSCHUSS
    anna = Person.objects.get(family_name="Meyer")
    assert Membership.objects.get(person=anna).organization.name == "Rat der Gemeinde"
    # the source's timestamps are kept
    assert paper.modified.isoformat() == "2024-01-10T09:00:00+00:00"
    assert result.complete
    assert result.stats.counts["Paper"]["neu"] == 5
    assert result.stats.counts["Consultation"]["neu"] == 5
    assert "Paper" in result.summary()
    # history is kept for imported objects too
    assert paper.history.count() == 1


def test_a_second_run_asks_only_for_changes_and_changes_nothing(db: Any, town_server: FixtureServer) -> None:
    do_import(town_server.url("/oparl/"))
    history_before = Paper.history.count() + Consultation.history.count() + AgendaItem.history.count()
    town_server.hits.clear()

    second = do_import(town_server.url("/oparl/"))

    list_hits = [h for h in town_server.hits if "/body/1/" in h]
    assert list_hits and all("modified_since=" in h for h in list_hits)
    assert second.stats.total("neu") == 0
    assert second.stats.total("geändert") == 0
    assert second.stats.counts["Paper"]["unverändert"] == 5
    assert Paper.history.count() + Consultation.history.count() + AgendaItem.history.count() == history_before


def test_changes_and_deletions_arrive_with_the_next_run(db: Any, town_server: FixtureServer) -> None:
    do_import(town_server.url("/oparl/"))
    town_server.routes = town_routes(modified="2024-02-01T08:00:00+01:00", paper_names={2: "Bebauungsplan geändert"},
                                     deleted_persons=(2,))

    result = do_import(town_server.url("/oparl/"))

    assert Paper.objects.get(reference="BV/0002/2024").name == "Bebauungsplan geändert"
    bernd = Person.objects.get(family_name="Schulz")
    assert bernd.deleted
    assert bernd not in Person.objects.visible_to(None)
    assert result.stats.counts["Person"]["gelöscht"] == 1
    assert result.stats.counts["Paper"]["geändert"] == 5  # all got a new `modified`
    assert Paper.objects.get(reference="BV/0002/2024").history.count() == 2


def test_a_dump_replays_into_an_empty_database(db: Any, town_server: FixtureServer, tmp_path: Path) -> None:
    do_import(town_server.url("/oparl/"), dump_dir=str(tmp_path / "dump"))
    snapshot = sorted(Paper.objects.values_list("reference", "name", "slug", "modified"))
    assert (tmp_path / "dump" / "index.jsonl").is_file()
    for model in (File, Consultation, AgendaItem, Meeting, Paper, Membership, Person, Organization, Body):
        model.objects.all().delete()
    ImportSource.objects.all().delete()

    result = do_import(from_dir=str(tmp_path / "dump"))

    assert sorted(Paper.objects.values_list("reference", "name", "slug", "modified")) == snapshot
    assert Consultation.objects.filter(agenda_item__isnull=False, meeting__isnull=False).count() == 5
    assert result.stats.counts["Paper"]["neu"] == 5


def test_the_command_reports_per_type_and_refuses_unclear_calls(db: Any, town_server: FixtureServer,
                                                                 caplog: Any) -> None:
    out = io.StringIO()
    call_command("oparl_import", town_server.url("/oparl/"), "--no-progress", stdout=out)
    text = out.getvalue()
    assert "OParl-Import abgeschlossen" in text
    assert "Paper" in text and "neu" in text
    with pytest.raises(CommandError, match="genau eines"):
        call_command("oparl_import")
    with caplog.at_level(logging.WARNING), pytest.raises(CommandError, match="nicht lesbar"):
        call_command("oparl_import", town_server.url("/gibt-es-nicht/"), "--no-progress", "--retries", "0")


def test_oparl_dump_writes_a_directory_that_oparl_import_reads(db: Any, town_server: FixtureServer,
                                                               tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("oparl_dump", town_server.url("/oparl/"), str(tmp_path / "d"), stdout=out)
    assert "Seiten nach" in out.getvalue()
    assert Paper.objects.count() == 0  # dumping alone writes nothing into the database
    out = io.StringIO()
    call_command("oparl_import", "--from-dir", str(tmp_path / "d"), "--no-progress", stdout=out)
    assert Paper.objects.count() == 5 and "abgeschlossen" in out.getvalue()
    with pytest.raises(CommandError, match=r"index\.jsonl"):
        call_command("oparl_import", "--from-dir", str(tmp_path / "leer"), "--no-progress")
