"""The roles of a council office as Django groups with their permissions.

Created and kept in step by data migrations (`sync_roles`), never by the demo. Which Gremien an
account belongs to does not come from a group: it follows from the person's memberships
(`ratsinfo.bodies.access`). A permission given as `app.*` means every permission of that app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    permissions: tuple[str, ...]
    staff: bool  # works in the staff area (/verwaltung/)


SITZUNGSDIENST = "Sitzungsdienst"
SACHBEARBEITUNG = "Sachbearbeitung"
BUERGERMEISTER = "Bürgermeister/in"
RATSMITGLIED = "Ratsmitglied"
GESCHAEFTSFUEHRUNG = "Fraktions-/Gruppengeschäftsführung"
QUARTIERSMANAGEMENT = "Quartiersmanagement"
ADMINISTRATOR = "Administrator"

_PAPER_WORK = (
    "papers.add_paper", "papers.change_paper", "papers.view_paper",
    "papers.add_papersection", "papers.change_papersection", "papers.delete_papersection", "papers.view_papersection",
    "papers.add_consultation", "papers.change_consultation", "papers.delete_consultation", "papers.view_consultation",
    "papers.add_cosignature", "papers.change_cosignature", "papers.view_cosignature",
    "files.add_file", "files.change_file", "files.view_file",
)

ROLES: tuple[Role, ...] = (
    Role(
        SITZUNGSDIENST,
        "sieht alles, bearbeitet Gremien, Personen, Vorlagen, Sitzungen und Dateien",
        ("bodies.*", "papers.*", "meetings.*", "files.*", "measures.view_plan", "measures.view_measure"),
        staff=True,
    ),
    Role(
        SACHBEARBEITUNG,
        "verfasst Vorlagen ihres Fachbereichs mit Anlagen und zeichnet mit; sieht die Vorlagen ihres Fachbereichs",
        _PAPER_WORK,
        staff=True,
    ),
    Role(
        BUERGERMEISTER,
        "sieht alle Vorlagen einschließlich Entwürfen und gibt sie frei",
        ("papers.view_all_papers", "papers.release_paper", "papers.view_paper", "papers.change_cosignature",
         "papers.view_cosignature"),
        staff=True,
    ),
    Role(
        RATSMITGLIED,
        "sieht den nichtöffentlichen Teil der eigenen Gremien und reicht Anträge und Anfragen ein",
        ("papers.submit_motion",),
        staff=False,
    ),
    Role(
        GESCHAEFTSFUEHRUNG,
        "bereitet Anträge und Anfragen der eigenen Fraktion oder Gruppe vor und reicht sie ein",
        ("papers.submit_motion",),
        staff=False,
    ),
    Role(
        QUARTIERSMANAGEMENT,
        "pflegt den Maßnahmenplan: Maßnahmen, Beschlüsse der Sozialträgerkonferenz, Fortschreibungen",
        ("measures.*",),
        staff=True,
    ),
    Role(
        ADMINISTRATOR,
        "sieht alles und verwaltet Konten, Rollen und Stammdaten",
        ("auth.*", "bodies.*", "papers.*", "meetings.*", "files.*", "measures.*", "oparl.*", "portal.*"),
        staff=True,
    ),
)

STAFF_ROLES = frozenset(role.name for role in ROLES if role.staff)
MEMBER_ROLES = frozenset({RATSMITGLIED, GESCHAEFTSFUEHRUNG})


def sync_roles(apps: Any, schema_editor: Any = None) -> None:
    """Create or update the role groups with exactly their permissions (a data migration calls this)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrating; the groups need them now. Historical app
    # configs of a migration have no models module, which create_permissions requires.
    historical = apps is not global_apps
    for app_config in apps.get_app_configs():
        if historical:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if historical:
            app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _ = group_model.objects.get_or_create(name=role.name)
        wanted = []
        for spec in role.permissions:
            app_label, codename = spec.split(".", 1)
            matches = permission_model.objects.filter(content_type__app_label=app_label)
            if codename != "*":
                matches = matches.filter(codename=codename)
            found = list(matches)
            if not found:
                raise LookupError(f"Berechtigung {spec} für die Rolle {role.name} fehlt")
            wanted += found
        group.permissions.set(wanted)
