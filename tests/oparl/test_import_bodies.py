"""Several bodies in one installation: every body of a system, and bodies of several servers,
each imported as its own Gemeinde without mixing their Gremien, Vorlagen or numbers."""

from __future__ import annotations

import json
from typing import Any

from ratsinfo.bodies.models import Body, Organization
from ratsinfo.meetings.models import Meeting
from ratsinfo.oparl.importer.client import ClientConfig
from ratsinfo.oparl.importer.run import ImportOptions, run_import
from ratsinfo.oparl.models import ImportSource
from ratsinfo.papers.models import Paper
from tests.oparl.test_import_support import FixtureServer, town_routes

FAST = ClientConfig(retries=1, backoff=0.01, timeout=5)


def two_town_system() -> dict[str, Any]:
    """One system with two bodies: Musterfeld and a copy under /oparl/zwei/ named Zweitdorf."""
    first = town_routes()
    text = json.dumps({k: v for k, v in first.items() if k != "/oparl/"}, ensure_ascii=False)
    text = text.replace("/oparl/", "/oparl/zwei/").replace("Musterfeld", "Zweitdorf")
    second = json.loads(text)
    routes = first | second
    bodies = routes["/oparl/body"]["json"]["data"] + routes.pop("/oparl/zwei/body")["json"]["data"]
    routes["/oparl/body"]["json"]["data"] = bodies
    return routes


def import_url(url: str) -> Any:
    return run_import(ImportOptions(url=url, client=FAST, progress=False))


def test_every_body_of_a_system_becomes_its_own_gemeinde(db: Any) -> None:
    with FixtureServer(two_town_system()) as server:
        result = import_url(server.url("/oparl/"))
    assert result.complete
    musterfeld, zweitdorf = Body.objects.get(name="Gemeinde Musterfeld"), Body.objects.get(name="Gemeinde Zweitdorf")
    for body in (musterfeld, zweitdorf):
        papers = Paper.objects.filter(body=body)
        # the same numbers in both Gemeinden, no repair suffix: references are unique per body
        assert sorted(papers.values_list("reference", flat=True)) == [f"BV/{i:04d}/2024" for i in range(1, 6)]
        assert set(Organization.objects.filter(papers_in_charge__in=papers).values_list("body", flat=True)) == {
            body.pk}
        meeting = Meeting.objects.get(organizations__body=body)
        assert {c.paper.body_id for c in meeting.consultations.all()} == {body.pk}
    assert Organization.objects.filter(body=zweitdorf).count() == 2


def test_bodies_of_several_servers_live_side_by_side(db: Any) -> None:
    with FixtureServer(town_routes()) as first, FixtureServer(town_routes(papers=3)) as second:
        import_url(first.url("/oparl/"))
        import_url(second.url("/oparl/"))
        # a re-run of one server leaves the other's Gemeinde alone
        again = import_url(first.url("/oparl/"))
    assert again.stats.total("neu") == 0 and again.stats.total("geändert") == 0
    assert ImportSource.objects.count() == 2
    bodies = list(Body.objects.order_by("pk"))
    assert [b.source_url.split("/oparl/")[0] for b in bodies] == [first.base, second.base]
    assert [Paper.objects.filter(body=b).count() for b in bodies] == [5, 3]
    assert all(p.body.source_url.startswith(p.source_url.split("/oparl/")[0]) for p in Paper.objects.all())


def test_two_imported_bodies_each_have_their_own_oparl_lists_and_ids(db: Any) -> None:
    from django.test import Client

    from tests.oparl.server_helpers import crawl_list, get_json

    with FixtureServer(two_town_system()) as server:
        assert import_url(server.url("/oparl/")).complete
    client = Client()
    system = get_json(client, "/oparl/v1.1/")
    listed = crawl_list(client, system["body"])
    ours = {b.pk: b for b in Body.objects.all()}
    # the system lists every Gemeinde, the first one keeps the address it had alone
    assert sorted(b["id"] for b in listed) == sorted(f"http://testserver/oparl/v1.1/body/{pk}" for pk in ours)
    papers_of: dict[str, set[str]] = {}
    for body in listed:
        name = body["name"]
        papers = crawl_list(client, body["paper"])
        papers_of[name] = {p["id"] for p in papers}
        own = Body.objects.get(name=name)
        for paper in papers:
            # each id resolves to the same object, and that object belongs to this Gemeinde
            assert get_json(client, paper["id"])["id"] == paper["id"]
            assert paper["body"] == body["id"]
            assert Paper.objects.get(pk=int(paper["id"].rsplit("/", 1)[1])).body_id == own.pk
        organizations = crawl_list(client, body["organization"])
        assert {o["body"] for o in organizations} == {body["id"]}
        assert {o["name"] for o in organizations} == set(
            Organization.objects.filter(body=own).values_list("name", flat=True))
        for meeting in crawl_list(client, body["meeting"]):
            assert all(Organization.objects.get(pk=int(u.rsplit("/", 1)[1])).body_id == own.pk
                       for u in meeting["organization"])
    musterfeld, zweitdorf = papers_of["Gemeinde Musterfeld"], papers_of["Gemeinde Zweitdorf"]
    assert len(musterfeld) == len(zweitdorf) == 5 and not musterfeld & zweitdorf
