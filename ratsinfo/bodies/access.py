"""Builds the `Viewer` of an account: permissions plus the audiences that follow from memberships.

The rules (issue "Who may see what, per Gremium"), decided here once:
- a current member of a Gremium (with voting right or advisory, hinzugewählt under § 71 Abs. 7)
  sees its non-public part, also the items of the Gremium it continues (`predecessor`);
  a membership that ended counts for the Gremium's `former_member_access_days` more;
- deputies (`Membership.deputy`) see only the meetings they stand in for (`StandIn`);
- a current Rat member also sees the Gremien whose `council_listens` is true (§ 78: the VA);
- members of a Gremium listed in another's `extra_audiences` see that one too;
- memberships in a Fachbereich or the Verwaltung make the person part of that department;
- deactivated or anonymous accounts are the public.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from ratsinfo.lib.access import (
    PUBLIC,
    VIEW_ALL_PAPERS_PERMISSION,
    VIEW_ALL_PERMISSION,
    Viewer,
    has_active_perm,
)

MEASURES_EDIT_PERMISSION = "measures.change_measure"
_MAX_PREDECESSOR_DEPTH = 10


def viewer_for(user: Any, today: date | None = None) -> Viewer:
    """The viewer of `user` (None, anonymous and inactive accounts are the public)."""
    from ratsinfo.bodies.models import Membership, Organization, OrganizationKind, Person
    from ratsinfo.meetings.models import StandIn

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return PUBLIC
    today = today or timezone.localdate()
    account = Viewer(
        user_id=user.pk,
        sees_everything=has_active_perm(user, VIEW_ALL_PERMISSION),
        sees_all_papers=has_active_perm(user, VIEW_ALL_PAPERS_PERMISSION),
        edits_measures=has_active_perm(user, MEASURES_EDIT_PERMISSION),
    )
    if account.sees_everything:
        return account  # memberships cannot widen it
    person = Person.objects.filter(user=user, deleted=False).only("pk").first()
    if person is None:
        return account

    memberships = Membership.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=today), person=person, deleted=False, organization__deleted=False
    ).values_list("organization_id", "organization__kind", "end_date", "organization__former_member_access_days", "deputy")
    gremien: set[int] = set()
    departments: set[int] = set()
    council_bodies: set[int] = set()
    for org_id, kind, end_date, grace_days, deputy in memberships:
        if end_date is not None and end_date + timedelta(days=grace_days) < today:
            continue
        if kind in (OrganizationKind.FACHBEREICH, OrganizationKind.VERWALTUNG):
            departments.add(org_id)
        elif not deputy:
            gremien.add(org_id)
            if kind == OrganizationKind.RAT and (end_date is None or end_date >= today):
                council_bodies.add(org_id)
    if gremien:
        listens = Q(extra_audiences__in=gremien)
        if council_bodies:
            rat_bodies = Organization.objects.filter(pk__in=council_bodies).values("body_id")
            listens |= Q(body__in=rat_bodies) & (
                Q(council_members_listen=True)
                | Q(council_members_listen__isnull=True, kind=OrganizationKind.VERWALTUNGSAUSSCHUSS)
            )
        gremien |= set(Organization.objects.filter(listens, deleted=False).values_list("pk", flat=True))
        gremien |= _predecessors(gremien)
    deputy_meetings = frozenset(StandIn.objects.filter(deputy=person).values_list("meeting_id", flat=True))
    return replace(
        account,
        person_id=person.pk,
        gremium_ids=frozenset(gremien),
        deputy_meeting_ids=deputy_meetings,
        department_ids=frozenset(departments),
    )


def _predecessors(org_ids: set[int]) -> set[int]:
    """Earlier terms of the same Gremien (followed back a bounded number of steps)."""
    from ratsinfo.bodies.models import Organization

    found: set[int] = set()
    frontier = set(org_ids)
    for _ in range(_MAX_PREDECESSOR_DEPTH):
        previous = set(
            Organization.objects.filter(pk__in=frontier, predecessor__isnull=False).values_list("predecessor_id", flat=True)
        ) - found - org_ids
        if not previous:
            break
        found |= previous
        frontier = previous
    return found


def viewer_of(request: HttpRequest) -> Viewer:
    """The viewer of a request, computed once and kept on the request."""
    cached: Viewer | None = getattr(request, "_ratsinfo_viewer", None)
    if cached is None:
        cached = viewer_for(getattr(request, "user", None))
        request._ratsinfo_viewer = cached  # type: ignore[attr-defined]
    return cached
