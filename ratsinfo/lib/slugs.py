"""Unique, readable URL slugs."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

_SPELT_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def translit(text: str) -> str:
    """German letters spelt out (`Großenkneten` -> `Grossenkneten`), as people type an address."""
    return text.translate(_SPELT_OUT)


def german_slug(text: str) -> str:
    """`Gemeinde Großenkneten` -> `gemeinde-grossenkneten` (slugify alone drops the ß and the umlauts' letters)."""
    return slugify(translit(text))


def unique_slug(model: Any, root: str, instance_pk: Any = None, max_length: int = 200) -> str:
    """`root`, or `root-2`, `root-3` … if another row of `model` already has that slug."""
    root = root[: max_length - 8]
    candidate, n = root, 1
    manager = model._default_manager
    while manager.filter(slug=candidate).exclude(pk=instance_pk).exists():
        n += 1
        candidate = f"{root}-{n}"
    return candidate
