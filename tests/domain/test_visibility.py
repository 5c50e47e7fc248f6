"""The one place that decides what someone may see: `visible_to(user)` on every queryset."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User

from ratsinfo.bodies.models import Body, Organization, OrganizationKind
from ratsinfo.files.models import File
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Consultation, ConsultationRole, Paper, PaperState, PaperType

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(body: Body) -> dict[str, Any]:
    va = Organization.objects.create(body=body, name="Verwaltungsausschuss", kind=OrganizationKind.VERWALTUNGSAUSSCHUSS)
    public_paper = Paper.objects.create(
        body=body, name="Integrationskonzept", reference="BV/0240/2021-2026",
        paper_type=PaperType.BESCHLUSSVORLAGE, state=PaperState.FREIGEGEBEN, date=dt.date(2022, 9, 23),
    )
    secret_paper = Paper.objects.create(
        body=body, name="Grundstücksankauf Geheimweg", reference="BV/0241/2021-2026",
        paper_type=PaperType.BESCHLUSSVORLAGE, state=PaperState.FREIGEGEBEN, public=False,
    )
    draft = Paper.objects.create(body=body, name="Entwurf Haushaltssatzung", reference="BV/0242/2021-2026")
    meeting = Meeting.objects.create(name="Sitzung des Verwaltungsausschusses", public=False)
    meeting.organizations.add(va)
    secret_item = AgendaItem.objects.create(meeting=meeting, order=1, number="N 1", name="Grundstücksankauf Geheimweg", public=False)
    open_item = AgendaItem.objects.create(meeting=meeting, order=2, number="Ö 1", name="Mitteilungen", public=True)
    Consultation.objects.create(paper=public_paper, organization=va, role=ConsultationRole.ENTSCHEIDUNG, agenda_item=secret_item, meeting=meeting)
    Consultation.objects.create(paper=secret_paper, organization=va, role=ConsultationRole.ENTSCHEIDUNG)
    files = {
        "public": File.objects.create(body=body, file_name="antrag.pdf", paper=public_paper),
        "of_secret_paper": File.objects.create(body=body, file_name="lageplan-geheimweg.pdf", paper=secret_paper),
        "nonpublic_flag": File.objects.create(body=body, file_name="vermerk.pdf", paper=public_paper, public=False),
        "of_secret_item": File.objects.create(body=body, file_name="kaufvertrag.pdf", agenda_item=secret_item),
        "of_draft": File.objects.create(body=body, file_name="entwurf.pdf", paper=draft),
    }
    return {"public_paper": public_paper, "secret_paper": secret_paper, "draft": draft, "meeting": meeting,
            "secret_item": secret_item, "open_item": open_item, "files": files}


def test_a_citizen_sees_only_released_public_papers(council: dict[str, Any]) -> None:
    assert list(Paper.objects.visible_to(AnonymousUser())) == [council["public_paper"]]


def test_deleted_papers_are_invisible_to_everyone(council: dict[str, Any], sitzungsdienst: User) -> None:
    council["public_paper"].soft_delete()
    assert not Paper.objects.visible_to(AnonymousUser()).exists()
    assert council["public_paper"] not in Paper.objects.visible_to(sitzungsdienst)


def test_the_sitzungsdienst_and_council_members_see_nonpublic_papers(
    council: dict[str, Any], sitzungsdienst: User, ratsfrau: User
) -> None:
    for user in (sitzungsdienst, ratsfrau):
        assert set(Paper.objects.visible_to(user)) == {council["public_paper"], council["secret_paper"], council["draft"]}


def test_a_logged_in_user_without_the_permission_is_a_citizen(council: dict[str, Any]) -> None:
    user = User.objects.create_user("buerger", password="x-very-long-1")
    assert list(Paper.objects.visible_to(user)) == [council["public_paper"]]


def test_an_inactive_staff_account_sees_nothing_nonpublic(council: dict[str, Any], sitzungsdienst: User) -> None:
    sitzungsdienst.is_active = False
    sitzungsdienst.save()
    assert list(Paper.objects.visible_to(sitzungsdienst)) == [council["public_paper"]]


def test_nonpublic_agenda_items_are_hidden_but_the_meeting_exists(council: dict[str, Any], ratsfrau: User) -> None:
    anonymous = AnonymousUser()
    assert list(Meeting.objects.visible_to(anonymous)) == [council["meeting"]]
    assert list(AgendaItem.objects.visible_to(anonymous)) == [council["open_item"]]
    assert set(AgendaItem.objects.visible_to(ratsfrau)) == {council["open_item"], council["secret_item"]}


def test_consultations_of_nonpublic_papers_are_hidden(council: dict[str, Any]) -> None:
    assert [c.paper for c in Consultation.objects.visible_to(AnonymousUser())] == [council["public_paper"]]


def test_a_file_is_public_only_if_everything_it_hangs_on_is(council: dict[str, Any], sitzungsdienst: User) -> None:
    files = council["files"]
    assert list(File.objects.visible_to(AnonymousUser())) == [files["public"]]
    assert set(File.objects.visible_to(sitzungsdienst)) == set(files.values())


def test_files_of_a_deleted_meeting_disappear(council: dict[str, Any], body: Body) -> None:
    meeting = Meeting.objects.create(name="Ratssitzung")
    invitation = File.objects.create(body=body, file_name="einladung.pdf", meeting=meeting)
    assert invitation in File.objects.visible_to(AnonymousUser())
    meeting.soft_delete()
    assert invitation not in File.objects.visible_to(AnonymousUser())


def test_records_remember_having_been_public(council: dict[str, Any]) -> None:
    """Only what the public has seen may later be reported as gone (OParl tombstones)."""
    public_paper, secret_paper, draft = council["public_paper"], council["secret_paper"], council["draft"]
    files = council["files"]
    assert public_paper.ever_public and files["public"].ever_public
    assert not secret_paper.ever_public and not draft.ever_public
    assert not council["secret_item"].ever_public and council["open_item"].ever_public
    assert not any(File.objects.get(pk=f.pk).ever_public for key, f in files.items() if key != "public")

    public_paper.public = False  # withdrawn from the public: it stays "was public"
    public_paper.save()
    assert Paper.objects.get(pk=public_paper.pk).ever_public

    draft.state = PaperState.FREIGEGEBEN  # release: the draft and its files become public
    draft.save()
    assert Paper.objects.get(pk=draft.pk).ever_public
    assert File.objects.get(pk=files["of_draft"].pk).ever_public
