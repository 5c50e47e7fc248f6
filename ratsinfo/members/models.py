"""Mein Ratsinfo: what belongs to one member only — visits, replies, notes, settings, bundles, drafts.

Nothing here widens what a member sees: every list is cut by `visible_to(viewer)` in the services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class LastVisit(models.Model):
    """When the member looked last: the start page shows what is new since `previous`."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="members_visit")
    previous = models.DateTimeField("vorheriger Besuch", null=True, blank=True)
    current = models.DateTimeField("letzter Besuch")

    class Meta:
        verbose_name = "letzter Besuch"
        verbose_name_plural = "letzte Besuche"

    def __str__(self) -> str:
        return f"{self.user}: {self.current:%d.%m.%Y %H:%M}"


class Answer(models.TextChoices):
    ZUSAGE = "zusage", "zugesagt"
    ABSAGE = "absage", "abgesagt"


class Note(models.Model):
    """A private note on a Vorlage (shown wherever it is on an agenda) or on one agenda item."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_notes")
    paper = models.ForeignKey("papers.Paper", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField("Notiz", max_length=20_000)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "persönliche Notiz"
        verbose_name_plural = "persönliche Notizen"
        ordering = ["-modified", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(paper__isnull=False) & Q(agenda_item__isnull=True))
                | (Q(paper__isnull=True) & Q(agenda_item__isnull=False)),
                name="note_on_paper_or_item",
            ),
            models.UniqueConstraint(fields=["author", "paper"], condition=Q(paper__isnull=False), name="note_once_per_paper"),
            models.UniqueConstraint(
                fields=["author", "agenda_item"], condition=Q(agenda_item__isnull=False), name="note_once_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"Notiz von {self.author_id}"


class MemberSettings(models.Model):
    """Which e-mails a member wants, and the hashed secret of the personal calendar feed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_settings")
    notify_invitations = models.BooleanField("neue Einladung oder Nachtrag für meine Gremien", default=True)
    notify_documents = models.BooleanField("neue Unterlagen zu meinen Sitzungen", default=True)
    notify_papers = models.BooleanField("neue Vorlage in Gremien, denen ich folge", default=False)
    digest = models.BooleanField("einmal täglich gesammelt statt einzeln", default=False)
    followed = models.ManyToManyField("bodies.Organization", verbose_name="Gremien, denen ich folge", blank=True)
    # Everything created after this moment is still to be notified.
    notified_until = models.DateTimeField("benachrichtigt bis")
    feed_token_hash = models.CharField("Kalender-Schlüssel (SHA-256)", max_length=64, blank=True, db_index=True)
    feed_token_created = models.DateTimeField("Kalender-Schlüssel erstellt", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["feed_token_hash", "notified_until"])

    class Meta:
        verbose_name = "Einstellungen (Mein Ratsinfo)"
        verbose_name_plural = "Einstellungen (Mein Ratsinfo)"

    def __str__(self) -> str:
        return f"Einstellungen von {self.user}"


class Bundle(models.Model):
    """A built Sitzungsmappe for one audience: the meeting plus exactly the files that audience sees."""

    key = models.CharField("Schlüssel", max_length=64, unique=True)
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="+")
    pdf = models.CharField("PDF (Ablage)", max_length=255)
    # [[first page, last page], …] (0-based, inclusive) of non-public documents: stamped on download.
    nonpublic_pages = models.JSONField("nichtöffentliche Seiten", default=list)
    # [{"name": …, "file_id": …, "public": …}, …] in agenda order: the ZIP's entries.
    entries = models.JSONField("Einträge", default=list)
    pages = models.PositiveIntegerField("Seiten", default=0)
    built_at = models.DateTimeField("erstellt am", auto_now_add=True)
    build_seconds = models.FloatField("Dauer in Sekunden", default=0)

    class Meta:
        verbose_name = "Sitzungsmappe"
        verbose_name_plural = "Sitzungsmappen"

    def __str__(self) -> str:
        return f"Sitzungsmappe {self.meeting_id} ({self.pages} Seiten)"


class MotionState(models.TextChoices):
    ENTWURF = "entwurf", "Entwurf"
    EINGEREICHT = "eingereicht", "eingereicht"


class MotionKind(models.TextChoices):
    ANTRAG = "Antrag", "Antrag (§ 56 NKomVG)"
    ANFRAGE = "Anfrage", "Anfrage (§ 56 Satz 2 NKomVG)"


class MotionDraft(models.Model):
    """An Antrag or Anfrage prepared in a Fraktion/Gruppe until it is submitted as a Vorlage."""

    kind = models.CharField("Art", max_length=20, choices=MotionKind.choices, default=MotionKind.ANTRAG)
    group = models.ForeignKey("bodies.Organization", verbose_name="Fraktion/Gruppe", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("Betreff", max_length=500)
    text = models.TextField("Antrags- bzw. Fragetext", max_length=20_000)
    reasoning = models.TextField("Begründung", blank=True, max_length=20_000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="verfasst von", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("Stand", max_length=20, choices=MotionState.choices, default=MotionState.ENTWURF)
    paper = models.OneToOneField("papers.Paper", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Antrag/Anfrage (Entwurf)"
        verbose_name_plural = "Anträge/Anfragen (Entwürfe)"
        ordering = ["-modified", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class MotionSignature(models.Model):
    """A co-signature (Mitzeichnung) of a draft by a member of the same Fraktion/Gruppe."""

    draft = models.ForeignKey(MotionDraft, on_delete=models.CASCADE, related_name="signatures")
    person = models.ForeignKey("bodies.Person", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("mitgezeichnet am")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Mitzeichnung"
        verbose_name_plural = "Mitzeichnungen"
        constraints = [models.UniqueConstraint(fields=["draft", "person"], name="motion_signed_once")]

    def __str__(self) -> str:
        return f"{self.person_id} zeichnet {self.draft_id} mit"
