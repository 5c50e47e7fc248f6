"""The OParl server on a generated 10,000-Vorlagen Gemeinde: schema, secrecy, bounded queries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from ratsinfo.bodies.models import Body
from ratsinfo.corpus.generator import GenerateStats
from ratsinfo.files.models import File
from ratsinfo.meetings.models import AgendaItem
from ratsinfo.papers.models import Paper
from tests.corpus.fixtures import corpus, wipe_corpus
from tests.oparl.server_helpers import crawl_list, get_json, validate, walk

pytestmark = pytest.mark.django_db
LISTS = ("organization", "person", "meeting", "paper", "agendaItem", "consultation", "file", "locationList",
         "legislativeTermList", "membership")


@pytest.fixture(scope="module")
def town_10k(django_db_setup: Any, django_db_blocker: Any) -> Iterator[GenerateStats]:
    with django_db_blocker.unblock():
        stats = corpus(papers=10_000, seed=1)
    yield stats
    with django_db_blocker.unblock():
        wipe_corpus(stats)


@pytest.fixture(scope="module")
def harvest(town_10k: GenerateStats, django_db_blocker: Any) -> dict[str, list[dict[str, Any]]]:
    """Everything a harvester gets from the body's lists (pages of 1,000)."""
    client = Client()
    with django_db_blocker.unblock():
        body = get_json(client, f"/oparl/v1.1/body/{town_10k.body_id}")
        lists = {key: crawl_list(client, body[key], limit=1000) for key in LISTS}
        lists["body"] = [body]
        lists["system"] = [get_json(client, "/oparl/v1.1/")]
    return lists


def test_every_object_validates_against_the_official_schema(harvest: dict[str, list[dict[str, Any]]]) -> None:
    assert len(harvest["paper"]) > 8_000
    counted = 0
    for objects in harvest.values():
        for obj in objects:
            validate(obj)  # recursively validates the embedded objects
            counted += 1
    assert counted > 40_000


def test_non_public_papers_and_items_never_appear(town_10k: GenerateStats,
                                                  harvest: dict[str, list[dict[str, Any]]]) -> None:
    body = Body.objects.get(pk=town_10k.body_id)
    hidden_papers = set(Paper.objects.filter(body=body).exclude(Paper.public_q()).values_list("pk", flat=True))
    hidden_items = set(AgendaItem.objects.exclude(AgendaItem.public_q()).values_list("pk", flat=True))
    hidden_files = set(File.objects.filter(body=body).values_list("pk", flat=True)) - set(
        File.objects.visible_to(None).filter(body=body).values_list("pk", flat=True))
    assert hidden_papers and hidden_items and hidden_files  # the corpus has secrets to keep
    shown: dict[str, set[int]] = {"paper": set(), "agendaitem": set(), "file": set()}
    linked: set[str] = set()
    for objects in harvest.values():
        for _path, obj in walk(objects):
            kind, pk = obj["id"].rsplit("/", 2)[-2:]
            if kind in shown:
                shown[kind].add(int(pk))
            for key in ("agendaItem", "relatedPaper", "superordinatedPaper", "subordinatedPaper"):
                value = obj.get(key)
                if isinstance(value, str):
                    linked.add(value)
                elif isinstance(value, list):
                    linked.update(v for v in value if isinstance(v, str))
    assert not shown["paper"] & hidden_papers
    assert not shown["agendaitem"] & hidden_items
    assert not shown["file"] & hidden_files
    linked_ids = {(u.rsplit("/", 2)[-2], int(u.rsplit("/", 1)[-1])) for u in linked if u[-1].isdigit()}
    assert not {pk for kind, pk in linked_ids if kind == "agendaitem"} & hidden_items
    assert not {pk for kind, pk in linked_ids if kind == "paper"} & hidden_papers


def test_tombstones_of_the_corpus_validate(town_10k: GenerateStats, client: Client) -> None:
    objects = crawl_list(client, f"/oparl/v1.1/body/{town_10k.body_id}/paper", limit=1000,
                         modified_since="2000-01-01T00:00:00+01:00")
    tombstones = [o for o in objects if o.get("deleted")]
    assert tombstones
    for obj in tombstones:
        validate(obj, "Paper")


@pytest.mark.parametrize("key", LISTS)
@pytest.mark.parametrize("since", [None, "2000-01-01T00:00:00+01:00"])
def test_list_pages_need_a_bounded_number_of_queries(town_10k: GenerateStats, client: Client, key: str,
                                                     since: str | None,
                                                     django_assert_max_num_queries: Any) -> None:
    body = get_json(client, f"/oparl/v1.1/body/{town_10k.body_id}")
    params = {"limit": 100, **({"modified_since": since} if since else {})}
    with django_assert_max_num_queries(14):
        page = get_json(client, body[key], **params)
    assert page["data"]
    with django_assert_max_num_queries(14):
        get_json(client, page["links"]["last"])
