"""Keep OParl `modified` honest where `OParlObject.touch_parents` cannot see a change.

OParl clients sync by `modified_since`: an object whose output changes must get a newer
`modified`, or clients keep a stale (or no longer public) copy. `touch_parents` covers a child
saved through `save()`; this module adds what it misses:

- two-step embedding (a File of an AgendaItem changes the Meeting too),
- many-to-many links (federführend, Urheber, verwandte Vorlagen, Gremien of a Sitzung),
- Location changes (embedded in Body, Organization, Person, Meeting),
- visibility changes: a Vorlage or TOP that turns non-public hides its files and the link from
  its Beratung, so those get a new `modified` (and then appear as tombstones),
- memberships (listed by URL in the Organization) and hard deletes.

Parents only ever move forward: `modified = max(modified, child's modified)`, so importers that
keep the source's timestamps do not make anything look newer than it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from ratsinfo.bodies.models import Body, LegislativeTerm, Location, Membership, Organization, Person
from ratsinfo.files.models import File
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Consultation, Paper


def bump(model: type[Any], when: dt.datetime | None, *args: Q, **filters: Any) -> None:
    when = when or timezone.now()
    model._default_manager.filter(*args, **filters).filter(modified__lt=when).update(modified=when)


def _remember(instance: Any, *fields: str) -> None:
    """Keep the stored values of `fields` to compare after saving."""
    old = None
    if instance.pk is not None:
        old = type(instance)._default_manager.filter(pk=instance.pk).values(*fields).first()
    instance._oparl_old = old


def _changed(instance: Any, *fields: str) -> bool:
    old = getattr(instance, "_oparl_old", None)
    if old is None:
        return False
    return any(old[f] != getattr(instance, f) for f in fields)


# --- Files ------------------------------------------------------------------------------------


def file_saved(sender: Any, instance: File, **kwargs: Any) -> None:
    if instance.agenda_item_id:
        bump(Meeting, instance.modified, agenda_items=instance.agenda_item_id)


def file_deleted(sender: Any, instance: File, **kwargs: Any) -> None:
    now = timezone.now()
    if instance.paper_id:
        bump(Paper, now, pk=instance.paper_id)
    if instance.meeting_id:
        bump(Meeting, now, pk=instance.meeting_id)
    if instance.agenda_item_id:
        bump(AgendaItem, now, pk=instance.agenda_item_id)
        bump(Meeting, now, agenda_items=instance.agenda_item_id)


# --- Visibility changes -------------------------------------------------------------------------

PAPER_VISIBILITY = ("public", "state", "deleted")
ITEM_VISIBILITY = ("public", "deleted")


def paper_pre_save(sender: Any, instance: Paper, **kwargs: Any) -> None:
    _remember(instance, *PAPER_VISIBILITY)


def paper_saved(sender: Any, instance: Paper, created: bool, **kwargs: Any) -> None:
    if created or not _changed(instance, *PAPER_VISIBILITY):
        return
    when = instance.modified
    bump(File, when, paper=instance.pk)
    bump(Consultation, when, paper=instance.pk)
    # Other Vorlagen list it (verwandt, über-/untergeordnet) only while it is public.
    bump(Paper, when, Q(related_papers=instance.pk) | Q(superordinated_papers=instance.pk)
         | Q(subordinated_papers=instance.pk))
    # A place only non-public Vorlagen name is hidden (bodies.LocationQuerySet).
    bump(Location, when, papers=instance.pk)


def item_pre_save(sender: Any, instance: AgendaItem, **kwargs: Any) -> None:
    _remember(instance, *ITEM_VISIBILITY)


def item_saved(sender: Any, instance: AgendaItem, created: bool, **kwargs: Any) -> None:
    if created or not _changed(instance, *ITEM_VISIBILITY):
        return
    when = instance.modified
    bump(File, when, agenda_item=instance.pk)
    # The Beratung shows the link to a TOP only while the TOP is public.
    bump(Consultation, when, agenda_item=instance.pk)
    bump(Paper, when, consultations__agenda_item=instance.pk)


def item_deleted(sender: Any, instance: AgendaItem, **kwargs: Any) -> None:
    bump(Meeting, timezone.now(), pk=instance.meeting_id)


def meeting_pre_save(sender: Any, instance: Meeting, **kwargs: Any) -> None:
    _remember(instance, "deleted")


def meeting_saved(sender: Any, instance: Meeting, created: bool, **kwargs: Any) -> None:
    if created or not _changed(instance, "deleted"):
        return
    when = instance.modified
    bump(AgendaItem, when, meeting=instance.pk)
    bump(File, when, Q(meeting=instance.pk) | Q(agenda_item__meeting=instance.pk))


# --- Consultation, Membership, LegislativeTerm -------------------------------------------------


def consultation_pre_save(sender: Any, instance: Consultation, **kwargs: Any) -> None:
    _remember(instance, "agenda_item_id")


def consultation_saved(sender: Any, instance: Consultation, created: bool, **kwargs: Any) -> None:
    old = getattr(instance, "_oparl_old", None)
    items = {instance.agenda_item_id, old["agenda_item_id"] if old else None} - {None}
    if created or _changed(instance, "agenda_item_id"):
        # The TOP names its Beratung (AgendaItem.consultation), and the Sitzung embeds the TOP.
        bump(AgendaItem, instance.modified, pk__in=items)
        bump(Meeting, instance.modified, agenda_items__in=items)


def consultation_deleted(sender: Any, instance: Consultation, **kwargs: Any) -> None:
    now = timezone.now()
    bump(Paper, now, pk=instance.paper_id)
    if instance.agenda_item_id:
        bump(AgendaItem, now, pk=instance.agenda_item_id)
        bump(Meeting, now, agenda_items=instance.agenda_item_id)


def membership_pre_save(sender: Any, instance: Membership, **kwargs: Any) -> None:
    _remember(instance, "organization_id")


def membership_saved(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    # The Gremium lists its memberships by URL.
    old = getattr(instance, "_oparl_old", None)
    organizations = {instance.organization_id, old["organization_id"] if old else None} - {None}
    bump(Organization, instance.modified, pk__in=organizations)


def membership_deleted(sender: Any, instance: Membership, **kwargs: Any) -> None:
    now = timezone.now()
    bump(Person, now, pk=instance.person_id)
    bump(Organization, now, pk=instance.organization_id)


def term_deleted(sender: Any, instance: LegislativeTerm, **kwargs: Any) -> None:
    bump(Body, timezone.now(), pk=instance.body_id)


def location_saved(sender: Any, instance: Location, created: bool, **kwargs: Any) -> None:
    if created:
        return
    for model in (Body, Organization, Person, Meeting):
        bump(model, instance.modified, location=instance.pk)
    bump(Paper, instance.modified, locations=instance.pk)


# --- Many-to-many links ---------------------------------------------------------------------------


def _m2m_bumper(model: type[Any], through: type[Any], own: str, other: str) -> Any:
    """Bump the object whose OParl output lists the link (both ends for Vorlage-Vorlage links).

    `own`/`other` are the columns of the through table: `own` points at the object of `model`
    whose output shows the link, `other` at the linked object.
    """
    self_link = through._meta.get_field(other.removesuffix("_id")).related_model is model

    def handler(sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[Any] | None,
                **kwargs: Any) -> None:
        if action not in {"post_add", "post_remove", "pre_clear"}:
            return
        rows = through._default_manager
        if action == "pre_clear":  # pk_set is unknown for clear: take the links before clearing
            if reverse:
                pk_set = set(rows.filter(**{other: instance.pk}).values_list(own, flat=True))
            else:
                pk_set = set(rows.filter(**{own: instance.pk}).values_list(other, flat=True))
        if not pk_set:
            return  # nothing changed (e.g. adding a link that exists)
        now = timezone.now()
        touched = set()
        if not reverse or self_link:
            touched.add(instance.pk)
        if reverse or self_link:
            touched |= set(pk_set or ())
        bump(model, now, pk__in=touched)

    return handler


_m2m_handlers: list[Any] = []


def connect() -> None:
    pre_save.connect(paper_pre_save, sender=Paper, dispatch_uid="oparl_paper_pre")
    post_save.connect(paper_saved, sender=Paper, dispatch_uid="oparl_paper_post")
    pre_save.connect(item_pre_save, sender=AgendaItem, dispatch_uid="oparl_item_pre")
    post_save.connect(item_saved, sender=AgendaItem, dispatch_uid="oparl_item_post")
    post_delete.connect(item_deleted, sender=AgendaItem, dispatch_uid="oparl_item_del")
    pre_save.connect(meeting_pre_save, sender=Meeting, dispatch_uid="oparl_meeting_pre")
    post_save.connect(meeting_saved, sender=Meeting, dispatch_uid="oparl_meeting_post")
    post_save.connect(file_saved, sender=File, dispatch_uid="oparl_file_post")
    post_delete.connect(file_deleted, sender=File, dispatch_uid="oparl_file_del")
    pre_save.connect(consultation_pre_save, sender=Consultation, dispatch_uid="oparl_consultation_pre")
    post_save.connect(consultation_saved, sender=Consultation, dispatch_uid="oparl_consultation_post")
    post_delete.connect(consultation_deleted, sender=Consultation, dispatch_uid="oparl_consultation_del")
    pre_save.connect(membership_pre_save, sender=Membership, dispatch_uid="oparl_membership_pre")
    post_save.connect(membership_saved, sender=Membership, dispatch_uid="oparl_membership_post")
    post_delete.connect(membership_deleted, sender=Membership, dispatch_uid="oparl_membership_del")
    post_delete.connect(term_deleted, sender=LegislativeTerm, dispatch_uid="oparl_term_del")
    post_save.connect(location_saved, sender=Location, dispatch_uid="oparl_location_post")
    links = [
        (Paper, Paper.under_direction_of.through, "paper_id", "organization_id"),
        (Paper, Paper.originator_persons.through, "paper_id", "person_id"),
        (Paper, Paper.originator_organizations.through, "paper_id", "organization_id"),
        (Paper, Paper.related_papers.through, "from_paper_id", "to_paper_id"),
        (Paper, Paper.superordinated_papers.through, "from_paper_id", "to_paper_id"),
        (Paper, Paper.locations.through, "paper_id", "location_id"),
        (Meeting, Meeting.organizations.through, "meeting_id", "organization_id"),
        (Meeting, Meeting.participants.through, "meeting_id", "person_id"),
    ]
    for model, through, own, other in links:
        handler = _m2m_bumper(model, through, own, other)
        _m2m_handlers.append(handler)  # signals hold weak references
        m2m_changed.connect(handler, sender=through, dispatch_uid=f"oparl_m2m_{through._meta.label}")
