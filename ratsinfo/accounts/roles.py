"""The role names of the Django groups (defined in ratsinfo/bodies/roles.py, created by its data migration).

Everything in accounts refers to roles through these constants, so that renaming a group
is one change.
"""

from __future__ import annotations

from typing import Any

from ratsinfo.bodies.roles import (  # the one definition of the roles
    ADMINISTRATOR,
    BUERGERMEISTER,
    QUARTIERSMANAGEMENT,
    RATSMITGLIED,
    SACHBEARBEITUNG,
    SITZUNGSDIENST,
)
from ratsinfo.bodies.roles import GESCHAEFTSFUEHRUNG as FRAKTIONSGESCHAEFTSFUEHRUNG

# Staff of the administration: two-factor login is required, single sign-on is offered.
STAFF_GROUPS = frozenset({SITZUNGSDIENST, SACHBEARBEITUNG, BUERGERMEISTER, QUARTIERSMANAGEMENT, ADMINISTRATOR})
# Council members and group offices: local accounts, two-factor login optional.
MEMBER_GROUPS = frozenset({RATSMITGLIED, FRAKTIONSGESCHAEFTSFUEHRUNG})
ALL_GROUPS = STAFF_GROUPS | MEMBER_GROUPS


def parse_group_map(raw: str) -> dict[str, str]:
    """`"ris-sd=Sitzungsdienst;ris-admin=Administrator"` → {provider group: role}; unknown roles fail."""
    from ratsinfo.lib.env import ConfigurationError

    mapping: dict[str, str] = {}
    for pair in raw.split(";"):
        if not pair.strip():
            continue
        provider, sep, role = pair.partition("=")
        if not sep or role.strip() not in ALL_GROUPS:
            raise ConfigurationError(f"RATSINFO_OIDC_GROUP_MAP: {pair.strip()!r} nennt keine bekannte Rolle.")
        mapping[provider.strip()] = role.strip()
    return mapping


def _group_names(user: Any) -> set[str]:
    # Cached on the user object: the middleware asks on every request to /verwaltung/.
    cached = getattr(user, "_ratsinfo_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._ratsinfo_group_names = cached
    return cached


def is_active_account(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False)) and user.is_active


def has_staff_role(user: Any) -> bool:
    """Superusers and members of a staff group (active accounts only)."""
    if not is_active_account(user):
        return False
    return bool(user.is_superuser or _group_names(user) & STAFF_GROUPS)


def is_administrator(user: Any) -> bool:
    if not is_active_account(user):
        return False
    return bool(user.is_superuser or ADMINISTRATOR in _group_names(user))
