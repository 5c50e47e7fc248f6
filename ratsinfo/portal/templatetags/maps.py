"""The map partial's configuration (tile server per installation) and its marker data."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import orjson
from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def map_config() -> dict[str, str]:
    url = settings.RATSINFO_MAP_TILE_URL
    return {"tile_url": url, "tile_host": urlsplit(url).hostname or url, "attribution": settings.RATSINFO_MAP_ATTRIBUTION}


@register.filter
def as_json(value: Any) -> str:
    """JSON for a data- attribute (autoescaping then quotes it safely)."""
    return orjson.dumps(value).decode()
