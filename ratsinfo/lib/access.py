"""Who may see non-public council data.

The rule lives here once; every `visible_to(user)` queryset method asks this function,
and no view, feed or API filters by hand.
"""

from __future__ import annotations

from typing import Any

NONPUBLIC_PERMISSION = "bodies.view_nonpublic"


def has_active_perm(user: Any, permission: str) -> bool:
    """An active, logged-in account holding `permission` (anonymous and None never do)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.has_perm(permission))


def sees_nonpublic(user: Any) -> bool:
    """Sitzungsdienst, Verwaltung and council members with the permission see non-public records."""
    return has_active_perm(user, NONPUBLIC_PERMISSION)
