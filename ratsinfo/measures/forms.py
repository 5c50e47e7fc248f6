"""Forms of the Maßnahmenplan (editing is for Quartiersmanagement and Verwaltung)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from ratsinfo.bodies.models import Location, Organization
from ratsinfo.lib.access import Viewer
from ratsinfo.lib.forms import IdField, ModelChoiceField, QueryForm, is_id, model_field_classes
from ratsinfo.measures.models import (
    ActionField,
    BuildingMeasure,
    Goal,
    Measure,
    MeasureStatus,
    Plan,
    PlanEdition,
    Priority,
)
from ratsinfo.meetings.models import AgendaItem, AgendaItemResult, Meeting


class _NoSuffix:
    """Labels without the trailing colon: the accessible name is the label text itself."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]


PRIORITY_CHOICES = [("", "offen (noch nicht festgelegt)"), *[(str(v), label) for v, label in Priority.choices]]


def plan_meetings(plan: Plan, viewer: Viewer | None) -> Any:
    return Meeting.objects.visible_to(viewer).filter(organizations__in=plan.bodies.all()).distinct()


def plan_agenda_items(plan: Plan, viewer: Viewer | None) -> Any:
    """Agenda items of the plan's bodies that the user may see: the only ones that can decide."""
    return (
        AgendaItem.objects.visible_to(viewer)
        .filter(meeting__in=plan_meetings(plan, viewer).values("pk"))
        .select_related("meeting")
        .order_by("-meeting__start", "order")
    )


def _item_label(item: AgendaItem) -> str:
    return f"{item.meeting.name} – {item}"


class FilterForm(_NoSuffix, forms.Form):
    handlungsfeld = ModelChoiceField(queryset=ActionField.objects.none(), required=False, label="Handlungsfeld", empty_label="alle")
    akteur = ModelChoiceField(queryset=Organization.objects.none(), required=False, label="Akteur", empty_label="alle")
    prioritaet = forms.ChoiceField(
        choices=[("", "alle"), ("offen", "offen"), *[(str(v), label) for v, label in Priority.choices]],
        required=False, label="Priorität",
    )
    status = forms.ChoiceField(choices=[("", "alle"), *MeasureStatus.choices], required=False, label="Status")

    def __init__(self, plan: Plan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handlungsfeld"].queryset = plan.action_fields.all()  # type: ignore[attr-defined]
        partners = Measure.partners.through.objects.filter(measure__plan=plan).values("organization_id")
        self.fields["akteur"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            Q(pk__in=Measure.objects.filter(plan=plan).values("lead_actor")) | Q(pk__in=partners)
        ).order_by("name")

    def apply(self, measures: Any) -> Any:
        if not self.is_valid():
            return measures
        data = self.cleaned_data
        if data.get("handlungsfeld"):
            measures = measures.filter(action_field=data["handlungsfeld"])
        if data.get("akteur"):
            org = data["akteur"]
            partner_of = Measure.partners.through.objects.filter(organization=org).values("measure_id")
            measures = measures.filter(Q(lead_actor=org) | Q(pk__in=partner_of))
        if data.get("prioritaet") == "offen":
            measures = measures.filter(priority__isnull=True)
        elif data.get("prioritaet"):
            measures = measures.filter(priority=int(data["prioritaet"]))
        if data.get("status"):
            measures = measures.filter(status=data["status"])
        return measures


class MeasureForm(_NoSuffix, forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "number", "title", "description", "target_group", "action_field", "goal", "lead_actor", "partners",
            "building_measures", "start_date", "end_date", "permanent", "origin_note", "location",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        field_classes = model_field_classes(Measure, fields)

    def __init__(self, plan: Plan, *args: Any, viewer: Viewer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        if self.instance.pk is None:
            # A new measure may come from a decision: the agenda item is then recorded as its origin.
            field = ModelChoiceField(
                queryset=plan_agenda_items(plan, viewer), required=False, label="aufgenommen durch Beschluss (TOP)",
                empty_label="– ohne Beschluss (Entwurf) –",
            )
            field.label_from_instance = _item_label  # type: ignore[assignment]
            self.fields["origin_item"] = field
            self.fields["priority"] = forms.ChoiceField(choices=PRIORITY_CHOICES, required=False, label="Priorität")
            self.fields["status"] = forms.ChoiceField(choices=MeasureStatus.choices, initial=MeasureStatus.IDEE, label="Status")
        self.fields["action_field"].queryset = ActionField.objects.filter(plan=plan)  # type: ignore[attr-defined]
        self.fields["goal"].queryset = Goal.objects.filter(action_field__plan=plan).select_related("action_field")  # type: ignore[attr-defined]
        orgs = Organization.objects.alive().filter(body=plan.funding_area.body).order_by("name")
        self.fields["lead_actor"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["partners"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["building_measures"].queryset = BuildingMeasure.objects.alive().filter(funding_area=plan.funding_area)  # type: ignore[attr-defined]
        self.fields["location"].queryset = Location.objects.alive().order_by("description", "street_address")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        goal, af = data.get("goal"), data.get("action_field")
        if goal and af and goal.action_field_id != af.pk:
            self.add_error("goal", "Das Ziel gehört nicht zum gewählten Handlungsfeld.")
        number = data.get("number")
        if number and Measure.objects.filter(plan=self.plan, number=number).exclude(pk=self.instance.pk).exists():
            self.add_error("number", "Diese Nummer ist in diesem Plan schon vergeben.")
        return data


class DecisionForm(_NoSuffix, forms.Form):
    """Record a decision of a body: agenda item (existing or new TOP) and what it decided."""

    KIND_CHOICES = [
        ("priority", "Priorität ändern"),
        ("status", "Status ändern"),
        ("remove", "Maßnahme aus dem Plan nehmen"),
        ("adopt", "Plan beschließen (Fortschreibung anlegen)"),
        ("note", "Fortschreibung zur Kenntnis nehmen"),
    ]

    agenda_item = ModelChoiceField(
        queryset=AgendaItem.objects.none(), required=False, label="Tagesordnungspunkt",
        empty_label="– neuer TOP (unten angeben) –",
    )
    meeting = ModelChoiceField(queryset=Meeting.objects.none(), required=False, label="Sitzung (für neuen TOP)")
    new_item_name = forms.CharField(required=False, max_length=1000, label="Gegenstand des neuen TOP")
    result = forms.ChoiceField(
        required=False, label="Ergebnis", initial=AgendaItemResult.EINSTIMMIG,
        choices=[("", "– wie beim TOP erfasst –"), *AgendaItemResult.choices],
    )
    kind = forms.ChoiceField(choices=KIND_CHOICES, label="Beschluss")
    measure = ModelChoiceField(queryset=Measure.objects.none(), required=False, label="Maßnahme")
    priority = forms.ChoiceField(choices=PRIORITY_CHOICES, required=False, label="neue Priorität")
    status = forms.ChoiceField(choices=[("", "–"), *MeasureStatus.choices], required=False, label="neuer Status")
    edition_name = forms.CharField(required=False, max_length=200, label="Bezeichnung der neuen Fortschreibung")
    edition = ModelChoiceField(queryset=PlanEdition.objects.none(), required=False, label="Fortschreibung (zur Kenntnis)")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Vermerk")

    def __init__(self, plan: Plan, viewer: Viewer | None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["meeting"].queryset = plan_meetings(plan, viewer).order_by("-start")  # type: ignore[attr-defined]
        self.fields["agenda_item"].queryset = plan_agenda_items(plan, viewer)  # type: ignore[attr-defined]
        self.fields["agenda_item"].label_from_instance = _item_label  # type: ignore[attr-defined]
        self.fields["edition"].queryset = PlanEdition.objects.filter(plan=plan, noted_by__isnull=True)  # type: ignore[attr-defined]
        self.fields["measure"].queryset = Measure.objects.alive().filter(plan=plan).order_by("number", "pk")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("agenda_item") and not (data.get("meeting") and data.get("new_item_name")):
            self.add_error(
                None, "Bitte einen Tagesordnungspunkt wählen oder Sitzung und Gegenstand eines neuen TOP angeben."
            )
        kind = data.get("kind")
        if kind in {"priority", "status", "remove"} and not data.get("measure"):
            self.add_error("measure", "Bitte die Maßnahme wählen.")
        if kind == "status" and not data.get("status"):
            self.add_error("status", "Bitte den neuen Status wählen.")
        if kind == "adopt" and not (data.get("edition_name") or "").strip():
            self.add_error("edition_name", "Bitte die Fortschreibung benennen, z. B. „Fortschreibung 2025“.")
        if kind == "note" and not data.get("edition"):
            self.add_error("edition", "Bitte die Fortschreibung wählen, die zur Kenntnis genommen wurde.")
        return data

    def resolved_agenda_item(self) -> AgendaItem:
        """The chosen agenda item, or a new public TOP of the chosen meeting (numbered by the meetings app)."""
        from ratsinfo.meetings.planning import add_item

        data = self.cleaned_data
        if data.get("agenda_item"):
            return data["agenda_item"]
        return add_item(data["meeting"], data["new_item_name"], public=True)


class MonitoringQuery(QueryForm):
    jahr = forms.IntegerField(required=False, min_value=1990, max_value=2100)


class DecisionQuery(QueryForm):
    massnahme = IdField()


class CompareQuery(QueryForm):
    """Two editions to compare; `neu=aktuell` compares with the plan as it stands."""

    alt = IdField()
    neu = forms.CharField(required=False, max_length=20)

    def clean_neu(self) -> int | str | None:
        value = self.cleaned_data["neu"].strip()
        if value in {"", "aktuell"}:
            return value or None
        if not is_id(value):
            raise forms.ValidationError("Bitte eine Fortschreibung wählen.")
        return int(value)


class EditionForm(_NoSuffix, forms.Form):
    name = forms.CharField(max_length=200, label="Bezeichnung", help_text="z. B. „Fortschreibung 2025“")
    edition_date = forms.DateField(label="Stand", widget=forms.DateInput(attrs={"type": "date"}))


class ImportForm(_NoSuffix, forms.Form):
    file = forms.FileField(label="Datei (CSV oder XLSX)")


class AdoptDraftForm(_NoSuffix, forms.Form):
    """The agenda item of a body of the plan that adopted a draft Fortschreibung."""

    agenda_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), label="beschlossen durch (TOP)")
    note = forms.CharField(required=False, max_length=2000, label="Vermerk")

    def __init__(self, plan: Plan, viewer: Viewer | None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = plan_agenda_items(plan, viewer)  # type: ignore[attr-defined]
        self.fields["agenda_item"].label_from_instance = _item_label  # type: ignore[attr-defined]
