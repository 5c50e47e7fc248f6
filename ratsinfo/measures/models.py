"""Der lebende Maßnahmenplan (sozialer Maßnahmenplan / integriertes Handlungskonzept).

Fördergebiet → Maßnahmenplan → Handlungsfelder → Ziele → Maßnahmen. Every decision that
creates a measure, changes its priority or status or adopts the plan is a `MeasureDecision`
pointing to the agenda item (of a Sozialträgerkonferenz, Arbeitsgruppe, Projektsteuerungsgruppe
or council body) that caused it. A `PlanEdition` (Fortschreibung) is an immutable snapshot.

Actors are `bodies.Organization` rows: the actors' bodies with their own meetings use the kinds
SOZIALTRAEGERKONFERENZ, ARBEITSGRUPPE, PROJEKTSTEUERUNGSGRUPPE; Quartiersmanagement,
Sanierungsträger, Vereine, Wohlfahrtsverbände, Schulen are EXTERN; the Verwaltung and the
Integrationsbeauftragte are VERWALTUNG.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ratsinfo.lib.access import Viewer, as_viewer, has_active_perm
from ratsinfo.lib.models import OParlObject, OParlQuerySet

EDIT_PERMISSION = "measures.change_measure"


def can_edit_measures(user: Any) -> bool:
    """The Quartiersmanagement (and administrators): roles with measures.change_measure edit plans."""
    return has_active_perm(user, EDIT_PERMISSION)


def sees_unpublished_plans(viewer: Viewer | None) -> bool:
    viewer = as_viewer(viewer)
    return viewer.edits_measures or viewer.sees_everything


class MeasureStatus(models.TextChoices):
    IDEE = "idee", "Idee"
    GEPLANT = "geplant", "geplant"
    ANGESCHOBEN = "angeschoben", "angeschoben"
    LAUFEND = "laufend", "laufend"
    UMGESETZT = "umgesetzt", "umgesetzt"
    VERSTETIGT = "verstetigt", "verstetigt"
    VERWORFEN = "verworfen", "verworfen"


class Priority(models.IntegerChoices):
    HOCH = 1, "hoch"
    MITTEL = 2, "mittel"
    NIEDRIG = 3, "niedrig"


PRIORITY_OPEN_LABEL = "offen"


class FundingSource(models.TextChoices):
    STAEDTEBAUFOERDERUNG = "staedtebaufoerderung", "Städtebauförderung"
    VERFUEGUNGSFONDS = "verfuegungsfonds", "Verfügungsfonds"
    ANDERE_PROGRAMME = "andere_programme", "andere Förderprogramme"
    EIGENMITTEL = "eigenmittel", "Eigenmittel der Gemeinde"
    DRITTE = "dritte", "Mittel Dritter"


class IndicatorKind(models.TextChoices):
    INPUT = "input", "Input"
    OUTPUT = "output", "Output"
    KONTEXT = "kontext", "Kontext"


class DecisionKind(models.TextChoices):
    CREATE = "create", "Maßnahme aufgenommen"
    PRIORITY = "priority", "Priorität geändert"
    STATUS = "status", "Status geändert"
    ADOPT = "adopt", "Plan beschlossen (Fortschreibung)"
    NOTE = "note", "Fortschreibung zur Kenntnis genommen"
    REMOVE = "remove", "aus dem Plan genommen"
    OTHER = "other", "sonstiger Beschluss zur Maßnahme"


# ---------------------------------------------------------------------------------------------
# Querysets: the one place that decides visibility.


class PlanQuerySet(OParlQuerySet):
    def visible_to(self, viewer: Viewer | None) -> Any:
        if sees_unpublished_plans(viewer):
            return self.alive()
        return self.filter(Plan.public_q())


class _HangsOnPlanQuerySet(OParlQuerySet):
    def visible_to(self, viewer: Viewer | None) -> Any:
        return self.alive().filter(plan__in=Plan.objects.visible_to(viewer))


class MeasureQuerySet(_HangsOnPlanQuerySet):
    def for_table(self) -> MeasureQuerySet:
        """Everything the plan table shows, in a fixed number of queries."""
        from django.db.models import OuterRef, Subquery, Sum, Value
        from django.db.models.functions import Coalesce

        costs = (
            MeasureFunding.objects.filter(measure=OuterRef("pk"))
            .values("measure")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return (
            self.select_related("action_field", "goal", "lead_actor", "plan")
            .prefetch_related("partners", "building_measures")
            .annotate(
                total_cost=Coalesce(
                    Subquery(costs, output_field=models.DecimalField(max_digits=14, decimal_places=2)),
                    Value(Decimal("0")),
                    output_field=models.DecimalField(max_digits=14, decimal_places=2),
                )
            )
            .order_by("action_field__order", "number", "pk")
        )


class EditionQuerySet(_HangsOnPlanQuerySet):
    def visible_to(self, viewer: Viewer | None) -> Any:
        # A draft edition (no deciding item yet) is work in progress of the Quartiersmanagement.
        editions = super().visible_to(viewer)
        return editions if sees_unpublished_plans(viewer) else editions.filter(is_draft=False)

    def in_force(self) -> Any:
        """Adopted editions, newest first: the first one is the edition in force."""
        return self.alive().filter(is_draft=False).order_by("-edition_date", "-pk")


class DecisionQuerySet(_HangsOnPlanQuerySet):
    def visible_to(self, viewer: Viewer | None) -> Any:
        from ratsinfo.meetings.models import AgendaItem

        # A decision taken in a non-public agenda item is not shown at all to the public.
        return super().visible_to(viewer).filter(agenda_item__in=AgendaItem.objects.visible_to(viewer))


# ---------------------------------------------------------------------------------------------


class FundingArea(OParlObject):
    """Fördergebiet der Städtebauförderung, e.g. „Quartier Wildeshauser Straße“."""

    body = models.ForeignKey("bodies.Body", on_delete=models.CASCADE, related_name="funding_areas")
    name = models.CharField("Name", max_length=300)
    programme = models.CharField("Förderprogramm", max_length=300, blank=True)
    description = models.TextField("Gebietsbeschreibung", blank=True)
    area_ha = models.DecimalField("Fläche (ha)", max_digits=8, decimal_places=1, null=True, blank=True)
    inhabitants = models.PositiveIntegerField("Einwohnerinnen und Einwohner", null=True, blank=True)
    funding_start = models.DateField("Beginn der Förderung", null=True, blank=True)

    objects = OParlQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Fördergebiet"
        verbose_name_plural = "Fördergebiete"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BuildingMeasure(OParlObject):
    """Bauliche Maßnahme des ISEK (with cost and schedule)."""

    funding_area = models.ForeignKey(FundingArea, on_delete=models.CASCADE, related_name="building_measures")
    number = models.CharField("ISEK-Nr.", max_length=20)
    title = models.CharField("Titel", max_length=300)
    description = models.TextField("Beschreibung", blank=True)
    cost = models.DecimalField("Kosten (EUR)", max_digits=14, decimal_places=2, default=Decimal("0"))
    funding_share = models.DecimalField(
        "davon Städtebauförderung (EUR)", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    start_year = models.PositiveSmallIntegerField("Beginn (Jahr)", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField("Ende (Jahr)", null=True, blank=True)
    state = models.CharField("Stand", max_length=200, blank=True)

    objects = OParlQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bauliche Maßnahme"
        verbose_name_plural = "bauliche Maßnahmen"
        ordering = ["funding_area", "number"]
        constraints = [
            models.UniqueConstraint(fields=["funding_area", "number"], name="building_measure_number_unique"),
            models.CheckConstraint(condition=Q(funding_share__lte=models.F("cost")), name="building_share_le_cost"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def schedule(self) -> str:
        if self.start_year and self.end_year and self.start_year != self.end_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year or self.end_year or "")


class Plan(OParlObject):
    """Maßnahmenplan of a funding area."""

    funding_area = models.ForeignKey(FundingArea, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField("Titel", max_length=300)
    slug = models.SlugField("Adresskürzel", max_length=200, unique=True)
    description = models.TextField("Beschreibung", blank=True)
    published = models.BooleanField("veröffentlicht", default=False)
    lead_actor = models.ForeignKey(
        "bodies.Organization", verbose_name="federführend", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    bodies = models.ManyToManyField(
        "bodies.Organization", verbose_name="beschließende Gremien", blank=True, related_name="measure_plans",
        help_text="Gremien, deren Beschlüsse den Plan ändern (Sozialträgerkonferenz, Arbeitsgruppen, Ausschuss …)",
    )
    basis_agenda_item = models.ForeignKey(
        "meetings.AgendaItem", verbose_name="Grundsatzbeschluss", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Maßnahmenplan"
        verbose_name_plural = "Maßnahmenpläne"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def public_q(prefix: str = "") -> Q:
        return Q(**{f"{prefix}published": True, f"{prefix}deleted": False})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            from django.utils.text import slugify

            from ratsinfo.lib.slugs import unique_slug

            self.slug = unique_slug(Plan, slugify(self.title) or "plan", self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("measures:plan", kwargs={"slug": self.slug})


class ActionField(models.Model):
    """Handlungsfeld (Wohnen; Soziales; Freizeit und Kultur; Gesundheit und Sicherheit)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="action_fields")
    name = models.CharField("Name", max_length=200)
    order = models.PositiveIntegerField("Reihenfolge", default=0)
    description = models.TextField("Beschreibung", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Handlungsfeld"
        verbose_name_plural = "Handlungsfelder"
        ordering = ["plan", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="action_field_name_unique")]

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    action_field = models.ForeignKey(ActionField, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField("Ziel", max_length=300)
    order = models.PositiveIntegerField("Reihenfolge", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Ziel"
        verbose_name_plural = "Ziele"
        ordering = ["action_field", "order", "title"]

    def __str__(self) -> str:
        return self.title


class Measure(OParlObject):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    number = models.CharField("Nr.", max_length=20, blank=True)
    title = models.CharField("Titel", max_length=300)
    description = models.TextField("Beschreibung", blank=True)
    target_group = models.CharField("Zielgruppe", max_length=300, blank=True)
    action_field = models.ForeignKey(
        ActionField, verbose_name="Handlungsfeld", on_delete=models.PROTECT, related_name="measures"
    )
    goal = models.ForeignKey(Goal, verbose_name="Ziel", null=True, blank=True, on_delete=models.SET_NULL, related_name="measures")
    lead_actor = models.ForeignKey(
        "bodies.Organization", verbose_name="federführend", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="led_measures",
    )
    partners = models.ManyToManyField(
        "bodies.Organization", verbose_name="Partner", blank=True, related_name="partner_measures"
    )
    building_measures = models.ManyToManyField(
        BuildingMeasure, verbose_name="bauliche Maßnahmen (ISEK)", blank=True, related_name="measures"
    )
    start_date = models.DateField("Beginn", null=True, blank=True)
    end_date = models.DateField("Ende", null=True, blank=True)
    permanent = models.BooleanField("Daueraufgabe", default=False)
    priority = models.PositiveSmallIntegerField("Priorität", choices=Priority.choices, null=True, blank=True)
    status = models.CharField("Status", max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.IDEE)
    origin_agenda_item = models.ForeignKey(
        "meetings.AgendaItem", verbose_name="Herkunft (Beschluss)", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    origin_note = models.CharField("Herkunft", max_length=300, blank=True, help_text="z. B. „Ideenwerkstatt 07.07.2021“")
    location = models.ForeignKey(
        "bodies.Location", verbose_name="Ort", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Ort im Quartier; mit Koordinaten erscheint die Maßnahme auf der Karte",
    )

    objects = MeasureQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[partners, building_measures])

    class Meta:
        verbose_name = "Maßnahme"
        verbose_name_plural = "Maßnahmen"
        ordering = ["plan", "number", "pk"]
        indexes = [models.Index(fields=["plan", "status"]), models.Index(fields=["plan", "priority"])]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], condition=~Q(number=""), name="measure_number_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="measure_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("measures:measure", kwargs={"slug": self.plan.slug, "pk": self.pk})

    @property
    def priority_label(self) -> str:
        return self.get_priority_display() if self.priority else PRIORITY_OPEN_LABEL

    @property
    def period_label(self) -> str:
        if self.permanent:
            start = f"seit {self.start_date:%m/%Y}, " if self.start_date else ""
            return f"{start}Daueraufgabe"
        if self.start_date and self.end_date:
            return f"{self.start_date:%m/%Y}–{self.end_date:%m/%Y}"
        if self.start_date:
            return f"ab {self.start_date:%m/%Y}"
        if self.end_date:
            return f"bis {self.end_date:%m/%Y}"
        return ""


class MeasureFunding(models.Model):
    """One line of the Kosten- und Finanzierungsübersicht: source, year, amount."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField("Finanzierung", max_length=30, choices=FundingSource.choices)
    programme = models.CharField("Programm", max_length=200, blank=True, help_text="z. B. „Gute Nachbarschaft“")
    year = models.PositiveSmallIntegerField("Jahr")
    amount = models.DecimalField("Betrag (EUR)", max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Finanzierungsanteil"
        verbose_name_plural = "Finanzierung"
        ordering = ["measure", "year", "source"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.year}: {self.amount} EUR"


class Indicator(models.Model):
    """Monitoring indicator (input, output, context as in the federal monitoring)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField("Art", max_length=10, choices=IndicatorKind.choices)
    name = models.CharField("Indikator", max_length=300)
    unit = models.CharField("Einheit", max_length=50, blank=True)
    target_value = models.DecimalField("Zielwert", max_digits=14, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Indikator"
        verbose_name_plural = "Indikatoren"
        ordering = ["measure", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField("Jahr")
    target_value = models.DecimalField("Soll", max_digits=14, decimal_places=2, null=True, blank=True)
    actual_value = models.DecimalField("Ist", max_digits=14, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Indikatorwert"
        verbose_name_plural = "Indikatorwerte"
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="indicator_value_year_unique")]

    def __str__(self) -> str:
        return f"{self.year}: Soll {self.target_value}, Ist {self.actual_value}"


class ImmutableEditionError(Exception):
    pass


class PlanEdition(models.Model):
    """Fortschreibung: a dated, named, immutable snapshot of the whole plan."""

    FROZEN_FIELDS = ("plan_id", "name", "edition_date", "snapshot")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="editions")
    name = models.CharField("Bezeichnung", max_length=200)
    edition_date = models.DateField("Stand")
    snapshot = models.JSONField("Inhalt")
    adopted_by = models.ForeignKey(
        "meetings.AgendaItem", verbose_name="beschlossen durch", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # The only thing that may be added later: that a council body took note of the edition.
    noted_by = models.ForeignKey(
        "meetings.AgendaItem", verbose_name="zur Kenntnis genommen durch", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # Set by "Fortschreibung anlegen" without a deciding item; cleared only by `services.adopt_draft_edition`.
    is_draft = models.BooleanField("Entwurf (noch nicht beschlossen)", default=False)
    created = models.DateTimeField("angelegt", auto_now_add=True)
    deleted = models.BooleanField(default=False, editable=False)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = "Fortschreibung"
        verbose_name_plural = "Fortschreibungen"
        ordering = ["plan", "-edition_date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="edition_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.edition_date:%d.%m.%Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            stored = PlanEdition.objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first()
            if stored is not None and any(stored[f] != getattr(self, f) for f in self.FROZEN_FIELDS):
                raise ImmutableEditionError("Eine Fortschreibung ist unveränderlich.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("measures:edition", kwargs={"slug": self.plan.slug, "pk": self.pk})

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableEditionError("Eine Fortschreibung kann nicht gelöscht werden.")

    @property
    def measures(self) -> list[dict[str, Any]]:
        return list(self.snapshot.get("measures", []))


class MeasureDecision(models.Model):
    """A decision of a body about the plan, with the agenda item that caused it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="decisions")
    measure = models.ForeignKey(Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions")
    edition = models.ForeignKey(PlanEdition, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey("meetings.AgendaItem", on_delete=models.PROTECT, related_name="measure_decisions")
    kind = models.CharField("Art", max_length=20, choices=DecisionKind.choices)
    old_value = models.CharField("vorher", max_length=200, blank=True)
    new_value = models.CharField("nachher", max_length=200, blank=True)
    note = models.TextField("Vermerk", blank=True)
    decided_on = models.DateField("Datum", null=True, blank=True)
    recorded_at = models.DateTimeField("erfasst", auto_now_add=True)
    recorded_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    deleted = models.BooleanField(default=False, editable=False)

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Beschluss zum Maßnahmenplan"
        verbose_name_plural = "Beschlüsse zum Maßnahmenplan"
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.old_value} → {self.new_value}"
