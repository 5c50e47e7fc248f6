"""The change of Wahlperiode at /verwaltung/wahlperiode/ (Sitzungsdienst, Administrator): thin views over
`ratsinfo.bodies.term_change`; one page per term with the steps, one page per committee's seats, and
the preview of the accounts to deactivate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from ratsinfo.bodies import term_change as tc
from ratsinfo.bodies.access import viewer_of
from ratsinfo.bodies.models import LegislativeTerm, Membership, Person, SeatPlan
from ratsinfo.bodies.term_change import TermChangeError
from ratsinfo.staff import forms_term as f
from ratsinfo.staff.access import staff_permission_required, the_body

View = Callable[..., HttpResponseBase]
# Sitzungsdienst and Administrator (both hold bodies.*, roles.py); nobody else opens a Wahlperiode.
TERM_PERMISSION = "bodies.add_legislativeterm"
# Several forms share one page: distinct id prefixes keep the labels' ids unique.
AUTO_IDS = {"council_form": "rat-%s", "gremien_form": "gremien-%s", "seats_form": "sitze-%s", "session_form": "ks-%s"}


term_staff = staff_permission_required(TERM_PERMISSION)


def _term(request: HttpRequest, pk: int) -> LegislativeTerm:
    return get_object_or_404(LegislativeTerm.objects.visible_to(viewer_of(request)).select_related("body"), pk=pk)


def _plan(term: LegislativeTerm, plan_pk: int) -> SeatPlan:
    return get_object_or_404(SeatPlan.objects.select_related("organization", "term"), pk=plan_pk, term=term)


def _candidates(term: LegislativeTerm) -> Any:
    seated = Membership.objects.alive().filter(organization=tc.new_council(term)).values_list("person_id", flat=True)
    return Person.objects.alive().filter(body=term.body).exclude(pk__in=seated).order_by("family_name", "name")


def _forms(term: LegislativeTerm, bound: dict[str, forms.Form]) -> dict[str, forms.Form]:
    made: dict[str, forms.Form] = {
        "council_form": f.CouncilGroupForm(_candidates(term)),
        "gremien_form": f.ConfirmForm(),
        "seats_form": f.SeatPlanForm(tc.seated_committees(term)),
        "session_form": f.SessionForm(),
        **bound,
    }
    for name, form in made.items():
        form.auto_id = AUTO_IDS[name]
    return made


def _page(request: HttpRequest, term: LegislativeTerm, status: int = 200, **bound: forms.Form) -> HttpResponse:
    context = {
        "term": term, "previous": tc.previous_term(term), "council": tc.new_council(term),
        "strengths": list(tc.group_strengths(term).items()),
        "gremien": tc.term_organizations(term).exclude(kind__in=["fraktion", "gruppe"]).select_related("predecessor"),
        "plans": SeatPlan.objects.filter(term=term).select_related("organization").order_by("organization__name"),
        "session": tc.constitutive_session(term), "leavers": len(tc.leaving_accounts(term)), **_forms(term, bound),
    }
    return render(request, "staff/term/detail.html", context, status=status)


def _step(request: HttpRequest, term: LegislativeTerm, name: str, form: forms.Form,
          action: Callable[[dict[str, Any]], str]) -> HttpResponseBase:
    """Run one step's service with the valid form's data; errors go to the form, the page answers 400."""
    if form.is_valid():
        try:
            message = action(form.cleaned_data)
        except TermChangeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, message)
            return redirect("staff:term", pk=term.pk)
    return _page(request, term, status=400, **{name: form})


@term_staff
def term_index(request: HttpRequest) -> HttpResponse:
    """Step 1: the new Wahlperiode."""
    form = f.TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = tc.open_term(the_body(), form.cleaned_data["start"], form.cleaned_data["end"])
        except TermChangeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{term.name} angelegt.")
            return redirect("staff:term", pk=term.pk)
    terms = LegislativeTerm.objects.visible_to(viewer_of(request)).filter(body=the_body()).order_by("-start_date")
    return render(request, "staff/term/index.html", {"form": form, "terms": terms}, status=400 if form.errors else 200)


@term_staff
def term_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _term(request, pk))


@term_staff
def term_council(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Step 2: a Fraktion/Gruppe of the new Rat with its members."""
    term = _term(request, pk)

    def enter(data: dict[str, Any]) -> str:
        group = tc.enter_council_group(term, list(data["persons"]), name=data["name"], short_name=data["short_name"],
                                       kind=data["kind"], chair=data["chair"])
        return f"{len(data['persons'])} Ratsmitglied(er) eingetragen" + (f" für {group.name}." if group else ".")

    return _step(request, term, "council_form", f.CouncilGroupForm(_candidates(term), request.POST), enter)


@term_staff
def term_gremien(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Step 3: take the council Gremien over into the new term."""
    term = _term(request, pk)
    return _step(request, term, "gremien_form", f.ConfirmForm(request.POST),
                 lambda _data: f"{len(tc.prepare_gremien(term))} Gremien übernommen.")


@term_staff
def term_seats(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Step 4: distribute a committee's seats (§ 71 NKomVG)."""
    term = _term(request, pk)

    def plan(data: dict[str, Any]) -> str:
        made = tc.plan_seats(data["committee"], term, data["seats"], data["method"])
        return f"Sitze im {made.organization.name} verteilt." + (f" {made.lot_note}" if made.lot_seats else "")

    return _step(request, term, "seats_form", f.SeatPlanForm(tc.seated_committees(term), request.POST), plan)


@term_staff
def term_session(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Step 6: plan the constitutive session."""
    term = _term(request, pk)

    def plan(data: dict[str, Any]) -> str:
        start = timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))
        return f"{getattr(tc.plan_constitutive_session(term, start), 'name', '')} geplant."

    return _step(request, term, "session_form", f.SessionForm(request.POST), plan)


@term_staff
def term_plan(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    """Steps 4-5 for one committee: the seat table, the lot, the nominations."""
    term = _term(request, pk)
    plan = _plan(term, plan_pk)
    action = request.POST.get("action") if request.method == "POST" else None
    lot_form = f.LotForm(list(plan.allocations.filter(in_lot=True).select_related("group")),
                         request.POST if action == "los" else None)
    assign_form = _assign_form(plan, request.POST if action == "besetzen" else None)
    bound = lot_form if action == "los" else assign_form
    if action in ("los", "besetzen") and bound.is_valid():
        try:
            message = _lot(plan, lot_form) if action == "los" else _assign(plan, assign_form)
        except TermChangeError as exc:
            bound.add_error(None, str(exc))
        else:
            messages.success(request, message)
            return redirect("staff:term_plan", pk=term.pk, plan_pk=plan.pk)
    return _plan_page(request, term, plan, lot_form, assign_form, status=400 if bound.errors else 200)


def _assign_form(plan: SeatPlan, data: Any) -> f.AssignForm:
    groups = tc.term_groups(plan.term).filter(seat_allocations__plan=plan)
    persons = Person.objects.alive().filter(memberships__organization__in=groups, memberships__deleted=False).distinct()
    form = f.AssignForm(groups, persons.order_by("family_name", "name"), data)
    form.auto_id = "besetzen-%s"
    return form


def _lot(plan: SeatPlan, form: f.LotForm) -> str:
    winners = [a.group for a in plan.allocations.filter(group_id__in=form.cleaned_data["winners"])]
    return tc.draw_lot(plan, winners).lot_note


def _assign(plan: SeatPlan, form: f.AssignForm) -> str:
    data = form.cleaned_data
    seat = tc.assign_seat(plan, data["group"], data["person"], advisory=data["advisory"], role=data["role"])
    return f"{seat.person.name} sitzt für die {data['group'].name} im {plan.organization.name}."


def _plan_page(request: HttpRequest, term: LegislativeTerm, plan: SeatPlan, lot_form: forms.Form,
               assign_form: forms.Form, status: int) -> HttpResponse:
    lot_form.auto_id = "los-%s"
    seated = (Membership.objects.alive().filter(organization=plan.organization, deputy=False)
              .select_related("person", "on_behalf_of").order_by("on_behalf_of__name", "person__family_name"))
    return render(request, "staff/term/plan.html", {
        "term": term, "plan": plan, "method": tc.method_label(plan.method), "counts": tc.seat_counts(plan),
        "seated": seated, "lot_form": lot_form, "assign_form": assign_form,
    }, status=status)


@term_staff
def term_accounts(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 7: preview the accounts of members who left, then deactivate the confirmed ones."""
    term = _term(request, pk)
    leavers = tc.leaving_accounts(term)
    form = f.LeaversForm(leavers, request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = [p for p in leavers if str(p.pk) in form.cleaned_data["persons"]]
        try:
            done = tc.deactivate_leavers(term, chosen, actor=request.user if isinstance(request.user, User) else None)
        except TermChangeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{len(done)} Konto/Konten deaktiviert.")
            return redirect("staff:term_accounts", pk=term.pk)
    return render(request, "staff/term/accounts.html", {"term": term, "leavers": leavers, "form": form},
                  status=400 if form.errors else 200)
