"""Abstract bases for the domain models (no concrete models live in lib)."""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.utils import timezone


class OParlQuerySet(models.QuerySet):
    def alive(self) -> Self:
        return self.filter(deleted=False)

    def mark_ever_public(self) -> int:
        """Note that the rows the public can see now have been public (models with `ever_public`).

        Only such rows may later be reported as gone (OParl tombstones); a row that was never
        public must not even leak its id. Bulk writers (generator, importer) call this once.
        """
        visible = self.visible_to(None).filter(ever_public=False)  # type: ignore[attr-defined]
        return self.model._default_manager.filter(pk__in=visible.values("pk")).update(ever_public=True)


class OParlObject(models.Model):
    """Fields every OParl object carries.

    `modified` is set on every save (unlike auto_now it can be given explicitly by importers
    and the generator through `bulk_create`). Deleting is a tombstone (`deleted=True`) so that
    OParl clients learn about it; see `soft_delete`.
    """

    created = models.DateTimeField("angelegt", default=timezone.now, editable=False, db_index=True)
    modified = models.DateTimeField("geändert", default=timezone.now, editable=False, db_index=True)
    deleted = models.BooleanField("gelöscht", default=False)
    keywords = models.JSONField("Schlagworte", default=list, blank=True)
    # The id this object has at the OParl server it was imported from (if any).
    source_url = models.CharField("Quelle (OParl-ID)", max_length=500, null=True, blank=True, unique=True)

    class Meta:
        abstract = True

    # Names of foreign keys whose target embeds this object in OParl and so must get a new
    # `modified` when this object changes (e.g. AgendaItem -> meeting).
    touch_parents: tuple[str, ...] = ()

    def save(self, *args: Any, keep_modified: bool = False, **kwargs: Any) -> None:
        if not keep_modified:
            self.modified = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "modified"}
        super().save(*args, **kwargs)
        if not keep_modified:
            self.touch_parent_objects(self.modified)

    def touch_parent_objects(self, when: Any) -> None:
        for field_name in self.touch_parents:
            field = self._meta.get_field(field_name)
            parent_id = getattr(self, f"{field_name}_id")
            if parent_id is not None and field.related_model is not None:
                field.related_model._default_manager.filter(pk=parent_id).update(modified=when)  # type: ignore[union-attr]

    def soft_delete(self) -> None:
        self.deleted = True
        self.save()


class RemembersPublication(models.Model):
    """For records that can be non-public: remembers that the public has seen the record.

    Set once, never reset. Only such records may later be reported as gone (OParl tombstones);
    a record that was never public must not even leak its id.
    """

    ever_public = models.BooleanField("war öffentlich", default=False, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.ever_public and self.publicly_visible_now():
            self.ever_public = True
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "ever_public"}
        super().save(*args, **kwargs)
        if self.ever_public:
            self.mark_dependents_ever_public()

    def publicly_visible_now(self) -> bool:
        """Whether the public sees this row as it is about to be saved."""
        raise NotImplementedError

    def mark_dependents_ever_public(self) -> None:
        """Rows that became visible with this one (e.g. the files of a released Vorlage)."""
