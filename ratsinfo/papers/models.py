"""Vorlagen (OParl Paper), their text sections and their Beratungsfolge (Consultation)."""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from ratsinfo.lib.access import sees_nonpublic
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
    FREIGEGEBEN = "freigegeben", "freigegeben"
    ZURUECKGEZOGEN = "zurueckgezogen", "zurückgezogen"


def reference_slug(reference: str) -> str:
    """`BV/0240/2021-2026` -> `BV-0240-2021-2026` (keeps case so the reference stays readable)."""
    cleaned = re.sub(r"[^\w-]+", "-", reference.strip(), flags=re.ASCII).strip("-")
    cleaned = re.sub(r"-{2,}", "-", cleaned)
    return cleaned or slugify(reference)


class PaperQuerySet(OParlQuerySet):
    def visible_to(self, user: Any) -> PaperQuerySet:
        if sees_nonpublic(user):
            return self.alive()
        return self.filter(Paper.public_q())

    def public(self) -> PaperQuerySet:
        return self.filter(Paper.public_q())


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

    objects = PaperQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[under_direction_of, originator_persons, originator_organizations])

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

    def __str__(self) -> str:
        return f"{self.reference} {self.name}".strip()

    @staticmethod
    def public_q(prefix: str = "") -> Q:
        """The condition under which a paper is public: the one definition, reused across joins."""
        return Q(
            **{f"{prefix}public": True, f"{prefix}state": PaperState.FREIGEGEBEN, f"{prefix}deleted": False}
        )

    @property
    def is_public(self) -> bool:
        return self.public and self.state == PaperState.FREIGEGEBEN and not self.deleted

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
    def visible_to(self, user: Any) -> ConsultationQuerySet:
        if sees_nonpublic(user):
            return self.alive()
        return self.alive().filter(Paper.public_q("paper__"))


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
