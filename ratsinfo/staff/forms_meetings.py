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
    Vote,
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["chosen"] = [self.waiting[pk] for pk in data.get("consultations", [])]
        return data


class ItemForm(forms.Form):
    name = forms.CharField(label="Gegenstand", max_length=1000)
    public = forms.BooleanField(label="öffentlich", required=False, initial=True)
    sub_item = forms.BooleanField(label="Unterpunkt des vorigen Punkts", required=False)
    election = forms.BooleanField(label="Wahl (§ 67 NKomVG)", required=False)


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

    def clean_result(self) -> str:
        if not self.cleaned_data["result"]:
            raise forms.ValidationError("Bitte ein Ergebnis wählen.")
        return str(self.cleaned_data["result"])


ELECTION_ROWS = 5


class ElectionForm(VersionForm):
    """§ 67: procedure, candidates with their votes, the round, the drawn lot."""

    METHODS = [
        ("stimmzettel", "durch Stimmzettel"),
        ("handzeichen", "offen durch Handzeichen (nur eine Bewerbung und ohne Widerspruch)"),
        ("geheim", "geheim"),
    ]
    item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), widget=forms.HiddenInput)
    method = forms.ChoiceField(label="Wahlverfahren", choices=METHODS, initial="stimmzettel")
    objection = forms.BooleanField(label="Widerspruch gegen die offene Wahl", required=False)
    secret_demanded = forms.BooleanField(label="geheime Wahl von einem Mitglied verlangt", required=False)
    round_number = forms.TypedChoiceField(
        label="Wahlgang", choices=[(1, "1. Wahlgang"), (2, "2. Wahlgang (Stichwahl)")], coerce=int, initial=1,
    )
    no = forms.IntegerField(label="Nein-Stimmen", min_value=0, max_value=999, required=False)
    abstain = forms.IntegerField(label="Enthaltungen", min_value=0, max_value=999, required=False)
    invalid = forms.IntegerField(label="ungültige Stimmzettel", min_value=0, max_value=999, required=False)
    lot_winner = forms.CharField(
        label="Los gezogen für (nur bei Stimmengleichheit im 2. Wahlgang)", max_length=200, required=False,
    )

    def __init__(self, meeting: Meeting, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.agenda_items.alive()  # type: ignore[attr-defined]
        for row in range(1, ELECTION_ROWS + 1):
            self.fields[f"candidate_{row}"] = forms.CharField(label=f"Bewerbung {row}: Name", max_length=200, required=False)
            self.fields[f"votes_{row}"] = forms.IntegerField(
                label=f"Bewerbung {row}: Stimmen", min_value=0, max_value=999, required=False,
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"candidate_{row}"], self[f"votes_{row}"]) for row in range(1, ELECTION_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        candidates: dict[str, int] = {}
        for row in range(1, ELECTION_ROWS + 1):
            name, votes = " ".join(data.get(f"candidate_{row}", "").split()), data.get(f"votes_{row}")
            if name and votes is None:
                self.add_error(f"votes_{row}", "Bitte die Stimmen eintragen.")
            elif votes is not None and not name:
                self.add_error(f"candidate_{row}", "Bitte den Namen eintragen.")
            elif name.casefold() in {c.casefold() for c in candidates}:
                self.add_error(f"candidate_{row}", f"„{name}“ steht schon in einer anderen Zeile.")
            elif name and votes is not None:
                candidates[name] = votes
        if not candidates and not self.errors:
            self.add_error("candidate_1", "Bitte mindestens eine Bewerbung mit ihren Stimmen eintragen.")
        data["candidates"] = candidates
        return data


class OwnVoteForm(VersionForm):
    """§ 68: a member demands that their own vote is recorded (or a mistaken record is removed)."""

    REMOVE = "entfernen"
    item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), widget=forms.HiddenInput)
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Mitglied")
    vote = forms.ChoiceField(label="Stimme", choices=[*Vote.choices, (REMOVE, "festgehaltene Stimme entfernen")])

    def __init__(self, meeting: Meeting, members: QuerySet[Person], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.agenda_items.alive()  # type: ignore[attr-defined]
        self.fields["person"].queryset = members  # type: ignore[attr-defined]


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
