"""Suchaufträge from Mein Ratsinfo: a member subscribes the current search without opt-in (the
account's address), the daily digest names exactly what the member may see on the day of sending,
and nothing non-public ever reaches a member of another Gremium or an anonymous subscriber."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from ratsinfo.bodies.models import Membership
from ratsinfo.lib.access import PUBLIC
from ratsinfo.papers.models import Paper
from ratsinfo.search.alerts import send_digests, subscribe_member
from ratsinfo.search.indexing import flush_all
from ratsinfo.search.models import Alert
from ratsinfo.search.service import search
from tests.conftest import join
from tests.members.conftest import Council, add_item, logged_in, other_account, paper_with_file

QUERY = "Kiesabbau"


def new_papers(council: Council) -> dict[str, Paper]:
    """One public Vorlage and one non-public each in the JOS and in the Finanzausschuss, all about gravel."""
    papers = {
        "public": paper_with_file(council.body, "BV/0500/2021-2026", "Kiesabbau am Sandberg", public=True,
                                  text="Der Kiesabbau wird erweitert."),
        "jos": paper_with_file(council.body, "BV/0501/2021-2026", "Kiesabbau Grundstückspreise Hegel", public=False,
                               text="Kiesabbau: Preis 18 Euro je Quadratmeter."),
        "fina": paper_with_file(council.body, "BV/0502/2021-2026", "Kiesabbau Abgabenstundung Oltmanns", public=False,
                                text="Kiesabbau: Stundung der Abgaben."),
    }
    add_item(council.jos_meeting, 3, papers["jos"], council.jos)
    add_item(council.fina_meeting, 2, papers["fina"], council.fina)
    flush_all()  # what the worker does after the commit
    return papers


def digest_for(address: str) -> str:
    found = [m for m in mail.outbox if m.to == [address]]
    assert len(found) == 1
    listed = sum(line.startswith("- ") for line in found[0].body.splitlines())
    assert found[0].subject.endswith(f": {listed} Treffer")  # the count is of what is listed, nothing more
    return f"{found[0].subject}\n{found[0].body}"


def test_a_member_subscribes_the_search_and_gets_what_she_may_see(member: User, council: Council) -> None:
    flush_all()
    client = logged_in(member)
    assert "Suchauftrag in Mein Ratsinfo anlegen" in client.get("/suche/", {"q": QUERY}).content.decode()
    assert client.post("/mein-ratsinfo/suchauftraege/", {"q": QUERY}).status_code == 302
    alert = Alert.objects.get(user=member)
    assert alert.confirmed_at is not None and mail.outbox == []  # the account's own address: no opt-in mail
    assert QUERY in client.get("/mein-ratsinfo/suchauftraege/").content.decode()
    new_papers(council)
    assert send_digests() == 1
    digest = digest_for("maren.vosteen@example.org")
    assert "Kiesabbau am Sandberg" in digest and "Grundstückspreise Hegel" in digest
    assert "Oltmanns" not in digest and "Abgabenstundung" not in digest


def test_another_gremium_and_an_anonymous_subscriber_never_get_non_public_words(
    member: User, council: Council, citizen_client: Client
) -> None:
    flush_all()
    treasurer = other_account("ratsherr", council)
    join(treasurer, council.fina)
    subscribe_member(treasurer, QUERY)
    anonymous = Alert.objects.create(email="anwohner@example.org", query=QUERY, confirmed_at=timezone.now())
    new_papers(council)
    assert send_digests() == 2
    theirs = digest_for("ratsherr@example.org")
    assert "Kiesabbau am Sandberg" in theirs and "Oltmanns" in theirs  # his own Gremium's
    assert "Hegel" not in theirs and "Grundstückspreise" not in theirs and "18 Euro" not in theirs
    public = digest_for(anonymous.email)
    assert "Kiesabbau am Sandberg" in public
    assert public.startswith(f"Neu zu „{QUERY}“: {search(PUBLIC, QUERY).total} Treffer")
    for secret in ("Hegel", "Grundstückspreise", "Oltmanns", "Abgabenstundung", "Quadratmeter"):
        assert secret not in public
    for client in (citizen_client, logged_in(member)):  # the feed has no login: public only, even for her
        feed = client.get("/suche/feed/", {"q": QUERY}).content.decode()
        assert "Kiesabbau am Sandberg" in feed and "Hegel" not in feed and "Oltmanns" not in feed


def test_who_left_the_gremium_no_longer_gets_its_non_public_hits(member: User, council: Council) -> None:
    flush_all()
    subscribe_member(member, QUERY)
    Membership.objects.filter(person__user=member, organization=council.jos).update(end_date=dt.date(2022, 1, 31))
    new_papers(council)
    assert send_digests() == 1
    digest = digest_for("maren.vosteen@example.org")
    assert "Kiesabbau am Sandberg" in digest and "Hegel" not in digest and "Quadratmeter" not in digest


def test_one_mail_a_day_and_unsubscribe_in_the_area_or_with_one_click(
    member: User, council: Council, django_assert_max_num_queries: Any
) -> None:
    flush_all()
    client = logged_in(member)
    for query in ("Kita", "Bahnhofstraße", QUERY):
        client.post("/mein-ratsinfo/suchauftraege/", {"q": query})
    client.post("/mein-ratsinfo/suchauftraege/", {"q": QUERY})  # the same search again: still one
    assert Alert.objects.filter(user=member).count() == 3
    with django_assert_max_num_queries(12):
        page = client.get("/mein-ratsinfo/suchauftraege/").content.decode()
    assert page.count("Abbestellen</button>") == 3
    new_papers(council)
    assert send_digests() == 1 and send_digests() == 0  # the same day: nothing more
    assert send_digests(now=timezone.now() + dt.timedelta(days=1)) == 0  # the next day: nothing new, no mail
    kita = Alert.objects.get(user=member, query="Kita")
    stranger = logged_in(other_account("ratsherr", council))
    assert stranger.post(f"/mein-ratsinfo/suchauftraege/{kita.pk}/abbestellen/").status_code == 404
    assert client.post(f"/mein-ratsinfo/suchauftraege/{kita.pk}/abbestellen/").status_code == 302
    gravel = Alert.objects.get(user=member, query=QUERY)
    Client(enforce_csrf_checks=True).post(f"/suche/abo/abbestellen/{gravel.token}/", {"List-Unsubscribe": "One-Click"})
    assert list(Alert.objects.filter(user=member).values_list("query", flat=True)) == ["Bahnhofstraße"]


def test_only_logged_in_members_subscribe_and_a_query_is_required(member: User, council: Council) -> None:
    anonymous = Client()
    assert anonymous.post("/mein-ratsinfo/suchauftraege/", {"q": QUERY}).status_code == 302
    assert "Suchauftrag in Mein Ratsinfo anlegen" not in anonymous.get("/suche/", {"q": QUERY}).content.decode()
    page = logged_in(member).post("/mein-ratsinfo/suchauftraege/", {"q": ""}).content.decode()
    assert "Bitte geben Sie einen Suchbegriff an." in page
    assert not Alert.objects.exists()
