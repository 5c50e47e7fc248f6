"""Nothing non-public reaches an anonymous visitor: no title, text, file name, vote count or id.

Every non-public record in the `world` fixture carries the marker SECRET; the pages are crawled
as an anonymous visitor and as the Sitzungsdienst."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ratsinfo.files.models import File
from tests.portal.conftest import SECRET

pytestmark = pytest.mark.django_db

SECRET_SIGNS = [
    SECRET,
    "BV/0999/2021-2026",
    "BV-0999-2021-2026",
    "BV/1000",
    "BV/1001",
    "BV-1001",
    "Ja 13",
    "Nein 4",
    "Ja 11",
]


def public_urls(w: Any) -> list[str]:
    return [
        "/", "/sitzungen/", "/sitzungen/?zeit=vergangen", "/sitzungen/?ansicht=monat&monat=2022-10",
        f"/sitzungen/?ansicht=monat&monat=2022-10&gremium={w.va.slug}",
        w.committee.get_absolute_url(), w.va_meeting.get_absolute_url(), w.cancelled.get_absolute_url(),
        "/vorlagen/", f"/vorlagen/?gremium={w.va.slug}", f"/vorlagen/?urheber={w.bernd.slug}", "/vorlagen/?jahr=2022",
        w.paper.get_absolute_url(), w.antrag.get_absolute_url(), w.amendment.get_absolute_url(),
        "/gremien/", w.jos.get_absolute_url(), w.va.get_absolute_url(), w.gruppe.get_absolute_url(),
        "/personen/", w.bernd.get_absolute_url(), w.anna.get_absolute_url(),
        "/suche/?q=Vertrag", "/suche/?q=0999", "/suche/?q=Grundstück", "/suche/?q=Entwurf", "/suche/?q=Vermerk",
        "/ical/", "/ical/sitzungen.ics", f"/ical/gremien/{w.jos.slug}.ics", f"/ical/gremien/{w.va.slug}.ics",
        f"/sitzungen/{w.committee.pk}/sitzung.ics",
        "/feeds/vorlagen.rss", "/feeds/vorlagen.atom", "/feeds/beschluesse.rss", "/feeds/beschluesse.atom",
        "/barrierefreiheit/", "/anmelden/",
        "/gemeinden/", f"/gemeinden/{w.body.slug}/", f"/gemeinden/{w.body.slug}/sitzungen/?zeit=vergangen",
        f"/gemeinden/{w.body.slug}/sitzungen/?ansicht=monat&monat=2022-10", f"/gemeinden/{w.body.slug}/vorlagen/",
        f"/gemeinden/{w.body.slug}/vorlagen/?gremium={w.va.slug}", f"/gemeinden/{w.body.slug}/gremien/",
        f"/gemeinden/{w.body.slug}/personen/",
    ]  # fmt: skip


def test_no_public_page_shows_anything_non_public(world: Any, citizen_client: Client) -> None:
    for url in public_urls(world):
        response = citizen_client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for sign in SECRET_SIGNS:
            assert sign not in body, f"{url} zeigt {sign!r}"
        for secret_file in File.objects.filter(name__contains=SECRET):
            assert f"/dateien/{secret_file.pk}/" not in body, url


def test_non_public_items_appear_only_as_a_count(world: Any, citizen_client: Client) -> None:
    page = citizen_client.get(world.committee.get_absolute_url()).content.decode()
    assert "1 Tagesordnungspunkt im nichtöffentlichen Teil" in page
    assert "N 1" not in page and f"top-{world.items['N 1'].pk}" not in page
    va = citizen_client.get(world.va_meeting.get_absolute_url()).content.decode()
    assert "1 Tagesordnungspunkt im nichtöffentlichen Teil" in va and "N 3" not in va


def test_public_item_does_not_reveal_the_non_public_paper_it_treats(
    world: Any, citizen_client: Client
) -> None:
    page = citizen_client.get(world.committee.get_absolute_url()).content.decode()
    item = page[page.index(f'id="top-{world.items["Ö 7"].pk}"') :]
    item = item[: item.index("</li>")]
    assert "Bericht der Verwaltung" in item and "Vorlage" not in item


@pytest.mark.parametrize("attr", ["secret_paper", "draft", "unpublished"])
def test_non_public_paper_is_a_plain_404(world: Any, citizen_client: Client, attr: str) -> None:
    paper = getattr(world, attr)
    response = citizen_client.get(paper.get_absolute_url())
    assert response.status_code == 404
    body = response.content.decode()
    assert SECRET not in body and "Seite nicht gefunden" in body


def test_non_public_files_cannot_be_downloaded(
    world: Any, citizen_client: Client, staff_client: Client
) -> None:
    secret_files = list(File.objects.filter(name__contains=SECRET))
    assert len(secret_files) == 5
    for secret_file in secret_files:
        assert citizen_client.get(f"/dateien/{secret_file.pk}/").status_code == 404
    # Staff may (here: the files have no stored content, so the answer is 404 for a different reason).
    world.secret_file.set_content(b"vertrag", world.secret_file.file_name)
    world.secret_file.save()
    assert citizen_client.get(f"/dateien/{world.secret_file.pk}/").status_code == 404
    assert staff_client.get(f"/dateien/{world.secret_file.pk}/").status_code == 200


def test_staff_see_non_public_items_marked(world: Any, staff_client: Client) -> None:
    page = staff_client.get(world.committee.get_absolute_url()).content.decode()
    assert f"Grundstücksangelegenheit {SECRET}" in page and "Ja 13" in page
    assert "Nichtöffentlicher Teil" in page and "nichtöffentlich</strong>" in page
    assert "im nichtöffentlichen Teil." not in page  # nothing hidden from them
    assert f"{SECRET}-lageplan.pdf" not in page or f"Lageplan {SECRET}" in page
    paper = staff_client.get(world.paper.get_absolute_url()).content.decode()
    assert "Ja 11" in paper and "BV/0999/2021-2026" in paper
    home = staff_client.get("/").content.decode()
    decision = home[home.index(f"Grundstücksangelegenheit {SECRET}") :]
    assert decision.index("nichtöffentlich</strong>") < decision.index("</li>")
    secret = staff_client.get(world.secret_paper.get_absolute_url())
    assert secret.status_code == 200 and "nichtöffentlich</strong>" in secret.content.decode()


def test_feeds_are_public_even_for_staff(world: Any, staff_client: Client) -> None:
    """Feed readers and calendars cache and share: they never carry non-public data."""
    for url in ["/ical/sitzungen.ics", "/feeds/vorlagen.rss", "/feeds/beschluesse.atom"]:
        body = staff_client.get(url).content.decode()
        assert SECRET not in body and "BV/0999" not in body, url


def test_a_paging_cursor_naming_a_non_public_paper_tells_nothing(world: Any, citizen_client: Client) -> None:
    """`?aeltere=<pk>` of a hidden Vorlage must not reveal its date or that it exists."""
    def main_part(url: str) -> str:
        response = citizen_client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        return page[page.index("<main"):page.index("</main>")]

    first = main_part("/vorlagen/")
    for pk in (world.secret_paper.pk, world.draft.pk, 10**9):
        assert main_part(f"/vorlagen/?aeltere={pk}") == first
