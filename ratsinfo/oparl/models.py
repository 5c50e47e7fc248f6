"""State of the OParl importer: what was imported from where, and how far a run got.

Every page is applied in one transaction together with its cursor, so a killed run resumes
at the next page and the database never holds half an object graph.
"""

from __future__ import annotations

from django.db import models


class ImportSource(models.Model):
    """An OParl server (its System or Body URL) we mirror."""

    url = models.CharField("Einstiegs-URL", max_length=500, unique=True)
    last_success_started = models.DateTimeField(
        "Beginn des letzten erfolgreichen Laufs", null=True, blank=True,
        help_text="Grundlage für modified_since beim nächsten Lauf",
    )
    created = models.DateTimeField("angelegt", auto_now_add=True)

    class Meta:
        verbose_name = "OParl-Quelle"
        verbose_name_plural = "OParl-Quellen"

    def __str__(self) -> str:
        return self.url


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "läuft"
        DONE = "done", "abgeschlossen"
        ABANDONED = "abandoned", "abgebrochen"

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="runs")
    mode = models.CharField("Art", max_length=10, default="url")  # "url" or "dir"
    dump_dir = models.CharField("Dump-Verzeichnis", max_length=1000, blank=True)
    started = models.DateTimeField("Beginn")
    finished = models.DateTimeField("Ende", null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    modified_since = models.DateTimeField(null=True, blank=True)
    # from-dir runs: the last dump page applied (1-based index into the dump's index.jsonl)
    dump_position = models.PositiveIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "OParl-Importlauf"
        verbose_name_plural = "OParl-Importläufe"
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.source} {self.started:%Y-%m-%d %H:%M} ({self.status})"


class ListCursor(models.Model):
    """How far a run got in one list of one body (the next page to fetch)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="cursors")
    key = models.CharField(max_length=600)  # "<body url>#<list name>"
    next_url = models.TextField(blank=True)
    done = models.BooleanField(default=False)
    pages = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "key"], name="oparl_cursor_unique")]

    def __str__(self) -> str:
        return self.key


class PendingObject(models.Model):
    """An object whose required parent (a membership's person, an agenda item's meeting …)
    is not imported yet; retried at the end of each run."""

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="pending_objects")
    url = models.CharField(max_length=500)
    type_name = models.CharField(max_length=40)
    data = models.JSONField()
    body_url = models.CharField(max_length=500, blank=True)
    missing = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "url"], name="oparl_pending_object_unique")]

    def __str__(self) -> str:
        return self.url


class PendingLink(models.Model):
    """An optional reference whose target is not imported yet (resolved at the end of a run)."""

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="pending_links")
    model = models.CharField(max_length=60)  # "papers.Consultation"
    object_id = models.BigIntegerField()
    field = models.CharField(max_length=60)
    target_type = models.CharField(max_length=40)
    target_url = models.CharField(max_length=500)

    class Meta:
        indexes = [models.Index(fields=["source", "target_url"])]

    def __str__(self) -> str:
        return f"{self.model}#{self.object_id}.{self.field} -> {self.target_url}"


class Alias(models.Model):
    """A URL under which a server answered with an object of another id (both stand for it)."""

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="aliases")
    url = models.CharField(max_length=500)
    target_url = models.CharField(max_length=500)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "url"], name="oparl_alias_unique")]

    def __str__(self) -> str:
        return f"{self.url} -> {self.target_url}"


class FileFetch(models.Model):
    """How copying a file's bytes (`oparl-import --with-files`) went: done, or failed with the reason."""

    class State(models.TextChoices):
        DONE = "done", "geladen"
        FAILED = "failed", "fehlgeschlagen"

    file = models.OneToOneField("files.File", on_delete=models.CASCADE, related_name="oparl_fetch")
    state = models.CharField("Stand", max_length=10, choices=State.choices)
    reason = models.CharField("Grund", max_length=500, blank=True)
    attempts = models.PositiveIntegerField("Versuche", default=0)
    updated = models.DateTimeField("zuletzt", auto_now=True)

    class Meta:
        verbose_name = "Dateiabruf"
        verbose_name_plural = "Dateiabrufe"

    def __str__(self) -> str:
        return f"{self.file_id}: {self.get_state_display()}"  # type: ignore[attr-defined]
