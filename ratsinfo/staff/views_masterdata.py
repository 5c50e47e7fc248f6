"""Master data in the staff area (/verwaltung/stammdaten/): Gremien with their Sitzungsregeln and fixed agenda
items, Personen, Mitgliedschaften, Orte. Thin views: forms validate, `bodies.masterdata` decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ratsinfo.bodies import masterdata as md
from ratsinfo.bodies.access import viewer_of
from ratsinfo.bodies.models import (
    GROUP_KINDS,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.meetings.models import GremiumRules
from ratsinfo.staff import forms_masterdata as f
from ratsinfo.staff.access import staff_permission_required, the_body

View = Callable[..., HttpResponseBase]
PAGE = 50  # persons per page (keyset)
# Kinds in the order of their choices: Rat, Verwaltungsausschuss, Fachausschüsse, …, Fraktionen, Verwaltung.
KIND_ORDER = Case(*(When(kind=k, then=Value(i)) for i, k in enumerate(OrganizationKind.values)),
                  default=Value(99), output_field=IntegerField())




def _save(request: HttpRequest, form: forms.Form, run: Callable[[], Any], done: str) -> Any:
    """Run a service for a valid POSTed form; a refusal goes to its field and nothing is saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = run()
    except md.MasterDataError as error:
        f.show_error(form, error)
        return None
    messages.success(request, done)
    return saved


def _gremium(request: HttpRequest, pk: int) -> Organization:
    return get_object_or_404(Organization.objects.visible_to(viewer_of(request)), pk=pk)


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    bad = any(isinstance(v, forms.Form) and v.is_bound and v.errors for v in context.values())
    return render(request, f"staff/masterdata/{template}", context, status=400 if bad else 200)


# --- Übersicht, Gremien --------------------------------------------------------------------------


@staff_permission_required("bodies.view_organization")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/masterdata/index.html", {})


@staff_permission_required("bodies.change_organization")
def gremium_list(request: HttpRequest) -> HttpResponse:
    """Grouped by kind, for one Wahlperiode (default: the current one); Gremien without dates always show."""
    terms = list(LegislativeTerm.objects.visible_to(viewer_of(request)).order_by("-start_date", "pk"))
    chosen = f.TermFilterForm(request.GET).value("wahlperiode")
    today = timezone.localdate()
    term = next((t for t in terms if t.pk == chosen), None) or next(
        (t for t in terms if (t.start_date or today) <= today <= (t.end_date or today)), terms[0] if terms else None)
    rows = Organization.objects.visible_to(viewer_of(request)).order_by(KIND_ORDER, "name", "pk").annotate(
        members=Count("memberships", filter=Q(memberships__deleted=False) & md.active_memberships_q(today)))
    if term is not None:
        rows = rows.filter(md.overlapping_q(term.start_date, term.end_date))
    return render(request, "staff/masterdata/gremium_list.html", {"rows": rows, "terms": terms, "term": term})


@staff_permission_required("bodies.add_organization")
def gremium_new(request: HttpRequest) -> HttpResponse:
    form = f.GremiumForm(request.POST or None, auto_id="gremium-%s")
    saved = _save(request, form, lambda: md.save_gremium(the_body(), form.fields_value()), "Gremium angelegt.")
    if saved:
        return redirect("staff:masterdata:gremium", pk=saved.pk)
    return _page(request, "gremium_new.html", {"form": form})


def _gremium_page(request: HttpRequest, organization: Organization, **bound: forms.Form) -> HttpResponse:
    version = md.version_of(organization)
    rules = GremiumRules.objects.filter(organization=organization).first()
    context: dict[str, Any] = {
        "gremium": organization, "version": version, "term": md.term_of(organization),
        "items": md.fixed_items_of(organization), "stored_items": rules is not None and rules.fixed_items is not None,
        "form": f.GremiumForm(initial=f.GremiumForm.initial_of(organization, version, md.term_of(organization)),
                              organization=organization, auto_id="gremium-%s"),
        "rules_form": f.RulesForm(initial=md.rules_initial(organization, version), auto_id="regeln-%s"),
        "item_form": f.FixedItemAddForm(initial={"version": version}, auto_id="punkt-%s"),
        "move_form": None,
    }
    context.update(bound)
    return _page(request, "gremium_edit.html", context)


@staff_permission_required("bodies.change_organization")
def gremium_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _gremium(request, pk)
    if request.method != "POST":
        return _gremium_page(request, organization)
    form = f.GremiumForm(request.POST, organization=organization, auto_id="gremium-%s")
    run = lambda: md.save_gremium(organization.body, form.fields_value(), organization=organization,  # noqa: E731
                                  expected_version=form.cleaned_data["version"])
    if _save(request, form, run, "Gremium gespeichert."):
        return redirect("staff:masterdata:gremium", pk=pk)
    return _gremium_page(request, organization, form=form)


@require_POST
@staff_permission_required("meetings.change_gremiumrules")
def gremium_rules(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _gremium(request, pk)
    form = f.RulesForm(request.POST, auto_id="regeln-%s")
    run = lambda: md.save_rules(organization, form.fields_value(), expected_version=form.cleaned_data["version"])  # noqa: E731
    if _save(request, form, run, "Sitzungsregeln gespeichert."):
        return redirect(reverse("staff:masterdata:gremium", kwargs={"pk": pk}) + "#regeln")
    return _gremium_page(request, organization, rules_form=form)


@require_POST
@staff_permission_required("meetings.change_gremiumrules")
def gremium_fixed_items(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a fixed item (form with a name) or move/remove/reset one (buttons)."""
    organization = _gremium(request, pk)
    adding = "name" in request.POST
    form: Any = f.FixedItemAddForm(request.POST, auto_id="punkt-%s") if adding else f.FixedItemMoveForm(request.POST)
    run = lambda: md.change_fixed_items(organization, form.change(), expected_version=form.cleaned_data["version"])  # noqa: E731
    if _save(request, form, run, "Feste Tagesordnungspunkte gespeichert."):
        return redirect(reverse("staff:masterdata:gremium", kwargs={"pk": pk}) + "#feste-punkte")
    return _gremium_page(request, organization, **({"item_form": form} if adding else {"move_form": form}))


@staff_permission_required("bodies.change_membership")
def gremium_members(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _gremium(request, pk)
    form = f.MembershipForm(request.POST or None, organization=organization, initial={"organization": pk},
                            auto_id="mitglied-%s")
    if request.method == "POST" and request.POST.get("organization") != str(pk):
        raise Http404("Seite nicht gefunden")
    if _save(request, form, lambda: md.add_membership(form.fields_value()), "Mitgliedschaft angelegt."):
        return redirect("staff:masterdata:gremium_members", pk=pk)
    memberships = _memberships(request).filter(organization=organization).order_by("end_date", "person__family_name", "pk")
    return _page(request, "gremium_members.html", {"gremium": organization, "memberships": memberships, "form": form,
                                                   "today": timezone.localdate()})


def _memberships(request: HttpRequest) -> Any:
    return Membership.objects.visible_to(viewer_of(request)).select_related("person", "organization", "on_behalf_of")


# --- Personen ------------------------------------------------------------------------------------


@staff_permission_required("bodies.change_person")
def person_list(request: HttpRequest) -> HttpResponse:
    """Alphabetical, filtered by name, paged by key (family name, name, id) so no page is counted or offset."""
    query = f.PersonFilterForm(request.GET)
    rows = Person.objects.visible_to(viewer_of(request)).select_related("user").order_by("family_name", "name", "pk")
    if text := query.value("name"):
        rows = rows.filter(name__icontains=text.strip())
    if (after := query.value("nach")) and (last := Person.objects.filter(pk=after).first()):
        rows = rows.filter(md.after_person_q(last))
    groups = Membership.objects.visible_to(viewer_of(request)).filter(organization__kind__in=GROUP_KINDS).filter(
        md.active_memberships_q(timezone.localdate())).select_related("organization")
    page = list(rows.prefetch_related(Prefetch("memberships", queryset=groups, to_attr="groups"))[: PAGE + 1])
    more = page[PAGE - 1].pk if len(page) > PAGE else None
    return render(request, "staff/masterdata/person_list.html", {
        "rows": page[:PAGE], "query": query, "more": more, "name": query.value("name") or ""})


@staff_permission_required("bodies.add_person")
def person_new(request: HttpRequest) -> HttpResponse:
    form = f.PersonForm(request.POST or None, request.FILES or None, auto_id="person-%s")
    saved = _save(request, form, lambda: md.save_person(the_body(), form.fields_value()), "Person angelegt.")
    if saved:
        return redirect("staff:masterdata:person", pk=saved.pk)
    return _page(request, "person_new.html", {"form": form})


@staff_permission_required("bodies.change_person")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.visible_to(viewer_of(request)).select_related("user"), pk=pk)
    form = f.PersonForm(request.POST or None, request.FILES or None, auto_id="person-%s", editing=True,
                        initial=f.PersonForm.initial_of(person, md.version_of(person)))
    run = lambda: md.save_person(person.body, form.fields_value(), person=person,  # noqa: E731
                                 expected_version=form.cleaned_data["version"])
    if _save(request, form, run, "Person gespeichert."):
        return redirect("staff:masterdata:person", pk=pk)
    memberships = _memberships(request).filter(person=person).order_by("end_date", "organization__name", "pk")
    return _page(request, "person_edit.html", {"person": person, "form": form, "memberships": memberships,
                                               "today": timezone.localdate()})


@staff_permission_required("bodies.change_membership")
def person_memberships(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.visible_to(viewer_of(request)), pk=pk)
    form = f.MembershipForm(request.POST or None, person=person, initial={"person": pk}, auto_id="mitglied-%s")
    if request.method == "POST" and request.POST.get("person") != str(pk):
        raise Http404("Seite nicht gefunden")
    if _save(request, form, lambda: md.add_membership(form.fields_value()), "Mitgliedschaft angelegt."):
        return redirect("staff:masterdata:person", pk=pk)
    return _page(request, "person_memberships.html", {"person": person, "form": form})


# --- Mitgliedschaften ----------------------------------------------------------------------------


@staff_permission_required("bodies.change_membership")
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(_memberships(request), pk=pk)
    initial = {name: getattr(membership, name) for name in (
        "person", "organization", "role", "voting_right", "deputy", "on_behalf_of", "start_date", "end_date")}
    form = f.MembershipForm(request.POST or None, person=membership.person, organization=membership.organization,
                            editing=True, initial={**initial, "version": md.version_of(membership)}, auto_id="mitglied-%s")
    run = lambda: md.update_membership(membership, form.fields_value(),  # noqa: E731
                                       expected_version=form.cleaned_data["version"])
    if _save(request, form, run, "Mitgliedschaft gespeichert."):
        return redirect("staff:masterdata:gremium_members", pk=membership.organization_id)
    end_form = f.EndMembershipForm(initial={"version": md.version_of(membership), "end_date": timezone.localdate()},
                                   auto_id="ende-%s")
    return _page(request, "membership_edit.html", {"membership": membership, "form": form, "end_form": end_form})


@require_POST
@staff_permission_required("bodies.change_membership")
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(_memberships(request), pk=pk)
    form = f.EndMembershipForm(request.POST, auto_id="ende-%s")
    run = lambda: md.end_membership(membership, form.cleaned_data["end_date"],  # noqa: E731
                                    expected_version=form.cleaned_data["version"])
    if _save(request, form, run, "Mitgliedschaft beendet; sie bleibt in der Historie."):
        return redirect("staff:masterdata:gremium_members", pk=membership.organization_id)
    edit_form = f.MembershipForm(person=membership.person, organization=membership.organization, auto_id="mitglied-%s",
                                 initial={"version": md.version_of(membership), "role": membership.role})
    return _page(request, "membership_edit.html", {"membership": membership, "form": edit_form, "end_form": form})


# --- Orte ----------------------------------------------------------------------------------------


@staff_permission_required("bodies.change_location")
def location_list(request: HttpRequest) -> HttpResponse:
    rows = Location.objects.visible_to(viewer_of(request)).order_by("locality", "description", "pk")
    return render(request, "staff/masterdata/location_list.html", {"rows": rows})


@staff_permission_required("bodies.change_location")
def location_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    location = get_object_or_404(Location.objects.visible_to(viewer_of(request)), pk=pk) if pk is not None else None
    initial: dict[str, Any] = {}
    if location is not None:
        initial = {name: getattr(location, name) for name in (
            "description", "room", "street_address", "postal_code", "locality", "sub_locality")}
        lat, lon = md.coordinates_of(location)
        initial.update(version=md.version_of(location), latitude=lat, longitude=lon)
    form = f.LocationForm(request.POST or None, initial=initial, auto_id="ort-%s", editing=location is not None)
    run = lambda: md.save_location(form.fields_value(), location=location,  # noqa: E731
                                   expected_version=form.cleaned_data["version"] if location else None)
    if _save(request, form, run, "Ort gespeichert."):
        return redirect("staff:masterdata:locations")
    return _page(request, "location_edit.html", {"location": location, "form": form})
