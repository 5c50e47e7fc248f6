"""Sitzungen (OParl Meeting) and Tagesordnungspunkte (AgendaItem)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ratsinfo.lib.access import Viewer, as_viewer
from ratsinfo.lib.models import OParlObject, OParlQuerySet, RemembersPublication


class MeetingState(models.TextChoices):
    GEPLANT = "terminiert", "terminiert"
    EINGELADEN = "eingeladen", "eingeladen"
    DURCHGEFUEHRT = "durchgeführt", "durchgeführt"


class MeetingQuerySet(OParlQuerySet):
    def visible_to(self, viewer: Viewer | None) -> MeetingQuerySet:
        # That a meeting takes place (date, body, place) is always public, also for the
        # Verwaltungsausschuss; its non-public agenda items are filtered by AgendaItem.
        as_viewer(viewer)
        return self.alive()

    def nonpublic_audience_of(self, viewer: Viewer) -> MeetingQuerySet:
        """Meetings whose non-public part the viewer sees: their Gremien's, and those they deputise in."""
        return self.filter(Q(organizations__in=viewer.gremium_ids) | Q(pk__in=viewer.deputy_meeting_ids))

    def of_organization(self, organization: Any) -> MeetingQuerySet:
        return self.filter(organizations=organization)


class Meeting(OParlObject):
    name = models.CharField("Bezeichnung", max_length=500)
    organizations = models.ManyToManyField("bodies.Organization", verbose_name="Gremien", related_name="meetings")
    meeting_state = models.CharField(
        "Status", max_length=40, choices=MeetingState.choices, default=MeetingState.GEPLANT, blank=True
    )
    cancelled = models.BooleanField("abgesagt", default=False)
    start = models.DateTimeField("Beginn", null=True, blank=True, db_index=True)
    end = models.DateTimeField("Ende", null=True, blank=True)
    location = models.ForeignKey(
        "bodies.Location", null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    public = models.BooleanField("mit öffentlichem Teil", default=True)
    participants = models.ManyToManyField("bodies.Person", verbose_name="Teilnehmende", blank=True, related_name="meetings")
    license = models.CharField("Lizenz", max_length=300, blank=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Sitzung"
        verbose_name_plural = "Sitzungen"
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="meeting_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:meeting", kwargs={"pk": self.pk})


class AgendaItemResult(models.TextChoices):
    """Wording in use for results; the field itself is free text (OParl `result`)."""

    UNGEAENDERT = "ungeändert beschlossen", "ungeändert beschlossen"
    GEAENDERT = "geändert beschlossen", "geändert beschlossen"
    MEHRHEITLICH = "mehrheitlich beschlossen", "mehrheitlich beschlossen"
    EINSTIMMIG = "einstimmig beschlossen", "einstimmig beschlossen"
    ABGELEHNT = "abgelehnt", "abgelehnt"
    KENNTNIS = "zur Kenntnis genommen", "zur Kenntnis genommen"
    VERTAGT = "vertagt", "vertagt"
    ZURUECKGEZOGEN = "zurückgezogen", "zurückgezogen"
    ERLEDIGT = "erledigt", "erledigt"


class AgendaItemQuerySet(OParlQuerySet):
    def visible_to(self, viewer: Viewer | None) -> AgendaItemQuerySet:
        viewer = as_viewer(viewer)
        if viewer.sees_everything:
            return self.alive().filter(meeting__deleted=False)
        if viewer.is_public:
            return self.filter(AgendaItem.public_q())
        return self.filter(
            AgendaItem.public_q()
            | Q(deleted=False, meeting__deleted=False, pk__in=AgendaItem.nonpublic_audience_pks(viewer))
        )

    def nonpublic(self) -> AgendaItemQuerySet:
        return self.alive().filter(public=False)


class AgendaItem(RemembersPublication, OParlObject):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.CharField("TOP", max_length=20, blank=True, help_text="z. B. „Ö 5“ oder „N 2“")
    order = models.PositiveIntegerField("Reihenfolge")
    name = models.CharField("Gegenstand", max_length=1000)
    public = models.BooleanField("öffentlich", default=True)
    result = models.CharField("Ergebnis", max_length=200, blank=True)
    resolution_text = models.TextField("Beschlusstext", blank=True)
    votes_yes = models.PositiveIntegerField("Ja", null=True, blank=True)
    votes_no = models.PositiveIntegerField("Nein", null=True, blank=True)
    votes_abstain = models.PositiveIntegerField("Enthaltungen", null=True, blank=True)
    votes_conflicted = models.PositiveIntegerField("befangen", null=True, blank=True)
    start = models.DateTimeField("Beginn", null=True, blank=True)
    end = models.DateTimeField("Ende", null=True, blank=True)

    objects = AgendaItemQuerySet.as_manager()
    history = HistoricalRecords()
    touch_parents = ("meeting",)

    class Meta:
        verbose_name = "Tagesordnungspunkt"
        verbose_name_plural = "Tagesordnungspunkte"
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_order_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    @staticmethod
    def public_q(prefix: str = "") -> Q:
        return Q(**{f"{prefix}public": True, f"{prefix}deleted": False, f"{prefix}meeting__deleted": False})

    @staticmethod
    def nonpublic_audience_pks(viewer: Viewer) -> models.QuerySet:
        """Items whose non-public content this viewer sees: the meeting's Gremium members and deputies,
        and the Fachbereich responsible for the Vorlage treated (it carries out the decision)."""
        meetings = Meeting.objects.nonpublic_audience_of(viewer).values("pk")
        condition = Q(meeting__in=meetings)
        if viewer.department_ids:
            condition |= Q(consultation__paper__under_direction_of__in=viewer.department_ids)
        return AgendaItem.objects.filter(condition).values("pk")

    def publicly_visible_now(self) -> bool:
        return self.public and not self.deleted

    def mark_dependents_ever_public(self) -> None:
        from ratsinfo.files.models import File

        File.objects.filter(agenda_item_id=self.pk).mark_ever_public()

    @property
    def has_votes(self) -> bool:
        return self.votes_yes is not None or self.votes_no is not None

    @property
    def vote_summary(self) -> str:
        if not self.has_votes:
            return ""
        parts = [f"Ja {self.votes_yes or 0}", f"Nein {self.votes_no or 0}", f"Enthaltungen {self.votes_abstain or 0}"]
        if self.votes_conflicted:
            parts.append(f"befangen {self.votes_conflicted}")
        return ", ".join(parts)

    @property
    def adopted_by_majority(self) -> bool | None:
        """§ 66 NKomVG: yes beats no, abstentions do not count, a tie rejects."""
        if not self.has_votes:
            return None
        return (self.votes_yes or 0) > (self.votes_no or 0)


class StandIn(models.Model):
    """A deputy (Vertreter/in) standing in for a member in one meeting: sees that meeting's non-public part."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="stand_ins")
    deputy = models.ForeignKey("bodies.Person", verbose_name="Vertreter/in", on_delete=models.CASCADE, related_name="stand_ins")
    represents = models.ForeignKey(
        "bodies.Person", verbose_name="vertritt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Vertretung"
        verbose_name_plural = "Vertretungen"
        constraints = [models.UniqueConstraint(fields=["meeting", "deputy"], name="stand_in_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.deputy} vertritt {self.represents or '–'} ({self.meeting})"
