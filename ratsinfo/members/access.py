"""Who enters Mein Ratsinfo: any active, logged-in account (what it shows follows from the Viewer)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase


def member_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not (request.user.is_authenticated and request.user.is_active):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
