"""Keeps sessions that still owe their second factor out: staff roles out of the staff area
until they have set up and used a second factor, opted-in members out of everything until
they have given their code."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from ratsinfo.accounts.second_factor import next_step

# Pages a session may reach before its second factor: giving or setting it up, logout, assets.
# (Setting up a new app with a confirmed one present needs the code first: see the view.)
_OPEN_PREFIXES = (
    "/konto/zwei-faktor/pruefen/", "/konto/zwei-faktor/einrichten/",
    "/abmelden/", "/anmelden/", "/verwaltung/admin/logout/", "/static/",
)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if request.user.is_authenticated and not path.startswith(_OPEN_PREFIXES):
            step = next_step(request, staff_area=path.startswith(settings.RATSINFO_STAFF_AREA))
            if step is not None:
                return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
