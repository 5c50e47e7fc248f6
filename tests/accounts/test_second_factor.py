"""Two-factor login: staff must set up and use an authenticator app before the staff area,
council members may opt in, recovery codes work once each, demo accounts are exempt."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.db.models import F
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ratsinfo.accounts import roles
from tests.accounts.conftest import account, current_code, login

pytestmark = pytest.mark.django_db

ADMIN = "/verwaltung/admin/"


def _a_minute_later(user: User) -> None:
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_timestamp=F("throttling_failure_timestamp") - dt.timedelta(minutes=1))


def _set_up_app(client: Client, user: User) -> list[str]:
    client.get("/konto/zwei-faktor/einrichten/")
    page = client.post("/konto/zwei-faktor/einrichten/", {"code": current_code(user, confirmed=False), "next": ADMIN})
    assert page.status_code == 200
    return re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.content.decode())


def test_staff_are_sent_to_set_up_a_second_factor_after_the_password(sachbearbeiterin: User) -> None:
    client = Client()
    response = login(client, "sachbearbeitung")
    assert response.url.startswith("/konto/zwei-faktor/einrichten/")
    assert client.get(ADMIN).url.startswith("/konto/zwei-faktor/einrichten/?next=")
    assert client.get("/verwaltung/protokoll/").status_code == 302
    assert not client.post("/verwaltung/admin/logout/").get("Location", "").startswith("/konto/")  # leaving is always possible
    page = client.get("/konto/zwei-faktor/einrichten/").content.decode()
    assert page.count("<h1") == 1 and "<svg" in page and "<title>QR-Code" in page
    secret = re.search(r'<code class="otp-secret">([A-Z2-7 ]+)</code>', page)
    assert secret and len(secret.group(1).replace(" ", "")) == 32  # typable by hand, for screen readers too


def test_a_wrong_first_code_is_refused_and_the_right_one_confirms_the_app(sachbearbeiterin: User) -> None:
    client = Client()
    login(client, "sachbearbeitung")
    client.get("/konto/zwei-faktor/einrichten/")
    wrong = client.post("/konto/zwei-faktor/einrichten/", {"code": "000000"})
    assert "Der Code stimmt nicht" in wrong.content.decode()
    assert client.get(ADMIN).status_code == 302
    codes = _set_up_app(client, sachbearbeiterin)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert not client.get(ADMIN).get("Location", "").startswith("/konto/")


def test_the_next_login_asks_for_the_code_and_each_recovery_code_works_once(sachbearbeiterin: User) -> None:
    setup = Client()
    login(setup, "sachbearbeitung")
    codes = _set_up_app(setup, sachbearbeiterin)

    client = Client()
    assert login(client, "sachbearbeitung").url.startswith("/konto/zwei-faktor/pruefen/")
    assert client.get("/").url.startswith("/konto/zwei-faktor/pruefen/")  # nothing before the code
    # A stolen password alone cannot make new recovery codes or replace the app.
    assert client.post("/konto/zwei-faktor/wiederherstellungscodes/").url.startswith("/konto/zwei-faktor/pruefen/")
    assert client.get("/konto/zwei-faktor/einrichten/").url.startswith("/konto/zwei-faktor/pruefen/")
    assert client.post("/konto/zwei-faktor/pruefen/", {"code": codes[0], "next": "/"}).url == "/"
    assert client.get("/").status_code == 200

    again = Client()
    login(again, "sachbearbeitung")
    used = again.post("/konto/zwei-faktor/pruefen/", {"code": codes[0]})
    assert "schon verwendet" in used.content.decode()
    _a_minute_later(sachbearbeiterin)  # a wrong code throttles the next try for a moment
    assert again.post("/konto/zwei-faktor/pruefen/", {"code": codes[1].upper(), "next": "/"}).url == "/"


def test_the_code_from_the_app_opens_the_staff_area(administrator: User) -> None:
    setup = Client()
    login(setup, "admin")
    _set_up_app(setup, administrator)
    client = Client()
    login(client, "admin")
    response = client.post("/konto/zwei-faktor/pruefen/", {"code": current_code(administrator, later=1), "next": "/verwaltung/protokoll/"})
    assert response.url == "/verwaltung/protokoll/"
    assert client.get("/verwaltung/protokoll/").status_code == 200


def test_staff_cannot_switch_the_second_factor_off(sachbearbeiterin: User) -> None:
    client = Client()
    login(client, "sachbearbeitung")
    _set_up_app(client, sachbearbeiterin)
    client.post("/konto/zwei-faktor/ausschalten/")
    assert "vorgeschrieben" in client.get("/konto/zwei-faktor/").content.decode()
    assert sachbearbeiterin.totpdevice_set.filter(confirmed=True).exists()


def test_council_members_log_in_with_the_password_and_may_opt_in_and_out(ratsherr: User) -> None:
    client = Client()
    assert login(client, "ratsherr").url == "/"
    overview = client.get("/konto/zwei-faktor/").content.decode()
    assert "Zweiten Faktor einrichten" in overview and overview.count("<h1") == 1
    _set_up_app(client, ratsherr)

    later = Client()
    assert login(later, "ratsherr").url.startswith("/konto/zwei-faktor/pruefen/")
    assert later.get("/vorlagen/").url.startswith("/konto/zwei-faktor/pruefen/")
    later.post("/konto/zwei-faktor/pruefen/", {"code": current_code(ratsherr, later=1)})
    assert later.get("/vorlagen/").status_code == 200
    later.post("/konto/zwei-faktor/ausschalten/")
    assert not ratsherr.totpdevice_set.exists()
    assert login(Client(), "ratsherr").url == "/"


def test_demo_accounts_work_without_a_second_factor_and_say_so(db: object) -> None:
    account("sitzungsdienst", roles.SITZUNGSDIENST, demo=True)
    client = Client()
    assert login(client, "sitzungsdienst").url == "/"
    assert client.get(ADMIN).status_code in (200, 302)
    assert not client.get(ADMIN).get("Location", "").startswith("/konto/")
    assert "Demo-Konto" in client.get("/").content.decode()


def test_a_real_account_shows_no_demo_banner(ratsherr: User) -> None:
    client = Client()
    login(client, "ratsherr")
    assert "Demo-Konto" not in client.get("/").content.decode()
