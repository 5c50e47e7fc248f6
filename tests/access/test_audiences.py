"""Who may see what, per Gremium and audience (`visible_to(viewer)` is the one place).

The Gemeinde of these tests: Rat, Verwaltungsausschuss (VA), Jugend-, Ordnungs- und
Sozialausschuss (JOS), Bau-, Planungs- und Umweltausschuss (BPU), Ortsrat, Fachbereich 2.
Personas: the Ratsfrau (Rat + JOS), the Ratsherr (Rat + VA), Gisela Brand (hinzugewählt, JOS
only), an Ortsrat member, a JOS deputy, the Sachbearbeiterin of FB 2, the Bürgermeister, the
Sitzungsdienst, and a citizen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client
from django.utils import timezone

from ratsinfo.bodies.models import Body, Organization, OrganizationKind
from ratsinfo.bodies.roles import BUERGERMEISTER, RATSMITGLIED, SACHBEARBEITUNG
from ratsinfo.files.models import File
from ratsinfo.lib.access import PUBLIC
from ratsinfo.meetings.models import AgendaItem, Meeting, StandIn
from ratsinfo.papers.models import (
    Consultation,
    ConsultationRole,
    Cosignature,
    Paper,
    PaperState,
    PaperType,
)
from tests.conftest import account, join, viewer

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@dataclass
class Council:
    body: Body
    orgs: dict[str, Organization]
    users: dict[str, User]
    papers: dict[str, Paper] = field(default_factory=dict)
    items: dict[str, AgendaItem] = field(default_factory=dict)
    files: dict[str, File] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)


def _meeting(org: Organization, name: str, days: int, items: list[tuple[str, str, bool]]) -> tuple[Meeting, list[AgendaItem]]:
    meeting = Meeting.objects.create(
        name=name, start=timezone.now() + dt.timedelta(days=days), public=org.kind != OrganizationKind.VERWALTUNGSAUSSCHUSS
    )
    meeting.organizations.add(org)
    created = [
        AgendaItem.objects.create(meeting=meeting, order=n, number=number, name=title, public=public)
        for n, (number, title, public) in enumerate(items, start=1)
    ]
    return meeting, created


@pytest.fixture
def council(body: Body, sitzungsdienst: User, ratsfrau: User) -> Council:
    kinds = {
        "Rat": OrganizationKind.RAT, "VA": OrganizationKind.VERWALTUNGSAUSSCHUSS, "JOS": OrganizationKind.FACHAUSSCHUSS,
        "BPU": OrganizationKind.FACHAUSSCHUSS, "Ortsrat": OrganizationKind.ORTSRAT, "FB 2": OrganizationKind.FACHBEREICH,
        "FB 1": OrganizationKind.FACHBEREICH,
    }
    orgs = {short: Organization.objects.create(body=body, name=short, short_name=short, kind=kind) for short, kind in kinds.items()}
    users = {
        "sitzungsdienst": sitzungsdienst,
        "ratsfrau": ratsfrau,
        "ratsherr": account("ratsherr", RATSMITGLIED, body=body),
        "hinzugewaehlt": account("hinzugewaehlt", RATSMITGLIED, body=body),
        "ortsrat": account("ortsrat", RATSMITGLIED, body=body),
        "vertreter": account("vertreter", RATSMITGLIED, body=body),
        "sachbearbeitung": account("sachbearbeitung", SACHBEARBEITUNG, staff=True, body=body),
        "kaemmerei": account("kaemmerei", SACHBEARBEITUNG, staff=True, body=body),
        "buergermeister": account("buergermeister", BUERGERMEISTER, staff=True, body=body),
        "buerger": account("buerger"),
    }
    for who, shorts in {
        "ratsfrau": ["Rat", "JOS"], "ratsherr": ["Rat", "VA"], "ortsrat": ["Ortsrat"],
        "sachbearbeitung": ["FB 2"], "kaemmerei": ["FB 1"], "buergermeister": ["Rat", "VA"],
    }.items():
        for short in shorts:
            join(users[who], orgs[short])
    join(users["hinzugewaehlt"], orgs["JOS"], role="hinzugewähltes Mitglied", voting_right=False)
    join(users["vertreter"], orgs["JOS"], role="Vertreter", deputy=True)
    c = Council(body, orgs, users)

    c.papers["public"] = Paper.objects.create(
        body=body, name="Integrationskonzept Ahlhorn", reference="BV/0240/2021-2026", state=PaperState.FREIGEGEBEN,
        paper_type=PaperType.BESCHLUSSVORLAGE,
    )
    c.papers["jos_secret"] = Paper.objects.create(
        body=body, name="Unterstützung im Einzelfall Wasserturm", reference="BV/0250/2021-2026",
        state=PaperState.FREIGEGEBEN, public=False,
    )
    c.papers["jos_secret"].under_direction_of.add(orgs["FB 2"])
    c.papers["va_secret"] = Paper.objects.create(
        body=body, name="Ankauf Fläche Geheimweg", reference="BV/0251/2021-2026", state=PaperState.FREIGEGEBEN, public=False,
    )
    c.papers["bpu_secret"] = Paper.objects.create(
        body=body, name="Vergabe Parkstraße Bauleistungen", reference="BV/0252/2021-2026", state=PaperState.FREIGEGEBEN,
        public=False,
    )
    c.papers["draft"] = Paper.objects.create(
        body=body, name="Entwurf Obdachlosenunterkunft Satzung", state=PaperState.ENTWURF, created_by=users["sachbearbeitung"],
    )
    c.papers["draft"].under_direction_of.add(orgs["FB 2"])
    c.papers["draft_fb3"] = Paper.objects.create(body=body, name="Entwurf Wärmeplanung Kosten", state=PaperState.MITZEICHNUNG)
    Cosignature.objects.create(paper=c.papers["draft_fb3"], department=orgs["FB 1"])

    c.meetings["jos"], (open_item, jos_item, jos_item2) = _meeting(orgs["JOS"], "Sitzung JOS", 7, [
        ("Ö 1", "Integrationskonzept Ahlhorn", True), ("N 1", "Unterstützung im Einzelfall Wasserturm", False),
        ("N 2", "Personalie Jugendpflege Müller", False),
    ])
    c.meetings["jos_later"], (jos_later_item,) = _meeting(orgs["JOS"], "Sitzung JOS später", 35, [
        ("N 1", "Grundstück Am Kanal Tausch", False),
    ])
    c.meetings["va"], (va_item,) = _meeting(orgs["VA"], "Sitzung VA", 14, [("N 1", "Ankauf Fläche Geheimweg", False)])
    c.meetings["bpu"], (bpu_item,) = _meeting(orgs["BPU"], "Sitzung BPU", 10, [("N 1", "Vergabe Parkstraße Bauleistungen", False)])
    c.items.update(open=open_item, jos=jos_item, jos2=jos_item2, jos_later=jos_later_item, va=va_item, bpu=bpu_item)
    StandIn.objects.create(meeting=c.meetings["jos"], deputy=users["vertreter"].person)
    for paper, org, item in [
        ("public", "JOS", open_item), ("jos_secret", "JOS", jos_item), ("va_secret", "VA", va_item), ("bpu_secret", "BPU", bpu_item),
    ]:
        Consultation.objects.create(
            paper=c.papers[paper], organization=orgs[org], meeting=item.meeting, agenda_item=item,
            role=ConsultationRole.ENTSCHEIDUNG,
        )
    c.files.update(
        public=File.objects.create(body=body, file_name="integrationskonzept.pdf", paper=c.papers["public"]),
        public_but_personal=File.objects.create(
            body=body, file_name="stellungnahme-mit-namen.pdf", paper=c.papers["public"], public=False
        ),
        jos_secret=File.objects.create(body=body, file_name="einzelfall-wasserturm.pdf", paper=c.papers["jos_secret"]),
        jos_item=File.objects.create(body=body, file_name="personalie-mueller.pdf", agenda_item=jos_item2, public=False),
        jos_minutes=File.objects.create(
            body=body, file_name="niederschrift-jos-mitglieder.pdf", meeting=c.meetings["jos"], public=False
        ),
        va_secret=File.objects.create(body=body, file_name="kaufvertrag-geheimweg.pdf", paper=c.papers["va_secret"]),
        bpu_secret=File.objects.create(body=body, file_name="angebot-parkstrasse.pdf", paper=c.papers["bpu_secret"]),
        draft=File.objects.create(body=body, file_name="entwurf-satzung.pdf", paper=c.papers["draft"]),
    )
    return c


def _papers(c: Council, who: str | None) -> set[str]:
    v = viewer(c.users[who]) if who else PUBLIC
    visible = set(Paper.objects.visible_to(v).values_list("pk", flat=True))
    return {key for key, paper in c.papers.items() if paper.pk in visible}


def _items(c: Council, who: str | None) -> set[str]:
    v = viewer(c.users[who]) if who else PUBLIC
    visible = set(AgendaItem.objects.visible_to(v).values_list("pk", flat=True))
    return {key for key, item in c.items.items() if item.pk in visible}


def _files(c: Council, who: str | None) -> set[str]:
    v = viewer(c.users[who]) if who else PUBLIC
    visible = set(File.objects.visible_to(v).values_list("pk", flat=True))
    return {key for key, file in c.files.items() if file.pk in visible}


def test_a_citizen_sees_only_released_public_records(council: Council) -> None:
    assert _papers(council, None) == {"public"}
    assert _items(council, None) == {"open"}
    assert _files(council, None) == {"public"}
    # A logged-in account without role or membership is a citizen too.
    assert _papers(council, "buerger") == {"public"} and _items(council, "buerger") == {"open"}


def test_a_committee_member_sees_the_non_public_part_of_her_committee_only(council: Council) -> None:
    # The Ratsfrau: Rat and JOS; as a Ratsmitglied also the VA (§ 78 NKomVG); never the BPU.
    assert _papers(council, "ratsfrau") == {"public", "jos_secret", "va_secret"}
    assert _items(council, "ratsfrau") == {"open", "jos", "jos2", "jos_later", "va"}
    assert _files(council, "ratsfrau") == {"public", "public_but_personal", "jos_secret", "jos_item", "jos_minutes", "va_secret"}


def test_the_ratsherr_of_rat_and_va_does_not_see_the_jos(council: Council) -> None:
    assert _papers(council, "ratsherr") == {"public", "va_secret"}
    assert _items(council, "ratsherr") == {"open", "va"}
    assert _files(council, "ratsherr") == {"public", "va_secret"}


def test_a_hinzugewaehltes_mitglied_sees_its_committee_but_not_the_va(council: Council) -> None:
    # § 71 Abs. 7: a member of the committee, not of the Rat, so no listener's right to the VA.
    assert _papers(council, "hinzugewaehlt") == {"public", "jos_secret"}
    assert _items(council, "hinzugewaehlt") == {"open", "jos", "jos2", "jos_later"}


def test_an_ortsrat_member_sees_no_other_gremium(council: Council) -> None:
    assert _papers(council, "ortsrat") == {"public"}
    assert _items(council, "ortsrat") == {"open"}


def test_a_deputy_sees_only_the_meeting_they_stand_in_for(council: Council) -> None:
    assert _items(council, "vertreter") == {"open", "jos", "jos2"}  # not the later JOS meeting
    assert _papers(council, "vertreter") == {"public", "jos_secret"}
    assert "jos_minutes" in _files(council, "vertreter")


def test_drafts_stay_with_the_administration(council: Council) -> None:
    for member in ("ratsfrau", "ratsherr", "hinzugewaehlt", "ortsrat", "vertreter", "buerger"):
        assert not _papers(council, member) & {"draft", "draft_fb3"}, member
        assert "draft" not in _files(council, member), member
    # Author and federführender Fachbereich; the Kämmerei asked to co-sign; the Bürgermeister; the Sitzungsdienst.
    assert {"draft", "jos_secret"} <= _papers(council, "sachbearbeitung")
    assert "draft_fb3" not in _papers(council, "sachbearbeitung")
    assert _papers(council, "kaemmerei") == {"public", "draft_fb3"}
    assert _papers(council, "buergermeister") == set(council.papers)
    assert _papers(council, "sitzungsdienst") == set(council.papers)


def test_the_fachbereich_sees_the_non_public_item_it_must_carry_out(council: Council) -> None:
    assert _items(council, "sachbearbeitung") == {"open", "jos"}
    assert _items(council, "kaemmerei") == {"open"}


def test_the_sitzungsdienst_sees_everything_and_a_deactivated_account_nothing_beyond_the_public(council: Council) -> None:
    assert _items(council, "sitzungsdienst") == set(council.items)
    assert _files(council, "sitzungsdienst") == set(council.files)
    ratsfrau = council.users["ratsfrau"]
    ratsfrau.is_active = False
    ratsfrau.save()
    assert _papers(council, "ratsfrau") == {"public"} and _items(council, "ratsfrau") == {"open"}


def test_a_former_member_sees_nothing_beyond_the_public_unless_the_gremium_grants_a_period(council: Council) -> None:
    jos = council.orgs["JOS"]
    membership = jos.memberships.get(person__user=council.users["hinzugewaehlt"])
    membership.end_date = TODAY - dt.timedelta(days=10)
    membership.save()
    assert _items(council, "hinzugewaehlt") == {"open"}
    jos.former_member_access_days = 30
    jos.save()
    assert "jos" in _items(council, "hinzugewaehlt")


def test_extra_audiences_are_configurable_per_gremium(council: Council) -> None:
    va, jos = council.orgs["VA"], council.orgs["JOS"]
    va.council_members_listen = False  # a Hauptsatzung that restricts the listeners
    va.save()
    assert "va" not in _items(council, "ratsfrau")
    assert "va" in _items(council, "ratsherr")  # a member of the VA itself
    jos.extra_audiences.add(council.orgs["Ortsrat"])
    assert {"jos", "jos2"} <= _items(council, "ortsrat")


def test_members_of_a_continued_gremium_see_the_earlier_terms_items(council: Council, body: Body) -> None:
    new_jos = Organization.objects.create(
        body=body, name="JOS 2026-2031", kind=OrganizationKind.FACHAUSSCHUSS, predecessor=council.orgs["JOS"]
    )
    newcomer = account("newcomer", RATSMITGLIED, body=body)
    join(newcomer, new_jos, start_date=dt.date(2026, 11, 1))
    assert {"jos", "jos2", "jos_later"} <= _items(council, "ratsfrau")
    council.users["newcomer"] = newcomer
    assert _items(council, "newcomer") == {"open", "jos", "jos2", "jos_later"}


def test_visible_to_takes_a_viewer_never_a_raw_user(council: Council) -> None:
    with pytest.raises(TypeError):
        Paper.objects.visible_to(AnonymousUser())  # type: ignore[arg-type]


def test_pages_outside_the_audience_answer_like_missing_ones(council: Council) -> None:
    secret = council.papers["jos_secret"]
    ratsherr, ratsfrau = Client(), Client()
    ratsherr.force_login(council.users["ratsherr"])
    ratsfrau.force_login(council.users["ratsfrau"])
    missing = ratsherr.get("/vorlagen/GIBT-ES-NICHT/")
    hidden = ratsherr.get(secret.get_absolute_url())
    assert hidden.status_code == missing.status_code == 404
    assert secret.name not in hidden.content.decode()
    assert ratsfrau.get(secret.get_absolute_url()).status_code == 200
    assert ratsherr.get(f"/dateien/{council.files['jos_secret'].pk}/").status_code == 404
    meeting_page = ratsherr.get(council.meetings["jos"].get_absolute_url()).content.decode()
    assert "Unterstützung im Einzelfall" not in meeting_page and "Personalie Jugendpflege" not in meeting_page
    assert "2 Tagesordnungspunkte im nichtöffentlichen Teil" in meeting_page
    assert "Personalie Jugendpflege" in ratsfrau.get(council.meetings["jos"].get_absolute_url()).content.decode()
    # Lists never count what the viewer may not see.
    listing = ratsherr.get("/vorlagen/").content.decode()
    assert "BV/0250/2021-2026" not in listing and "BV/0251/2021-2026" in listing


def test_the_viewer_is_computed_with_a_bounded_number_of_queries(council: Council, django_assert_max_num_queries: Any) -> None:
    user = User.objects.get(pk=council.users["ratsfrau"].pk)
    with django_assert_max_num_queries(7):
        viewer(user)
