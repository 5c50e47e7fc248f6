"""Response headers every answer carries (the Content-Security-Policy comes from django-csp).

- Permissions-Policy: the site uses no camera, microphone, location, payment or similar API.
- `Cache-Control: private, no-store` on every answer to a logged-in user (it may hold what only
  that user may see; no shared cache or browser history keeps it) and on answers a view marks
  with `@private_response`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
        "gyroscope", "magnetometer", "microphone", "midi", "payment", "picture-in-picture", "publickey-credentials-get",
        "screen-wake-lock", "sync-xhr", "usb", "xr-spatial-tracking", "interest-cohort",
    )
)
PRIVATE = "private, no-store"


def private_response(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Marks a view's answers as holding non-public data, whoever asks."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response.ratsinfo_private = True  # type: ignore[attr-defined]
        return response

    return wrapper


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if getattr(response, "ratsinfo_private", False) or (user is not None and user.is_authenticated):
            response["Cache-Control"] = PRIVATE
            response.headers.pop("Expires", None)
        return response
