"""The demo municipality: the seed case with its two meetings, and a living council around it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ratsinfo.accounts.second_factor import is_demo_account
from ratsinfo.bodies.access import viewer_for
from ratsinfo.bodies.models import (
    COUNCIL_BODY_KINDS,
    Body,
    Membership,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.corpus.demo import DEMO_USERS, build_demo
from ratsinfo.files.models import File, FileRole
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Paper, PaperType
from tests.papers import seed_expected as seed


@pytest.fixture(scope="module")
def demo_db(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Body]:
    """One demo for the read-only tests of this module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        body = build_demo()
        yield body
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_db: Body, db: Any) -> Body:
    return demo_db


def test_the_seed_is_imported_unchanged(demo: Body) -> None:
    paper = Paper.objects.get(reference=seed.REFERENCE)
    assert paper.body == demo
    assert (paper.paper_type, paper.date, paper.name, paper.is_public) == (
        seed.PAPER_TYPE, seed.DATE, seed.NAME, True
    )
    assert [(s.heading, s.text) for s in paper.sections.order_by("order")] == seed.SECTIONS
    assert paper.files.get(role=FileRole.AUXILIARY).file_name == seed.ATTACHMENT_FILE_NAME


def test_the_committee_meeting_recommends_with_7_to_2(demo: Body) -> None:
    paper = Paper.objects.get(reference=seed.REFERENCE)
    step = paper.consultations.get(order=1)
    meeting = step.meeting
    assert meeting.organizations.get().name == "Jugend-, Ordnungs- und Sozialausschuss"
    assert timezone.localtime(meeting.start).date() == date(2022, 10, 6)
    assert meeting.public

    item = step.agenda_item
    assert item.meeting == meeting and item.public
    assert item.number.startswith("Ö ")
    assert (item.result, item.votes_yes, item.votes_no, item.votes_abstain) == ("mehrheitlich beschlossen", 7, 2, 0)
    assert item.resolution_text == "\n\n".join(seed.BESCHLUSSEMPFEHLUNG)

    names = list(meeting.agenda_items.order_by("order").values_list("name", flat=True))
    assert names[:3] == [
        "Eröffnung der Sitzung",
        "Feststellung der ordnungsgemäßen Ladung und der Beschlussfähigkeit",
        "Feststellung der Tagesordnung",
    ]
    assert any(n.startswith("Genehmigung der Niederschrift") for n in names)
    assert "Einwohnerfragestunde" in names
    assert meeting.agenda_items.filter(public=False).exists()  # a non-public part
    public_orders = meeting.agenda_items.filter(public=True).values_list("order", flat=True)
    assert max(public_orders) < min(meeting.agenda_items.filter(public=False).values_list("order", flat=True))
    assert meeting.files.filter(role=FileRole.RESULTS_PROTOCOL, public=True).exists()


def test_the_verwaltungsausschuss_decides_behind_closed_doors(demo: Body) -> None:
    step = Paper.objects.get(reference=seed.REFERENCE).consultations.get(order=2)
    assert step.authoritative
    meeting = step.meeting
    assert timezone.localtime(meeting.start).date() == date(2022, 10, 13)
    assert meeting.organizations.get().kind == OrganizationKind.VERWALTUNGSAUSSCHUSS
    assert meeting.public is False
    assert not meeting.agenda_items.filter(public=True).exists()
    assert step.agenda_item.result
    assert not AgendaItem.objects.visible_to(None).filter(meeting=meeting).exists()


def test_the_groups_antrag_is_linked_both_ways(demo: Body) -> None:
    paper = Paper.objects.get(reference=seed.REFERENCE)
    antrag = Paper.objects.get(reference="AN/0012/2021-2026")
    assert antrag.paper_type == PaperType.ANTRAG and antrag.date == date(2022, 6, 2)
    assert list(paper.related_papers.all()) == [antrag]
    assert list(antrag.related_papers.all()) == [paper]
    group = antrag.originator_organizations.get()
    assert group.name == "Gruppe Grüne – KA – Linke" and group.kind == OrganizationKind.GRUPPE
    assert antrag.originator_persons.count() >= 1
    assert all(p.memberships.filter(organization=group).exists() for p in antrag.originator_persons.all())


def test_the_council_is_complete(demo: Body) -> None:
    assert demo.ags == "03458008"
    assert {t.name for t in demo.legislative_terms.all()} >= {"Wahlperiode 2021-2026", "Wahlperiode 2016-2021"}
    term = demo.legislative_terms.get(name="Wahlperiode 2021-2026")
    assert (term.start_date, term.end_date) == (date(2021, 11, 1), date(2026, 10, 31))
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert {"rat", "verwaltungsausschuss", "fachausschuss", "ortsrat", "fraktion", "gruppe", "fachbereich"} <= kinds
    council = Membership.objects.filter(organization__kind=OrganizationKind.RAT, end_date=None)
    assert council.count() >= 30
    assert all(m.on_behalf_of is not None for m in council.exclude(role="Bürgermeister"))
    assert Person.objects.filter(memberships__role="Bürgermeister", memberships__organization__kind="rat").exists()
    assert Membership.objects.filter(voting_right=False).exists()  # Grundmandate
    jos = Organization.objects.get(name="Jugend-, Ordnungs- und Sozialausschuss")
    on_seed_day = jos.memberships.active_on(date(2022, 10, 6))
    assert on_seed_day.filter(voting_right=True).count() == 9  # 7 + 2 votes in the seed meeting
    # The council was re-elected: the same Gremien continue in the Wahlperiode 2026-2031.
    assert jos.memberships.active_on(date(2026, 11, 1)).filter(voting_right=True).count() == 9


def test_a_year_of_meetings_and_upcoming_ones(demo: Body) -> None:
    now = timezone.now()
    past = Meeting.objects.filter(start__lt=now)
    assert past.count() >= 40
    assert AgendaItem.objects.exclude(result="").count() >= 50
    assert File.objects.filter(role=FileRole.RESULTS_PROTOCOL).count() >= 40
    upcoming = Meeting.objects.filter(start__gte=now, start__lte=now + timedelta(weeks=10))
    assert upcoming.filter(cancelled=False).count() >= 5
    assert Meeting.objects.filter(cancelled=True, organizations__kind__in=COUNCIL_BODY_KINDS).count() == 1
    assert all(m.public is False for m in Meeting.objects.filter(organizations__kind=OrganizationKind.VERWALTUNGSAUSSCHUSS))


def test_vorlagen_of_every_kind(demo: Body) -> None:
    types = set(Paper.objects.values_list("paper_type", flat=True))
    assert set(PaperType.values) <= types
    assert Paper.objects.count() >= 40
    assert Paper.objects.filter(public=False).exists()
    amendment = Paper.objects.filter(paper_type=PaperType.AENDERUNGSANTRAG, reference__startswith="ÄA/").first()
    assert amendment.superordinated_papers.get().paper_type == PaperType.BESCHLUSSVORLAGE
    answer = Paper.objects.filter(paper_type=PaperType.ANTWORT, reference__startswith="AF/").first()
    assert answer.superordinated_papers.get().paper_type == PaperType.ANFRAGE
    assert File.objects.exclude(text="").count() >= 40


def test_non_public_vorlagen_and_their_files_stay_hidden(demo: Body) -> None:
    secret = Paper.objects.filter(public=False).first()
    assert secret.files.exists()
    assert not Paper.objects.visible_to(None).filter(pk=secret.pk).exists()
    assert not File.objects.visible_to(None).filter(paper=secret).exists()
    assert not AgendaItem.objects.visible_to(None).filter(consultation__paper=secret).exists()


def test_demo_logins(demo: Body) -> None:
    # django-axes needs the request to count failures per address.
    users = {u.username: authenticate(HttpRequest(), username=u.username, password=u.password) for u in DEMO_USERS}
    assert all(users.values())
    assert all(is_demo_account(user) for user in users.values())  # printed passwords: flagged, no second factor
    assert users["sitzungsdienst"].is_staff and viewer_for(users["sitzungsdienst"]).sees_everything
    assert not users["ratsfrau"].is_staff and not viewer_for(users["ratsfrau"]).sees_everything
    assert users["ratsfrau"].person.memberships.filter(organization__name="Gruppe Grüne – KA – Linke").exists()
    assert viewer_for(users["quartiersmanagement"]).gremium_ids == frozenset()


def test_ratsinfo_demo_rebuilds_the_same_demo(demo: Body) -> None:
    def snapshot() -> tuple[list[Any], Counter[Any]]:
        return (
            list(Paper.objects.order_by("reference").values_list("reference", "name", "date", "public")),
            Counter(AgendaItem.objects.values_list("meeting__name", "number", "name", "result", "votes_yes")),
        )

    before = snapshot()
    out = StringIO()
    call_command("demo", stdout=out)  # over the existing demo: flush and build again (timed in bench/demo.py)
    assert "Gemeinde Großenkneten" in out.getvalue()
    assert "demo-sitzungsdienst" in out.getvalue()
    assert Body.objects.count() == 1
    assert snapshot() == before  # deterministic


def test_the_seed_went_the_whole_way_through_the_workflow(demo: Body) -> None:
    """Drafted by Fachbereich 2, co-signed by the Kämmerei, released by the Bürgermeister, routed."""
    paper = Paper.objects.get(reference=seed.REFERENCE)
    steps = list(paper.events.order_by("at", "pk").values_list("action", "actor__username"))
    assert steps == [
        ("angelegt", "sachbearbeitung"), ("beratungsfolge", "sachbearbeitung"), ("mitzeichnung", "sachbearbeitung"),
        ("mitgezeichnet", "kaemmerei"), ("freigegeben", "buergermeister"), ("importiert", None),
        ("orte", "sitzungsdienst"),  # the Sitzungsdienst names the Quartier's places (corpus/demo_places.py)
    ]
    assert paper.cosignatures.get().department.short_name == "FB 1" and paper.created_by.username == "sachbearbeitung"
