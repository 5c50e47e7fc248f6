"""The synthetic corpus: what a test author or a benchmark relies on when they ask for N Vorlagen."""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q

from ratsinfo.bodies.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.corpus.generator import GenerateStats, generate
from ratsinfo.files.models import File
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Consultation, Paper, PaperSection, PaperState, PaperType
from tests.corpus.fixtures import corpus, wipe_corpus

pytestmark = pytest.mark.django_db

MODELS = [Location, Body, LegislativeTerm, Organization, Person, Membership, Meeting, AgendaItem, Paper,
          PaperSection, Consultation, File]
THROUGH = [Meeting.organizations.through, Meeting.participants.through, Paper.under_direction_of.through,
           Paper.originator_persons.through, Paper.originator_organizations.through, Paper.related_papers.through,
           Paper.superordinated_papers.through]


def _content_hash() -> str:
    """Every generated row of every table, timestamps and ids included."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for model in [*MODELS, *THROUGH]:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def small() -> GenerateStats:
    return generate(papers=500, seed=7)


def test_500_papers_make_a_whole_municipality(small: GenerateStats) -> None:
    assert Paper.objects.count() == small.papers == 500
    assert Body.objects.count() == 1
    types = Counter(Paper.objects.values_list("paper_type", flat=True))
    assert set(types) == set(PaperType.values), "jede Vorlagenart kommt vor"
    assert 150 <= types[PaperType.BESCHLUSSVORLAGE] <= 280
    # about one Sitzung per eight Vorlagen
    assert 50 <= Meeting.objects.count() == small.meetings <= 80
    assert AgendaItem.objects.count() == small.agenda_items > small.meetings * 5
    assert File.objects.count() == small.files > 500
    assert Consultation.objects.count() == small.consultations
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert kinds == set(OrganizationKind.values), "Gremien jeder Art"
    assert Organization.objects.count() == small.organizations
    assert Person.objects.count() == small.persons >= 40
    assert LegislativeTerm.objects.exists()
    # Mitgliedschaften with roles, advisory members, Fraktion/Gruppe and dates
    assert Membership.objects.filter(voting_right=False).exists()
    assert Membership.objects.filter(on_behalf_of__kind=OrganizationKind.GRUPPE).exists()
    assert Membership.objects.filter(role__startswith="Ratsvorsitzende").exists()
    assert not Membership.objects.filter(start_date=None).exists()
    # Sitzungen of the past have results and vote counts, those ahead are planned
    assert AgendaItem.objects.filter(result="mehrheitlich beschlossen", votes_no__gt=0).exists()
    assert AgendaItem.objects.filter(result="einstimmig beschlossen", votes_no=0).exists()
    assert Meeting.objects.filter(meeting_state="durchgeführt").exists()
    assert Meeting.objects.exclude(meeting_state="durchgeführt").exists()
    assert Meeting.objects.filter(participants__isnull=False).exists()
    assert File.objects.filter(role="results_protocol").exists()
    assert File.objects.filter(role="invitation").exists()
    # related and superordinated Vorlagen (Änderungsantrag -> Vorlage, Antwort -> Anfrage)
    assert Paper.objects.filter(related_papers__isnull=False).exists()
    for amendment in Paper.objects.filter(paper_type=PaperType.AENDERUNGSANTRAG)[:5]:
        parent = amendment.superordinated_papers.get()
        assert amendment.reference.startswith(parent.reference + "-")


def test_vorlagen_have_text_sections_files_and_a_beratungsfolge(small: GenerateStats) -> None:
    assert not Paper.objects.annotate(n=Count("consultations")).filter(n=0).exists()
    assert not Paper.objects.annotate(n=Count("sections")).filter(n=0).exists()
    assert not Paper.objects.annotate(n=Count("under_direction_of")).filter(n=0).exists()
    assert Consultation.objects.values("paper").annotate(n=Count("id")).filter(n__gt=3).count() == 0
    bv = Paper.objects.filter(paper_type=PaperType.BESCHLUSSVORLAGE).first()
    assert bv is not None
    headings = list(bv.sections.values_list("heading", flat=True))
    assert headings[:3] == ["Beschlussvorschlag", "Sach- und Rechtslage", "Finanzielle Auswirkungen"]
    text = " ".join(bv.sections.values_list("text", flat=True))
    assert len(text) > 200 and "{" not in text
    # the Vorlage as a file: text, size and checksum agree
    main = bv.files.get(role="main")
    assert main.mime_type == "application/pdf"
    assert main.size == len(main.text.encode())
    assert main.sha512 == hashlib.sha512(main.text.encode()).hexdigest()
    assert bv.reference in main.text
    # the steps point at matching Sitzungen and Tagesordnungspunkte, later than the Vorlage
    linked = Consultation.objects.exclude(agenda_item=None).select_related("agenda_item", "meeting", "paper")
    assert linked.count() > 0.8 * Consultation.objects.count()
    for c in linked[:200]:
        assert c.agenda_item.meeting_id == c.meeting_id
        assert c.meeting.start.date() > c.paper.date
        assert c.agenda_item.name == c.paper.name
        assert c.authoritative == (c.role == "Entscheidung")
    assert Consultation.objects.filter(role="Vorberatung", organization__kind="fachausschuss").exists()
    assert Consultation.objects.filter(role="Entscheidung", organization__kind="verwaltungsausschuss").exists()
    assert Consultation.objects.filter(role="Entscheidung", organization__kind="rat").exists()


def test_nonpublic_vorlagen_stay_out_of_public_agenda_items_and_files(small: GenerateStats) -> None:
    total = Paper.objects.count()
    hidden = Paper.objects.exclude(Paper.public_q())
    assert 0.05 * total <= Paper.objects.filter(public=False).count() <= 0.2 * total
    assert AgendaItem.objects.filter(public=False).exists()
    # § 78 NKomVG: the Verwaltungsausschuss meets behind closed doors
    va_meetings = Meeting.objects.filter(organizations__kind=OrganizationKind.VERWALTUNGSAUSSCHUSS)
    assert va_meetings.exists()
    assert not va_meetings.filter(public=True).exists()
    assert not AgendaItem.objects.filter(meeting__in=va_meetings, public=True).exists()
    assert not File.objects.filter(meeting__in=va_meetings, public=True).exists()
    assert Meeting.objects.filter(public=True).exists()
    assert AgendaItem.objects.filter(public=False, consultation__paper__in=hidden).exists()
    assert not AgendaItem.objects.filter(public=True, consultation__paper__in=hidden).exists()
    assert not File.objects.filter(paper__in=hidden.filter(public=False), public=True).exists()
    # Grundstücks-, Personal- and Vergabesachen: their titles appear in no public file
    secret_names = set(hidden.filter(public=False, paper_type=PaperType.BESCHLUSSVORLAGE).values_list("name", flat=True))
    assert secret_names
    public_texts = " ".join(File.objects.filter(public=True).values_list("text", flat=True))
    for name in secret_names:
        assert name not in public_texts
    assert File.objects.filter(public=False, text__contains=next(iter(secret_names))).exists()


def test_references_and_slugs_are_unique_and_readable(small: GenerateStats) -> None:
    references = list(Paper.objects.values_list("reference", flat=True))
    assert len(set(references)) == len(references)
    slugs = list(Paper.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == len(slugs)
    assert Paper.objects.filter(reference__regex=r"^BV/\d{4}/20\d\d-20\d\d$").exists()
    assert Paper.objects.filter(reference__regex=r"^AN/\d{4}/20\d\d-20\d\d$").exists()
    assert Paper.objects.filter(slug__regex=r"^BV-\d{4}-20\d\d-20\d\d$").exists()
    for paper in Paper.objects.all()[:100]:
        assert re.fullmatch(r"(BV|MV|IV|AN|AF|DV)/\d{4}/\d{4}-\d{4}(-\d+)?", paper.reference), paper.reference
    numbers = AgendaItem.objects.values("meeting", "number").annotate(n=Count("id")).filter(n__gt=1)
    assert not numbers.exists(), "TOP-Nummern sind je Sitzung eindeutig"


def test_generated_rows_pass_the_model_validation(small: GenerateStats) -> None:
    for model in MODELS:
        for obj in model._default_manager.order_by("?")[:25]:
            obj.full_clean()


def test_same_seed_gives_identical_rows_and_another_seed_differs() -> None:
    first = generate(papers=300, seed=11)
    digest = _content_hash()
    wipe_corpus(first)
    assert not Paper.objects.exists() and not Meeting.objects.exists() and not Person.objects.exists()
    generate(papers=300, seed=11)
    assert _content_hash() == digest
    wipe_corpus(Body.objects.get())
    generate(papers=300, seed=12)
    assert _content_hash() != digest


def test_appending_to_a_database_with_data_keeps_references_and_slugs_apart(body: Body) -> None:
    existing = Paper.objects.create(body=body, name="Integrationskonzept", reference="BV/0001/2021-2026")
    assert existing.slug == "BV-0001-2021-2026"
    # Withdrawn while still a draft: never public, and generating elsewhere must not say otherwise.
    withdrawn_draft = Paper.objects.create(body=body, name="Zurückgezogener Entwurf", reference="BV/0099/2021-2026",
                                           state=PaperState.ZURUECKGEZOGEN)
    first = generate(papers=150, seed=3)
    second = generate(papers=150, seed=3)
    assert first.slug_prefix == "g2-" and second.slug_prefix == "g3-"
    assert Body.objects.count() == 3
    assert Paper.objects.count() == 302
    assert not Paper.objects.get(pk=withdrawn_draft.pk).ever_public
    assert Paper.objects.filter(reference="BV/0001/2021-2026").count() == 3  # one per Gemeinde
    assert Paper.objects.filter(slug="g3-BV-0001-2021-2026").exists()
    # ordinary inserts go on after the generated ids (PostgreSQL sequences were reset)
    later = Paper.objects.create(body=body, name="Neue Vorlage", reference="BV/0002/2021-2026")
    assert later.pk > max(Paper.objects.exclude(pk=later.pk).values_list("pk", flat=True))
    AgendaItem.objects.create(meeting=Meeting.objects.create(name="Sondersitzung"), order=1, name="Eröffnung")
    Membership.objects.create(person=Person.objects.create(body=body, name="Neu"), organization=Organization.objects.create(body=body, name="AG"))


def test_command_prints_a_summary_without_progress_bar_when_not_on_a_terminal() -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("generate", papers=40, seed=2, stdout=out, stderr=err)
    assert "Erzeugt: 40 Vorlagen" in out.getvalue()
    assert "it/s" not in err.getvalue() and "Vorlagen/s]" not in err.getvalue()
    assert Paper.objects.count() == 40


def test_zero_papers_still_build_the_council() -> None:
    stats = generate(papers=0, seed=1)
    assert stats.papers == 0 and Paper.objects.count() == 0
    assert Organization.objects.filter(kind=OrganizationKind.RAT).exists()
    assert Meeting.objects.exists()


# The pattern documented for other test modules: a module-scoped corpus outside the
# per-test transaction, wiped again in the teardown.


@pytest.fixture(scope="module")
def big_corpus(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        stats = corpus(papers=10_000, seed=1)
    yield stats
    with django_db_blocker.unblock():
        wipe_corpus(stats)
        assert not Paper.objects.exists() and not Meeting.objects.exists()


@pytest.mark.slow
def test_module_scoped_corpus_of_10000_papers(big_corpus: GenerateStats) -> None:
    assert Paper.objects.count() == big_corpus.papers == 10_000
    assert Meeting.objects.count() == big_corpus.meetings >= 1_200
    assert LegislativeTerm.objects.count() >= 5  # 20 years span four to five Wahlperioden
    visible = Paper.objects.visible_to(None).count()
    assert 0.8 * 10_000 < visible < 0.97 * 10_000
    # across chunk boundaries every Sitzung got its fixed agenda items exactly once
    assert not Meeting.objects.annotate(n=Count("agenda_items", filter=Q(agenda_items__name="Eröffnung der Sitzung"))).exclude(n=1).exists()


@pytest.mark.slow
def test_module_scoped_corpus_survives_a_test_that_changes_data(big_corpus: GenerateStats) -> None:
    Paper.objects.filter(paper_type=PaperType.ANFRAGE).update(public=False)
    assert Paper.objects.visible_to(None).count() < Paper.objects.count() - 500  # rolled back after this test


@pytest.mark.slow
def test_module_scoped_corpus_is_intact_in_the_next_test(big_corpus: GenerateStats) -> None:
    assert Paper.objects.count() == 10_000
    assert Paper.objects.filter(paper_type=PaperType.ANFRAGE, public=True).count() > 500


def test_anlagen_texts_draw_words_as_a_council_writes_them() -> None:
    """A few nouns in many Anlagen, most in few (Zipf), each Anlage about a topic: a search
    benchmark on the corpus then meets match sets of realistic sizes (bench/search.py)."""
    import random
    import re
    from collections import Counter

    from ratsinfo.corpus import filetext

    rand = random.Random(7).random
    pool = filetext.Pool(rand, lambda: {"ort": "Ahlhorn", "datum": "1. März 2024", "datum2": "2. März 2024",
                                        "betrag": "1.000", "ref": "BV/0001/2021-2026"})
    texts = [pool.text(15) for _ in range(1000)]
    nouns = {f[key].split()[-1] for f in filetext.FORMS for key in ("the", "of", "pl")}
    share = Counter(w for t in texts for w in set(re.findall(r"\w+", t)) if w in nouns)
    assert len(share) > 500  # distinct noun forms in 1,000 Anlagen
    assert max(share.values()) < 1000 * 0.9 and sorted(share.values())[len(share) // 2] < 1000 * 0.05
    assert sum(1 for t in texts if "Bebauungsplan" in t) < 1000 * 0.6
