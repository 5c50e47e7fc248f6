"""The rules a meeting is run by: NKomVG defaults, overridden per Gremium (GremiumRules)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ratsinfo.bodies.models import COUNCIL_BODY_KINDS, Membership, Organization, OrganizationKind
from ratsinfo.meetings.models import GremiumRules, Meeting, Signatory


class MeetingError(ValueError):
    """A meeting step that cannot be taken, with a German message for the user."""


# The fixed items a Geschäftsordnung typically sets (place: start of the public part, its end, or the
# end of the non-public part's announcement in the public part).
DEFAULT_FIXED_ITEMS: tuple[dict[str, Any], ...] = (
    {"name": "Eröffnung der Sitzung", "public": True, "place": "start"},
    {"name": "Feststellung der ordnungsgemäßen Ladung und der Beschlussfähigkeit", "public": True, "place": "start"},
    {"name": "Feststellung der Tagesordnung", "public": True, "place": "start"},
    {"name": "Genehmigung der Niederschrift", "public": True, "place": "start", "kind": "niederschrift"},
    {"name": "Einwohnerfragestunde", "public": True, "place": "start"},
    {"name": "Mitteilungen", "public": True, "place": "end"},
    {"name": "Anfragen", "public": True, "place": "end"},
    {"name": "Bekanntgabe der im nichtöffentlichen Teil gefassten Beschlüsse", "public": True, "place": "end",
     "kind": "bekanntgabe"},
)


@dataclass(frozen=True, slots=True)
class Rules:
    organization: Organization | None
    nkomvg_checks: bool
    invitation_period_days: int
    signatory: str
    signatory_name: str
    statutory_members: int
    hybrid_allowed: bool
    fixed_items: tuple[dict[str, Any], ...]


def rules_for(organization: Organization | None, day: Any = None) -> Rules:
    """The Gremium's rules; a body that is no council body runs without the NKomVG checks."""
    stored = GremiumRules.objects.filter(organization=organization).first() if organization else None
    kind = organization.kind if organization else OrganizationKind.SONSTIGE
    council = kind in COUNCIL_BODY_KINDS
    checks = stored.nkomvg_checks if stored and stored.nkomvg_checks is not None else council
    signatory = (stored.signatory if stored and stored.signatory else "") or (
        Signatory.MAYOR if kind in (OrganizationKind.RAT, OrganizationKind.VERWALTUNGSAUSSCHUSS) else Signatory.CHAIR
    )
    fixed = tuple(stored.fixed_items) if stored and stored.fixed_items is not None else (
        DEFAULT_FIXED_ITEMS if council else ()
    )
    return Rules(
        organization=organization,
        nkomvg_checks=checks,
        invitation_period_days=stored.invitation_period_days if stored else 7,
        signatory=signatory,
        signatory_name=stored.signatory_name if stored else "",
        statutory_members=(stored.statutory_members if stored and stored.statutory_members else 0)
        or _counted_members(organization, day),
        hybrid_allowed=stored.hybrid_allowed if stored else False,
        fixed_items=fixed,
    )


def _counted_members(organization: Organization | None, day: Any) -> int:
    """§ 45 Abs. 2: the statutory number, in the Rat including the Bürgermeister/in."""
    if organization is None:
        return 0
    members = Membership.objects.alive().active_on(day).filter(organization=organization, deputy=False, voting_right=True)
    count = members.values("person").distinct().count()
    if organization.kind == OrganizationKind.RAT and not members.filter(role__icontains="bürgermeister").exists():
        count += 1
    return count


def meeting_organization(meeting: Meeting) -> Organization | None:
    return meeting.organizations.order_by("pk").first()


def meeting_rules(meeting: Meeting) -> Rules:
    day = meeting.start.date() if meeting.start else None
    return rules_for(meeting_organization(meeting), day)
