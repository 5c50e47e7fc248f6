"""The search index's outbox: which objects changed and wait to be (re)indexed.

A mark (`Pending` row) is written in the transaction of the change, so it commits or rolls back
with it; after the commit one `index_pending` task is enqueued (django-tasks; `ratsinfo worker`
runs it). If the process dies between commit and enqueue, the mark stays and the next task, the
worker's next run or `ratsinfo reindex --pending` indexes it: no update is lost, and no request
(a search GET least of all) ever writes to the index.

Why marking by signal (signals.py) and not in the services: the index is a derived projection,
not a domain invariant. A missed mark cannot make anything visible (visibility is checked at
query time with `visible_to`), it can only leave a text stale. save()/delete() are the one path
every service, form, admin action and test fixture takes, so a signal marks all of them without
touching the domain services. The writers that bypass save() (the corpus generator and the OParl
importer, through ratsinfo.lib.bulkwrite) call `mark_objects` in their own transaction instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.db import connections, models, router, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ratsinfo.search.models import Kind, Pending

LIST_CHUNK = 5000  # pks per statement (SQLite's limit of bound variables)


@cache
def tables() -> tuple[dict[type[models.Model], str], dict[type[models.Model], tuple[str, str]]]:
    from ratsinfo.bodies.models import Organization, Person
    from ratsinfo.files.models import File
    from ratsinfo.measures.models import Measure
    from ratsinfo.meetings.models import AgendaItem, Meeting
    from ratsinfo.papers.models import Consultation, Paper, PaperSection
    from ratsinfo.search.models import Extraction

    direct = {
        Paper: Kind.PAPER, AgendaItem: Kind.AGENDA_ITEM, Meeting: Kind.MEETING, Organization: Kind.ORGANIZATION,
        Person: Kind.PERSON, Measure: Kind.MEASURE, File: Kind.FILE,
    }
    # Rows that are part of another object's document: (kind, attribute holding its id).
    parts = {
        PaperSection: (Kind.PAPER, "paper_id"),
        Consultation: (Kind.PAPER, "paper_id"),
        Extraction: (Kind.FILE, "file_id"),
    }
    return direct, parts  # type: ignore[return-value]


def target(model: type[models.Model]) -> tuple[str, str] | None:
    """(kind, attribute with the indexed object's id) of a model's rows; None: not indexed."""
    direct, parts = tables()
    if model in direct:
        return direct[model], "pk"
    return parts.get(model)


def mark(kind: str, object_id: int) -> None:
    """Note a change of one object (signals.py: every save() and delete())."""
    # A mark already there gets the new time: a rebuild running meanwhile tells its own marks
    # (which it covers) from this one (bulk.rebuild).
    Pending.objects.bulk_create(
        [Pending(kind=kind, object_id=object_id)], update_conflicts=True, unique_fields=["kind", "object_id"],
        update_fields=["marked_at"],
    )
    index_after_commit()


def mark_objects(model: type[models.Model], objects: QuerySet[Any] | Iterable[int]) -> int:
    """Mark the rows of `model` (a queryset, or primary keys) for reindexing, in the caller's
    transaction: the one function for writers that bypass save() (bulk inserts and updates).
    Parts (sections, Beratungsfolge, extractions) mark the object they belong to. One
    INSERT … SELECT per statement, so marking a generated corpus stays cheap. Returns the number
    of statements run (0 for a model that is not indexed)."""
    found = target(model)
    if found is None:
        return 0
    kind, attribute = found
    if isinstance(objects, QuerySet):
        querysets = [objects]
    else:
        pks = sorted(set(objects))
        manager = model._base_manager
        querysets = [manager.filter(pk__in=pks[i : i + LIST_CHUNK]) for i in range(0, len(pks), LIST_CHUNK)]
    for qs in querysets:
        _insert_marks(kind, qs.order_by().filter(**{f"{attribute}__isnull": False}).values_list(attribute, flat=True))
    if querysets:
        index_after_commit()
    return len(querysets)


def _insert_marks(kind: str, ids: QuerySet[Any]) -> None:
    using = router.db_for_write(Pending)
    connection = connections[using]
    select, params = ids.query.get_compiler(using=using).as_sql()
    qn = connection.ops.quote_name
    # "WHERE 1 = 1" settles SQLite's parsing of ON CONFLICT after INSERT … SELECT.
    sql = (
        f"INSERT INTO {qn(Pending._meta.db_table)} ({qn('kind')}, {qn('marked_at')}, {qn('object_id')}) "
        f"SELECT DISTINCT %s, %s, ids.* FROM ({select}) ids WHERE 1 = 1 "
        f"ON CONFLICT ({qn('kind')}, {qn('object_id')}) DO UPDATE SET {qn('marked_at')} = excluded.{qn('marked_at')}"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind, now, *params])


@contextmanager
def marking_new_rows(models_: Sequence[type[models.Model]]) -> Iterator[None]:
    """For inserting writers (the generator): every row of `models_` whose id is above the
    highest one at the start is marked when the block ends, still in the caller's transaction."""
    tops = {m: m._base_manager.aggregate(top=models.Max("pk"))["top"] or 0 for m in models_ if target(m)}
    yield
    for model, top in tops.items():
        mark_objects(model, model._base_manager.filter(pk__gt=top))


def index_after_commit() -> None:
    """Enqueue one `index_pending` after the commit (once per transaction, however many marks)."""
    using = router.db_for_write(Pending)
    connection = transaction.get_connection(using)
    waiting = (f for _sids, f, _robust in connection.run_on_commit if isinstance(f, EnqueueIndexing) and not f.ran)
    if connection.in_atomic_block and any(waiting):
        return
    transaction.on_commit(EnqueueIndexing(), using=using, robust=True)


class EnqueueIndexing:
    """The after-commit hook; `ran` tells a hook still to come from one already run (a test's
    captured callbacks stay in the list of the still open transaction)."""

    ran = False

    def __call__(self) -> None:
        from ratsinfo.search.tasks import index_pending

        self.ran = True
        index_pending.enqueue()
