"""Workflows around Vorlagen that span several models."""

from __future__ import annotations

from pathlib import Path

from ratsinfo.bodies.models import Body
from ratsinfo.papers.importers.vorlage_text.parse import ParsedVorlage, parse_bytes
from ratsinfo.papers.importers.vorlage_text.services import (
    ImportReport,
    VorlageImportError,
    apply_vorlage,
    guess_organization_kind,
    resolve_body,
)

__all__ = [
    "ImportReport",
    "VorlageImportError",
    "guess_organization_kind",
    "import_vorlage_file",
    "resolve_body",
]


def import_vorlage_file(path: str | Path, body: Body) -> tuple[ParsedVorlage, ImportReport]:
    """Parse a Vorlage in the municipality's text layout and write it (in one transaction).

    Raises `VorlageParseError` (nothing written) if the file is not such a Vorlage.
    """
    parsed = parse_bytes(Path(path).read_bytes())
    return parsed, apply_vorlage(parsed, body)
