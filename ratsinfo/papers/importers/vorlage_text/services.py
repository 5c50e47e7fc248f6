"""Write step of the Vorlage text importer: a parsed Vorlage becomes Paper, sections,
Beratungsfolge and placeholder files.

Idempotent: a record is saved only when one of its fields differs, so importing the same
file twice adds no history rows and leaves `modified` alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from ratsinfo.bodies.models import Body, Organization, OrganizationKind
from ratsinfo.files.models import File, FileRole
from ratsinfo.papers.importers.vorlage_text.parse import ParsedVorlage
from ratsinfo.papers.models import Consultation, ConsultationRole, Paper, PaperSection, PaperState


class VorlageImportError(ValueError):
    """The import cannot run (no or ambiguous Gemeinde, conflicting data)."""


@dataclass
class ImportReport:
    paper: Paper
    created: bool = False
    changes: list[str] = field(default_factory=list)
    created_organizations: list[Organization] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.created or bool(self.changes)

    def summary(self) -> str:
        label = f"{self.paper.paper_type} {self.paper.reference}"
        if self.created:
            text = f"Vorlage {label} angelegt"
        elif self.changes:
            text = f"Vorlage {label} aktualisiert: " + "; ".join(self.changes)
        else:
            return f"Vorlage {label} ist bereits aktuell – nichts geändert."
        if self.created_organizations:
            text += ". Neu angelegte Gremien: " + ", ".join(o.name for o in self.created_organizations)
        return text + "."


def _normal(name: str) -> str:
    return " ".join(name.replace("–", "-").replace("—", "-").split()).casefold()


def guess_organization_kind(name: str) -> str:
    """The kind of a Gremium known only by name from a Beratungsfolge."""
    n = _normal(name)
    if "verwaltungsausschuss" in n:
        return OrganizationKind.VERWALTUNGSAUSSCHUSS
    if n in {"rat", "gemeinderat", "stadtrat"} or n.startswith(("rat der ", "rat des ")):
        return OrganizationKind.RAT
    if n.startswith("ortsrat"):
        return OrganizationKind.ORTSRAT
    if n.endswith("ausschuss") or "ausschuss " in n or n.startswith("ausschuss"):
        return OrganizationKind.FACHAUSSCHUSS
    return OrganizationKind.SONSTIGE


def resolve_body(selector: str | None = None) -> Body:
    """The Gemeinde to import into: the only one, or the one named by id or short name.

    No Gemeinde is created implicitly: a typo would otherwise silently found a new one.
    """
    bodies = Body.objects.alive()
    if selector:
        found = bodies.filter(pk=int(selector)) if selector.isdigit() else bodies.none()
        if not found.exists():
            found = bodies.filter(short_name__iexact=selector) | bodies.filter(name__iexact=selector)
        matches = list(found.distinct()[:2])
        if len(matches) != 1:
            raise VorlageImportError(f"Gemeinde „{selector}“ nicht gefunden (Angabe per ID oder Kurzname).")
        return matches[0]
    matches = list(bodies.order_by("pk")[:2])
    if not matches:
        raise VorlageImportError(
            "Es ist noch keine Gemeinde angelegt. Bitte zuerst eine Gemeinde anlegen "
            "(oder `ratsinfo demo` ausführen)."
        )
    if len(matches) > 1:
        choices = ", ".join(f"{b.pk} ({b.short_name or b.name})" for b in bodies.order_by("pk"))
        raise VorlageImportError(f"Es gibt mehrere Gemeinden – bitte mit --body wählen: {choices}.")
    return matches[0]


def _assign(instance: Any, values: dict[str, Any]) -> list[str]:
    """Set differing fields; returns the names of those that changed."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _find_organization(body: Body, name: str, cache: dict[str, Organization]) -> Organization | None:
    if not cache:
        for org in Organization.objects.alive().filter(body=body).order_by("pk"):
            cache.setdefault(_normal(org.name), org)
            if org.short_name:
                cache.setdefault(_normal(org.short_name), org)
    return cache.get(_normal(name))


@transaction.atomic
def apply_vorlage(parsed: ParsedVorlage, body: Body) -> ImportReport:
    paper_values = {
        "paper_type": parsed.paper_type,
        "public": parsed.public,
        "date": parsed.date,
        "name": parsed.name,
        "state": PaperState.FREIGEGEBEN,
    }
    paper = Paper.objects.select_for_update().filter(body=body, reference=parsed.reference).first()
    # An imported Vorlage records what happened elsewhere: it was published there.
    paper_values["published_at"] = paper.published_at if paper is not None and paper.published_at else timezone.now()
    if paper is None:
        paper = Paper.objects.create(body=body, reference=parsed.reference, **paper_values)
        report = ImportReport(paper=paper, created=True)
    else:
        report = ImportReport(paper=paper)
        changed = _assign(paper, paper_values)
        if paper.deleted:
            paper.deleted = False
            changed.append("deleted")
        if changed:
            paper.save()
            report.changes.append("Vorlage (" + ", ".join(changed) + ")")

    _apply_sections(parsed, paper, report)
    _apply_consultations(parsed, paper, body, report)
    _apply_attachments(parsed, paper, body, report)
    return report


def _apply_sections(parsed: ParsedVorlage, paper: Paper, report: ImportReport) -> None:
    existing = {s.order: s for s in paper.sections.all()}
    changed = 0
    for order, section in enumerate(parsed.sections, start=1):
        current = existing.pop(order, None)
        if current is None:
            PaperSection.objects.create(paper=paper, order=order, heading=section.heading, text=section.text)
            changed += 1
        elif _assign(current, {"heading": section.heading, "text": section.text}):
            current.save()
            changed += 1
    for leftover in existing.values():
        leftover.delete()
        changed += 1
    if changed and not report.created:
        report.changes.append(f"{changed} Abschnitt(e)")


def _apply_consultations(parsed: ParsedVorlage, paper: Paper, body: Body, report: ImportReport) -> None:
    cache: dict[str, Organization] = {}
    existing = list(paper.consultations.alive().order_by("order", "pk"))
    changed = 0
    for order, step in enumerate(parsed.consultations, start=1):
        organization = _find_organization(body, step.organization, cache)
        if organization is None:
            organization = Organization.objects.create(
                body=body, name=step.organization, kind=guess_organization_kind(step.organization)
            )
            cache[_normal(step.organization)] = organization
            report.created_organizations.append(organization)
        values = {
            "organization": organization,
            "order": order,
            "planned_date": step.date,
            "role": step.role,
            "authoritative": step.role == ConsultationRole.ENTSCHEIDUNG,
        }
        current = existing.pop(0) if existing else None
        if current is None:
            Consultation.objects.create(paper=paper, **values)
            changed += 1
            continue
        if current.organization_id != organization.pk:
            # Another Gremium at this step: a meeting link of the old one no longer fits.
            values |= {"meeting": None, "agenda_item": None}
        if _assign(current, values):
            current.save()
            changed += 1
    for leftover in existing:
        leftover.soft_delete()
        changed += 1
    if changed and not report.created:
        report.changes.append(f"{changed} Schritt(e) der Beratungsfolge")


def _apply_attachments(parsed: ParsedVorlage, paper: Paper, body: Body, report: ImportReport) -> None:
    existing = {f.file_name: f for f in paper.files.alive().filter(role=FileRole.AUXILIARY).order_by("pk")}
    changed = 0
    for order, attachment in enumerate(parsed.attachments, start=1):
        values = {"name": attachment.title, "public": paper.public, "order": order}
        current = existing.pop(attachment.file_name, None)
        if current is None:
            File.objects.create(
                body=body, paper=paper, file_name=attachment.file_name, role=FileRole.AUXILIARY, **values
            )
            changed += 1
        elif _assign(current, values):
            current.save()
            changed += 1
    # Placeholders no longer listed go; uploaded files (with content) are never dropped here.
    for leftover in existing.values():
        if not leftover.has_content:
            leftover.soft_delete()
            changed += 1
    if changed and not report.created:
        report.changes.append(f"{changed} Anlage(n)")
