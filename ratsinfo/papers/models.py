"""Vorlagen (OParl Paper), their text sections and their Beratungsfolge (Consultation)."""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from ratsinfo.lib.access import Viewer, as_viewer
from ratsinfo.lib.models import OParlObject, OParlQuerySet, RemembersPublication
from ratsinfo.lib.slugs import unique_slug


class PaperType(models.TextChoices):
    BESCHLUSSVORLAGE = "Beschlussvorlage", "Beschlussvorlage"
    MITTEILUNGSVORLAGE = "Mitteilungsvorlage", "Mitteilungsvorlage"
    INFORMATIONSVORLAGE = "Informationsvorlage", "Informationsvorlage"
    ANTRAG = "Antrag", "Antrag"
    AENDERUNGSANTRAG = "Änderungsantrag", "Änderungsantrag"
    ANFRAGE = "Anfrage", "Anfrage"
    ANTWORT = "Antwort", "Antwort auf Anfrage"
    DRINGLICHKEITSVORLAGE = "Dringlichkeitsvorlage", "Dringlichkeitsvorlage"


class PaperState(models.TextChoices):
    ENTWURF = "entwurf", "Entwurf"
    MITZEICHNUNG = "mitzeichnung", "in Mitzeichnung"
    EINGEREICHT = "eingereicht", "eingereicht"  # an Antrag/Anfrage submitted, not yet received
    FREIGEGEBEN = "freigegeben", "freigegeben"
    ZURUECKGEZOGEN = "zurueckgezogen", "zurückgezogen"


def reference_slug(reference: str) -> str:
    """`BV/0240/2021-2026` -> `BV-0240-2021-2026` (keeps case so the reference stays readable)."""
    cleaned = re.sub(r"[^\w-]+", "-", reference.strip(), flags=re.ASCII).strip("-")
    cleaned = re.sub(r"-{2,}", "-", cleaned)
    return cleaned or slugify(reference)


class PaperQuerySet(OParlQuerySet):
    def visible_to(self, viewer: Viewer | None) -> PaperQuerySet:
        viewer = as_viewer(viewer)
        if viewer.sees_everything or viewer.sees_all_papers:
            return self.alive()
        if viewer.is_public:
            return self.filter(Paper.public_q())
        return self.filter(Paper.public_q() | Q(deleted=False, pk__in=Paper.audience_pks(viewer)))

    def administered_by(self, viewer: Viewer) -> PaperQuerySet:
        """Vorlagen the viewer works on in the administration: own drafts, their Fachbereich's, to co-sign."""
        condition = Q(under_direction_of__in=viewer.department_ids) | Q(cosignatures__department__in=viewer.department_ids)
        if viewer.user_id is not None:
            condition |= Q(created_by_id=viewer.user_id)
        if viewer.person_id is not None:
            condition |= Q(cosignatures__person_id=viewer.person_id)
        return self.filter(condition)

    def public(self) -> PaperQuerySet:
        return self.filter(Paper.public_q())

    def of_body(self, body: Any) -> PaperQuerySet:
        """The Vorlagen of one Gemeinde; `None` means those of every Gemeinde of the installation."""
        return self if body is None else self.filter(body=body)


class Paper(RemembersPublication, OParlObject):
    body = models.ForeignKey("bodies.Body", on_delete=models.CASCADE, related_name="papers")
    name = models.CharField("Betreff", max_length=1000)
    reference = models.CharField("Vorlagen-Nr.", max_length=100, blank=True)
    slug = models.SlugField("Adresskürzel", max_length=200, unique=True, allow_unicode=False)
    date = models.DateField("Datum", null=True, blank=True, db_index=True)
    paper_type = models.CharField("Vorlagenart", max_length=60, choices=PaperType.choices, blank=True)
    public = models.BooleanField("öffentlich", default=True)
    state = models.CharField("Bearbeitungsstand", max_length=20, choices=PaperState.choices, default=PaperState.ENTWURF)
    under_direction_of = models.ManyToManyField(
        "bodies.Organization", verbose_name="federführend", blank=True, related_name="papers_in_charge"
    )
    originator_persons = models.ManyToManyField(
        "bodies.Person", verbose_name="Urheber (Personen)", blank=True, related_name="originated_papers"
    )
    originator_organizations = models.ManyToManyField(
        "bodies.Organization", verbose_name="Urheber (Gremien)", blank=True, related_name="originated_papers"
    )
    related_papers = models.ManyToManyField("self", verbose_name="verwandte Vorlagen", blank=True, symmetrical=True)
    superordinated_papers = models.ManyToManyField(
        "self", verbose_name="übergeordnete Vorlagen", blank=True, symmetrical=False, related_name="subordinated_papers"
    )
    license = models.CharField("Lizenz", max_length=300, blank=True)
    created_by = models.ForeignKey(
        "auth.User", verbose_name="verfasst von", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="drafted_papers",
    )
    # Optimistic lock: every workflow step increments it; a save with a stale version is refused.
    version = models.PositiveIntegerField("Bearbeitungsstand-Nr.", default=1)
    # § 58 NKomVG: the Rat decides; the Beratungsfolge must end with the Rat and pass the VA first.
    reserved_to_council = models.BooleanField("dem Rat vorbehalten", default=False)
    follow_up_of = models.ForeignKey(
        "self", verbose_name="Ergänzung zu", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups"
    )
    amends = models.ForeignKey(
        "self", verbose_name="ändert", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    received_on = models.DateField("eingegangen am", null=True, blank=True)
    # When the public version went online: set by the release service (Gemeinde setting "bei der
    # Freigabe") or by the Einladung/Nachtrag that first puts the Vorlage on an agenda; null while a
    # released Vorlage waits for that. Rows written outside the workflow (imports, the generator, the
    # admin) record what happened elsewhere: published when written, unless they say otherwise.
    published_at = models.DateTimeField(
        "veröffentlicht am", null=True, blank=True, default=timezone.now,
        help_text="leer: freigegeben, wird mit der Tagesordnung der ersten Sitzung veröffentlicht",
    )
    # The places a Vorlage concerns (OParl Paper.location): its map and OParl's embedded Locations.
    locations = models.ManyToManyField("bodies.Location", verbose_name="Orte", blank=True, related_name="papers")

    objects = PaperQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[under_direction_of, originator_persons, originator_organizations, locations])

    class Meta:
        verbose_name = "Vorlage"
        verbose_name_plural = "Vorlagen"
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "reference"], condition=~Q(reference=""), name="paper_reference_unique_per_body"
            )
        ]
        indexes = [models.Index(fields=["public", "state", "deleted", "date"])]
        permissions = [
            ("view_all_papers", "Sieht alle Vorlagen einschließlich Entwürfen (Bürgermeister/in)"),
            ("release_paper", "Darf Vorlagen freigeben"),
            ("submit_motion", "Darf Anträge und Anfragen für eine Fraktion oder Gruppe einreichen"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}".strip()

    @staticmethod
    def audience_pks(viewer: Viewer) -> models.QuerySet:
        """Ids of the Vorlagen this viewer sees beyond the public ones.

        The administration (author, federführender Fachbereich, co-signers) sees its Vorlagen in
        every state; members of a Gremium in the Beratungsfolge, and deputies of a meeting that
        treats it, see released non-public Vorlagen.
        """
        administered = Paper.objects.administered_by(viewer).values("pk")
        released = Consultation.objects.of_gremien_of(viewer).filter(paper__state=PaperState.FREIGEGEBEN).values("paper_id")
        return Paper.objects.filter(Q(pk__in=administered) | Q(pk__in=released)).values("pk")

    @staticmethod
    def public_q(prefix: str = "") -> Q:
        """The condition under which a paper is public: the one definition, reused across joins.
        Released and published (with its first meeting's agenda, or at release where so configured)."""
        return Q(
            **{f"{prefix}public": True, f"{prefix}state": PaperState.FREIGEGEBEN, f"{prefix}deleted": False,
               f"{prefix}published_at__isnull": False}
        )

    @property
    def is_public(self) -> bool:
        return self.public and self.state == PaperState.FREIGEGEBEN and not self.deleted and self.published_at is not None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            base = reference_slug(self.reference) if self.reference else slugify(self.name)[:60]
            self.slug = unique_slug(Paper, base or "vorlage", self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:paper", kwargs={"slug": self.slug})

    def publicly_visible_now(self) -> bool:
        return self.is_public

    def mark_dependents_ever_public(self) -> None:
        from ratsinfo.files.models import File

        File.objects.filter(paper_id=self.pk).mark_ever_public()


class PaperSection(models.Model):
    """A headed text section of a Vorlage: Beschlussempfehlung, Sach- und Rechtslage, …"""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField("Reihenfolge")
    heading = models.CharField("Überschrift", max_length=300)
    text = models.TextField("Text", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Abschnitt"
        verbose_name_plural = "Abschnitte"
        ordering = ["paper", "order"]
        constraints = [models.UniqueConstraint(fields=["paper", "order"], name="section_order_unique")]

    def __str__(self) -> str:
        return self.heading

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        Paper.objects.filter(pk=self.paper_id).update(modified=_now())


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


class ConsultationRole(models.TextChoices):
    VORBERATUNG = "Vorberatung", "Vorberatung"
    ENTSCHEIDUNG = "Entscheidung", "Entscheidung"
    KENNTNISNAHME = "Kenntnisnahme", "Kenntnisnahme"
    ANHOERUNG = "Anhörung", "Anhörung"


class ConsultationQuerySet(OParlQuerySet):
    def of_gremien_of(self, viewer: Viewer) -> ConsultationQuerySet:
        """Steps in the viewer's Gremien, or in meetings the viewer stands in for (an id set, not visibility)."""
        return self.filter(Q(organization__in=viewer.gremium_ids) | Q(meeting__in=viewer.deputy_meeting_ids))

    def visible_to(self, viewer: Viewer | None) -> ConsultationQuerySet:
        viewer = as_viewer(viewer)
        if viewer.sees_everything or viewer.sees_all_papers:
            return self.alive()
        if viewer.is_public:
            return self.alive().filter(Paper.public_q("paper__"))
        return self.alive().filter(paper__in=Paper.objects.visible_to(viewer))


class Consultation(OParlObject):
    """One step of a Vorlage's Beratungsfolge."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="consultations")
    organization = models.ForeignKey(
        "bodies.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="consultations"
    )
    agenda_item = models.OneToOneField(
        "meetings.AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="consultation"
    )
    order = models.PositiveIntegerField("Reihenfolge", default=0)
    planned_date = models.DateField("Termin", null=True, blank=True)
    role = models.CharField("Zuständigkeit", max_length=40, choices=ConsultationRole.choices, blank=True)
    authoritative = models.BooleanField("beschließend", default=False)
    license = models.CharField("Lizenz", max_length=300, blank=True)

    objects = ConsultationQuerySet.as_manager()
    history = HistoricalRecords()
    touch_parents = ("paper",)

    class Meta:
        verbose_name = "Beratung"
        verbose_name_plural = "Beratungsfolge"
        ordering = ["paper", "order"]
        indexes = [models.Index(fields=["organization", "planned_date"])]

    def __str__(self) -> str:
        return f"{self.paper.reference}: {self.organization} ({self.role})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.role == ConsultationRole.ENTSCHEIDUNG:
            self.authoritative = True
        super().save(*args, **kwargs)


class CosignatureState(models.TextChoices):
    REQUESTED = "angefragt", "angefragt"
    SIGNED = "mitgezeichnet", "mitgezeichnet"
    RETURNED = "zurueckgegeben", "zurückgegeben"
    INVALIDATED = "ungueltig", "ungültig (Text nach der Mitzeichnung geändert)"


class Cosignature(models.Model):
    """A co-signing request (Mitzeichnung) of a draft: a Fachbereich or a named person."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="cosignatures")
    department = models.ForeignKey(
        "bodies.Organization", verbose_name="Fachbereich", null=True, blank=True, on_delete=models.PROTECT,
        related_name="cosignatures",
    )
    person = models.ForeignKey(
        "bodies.Person", verbose_name="Person", null=True, blank=True, on_delete=models.PROTECT,
        related_name="cosignatures",
    )
    state = models.CharField("Stand", max_length=20, choices=CosignatureState.choices, default=CosignatureState.REQUESTED)
    comment = models.TextField("Anmerkung", blank=True)
    decided_at = models.DateTimeField("entschieden am", null=True, blank=True)
    decided_by = models.ForeignKey(
        "auth.User", verbose_name="entschieden von", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Mitzeichnung"
        verbose_name_plural = "Mitzeichnungen"
        ordering = ["paper", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False) | Q(person__isnull=False), name="cosignature_has_signer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.paper}: {self.department or self.person} ({self.get_state_display()})"


class PaperEventAction(models.TextChoices):
    CREATED = "angelegt", "Entwurf angelegt"
    CHANGED = "geaendert", "Entwurf geändert"
    PLANNED = "beratungsfolge", "Beratungsfolge geplant"
    SENT = "mitzeichnung", "zur Mitzeichnung gesandt"
    SIGNED = "mitgezeichnet", "mitgezeichnet"
    RETURNED = "zurueckgegeben", "mit Anmerkung zurückgegeben"
    INVALIDATED = "ungueltig", "Mitzeichnung ungültig"
    NUMBERED = "nummeriert", "Nummer vergeben"
    RELEASED = "freigegeben", "freigegeben"
    WITHDRAWN = "zurueckgezogen", "zurückgezogen"
    FOLLOW_UP = "ergaenzung", "Ergänzungsvorlage angelegt"
    SUBMITTED = "eingereicht", "eingereicht"
    RECEIVED = "eingegangen", "eingegangen und nummeriert"
    FILE_ADDED = "anlage", "Anlage hinzugefügt"
    IMPORTED = "importiert", "importiert"
    PLACES = "orte", "Orte geändert"


class PaperEvent(models.Model):
    """One step in a Vorlage's life: who did what when, with a comment (shown to staff only)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("Schritt", max_length=30, choices=PaperEventAction.choices)
    actor = models.ForeignKey(
        "auth.User", verbose_name="von", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("am", default=_now, db_index=True)
    comment = models.TextField("Anmerkung", blank=True)
    version = models.PositiveIntegerField("Bearbeitungsstand-Nr.", default=1)

    class Meta:
        verbose_name = "Verlaufseintrag"
        verbose_name_plural = "Verlauf"
        ordering = ["paper", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%d.%m.%Y %H:%M})"


class PublicationMoment(models.TextChoices):
    WITH_AGENDA = "tagesordnung", "mit der Tagesordnung ihrer ersten Sitzung (Einladung oder Nachtrag)"
    AT_RELEASE = "freigabe", "bei der Freigabe"


class PaperSettings(models.Model):
    """Settings of the Vorlagen workflow per Gemeinde (without a row: the defaults)."""

    body = models.OneToOneField(
        "bodies.Body", on_delete=models.CASCADE, related_name="paper_settings", verbose_name="Gemeinde"
    )
    publish = models.CharField(
        "öffentliche Vorlagen veröffentlichen", max_length=20, choices=PublicationMoment.choices,
        default=PublicationMoment.WITH_AGENDA,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Einstellungen der Vorlagen"
        verbose_name_plural = "Einstellungen der Vorlagen"

    def __str__(self) -> str:
        return f"Vorlagen: {self.body}"

    @staticmethod
    def publishes_at_release(body_id: int) -> bool:
        settings = PaperSettings.objects.filter(body_id=body_id).first()
        return settings is not None and settings.publish == PublicationMoment.AT_RELEASE


class NumberAssignment(models.TextChoices):
    AT_RELEASE = "freigabe", "bei der Freigabe"
    AT_CREATION = "anlage", "beim Anlegen"


class NumberPattern(models.Model):
    """How the Vorlagen of one type are numbered in a Gemeinde (`BV/{number:04}/{term}`)."""

    body = models.ForeignKey("bodies.Body", on_delete=models.CASCADE, related_name="number_patterns")
    paper_type = models.CharField("Vorlagenart", max_length=60, choices=PaperType.choices)
    pattern = models.CharField(
        "Muster", max_length=100, help_text="Platzhalter {number:04} (laufende Nummer) und {term} (Wahlperiode)"
    )
    assign_at = models.CharField(
        "Nummer vergeben", max_length=20, choices=NumberAssignment.choices, default=NumberAssignment.AT_RELEASE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Nummernkreis"
        verbose_name_plural = "Nummernkreise"
        constraints = [models.UniqueConstraint(fields=["body", "paper_type"], name="number_pattern_unique_per_type")]

    def __str__(self) -> str:
        return f"{self.paper_type}: {self.pattern}"


class NumberCounter(models.Model):
    """The last number given per (Gemeinde, type, Wahlperiode); its row is locked while numbering."""

    body = models.ForeignKey("bodies.Body", on_delete=models.CASCADE, related_name="+")
    paper_type = models.CharField("Vorlagenart", max_length=60, choices=PaperType.choices)
    term = models.ForeignKey("bodies.LegislativeTerm", on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField("zuletzt vergeben", default=0)

    class Meta:
        verbose_name = "Nummernzähler"
        verbose_name_plural = "Nummernzähler"
        constraints = [
            models.UniqueConstraint(fields=["body", "paper_type", "term"], name="number_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.paper_type} {self.term}: {self.last_number}"
