"""Forms of the Sitzungsdienst's screens: every parameter of /verwaltung/sitzungen/ passes one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from ratsinfo.bodies.models import Location, Organization, Person
from ratsinfo.meetings.models import (
    AgendaItem,
    AgendaItemResult,
    AttendanceStatus,
    ImplementationState,
    MajorityRule,
    Meeting,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PlanForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label="Gremium")
    first_day = forms.DateField(label="Datum (bei einer Reihe: erster Termin)", widget=DATE)
    time = forms.TimeField(label="Uhrzeit", widget=TIME, initial=dt.time(18))
    location = forms.ModelChoiceField(queryset=Location.objects.alive(), required=False, label="Ort")
    last_day = forms.DateField(label="Reihe bis (leer: einzelner Termin)", required=False, widget=DATE)
    interval_weeks = forms.IntegerField(label="alle … Wochen", min_value=1, max_value=52, initial=4)
    skip = forms.CharField(
        label="auslassen (Feiertage, Ferien; TT.MM.JJJJ, durch Komma getrennt)", required=False, max_length=2000,
    )

    def __init__(self, organizations: QuerySet[Organization], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]

    def clean_skip(self) -> list[dt.date]:
        days = []
        for part in filter(None, (p.strip() for p in self.cleaned_data["skip"].split(","))):
            try:
                days.append(dt.datetime.strptime(part, "%d.%m.%Y").date())
            except ValueError as exc:
                raise forms.ValidationError(f"„{part}“ ist kein Datum (TT.MM.JJJJ).") from exc
        return days


class MoveForm(forms.Form):
    day = forms.DateField(label="neues Datum", widget=DATE)
    time = forms.TimeField(label="neue Uhrzeit", widget=TIME)
    location = forms.ModelChoiceField(queryset=Location.objects.alive(), required=False, label="neuer Ort")


class ComposeForm(forms.Form):
    consultations = forms.MultipleChoiceField(label="wartende Vorlagen", widget=forms.CheckboxSelectMultiple, choices=())

    def __init__(self, waiting: list[Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.waiting = {str(c.pk): c for c in waiting}
        self.fields["consultations"].choices = [  # type: ignore[attr-defined]
            (str(c.pk), f"{c.paper.reference} {c.paper.name} ({c.role or 'Beratung'})") for c in waiting
        ]

    def chosen(self) -> list[Any]:
        return [self.waiting[pk] for pk in self.cleaned_data["consultations"]]


class ItemForm(forms.Form):
    name = forms.CharField(label="Gegenstand", max_length=1000)
    public = forms.BooleanField(label="öffentlich", required=False, initial=True)
    sub_item = forms.BooleanField(label="Unterpunkt des vorigen Punkts", required=False)


class ItemActionForm(forms.Form):
    ACTIONS = [("up", "nach oben"), ("down", "nach unten"), ("remove", "entfernen")]
    item = forms.ModelChoiceField(queryset=AgendaItem.objects.none())
    action = forms.ChoiceField(choices=ACTIONS)

    def __init__(self, meeting: Meeting, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.agenda_items.alive()  # type: ignore[attr-defined]


class InvitationForm(forms.Form):
    late_reason = forms.CharField(
        label="Begründung einer verkürzten Ladungsfrist (Dringlichkeit)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class AttendanceForm(VersionForm):
    person = forms.ModelChoiceField(queryset=Person.objects.alive(), widget=forms.HiddenInput)
    status = forms.ChoiceField(label="Anwesenheit", choices=AttendanceStatus.choices)
    arrived = forms.TimeField(label="von", required=False, widget=TIME)
    left = forms.TimeField(label="bis", required=False, widget=TIME)
    represents = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label="vertritt")
    chair = forms.BooleanField(label="Vorsitz", required=False)

    def __init__(self, members: QuerySet[Person], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["represents"].queryset = members  # type: ignore[attr-defined]


class QuorumForm(VersionForm):
    action = forms.ChoiceField(choices=[("state", "feststellen"), ("dispute", "gerügt: nachzählen")])
    at = forms.TimeField(label="Uhrzeit", required=False, widget=TIME)


class ResultForm(VersionForm):
    item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), widget=forms.HiddenInput)
    result = forms.ChoiceField(label="Ergebnis", choices=[("", "–"), *AgendaItemResult.choices], required=False)
    yes = forms.IntegerField(label="Ja", min_value=0, max_value=999, required=False)
    no = forms.IntegerField(label="Nein", min_value=0, max_value=999, required=False)
    abstain = forms.IntegerField(label="Enthaltung", min_value=0, max_value=999, required=False)
    excluded = forms.ModelMultipleChoiceField(queryset=Person.objects.none(), required=False, label="befangen (§ 41)")
    majority_rule = forms.ChoiceField(label="Mehrheit", choices=MajorityRule.choices)
    requires_action = forms.BooleanField(label="Auftrag an die Verwaltung (Beschlusskontrolle)", required=False)
    resolution_text = forms.CharField(label="Beschlusstext", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    at = forms.TimeField(label="Uhrzeit", required=False, widget=TIME)

    def __init__(self, meeting: Meeting, members: QuerySet[Person], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.agenda_items.alive()  # type: ignore[attr-defined]
        self.fields["excluded"].queryset = members  # type: ignore[attr-defined]


class PostponeForm(VersionForm):
    item = forms.ModelChoiceField(queryset=AgendaItem.objects.none())
    to_meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), label="in die Sitzung")

    def __init__(self, meeting: Meeting, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.agenda_items.alive()  # type: ignore[attr-defined]
        later = Meeting.objects.alive().filter(organizations__in=meeting.organizations.all(), cancelled=False)
        if meeting.start:
            later = later.filter(start__gt=meeting.start)
        self.fields["to_meeting"].queryset = later.order_by("start")  # type: ignore[attr-defined]


class AnnounceForm(forms.Form):
    announcing = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), label="unter TOP")
    items = forms.ModelMultipleChoiceField(
        queryset=AgendaItem.objects.none(), label="Beschlüsse des nichtöffentlichen Teils", widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, meeting: Meeting, earlier: QuerySet[AgendaItem], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["announcing"].queryset = meeting.agenda_items.alive().filter(public=True)  # type: ignore[attr-defined]
        self.fields["items"].queryset = earlier  # type: ignore[attr-defined]


class ImplementationForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Organization.objects.filter(kind="fachbereich"), required=False, label="Fachbereich")
    due_date = forms.DateField(label="Frist", required=False, widget=DATE)
    state = forms.ChoiceField(label="Stand", choices=ImplementationState.choices)
    note = forms.CharField(label="Sachstand", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ControlFilterForm(forms.Form):
    overdue = forms.BooleanField(label="nur überfällige", required=False)
    format = forms.ChoiceField(choices=[("html", "Seite"), ("pdf", "PDF")], required=False)


class PeriodForm(forms.Form):
    start = forms.DateField(label="von", widget=DATE)
    end = forms.DateField(label="bis", widget=DATE)
    format = forms.ChoiceField(choices=[("html", "Seite"), ("csv", "CSV"), ("pdf", "PDF")], required=False)
