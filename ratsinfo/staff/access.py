"""Who enters the staff area: active accounts with a staff role. Others get the login (anonymous)
or a 404 (logged in without a staff role), so the area does not even confirm it exists."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponseBase

from ratsinfo.bodies.models import Body


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and user.is_staff):
            raise Http404("Seite nicht gefunden")
        return view(request, *args, **kwargs)

    return wrapper


def staff_permission_required(permission: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """`staff_required` plus one permission of the staff roles (roles.py); without it: 404, like the area."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(permission):
                raise Http404("Seite nicht gefunden")
            return view(request, *args, **kwargs)

        return staff_required(wrapper)

    return decorate


def the_body() -> Body:
    """The Gemeinde the staff area works for (the first one; imported further bodies are read-only here)."""
    body = Body.objects.alive().order_by("pk").first()
    if body is None:
        raise Http404("Keine Gemeinde angelegt")
    return body
