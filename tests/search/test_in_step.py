"""The index follows every change: new, edited, deleted, released, made non-public; the
marks are written in the transaction of the change, so a rollback leaves nothing behind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from ratsinfo.bodies.models import Body, Organization, OrganizationKind, Person
from ratsinfo.lib.access import PUBLIC
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Paper, PaperSection, PaperState
from ratsinfo.search.models import Document, Pending
from ratsinfo.search.service import search


def titles(query: str) -> list[str]:
    return [hit.title for hit in search(PUBLIC, query, facets=False).hits]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Run the after-commit hooks of the block (the test itself is inside one transaction)."""

    @contextmanager
    def block() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block


def test_a_released_vorlage_and_its_sections_are_found(body: Body, committed: Any) -> None:
    with committed():
        paper = Paper.objects.create(body=body, name="Kita Sonnenschein", reference="BV/0001/2026")
        PaperSection.objects.create(paper=paper, order=1, heading="Sachverhalt", text="Anbau einer Krippengruppe.")
    assert titles("Krippengruppen") == []  # a draft: indexed, but not public
    with committed():
        paper.state = PaperState.FREIGEGEBEN
        paper.save()
    assert titles("Krippengruppen") == ["BV/0001/2026 Kita Sonnenschein"]
    with committed():
        section = paper.sections.get()
        section.text = "Anbau eines Bewegungsraums."
        section.save()
    assert titles("Krippengruppen") == [] and titles("Bewegungsraum") == ["BV/0001/2026 Kita Sonnenschein"]
    with committed():
        paper.public = False
        paper.save()
    assert titles("Bewegungsraum") == []
    with committed():
        paper.public = True
        paper.save()
        paper.soft_delete()
    assert titles("Bewegungsraum") == []
    with committed():
        paper.delete()
    assert not Document.objects.filter(title__contains="Sonnenschein").exists()


def test_meetings_items_bodies_and_persons_follow(body: Body, committed: Any) -> None:
    with committed():
        org = Organization.objects.create(body=body, name="Schulausschuss", kind=OrganizationKind.FACHAUSSCHUSS)
        Person.objects.create(body=body, name="Hiltrud Wübbenhorst", family_name="Wübbenhorst")
        meeting = Meeting.objects.create(name="3. Sitzung des Schulausschusses")
        meeting.organizations.add(org)
        item = AgendaItem.objects.create(meeting=meeting, order=1, number="Ö 1", name="Schulentwicklungsplan")
    assert "Schulausschuss" in titles("Schulausschuss")
    assert titles("Wuebbenhorst") == ["Hiltrud Wübbenhorst"]
    assert titles("Schulentwicklungsplanes") == ["Ö 1 Schulentwicklungsplan"]
    with committed():
        item.public = False
        item.save()
    assert titles("Schulentwicklungsplan") == []
    with committed():
        item.resolution_text = "Der Schulentwicklungsplan wird beschlossen."
        item.public = True
        item.save()
    hit = search(PUBLIC, "beschlossen", facets=False).hits[0]
    assert hit.url == f"/sitzungen/{meeting.pk}/#top-{item.pk}"


def test_a_rolled_back_change_leaves_no_mark(body: Body) -> None:
    Pending.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        Paper.objects.create(body=body, name="Verworfen")
        raise RuntimeError
    assert not Pending.objects.exists()


def test_reindex_rebuilds_everything_and_drops_what_is_gone(body: Body) -> None:
    paper = Paper.objects.bulk_create([Paper(body=body, name="Radweg Glaner Straße", slug="radweg", state=PaperState.FREIGEGEBEN)])[0]
    Document.objects.create(kind="vorlage", object_id=10**9, title="verwaist", url="/")
    call_command("reindex", "--quiet")
    assert titles("Radwege") == ["Radweg Glaner Straße"]
    assert not Document.objects.filter(object_id=10**9).exists()
    assert Document.objects.filter(object_id=paper.pk).count() == 1


def test_marks_left_by_a_dead_process_are_indexed_by_the_worker_task(body: Body) -> None:
    from ratsinfo.search.tasks import index_pending

    paper = Paper.objects.create(body=body, name="Dorferneuerung Bissel", state=PaperState.FREIGEGEBEN)
    assert Pending.objects.filter(object_id=paper.pk).exists()  # the commit hook never ran
    assert not Document.objects.filter(kind="vorlage", object_id=paper.pk).exists()
    index_pending.enqueue()
    assert not Pending.objects.exists()
    assert Document.objects.get(kind="vorlage", object_id=paper.pk).title == "Dorferneuerung Bissel"
