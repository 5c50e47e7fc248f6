"""Sitzungen (OParl Meeting) and Tagesordnungspunkte (AgendaItem)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
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

    def of_body(self, body: Any) -> MeetingQuerySet:
        """The Sitzungen of one Gemeinde's Gremien (`None`: of every Gemeinde), as a correlated
        EXISTS, so that a list still walks the meetings by date and stops after one page."""
        if body is None:
            return self
        through = Meeting.organizations.through.objects
        return self.filter(Exists(through.filter(meeting_id=OuterRef("pk"), organization__body_id=body.pk)))


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
        # An item the Sitzungsdienst is still preparing (before the Einladung or its Nachtrag) is not public yet.
        return Q(**{f"{prefix}public": True, f"{prefix}deleted": False, f"{prefix}meeting__deleted": False}) & ~Q(
            **{f"{prefix}record__published": False}
        )

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


# ---------------------------------------------------------------------------------------------
# The meetings workflow: rules per Gremium, planning, attendance, votes, Beschlusskontrolle.
# ---------------------------------------------------------------------------------------------


class Signatory(models.TextChoices):
    MAYOR = "buergermeister", "Bürgermeister/in"
    CHAIR = "vorsitz", "Vorsitzende/r des Gremiums"


class GremiumRules(models.Model):
    """Local rules of the Geschäftsordnung for one Gremium; without a row the NKomVG defaults apply."""

    organization = models.OneToOneField(
        "bodies.Organization", on_delete=models.CASCADE, related_name="meeting_rules", verbose_name="Gremium"
    )
    # None: by kind of body (council bodies check Ladungsfrist, quorum, § 41 and majorities; others do not).
    nkomvg_checks = models.BooleanField("NKomVG-Prüfungen", null=True, blank=True)
    invitation_period_days = models.PositiveIntegerField("Ladungsfrist (Tage)", default=7)
    signatory = models.CharField("Unterschrift der Einladung", max_length=20, choices=Signatory.choices, blank=True)
    signatory_name = models.CharField("Name der/des Einladenden", max_length=200, blank=True)
    statutory_members = models.PositiveIntegerField(
        "gesetzliche Mitgliederzahl", null=True, blank=True,
        help_text="leer: aus den stimmberechtigten Mitgliedschaften (beim Rat einschließlich Bürgermeister/in)",
    )
    hybrid_allowed = models.BooleanField("Teilnahme per Video erlaubt (Hauptsatzung)", default=False)
    # [{"name": "…", "public": true, "place": "start" | "end"}]; None: the NKomVG defaults.
    fixed_items = models.JSONField("feste Tagesordnungspunkte", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Sitzungsregeln eines Gremiums"
        verbose_name_plural = "Sitzungsregeln der Gremien"

    def __str__(self) -> str:
        return f"Regeln: {self.organization}"


class MeetingSeries(models.Model):
    """A planned series of meetings of one Gremium (e.g. every fourth Thursday, 18:00)."""

    organization = models.ForeignKey("bodies.Organization", on_delete=models.CASCADE, related_name="meeting_series")
    first_day = models.DateField("erster Termin")
    last_day = models.DateField("bis")
    interval_weeks = models.PositiveIntegerField("alle … Wochen", default=4)
    time = models.TimeField("Uhrzeit")
    location = models.ForeignKey("bodies.Location", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Sitzungsreihe"
        verbose_name_plural = "Sitzungsreihen"
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="series_last_after_first"),
            models.CheckConstraint(condition=Q(interval_weeks__gte=1), name="series_interval_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: alle {self.interval_weeks} Wochen ab {self.first_day:%d.%m.%Y}"


class QuorumState(models.TextChoices):
    OPEN = "", "noch nicht festgestellt"
    STATED = "festgestellt", "festgestellt (gilt bis zur Rüge)"
    DISPUTED_OK = "nachgezählt", "nach Rüge nachgezählt: beschlussfähig"
    LACKING = "fehlt", "nicht beschlussfähig"


class MeetingWorkflow(models.Model):
    """The Sitzungsdienst's state of one meeting (kept beside the OParl Meeting)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="workflow")
    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="workflows")
    # Optimistic lock: every recording step names the version it saw.
    version = models.PositiveIntegerField("Bearbeitungsstand", default=0)
    quorum = models.CharField("Beschlussfähigkeit", max_length=20, choices=QuorumState.choices, blank=True, default="")
    quorum_present = models.PositiveIntegerField("anwesend bei der Feststellung", null=True, blank=True)
    quorum_at = models.DateTimeField("festgestellt um", null=True, blank=True)
    invitation_sent_at = models.DateTimeField("Einladung versandt", null=True, blank=True)
    invitation_late_reason = models.TextField("Begründung der verkürzten Ladungsfrist", blank=True)
    invitation_pending = models.BooleanField("Einladung wird erzeugt", default=False)
    minutes_pending = models.BooleanField("Niederschrift wird erzeugt", default=False)
    supplements = models.PositiveIntegerField("Nachträge", default=0)
    minutes_approved_by = models.ForeignKey(
        "AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="approves_minutes_of",
        verbose_name="genehmigt unter",
    )
    minutes_published_at = models.DateTimeField("Niederschrift veröffentlicht", null=True, blank=True)
    moved_from = models.DateTimeField("ursprünglicher Termin", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Sitzungsablauf"
        verbose_name_plural = "Sitzungsabläufe"

    def __str__(self) -> str:
        return f"Ablauf: {self.meeting}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "anwesend", "anwesend"
    VIDEO = "video", "per Video zugeschaltet"
    EXCUSED = "entschuldigt", "entschuldigt"
    ABSENT = "fehlt", "unentschuldigt"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("bodies.Person", on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField("Anwesenheit", max_length=20, choices=AttendanceStatus.choices)
    arrived = models.TimeField("von", null=True, blank=True)
    left = models.TimeField("bis", null=True, blank=True)
    represents = models.ForeignKey(
        "bodies.Person", verbose_name="vertritt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voting = models.BooleanField("stimmberechtigt", default=True)
    chair = models.BooleanField("Vorsitz", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Anwesenheit"
        verbose_name_plural = "Anwesenheiten"
        ordering = ["meeting", "person__family_name", "person__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"

    @property
    def in_session(self) -> bool:
        return self.status in (AttendanceStatus.PRESENT, AttendanceStatus.VIDEO)


class MajorityRule(models.TextChoices):
    SIMPLE = "einfach", "§ 66: Mehrheit der Ja- gegen Nein-Stimmen"
    MEMBERS = "mitglieder", "Mehrheit der Mitglieder"
    TWO_THIRDS = "zweidrittel", "zwei Drittel der Mitglieder"


class ItemKind(models.TextChoices):
    REGULAR = "", "Beratungsgegenstand"
    FIXED = "fest", "fester Punkt der Geschäftsordnung"
    MINUTES = "niederschrift", "Genehmigung der Niederschrift"
    ANNOUNCEMENT = "bekanntgabe", "Bekanntgabe nichtöffentlicher Beschlüsse"
    ELECTION = "wahl", "Wahl (§ 67)"


class AgendaItemRecord(models.Model):
    """What the Sitzungsdienst keeps per agenda item beyond OParl's fields."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="record")
    kind = models.CharField("Art", max_length=20, choices=ItemKind.choices, blank=True, default="")
    sub_item = models.BooleanField("Unterpunkt", default=False)
    supplement = models.PositiveIntegerField("Nachtrag Nr.", null=True, blank=True)
    published = models.BooleanField("mit Einladung/Nachtrag veröffentlicht", default=True)
    majority_rule = models.CharField("Mehrheit", max_length=20, choices=MajorityRule.choices, default=MajorityRule.SIMPLE)
    recommendation = models.TextField("Beschlussvorschlag/-empfehlung", blank=True)
    requires_action = models.BooleanField("Auftrag an die Verwaltung", default=False)
    warning = models.CharField("Hinweis", max_length=500, blank=True)
    # Genehmigung der Niederschrift: whose minutes this item approves.
    approves = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    postponed_to = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    announced_at = models.DateTimeField("im öffentlichen Teil bekanntgegeben", null=True, blank=True)
    election = models.JSONField("Wahl", null=True, blank=True)
    kommunalaufsicht = models.BooleanField("Genehmigung der Kommunalaufsicht nötig (§ 65 Abs. 3)", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Protokoll eines Tagesordnungspunkts"
        verbose_name_plural = "Protokolle der Tagesordnungspunkte"

    def __str__(self) -> str:
        return f"Protokoll: {self.item}"


class Exclusion(models.Model):
    """§ 41 NKomVG: a member excluded from an item (befangen): left the table, not counted."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="exclusions")
    person = models.ForeignKey("bodies.Person", on_delete=models.CASCADE, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Mitwirkungsverbot"
        verbose_name_plural = "Mitwirkungsverbote"
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="exclusion_once_per_item")]

    def __str__(self) -> str:
        return f"{self.person} befangen bei {self.item}"


class Vote(models.TextChoices):
    YES = "ja", "Ja"
    NO = "nein", "Nein"
    ABSTAIN = "enthaltung", "Enthaltung"


class RecordedVote(models.Model):
    """§ 68: a member demanded that their own vote be recorded (never in a secret vote)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="recorded_votes")
    person = models.ForeignKey("bodies.Person", on_delete=models.CASCADE, related_name="+")
    vote = models.CharField("Stimme", max_length=20, choices=Vote.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "namentlich festgehaltene Stimme"
        verbose_name_plural = "namentlich festgehaltene Stimmen"
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="recorded_vote_once_per_item")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_vote_display()}"


class ImplementationState(models.TextChoices):
    OPEN = "offen", "offen"
    IN_PROGRESS = "in_arbeit", "in Bearbeitung"
    DONE = "erledigt", "erledigt"


class Implementation(models.Model):
    """Beschlusskontrolle: how a decision asking the administration to act is carried out."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="implementation")
    department = models.ForeignKey(
        "bodies.Organization", verbose_name="zuständiger Fachbereich", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="implementations",
    )
    due_date = models.DateField("zu erledigen bis", null=True, blank=True)
    state = models.CharField("Stand", max_length=20, choices=ImplementationState.choices, default=ImplementationState.OPEN)
    done_on = models.DateField("erledigt am", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Beschlusskontrolle"
        verbose_name_plural = "Beschlusskontrolle"
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=ImplementationState.DONE, done_on__isnull=False) | ~Q(state=ImplementationState.DONE),
                name="implementation_done_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"Umsetzung: {self.item}"


class ImplementationNote(models.Model):
    implementation = models.ForeignKey(Implementation, on_delete=models.CASCADE, related_name="notes")
    day = models.DateField("Datum")
    text = models.TextField("Sachstand")
    author = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Sachstand"
        verbose_name_plural = "Sachstände"
        ordering = ["day", "pk"]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}: {self.text[:60]}"


class AllowanceRate(models.Model):
    """Entschädigungssatzung (§ 55 NKomVG): Sitzungsgeld per attended meeting from a date on."""

    body = models.ForeignKey("bodies.Body", on_delete=models.CASCADE, related_name="allowance_rates")
    organization = models.ForeignKey(
        "bodies.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="leer: für alle Gremien",
    )
    valid_from = models.DateField("gültig ab")
    member_amount = models.DecimalField("Sitzungsgeld Mitglied (€)", max_digits=8, decimal_places=2)
    chair_amount = models.DecimalField("Sitzungsgeld Vorsitz (€)", max_digits=8, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Sitzungsgeld-Satz"
        verbose_name_plural = "Sitzungsgeld-Sätze"
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"Sitzungsgeld ab {self.valid_from:%d.%m.%Y}"


class AttendanceReply(models.Model):
    """A member's answer to the Einladung (Mein Ratsinfo): attending or excused, so the deputy is invited."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance_replies")
    person = models.ForeignKey("bodies.Person", on_delete=models.CASCADE, related_name="attendance_replies")
    attending = models.BooleanField("nimmt teil")
    note = models.CharField("Bemerkung", max_length=500, blank=True)
    replied_at = models.DateTimeField("geantwortet am")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Rückmeldung zur Teilnahme"
        verbose_name_plural = "Rückmeldungen zur Teilnahme"
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_reply_once")]

    def __str__(self) -> str:
        return f"{self.person}: {'nimmt teil' if self.attending else 'entschuldigt'}"
