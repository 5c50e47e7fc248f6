"""The OParl 1.1 server as a consumer (meine-stadt-transparent, a data journalist) sees it."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import orjson
import pytest
from django.test import Client
from django.utils import timezone

from ratsinfo.files.models import File
from ratsinfo.papers.models import Paper, PaperState
from tests.oparl.conftest import OPARL_SECRET, OParlTown
from tests.oparl.server_helpers import (
    BODY_LISTS_1_1,
    crawl_list,
    get,
    get_json,
    validate,
    walk,
)

pytestmark = pytest.mark.django_db

API = "/oparl/v1.1"
LISTS = ("organization", "person", "meeting", "paper", *BODY_LISTS_1_1)


def body_url(town: OParlTown) -> str:
    return f"{API}/body/{town.body.pk}"


def everything_in(response: Any) -> bytes:
    """Headers and body: a file name in Content-Disposition would leak as much as a title."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return str(response.headers).encode() + content


def crawl_everything(client: Client, town: OParlTown, **params: Any) -> tuple[list[bytes], list[dict[str, Any]]]:
    """What a harvester gets: system, body, every list, and every object fetched at its own id."""
    raw: list[bytes] = []
    objects: list[dict[str, Any]] = []
    system = get_json(client, f"{API}/")
    body = get_json(client, system["body"])["data"][0]
    raw.append(everything_in(get(client, body["id"])))
    for key in LISTS:
        for obj in crawl_list(client, body[key], **params):
            objects.append(obj)
    for _path, obj in list(walk(objects)):
        raw.append(everything_in(get(client, obj["id"])))
    for obj in objects:
        if obj["type"].endswith("/File") and not obj.get("deleted"):
            raw.append(everything_in(get(client, obj["accessUrl"])))
    raw.append(orjson.dumps(objects))
    return raw, objects


def test_system_and_body_point_to_every_list(oparl_town: OParlTown, citizen_client: Client) -> None:
    system = get_json(citizen_client, f"{API}/")
    assert system["id"] == "http://testserver/oparl/v1.1/"
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    validate(system, "System")
    bodies = get_json(citizen_client, system["body"])
    body = bodies["data"][0]
    assert body["id"] == f"http://testserver{body_url(oparl_town)}"
    validate(body, "Body")
    for key in LISTS:
        listed = get_json(citizen_client, body[key])
        assert {"data", "pagination", "links"} <= set(listed), key
    assert body["legislativeTerm"][0]["name"] == "2021-2026"
    assert body["location"]["streetAddress"] == "Markt 1"


def test_public_base_url_makes_ids_stable(oparl_town: OParlTown, citizen_client: Client, settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://ratsinfo.grossenkneten.de"
    paper = get_json(citizen_client, f"{API}/paper/{oparl_town.paper.pk}")
    assert paper["id"] == f"https://ratsinfo.grossenkneten.de/oparl/v1.1/paper/{oparl_town.paper.pk}"
    assert paper["consultation"][0]["meeting"].startswith("https://ratsinfo.grossenkneten.de/oparl/v1.1/meeting/")


def test_everything_validates_and_embedded_objects_are_fetchable(oparl_town: OParlTown, citizen_client: Client) -> None:
    _raw, objects = crawl_everything(citizen_client, oparl_town)
    kinds = {obj["type"].rsplit("/", 1)[-1] for _p, obj in walk(objects)}
    assert kinds >= {"Organization", "Person", "Membership", "Meeting", "AgendaItem", "Paper", "Consultation",
                     "File", "Location", "LegislativeTerm"}
    for obj in objects:
        validate(obj)
    # Embedded objects are the same as at their own id.
    for _path, embedded in walk(objects):
        own = get_json(citizen_client, embedded["id"])
        assert own["modified"] == embedded["modified"]
        assert own.get("name") == embedded.get("name")


def test_paper_embeds_consultations_files_and_links(oparl_town: OParlTown, citizen_client: Client) -> None:
    paper = get_json(citizen_client, f"{API}/paper/{oparl_town.paper.pk}")
    assert paper["reference"] == "BV/0240/2021-2026"
    assert paper["mainFile"]["fileName"] == "BV-0240.pdf"
    assert paper["mainFile"]["sha512Checksum"] == hashlib.sha512(b"%PDF-1.4 Bolzplatz").hexdigest()
    assert paper["mainFile"]["size"] == len(b"%PDF-1.4 Bolzplatz")
    assert paper["mainFile"]["text"] == "Sachverhalt Bolzplatz"
    assert paper["underDirectionOf"] == [f"http://testserver{API}/organization/{oparl_town.ausschuss.pk}"]
    assert paper["originatorPerson"] == [f"http://testserver{API}/person/{oparl_town.ratsfrau.pk}"]
    roles = [c["role"] for c in paper["consultation"]]
    assert roles == ["Vorberatung", "Entscheidung"]
    assert paper["consultation"][0]["agendaItem"].endswith(f"/agendaitem/{oparl_town.public_item.pk}")


def test_consultation_in_non_public_item_keeps_the_meeting_but_not_the_item(
    oparl_town: OParlTown, citizen_client: Client
) -> None:
    consultation = get_json(citizen_client, f"{API}/consultation/{oparl_town.va_consultation.pk}")
    assert consultation["meeting"].endswith(f"/meeting/{oparl_town.va_meeting.pk}")
    assert "agendaItem" not in consultation
    assert f"agendaitem/{oparl_town.va_item.pk}" not in str(get(citizen_client, f"{API}/paper/{oparl_town.paper.pk}").content)


def test_meeting_embeds_only_its_public_part(oparl_town: OParlTown, citizen_client: Client) -> None:
    meeting = get_json(citizen_client, f"{API}/meeting/{oparl_town.meeting.pk}")
    assert [item["number"] for item in meeting["agendaItem"]] == ["Ö 5"]
    assert meeting["resultsProtocol"]["fileName"] == "niederschrift.pdf"
    assert meeting["location"]["room"] == "Sitzungssaal"
    assert meeting["start"] == "2022-10-10T18:00:00+02:00"
    va = get_json(citizen_client, f"{API}/meeting/{oparl_town.va_meeting.pk}")
    assert "agendaItem" not in va  # the Verwaltungsausschuss meets in private


@pytest.mark.parametrize("logged_in", [False, True])
def test_nothing_non_public_ever_leaks(oparl_town: OParlTown, staff_client: Client, citizen_client: Client,
                                      logged_in: bool) -> None:
    client = staff_client if logged_in else citizen_client  # the API is public even for the Sitzungsdienst
    for params in ({}, {"modified_since": "2000-01-01T00:00:00+01:00"}):
        raw, objects = crawl_everything(client, oparl_town, **params)
        for content in raw:
            assert OPARL_SECRET.encode() not in content
        ids = {obj["id"] for _p, obj in walk(objects) if not obj.get("deleted")}
        for hidden in (f"/paper/{oparl_town.secret_paper.pk}", f"/paper/{oparl_town.draft.pk}",
                       f"/agendaitem/{oparl_town.secret_item.pk}", f"/agendaitem/{oparl_town.va_item.pk}",
                       f"/file/{oparl_town.secret_file.pk}", f"/file/{oparl_town.secret_item_file.pk}"):
            assert not any(i.endswith(hidden) for i in ids), hidden
    # The draft was never released: not even its id shows as a tombstone.
    tombstones = [o["id"] for o in crawl_list(citizen_client, f"{body_url(oparl_town)}/paper",
                                                  modified_since="2000-01-01T00:00:00+01:00") if o.get("deleted")]
    assert not any(i.endswith(f"/paper/{oparl_town.draft.pk}") for i in tombstones)
    assert get(citizen_client, f"{API}/paper/{oparl_town.draft.pk}").status_code == 404
    assert get(citizen_client, f"{API}/file/{oparl_town.secret_file.pk}/access").status_code == 404


def test_never_public_records_leak_not_even_their_id(oparl_town: OParlTown, citizen_client: Client) -> None:
    """A non-public Vorlage, a TOP of the non-public part and their files never were public:
    no tombstone names them, and at their own address they are unknown (404), not 'deleted'."""
    never_public = {
        "paper": [oparl_town.secret_paper.pk, oparl_town.draft.pk],
        "agendaitem": [oparl_town.secret_item.pk, oparl_town.va_item.pk],
        "file": [oparl_town.secret_file.pk, oparl_town.secret_item_file.pk],
    }
    _raw, objects = crawl_everything(citizen_client, oparl_town, modified_since="2000-01-01T00:00:00+01:00")
    all_ids = {obj["id"] for _p, obj in walk(objects)}
    for kind, pks in never_public.items():
        for pk in pks:
            assert not any(i.endswith(f"/{kind}/{pk}") for i in all_ids), (kind, pk)
            assert get(citizen_client, f"{API}/{kind}/{pk}").status_code == 404, (kind, pk)
    oparl_town.secret_file.soft_delete()
    assert get(citizen_client, f"{API}/file/{oparl_town.secret_file.pk}/access").status_code == 404


def test_tombstones_only_for_clients_that_sync_changes(oparl_town: OParlTown, citizen_client: Client) -> None:
    since = timezone.localtime().replace(microsecond=0).isoformat()
    paper = oparl_town.paper
    paper.public = False  # the Sitzungsdienst finds personal data in it
    paper.save()
    plain = crawl_list(citizen_client, f"{body_url(oparl_town)}/paper")
    assert not any(o["id"].endswith(f"/paper/{paper.pk}") for o in plain)
    assert not any(o.get("deleted") for o in plain)
    synced = crawl_list(citizen_client, f"{body_url(oparl_town)}/paper", modified_since=since)
    gone = [o for o in synced if o["id"].endswith(f"/paper/{paper.pk}")]
    assert len(gone) == 1 and gone[0]["deleted"] is True
    assert set(gone[0]) == {"id", "type", "created", "modified", "deleted"}
    validate(gone[0], "Paper")
    # Its files and its Beratungsfolge are gone with it, also for clients of those lists.
    files = crawl_list(citizen_client, f"{body_url(oparl_town)}/file", modified_since=since)
    assert {"deleted": True} .items() <= next(o for o in files if o["id"].endswith(f"/file/{oparl_town.main_file.pk}")).items()
    consultations = crawl_list(citizen_client, f"{body_url(oparl_town)}/consultation", modified_since=since)
    assert all(o.get("deleted") for o in consultations) and len(consultations) == 2
    # Fetched at its id, it answers as deleted, never with its name.
    direct = get_json(citizen_client, f"{API}/paper/{paper.pk}")
    assert direct["deleted"] is True and "name" not in direct


def test_deleted_objects_are_reported_not_vanishing(oparl_town: OParlTown, citizen_client: Client) -> None:
    since = timezone.localtime().replace(microsecond=0).isoformat()
    oparl_town.membership.soft_delete()
    oparl_town.protocol.soft_delete()
    memberships = crawl_list(citizen_client, f"{body_url(oparl_town)}/membership", modified_since=since)
    assert [o["deleted"] for o in memberships] == [True]
    person = get_json(citizen_client, f"{API}/person/{oparl_town.ratsfrau.pk}")
    assert "membership" not in person
    assert person["modified"] >= memberships[0]["modified"]
    assert get(citizen_client, f"{API}/file/{oparl_town.protocol.pk}/access").status_code == 410
    assert get(citizen_client, f"{API}/file/{oparl_town.protocol.pk}/download").status_code == 410
    assert get_json(citizen_client, f"{API}/file/{oparl_town.protocol.pk}")["deleted"] is True


def test_file_access_inline_and_download_as_attachment(oparl_town: OParlTown, citizen_client: Client) -> None:
    file = get_json(citizen_client, f"{API}/file/{oparl_town.main_file.pk}")
    access = get(citizen_client, file["accessUrl"])
    assert access.status_code == 200
    assert b"".join(access.streaming_content) == b"%PDF-1.4 Bolzplatz"
    assert "attachment" not in access.get("Content-Disposition", "")
    assert access["Content-Type"] == "application/pdf"
    download = get(citizen_client, file["downloadUrl"])
    assert download["Content-Disposition"].startswith("attachment")
    assert hashlib.sha512(b"".join(download.streaming_content)).hexdigest() == file["sha512Checksum"]


def test_placeholder_file_has_access_url_but_no_download(oparl_town: OParlTown, citizen_client: Client) -> None:
    placeholder = File.objects.create(body=oparl_town.body, name="Anlage folgt", file_name="anlage.pdf",
                                      paper=oparl_town.paper)
    file = get_json(citizen_client, f"{API}/file/{placeholder.pk}")
    validate(file, "File")
    assert "downloadUrl" not in file
    answer = get_json(citizen_client, file["accessUrl"], status=404)
    assert answer["type"] == "https://schema.oparl.org/1.1/Error"


def test_errors_are_oparl_error_objects(oparl_town: OParlTown, citizen_client: Client) -> None:
    papers = f"{body_url(oparl_town)}/paper"
    for params in ({"limit": "0"}, {"limit": "1001"}, {"limit": "viele"}, {"modified_since": "gestern"},
                   {"after": "x"}, {"after": "1", "before": "5"}):
        error = get_json(citizen_client, papers, status=400, **params)
        assert error["type"] == "https://schema.oparl.org/1.1/Error"
        assert error["message"]
    for url in (f"{API}/paper/999999", f"{API}/body/999/paper", f"{API}/gibtsnicht",
                f"{API}/paper/99999999999999999999999"):
        assert get_json(citizen_client, url, status=404)["type"] == "https://schema.oparl.org/1.1/Error"
    response = citizen_client.post(papers)
    assert response.status_code == 405 and response["Access-Control-Allow-Origin"] == "*"


def test_keyset_pages_with_filters_kept_in_every_link(oparl_town: OParlTown, citizen_client: Client) -> None:
    for n in range(7):
        Paper.objects.create(body=oparl_town.body, name=f"Anfrage {n}", state=PaperState.FREIGEGEBEN)
    since = "2000-01-01T00:00:00+01:00"
    first = get_json(citizen_client, f"{body_url(oparl_town)}/paper", limit=3, modified_since=since)
    assert first["pagination"]["elementsPerPage"] == 3
    assert "prev" not in first["links"]
    for link in first["links"].values():
        assert "limit=3" in link and "modified_since=2000-01-01T00:00:00%2B01:00" in link
    everything = crawl_list(citizen_client, f"{body_url(oparl_town)}/paper", limit=3, modified_since=since)
    assert len([o for o in everything if not o.get("deleted")]) == 8
    last = get_json(citizen_client, first["links"]["last"])
    assert "next" not in last["links"] and last["data"][-1]["id"] == everything[-1]["id"]
    back = get_json(citizen_client, last["links"]["prev"])
    assert back["data"][-1]["id"] == everything[-len(last["data"]) - 1]["id"]
    assert all("limit=3" in link for link in back["links"].values())


def test_filter_timestamps_with_plus_or_decoded_space(oparl_town: OParlTown, citizen_client: Client) -> None:
    oparl_town.paper.save()
    modified = get_json(citizen_client, f"{API}/paper/{oparl_town.paper.pk}")["modified"]
    url = f"{body_url(oparl_town)}/paper"
    encoded = get_json(citizen_client, url, modified_since=modified)
    # A client that forgot to encode "+" sends a space.
    raw = get_json(citizen_client, f"{url}?modified_since={modified}")
    assert [o["id"] for o in encoded["data"]] == [o["id"] for o in raw["data"]]
    assert any(o["id"].endswith(f"/paper/{oparl_town.paper.pk}") for o in raw["data"])
    # until is inclusive at the second we publish, although the database keeps microseconds
    until = get_json(citizen_client, url, modified_until=modified, modified_since=modified)
    assert any(o["id"].endswith(f"/paper/{oparl_town.paper.pk}") for o in until["data"])
    later = (dt.datetime.fromisoformat(modified) + dt.timedelta(seconds=1)).isoformat()
    assert not any(not o.get("deleted") for o in get_json(citizen_client, url, modified_since=later)["data"])
    created = get_json(citizen_client, url, created_since="2000-01-01", created_until=modified)
    assert created["data"]


def test_crawl_under_concurrent_edits_neither_skips_nor_repeats(oparl_town: OParlTown, citizen_client: Client) -> None:
    papers = [Paper.objects.create(body=oparl_town.body, name=f"Vorlage {n}", state=PaperState.FREIGEGEBEN)
              for n in range(9)]
    url = f"{body_url(oparl_town)}/paper"
    page = get_json(citizen_client, url, limit=4)
    seen = [o["id"] for o in page["data"]]
    papers[0].name = "Vorlage 0 (geändert)"
    papers[0].save()  # already seen: edited, must not come again
    papers[-1].name = "Vorlage 8 (geändert)"
    papers[-1].save()  # not yet seen: must come once
    newcomer = Paper.objects.create(body=oparl_town.body, name="Dringlichkeitsvorlage", state=PaperState.FREIGEGEBEN)
    while page["links"].get("next"):
        page = get_json(citizen_client, page["links"]["next"])
        seen.extend(o["id"] for o in page["data"])
    assert len(seen) == len(set(seen))
    expected = {oparl_town.paper.pk, newcomer.pk, *[p.pk for p in papers]}
    assert {int(i.rsplit("/", 1)[-1]) for i in seen} == expected


def _modified(client: Client, url: str) -> str:
    return get_json(client, url)["modified"]


def test_changes_to_embedded_objects_bump_the_parent(oparl_town: OParlTown, citizen_client: Client) -> None:
    past = timezone.now() - dt.timedelta(days=3)
    town = oparl_town
    from ratsinfo.bodies.models import Body, Location, Membership, Organization, Person
    from ratsinfo.meetings.models import AgendaItem, Meeting
    from ratsinfo.papers.models import Consultation

    def age_everything() -> None:
        for model in (Body, Location, Organization, Person, Membership, Meeting, AgendaItem, Paper, Consultation,
                      File):
            model.objects.update(modified=past)

    cases = [
        (lambda: (setattr(town.public_item, "result", "einstimmig beschlossen"), town.public_item.save()),
         f"{API}/meeting/{town.meeting.pk}"),
        (lambda: (setattr(town.main_file, "text", "neu erkannt"), town.main_file.save()),
         f"{API}/paper/{town.paper.pk}"),
        (lambda: File.objects.create(body=town.body, name="Präsentation", file_name="p.pdf",
                                     agenda_item=town.public_item),
         f"{API}/meeting/{town.meeting.pk}"),
        (lambda: town.paper.originator_organizations.add(town.rat), f"{API}/paper/{town.paper.pk}"),
        (lambda: town.va.originated_papers.add(town.paper), f"{API}/paper/{town.paper.pk}"),
        (lambda: town.paper.under_direction_of.clear(), f"{API}/paper/{town.paper.pk}"),
        (lambda: town.meeting.participants.remove(town.ratsfrau), f"{API}/meeting/{town.meeting.pk}"),
        (lambda: (setattr(town.rathaus, "room", "Ratssaal"), town.rathaus.save()), f"{API}/body/{town.body.pk}"),
        (lambda: (setattr(town.rathaus, "room", "Foyer"), town.rathaus.save()), f"{API}/meeting/{town.meeting.pk}"),
        (lambda: (setattr(town.membership, "role", "Mitglied"), town.membership.save()),
         f"{API}/organization/{town.ausschuss.pk}"),
        (lambda: (setattr(town.secret_paper, "public", True), town.secret_paper.save()),
         f"{API}/paper/{town.paper.pk}"),  # now listed as related paper
        (lambda: (setattr(town.va_item, "public", True), town.va_item.save()),
         f"{API}/consultation/{town.va_consultation.pk}"),  # the item link appears
    ]
    for number, (change, url) in enumerate(cases):
        age_everything()
        before = _modified(citizen_client, url)
        change()
        after = _modified(citizen_client, url)
        assert after > before, (number, url)
    town.paper.refresh_from_db()
    assert get_json(citizen_client, f"{API}/paper/{town.paper.pk}")["relatedPaper"]


def test_timestamps_and_no_empty_values_everywhere(oparl_town: OParlTown, citizen_client: Client) -> None:
    _raw, objects = crawl_everything(citizen_client, oparl_town)
    for _path, obj in walk(objects):
        assert obj["created"][-6] in "+-" and "." not in obj["created"] and not obj["created"].endswith("Z")
    raw = get(citizen_client, f"{API}/meeting/{oparl_town.meeting.pk}").content
    assert b"null" not in raw and b'""' not in raw and b"[]" not in raw


def test_organization_lists_its_meetings_and_consultations(oparl_town: OParlTown, citizen_client: Client) -> None:
    organization = get_json(citizen_client, f"{API}/organization/{oparl_town.ausschuss.pk}")
    assert organization["organizationType"] == "Gremium"
    assert organization["membership"] == [f"http://testserver{API}/membership/{oparl_town.membership.pk}"]
    meetings = crawl_list(citizen_client, organization["meeting"])
    assert [m["id"] for m in meetings] == [f"http://testserver{API}/meeting/{oparl_town.meeting.pk}"]
    consultations = crawl_list(citizen_client, organization["consultation"])
    assert [c["id"] for c in consultations] == [f"http://testserver{API}/consultation/{oparl_town.consultation.pk}"]


def test_cors_preflight(oparl_town: OParlTown, citizen_client: Client) -> None:
    response = citizen_client.options(f"{API}/")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"


def test_two_bodies_keep_their_lists_apart(oparl_town: OParlTown, citizen_client: Client) -> None:
    from ratsinfo.bodies.models import Body, Organization, OrganizationKind
    from ratsinfo.meetings.models import AgendaItem, Meeting
    from ratsinfo.papers.models import Consultation

    wardenburg = Body.objects.create(name="Gemeinde Wardenburg")
    rat = Organization.objects.create(body=wardenburg, name="Rat Wardenburg", kind=OrganizationKind.RAT)
    meeting = Meeting.objects.create(name="Ratssitzung Wardenburg")
    meeting.organizations.add(rat)
    item = AgendaItem.objects.create(meeting=meeting, order=1, number="Ö 1", name="Haushalt")
    paper = Paper.objects.create(body=wardenburg, name="Haushaltssatzung", state=PaperState.FREIGEGEBEN)
    Consultation.objects.create(paper=paper, organization=rat, meeting=meeting, agenda_item=item)
    for body, own_meeting in ((wardenburg, meeting), (oparl_town.body, oparl_town.meeting)):
        listed = {key: crawl_list(citizen_client, f"{API}/body/{body.pk}/{key}")
                  for key in ("paper", "meeting", "agendaitem", "consultation", "organization")}
        assert all(o["body"].endswith(f"/body/{body.pk}") for o in listed["paper"] + listed["organization"])
        assert f"/meeting/{own_meeting.pk}" in str([m["id"] for m in listed["meeting"]])
        other = oparl_town.meeting if body == wardenburg else meeting
        assert not any(m["id"].endswith(f"/meeting/{other.pk}") for m in listed["meeting"])
        assert not any(i["meeting"].endswith(f"/meeting/{other.pk}") for i in listed["agendaitem"])
        assert all(c["paper"].endswith(tuple(f"/paper/{p['id'].rsplit('/', 1)[-1]}" for p in listed["paper"]))
                   for c in listed["consultation"])
