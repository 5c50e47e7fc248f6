"""Marks every change of an indexed object for reindexing, in the transaction of the change.

The domain apps' save() and delete() are the one path every service, form, admin and test takes;
why a signal is right here (the index is a derived projection, not an invariant) and how the bulk
writers that bypass save() mark their rows is in outbox.py. Visibility is not in the index (it is
checked at query time), so releasing a Vorlage or making it non-public is right at once; the
marks only keep texts, titles and facets current.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from ratsinfo.files.models import File
from ratsinfo.meetings.models import Meeting
from ratsinfo.search.models import Kind
from ratsinfo.search.outbox import mark, tables, target


def _marks(sender: Any, instance: Any, **kwargs: Any) -> None:
    kind, attribute = target(sender) or ("", "")
    object_id = getattr(instance, attribute, None)
    if kind and object_id is not None and not kwargs.get("raw"):
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
    direct, parts = tables()
    for model in [*direct, *parts]:
        post_save.connect(_marks, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(_marks, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    post_save.connect(_file_content, sender=File, dispatch_uid="search-extract-file")
    m2m_changed.connect(_meeting_bodies, sender=Meeting.organizations.through, dispatch_uid="search-meeting-bodies")
