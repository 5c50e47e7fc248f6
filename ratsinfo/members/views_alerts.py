"""Suchaufträge in Mein Ratsinfo: subscribe to a search, list and unsubscribe them. The rules
(no opt-in for the account's address, what a member's digest may name) are in search/alerts.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ratsinfo.members.access import member_required
from ratsinfo.search import alerts


class MemberAlertForm(forms.Form):
    q = forms.CharField(
        label="Suchbegriff", max_length=200, error_messages={"required": "Bitte geben Sie einen Suchbegriff an."}
    )


@member_required
def alert_list(request: HttpRequest) -> HttpResponse:
    form = MemberAlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert = alerts.subscribe_member(request.user, form.cleaned_data["q"])  # type: ignore[arg-type]
        except alerts.AlertError as exc:
            form.add_error("q", str(exc))
        else:
            messages.success(request, f"Suchauftrag „{alert.query}“ eingerichtet: höchstens eine E-Mail am Tag.")
            return redirect("members:alerts")
    mine = alerts.alerts_of(request.user)  # type: ignore[arg-type]
    return render(request, "members/alerts.html", {"form": form, "alerts": mine})


@member_required
@require_POST
def alert_remove(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not alerts.unsubscribe_member(request.user, pk):  # type: ignore[arg-type]
        raise Http404("Unbekannter Suchauftrag")
    messages.success(request, "Der Suchauftrag ist abbestellt.")
    return redirect("members:alerts")
