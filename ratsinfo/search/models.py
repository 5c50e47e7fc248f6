"""The search index, the extraction state of files, and search alerts.

One `Document` per searchable object (type + pk). It carries no audience: a search restricts
hits with the same `visible_to(viewer)` querysets as every page (see backends.py), so what a
viewer finds can never differ from what they may open, and a change of visibility needs no
reindex. The term columns hold analysed text (analysis.py); the backends index them: an FTS5
table on SQLite, a generated tsvector column with a GIN index on PostgreSQL (migrations 0002, 0007).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    PAPER = "vorlage", "Vorlage"
    AGENDA_ITEM = "top", "Tagesordnungspunkt"
    MEETING = "sitzung", "Sitzung"
    ORGANIZATION = "gremium", "Gremium"
    PERSON = "person", "Person"
    MEASURE = "massnahme", "Maßnahme"
    FILE = "datei", "Datei"


class Document(models.Model):
    kind = models.CharField("Art", max_length=20, choices=Kind.choices)
    object_id = models.BigIntegerField("Objekt")
    title = models.CharField("Titel", max_length=1000)
    context = models.CharField("Zusammenhang", max_length=1000, blank=True)
    url = models.CharField("Adresse", max_length=500)
    text = models.TextField("Text", blank=True)  # readable text for snippets
    date = models.DateField("Datum", null=True, blank=True)
    year = models.PositiveSmallIntegerField("Jahr", null=True, blank=True)
    paper_type = models.CharField("Vorlagenart", max_length=60, blank=True)
    # Analysed terms (space separated); weights A, B, D (parts), C (exact forms) in both backends.
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    part_terms = models.TextField(blank=True)
    # Inflected forms as written (folded, unstemmed): the exact form typed ranks higher.
    exact_terms = models.TextField(blank=True)
    # Facet values as terms (analysis.filter_terms): filters as index lookups (an FTS5 column; on
    # PostgreSQL lexemes "f:…" of the vector, beside the recency buckets).
    filter_terms = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Suchindex-Eintrag"
        verbose_name_plural = "Suchindex"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once")]
        indexes = [
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["date", "id"]),
            # The newest matches of a year (PostgreSQL walks it backwards; SQLite filters in FTS5).
            models.Index(fields=["year", "id"], name="search_document_year_id"),
            # The newest document of a kind: where a search with that filter starts (PostgreSQL).
            models.Index(fields=["kind", "id"], name="search_document_kind_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class DocumentGremium(models.Model):
    """The Gremien a document belongs to (Beratungsfolge, meeting), for the Gremium filter."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="gremien")
    organization = models.ForeignKey("bodies.Organization", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "organization"], name="search_gremium_once")]
        indexes = [models.Index(fields=["organization", "document"])]

    def __str__(self) -> str:
        return f"{self.document_id} – {self.organization_id}"


class Term(models.Model):
    """Stems seen as words of their own: the vocabulary compound words are split by."""

    stem = models.CharField(max_length=60, unique=True)

    def __str__(self) -> str:
        return self.stem


class Pending(models.Model):
    """An object changed and waits to be (re)indexed. Written in the transaction of the change,
    so an update cannot be lost; removed by whoever indexes it."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.BigIntegerField()
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_pending_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class ExtractionState(models.TextChoices):
    PENDING = "wartet", "wartet"
    DONE = "fertig", "Text gewonnen"
    NO_TEXT = "ohne_text", "ohne Textebene (Scan)"
    OCR = "ocr", "Text per OCR gewonnen"
    FAILED = "fehler", "fehlgeschlagen"


class Extraction(models.Model):
    """Text extraction of one file: state, reason of a failure (shown to staff), the text."""

    file = models.OneToOneField("files.File", on_delete=models.CASCADE, related_name="extraction")
    state = models.CharField("Stand", max_length=20, choices=ExtractionState.choices, default=ExtractionState.PENDING)
    reason = models.CharField("Grund", max_length=500, blank=True)
    text = models.TextField("Text", blank=True)
    pages = models.PositiveIntegerField("Seiten", null=True, blank=True)
    sha512 = models.CharField("SHA-512 des Inhalts", max_length=128, blank=True)
    finished_at = models.DateTimeField("fertig am", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        verbose_name = "Textgewinnung"
        verbose_name_plural = "Textgewinnungen"

    def __str__(self) -> str:
        return f"{self.file_id}: {self.get_state_display()}"


def _token() -> str:
    return secrets.token_urlsafe(24)


class Alert(models.Model):
    """A saved search that mails new matches at most once a day: a visitor's (double opt-in,
    public matches only) or a member's (`user`: what that account may see on the day of sending,
    to the account's address)."""

    email = models.EmailField("E-Mail-Adresse", blank=True)  # a visitor's; a member's is the account's
    user = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, null=True, blank=True, related_name="search_alerts",
        verbose_name="Konto",
    )
    query = models.CharField("Suche", max_length=200)
    token = models.CharField(max_length=64, unique=True, default=_token)
    confirmed_at = models.DateTimeField("bestätigt am", null=True, blank=True)
    created = models.DateTimeField("angelegt", auto_now_add=True)
    last_sent_at = models.DateTimeField("zuletzt verschickt", null=True, blank=True)
    # Highest document id already reported: new matches are those above it.
    last_document_id = models.BigIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = "Suchauftrag"
        verbose_name_plural = "Suchaufträge"
        constraints = [
            models.UniqueConstraint(fields=["email", "query"], condition=Q(user=None), name="search_alert_once"),
            models.UniqueConstraint(fields=["user", "query"], condition=Q(user__isnull=False), name="search_alert_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.email or self.user}: {self.query}"
