"""The demo Gemeinde through the OParl API: every object validates, the seed case is complete."""

from __future__ import annotations

import pytest
from django.test import Client

from ratsinfo.bodies.models import Body
from ratsinfo.meetings.models import AgendaItem
from ratsinfo.papers.models import Paper
from tests.oparl.server_helpers import crawl_list, get_json, validate, walk

pytestmark = pytest.mark.django_db
LISTS = ("organization", "person", "meeting", "paper", "agendaItem", "consultation", "file", "locationList",
         "legislativeTermList", "membership")


def test_every_demo_object_validates_and_is_fetchable_at_its_id(demo: Body, client: Client) -> None:
    system = get_json(client, "/oparl/v1.1/")
    validate(system, "System")
    body = next(b for b in get_json(client, system["body"])["data"] if b["name"] == demo.name)
    validate(body, "Body")
    objects = [obj for key in LISTS for obj in crawl_list(client, body[key])]
    for obj in objects:
        validate(obj)
    for _path, obj in walk(objects):
        assert get_json(client, obj["id"])["id"] == obj["id"]
    ids = {obj["id"].rsplit("/", 2)[-2] + "/" + obj["id"].rsplit("/", 1)[-1] for _p, obj in walk(objects)}
    for paper in Paper.objects.exclude(Paper.public_q()):
        assert f"paper/{paper.pk}" not in ids
    for item in AgendaItem.objects.exclude(AgendaItem.public_q()):
        assert f"agendaitem/{item.pk}" not in ids


def test_the_seed_paper_as_oparl(demo: Body, client: Client) -> None:
    paper = Paper.objects.get(reference="BV/0240/2021-2026")
    data = get_json(client, f"/oparl/v1.1/paper/{paper.pk}")
    assert data["name"] == paper.name
    assert data["paperType"] == "Beschlussvorlage"
    assert data["auxiliaryFile"] or data.get("mainFile")
    steps = data["consultation"]
    assert steps[0]["role"] == "Vorberatung" and "agendaItem" in steps[0]
    response = client.get(steps[0]["agendaItem"])
    assert response.json()["result"] == "mehrheitlich beschlossen"
    assert b"votes" not in response.content  # vote counts are ours, not part of OParl
