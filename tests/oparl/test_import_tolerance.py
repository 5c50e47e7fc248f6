"""Real-world OParl servers that break the spec in ways seen in the wild: one fixture per fault
(tests/oparl/fixtures/tolerance), laid over the clean little town. Every fault is repaired or
passed over, counted once per kind in the summary, and never stops the run; a run that ends
incomplete says so in one German line and exits non-zero."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ratsinfo.bodies.models import Body, Location, Organization
from ratsinfo.oparl.importer import faults as F
from ratsinfo.oparl.importer.client import ClientConfig
from ratsinfo.oparl.importer.run import ImportOptions, ImportResult, run_import
from ratsinfo.papers.models import Paper
from tests.oparl.test_import_support import FixtureServer, page, town_routes

FAST = ClientConfig(retries=2, backoff=0.01, timeout=5)
FIXTURES = Path(__file__).parent / "fixtures" / "tolerance"


def town_with(fault: str) -> dict[str, Any]:
    """The clean town with the routes of one fault fixture laid over it."""
    return town_routes() | json.loads((FIXTURES / f"{fault}.json").read_text(encoding="utf-8"))["routes"]


def do_import(url: str) -> ImportResult:
    return run_import(ImportOptions(url=url, client=FAST, progress=False))


def counted_once(result: ImportResult, kind: str, times: int = 1) -> bool:
    return sum(line.startswith(f"{kind}: {times}×") for line in result.faults) == 1


def test_an_empty_modified_since_window_answered_with_a_bare_array_is_an_empty_list(db: Any) -> None:
    with FixtureServer(town_routes()) as server:
        do_import(server.url("/oparl/"))
        server.routes = town_with("empty_list_array")
        server.hits.clear()
        result = do_import(server.url("/oparl/"))
        # read once, no retries: a bare [] is an answer, not an error
        assert server.hits.count("/oparl/body/1/paper") == 0
        assert sum(hit.startswith("/oparl/body/1/paper?") for hit in server.hits) == 1
    assert result.complete and result.stats.total("neu") == 0
    assert counted_once(result, F.EMPTY_LIST_ARRAY, 10)
    assert Paper.objects.count() == 5


def test_a_body_list_answering_the_body_itself_imports_that_body(db: Any) -> None:
    with FixtureServer(town_with("single_body")) as server:
        result = do_import(server.url("/oparl/"))
    assert result.complete and counted_once(result, F.SINGLE_OBJECT_LIST)
    assert Body.objects.get().name == "Gemeinde Musterfeld"
    assert Paper.objects.count() == 5


def test_raw_tabs_and_line_breaks_inside_strings_are_read(db: Any) -> None:
    with FixtureServer(town_with("raw_whitespace")) as server:
        result = do_import(server.url("/oparl/"))
        assert server.hits.count("/oparl/body/1/paper") == 1  # no retries for a page that parses
    assert result.complete and counted_once(result, F.RAW_CONTROL)
    assert Paper.objects.get(reference="BV/0001/2024").name == "Bebauungsplan\tNr. 1"
    assert Paper.objects.get(reference="BV/0002/2024").name == "Zeile eins\nZeile zwei"
    assert Paper.objects.count() == 5


def test_a_list_whose_data_is_an_object_is_read(db: Any) -> None:
    with FixtureServer(town_with("data_object")) as server:
        result = do_import(server.url("/oparl/"))
    assert result.complete and counted_once(result, F.DATA_OBJECT, 2)
    assert sorted(Organization.objects.values_list("name", flat=True)) == ["Bauausschuss", "Rat der Gemeinde"]
    assert Location.objects.filter(description="Dorfgemeinschaftshaus").exists()


def test_an_object_referenced_but_in_no_list_is_fetched_by_its_id(db: Any) -> None:
    with FixtureServer(town_with("unlisted")) as server:
        result = do_import(server.url("/oparl/"))
        assert server.hits.count("/oparl/organization/7") == 1
    assert result.complete and counted_once(result, F.UNLISTED)
    paper = Paper.objects.get(reference="BV/0005/2024")
    assert [o.name for o in paper.under_direction_of.all()] == ["Ortsrat Nord"]


def test_a_seven_digit_ags_regains_its_leading_zero(db: Any) -> None:
    with FixtureServer(town_with("ags7")) as server:
        result = do_import(server.url("/oparl/"))
    body = Body.objects.get()
    assert (body.ags, body.rgs) == ("03458008", "034580008008")
    assert result.complete and counted_once(result, F.SHORT_AGS, 2)


def test_an_id_repeated_on_a_later_page_keeps_its_first_version_and_re_runs_write_no_history(db: Any) -> None:
    with FixtureServer(town_with("duplicate_ids")) as server:
        result = do_import(server.url("/oparl/"))
        assert result.complete and counted_once(result, F.DUPLICATE_ID)
        paper = Paper.objects.get(reference="BV/0001/2024")
        assert paper.name == "Bebauungsplan Nr. 1"
        history = Paper.history.count()
        again = run_import(ImportOptions(url=server.url("/oparl/"), client=FAST, progress=False, full=True))
    assert again.stats.total("geändert") == 0 and Paper.history.count() == history
    assert Paper.objects.count() == 5


def test_a_next_link_that_loops_ends_the_list_with_everything_read(db: Any) -> None:
    with FixtureServer(town_with("next_loop")) as server:
        result = do_import(server.url("/oparl/"))
        assert server.hits.count("/oparl/body/1/paper") == 1
    assert result.complete and counted_once(result, F.NEXT_LOOP)
    assert Paper.objects.count() == 5


def run_command(url: str) -> str:
    out = []

    class Sink:
        def write(self, text: str) -> None:
            out.append(text)

        def flush(self) -> None:
            pass

    call_command("oparl_import", url, "--retries", "0", "--no-progress", stdout=Sink())
    return "".join(out)


def test_an_incomplete_run_exits_non_zero_and_names_what_is_missing(db: Any) -> None:
    routes = town_routes()
    routes["/oparl/body/1/paper?page=2"] = {"status": 500, "json": {}}
    with FixtureServer(routes) as server, pytest.raises(CommandError) as failed:
        run_command(server.url("/oparl/"))
    line = str(failed.value)
    assert "\n" not in line
    assert line.startswith("OParl-Import unvollständig: Liste paper ab ")
    assert "/oparl/body/1/paper?page=2: HTTP 500" in line
    assert Paper.objects.count() == 2  # what was read is kept; the next run resumes


def test_a_run_that_finds_no_body_exits_non_zero(db: Any) -> None:
    routes = town_routes()
    routes["/oparl/body"] = page([])
    with FixtureServer(routes) as server, pytest.raises(CommandError, match="keine Körperschaft"):
        run_command(server.url("/oparl/"))


def test_a_complete_run_exits_zero_and_prints_the_summary(db: Any) -> None:
    with FixtureServer(town_with("next_loop")) as server:
        text = run_command(server.url("/oparl/"))
    assert text.startswith("OParl-Import abgeschlossen")
    assert F.NEXT_LOOP in text
