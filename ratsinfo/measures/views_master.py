"""Master data screens of the Quartiersmanagement under /massnahmen/<plan>/stammdaten/.

Each kind of record needs its own `measures.change_<model>` permission; records are always
found through the plan (a record of another plan answers 404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ratsinfo.lib.access import has_active_perm
from ratsinfo.measures import forms_master as f
from ratsinfo.measures.models import (
    ActionField,
    FundingArea,
    Goal,
    IndicatorValue,
    MeasureFunding,
    Plan,
)
from ratsinfo.measures.views import _base_context, _plan


@dataclass(frozen=True)
class Kind:
    form: type[f._PlanForm]
    title: str
    deletable: bool = False

    @property
    def model(self) -> Any:
        return self.form._meta.model

    @property
    def permission(self) -> str:
        return f"measures.change_{self.model._meta.model_name}"

    def records(self, plan: Plan) -> Any:
        lookups = {FundingArea: {"plans": plan}, ActionField: {"plan": plan}, Goal: {"action_field__plan": plan},
                   MeasureFunding: {"measure__plan": plan}, IndicatorValue: {"indicator__measure__plan": plan}}
        return self.model.objects.filter(**lookups[self.model])


KINDS = {
    "foerdergebiet": Kind(f.FundingAreaForm, "Fördergebiet"),
    "handlungsfeld": Kind(f.ActionFieldForm, "Handlungsfeld"),
    "ziel": Kind(f.GoalForm, "Ziel"),
    "finanzierung": Kind(f.FundingForm, "Finanzierungsanteil", deletable=True),
    "indikatorwert": Kind(f.IndicatorValueForm, "Indikatorwert", deletable=True),
}


def _allowed(request: HttpRequest, permission: str) -> HttpResponseBase | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_active_perm(request.user, permission):
        raise PermissionDenied("Nur Quartiersmanagement und Verwaltung pflegen die Stammdaten.")
    return None


def master_index(request: HttpRequest, slug: str) -> HttpResponseBase:
    if (denied := _allowed(request, "measures.change_measure")) is not None:
        return denied
    plan = _plan(request, slug)
    context = _base_context(
        request, plan,
        fields=plan.action_fields.prefetch_related("goals"),
        fundings=KINDS["finanzierung"].records(plan).select_related("measure").order_by("measure__number", "year"),
        values=KINDS["indikatorwert"].records(plan).select_related("indicator__measure").order_by(
            "indicator__measure__number", "indicator__name", "year"),
    )
    return render(request, "measures/master_index.html", context)


@require_http_methods(["GET", "POST"])
def master_edit(request: HttpRequest, slug: str, kind: str, pk: int | None = None) -> HttpResponseBase:
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    if (denied := _allowed(request, spec.permission)) is not None:
        return denied
    plan = _plan(request, slug)
    instance = get_object_or_404(spec.records(plan), pk=pk) if pk else None
    if instance is None and kind == "foerdergebiet":
        raise Http404  # the plan's funding area exists; it is only edited here
    if request.method == "POST" and "loeschen" in request.POST and instance is not None and spec.deletable:
        with transaction.atomic():
            instance.delete()
        messages.success(request, f"{spec.title} gelöscht.")
        return redirect(reverse("measures:master", kwargs={"slug": plan.slug}))
    form = spec.form(plan, request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            obj = form.save(commit=False)
            form.attach(obj)
            obj.save()
        messages.success(request, f"{spec.title} gespeichert.")
        return redirect(reverse("measures:master", kwargs={"slug": plan.slug}))
    return render(request, "measures/master_form.html",
                  _base_context(request, plan, form=form, spec=spec, instance=instance))
