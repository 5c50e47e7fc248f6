"""Forms of the change of Wahlperiode (/verwaltung/wahlperiode/): every input passes one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from ratsinfo.bodies.models import Organization, OrganizationKind, Person, SeatAllocation
from ratsinfo.bodies.seats import METHOD_LABELS, SeatMethod
from ratsinfo.lib.forms import ModelChoiceField, ModelMultipleChoiceField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class TermForm(forms.Form):
    start = forms.DateField(label="Beginn der Wahlperiode", widget=DATE)
    end = forms.DateField(label="Ende der Wahlperiode", widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "Das Ende muss nach dem Beginn liegen.")
        return data


class CouncilGroupForm(forms.Form):
    name = forms.CharField(label="Name der Fraktion/Gruppe (leer: Ratsmitglieder ohne Fraktion)", max_length=300,
                           required=False)
    short_name = forms.CharField(label="Kurzname", max_length=100, required=False)
    kind = forms.ChoiceField(label="Art", choices=[(OrganizationKind.FRAKTION, "Fraktion"), (OrganizationKind.GRUPPE, "Gruppe")])
    persons = ModelMultipleChoiceField(queryset=Person.objects.none(), label="Ratsmitglieder",
                                       widget=forms.CheckboxSelectMultiple)
    chair = ModelChoiceField(queryset=Person.objects.none(), label="Vorsitz", required=False)

    def __init__(self, persons: QuerySet[Person], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["persons"].queryset = persons  # type: ignore[attr-defined]
        self.fields["chair"].queryset = persons  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chair, persons = data.get("chair"), data.get("persons")
        if chair is not None and persons is not None and chair not in persons:
            self.add_error("chair", "Der Vorsitz muss zu den ausgewählten Ratsmitgliedern gehören.")
        if chair is not None and not data.get("name"):
            self.add_error("chair", "Einen Vorsitz gibt es nur in einer Fraktion oder Gruppe.")
        return data


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label="Ja, die Gremien der bisherigen Wahlperiode übernehmen und diese beenden",
                                 required=True, error_messages={"required": "Bitte bestätigen."})


class SeatPlanForm(forms.Form):
    committee = ModelChoiceField(queryset=Organization.objects.none(), label="Ausschuss")
    seats = forms.IntegerField(label="Zahl der Sitze", min_value=1, max_value=99)
    method = forms.ChoiceField(label="Verfahren (§ 71 NKomVG, nach Hauptsatzung/Geschäftsordnung)",
                               choices=[(m.value, METHOD_LABELS[m]) for m in SeatMethod], initial=SeatMethod.HARE_NIEMEYER)

    def __init__(self, committees: QuerySet[Organization], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]


class LotForm(forms.Form):
    winners = forms.MultipleChoiceField(label="Gewinner des Losentscheids", widget=forms.CheckboxSelectMultiple, choices=())

    def __init__(self, tied: list[SeatAllocation], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["winners"].choices = [(str(a.group_id), a.group.name) for a in tied]  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    group = ModelChoiceField(queryset=Organization.objects.none(), label="benennende Fraktion/Gruppe")
    person = ModelChoiceField(queryset=Person.objects.none(), label="Person")
    advisory = forms.BooleanField(label="Grundmandat (beratend, ohne Stimmrecht)", required=False)
    role = forms.CharField(label="Rolle", max_length=200, initial="Mitglied")

    def __init__(self, groups: QuerySet[Organization], persons: QuerySet[Person], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    day = forms.DateField(label="Datum", widget=DATE)
    time = forms.TimeField(label="Uhrzeit", widget=TIME, initial=dt.time(18))


class LeaversForm(forms.Form):
    persons = forms.MultipleChoiceField(label="Konten deaktivieren", widget=forms.CheckboxSelectMultiple, choices=())

    def __init__(self, leavers: list[Person], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["persons"].choices = [  # type: ignore[attr-defined]
            (str(p.pk), f"{p.name} (Konto {p.user.get_username() if p.user else '–'})") for p in leavers
        ]
        self.fields["persons"].initial = [str(p.pk) for p in leavers]
