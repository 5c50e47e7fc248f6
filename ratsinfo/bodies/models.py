"""Gemeinde (Body), Wahlperiode, Gremien (Organization), Personen, Mitgliedschaften, Orte."""

from __future__ import annotations

from typing import Any, Self

from django.apps import apps
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from ratsinfo.lib.access import Viewer, as_viewer
from ratsinfo.lib.models import OParlObject, OParlQuerySet
from ratsinfo.lib.slugs import german_slug, unique_slug


class PublicRecordQuerySet(OParlQuerySet):
    """Council structure (bodies, people, memberships, places) is public information."""

    def visible_to(self, viewer: Viewer | None) -> Self:
        as_viewer(viewer)
        return self.alive()


class LocationQuerySet(PublicRecordQuerySet):
    """Places are public, except one that only Vorlagen the viewer may not see name (a plot in a land deal)."""

    def visible_to(self, viewer: Viewer | None) -> Self:
        viewer = as_viewer(viewer)
        if viewer.sees_everything or viewer.sees_all_papers:
            return self.alive()
        paper_model = apps.get_model("papers", "Paper")
        links = paper_model.locations.through.objects.filter(location_id=OuterRef("pk"))
        seen = Q(Exists(links.filter(paper__in=paper_model.objects.visible_to(viewer)))) | ~Q(Exists(links))
        # Every other use of a place is public (Gemeinde, Gremien, Personen, Sitzungen, Maßnahmen).
        for label in ("bodies.Body", "bodies.Organization", "bodies.Person", "meetings.Meeting", "measures.Measure"):
            seen |= Q(Exists(apps.get_model(label)._default_manager.filter(location_id=OuterRef("pk"))))
        return self.alive().filter(seen)


class BodyRecordQuerySet(PublicRecordQuerySet):
    """Records that belong to one Gemeinde (`body`): Gremien, Personen."""

    def of_body(self, body: Body | None) -> Self:
        """The records of one Gemeinde; `None` means those of every Gemeinde of the installation."""
        return self if body is None else self.filter(body=body)


class BodyQuerySet(PublicRecordQuerySet):
    def holding(self, meeting: Any) -> Self:
        """The Gemeinden whose Gremien hold this Sitzung (a joint meeting may have several)."""
        return self.filter(organizations__meetings=meeting).distinct().order_by("pk")


class Location(OParlObject):
    description = models.CharField("Beschreibung", max_length=500, blank=True)
    street_address = models.CharField("Straße und Hausnummer", max_length=200, blank=True)
    room = models.CharField("Raum", max_length=200, blank=True)
    postal_code = models.CharField("Postleitzahl", max_length=10, blank=True)
    sub_locality = models.CharField("Ortsteil", max_length=200, blank=True)
    locality = models.CharField("Ort", max_length=200, blank=True)
    geojson = models.JSONField("GeoJSON", null=True, blank=True)

    objects = LocationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Ort"
        verbose_name_plural = "Orte"

    def __str__(self) -> str:
        parts = [self.description, self.room, self.street_address, self.locality]
        return ", ".join(p for p in parts if p) or f"Ort {self.pk}"


class Body(OParlObject):
    name = models.CharField("Name", max_length=300)
    short_name = models.CharField("Kurzname", max_length=100, blank=True)
    # The address of the Gemeinde's own portal pages (/gemeinden/<slug>/) where one installation serves several.
    slug = models.SlugField("Adresskürzel", max_length=200, unique=True)
    website = models.URLField("Website", blank=True)
    license = models.CharField("Lizenz", max_length=300, blank=True)
    license_valid_since = models.DateTimeField("Lizenz gültig seit", null=True, blank=True)
    oparl_since = models.DateTimeField("OParl seit", null=True, blank=True)
    ags = models.CharField("Amtlicher Gemeindeschlüssel", max_length=8, blank=True)
    rgs = models.CharField("Regionalschlüssel", max_length=12, blank=True)
    equivalent = models.JSONField("Äquivalente URLs", default=list, blank=True)
    contact_email = models.EmailField("Kontakt-E-Mail", blank=True)
    contact_name = models.CharField("Kontakt", max_length=200, blank=True)
    classification = models.CharField("Art", max_length=100, blank=True, default="Gemeinde")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Letterhead of documents the Gemeinde publishes (the Maßnahmenplan's Beschlussanlage).
    letterhead = models.TextField(
        "Briefkopf", blank=True, help_text="Zeilen unter dem Namen, z. B. Fachbereich, Anschrift, Telefon, Internet"
    )
    logo = models.FileField(
        "Logo oder Wappen (PNG, JPG oder SVG)", upload_to="gemeinde/", blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "svg"])],
    )

    objects = BodyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Gemeinde"
        verbose_name_plural = "Gemeinden"
        permissions = [("view_all", "Sieht alle Datensätze, auch nichtöffentliche und Entwürfe (Sitzungsdienst)")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Body, german_slug(self.short_name or self.name) or "gemeinde", self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:gemeinde_home", kwargs={"slug": self.slug})


class LegislativeTerm(OParlObject):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="legislative_terms")
    name = models.CharField("Name", max_length=200)
    start_date = models.DateField("Beginn", null=True, blank=True)
    end_date = models.DateField("Ende", null=True, blank=True)

    objects = PublicRecordQuerySet.as_manager()
    history = HistoricalRecords()
    touch_parents = ("body",)

    class Meta:
        verbose_name = "Wahlperiode"
        verbose_name_plural = "Wahlperioden"
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="term_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationKind(models.TextChoices):
    RAT = "rat", "Rat"
    VERWALTUNGSAUSSCHUSS = "verwaltungsausschuss", "Verwaltungsausschuss"
    FACHAUSSCHUSS = "fachausschuss", "Fachausschuss"
    ORTSRAT = "ortsrat", "Ortsrat"
    FRAKTION = "fraktion", "Fraktion"
    GRUPPE = "gruppe", "Gruppe"
    VERWALTUNG = "verwaltung", "Verwaltung"
    FACHBEREICH = "fachbereich", "Fachbereich"
    SOZIALTRAEGERKONFERENZ = "sozialtraegerkonferenz", "Sozialträgerkonferenz"
    ARBEITSGRUPPE = "arbeitsgruppe", "Arbeitsgruppe"
    PROJEKTSTEUERUNGSGRUPPE = "projektsteuerungsgruppe", "Projektsteuerungsgruppe"
    EXTERN = "extern", "Externe Stelle"
    SONSTIGE = "sonstige", "Sonstiges Gremium"


# OParl's organizationType for each kind (spec: Gremium, Fraktion, Verwaltungsbereich,
# externes Gremium, Institution, Sonstiges).
OPARL_ORGANIZATION_TYPE = {
    OrganizationKind.RAT: "Gremium",
    OrganizationKind.VERWALTUNGSAUSSCHUSS: "Gremium",
    OrganizationKind.FACHAUSSCHUSS: "Gremium",
    OrganizationKind.ORTSRAT: "Gremium",
    OrganizationKind.FRAKTION: "Fraktion",
    OrganizationKind.GRUPPE: "Fraktion",
    OrganizationKind.VERWALTUNG: "Verwaltungsbereich",
    OrganizationKind.FACHBEREICH: "Verwaltungsbereich",
    OrganizationKind.SOZIALTRAEGERKONFERENZ: "externes Gremium",
    OrganizationKind.ARBEITSGRUPPE: "externes Gremium",
    OrganizationKind.PROJEKTSTEUERUNGSGRUPPE: "externes Gremium",
    OrganizationKind.EXTERN: "Institution",
    OrganizationKind.SONSTIGE: "Sonstiges",
}

COUNCIL_BODY_KINDS = (
    OrganizationKind.RAT,
    OrganizationKind.VERWALTUNGSAUSSCHUSS,
    OrganizationKind.FACHAUSSCHUSS,
    OrganizationKind.ORTSRAT,
)
GROUP_KINDS = (OrganizationKind.FRAKTION, OrganizationKind.GRUPPE)


class OrganizationQuerySet(BodyRecordQuerySet):
    def council_bodies(self) -> OrganizationQuerySet:
        return self.filter(kind__in=COUNCIL_BODY_KINDS)

    def groups(self) -> OrganizationQuerySet:
        return self.filter(kind__in=GROUP_KINDS)

    def active_on(self, day: Any) -> OrganizationQuerySet:
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Organization(OParlObject):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="organizations")
    name = models.CharField("Name", max_length=300)
    short_name = models.CharField("Kurzname", max_length=100, blank=True)
    slug = models.SlugField("Adresskürzel", max_length=200, unique=True)
    kind = models.CharField("Art", max_length=40, choices=OrganizationKind.choices, default=OrganizationKind.SONSTIGE)
    classification = models.CharField("Klassifikation", max_length=200, blank=True)
    posts = models.JSONField("Ämter", default=list, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name="übergeordnet", null=True, blank=True, on_delete=models.SET_NULL, related_name="sub_organizations"
    )
    start_date = models.DateField("gegründet", null=True, blank=True)
    end_date = models.DateField("aufgelöst", null=True, blank=True)
    website = models.URLField("Website", blank=True)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    external_body = models.URLField("Externes Gremium (OParl)", blank=True)
    # § 78 NKomVG: Verwaltungsausschuss sessions are never public; other bodies default to public.
    meetings_public = models.BooleanField("Sitzungen grundsätzlich öffentlich", default=True)
    # The same Gremium in the previous Wahlperiode: its members see the earlier terms' items too.
    predecessor = models.ForeignKey(
        "self", verbose_name="fortgeführt aus", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors"
    )
    # Extra audiences of the non-public part. None = NKomVG default: every Ratsmitglied may attend the
    # Verwaltungsausschuss as a listener (§ 78 Abs. 2), so Rat members see VA documents; no one else.
    council_members_listen = models.BooleanField(
        "Ratsmitglieder sehen den nichtöffentlichen Teil", null=True, blank=True,
        help_text="leer: nach NKomVG (nur beim Verwaltungsausschuss ja)",
    )
    extra_audiences = models.ManyToManyField(
        "self", verbose_name="weitere Gremien, deren Mitglieder den nichtöffentlichen Teil sehen", blank=True,
        symmetrical=False, related_name="audience_of",
    )
    former_member_access_days = models.PositiveIntegerField(
        "Einsicht ehemaliger Mitglieder (Tage)", default=0,
        help_text="So viele Tage nach dem Ende der Mitgliedschaft sieht ein ehemaliges Mitglied noch den nichtöffentlichen Teil.",
    )

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Gremium"
        verbose_name_plural = "Gremien"
        ordering = ["name"]
        indexes = [models.Index(fields=["body", "kind"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Organization, slugify(self.short_name or self.name) or "gremium", self.pk)
        if self.kind == OrganizationKind.VERWALTUNGSAUSSCHUSS:
            self.meetings_public = False
        super().save(*args, **kwargs)

    @property
    def council_listens(self) -> bool:
        """Whether the Rat's members see this Gremium's non-public part (§ 78 NKomVG default for the VA)."""
        if self.council_members_listen is None:
            return self.kind == OrganizationKind.VERWALTUNGSAUSSCHUSS
        return self.council_members_listen

    @property
    def organization_type(self) -> str:
        return OPARL_ORGANIZATION_TYPE.get(OrganizationKind(self.kind), "Sonstiges")

    @property
    def is_group(self) -> bool:
        return self.kind in GROUP_KINDS

    def get_absolute_url(self) -> str:
        return reverse("portal:organization", kwargs={"slug": self.slug})


class Person(OParlObject):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="persons")
    name = models.CharField("Name", max_length=300, help_text="Vollständiger Name, wie er angezeigt wird")
    family_name = models.CharField("Familienname", max_length=150, blank=True)
    given_name = models.CharField("Vorname", max_length=150, blank=True)
    form_of_address = models.CharField("Anrede", max_length=50, blank=True)
    affix = models.CharField("Namenszusatz", max_length=100, blank=True)
    titles = models.JSONField("Titel", default=list, blank=True)
    gender = models.CharField("Geschlecht", max_length=20, blank=True)
    phone = models.JSONField("Telefon", default=list, blank=True)
    email = models.JSONField("E-Mail", default=list, blank=True)
    status = models.JSONField("Status", default=list, blank=True)
    life = models.TextField("Lebenslauf", blank=True)
    life_source = models.CharField("Quelle des Lebenslaufs", max_length=300, blank=True)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    slug = models.SlugField("Adresskürzel", max_length=200, unique=True)
    # Public profile: shown on the person page only when filled in (and the contact only with consent).
    photo = models.FileField(
        "Foto (PNG oder JPG)", upload_to="personen/", blank=True, validators=[FileExtensionValidator(["png", "jpg", "jpeg"])]
    )
    photo_alt = models.CharField("Bildbeschreibung des Fotos", max_length=300, blank=True)
    electoral_area = models.CharField("Wahlbereich", max_length=200, blank=True)
    public_contact = models.TextField(
        "Kontakt zur Veröffentlichung", blank=True, help_text="E-Mail, Telefon oder Anschrift, wie veröffentlicht"
    )
    contact_consent = models.BooleanField(
        "Zustimmung zur Veröffentlichung des Kontakts", default=False,
        help_text="Ohne Zustimmung wird der Kontakt nirgends gezeigt.",
    )
    user = models.OneToOneField(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )

    objects = BodyRecordQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["user"])

    class Meta:
        verbose_name = "Person"
        verbose_name_plural = "Personen"
        ordering = ["family_name", "given_name", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.name:
            self.name = " ".join(p for p in [*self.titles, self.given_name, self.family_name] if p)
        if not self.slug:
            self.slug = unique_slug(Person, slugify(self.name) or "person", self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:person", kwargs={"slug": self.slug})


class MembershipQuerySet(PublicRecordQuerySet):
    def active_on(self, day: Any = None) -> MembershipQuerySet:
        day = day or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Membership(OParlObject):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("Rolle", max_length=200, blank=True, default="Mitglied")
    voting_right = models.BooleanField("stimmberechtigt", default=True)
    # A deputy (Vertreter/in) sees the non-public part only of the meetings they stand in for.
    deputy = models.BooleanField("stellvertretendes Mitglied", default=False)
    on_behalf_of = models.ForeignKey(
        Organization,
        verbose_name="für Fraktion/Gruppe",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="represented_memberships",
    )
    start_date = models.DateField("von", null=True, blank=True)
    end_date = models.DateField("bis", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()
    touch_parents = ("person",)

    class Meta:
        verbose_name = "Mitgliedschaft"
        verbose_name_plural = "Mitgliedschaften"
        ordering = ["organization__name", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.organization} ({self.role})"


class SeatPlan(models.Model):
    """The committee seats of one Ausschuss of a new Wahlperiode among the Fraktionen and Gruppen (§ 71 NKomVG).

    Made by `term_change.plan_seats`; a tie for the last seats stays open (`lot_seats`) until the
    Rat's chair has drawn the lot and `term_change.draw_lot` records it."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="seat_plan",
                                        verbose_name="Ausschuss")
    term = models.ForeignKey(LegislativeTerm, on_delete=models.CASCADE, related_name="seat_plans",
                             verbose_name="Wahlperiode")
    method = models.CharField("Verfahren", max_length=20)
    seats = models.PositiveIntegerField("Sitze")
    lot_seats = models.PositiveIntegerField("offen bis zum Losentscheid", default=0)
    lot_note = models.CharField("Losentscheid", max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Sitzverteilung eines Ausschusses"
        verbose_name_plural = "Sitzverteilungen der Ausschüsse"

    def __str__(self) -> str:
        return f"Sitzverteilung {self.organization}"


class SeatAllocation(models.Model):
    """The seats one Fraktion/Gruppe fills in a committee; `advisory` is the Grundmandat (§ 71 Abs. 4)."""

    plan = models.ForeignKey(SeatPlan, on_delete=models.CASCADE, related_name="allocations")
    group = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="seat_allocations",
                              verbose_name="Fraktion/Gruppe")
    strength = models.PositiveIntegerField("Mitglieder im Rat")
    seats = models.PositiveIntegerField("Sitze")
    in_lot = models.BooleanField("am Losentscheid beteiligt", default=False)
    advisory = models.BooleanField("Grundmandat (beratend)", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Sitzanteil"
        verbose_name_plural = "Sitzanteile"
        ordering = ["-strength", "group__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "group"], name="one_allocation_per_group")]

    def __str__(self) -> str:
        return f"{self.group}: {self.seats}"
