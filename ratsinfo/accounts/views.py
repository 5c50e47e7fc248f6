"""Second-factor pages, the lockout page and the administrators' audit log."""

from __future__ import annotations

from contextlib import suppress
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ratsinfo.accounts import auditlog, second_factor
from ratsinfo.accounts.forms import AuditFilterForm, CodeForm
from ratsinfo.accounts.roles import is_administrator


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or settings.LOGIN_REDIRECT_URL
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if safe else settings.LOGIN_REDIRECT_URL


def _codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    # Shown once, in the answer to the POST that made them; never again.
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): German, 429, no hint whether the account exists."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "accounts/overview.html", {
        "has_device": second_factor.has_confirmed_device(user),
        "required": second_factor.requires_second_factor(user),
    })


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    if second_factor.has_confirmed_device(request.user) and not second_factor.is_verified(request):
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            return _codes_page(request, second_factor.confirm_setup(request, form.cleaned_data["code"]))
        except second_factor.SecondFactorError as error:
            form.add_error("code", str(error))
    device = second_factor.pending_device(request.user)
    return render(request, "accounts/setup.html", {
        "form": form, "qr": second_factor.qr_svg(device), "secret": second_factor.secret_text(device),
        "next": _next(request),
    })


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            second_factor.verify(request, form.cleaned_data["code"])
            return redirect(_next(request))
        except second_factor.SecondFactorError as error:
            form.add_error("code", str(error))
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)})


@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not second_factor.has_confirmed_device(request.user):
        return redirect("accounts:overview")
    return _codes_page(request, second_factor.new_recovery_codes(request.user))


@require_POST
@login_required
def disable(request: HttpRequest) -> HttpResponse:
    with suppress(second_factor.SecondFactorError):  # the overview says why the switch is not offered
        second_factor.disable(request)
    return redirect("accounts:overview")


def audit_log(request: HttpRequest) -> HttpResponse:
    if not is_administrator(request.user):
        raise Http404("Seite nicht gefunden")
    form = AuditFilterForm(request.GET)
    rows: list[auditlog.Entry] = []
    older = None
    if form.is_valid():
        data = form.cleaned_data
        filters = auditlog.Filters(data["art"], data["konto"], data["von"], data["bis"], auditlog.parse_cursor(data["aeltere"]))
        rows, older = auditlog.entries(filters)
    query = request.GET.copy()
    query.pop("aeltere", None)
    return render(request, "accounts/audit_log.html", {"form": form, "rows": rows, "older": older, "query": query.urlencode()})
