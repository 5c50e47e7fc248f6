"""Forms of the Vorlagen screens: every GET and POST parameter passes one of these."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from ratsinfo.bodies.models import (
    COUNCIL_BODY_KINDS,
    GROUP_KINDS,
    Location,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.lib.access import Viewer
from ratsinfo.meetings.models import Meeting, MeetingState
from ratsinfo.papers.models import ConsultationRole, NumberAssignment, Paper, PaperType
from ratsinfo.papers.numbering import NumberingError, validate_pattern
from ratsinfo.papers.workflow import TEMPLATES, PaperWorkflowError

# A native date picker needs ISO dates, whatever the locale's display format.
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
DRAFT_TYPES = [
    (t, label) for t, label in PaperType.choices
    if t in (PaperType.BESCHLUSSVORLAGE, PaperType.MITTEILUNGSVORLAGE, PaperType.INFORMATIONSVORLAGE,
             PaperType.DRINGLICHKEITSVORLAGE, PaperType.ANTWORT)
]
MOTION_TYPES = [(PaperType.ANTRAG, "Antrag"), (PaperType.ANFRAGE, "Anfrage"), (PaperType.AENDERUNGSANTRAG, "Änderungsantrag")]


def departments() -> QuerySet[Organization]:
    return Organization.objects.alive().filter(kind__in=(OrganizationKind.FACHBEREICH, OrganizationKind.VERWALTUNG))


def places_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label="Orte, die die Vorlage betrifft", queryset=Location.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="erscheinen mit ihrer Anschrift und auf der Karte der Vorlage",
    )


def places(viewer: Viewer) -> QuerySet[Location]:
    return Location.objects.visible_to(viewer).order_by("description", "street_address", "pk")


def show_error(form: forms.Form, error: PaperWorkflowError) -> None:
    """Put a refused step's German message at its field (or above the form)."""
    form.add_error(error.field if error.field in form.fields else None, str(error))


class ReferencesField(forms.CharField):
    """Vorlagen-Nummern separated by commas, resolved among the Vorlagen the viewer sees."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Vorlagen-Nummern, durch Komma getrennt, z. B. AN/0012/2021-2026")
        super().__init__(*args, **kwargs)
        self.papers: QuerySet[Paper] = Paper.objects.none()

    def clean(self, value: Any) -> list[Paper]:  # type: ignore[override]
        text = super().clean(value)
        references = [r.strip() for r in text.split(",") if r.strip()]
        found = {p.reference: p for p in self.papers.filter(reference__in=references)}
        unknown = [r for r in references if r not in found]
        if unknown:
            raise forms.ValidationError(f"Keine Vorlage gefunden: {', '.join(unknown)}")
        return [found[r] for r in references]


class NewPaperForm(forms.Form):
    paper_type = forms.ChoiceField(label="Vorlagenart", choices=DRAFT_TYPES)
    name = forms.CharField(label="Betreff", max_length=1000)
    department = forms.ModelChoiceField(label="federführender Fachbereich", queryset=Organization.objects.none())
    day = forms.DateField(label="Datum", initial=timezone.localdate, widget=DATE_WIDGET)
    public = forms.BooleanField(label="öffentlich", required=False, initial=True)
    reserved_to_council = forms.BooleanField(label="dem Rat vorbehalten (§ 58 NKomVG)", required=False)
    related = ReferencesField(label="bezüglich (Anträge, Vorlagen)")
    locations = places_field()

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments()  # type: ignore[attr-defined]
        self.fields["locations"].queryset = places(viewer)  # type: ignore[attr-defined]
        self.fields["related"].papers = Paper.objects.visible_to(viewer)  # type: ignore[attr-defined]


class EditPaperForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label="Betreff", max_length=1000)
    department = forms.ModelChoiceField(label="federführender Fachbereich", queryset=Organization.objects.none())
    day = forms.DateField(label="Datum", widget=DATE_WIDGET)
    public = forms.BooleanField(label="öffentlich", required=False)
    reserved_to_council = forms.BooleanField(label="dem Rat vorbehalten (§ 58 NKomVG)", required=False)
    locations = places_field()

    def __init__(self, *args: Any, paper: Paper, viewer: Viewer, **kwargs: Any) -> None:
        headings = list(paper.sections.order_by("order").values_list("heading", "text")) or [
            (h, "") for h in TEMPLATES.get(paper.paper_type, ("Text",))
        ]
        kwargs.setdefault("initial", {
            "version": paper.version, "name": paper.name, "day": paper.date, "public": paper.public,
            "reserved_to_council": paper.reserved_to_council, "department": paper.under_direction_of.first(),
            "locations": list(paper.locations.values_list("pk", flat=True)),
            **{f"section_{i}": text for i, (_, text) in enumerate(headings)},
        })
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments()  # type: ignore[attr-defined]
        self.fields["locations"].queryset = places(viewer)  # type: ignore[attr-defined]
        self.headings = [h for h, _ in headings]
        for i, heading in enumerate(self.headings):
            self.fields[f"section_{i}"] = forms.CharField(
                label=heading, required=False, widget=forms.Textarea(attrs={"rows": 6})
            )

    def sections(self) -> list[tuple[str, str]]:
        return [(h, self.cleaned_data[f"section_{i}"]) for i, h in enumerate(self.headings)]


class StepForm(forms.Form):
    organization = forms.ModelChoiceField(label="Gremium", queryset=Organization.objects.none())
    role = forms.ChoiceField(label="Zuständigkeit", choices=ConsultationRole.choices)
    meeting = forms.ModelChoiceField(label="Sitzung", queryset=Meeting.objects.none(), required=False,
                                     help_text="geplante Sitzung des Gremiums; leer: Termin noch offen")

    def __init__(self, *args: Any, paper: Paper, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        gremien = Organization.objects.alive().filter(body=paper.body_id, kind__in=COUNCIL_BODY_KINDS)
        self.fields["organization"].queryset = gremien  # type: ignore[attr-defined]
        meetings = Meeting.objects.alive().filter(
            organizations__in=gremien, cancelled=False, start__gte=timezone.now(),
        ).exclude(meeting_state=MeetingState.DURCHGEFUEHRT).distinct().order_by("start")
        field = self.fields["meeting"]
        field.queryset = meetings  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: f"{m.start:%d.%m.%Y} – {m.name}"  # type: ignore[attr-defined]


class StepChangeForm(forms.Form):
    position = forms.IntegerField(min_value=1)
    change = forms.ChoiceField(choices=[("hoch", "nach oben"), ("runter", "nach unten"), ("entfernen", "entfernen")])


class CosignForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label="Fachbereiche", queryset=Organization.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    persons = forms.ModelMultipleChoiceField(
        label="Personen", queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(label="Anmerkung", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments()  # type: ignore[attr-defined]
        staff = Person.objects.alive().filter(user__is_staff=True, user__is_active=True)
        self.fields["persons"].queryset = staff  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label="Anmerkung", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequiredCommentForm(forms.Form):
    comment = forms.CharField(label="Begründung", widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": "Bitte eine Begründung angeben."})


class UploadForm(forms.Form):
    file = forms.FileField(label="Datei", error_messages={"required": "Bitte eine Datei wählen."})
    name = forms.CharField(label="Titel der Anlage", max_length=500, required=False)
    public = forms.BooleanField(label="öffentlich", required=False, initial=True)


class MotionForm(forms.Form):
    paper_type = forms.ChoiceField(label="Art", choices=MOTION_TYPES)
    name = forms.CharField(label="Betreff", max_length=1000)
    group = forms.ModelChoiceField(label="Fraktion oder Gruppe", queryset=Organization.objects.none(), required=False)
    persons = forms.ModelMultipleChoiceField(label="oder Ratsmitglieder", queryset=Person.objects.none(), required=False)
    text = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 8}))
    reason = forms.CharField(label="Begründung", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    received_on = forms.DateField(label="eingegangen am", widget=DATE_WIDGET)
    amends = ReferencesField(label="ändert Vorlage (nur Änderungsantrag)", help_text="Vorlagen-Nummer")
    public = forms.BooleanField(label="öffentlich", required=False, initial=True)

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Organization.objects.alive().filter(kind__in=GROUP_KINDS)  # type: ignore[attr-defined]
        council = Person.objects.alive().filter(memberships__organization__kind=OrganizationKind.RAT).distinct()
        self.fields["persons"].queryset = council  # type: ignore[attr-defined]
        self.fields["amends"].papers = Paper.objects.visible_to(viewer)  # type: ignore[attr-defined]

    def sections(self) -> list[tuple[str, str]]:
        first = "Geänderter Beschlussvorschlag" if self.cleaned_data["paper_type"] == PaperType.AENDERUNGSANTRAG else (
            "Antrag" if self.cleaned_data["paper_type"] == PaperType.ANTRAG else "Anfrage"
        )
        return [(first, self.cleaned_data["text"]), ("Begründung", self.cleaned_data["reason"])]


class ReceiveForm(forms.Form):
    received_on = forms.DateField(label="eingegangen am", initial=timezone.localdate,
                                  widget=DATE_WIDGET)


class NumberPatternForm(forms.Form):
    paper_type = forms.ChoiceField(label="Vorlagenart", choices=PaperType.choices)
    pattern = forms.CharField(label="Muster", max_length=100, help_text="z. B. BV/{number:04}/{term} – ergibt BV/0240/2021-2026")
    assign_at = forms.ChoiceField(label="Nummer vergeben", choices=NumberAssignment.choices)

    def clean_pattern(self) -> str:
        pattern: str = self.cleaned_data["pattern"]
        try:
            validate_pattern(pattern)
        except NumberingError as error:
            raise forms.ValidationError(str(error)) from error
        return pattern
