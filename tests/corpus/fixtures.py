"""A generated corpus for tests that need volume (paging, search, feeds, OParl lists).

Use it module-scoped, outside the per-test transaction, and wipe it in the teardown so that
later test modules on the same worker start from an empty database::

    import pytest
    from tests.corpus.fixtures import corpus, wipe_corpus

    @pytest.fixture(scope="module")
    def big_corpus(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            stats = corpus(papers=10_000, seed=1)
        yield stats
        with django_db_blocker.unblock():
            wipe_corpus(stats)

    @pytest.mark.django_db
    def test_paging(big_corpus, client): ...

Works on SQLite (in-memory test database) and PostgreSQL. Do not combine it with
`transactional_db` in the same module: that fixture empties the database after each test.
"""

from __future__ import annotations

from django.db import connection, models, transaction
from django.test import override_settings

from ratsinfo.bodies.models import Body, LegislativeTerm, Location, Membership, Organization, Person
from ratsinfo.corpus.generator import GenerateStats, generate
from ratsinfo.files.models import File
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Consultation, Paper, PaperSection
from ratsinfo.search import bulk, outbox
from ratsinfo.search.models import Document, DocumentGremium, Extraction, Pending, Term

_MODELS = [Location, Body, LegislativeTerm, Organization, Person, Membership, Meeting, AgendaItem, Paper,
           PaperSection, Consultation, File, Extraction, Pending, DocumentGremium, Document, Term]
_THROUGH = [Meeting.organizations.through, Meeting.participants.through, Paper.under_direction_of.through,
            Paper.originator_persons.through, Paper.originator_organizations.through,
            Paper.related_papers.through, Paper.superordinated_papers.through, Paper.locations.through]


# The generator marks its rows for the search index, and after its commits the test settings'
# immediate task backend would index them one object at a time (minutes for 10,000 Vorlagen).
# The task is held back here; a module that searches asks for the bulk rebuild (what `ratsinfo
# reindex` does), the others leave the marks, which `wipe_corpus` removes.
HELD_BACK = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def corpus(papers: int = 10_000, seed: int = 1, *, search_index: bool = False) -> GenerateStats:
    """Generate a synthetic Gemeinde into the current database (see ratsinfo.corpus.generator);
    `search_index`: and build the search index over everything."""
    with override_settings(TASKS=HELD_BACK):
        stats = generate(papers=papers, seed=seed)
    if search_index:
        bulk.rebuild()
    return stats


def _raw_delete(queryset: models.QuerySet) -> None:
    # No signals: simple_history would otherwise load every row and write a history row for it.
    queryset._raw_delete(queryset.db)


@transaction.atomic
def wipe_corpus(stats: GenerateStats | Body | int) -> None:
    """Delete everything that belongs to the generated Body, fast and without history rows."""
    body_id = stats.body_id if isinstance(stats, GenerateStats) else stats.pk if isinstance(stats, Body) else stats
    if connection.vendor == "postgresql" and not Body.objects.exclude(pk=body_id).exists():
        # The corpus is all there is: TRUNCATE is seconds faster than row deletes, whose deferred
        # foreign-key checks PostgreSQL runs row by row at commit.
        tables = [m._meta.db_table for m in [*_MODELS, *_THROUGH]]
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks from inserts in this transaction
            cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE")
        return
    meetings = Meeting.objects.filter(organizations__body_id=body_id).values("id")
    meeting_ids = list(meetings.distinct().values_list("id", flat=True))
    location_ids = {
        *Organization.objects.filter(body_id=body_id).exclude(location=None).values_list("location_id", flat=True),
        *Body.objects.filter(pk=body_id).exclude(location=None).values_list("location_id", flat=True),
        *Meeting.objects.filter(pk__in=meeting_ids).exclude(location=None).values_list("location_id", flat=True),
    }
    _raw_delete(Extraction.objects.filter(file__body_id=body_id))  # the generator stores file texts as extracted
    _raw_delete(File.objects.filter(body_id=body_id))
    _raw_delete(Consultation.objects.filter(paper__body_id=body_id))
    for through, field in (
        (Paper.related_papers.through, "from_paper__body_id"),
        (Paper.related_papers.through, "to_paper__body_id"),
        (Paper.superordinated_papers.through, "from_paper__body_id"),
        (Paper.superordinated_papers.through, "to_paper__body_id"),
        (Paper.under_direction_of.through, "paper__body_id"),
        (Paper.originator_persons.through, "paper__body_id"),
        (Paper.originator_organizations.through, "paper__body_id"),
        (Paper.locations.through, "paper__body_id"),
    ):
        _raw_delete(through.objects.filter(**{field: body_id}))
    _raw_delete(PaperSection.objects.filter(paper__body_id=body_id))
    _raw_delete(Paper.objects.filter(body_id=body_id))
    for start in range(0, len(meeting_ids), 5000):
        chunk = meeting_ids[start : start + 5000]
        _raw_delete(AgendaItem.objects.filter(meeting_id__in=chunk))
        _raw_delete(Meeting.participants.through.objects.filter(meeting_id__in=chunk))
        _raw_delete(Meeting.organizations.through.objects.filter(meeting_id__in=chunk))
        _raw_delete(Meeting.objects.filter(pk__in=chunk))
    _raw_delete(Membership.objects.filter(organization__body_id=body_id))
    _raw_delete(Membership.objects.filter(person__body_id=body_id))
    _raw_delete(Person.objects.filter(body_id=body_id))
    # the index (built after the generator's commit) names the corpus's Gremien
    _raw_delete(DocumentGremium.objects.filter(organization__body_id=body_id))
    Organization.objects.filter(body_id=body_id).update(parent=None)
    _raw_delete(Organization.objects.filter(body_id=body_id))
    _raw_delete(LegislativeTerm.objects.filter(body_id=body_id))
    _raw_delete(Body.objects.filter(pk=body_id))
    _raw_delete(Location.objects.filter(pk__in=location_ids))
    # the generator marked its rows for the search index, and the commit indexed them: forget the
    # marks and documents of rows now gone (a later test's search must not meet them), and the
    # corpus's vocabulary if nothing else is left (it changes how compounds split)
    direct, _parts = outbox.tables()
    for model, kind in direct.items():
        alive = model._base_manager.values("pk")
        _raw_delete(Pending.objects.filter(kind=kind).exclude(object_id__in=alive))
        _raw_delete(DocumentGremium.objects.filter(document__kind=kind).exclude(document__object_id__in=alive))
        _raw_delete(Document.objects.filter(kind=kind).exclude(object_id__in=alive))
    if not Body.objects.exists():
        _raw_delete(Term.objects.all())
