"""Unique, readable URL slugs."""

from __future__ import annotations

from typing import Any


def unique_slug(model: Any, root: str, instance_pk: Any = None, max_length: int = 200) -> str:
    """`root`, or `root-2`, `root-3` … if another row of `model` already has that slug."""
    root = root[: max_length - 8]
    candidate, n = root, 1
    manager = model._default_manager
    while manager.filter(slug=candidate).exclude(pk=instance_pk).exists():
        n += 1
        candidate = f"{root}-{n}"
    return candidate
