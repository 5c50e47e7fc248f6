"""Dateien (OParl File): attachments of papers, meetings and agenda items."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ratsinfo.lib.access import Viewer, as_viewer
from ratsinfo.lib.models import OParlObject, OParlQuerySet, RemembersPublication


class FileRole(models.TextChoices):
    MAIN = "main", "Hauptdatei"
    AUXILIARY = "auxiliary", "Anlage"
    INVITATION = "invitation", "Einladung"
    RESULTS_PROTOCOL = "results_protocol", "Niederschrift"
    VERBATIM_PROTOCOL = "verbatim_protocol", "Wortprotokoll"
    RESOLUTION = "resolution", "Beschluss"


class FileQuerySet(OParlQuerySet):
    def visible_to(self, viewer: Viewer | None) -> FileQuerySet:
        from ratsinfo.meetings.models import AgendaItem, Meeting
        from ratsinfo.papers.models import Paper

        viewer = as_viewer(viewer)
        if viewer.sees_everything:
            # Who sees the original is shown the original, not its redacted copy beside it.
            return self.alive().exclude(is_redacted_version=True, original__deleted=False)
        # A file with a redacted public version is never public (even once that version is
        # deleted): it holds personal data, and the public sees the redacted version in its place.
        public = Q(public=True, public_version__isnull=True)
        if viewer.is_public:
            # A public file is visible only if everything it hangs on is visible too.
            return self.alive().filter(
                public,
                Q(paper__isnull=True) | Paper.public_q("paper__"),
                Q(agenda_item__isnull=True) | AgendaItem.public_q("agenda_item__"),
                Q(meeting__isnull=True) | Q(meeting__deleted=False),
            )
        # Beyond the public: the parents must be visible to the viewer, and a non-public file (or an
        # original with a redacted version) needs the viewer in the audience of what it hangs on;
        # that audience sees the original instead of the redacted copy.
        papers = Paper.objects.visible_to(viewer)
        items = AgendaItem.objects.visible_to(viewer)
        audience = (
            Q(paper__in=Paper.audience_pks(viewer))
            | Q(agenda_item__in=AgendaItem.nonpublic_audience_pks(viewer))
            | Q(meeting__in=Meeting.objects.nonpublic_audience_of(viewer).values("pk"))
        )
        if viewer.sees_all_papers:
            audience |= Q(paper__isnull=False)
        return self.alive().filter(
            Q(paper__isnull=True) | Q(paper__in=papers.values("pk")),
            Q(agenda_item__isnull=True) | Q(agenda_item__in=items.values("pk")),
            Q(meeting__isnull=True) | Q(meeting__deleted=False),
            public | audience,
        ).exclude(Q(is_redacted_version=True, original__deleted=False) & audience)


class File(RemembersPublication, OParlObject):
    body = models.ForeignKey("bodies.Body", on_delete=models.CASCADE, related_name="files")
    name = models.CharField("Titel", max_length=500, blank=True)
    file_name = models.CharField("Dateiname", max_length=300)
    mime_type = models.CharField("MIME-Typ", max_length=120, blank=True)
    date = models.DateField("Datum", null=True, blank=True)
    size = models.BigIntegerField("Größe in Bytes", null=True, blank=True)
    sha512 = models.CharField("SHA-512", max_length=128, blank=True)
    text = models.TextField("Extrahierter Text", blank=True)
    # Stored under its checksum (see storage.py): inhalte/ab/cd/<128 hex digits>.
    content = models.FileField("Inhalt", upload_to="inhalte/", max_length=255, blank=True)
    # Where the original lives when imported from another OParl server and not copied.
    external_access_url = models.URLField("Externe Zugriffs-URL", max_length=1000, blank=True)
    license = models.CharField("Lizenz", max_length=300, blank=True)
    public = models.BooleanField("öffentlich", default=True)
    role = models.CharField("Art", max_length=30, choices=FileRole.choices, default=FileRole.AUXILIARY)
    order = models.PositiveIntegerField("Reihenfolge", default=0)
    paper = models.ForeignKey("papers.Paper", null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    meeting = models.ForeignKey("meetings.Meeting", null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    # A file with personal data may get a redacted copy for the public (uploaded separately);
    # the original keeps its audience, the public and OParl see only the copy.
    public_version = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="original",
        verbose_name="öffentliche (geschwärzte) Fassung",
    )
    is_redacted_version = models.BooleanField("geschwärzte Fassung", default=False, editable=False)

    objects = FileQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["text"])
    touch_parents = ("paper", "meeting", "agenda_item")

    class Meta:
        verbose_name = "Datei"
        verbose_name_plural = "Dateien"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="file_redacted_version_has_no_own_version",
                condition=Q(is_redacted_version=False) | Q(public_version__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.file_name

    def publicly_visible_now(self) -> bool:
        return False  # depends on the parents: decided by the queryset after saving (below)

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        # Visibility depends on the parents, so it is decided by the queryset after saving.
        if not self.ever_public and File.objects.filter(pk=self.pk).mark_ever_public():
            self.ever_public = True

    @property
    def has_content(self) -> bool:
        return bool(self.content)

    def set_content(self, data: bytes, file_name: str | None = None) -> None:
        """Store bytes (content-addressed) with the derived size and checksum; save() is left to the caller.

        The MIME type stays as given: importers and tests know it. Uploads go through
        `ratsinfo.files.services.attach_file`, which sniffs it from the content.
        """
        from ratsinfo.files.storage import store_bytes

        stored = store_bytes(data)
        self.content.name, self.size, self.sha512 = stored.name, stored.size, stored.sha512
        if file_name and not self.file_name:
            self.file_name = file_name
