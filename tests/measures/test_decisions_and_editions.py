"""History of decisions, immutable Fortschreibungen and their comparison."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from ratsinfo.bodies.models import Organization, OrganizationKind
from ratsinfo.measures import services
from ratsinfo.measures.models import (
    DecisionKind,
    ImmutableEditionError,
    Measure,
    MeasureDecision,
    MeasureStatus,
    PlanEdition,
    Priority,
)
from tests.measures.factories import World, meeting_with_items


def test_conference_raises_priority_and_the_measure_remembers_which_agenda_item_did_it(world: World) -> None:
    integration = world.measures["integration"]
    services.change_priority(integration, world.items[1], Priority.MITTEL, note="nach den Lotsen")
    _later, items = meeting_with_items([world.stk], "2. Sozialträgerkonferenz", date(2024, 3, 13), ["Integrationskonzept"])
    services.change_priority(integration, items[0], Priority.HOCH)
    services.change_status(integration, items[0], MeasureStatus.GEPLANT)

    integration.refresh_from_db()
    assert integration.priority == Priority.HOCH and integration.status == MeasureStatus.GEPLANT
    history = list(MeasureDecision.objects.filter(measure=integration).order_by("decided_on", "pk"))
    assert [(d.kind, d.old_value, d.new_value) for d in history] == [
        (DecisionKind.PRIORITY, "offen", "mittel"),
        (DecisionKind.PRIORITY, "mittel", "hoch"),
        (DecisionKind.STATUS, "Idee", "geplant"),
    ]
    assert [d.agenda_item for d in history] == [world.items[1], items[0], items[0]]
    assert history[0].decided_on == date(2023, 3, 8)
    # simple_history keeps every field state, with the reason
    assert integration.history.count() == 4
    assert integration.history.first().history_change_reason.startswith("Status")


def test_decision_of_a_body_outside_the_plan_is_refused(world: World) -> None:
    other = Organization.objects.create(body=world.body, name="Sportausschuss", kind=OrganizationKind.FACHAUSSCHUSS)
    _, items = meeting_with_items([other], "Sportausschuss", date(2023, 5, 1), ["Irgendwas"])
    with pytest.raises(services.DecisionError, match="keinem Gremium"):
        services.change_priority(world.measures["mieter"], items[0], Priority.NIEDRIG)
    assert Measure.objects.get(pk=world.measures["mieter"].pk).priority == Priority.HOCH
    assert not MeasureDecision.objects.exists()


def test_decision_can_create_a_measure_with_its_origin(world: World) -> None:
    m = services.create_measure_by_decision(
        world.plan, world.items[1], number="S 9", title="Hausaufgabenhilfe", action_field=world.soziales,
        status=MeasureStatus.GEPLANT, partners=[world.caritas],
    )
    assert m.origin_agenda_item == world.items[1]
    assert list(m.partners.all()) == [world.caritas]
    decision = MeasureDecision.objects.get(measure=m)
    assert decision.kind == DecisionKind.CREATE and decision.agenda_item == world.items[1]


def test_adopting_the_plan_creates_an_immutable_edition(world: World) -> None:
    edition = services.adopt_plan(world.plan, world.items[2], "Fortschreibung 2023")
    assert edition.edition_date == date(2023, 3, 8)
    assert edition.adopted_by == world.items[2]
    titles = [m["title"] for m in edition.snapshot["measures"]]
    assert world.measures["sprachcafe"].title in titles
    assert MeasureDecision.objects.get(edition=edition).kind == DecisionKind.ADOPT

    # the model refuses changes and deletion
    edition.name = "Fortschreibung 2099"
    with pytest.raises(ImmutableEditionError):
        edition.save()
    with pytest.raises(ImmutableEditionError):
        PlanEdition.objects.get(pk=edition.pk).delete()
    # the database refuses them too, even past the model
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        PlanEdition.objects.filter(pk=edition.pk).update(snapshot={"measures": []})
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        PlanEdition.objects.filter(pk=edition.pk).update(name="anders")
    stored = PlanEdition.objects.get(pk=edition.pk)
    assert stored.name == "Fortschreibung 2023" and len(stored.snapshot["measures"]) == 3

    # later changes to the plan do not touch the edition
    Measure.objects.filter(pk=world.measures["mieter"].pk).update(title="Neuer Titel")
    assert PlanEdition.objects.get(pk=edition.pk).snapshot["measures"][0]["title"].startswith("Mieterberatung")


def test_committee_takes_note_once(world: World) -> None:
    edition = services.create_edition(world.plan, "Fortschreibung 2023", date(2023, 3, 8))
    committee = Organization.objects.create(body=world.body, name="Sozialausschuss", kind=OrganizationKind.FACHAUSSCHUSS)
    _, items = meeting_with_items([committee], "Sozialausschuss", date(2023, 4, 20), ["Maßnahmenplan (Kenntnisnahme)"])
    services.note_edition(edition, items[0])
    assert PlanEdition.objects.get(pk=edition.pk).noted_by == items[0]
    with pytest.raises(services.DecisionError):
        services.note_edition(PlanEdition.objects.get(pk=edition.pk), items[0])


def test_edition_names_are_unique_per_plan(world: World) -> None:
    services.create_edition(world.plan, "Fortschreibung 2023", date(2023, 3, 8))
    with pytest.raises(services.DecisionError, match="schon"):
        services.create_edition(world.plan, "Fortschreibung 2023", date(2023, 4, 8))


def test_comparing_two_editions_lists_added_removed_and_changed_fields(world: World) -> None:
    old = services.create_edition(world.plan, "Fortschreibung 2023", date(2023, 3, 8))
    services.change_priority(world.measures["integration"], world.items[1], Priority.HOCH)
    services.remove_measure(world.measures["mieter"], world.items[1])
    new_measure = services.create_measure_by_decision(world.plan, world.items[1], number="S 3", title="Lesepaten", action_field=world.soziales)
    sprachcafe = Measure.objects.get(pk=world.measures["sprachcafe"].pk)
    sprachcafe.target_group = "Mütter mit kleinen Kindern"
    sprachcafe.save()
    new = services.create_edition(world.plan, "Fortschreibung 2024", date(2024, 3, 13))

    diff = services.compare_editions(old, new)
    assert [m["title"] for m in diff.added] == [new_measure.title]
    assert [m["title"] for m in diff.removed] == [world.measures["mieter"].title]
    changes = {c.measure["number"]: [(f.label, f.old, f.new) for f in c.changes] for c in diff.changed}
    assert changes == {
        "S 1": [("Zielgruppe", "", "Mütter mit kleinen Kindern")],
        "S 2": [("Priorität", "offen", "hoch")],
    }
    assert diff.unchanged_count == 0
    assert services.compare_editions(old, old).is_empty
