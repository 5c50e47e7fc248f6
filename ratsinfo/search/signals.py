"""Marks every change of an indexed object for reindexing, in the transaction of the change.

The domain apps' save() and delete() are the one path every service, form, admin and importer
takes; bulk writers (generator, importer batches) run `ratsinfo reindex` or `mark` themselves.
Visibility is not in the index (it is checked at query time), so releasing a Vorlage or making
it non-public is right at once; this only keeps texts, titles and facets current.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from ratsinfo.bodies.models import Organization, Person
from ratsinfo.files.models import File
from ratsinfo.measures.models import Measure
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Consultation, Paper, PaperSection
from ratsinfo.search.indexing import mark
from ratsinfo.search.models import Extraction, Kind

DIRECT = {
    Paper: Kind.PAPER,
    AgendaItem: Kind.AGENDA_ITEM,
    Meeting: Kind.MEETING,
    Organization: Kind.ORGANIZATION,
    Person: Kind.PERSON,
    Measure: Kind.MEASURE,
    File: Kind.FILE,
}
# Rows that are part of another object's document: (kind, attribute holding its id).
PARTS = {
    PaperSection: (Kind.PAPER, "paper_id"),
    Consultation: (Kind.PAPER, "paper_id"),
    Extraction: (Kind.FILE, "file_id"),
}


def _direct(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        mark(DIRECT[sender], instance.pk)


def _part(sender: Any, instance: Any, **kwargs: Any) -> None:
    kind, attribute = PARTS[sender]
    object_id = getattr(instance, attribute, None)
    if object_id is not None and not kwargs.get("raw"):
        mark(kind, object_id)


def _file_content(sender: Any, instance: File, **kwargs: Any) -> None:
    """New or changed bytes: extract their text in the background after the commit."""
    from ratsinfo.search.extraction import needs_extraction
    from ratsinfo.search.tasks import extract_file

    if not kwargs.get("raw") and needs_extraction(instance):
        file_id = instance.pk
        transaction.on_commit(lambda: extract_file.enqueue(file_id), robust=True)


def _meeting_bodies(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and isinstance(instance, Meeting):
        mark(Kind.MEETING, instance.pk)


def connect() -> None:
    for model in DIRECT:
        post_save.connect(_direct, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(_direct, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    for model in PARTS:
        post_save.connect(_part, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(_part, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    post_save.connect(_file_content, sender=File, dispatch_uid="search-extract-file")
    m2m_changed.connect(_meeting_bodies, sender=Meeting.organizations.through, dispatch_uid="search-meeting-bodies")
