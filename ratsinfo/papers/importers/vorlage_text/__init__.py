"""Importer for Vorlagen in the municipality's plain-text layout (`ratsinfo import-vorlage`)."""

from ratsinfo.papers.importers.vorlage_text.parse import (
    ParsedAttachment,
    ParsedConsultation,
    ParsedSection,
    ParsedVorlage,
    VorlageParseError,
    parse_bytes,
    parse_text,
)

__all__ = [
    "ParsedAttachment",
    "ParsedConsultation",
    "ParsedSection",
    "ParsedVorlage",
    "VorlageParseError",
    "parse_bytes",
    "parse_text",
]
