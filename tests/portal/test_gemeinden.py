"""Several Gemeinden in one installation (a Landkreis, an aggregator): each Gemeinde's own portal
pages under /gemeinden/<slug>/ show its records only, the first Gemeinde keeps today's addresses
(which still show every Gemeinde's records), and nothing non-public of one Gemeinde reaches a
visitor of another's pages.

The `world` fixture is the first Gemeinde (Großenkneten); `harpstedt` adds a second one whose
non-public records carry the marker HIDDEN."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from ratsinfo.bodies.models import Body, Membership, Organization, OrganizationKind, Person
from ratsinfo.bodies.roles import RATSMITGLIED
from ratsinfo.meetings.models import AgendaItem, Meeting, MeetingState
from ratsinfo.papers.models import Consultation, ConsultationRole, Paper, PaperState, PaperType
from ratsinfo.search.indexing import flush_all
from tests.conftest import account, join
from tests.portal.conftest import SECRET, at

pytestmark = pytest.mark.django_db

HIDDEN = "XHARPSTEDTGEHEIMX"
# What of Harpstedt no one but its Bauausschuss (and the Sitzungsdienst) may see.
HIDDEN_SIGNS = [HIDDEN, "HA/0666/2022", "HA-0666-2022", "HA/0667/2022", "Ja 5"]
SUFFIXES = ["", "sitzungen/", "vorlagen/", "gremien/", "personen/"]
MAX_QUERIES = 25  # the budget of the other portal pages (tests/portal/test_query_counts.py)


def build_harpstedt() -> SimpleNamespace:
    h = SimpleNamespace()
    h.body = Body.objects.create(name="Samtgemeinde Harpstedt", short_name="Harpstedt")
    h.rat = Organization.objects.create(
        body=h.body, name="Rat der Samtgemeinde Harpstedt", short_name="Rat Harpstedt", kind=OrganizationKind.RAT
    )
    h.bau = Organization.objects.create(
        body=h.body, name="Bauausschuss Harpstedt", short_name="BauA Harpstedt", kind=OrganizationKind.FACHAUSSCHUSS
    )
    h.hanna = Person.objects.create(body=h.body, given_name="Hanna", family_name="Harms", name="Hanna Harms")
    Membership.objects.create(person=h.hanna, organization=h.bau, start_date=dt.date(2021, 11, 1))
    h.meeting = Meeting.objects.create(
        name="Sitzung des Bauausschusses Harpstedt", start=at(dt.date(2022, 10, 12), 17),
        meeting_state=MeetingState.DURCHGEFUEHRT,
    )
    h.meeting.organizations.add(h.bau)
    h.item = AgendaItem.objects.create(
        meeting=h.meeting, number="Ö 1", order=1, name="Radweg an der Kreisstraße Harpstedt",
        result="einstimmig beschlossen", votes_yes=9, votes_no=0, votes_abstain=0,
    )
    h.secret_item = AgendaItem.objects.create(
        meeting=h.meeting, number="N 1", order=2, name=f"Grundstück Harpstedt {HIDDEN}", public=False,
        result=f"beschlossen {HIDDEN}", votes_yes=5, votes_no=1, votes_abstain=0,
    )
    h.paper = Paper.objects.create(
        body=h.body, name="Radweg an der Kreisstraße Harpstedt", reference="HA/0001/2022", date=dt.date(2022, 9, 20),
        paper_type=PaperType.BESCHLUSSVORLAGE, state=PaperState.FREIGEGEBEN,
    )
    h.secret_paper = Paper.objects.create(
        body=h.body, name=f"Ankauf einer Fläche {HIDDEN}", reference="HA/0666/2022", date=dt.date(2022, 9, 28),
        paper_type=PaperType.BESCHLUSSVORLAGE, state=PaperState.FREIGEGEBEN, public=False,
    )
    h.draft = Paper.objects.create(
        body=h.body, name=f"Entwurf Harpstedt {HIDDEN}", reference="HA/0667/2022", date=dt.date(2022, 10, 1),
        paper_type=PaperType.BESCHLUSSVORLAGE, state=PaperState.ENTWURF,
    )
    Consultation.objects.create(
        paper=h.paper, organization=h.bau, meeting=h.meeting, agenda_item=h.item, order=1,
        role=ConsultationRole.ENTSCHEIDUNG, planned_date=dt.date(2022, 10, 12),
    )
    Consultation.objects.create(
        paper=h.secret_paper, organization=h.bau, meeting=h.meeting, agenda_item=h.secret_item, order=1,
        role=ConsultationRole.ENTSCHEIDUNG, planned_date=dt.date(2022, 10, 12),
    )
    flush_all()
    return h


@pytest.fixture
def harpstedt(world: Any) -> SimpleNamespace:
    return build_harpstedt()


def html(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response.content.decode()


def main(client: Client, url: str) -> str:
    """The page's own content (the header's search field shows an example Vorlagen-Nr. everywhere)."""
    page = html(client, url)
    return page[page.index("<main"):page.index("</main>")]


def new_pages(*bodies: Body) -> list[str]:
    """Every page this feature adds, with the filters and views the lists offer."""
    urls = ["/gemeinden/"]
    for body in bodies:
        prefix = f"/gemeinden/{body.slug}/"
        urls += [prefix + suffix for suffix in SUFFIXES]
        urls += [f"{prefix}sitzungen/?zeit=vergangen", f"{prefix}sitzungen/?ansicht=monat&monat=2022-10",
                 f"{prefix}vorlagen/?jahr=2022", f"{prefix}vorlagen/?art=beschlussvorlage",
                 f"{prefix}gremien/?art=rat", f"{prefix}personen/?buchstabe=H"]
    return urls


def test_a_gemeinde_gets_a_readable_unique_slug(world: Any, harpstedt: SimpleNamespace) -> None:
    assert world.body.slug == "grossenkneten" and harpstedt.body.slug == "harpstedt"
    again = Body.objects.create(name="Gemeinde Harpstedt", short_name="Harpstedt")
    assert again.slug == "harpstedt-2"
    assert Body.objects.create(name="!!!").slug == "gemeinde"
    assert harpstedt.body.get_absolute_url() == "/gemeinden/harpstedt/"


def test_each_gemeindes_pages_show_only_its_own_records(
    world: Any, harpstedt: SimpleNamespace, citizen_client: Client
) -> None:
    a, b = f"/gemeinden/{world.body.slug}/", f"/gemeinden/{harpstedt.body.slug}/"
    own_a = {"": "/vorlagen/BV-0240-2021-2026/", "sitzungen/?zeit=vergangen": "Sitzung des Jugend-, Ordnungs- und Sozialausschusses",
             "vorlagen/": "BV/0240/2021-2026", "gremien/": "Verwaltungsausschuss", "personen/": "Anna Albers"}
    own_b = {"": "/vorlagen/HA-0001-2022/", "sitzungen/?zeit=vergangen": "Sitzung des Bauausschusses Harpstedt",
             "vorlagen/": "HA/0001/2022", "gremien/": "Bauausschuss Harpstedt", "personen/": "Hanna Harms"}
    for suffix in own_a:
        page_a, page_b = main(citizen_client, a + suffix), main(citizen_client, b + suffix)
        assert own_a[suffix] in page_a and own_b[suffix] not in page_a, a + suffix
        assert own_b[suffix] in page_b and own_a[suffix] not in page_b, b + suffix
        assert "Harpstedt" not in page_a, a + suffix  # not even a filter option
        for other in ("Albers", "Brinkmann", "/vorlagen/BV-", "Jugend-, Ordnungs-"):
            assert other not in page_b, (b + suffix, other)
    start_b = main(citizen_client, b)
    assert "<h1>Ratsinformationssystem Samtgemeinde Harpstedt</h1>" in start_b
    assert "einstimmig beschlossen" in start_b and "mehrheitlich beschlossen" not in start_b  # its decisions only


def test_the_first_gemeindes_addresses_stay_and_show_every_gemeinde(
    world: Any, harpstedt: SimpleNamespace, citizen_client: Client
) -> None:
    assert world.paper.get_absolute_url() == "/vorlagen/BV-0240-2021-2026/"
    assert world.jos.get_absolute_url() == f"/gremien/{world.jos.slug}/"
    papers = html(citizen_client, "/vorlagen/")
    assert "BV/0240/2021-2026" in papers and "HA/0001/2022" in papers
    people = html(citizen_client, "/personen/")
    assert "Anna Albers" in people and "Hanna Harms" in people
    start = html(citizen_client, "/")
    assert "<h1>Ratsinformationssystem Gemeinde Großenkneten</h1>" in start
    assert '<a href="/gemeinden/">Gemeinden</a>' in start  # the way to each Gemeinde's pages


def test_gemeinden_lists_every_gemeinde(world: Any, harpstedt: SimpleNamespace, citizen_client: Client) -> None:
    page = html(citizen_client, "/gemeinden/")
    assert '<a href="/gemeinden/grossenkneten/">Gemeinde Großenkneten</a>' in page
    assert '<a href="/gemeinden/harpstedt/">Samtgemeinde Harpstedt</a>' in page
    assert page.index("Großenkneten</a>") < page.index("Harpstedt</a>")
    assert 'aria-current="page">Gemeinden</a>' in page


def test_detail_pages_name_their_gemeinde_where_there_are_several(
    world: Any, harpstedt: SimpleNamespace, citizen_client: Client
) -> None:
    fact = '<dt>Gemeinde</dt><dd><a href="/gemeinden/harpstedt/">Samtgemeinde Harpstedt</a></dd>'
    for obj in (harpstedt.paper, harpstedt.meeting, harpstedt.bau, harpstedt.hanna):
        assert fact in html(citizen_client, obj.get_absolute_url()), obj
    assert "/gemeinden/grossenkneten/" in html(citizen_client, world.paper.get_absolute_url())


def test_with_one_gemeinde_nothing_visible_changes(world: Any, citizen_client: Client) -> None:
    for url in ("/", "/vorlagen/", world.paper.get_absolute_url(), world.committee.get_absolute_url(),
                world.jos.get_absolute_url(), world.bernd.get_absolute_url()):
        page = html(citizen_client, url)
        assert 'href="/gemeinden/' not in page and "<dt>Gemeinde</dt>" not in page, url


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_an_unknown_or_removed_gemeinde_is_a_german_404(
    world: Any, harpstedt: SimpleNamespace, citizen_client: Client, suffix: str
) -> None:
    assert "Seite nicht gefunden" in html(citizen_client, f"/gemeinden/gibt-es-nicht/{suffix}", 404)
    harpstedt.body.soft_delete()
    page = html(citizen_client, f"/gemeinden/harpstedt/{suffix}", 404)
    assert "Seite nicht gefunden" in page and "Radweg" not in page


def test_a_gremium_filter_of_another_gemeinde_is_not_applied(
    world: Any, harpstedt: SimpleNamespace, citizen_client: Client
) -> None:
    page = main(citizen_client, f"/gemeinden/harpstedt/vorlagen/?gremium={world.jos.slug}")
    assert "Das gewählte Gremium gibt es nicht" in page and "BV/0240" not in page and "HA/0001/2022" in page
    own = html(citizen_client, f"/gemeinden/harpstedt/vorlagen/?gremium={harpstedt.bau.slug}")
    assert "HA/0001/2022" in own and "gibt es nicht" not in own


def _member_of_another_gremium(world: Any) -> Client:
    ratsfrau = account("ratsfrau", RATSMITGLIED, body=world.body)
    join(ratsfrau, world.jos)
    join(ratsfrau, world.va)
    client = Client()
    client.force_login(ratsfrau)
    return client


def test_nothing_non_public_of_one_gemeinde_reaches_the_new_pages(
    world: Any, harpstedt: SimpleNamespace, citizen_client: Client
) -> None:
    """As an anonymous visitor and as a Ratsfrau of the other Gemeinde's JOS and VA (she sees
    Großenkneten's non-public part, never Harpstedt's)."""
    member = _member_of_another_gremium(world)
    urls = [*new_pages(world.body, harpstedt.body), f"/gemeinden/harpstedt/sitzungen/?gremium={harpstedt.bau.slug}",
            f"/gemeinden/harpstedt/vorlagen/?gremium={harpstedt.bau.slug}"]
    for client, signs in ((citizen_client, [*HIDDEN_SIGNS, SECRET]), (member, HIDDEN_SIGNS)):
        for url in urls:
            page = html(client, url)
            for sign in signs:
                assert sign not in page, f"{url} zeigt {sign!r}"
    # She does see her own Gemeinde's non-public Vorlage where it belongs: the marker would show a leak.
    assert "BV/0999/2021-2026" in html(member, "/gemeinden/grossenkneten/vorlagen/")


def test_members_of_the_gemeindes_own_gremium_see_its_non_public_records_there(
    world: Any, harpstedt: SimpleNamespace
) -> None:
    """The new pages combine what a viewer may see with the Gemeinde, they do not replace it."""
    user = account("bauherr", RATSMITGLIED, body=harpstedt.body)
    join(user, harpstedt.bau)
    client = Client()
    client.force_login(user)
    papers = html(client, "/gemeinden/harpstedt/vorlagen/")
    assert "HA/0666/2022" in papers and "HA/0667/2022" not in papers  # the draft stays the administration's
    assert "HA/0666/2022" not in html(client, "/gemeinden/grossenkneten/vorlagen/")
    assert f"Grundstück Harpstedt {HIDDEN}" in html(client, "/gemeinden/harpstedt/")


@pytest.mark.parametrize("persona", ["citizen", "staff"])
def test_the_new_pages_cost_a_bounded_number_of_queries(
    world: Any, harpstedt: SimpleNamespace, citizen_client: Client, staff_client: Client,
    django_assert_max_num_queries: Any, persona: str,
) -> None:
    client = citizen_client if persona == "citizen" else staff_client
    details = [obj.get_absolute_url() for obj in (harpstedt.paper, harpstedt.meeting, harpstedt.bau, harpstedt.hanna)]
    for url in [*new_pages(world.body, harpstedt.body), *details]:  # the details name their Gemeinde
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(url).status_code == 200, url


HREF = re.compile(r'(?:href|action)="([^"#]*)"')


def test_the_new_pages_have_one_h1_and_no_dead_link(
    world: Any, harpstedt: SimpleNamespace, citizen_client: Client
) -> None:
    checked: dict[str, int] = {}
    for url in new_pages(world.body, harpstedt.body):
        page = html(citizen_client, url)
        assert len(re.findall(r"<h1[\s>]", page)) == 1, url
        for href in HREF.findall(page):
            parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver") or parts.path.startswith(
                    ("/static/", "/anmelden/")):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in checked:
                checked[target] = citizen_client.get(target).status_code
            assert checked[target] < 400, f"{url} verlinkt {target}: {checked[target]}"
