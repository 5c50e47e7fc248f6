"""The audit log: who logged in, failed, changed roles and rights, released or downloaded
what – merged with the change history, for administrators only, paged by key."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.utils import timezone

from ratsinfo.accounts import roles
from ratsinfo.accounts.audit import record_event
from ratsinfo.accounts.models import AuditEvent, AuditKind
from ratsinfo.bodies.models import Body
from ratsinfo.files.models import File
from ratsinfo.papers.models import Paper
from tests.accounts.conftest import account, login
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db

PAGE = "/verwaltung/protokoll/"


@pytest.fixture
def admin_client(administrator: User) -> Client:
    return login_with_second_factor(Client(), administrator)


def _rows(text: str) -> list[str]:
    return re.findall(r"<tr>\s*<td><time", text)


def test_logins_logouts_and_failures_are_recorded_with_the_address(ratsherr: User) -> None:
    client = Client()
    login(client, "ratsherr", "falsch", address="203.0.113.1")
    login(client, "niemand", "falsch", address="203.0.113.1")
    login(client, "ratsherr", address="203.0.113.1")
    client.post("/abmelden/", REMOTE_ADDR="203.0.113.1")
    events = list(AuditEvent.objects.order_by("pk").values_list("kind", "actor_name", "address"))
    assert events[-4:] == [
        (AuditKind.LOGIN_FAILED, "ratsherr", "203.0.113.1"),
        (AuditKind.LOGIN_FAILED, "niemand", "203.0.113.1"),
        (AuditKind.LOGIN, "ratsherr", "203.0.113.1"),
        (AuditKind.LOGOUT, "ratsherr", "203.0.113.1"),
    ]


def test_role_and_right_changes_are_recorded_by_name(ratsherr: User) -> None:
    sitzungsdienst = Group.objects.get(name=roles.SITZUNGSDIENST)
    nonpublic = Permission.objects.get(codename="view_user")
    ratsherr.groups.add(sitzungsdienst)
    sitzungsdienst.permissions.add(nonpublic)
    ratsherr.user_permissions.add(nonpublic)
    sitzungsdienst.user_set.remove(ratsherr)
    ratsherr.user_permissions.clear()
    details = list(AuditEvent.objects.filter(kind__in=[AuditKind.GROUPS, AuditKind.PERMISSIONS]).order_by("pk").values_list("object_repr", "detail"))
    assert details[-5:] == [
        ("ratsherr", "Rollen hinzugefügt: Sitzungsdienst"),
        ("Sitzungsdienst", "Rechte hinzugefügt: view_user"),
        ("ratsherr", "Rechte hinzugefügt: view_user"),
        ("Sitzungsdienst", "Konten entzogen: ratsherr"),
        ("ratsherr", "Rechte alle entzogen: view_user"),
    ]


def test_granting_or_withdrawing_admin_rights_is_recorded(ratsherr: User) -> None:
    ratsherr.is_superuser = True
    ratsherr.save()
    ratsherr.is_active = False
    ratsherr.save()
    ratsherr.last_login = timezone.now()
    ratsherr.save(update_fields=["last_login"])
    details = list(AuditEvent.objects.filter(kind=AuditKind.PERMISSIONS, object_type="auth.user", object_id=str(ratsherr.pk)).values_list("detail", flat=True))
    assert details == ["Administratorrechte (Superuser): ja", "Konto aktiv: nein"]


def test_a_wrong_second_factor_code_is_recorded(sachbearbeiterin: User) -> None:
    client = login_with_second_factor(Client(), sachbearbeiterin)
    session = client.session
    session.pop("otp_device_id")
    session["ratsinfo_second_factor"] = "pending"
    session.save()
    client.post("/konto/zwei-faktor/pruefen/", {"code": "123456"})
    assert AuditEvent.objects.filter(kind=AuditKind.SECOND_FACTOR, actor=sachbearbeiterin, detail__startswith="Falscher").exists()


def test_a_change_of_roles_in_the_admin_names_the_administrator(admin_client: Client, administrator: User, ratsherr: User) -> None:
    administrator.is_superuser = True
    administrator.save()
    group = Group.objects.get(name=roles.SACHBEARBEITUNG)
    admin_client.post(f"/verwaltung/admin/auth/user/{ratsherr.pk}/change/", {
        "username": "ratsherr", "groups": [group.pk], "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00", "initial-date_joined_0": "2026-01-01", "initial-date_joined_1": "10:00:00",
    })
    event = AuditEvent.objects.filter(kind=AuditKind.GROUPS, object_type="auth.user", object_id=str(ratsherr.pk)).latest("pk")
    assert (event.actor, event.detail) == (administrator, "Rollen hinzugefügt: Sachbearbeitung")


def test_other_code_records_downloads_of_non_public_files(body: Body, ratsherr: User) -> None:
    secret = File.objects.create(body=body, name="Grundstücksangelegenheit", file_name="anlage.pdf", public=False)
    event = record_event(AuditKind.DOWNLOAD, actor=ratsherr, obj=secret)
    assert (event.object_type, event.object_id, event.actor_name) == ("files.file", str(secret.pk), "ratsherr")


def test_the_page_merges_events_with_the_change_history(admin_client: Client, body: Body, administrator: User) -> None:
    paper = Paper.objects.create(body=body, name="Bebauungsplan Nr. 42", reference="BV/42")
    record_event(AuditKind.RELEASE, actor=administrator, obj=paper, detail="freigegeben")
    page = admin_client.get(PAGE)
    text = page.content.decode()
    assert page.status_code == 200 and text.count("<h1") == 1
    assert "Freigabe" in text and "Vorlage angelegt" in text and "Bebauungsplan Nr. 42" in text
    only_changes = admin_client.get(PAGE, {"art": "change"}).content.decode()
    assert "Vorlage angelegt" in only_changes and "Freigabe" not in only_changes.split("<tbody>")[1]
    only_admin = admin_client.get(PAGE, {"art": "release", "konto": "admin"}).content.decode()
    assert len(_rows(only_admin)) == 1


def test_keyset_pages_show_every_event_once(admin_client: Client, ratsherr: User) -> None:
    moment = timezone.now() - dt.timedelta(days=1)
    AuditEvent.objects.bulk_create(
        AuditEvent(at=moment if i % 3 else moment - dt.timedelta(seconds=i), kind=AuditKind.LOGIN, actor_name=f"k{i:03d}")
        for i in range(120)
    )
    seen: list[str] = []
    url: str | None = f"{PAGE}?art=login&bis={timezone.localdate(moment):%Y-%m-%d}"
    while url:
        text = admin_client.get(url).content.decode()
        seen += re.findall(r"<td>(k\d{3})</td>", text)
        older = re.search(r'href="\?([^"]*aeltere=[^"]+)" rel="next"', text)
        url = f"{PAGE}?{older.group(1).replace('&amp;', '&')}" if older else None
    assert sorted(seen) == [f"k{i:03d}" for i in range(120)]


def test_the_page_costs_the_same_queries_for_many_rows(admin_client: Client, body: Body, django_assert_max_num_queries: Any) -> None:
    for i in range(60):
        Paper.objects.create(body=body, name=f"Vorlage {i}", reference=f"BV/{i}")
        record_event(AuditKind.PUBLICATION, actor_name="sitzungsdienst", detail=f"{i}")
    with django_assert_max_num_queries(10):  # session, user, OTP device, 5 sources
        page = admin_client.get(PAGE)
    assert len(_rows(page.content.decode())) == 50


@pytest.mark.parametrize("query", [
    {"aeltere": "x"}, {"aeltere": "99999999999999999-9-1"}, {"von": "gestern"}, {"art": "alles"}, {"konto": "x" * 500},
    {"aeltere": "999999999999999999-1-1"},
])
def test_any_query_string_is_answered_without_error(admin_client: Client, query: dict[str, str]) -> None:
    assert admin_client.get(PAGE, query).status_code == 200


def test_everyone_else_gets_not_found(ratsherr: User, sitzungsdienst: User) -> None:
    assert Client().get(PAGE).status_code == 404
    member = Client()
    member.force_login(ratsherr)
    assert member.get(PAGE).status_code == 404
    assert login_with_second_factor(Client(), sitzungsdienst).get(PAGE).status_code == 404
    demo_staff = Client()
    demo_staff.force_login(account("sachbearbeitung", roles.SACHBEARBEITUNG, demo=True))
    assert demo_staff.get(PAGE).status_code == 404
