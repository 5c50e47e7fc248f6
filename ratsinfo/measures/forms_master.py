"""Master data of a plan on real screens: Fördergebiet, Handlungsfelder, Ziele, Finanzierung, Indikatorwerte."""

from __future__ import annotations

from typing import Any

from django import forms

from ratsinfo.measures.forms import _NoSuffix
from ratsinfo.measures.models import (
    ActionField,
    FundingArea,
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureFunding,
    Plan,
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _plausible_year(year: int) -> int:
    if not 1990 <= year <= 2100:
        raise forms.ValidationError("Bitte ein Jahr zwischen 1990 und 2100 angeben.")
    return int(year)


class _PlanForm(_NoSuffix, forms.ModelForm):
    """A ModelForm whose choices are limited to one plan."""

    def __init__(self, plan: Plan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.limit_to_plan()

    def limit_to_plan(self) -> None:
        pass

    def attach(self, obj: Any) -> None:
        """Set what the form does not ask for (the plan) before saving."""


class FundingAreaForm(_PlanForm):
    class Meta:
        model = FundingArea
        fields = ["name", "programme", "description", "area_ha", "inhabitants", "funding_start"]
        widgets = {"funding_start": _DATE, "description": forms.Textarea(attrs={"rows": 4})}


class ActionFieldForm(_PlanForm):
    class Meta:
        model = ActionField
        fields = ["name", "order", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if ActionField.objects.filter(plan=self.plan, name=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Dieses Handlungsfeld gibt es in diesem Plan schon.")
        return name

    def attach(self, obj: Any) -> None:
        obj.plan = self.plan


class GoalForm(_PlanForm):
    class Meta:
        model = Goal
        fields = ["action_field", "title", "order"]

    def limit_to_plan(self) -> None:
        self.fields["action_field"].queryset = ActionField.objects.filter(plan=self.plan)  # type: ignore[attr-defined]


class FundingForm(_PlanForm):
    class Meta:
        model = MeasureFunding
        fields = ["measure", "source", "programme", "year", "amount"]

    def limit_to_plan(self) -> None:
        self.fields["measure"].queryset = Measure.objects.alive().filter(plan=self.plan).order_by("number", "pk")  # type: ignore[attr-defined]
        self.fields["year"].widget.attrs.update(min=1990, max=2100)

    def clean_year(self) -> int:
        return _plausible_year(self.cleaned_data["year"])


class IndicatorValueForm(_PlanForm):
    class Meta:
        model = IndicatorValue
        fields = ["indicator", "year", "target_value", "actual_value"]

    def limit_to_plan(self) -> None:
        field = self.fields["indicator"]
        field.queryset = Indicator.objects.filter(  # type: ignore[attr-defined]
            measure__plan=self.plan, measure__deleted=False
        ).select_related("measure").order_by("measure__number", "name")
        field.label_from_instance = lambda i: f"{i.measure.number} {i.measure.title}: {i.name}"  # type: ignore[attr-defined]

    def clean_year(self) -> int:
        return _plausible_year(self.cleaned_data["year"])
