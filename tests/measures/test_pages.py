"""The public plan pages, filters, query counts, permissions and the non-public leak test."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from ratsinfo.measures import services
from ratsinfo.measures.models import Measure, MeasureDecision, MeasureStatus, Priority
from tests.measures.factories import World, build_world, editor, meeting_with_items

SECRET = "Geheimplan Zwölfhausen"


def plan_urls(world: World) -> list[str]:
    slug = world.plan.slug
    m = world.measures["sprachcafe"]
    urls = [
        reverse("measures:plan", args=[slug]),
        reverse("measures:board", args=[slug]),
        reverse("measures:measure", args=[slug, m.pk]),
        reverse("measures:costs", args=[slug]),
        reverse("measures:monitoring", args=[slug]),
        reverse("measures:editions", args=[slug]),
        reverse("measures:compare", args=[slug]),
    ]
    urls += [reverse("measures:export", args=[slug, fmt]) for fmt in ("pdf", "csv", "xlsx")]
    for edition in world.plan.editions.all():
        urls.append(reverse("measures:edition", args=[slug, edition.pk]))
        urls += [reverse("measures:edition_export", args=[slug, edition.pk, fmt]) for fmt in ("csv", "xlsx", "pdf")]
    return urls


def test_citizen_reads_the_published_plan(world: World, citizen_client: Client) -> None:
    services.adopt_plan(world.plan, world.items[2], "Fortschreibung 2023")
    for url in plan_urls(world):
        response = citizen_client.get(url)
        assert response.status_code == 200, url
    page = citizen_client.get(reverse("measures:plan", args=[world.plan.slug])).content.decode()
    assert "Sprachcafé Maßnahmenplan Teststadt" in page and "Caritas Maßnahmenplan Teststadt" in page
    assert "Beschluss erfassen" not in page  # no editor links for citizens
    index = citizen_client.get(reverse("measures:plans")).content.decode()
    assert world.plan.title in index


def test_filters_narrow_the_table(world: World, citizen_client: Client) -> None:
    url = reverse("measures:plan", args=[world.plan.slug])

    def titles(**params: Any) -> set[str]:
        response = citizen_client.get(url, params)
        return {m.title for m in response.context["measures"]}

    t = world.plan.title
    assert titles(handlungsfeld=world.wohnen.pk) == {f"Mieterberatung {t}"}
    assert titles(akteur=world.qm.pk) == {f"Mieterberatung {t}", f"Sprachcafé {t}"}  # lead or partner
    assert titles(prioritaet="offen") == {f"Integrationskonzept {t}"}
    assert titles(prioritaet=str(Priority.HOCH)) == {f"Mieterberatung {t}"}
    assert titles(status=MeasureStatus.LAUFEND) == {f"Sprachcafé {t}"}
    assert len(titles(status="gibtsnicht")) == 3  # an invalid filter is ignored, not a 500
    board = citizen_client.get(reverse("measures:board", args=[world.plan.slug]), {"status": "idee"})
    assert board.status_code == 200


def test_plan_table_needs_a_fixed_number_of_queries(world: World, citizen_client: Client, django_assert_max_num_queries: Any) -> None:
    url = reverse("measures:plan", args=[world.plan.slug])
    citizen_client.get(url)
    for i in range(40):
        m = Measure.objects.create(plan=world.plan, number=f"X {i}", title=f"Maßnahme {i}", action_field=world.soziales, lead_actor=world.qm)
        m.partners.set([world.caritas, world.qm])
        m.building_measures.set([world.building])
    with django_assert_max_num_queries(12):
        response = citizen_client.get(url)
    assert len(response.context["measures"]) == 43


def test_costs_are_summed_per_field_source_and_year(world: World, citizen_client: Client) -> None:
    response = citizen_client.get(reverse("measures:costs", args=[world.plan.slug]))
    overview = response.context["overview"]
    assert overview.total == Decimal("1750.50")
    by_field = {name: total for name, _, total in overview.by_field}
    assert by_field == {"Wohnen": Decimal("250"), "Soziales": Decimal("1500.50")}
    assert [(y, t) for y, _, t in overview.by_year] == [(2022, Decimal("1000")), (2023, Decimal("750.50"))]
    assert overview.amount("staedtebaufoerderung") == Decimal("1000")
    assert "1.750,50" in response.content.decode()


def test_monitoring_report_shows_target_and_actual(world: World, citizen_client: Client) -> None:
    response = citizen_client.get(reverse("measures:monitoring", args=[world.plan.slug]), {"jahr": "2023"})
    rows = response.context["report"]["Output"]
    assert [(r.indicator.name, r.target, r.actual, r.reached) for r in rows] == [
        ("Teilnehmende Maßnahmenplan Teststadt", Decimal("50"), Decimal("57"), True)
    ]
    assert citizen_client.get(reverse("measures:monitoring", args=[world.plan.slug]), {"jahr": "abc"}).status_code == 200


def test_measure_page_shows_its_decisions(world: World, citizen_client: Client) -> None:
    services.change_priority(world.measures["integration"], world.items[1], Priority.HOCH)
    page = citizen_client.get(reverse("measures:measure", args=[world.plan.slug, world.measures["integration"].pk])).content.decode()
    assert "Priorität geändert" in page and "offen → hoch" in page and "Priorisierung" in page
    assert 'id="prioritaet">hoch<' in page


def test_unpublished_plan_is_invisible_to_citizens_everywhere(body: Any, citizen_client: Client, sitzungsdienst: User) -> None:
    world = build_world(body, title=SECRET, published=False)
    services.adopt_plan(world.plan, world.items[2], f"Fortschreibung {SECRET}")
    public_world = build_world(body, title="Öffentlicher Plan")
    for url in plan_urls(world):
        response = citizen_client.get(url)
        assert response.status_code == 404, url
        assert SECRET not in response.content.decode("utf-8", "replace"), url
    for url in plan_urls(public_world):
        body_bytes = citizen_client.get(url).content
        assert SECRET.encode() not in body_bytes, url
    assert SECRET not in citizen_client.get(reverse("measures:plans")).content.decode()
    # the editors and the Sitzungsdienst see it
    staff = Client()
    staff.force_login(sitzungsdienst)
    assert SECRET in staff.get(reverse("measures:plan", args=[world.plan.slug])).content.decode()


def test_decision_in_a_nonpublic_agenda_item_is_not_shown_to_citizens(world: World, citizen_client: Client, sitzungsdienst: User) -> None:
    _, items = meeting_with_items([world.stk], "Sondersitzung", date(2023, 6, 1), ["Vertrauliche Trägerfrage Kuckucksei"], public=False)
    services.change_status(world.measures["mieter"], items[0], MeasureStatus.UMGESETZT)
    url = reverse("measures:measure", args=[world.plan.slug, world.measures["mieter"].pk])
    assert "Kuckucksei" not in citizen_client.get(url).content.decode()
    staff = Client()
    staff.force_login(sitzungsdienst)
    assert "Kuckucksei" in staff.get(url).content.decode()


@pytest.mark.parametrize("name", ["decision", "import", "measure_new", "edition_new"])
def test_editing_pages_are_for_quartiersmanagement_and_verwaltung(world: World, citizen_client: Client, ratsfrau: User, name: str) -> None:
    url = reverse(f"measures:{name}", args=[world.plan.slug])
    response = citizen_client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")
    member = Client()
    member.force_login(ratsfrau)  # sees non-public papers, but does not edit the plan
    assert member.get(url).status_code == 403
    assert member.post(url, {}).status_code == 403
    for group in ("Quartiersmanagement", "Administrator"):
        client = Client()
        client.force_login(editor(f"user-{group}", group))
        assert client.get(url).status_code == 200


def test_quartiersmanager_records_a_priority_decision(world: World, qm_client: Client, citizen_client: Client) -> None:
    m = world.measures["integration"]
    response = qm_client.post(reverse("measures:decision", args=[world.plan.slug]), {
        "agenda_item": world.items[1].pk, "kind": "priority", "measure": m.pk, "priority": str(Priority.HOCH),
        "note": "von den Akteuren gewünscht",
    })
    assert response.status_code == 302 and response["Location"] == m.get_absolute_url()
    decision = MeasureDecision.objects.get(measure=m)
    assert decision.agenda_item == world.items[1] and decision.recorded_by.username == "quartiersmanagerin"
    page = citizen_client.get(m.get_absolute_url()).content.decode()
    assert 'id="prioritaet">hoch<' in page and "von den Akteuren gewünscht" in page


def test_decision_form_can_add_a_new_agenda_item_and_adopt_the_plan(world: World, qm_client: Client) -> None:
    response = qm_client.post(reverse("measures:decision", args=[world.plan.slug]), {
        "agenda_item": "", "meeting": world.meeting.pk, "new_item_name": "Fortschreibung des Plans",
        "result": "einstimmig beschlossen", "kind": "adopt", "edition_name": "Fortschreibung 2023",
    })
    assert response.status_code == 302
    edition = world.plan.editions.get()
    assert edition.adopted_by.name == "Fortschreibung des Plans" and edition.adopted_by.number == "Ö 4"


def test_decision_form_errors_are_german_and_change_nothing(world: World, qm_client: Client) -> None:
    url = reverse("measures:decision", args=[world.plan.slug])
    response = qm_client.post(url, {"kind": "status", "measure": world.measures["mieter"].pk})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bitte einen Tagesordnungspunkt wählen" in text and "Bitte den neuen Status wählen" in text
    # an agenda item of a body outside the plan is not even offered
    from ratsinfo.bodies.models import Organization, OrganizationKind

    other = Organization.objects.create(body=world.body, name="Sportausschuss", kind=OrganizationKind.FACHAUSSCHUSS)
    _, items = meeting_with_items([other], "Sportausschuss", date(2023, 5, 1), ["Sport"])
    response = qm_client.post(url, {"agenda_item": items[0].pk, "kind": "priority", "measure": world.measures["mieter"].pk})
    assert response.status_code == 200 and "Auswahl" in response.content.decode()
    assert not MeasureDecision.objects.exists()


def test_measure_form_edits_fields_but_not_priority(world: World, qm_client: Client) -> None:
    m = world.measures["mieter"]
    url = reverse("measures:measure_edit", args=[world.plan.slug, m.pk])
    assert "priority" not in qm_client.get(url).context["form"].fields
    response = qm_client.post(url, {
        "number": "W 1", "title": "Mieterberatung neu", "action_field": world.wohnen.pk, "goal": world.goal.pk,
        "start_date": "2022-01-01", "end_date": "2021-01-01",
    })
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "goal" in errors  # goal of another Handlungsfeld
    response = qm_client.post(url, {"number": "W 1", "title": "Mieterberatung neu", "action_field": world.wohnen.pk})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.title == "Mieterberatung neu" and m.priority == Priority.HOCH


def test_editions_compare_page(world: World, citizen_client: Client) -> None:
    # Adopted editions: the public compares only editions in force, never drafts.
    old = services.create_edition(world.plan, "Fortschreibung 2023", date(2023, 3, 8), adopted_by=world.items[0])
    services.change_status(world.measures["integration"], world.items[1], MeasureStatus.GEPLANT)
    new = services.create_edition(world.plan, "Fortschreibung 2024", date(2024, 3, 8), adopted_by=world.items[1])
    url = reverse("measures:compare", args=[world.plan.slug])
    page = citizen_client.get(url).content.decode()
    assert "1 geändert" in page and "Idee" in page and "geplant" in page
    page = citizen_client.get(url, {"alt": old.pk, "neu": "aktuell"}).content.decode()
    assert "1 geändert" in page
    assert citizen_client.get(url, {"alt": "x", "neu": new.pk}).status_code == 404


def test_new_measure_from_a_conference_decision(world: World, qm_client: Client) -> None:
    url = reverse("measures:measure_new", args=[world.plan.slug])
    response = qm_client.post(url, {
        "number": "S 7", "title": "Hausaufgabenhilfe", "action_field": world.soziales.pk, "goal": world.goal.pk,
        "partners": [world.caritas.pk], "origin_item": world.items[1].pk, "priority": str(Priority.MITTEL),
        "status": MeasureStatus.GEPLANT,
    })
    assert response.status_code == 302
    m = Measure.objects.get(plan=world.plan, number="S 7")
    assert (m.priority, m.status, m.origin_agenda_item) == (Priority.MITTEL, MeasureStatus.GEPLANT, world.items[1])
    assert list(m.partners.all()) == [world.caritas]
    assert MeasureDecision.objects.get(measure=m).kind == "create"
    # without a decision it is a draft
    response = qm_client.post(url, {"title": "Entwurf", "action_field": world.wohnen.pk, "status": "idee"})
    assert response.status_code == 302 and not MeasureDecision.objects.filter(measure__title="Entwurf").exists()


def test_removing_a_measure_and_taking_note_of_an_edition(world: World, qm_client: Client, citizen_client: Client) -> None:
    url = reverse("measures:decision", args=[world.plan.slug])
    m = world.measures["mieter"]
    assert qm_client.post(url, {"agenda_item": world.items[0].pk, "kind": "remove", "measure": m.pk}).status_code == 302
    assert citizen_client.get(m.get_absolute_url()).status_code == 404
    assert m.title not in citizen_client.get(reverse("measures:plan", args=[world.plan.slug])).content.decode()
    edition = services.create_edition(world.plan, "Fortschreibung 2023", date(2023, 3, 8))
    response = qm_client.post(url, {"agenda_item": world.items[2].pk, "kind": "note", "edition": edition.pk})
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.noted_by == world.items[2]


def test_measure_page_needs_a_fixed_number_of_queries(world: World, citizen_client: Client, django_assert_max_num_queries: Any) -> None:
    m = world.measures["sprachcafe"]
    for prio in [Priority.HOCH, Priority.NIEDRIG] * 10:
        services.change_priority(m, world.items[1], prio)
    m = Measure.objects.get(pk=m.pk)
    m.partners.set([world.caritas])
    m.target_group = "Eltern"
    m.save()
    with django_assert_max_num_queries(14):
        page = citizen_client.get(m.get_absolute_url()).content.decode()
    assert "Partner geändert" in page
    assert "Zielgruppe – → Eltern" in page and page.count("Priorität geändert") == 20
