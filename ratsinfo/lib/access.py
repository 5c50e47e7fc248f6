"""Who may see what: the typed viewer that every `visible_to(viewer)` queryset method takes.

A `Viewer` is computed once per request (`ratsinfo.bodies.access.viewer_of`) from the account's
permissions and the person's memberships; the querysets turn it into SQL. No view, feed or API
filters by hand. `PUBLIC` is the anonymous citizen: released, public records only.

A `visible_to(viewer)` condition depends on the viewer's fields alone (not on the time, settings or
values read while building it): the search compiles it once per viewer and keeps it
(`ratsinfo.search.service._visibility`, which refuses to keep a condition with a date parameter or
one that read the database).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Permissions that widen what an account sees (created with the roles, see bodies/roles.py).
VIEW_ALL_PERMISSION = "bodies.view_all"  # Sitzungsdienst, Administrator: everything
VIEW_ALL_PAPERS_PERMISSION = "papers.view_all_papers"  # Bürgermeister/in: every Vorlage incl. drafts


@dataclass(frozen=True, slots=True)
class Viewer:
    """What one account may see beyond the public, as ids the querysets filter by."""

    user_id: int | None = None
    person_id: int | None = None
    # Sitzungsdienst and administrators see every record.
    sees_everything: bool = False
    # The Bürgermeister/in (and named delegates) see every Vorlage, drafts included.
    sees_all_papers: bool = False
    # Staff who edit the Maßnahmenplan see unpublished plans.
    edits_measures: bool = False
    # Gremien whose non-public part this viewer sees (memberships, extra audiences, predecessors).
    gremium_ids: frozenset[int] = frozenset()
    # Meetings in which this viewer stands in as a deputy (Vertreter/in).
    deputy_meeting_ids: frozenset[int] = frozenset()
    # Fachbereiche (administration units) this viewer works in.
    department_ids: frozenset[int] = frozenset()

    @property
    def is_public(self) -> bool:
        """Sees nothing beyond the public (the querysets then use the plain public condition)."""
        return not (
            self.sees_everything
            or self.sees_all_papers
            or self.edits_measures
            or self.gremium_ids
            or self.deputy_meeting_ids
            or self.department_ids
            or self.user_id is not None
        )


PUBLIC = Viewer()


def as_viewer(viewer: Viewer | None) -> Viewer:
    """`None` means the public; anything else must already be a Viewer (never a raw user)."""
    if viewer is None:
        return PUBLIC
    if not isinstance(viewer, Viewer):
        raise TypeError(f"visible_to() erwartet einen Viewer, nicht {type(viewer).__name__}")
    return viewer


def has_active_perm(user: Any, permission: str) -> bool:
    """An active, logged-in account holding `permission` (anonymous and None never do)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.has_perm(permission))
