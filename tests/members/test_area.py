"""Mein Ratsinfo at /mein-ratsinfo/: for every logged-in account."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client


def test_a_council_member_opens_mein_ratsinfo(ratsfrau: User, citizen_client: Client) -> None:
    member = Client()
    member.force_login(ratsfrau)
    assert member.get("/mein-ratsinfo/").status_code == 200
    response = citizen_client.get("/mein-ratsinfo/")
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")
