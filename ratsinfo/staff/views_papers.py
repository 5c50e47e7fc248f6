"""Vorlagen in the staff area (/verwaltung/vorlagen/): work lists, drafting, Beratungsfolge,
Mitzeichnung, Freigabe, Anträge on paper. Thin views: forms validate, `papers.workflow` decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ratsinfo.bodies.access import viewer_of
from ratsinfo.papers import numbering, workflow
from ratsinfo.papers.models import CosignatureState, Paper, PaperState, PaperType
from ratsinfo.papers.workflow import PaperWorkflowError, Step
from ratsinfo.papers.worklists import LIST_LIMIT, work_lists
from ratsinfo.staff import forms_papers as f
from ratsinfo.staff.access import staff_permission_required, the_body

View = Callable[..., HttpResponseBase]


# Staff who work on Vorlagen (Sitzungsdienst, Sachbearbeitung, Bürgermeister/in).
paper_staff = staff_permission_required("papers.view_paper")


def _paper(request: HttpRequest, pk: int) -> Paper:
    return get_object_or_404(Paper.objects.visible_to(viewer_of(request)), pk=pk)


# Several forms share one page: distinct id prefixes keep the labels' ids unique.
AUTO_IDS = {
    "cosign_form": "mz-%s", "sign_form": "zeichnen-%s", "release_form": "freigabe-%s", "withdraw_form": "zurueck-%s",
    "upload_form": "anlage-%s", "receive_form": "eingang-%s",
}


def _detail(request: HttpRequest, paper: Paper, **bound: forms.Form) -> HttpResponse:
    """The Vorlage with every action form; a bound form with errors replaces its empty twin."""
    user = request.user
    context: dict[str, Any] = {
        "paper": paper, "sections": paper.sections.order_by("order"),
        "consultations": paper.consultations.filter(deleted=False).select_related("organization", "meeting"),
        "cosignatures": paper.cosignatures.select_related("department", "person", "decided_by"),
        "files": paper.files.filter(deleted=False), "events": paper.events.select_related("actor"),
        "missing": workflow.missing_for_release(paper), "may_edit": paper.state in workflow.EDITABLE_STATES,
        "may_release": workflow.may_release(user, paper), "my_cosignature": workflow.open_cosignature_for(paper, user),  # type: ignore[arg-type]
        "diff": workflow.amendment_diff(paper), "state": PaperState, "signed": CosignatureState.SIGNED,
        "follow_ups": paper.follow_ups.visible_to(viewer_of(request)),
        "related": paper.related_papers.visible_to(viewer_of(request)),
        "cosign_form": f.CosignForm(auto_id=AUTO_IDS["cosign_form"]),
        "sign_form": f.CommentForm(initial={"version": paper.version}, auto_id=AUTO_IDS["sign_form"]),
        "release_form": f.CommentForm(initial={"version": paper.version}, auto_id=AUTO_IDS["release_form"]),
        "withdraw_form": f.RequiredCommentForm(auto_id=AUTO_IDS["withdraw_form"]),
        "upload_form": f.UploadForm(auto_id=AUTO_IDS["upload_form"]),
        "receive_form": f.ReceiveForm(auto_id=AUTO_IDS["receive_form"]),
    }
    context.update(bound)
    context["refusals"] = [error for form in bound.values() for error in form.non_field_errors()]
    return render(request, "staff/papers/detail.html", context, status=400 if bound else 200)


def _act(request: HttpRequest, pk: int, form_class: type[forms.Form], key: str,
         run: Callable[[Paper, dict[str, Any]], Any], done: str) -> HttpResponse:
    """Run one workflow step from a POSTed form; a refusal is shown at the form, nothing is saved."""
    paper = _paper(request, pk)
    form = form_class(request.POST, request.FILES, auto_id=AUTO_IDS[key])
    if form.is_valid():
        try:
            run(paper, form.cleaned_data)
        except PaperWorkflowError as error:
            f.show_error(form, error)
        else:
            messages.success(request, done)
            return redirect("staff:papers:detail", pk=paper.pk)
    return _detail(request, Paper.objects.get(pk=paper.pk), **{key: form})


@paper_staff
def worklist(request: HttpRequest) -> HttpResponse:
    lists = work_lists(viewer_of(request), request.user.has_perm(workflow.RELEASE_PERMISSION))
    shown = [(w, list(w.papers[:LIST_LIMIT])) for w in lists]
    return render(request, "staff/papers/worklist.html", {"lists": shown, "limit": LIST_LIMIT})


@paper_staff
def new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("papers.add_paper"):
        raise Http404("Seite nicht gefunden")
    form = f.NewPaperForm(request.POST or None, viewer=viewer_of(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            paper = workflow.create_draft(
                request.user, data["department"].body, data["paper_type"], data["name"],  # type: ignore[arg-type]
                department=data["department"], related=data["related"], public=data["public"], day=data["day"],
                reserved_to_council=data["reserved_to_council"], locations=data["locations"],
            )
        except PaperWorkflowError as error:
            f.show_error(form, error)
        else:
            messages.success(request, "Entwurf angelegt. Bitte die Abschnitte ausfüllen.")
            return redirect("staff:papers:edit", pk=paper.pk)
    return render(request, "staff/papers/new.html", {"form": form}, status=400 if form.errors else 200)


@paper_staff
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _paper(request, pk))


@paper_staff
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _paper(request, pk)
    form = f.EditPaperForm(request.POST or None, paper=paper, viewer=viewer_of(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workflow.update_draft(
                paper, request.user, expected_version=data["version"], name=data["name"],  # type: ignore[arg-type]
                sections=form.sections(), department=data["department"], public=data["public"], day=data["day"],
                reserved_to_council=data["reserved_to_council"], locations=data["locations"],
            )
        except PaperWorkflowError as error:
            f.show_error(form, error)
        else:
            messages.success(request, "Änderungen gespeichert.")
            return redirect("staff:papers:detail", pk=paper.pk)
    return render(request, "staff/papers/edit.html", {"paper": paper, "form": form}, status=400 if form.errors else 200)


@paper_staff
def steps(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _paper(request, pk)
    form, change = f.StepForm(paper=paper), f.StepChangeForm()
    if request.method == "POST":
        planned = workflow.planned_steps(paper)
        if "change" in request.POST:
            change = f.StepChangeForm(request.POST)
            form_used: forms.Form = change
            new_steps = _changed(planned, change.cleaned_data) if change.is_valid() else None
        else:
            form = form_used = f.StepForm(request.POST, paper=paper)
            new_steps = [*planned, Step(**form.cleaned_data)] if form.is_valid() else None
        if new_steps is not None and _plan(request, paper, new_steps, form_used):
            return redirect("staff:papers:steps", pk=paper.pk)
    return render(request, "staff/papers/steps.html", {
        "paper": paper, "form": form, "change": change,
        "consultations": paper.consultations.filter(deleted=False).select_related("organization", "meeting"),
    }, status=400 if form.errors or change.errors else 200)


def _changed(planned: list[Step], data: dict[str, Any]) -> list[Step] | None:
    index = data["position"] - 1
    if index >= len(planned):
        return None
    if data["change"] == "entfernen":
        return planned[:index] + planned[index + 1:]
    other = index - 1 if data["change"] == "hoch" else index + 1
    if not 0 <= other < len(planned):
        return planned
    planned[index], planned[other] = planned[other], planned[index]
    return planned


def _plan(request: HttpRequest, paper: Paper, new_steps: list[Step], form: forms.Form) -> bool:
    try:
        workflow.plan_consultations(paper, request.user, new_steps)  # type: ignore[arg-type]
    except PaperWorkflowError as error:
        f.show_error(form, error)
        return False
    messages.success(request, "Beratungsfolge gespeichert.")
    return True


def _step(form_class: type[forms.Form], key: str, done: str, run: Callable[[Paper, Any, dict[str, Any]], Any]) -> View:
    """A POST-only view running one workflow step as the logged-in user."""

    @require_POST
    @paper_staff
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _act(request, pk, form_class, key, lambda paper, data: run(paper, request.user, data), done)

    return view


send = _step(f.CosignForm, "cosign_form", "Zur Mitzeichnung gesandt.", lambda p, u, d: workflow.send_for_cosigning(
    p, u, departments=d["departments"], persons=d["persons"], comment=d["comment"]))
sign = _step(f.CommentForm, "sign_form", "Mitgezeichnet.", lambda p, u, d: workflow.sign(
    p, u, comment=d["comment"], expected_version=d["version"]))
give_back = _step(f.CommentForm, "sign_form", "Mit Anmerkung zurückgegeben.", lambda p, u, d: workflow.return_with_comment(
    p, u, comment=d["comment"], expected_version=d["version"]))
release = _step(f.CommentForm, "release_form", "Freigegeben.", lambda p, u, d: workflow.release(
    p, u, comment=d["comment"], expected_version=d["version"]))
withdraw = _step(f.RequiredCommentForm, "withdraw_form", "Zurückgezogen; die Nummer bleibt vergeben.",
                 lambda p, u, d: workflow.withdraw(p, u, comment=d["comment"]))
upload = _step(f.UploadForm, "upload_form", "Anlage hinzugefügt.", lambda p, u, d: workflow.add_attachment(
    p, u, data=d["file"].read(), file_name=d["file"].name, name=d["name"], public=d["public"],
    mime_type=d["file"].content_type or ""))
receive = _step(f.ReceiveForm, "receive_form", "Eingang bestätigt und nummeriert.",
                lambda p, u, d: workflow.receive_motion(p, u, received_on=d["received_on"]))


@require_POST
@paper_staff
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    original = _paper(request, pk)
    try:
        paper = workflow.create_follow_up(original, request.user)  # type: ignore[arg-type]
    except PaperWorkflowError as error:
        messages.error(request, str(error))
        return redirect("staff:papers:detail", pk=original.pk)
    messages.success(request, f"Ergänzungsvorlage {paper.reference} angelegt.")
    return redirect("staff:papers:edit", pk=paper.pk)


@paper_staff
def enter_motion(request: HttpRequest) -> HttpResponse:
    if not viewer_of(request).sees_everything:
        raise Http404("Seite nicht gefunden")
    form = f.MotionForm(request.POST or None, viewer=viewer_of(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            paper = workflow.enter_paper_motion(
                request.user, the_body(), data["paper_type"], data["name"], sections=form.sections(),  # type: ignore[arg-type]
                received_on=data["received_on"], group=data["group"], persons=list(data["persons"]),
                amends=(data["amends"] or [None])[0], public=data["public"],
            )
        except PaperWorkflowError as error:
            f.show_error(form, error)
        else:
            messages.success(request, f"{paper.get_paper_type_display()} {paper.reference} erfasst.")
            return redirect("staff:papers:detail", pk=paper.pk)
    return render(request, "staff/papers/motion.html", {"form": form}, status=400 if form.errors else 200)


@paper_staff
def number_patterns(request: HttpRequest) -> HttpResponse:
    """Nummernkreise per Vorlagenart (Sitzungsdienst, Administration)."""
    if not request.user.has_perm("papers.change_numberpattern"):
        raise Http404("Seite nicht gefunden")
    body = the_body()
    form = f.NumberPatternForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        numbering.set_pattern(body, data["paper_type"], data["pattern"], data["assign_at"])
        messages.success(request, f"Nummernkreis für {PaperType(data['paper_type']).label} gespeichert.")
        return redirect("staff:papers:number_patterns")
    rows = [(label, numbering.pattern_for(body, value)) for value, label in PaperType.choices]
    return render(request, "staff/papers/number_patterns.html", {"form": form, "rows": rows},
                  status=400 if form.errors else 200)
