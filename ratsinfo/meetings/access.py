"""Who may run meetings from the staff area (a rule of the domain, not of a view)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ratsinfo.bodies.models import COUNCIL_BODY_KINDS, Organization
from ratsinfo.lib.access import has_active_perm

MANAGE_PERMISSION = "meetings.change_meeting"  # Sitzungsdienst, Administrator
CONFERENCE_PERMISSION = "measures.change_measure"  # Quartiersmanagement: the conference meetings


def manageable_organizations(user: Any) -> QuerySet[Organization]:
    """The Sitzungsdienst plans every Gremium's meetings; the Quartiersmanagerin those of the bodies
    outside the council (Sozialträgerkonferenz, Arbeitsgruppen)."""
    organizations = Organization.objects.alive().exclude(kind__in=["fraktion", "gruppe", "verwaltung", "fachbereich"])
    if has_active_perm(user, MANAGE_PERMISSION):
        return organizations.order_by("name")
    if has_active_perm(user, CONFERENCE_PERMISSION):
        return organizations.exclude(kind__in=COUNCIL_BODY_KINDS).order_by("name")
    return organizations.none()
