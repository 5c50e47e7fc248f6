"""A file with personal data and its redacted public version: the public sees only the redaction."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

import pytest
from django.contrib.auth.models import User
from django.test import Client

from ratsinfo.bodies.models import Organization, OrganizationKind
from ratsinfo.files.models import File
from ratsinfo.files.services import FileError, add_public_version
from ratsinfo.papers.models import Consultation, ConsultationRole, Paper
from tests.conftest import join
from tests.files.conftest import PDF, upload

pytestmark = pytest.mark.django_db
ORIGINAL = PDF + b"Stellungnahme von Erika Mustermann, Ahlhorner Str. 5"
REDACTED = PDF + b"Stellungnahme von [geschwaerzt]"


@pytest.fixture
def stellungnahme(vorlage: Paper) -> tuple[File, File]:
    original = upload(vorlage, ORIGINAL, "Stellungnahme Mustermann.pdf", name="Stellungnahme einer Anwohnerin")
    redacted = add_public_version(original, REDACTED, file_name="Stellungnahme geschwärzt.pdf")
    original.refresh_from_db()
    return original, redacted


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_public_sees_only_the_redacted_version_on_the_vorlage_page(
    stellungnahme: tuple[File, File], vorlage: Paper, citizen_client: Client
) -> None:
    original, redacted = stellungnahme
    page = citizen_client.get(f"/vorlagen/{vorlage.slug}/").content.decode()
    assert f"/dateien/{redacted.pk}/" in page and "geschwärzte Fassung" in page
    assert f"/dateien/{original.pk}/" not in page and "Mustermann" not in page


def test_the_public_downloads_the_redacted_version_and_never_the_original(
    stellungnahme: tuple[File, File], citizen_client: Client
) -> None:
    original, redacted = stellungnahme
    assert citizen_client.get(f"/dateien/{original.pk}/").status_code == 404
    assert body_of(citizen_client.get(f"/dateien/{redacted.pk}/")) == REDACTED


def test_oparl_lists_and_serves_only_the_redacted_version(
    stellungnahme: tuple[File, File], vorlage: Paper, citizen_client: Client
) -> None:
    original, redacted = stellungnahme
    paper = citizen_client.get(f"/oparl/v1.1/paper/{vorlage.pk}").json()
    listed = [f["id"].rsplit("/", 1)[-1] for f in paper.get("auxiliaryFile", [])]
    assert listed == [str(redacted.pk)]
    assert "Mustermann" not in str(paper)
    # It was public until the redaction came: now a tombstone without content, its bytes unreachable.
    assert citizen_client.get(f"/oparl/v1.1/file/{original.pk}").json() == {
        "id": f"http://testserver/oparl/v1.1/file/{original.pk}", "type": "https://schema.oparl.org/1.1/File",
        "created": ANY, "modified": ANY, "deleted": True,
    }
    for url in (f"/oparl/v1.1/file/{original.pk}/access", f"/oparl/v1.1/file/{original.pk}/download"):
        assert citizen_client.get(url).status_code in (404, 410)
    data = citizen_client.get(f"/oparl/v1.1/file/{redacted.pk}").json()
    assert body_of(citizen_client.get(data["downloadUrl"].replace("http://testserver", ""))) == REDACTED


def test_who_may_see_non_public_records_sees_the_original_in_its_place(
    stellungnahme: tuple[File, File], vorlage: Paper, ratsfrau: User
) -> None:
    original, redacted = stellungnahme
    committee = Organization.objects.create(body=vorlage.body, name="Sozialausschuss", kind=OrganizationKind.FACHAUSSCHUSS)
    Consultation.objects.create(paper=vorlage, organization=committee, role=ConsultationRole.VORBERATUNG)
    join(ratsfrau, committee)  # a member of a Gremium in its Beratungsfolge
    client = Client()
    client.force_login(ratsfrau)
    page = client.get(f"/vorlagen/{vorlage.slug}/").content.decode()
    assert f"/dateien/{original.pk}/" in page and f"/dateien/{redacted.pk}/" not in page
    assert body_of(client.get(f"/dateien/{original.pk}/")) == ORIGINAL


def test_deleting_the_redacted_version_does_not_make_the_original_public(stellungnahme: tuple[File, File]) -> None:
    original, redacted = stellungnahme
    redacted.soft_delete()
    assert not File.objects.visible_to(None).filter(pk__in=[original.pk, redacted.pk]).exists()


def test_a_new_redaction_replaces_the_old_one_and_a_redaction_gets_none_of_its_own(
    stellungnahme: tuple[File, File]
) -> None:
    original, redacted = stellungnahme
    again = add_public_version(original, REDACTED + b" (zweite Fassung)")
    assert again.pk == redacted.pk and again.size == len(REDACTED) + len(b" (zweite Fassung)")
    with pytest.raises(FileError, match="geschwärzte Fassung"):
        add_public_version(redacted, REDACTED)
