"""The Maßnahmenplan records its decisions through the meetings' recording service: one agenda item of the
Sozialträgerkonferenz with several effects, all or nothing."""

from __future__ import annotations

import pytest

from ratsinfo.measures import services
from ratsinfo.measures.models import MeasureDecision, MeasureStatus, Priority
from ratsinfo.meetings.models import AgendaItemResult
from ratsinfo.meetings.recording import record_result
from tests.measures.factories import World

pytestmark = pytest.mark.django_db


def test_one_conference_item_changes_several_measures(world: World) -> None:
    item = world.items[1]
    a, b = world.measures["integration"], world.measures["mieter"]
    outcome = record_result(item, AgendaItemResult.MEHRHEITLICH, yes=20, no=3, abstain=2, effects=[
        lambda i: services.change_priority(a, i, Priority.HOCH),
        lambda i: services.change_status(b, i, MeasureStatus.UMGESETZT),
    ])
    assert outcome.warnings == []  # a conference records without the NKomVG checks
    assert set(MeasureDecision.objects.filter(agenda_item=item).values_list("measure", flat=True)) == {a.pk, b.pk}
    item.refresh_from_db()
    assert item.vote_summary == "Ja 20, Nein 3, Enthaltungen 2"


def test_a_failing_effect_records_nothing(world: World) -> None:
    item = world.items[1]
    a = world.measures["integration"]

    def refused(_item: object) -> None:
        raise services.DecisionError("Maßnahme ist schon aus dem Plan genommen.")

    with pytest.raises(services.DecisionError):
        record_result(item, AgendaItemResult.EINSTIMMIG, effects=[lambda i: services.change_priority(a, i, Priority.HOCH), refused])
    item.refresh_from_db()
    assert item.result != AgendaItemResult.EINSTIMMIG and not MeasureDecision.objects.filter(agenda_item=item).exists()
