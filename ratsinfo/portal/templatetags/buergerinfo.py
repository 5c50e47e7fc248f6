"""Small template helpers of the Bürgerinfo: German dates, navigation state, the municipality."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django import template
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()

WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]


def _installation(context: dict[str, Any]) -> tuple[str, bool]:
    """The first Gemeinde's name (the page header's) and whether there are several; one query a request."""
    request = context.get("request")
    cached = getattr(request, "_ratsinfo_municipality", None) if request is not None else None
    if cached is not None:
        return cached
    from ratsinfo.bodies.models import Body

    first_two = list(Body.objects.visible_to(None).order_by("pk").only("name")[:2])
    found = (first_two[0].name if first_two else "", len(first_two) > 1)
    if request is not None:
        request._ratsinfo_municipality = found  # type: ignore[attr-defined]
    return found


@register.simple_tag(takes_context=True)
def municipality(context: dict[str, Any]) -> str:
    """Name of the Gemeinde for the page header (the first one where there are several)."""
    return _installation(context)[0]


@register.simple_tag(takes_context=True)
def several_gemeinden(context: dict[str, Any]) -> bool:
    """Whether the installation serves several Gemeinden (then the navigation leads to each one's pages)."""
    return _installation(context)[1]


@register.simple_tag
def list_url(name: str, scope: Any = None) -> str:
    """A portal page (`home`, `meetings`, `papers`, `organizations`, `persons`) of every Gemeinde, or,
    given one (`scope`), that Gemeinde's own under /gemeinden/<slug>/."""
    from django.urls import reverse

    if scope:
        return reverse(f"portal:gemeinde_{name}", kwargs={"slug": scope.slug})
    return reverse(f"portal:{name}")


@register.simple_tag(takes_context=True)
def nav_link(context: dict[str, Any], url: str, label: str) -> str:
    request = context.get("request")
    path = getattr(request, "path", "")
    current = path == url if url == "/" else path.startswith(url)
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


def _local(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


@register.filter
def datum(value: Any) -> str:
    """06.10.2022"""
    value = _local(value)
    return value.strftime("%d.%m.%Y") if value else ""


@register.filter
def datum_lang(value: Any) -> str:
    """Donnerstag, 06.10.2022"""
    value = _local(value)
    if not value:
        return ""
    return f"{WEEKDAYS[value.weekday()]}, {value:%d.%m.%Y}"


@register.filter
def uhrzeit(value: Any) -> str:
    """17:00 Uhr"""
    value = _local(value)
    return f"{value:%H:%M} Uhr" if isinstance(value, dt.datetime) else ""


@register.filter
def iso(value: Any) -> str:
    """Machine-readable value for <time datetime>."""
    value = _local(value)
    return value.isoformat() if value else ""


@register.filter
def dateigroesse(value: Any) -> str:
    if not value:
        return ""
    size = float(value)
    for unit in ("Byte", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            text = f"{size:.0f}" if unit == "Byte" else f"{size:.1f}".replace(".", ",")
            return f"{text} {unit}"
        size /= 1024
    return ""


@register.filter
def dateityp(mime: str) -> str:
    known = {
        "application/pdf": "PDF",
        "text/plain": "Text",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
        "application/msword": "Word",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
        "image/png": "PNG-Bild",
        "image/jpeg": "JPEG-Bild",
    }
    return known.get(mime or "", (mime or "").split("/")[-1].upper())


# URL of a Vorlage, Sitzung, Gremium or Person without a full reverse() per row: long lists
# (members of the Rat, 25 Vorlagen) would otherwise spend most of their time resolving URLs.
# The prefix comes from the URLconf once, so the addresses stay those of get_absolute_url.
_URL_PATTERNS: dict[str, tuple[str, str, str]] = {
    "Paper": ("portal:paper", "slug", "slug"),
    "Meeting": ("portal:meeting", "pk", "pk"),
    "Organization": ("portal:organization", "slug", "slug"),
    "Person": ("portal:person", "slug", "slug"),
}
_URL_AFFIXES: dict[str, tuple[str, str]] = {}
_MARKER = "0000000000"


@register.filter
def href(obj: Any) -> str:
    if obj is None:
        return ""
    name = type(obj).__name__
    pattern = _URL_PATTERNS.get(name)
    if pattern is None:
        return obj.get_absolute_url()
    affixes = _URL_AFFIXES.get(name)
    if affixes is None:
        from django.urls import reverse

        url = reverse(pattern[0], kwargs={pattern[1]: _MARKER})
        prefix, _, suffix = url.partition(_MARKER)
        affixes = _URL_AFFIXES[name] = (prefix, suffix)
    return f"{affixes[0]}{quote(str(getattr(obj, pattern[2])), safe='-_.~')}{affixes[1]}"
