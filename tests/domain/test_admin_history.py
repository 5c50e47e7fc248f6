"""The Sitzungsdienst edits in the admin; the history says who changed what and when."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from ratsinfo.bodies.models import Body
from ratsinfo.papers.models import Paper
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db


def test_an_admin_change_records_the_user(body: Body, sitzungsdienst: User) -> None:
    sitzungsdienst.is_superuser = True
    sitzungsdienst.save()
    client = login_with_second_factor(Client(), sitzungsdienst)
    paper = Paper.objects.create(body=body, name="Alter Betreff", reference="BV/9")
    url = f"/verwaltung/admin/papers/paper/{paper.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        name="Neuer Betreff", body=body.pk, reference="BV/9", slug=paper.slug, state="entwurf", paper_type="",
        keywords="[]",
        **{f"{prefix}-{k}": v for prefix in ("sections", "consultations")
           for k, v in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000}.items()},
    )
    data = {k: v for k, v in data.items() if not isinstance(v, list)}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = paper.history.latest("history_date")
    assert latest.name == "Neuer Betreff"
    assert latest.history_user == sitzungsdienst
