"""The strict Content-Security-Policy breaks nothing: the browser reports no blocked script,
style or image on the public pages and the board, and the board keeps its column layout."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from ratsinfo.bodies.models import Body
from ratsinfo.measures.demo import PLAN_SLUG, build_measures_demo

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_no_page_trips_the_content_security_policy(page: Any, live_server: Any, transactional_db: Any) -> None:
    build_measures_demo(Body.objects.create(name="Gemeinde Großenkneten", short_name="Großenkneten"))
    User.objects.create_user("ratsfrau", password="geheim-genug-123")
    blocked: list[str] = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    for url in ("/", "/vorlagen/", "/sitzungen/?ansicht=monat", "/massnahmen/", f"/massnahmen/{PLAN_SLUG}/",
                f"/massnahmen/{PLAN_SLUG}/tafel/", "/anmelden/"):
        response = page.goto(url)
        assert response is not None and response.ok, url
        assert "default-src 'none'" in response.headers["content-security-policy"]
    assert page.goto(f"/massnahmen/{PLAN_SLUG}/tafel/") is not None
    assert page.eval_on_selector(".board", "el => getComputedStyle(el).display") == "flex"
    page.goto("/anmelden/")
    page.fill("input[name=username]", "ratsfrau")
    page.fill("input[name=password]", "geheim-genug-123")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert blocked == []
