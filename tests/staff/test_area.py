"""The staff area at /verwaltung/: staff roles only, after the second factor."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import login_with_second_factor


def test_the_sitzungsdienst_enters_the_staff_area(sitzungsdienst: User) -> None:
    client = login_with_second_factor(Client(), sitzungsdienst)
    response = client.get("/verwaltung/")
    assert response.status_code == 200 and "<h1>Verwaltung</h1>" in response.content.decode()


def test_a_citizen_is_asked_to_log_in_and_a_council_member_finds_nothing(citizen_client: Client, ratsfrau: User) -> None:
    response = citizen_client.get("/verwaltung/")
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")
    member = Client()
    member.force_login(ratsfrau)
    assert member.get("/verwaltung/").status_code == 404
