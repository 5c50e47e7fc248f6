"""Each demo account logs in at /anmelden/ and can do what its printed description says, and nothing more."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from ratsinfo.bodies.models import Organization
from ratsinfo.corpus.demo import DEMO_USERS, build_demo
from ratsinfo.measures.demo import PLAN_SLUG
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Paper

pytestmark = pytest.mark.slow
PASSWORDS = {u.username: u.password for u in DEMO_USERS}
COUNCIL = ["Rat", "VA", "JOS", "BPU", "FinA", "SchulA", "OR Ahlhorn"]
# Whose non-public agenda items each account sees (memberships, § 78 listeners, none for the public).
SEES_NONPUBLIC_OF = {
    None: set(),
    "sitzungsdienst": set(COUNCIL),
    "buergermeister": {"Rat", "VA"},
    "ratsfrau": {"Rat", "JOS", "VA"},
    "ratsherr": {"Rat", "VA", "FinA"},
    "hinzugewaehlt": {"JOS"},
    "quartiersmanagement": set(),
}
ADMIN = "/verwaltung/admin/"


@pytest.fixture(scope="module")
def demo_db(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_db: None, db: Any) -> None:
    return None


def login(username: str) -> Client:
    client = Client()
    response = client.post("/anmelden/", {"username": username, "password": PASSWORDS[username]})
    assert response.status_code == 302, f"{username} kann sich nicht anmelden"
    return client


def _meeting_with_nonpublic_items(short: str) -> Meeting:
    org = Organization.objects.get(short_name=short)
    return Meeting.objects.filter(organizations=org, agenda_items__public=False, cancelled=False).order_by("start").first()


@pytest.mark.parametrize("username", list(SEES_NONPUBLIC_OF))
def test_each_account_sees_the_non_public_part_of_exactly_its_gremien(demo: None, username: str | None) -> None:
    client = login(username) if username else Client()
    for short in COUNCIL:
        meeting = _meeting_with_nonpublic_items(short)
        hidden = AgendaItem.objects.filter(meeting=meeting, public=False, deleted=False)
        page = client.get(meeting.get_absolute_url()).content.decode()
        shows_numbers = all(re.search(rf">\s*{re.escape(item.number)}\s*<", page) for item in hidden)
        says_hidden = f"{hidden.count()} Tagesordnungspunkt" in page and "im nichtöffentlichen Teil" in page
        if short in SEES_NONPUBLIC_OF[username]:
            assert shows_numbers and not says_hidden, (username, short)
        else:
            assert says_hidden and not shows_numbers, (username, short)


def _nonpublic_paper(department: str) -> Paper:
    return Paper.objects.filter(public=False, under_direction_of__short_name=department).order_by("pk").first()


def test_the_sitzungsdienst_edits_everything_but_accounts(demo: None) -> None:
    client = login("sitzungsdienst")
    for url in ("papers/paper/add/", "meetings/meeting/add/", "bodies/organization/add/", "bodies/membership/add/"):
        assert client.get(ADMIN + url).status_code == 200, url
    secret = _nonpublic_paper("FB 1")
    assert client.get(f"{ADMIN}papers/paper/{secret.pk}/change/").status_code == 200
    assert client.get(secret.get_absolute_url()).status_code == 200
    assert client.get(ADMIN + "auth/user/").status_code == 403


@pytest.mark.parametrize(("username", "own", "other"), [("sachbearbeitung", "FB 2", "FB 1"), ("kaemmerei", "FB 1", "FB 2")])
def test_sachbearbeitung_drafts_vorlagen_and_sees_only_its_fachbereichs_non_public_ones(
    demo: None, username: str, own: str, other: str
) -> None:
    client = login(username)
    assert client.get(ADMIN + "papers/paper/add/").status_code == 200
    assert client.get(ADMIN + "files/file/add/").status_code == 200
    assert client.get(ADMIN + "meetings/meeting/add/").status_code == 403
    mine, theirs = _nonpublic_paper(own), _nonpublic_paper(other)
    assert client.get(f"{ADMIN}papers/paper/{mine.pk}/change/").status_code == 200
    # The admin treats a record outside the audience as missing (redirect with "does not exist").
    assert client.get(f"{ADMIN}papers/paper/{theirs.pk}/change/").status_code == 302
    assert theirs.reference not in client.get(ADMIN + "papers/paper/").content.decode()
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_the_buergermeister_sees_every_vorlage_and_may_release(demo: None) -> None:
    client = login("buergermeister")
    for department in ("FB 1", "FB 2", "FB 3"):
        assert client.get(_nonpublic_paper(department).get_absolute_url()).status_code == 200
    user = client.get("/").wsgi_request.user
    assert user.has_perm("papers.release_paper") and user.has_perm("papers.view_all_papers")
    assert client.get(ADMIN + "meetings/meeting/add/").status_code == 403
    assert client.get(ADMIN + "auth/user/").status_code == 403


@pytest.mark.parametrize("username", ["ratsfrau", "ratsherr", "hinzugewaehlt"])
def test_council_members_read_but_do_not_enter_the_staff_area(demo: None, username: str) -> None:
    client = login(username)
    response = client.get(ADMIN)
    assert response.status_code == 302 and "/login/" in response["Location"]
    user = client.get("/").wsgi_request.user
    assert user.has_perm("papers.submit_motion") and not user.has_perm("papers.release_paper")
    # Never a draft or another Fachbereich's working paper, whatever the Gremium.
    assert client.get(_nonpublic_paper("FB 3").get_absolute_url()).status_code in (200, 404)


def test_the_quartiersmanagement_edits_the_plan_and_sees_nothing_non_public(demo: None) -> None:
    client = login("quartiersmanagement")
    assert client.get(f"/massnahmen/{PLAN_SLUG}/beschluss/").status_code == 200
    assert client.get(f"/massnahmen/{PLAN_SLUG}/massnahme/neu/").status_code == 200
    assert client.get(ADMIN + "measures/measure/").status_code == 200
    assert client.get(ADMIN + "papers/paper/").status_code == 403
    for department in ("FB 1", "FB 2", "FB 3"):
        assert client.get(_nonpublic_paper(department).get_absolute_url()).status_code == 404


@pytest.mark.parametrize("username", [u.username for u in DEMO_USERS])
def test_every_account_can_reset_its_password_by_email(demo: None, username: str) -> None:
    client = Client()
    mail.outbox.clear()
    response = client.post("/passwort-vergessen/", {"email": f"{username}@grossenkneten.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and username in mail.outbox[0].body
    link = re.search(r"http://testserver(/passwort-neu/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "Heller-Mond-ueber-Ahlhorn-42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert Client().post("/anmelden/", {"username": username, "password": new}).status_code == 302
