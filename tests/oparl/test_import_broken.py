"""The importer against servers that do things wrong: it repairs, skips with a clear log line
naming the object URL, and never crashes."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratsinfo.bodies.models import Body, LegislativeTerm, Membership, Organization, Person
from ratsinfo.files.models import File
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.oparl.importer.clean import Cleaner, parse_json
from ratsinfo.oparl.importer.client import Client, ClientConfig, iter_list
from ratsinfo.oparl.importer.mapping import Applier, Stats
from ratsinfo.oparl.importer.run import ImportOptions, run_import
from ratsinfo.oparl.models import ImportSource
from ratsinfo.papers.models import Consultation, Paper
from tests.oparl.test_import_support import FixtureServer, S, load_routes, page, town_routes

FAST = ClientConfig(retries=2, backoff=0.01, timeout=5)


def do_import(url: str, **kwargs: Any) -> Any:
    return run_import(ImportOptions(url=url, client=FAST, progress=False, **kwargs))


@pytest.fixture
def messy() -> Any:
    with FixtureServer(load_routes("messy")) as server:
        yield server


def test_a_messy_server_is_imported_as_far_as_it_can_be_read(db: Any, messy: FixtureServer, caplog: Any) -> None:
    with caplog.at_level(logging.INFO, logger="ratsinfo.oparl.import"):
        result = do_import(messy.url("/oparl/"))
    log = caplog.text
    b = messy.url("/oparl")

    body = Body.objects.get(source_url=f"{b}/body/1")  # 1.0 types, an object where the body list belongs
    assert body.website == "" and body.ags == "03458008"  # a 7-digit AGS regains its leading zero
    term = LegislativeTerm.objects.get(body=body)
    assert term.end_date is None  # ended before it began: end dropped, term kept
    # control characters stripped, duplicates across pages imported once, the loop ended
    assert sorted(Organization.objects.values_list("name", flat=True)) == [
        "Bauausschuss", "Fraktion Grüne", "Rat der Stadt"]
    assert "bereits gelesene Seite" in log
    assert "ohne gültige id" in log and "kein JSON-Objekt" in log
    green = Organization.objects.get(name="Fraktion Grüne")
    assert green.start_date is None and green.posts == ["Vorsitz"] and green.kind == "fraktion"
    # person without name, title as a string, membership as an object, "ja" as voting right
    clara = Person.objects.get(family_name="Chaos")
    assert clara.name == "Dr. Clara Chaos" and clara.titles == ["Dr."] and clara.email == ["clara@example.org"]
    assert Membership.objects.get(person=clara).organization == green
    # a membership pointing at an organization that answers 404 is skipped, by URL
    assert not Membership.objects.filter(person__name="Otto Orphan").exists()
    assert f"{b}/membership/2" in log and f"{b}/org/404" in log
    # the meeting list first answered with an HTML page (status 200): retried
    meeting = Meeting.objects.get()
    assert "HTML" in log
    assert timezone.localtime(meeting.start).date().isoformat() == "2024-01-08" and meeting.end is None
    assert meeting.location.description == "Rathaus Chaosheim"  # fetched; its id differs from the URL
    assert "abweichende id" in log
    assert list(meeting.organizations.values_list("name", flat=True)) == ["Bauausschuss"]
    orders = list(AgendaItem.objects.order_by("order").values_list("number", "order"))
    assert [n for n, _o in orders] == ["1", "2", "3"] and len({o for _n, o in orders}) == 3
    # duplicate references: the second keeps its number with a suffix
    assert Paper.objects.get(source_url=f"{b}/paper/1").reference == "X/1"
    assert Paper.objects.get(source_url=f"{b}/paper/2").reference == "X/1 (2)"
    bad_date = Paper.objects.get(reference="X/3")
    assert bad_date.date is None and bad_date.paper_type == "Antrag (Fraktion)"
    assert f"{b}/paper/3" in log
    consultation = Consultation.objects.get()
    assert consultation.meeting is None  # that meeting answers 401
    assert consultation.agenda_item.name == "Bebauungsplan"
    assert f"{b}/meeting/401" in log
    assert File.objects.get().size == 12345
    assert Paper.objects.get(reference="X/5").name == "X/5"  # "N/A" as subject
    assert not Paper.objects.filter(source_url__endswith="/paper/99").exists()
    assert not Meeting.objects.filter(source_url__endswith="/meeting/77").exists()
    assert "Typ Meeting statt Paper" in log
    # the 429 was waited out; the broken next link ended the list and the run is incomplete
    assert messy.hits.count("/oparl/papers?page=2") == 2
    assert "papers?page=3" in log
    assert not result.complete
    assert ImportSource.objects.get().last_success_started is None
    assert result.stats.counts["Membership"]["übersprungen"] == 1


def test_re_importing_the_messy_server_changes_nothing(db: Any, messy: FixtureServer) -> None:
    do_import(messy.url("/oparl/"))
    rows = sorted(Paper.objects.values_list("source_url", "reference", "slug", "name"))
    second = do_import(messy.url("/oparl/"))
    assert second.stats.total("neu") == 0 and second.stats.total("geändert") == 0, second.stats.as_dict()
    assert sorted(Paper.objects.values_list("source_url", "reference", "slug", "name")) == rows


def test_server_errors_are_retried_with_backoff_and_retry_after() -> None:
    routes = {
        "/flaky": {"sequence": [{"status": 503, "json": {}}, {"status": 502, "json": {}}, {"json": {"ok": 1}}]},
        "/limited": {"sequence": [{"status": 429, "headers": {"Retry-After": "1"}, "json": {}}, {"json": {"ok": 2}}]},
        "/gone": {"status": 404, "json": {}},
        "/slow": {"delay": 1.5, "json": {"ok": 3}},
    }
    with FixtureServer(routes) as server:
        client = Client(ClientConfig(retries=3, backoff=0.01, timeout=0.5))
        assert client.get(server.url("/flaky")).data == {"ok": 1}
        assert server.hits.count("/flaky") == 3
        began = time.monotonic()
        assert client.get(server.url("/limited")).data == {"ok": 2}
        assert time.monotonic() - began >= 0.9  # waited as told by Retry-After
        gone = client.get(server.url("/gone"))
        assert gone.status == 404 and server.hits.count("/gone") == 1  # final, not retried
        slow = client.get(server.url("/slow"))
        assert not slow.ok and "Netzwerkfehler" in slow.error  # timed out every time, no exception
        assert server.hits.count("/slow") == 4


def test_endlessly_repeating_pages_and_dropped_filters_are_caught() -> None:
    item = {"id": "{BASE}/p/1", "type": S + "Paper", "name": "immer dieselbe"}
    routes = {
        "/endless": page([item], "/endless?page=2"),
        # every further page repeats the object and links to a new page number, forever
        "/endless?*": {"json": {"data": [item], "links": {"next": "{BASE}/endless?page=" + str(time.time_ns())}}},
        "/lists": page([{"id": "{BASE}/p/2", "type": S + "Paper"}], "/lists?page=2"),
        "/lists?page=2": page([{"id": "{BASE}/p/3", "type": S + "Paper"}]),
    }
    with FixtureServer(routes) as server:
        client = Client(FAST)
        pages = list(iter_list(client, server.url("/endless"), {}))
        assert len(pages) <= 5
        filters = {"modified_since": "2024-01-01T00:00:00+00:00"}
        pages = list(iter_list(client, server.url("/lists"), filters))
        assert len(pages) == 2
        assert all("modified_since=" in hit for hit in server.hits if hit.startswith("/lists"))


def test_an_empty_modified_since_window_answered_with_404_is_an_empty_list(db: Any) -> None:
    with FixtureServer(town_routes()) as server:
        do_import(server.url("/oparl/"))
        # now every (filtered) list answers 404, as some servers do for "nothing changed"
        server.routes = {k: v for k, v in server.routes.items() if not k.startswith("/oparl/body/1/")}
        result = do_import(server.url("/oparl/"))
    assert result.complete
    assert result.stats.total("neu") == 0 and Paper.objects.count() == 5


def test_json_with_control_characters_and_html_is_recognised() -> None:
    assert parse_json(b'{"name": "A\x01B\x1f"}') == {"name": "AB"}
    with pytest.raises(ValueError, match="HTML"):
        parse_json(b"  <html><body>Fehler</body></html>")
    cleaned = Cleaner().clean({"id": "https://x.example/p/1", "type": "https://schema.oparl.org/1.0/Paper",
                               "date": "23.09.2022", "reference": 240, "relatedPaper": "https://x.example/p/2",
                               "consultation": "N/A", "public": "N/A"})
    assert {k: v for k, v in cleaned.items() if v} == {
        "id": "https://x.example/p/1", "type": S + "Paper", "date": cleaned["date"], "reference": "240",
        "relatedPaper": ["https://x.example/p/2"]}
    assert cleaned["date"].isoformat() == "2022-09-23"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=True)
    | st.text(max_size=30) | st.sampled_from(["N/A", "", "2024-01-02", "02.01.2024", "https://x.example/p/9",
                                              "2024-01-02T10:00:00+01:00", "-1", "true"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "type", "name", "order", "deleted"]), children, max_size=3),
    max_leaves=8,
)
OPARL_KEYS = ["id", "type", "name", "reference", "date", "paperType", "consultation", "mainFile", "auxiliaryFile",
              "start", "end", "agendaItem", "organization", "location", "membership", "deleted", "modified",
              "created", "order", "public", "meeting", "paper", "body", "title", "keyword"]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(objects=st.lists(st.fixed_dictionaries(
    {"id": st.sampled_from(["https://x.example/o/1", "https://x.example/o/2", "kein-url", 7]),
     "type": st.sampled_from([S + "Paper", S + "Meeting", S + "Person", "https://schema.oparl.org/1.0/Paper",
                              "Quatsch", None])},
    optional={k: JSON_VALUES for k in OPARL_KEYS if k not in ("id", "type")}), max_size=4))
def test_no_input_crashes_the_importer(db: Any, objects: list[Any]) -> None:
    source, _ = ImportSource.objects.get_or_create(url="https://x.example/")
    body = Body.objects.get_or_create(source_url="https://x.example/body/1", defaults={"name": "X"})[0]
    applier = Applier(source, Stats())
    with transaction.atomic():
        applier.apply_page(objects, None, body.source_url, "https://x.example/liste")


def test_objects_referenced_where_the_spec_embeds_them_are_fetched(db: Any) -> None:
    # a 1.0-style server: consultations and files of a paper only as URLs, no 1.1 lists
    routes = load_routes("referenced")
    with FixtureServer(routes) as server:
        result = do_import(server.url("/oparl/"))
        assert "/oparl/consultation/1" in server.hits and "/oparl/file/1" in server.hits
    paper = Paper.objects.get(reference="R/1")
    consultation = paper.consultations.get()
    assert consultation.role == "Entscheidung" and consultation.authoritative
    assert File.objects.get(paper=paper).file_name == "vorlage.pdf"
    assert result.complete
