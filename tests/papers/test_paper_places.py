"""The places a Vorlage concerns: named while drafting (with the version check) and, after the
release, by its editors through `set_places`; never on a withdrawn Vorlage."""

from __future__ import annotations

import pytest

from ratsinfo.bodies.models import Body, Location
from ratsinfo.lib.geo import point_feature
from ratsinfo.papers import workflow
from ratsinfo.papers.models import PaperEventAction, PaperState
from ratsinfo.papers.workflow import PaperWorkflowError
from tests.papers.workflow_fixtures import Council, build_council

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(body: Body) -> Council:
    return build_council(body)


def _place(name: str) -> Location:
    return Location.objects.create(description=name, locality="Großenkneten", geojson=point_feature(52.9, 8.23, name))


def test_a_draft_names_its_places_and_a_stale_save_changes_none(council: Council) -> None:
    zentrum, park = _place("Quartierszentrum Ahlhorn"), _place("Spielfläche Parkstraße")
    paper = workflow.create_draft(council.author, council.body, "Beschlussvorlage", "Spielfläche",
                                  department=council.fb2, locations=[zentrum])
    assert list(paper.locations.all()) == [zentrum]
    stale = paper.version
    workflow.update_draft(paper, council.author, expected_version=stale, locations=[park])
    with pytest.raises(PaperWorkflowError, match="inzwischen"):
        workflow.update_draft(paper, council.author, expected_version=stale, locations=[zentrum, park])
    assert list(paper.locations.all()) == [park]
    # saving other fields leaves the places alone
    workflow.update_draft(paper, council.author, expected_version=stale + 1, name="Spielfläche Parkstraße")
    assert list(paper.locations.all()) == [park]


def test_a_deleted_place_is_refused(council: Council) -> None:
    gone = _place("abgerissenes Gebäude")
    Location.objects.filter(pk=gone.pk).update(deleted=True)
    with pytest.raises(PaperWorkflowError, match="gelöscht"):
        workflow.create_draft(council.author, council.body, "Beschlussvorlage", "Abriss", department=council.fb2,
                              locations=[Location.objects.get(pk=gone.pk)])


def test_a_released_vorlage_gets_its_places_from_its_editor_with_an_entry_in_its_history(council: Council) -> None:
    paper = workflow.release(council.ready(), council.mayor)
    assert paper.state == PaperState.FREIGEGEBEN
    zentrum = _place("Quartierszentrum Ahlhorn")
    paper = workflow.set_places(paper, council.author, [zentrum], expected_version=paper.version)
    assert list(paper.locations.all()) == [zentrum]
    event = paper.events.order_by("-pk").first()
    assert event is not None and event.action == PaperEventAction.PLACES and "Quartierszentrum" in event.comment
    with pytest.raises(PaperWorkflowError, match="nicht bearbeiten"):
        workflow.set_places(paper, council.mayor, [])  # releases, but does not edit FB 2's Vorlagen
    workflow.withdraw(paper, council.author, comment="erledigt")
    with pytest.raises(PaperWorkflowError, match="Orte ändern"):
        workflow.set_places(paper, council.author, [])
    assert list(paper.locations.all()) == [zentrum]
