"""The official OParl 1.1 schema files and the object rules beyond them (spec chapters 2 and 3).

The schema files (CC BY-SA 4.0, OParl/spec v1.1.1) are not copied into this AGPL package: they
are read from --schema-dir, RATSINFO_OPARL_SCHEMA_DIR or a `shared/oparl/schema` folder next to
the checkout (as the tests read them). They use a JSON-Schema dialect: format "url", and the
keys "schema" (an embedded object's type) and "references" (the target type of a URL).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema

OPARL_1_1 = "https://schema.oparl.org/1.1/"
TYPE_URL = re.compile(r"^https://schema\.oparl\.org/1\.1/([A-Za-z]+)$")
# ISO 8601 as the spec uses it: a time zone is required, fractions and Z are tolerated.
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
# Spec 3.1: every object has created and modified; OParl 1.1 adds six list URLs to Body.
ALWAYS_REQUIRED = ("created", "modified")
BODY_LISTS_1_1 = ("agendaItem", "consultation", "file", "locationList", "legislativeTermList", "membership")
DELETED_KEYS = {"id", "type", "created", "modified", "deleted"}
SCHEMA_ENV = "RATSINFO_OPARL_SCHEMA_DIR"


class SchemaMissing(Exception):
    pass


def find_schema_dir(given: str | None = None) -> Path:
    """--schema-dir, then $RATSINFO_OPARL_SCHEMA_DIR, then shared/oparl/schema beside a parent folder."""
    candidates = [Path(given)] if given else []
    if not given and os.environ.get(SCHEMA_ENV):
        candidates.append(Path(os.environ[SCHEMA_ENV]))
    if not candidates:
        here = Path(__file__).resolve()
        candidates = [parent / "shared" / "oparl" / "schema" for parent in here.parents]
    for candidate in candidates:
        if (candidate / "System.json").is_file():
            return candidate
    where = given or os.environ.get(SCHEMA_ENV) or "shared/oparl/schema neben dem Repository"
    raise SchemaMissing(f"OParl-1.1-Schemadateien nicht gefunden ({where}); bitte --schema-dir angeben.")


def _is_url(value: object) -> bool:
    return not isinstance(value, str) or bool(URL.match(value))


FORMATS = jsonschema.FormatChecker()
FORMATS.checks("url")(_is_url)
FORMATS.checks("date-time")(lambda v: not isinstance(v, str) or bool(TIMESTAMP.match(v)))
FORMATS.checks("date")(lambda v: not isinstance(v, str) or bool(DATE.match(v)))


def is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def empty_paths(obj: Any, path: str = "") -> Iterator[str]:
    """Paths of null, "", [] or {}: the spec wants absent data left out (GeoJSON is foreign and skipped)."""
    if is_empty(obj):
        yield path or "(Objekt)"
    elif isinstance(obj, dict):
        for key, value in obj.items():
            if key != "geojson":
                yield from empty_paths(value, f"{path}.{key}" if path else key)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from empty_paths(value, f"{path}[{i}]")


def type_name_of(obj: Any) -> str | None:
    """"Paper" for an object typed https://schema.oparl.org/1.1/Paper, else None."""
    match = TYPE_URL.match(obj.get("type", "")) if isinstance(obj, dict) and isinstance(obj.get("type"), str) else None
    return match.group(1) if match else None


# (rule, type name, object id, message) -> None
Emit = Callable[[str, str, str, str], None]
# (embedded object, its type, id of the object that embeds it) -> None
OnEmbedded = Callable[[dict[str, Any], str, str], None]


class Schemas:
    def __init__(self, directory: Path) -> None:
        self.files = {path.stem: json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))}
        self.validators = {name: jsonschema.Draft7Validator(schema, format_checker=FORMATS)
                           for name, schema in self.files.items()}

    def references(self, type_name: str) -> Iterator[tuple[str, str, bool]]:
        """(field, referenced type, is array) of the URL fields that point at single objects."""
        for key, prop in self.files[type_name]["properties"].items():
            items = prop.get("items") if isinstance(prop.get("items"), dict) else {}
            target = prop.get("references") or items.get("references")
            if target and target != "externalList":
                yield key, target, prop.get("type") == "array"

    def embedded(self, type_name: str) -> Iterator[tuple[str, str, bool]]:
        """(field, embedded type, is array) of the fields holding whole objects."""
        for key, prop in self.files[type_name]["properties"].items():
            items = prop.get("items") if isinstance(prop.get("items"), dict) else {}
            target = prop.get("schema") or items.get("schema")
            if target:
                yield key, target.removesuffix(".json"), prop.get("type") == "array"

    def check(self, obj: Any, expected: str | None, where: str, emit: Emit,
              on_embedded: OnEmbedded | None = None) -> str | None:
        """Check one object and everything it embeds; returns the type it was checked as."""
        if not isinstance(obj, dict):
            emit("schema-type", expected or "?", where, f"Objekt erwartet, gefunden: {type(obj).__name__}")
            return None
        object_id: str = obj["id"] if isinstance(obj.get("id"), str) else where
        declared = type_name_of(obj)
        name = expected or declared
        if declared is None or declared not in self.files or (expected and declared != expected):
            wanted = f" (erwartet {OPARL_1_1}{expected})" if expected else ""
            emit("type-url", name or "?", object_id, f"type = {obj.get('type')!r}{wanted}")
        if name not in self.files:
            return None
        deleted = obj.get("deleted") is True
        for error in self.validators[name].iter_errors(obj):
            self._schema_error(error, name, object_id, deleted, emit)
        for key in ALWAYS_REQUIRED:
            if key not in obj:
                emit("schema-required", name, object_id, f"„{key}“ fehlt (Kapitel 3.1: jedes Objekt)")
        for path in empty_paths(obj):
            emit("empty-value", name, object_id, path)
        if deleted:
            extra = sorted(set(obj) - DELETED_KEYS)
            if extra:
                emit("deleted-shape", name, object_id, f"weitere Felder: {', '.join(extra)}")
            return name
        if name == "Body":
            for key in BODY_LISTS_1_1:
                if key not in obj:
                    emit("schema-required", name, object_id, f"„{key}“ fehlt (Pflichtliste in OParl 1.1)")
        for key, target, is_array in self.embedded(name):
            value = obj.get(key)
            for i, item in enumerate(value if is_array and isinstance(value, list) else [value] if value else []):
                if not isinstance(item, dict):
                    continue  # the schema error of the embedding object says it
                inner = f"{object_id}#{key}[{i}]" if is_array else f"{object_id}#{key}"
                checked = self.check(item, target, inner, emit, on_embedded)
                if checked and on_embedded:
                    on_embedded(item, checked, object_id)
        return name

    def _schema_error(self, error: jsonschema.ValidationError, name: str, object_id: str, deleted: bool,
                      emit: Emit) -> None:
        path = ".".join(str(p) for p in error.absolute_path)
        if error.absolute_path and error.absolute_path[0] == "type":
            return  # reported as type-url
        if error.validator in {"type", "format"} and is_empty(error.instance):
            return  # reported as empty-value
        if error.validator == "required":
            missing = str(error.message).split("'")[1] if "'" in error.message else error.message
            if deleted and missing not in {"id", "type"}:
                return  # a deleted object keeps only id, type, created, modified, deleted
            if missing == "type":
                return  # reported as type-url
            emit("schema-required", name, object_id, f"„{missing}“ fehlt")
            return
        # The 1.1 files constrain nothing but types, formats, required fields and the type pattern.
        rule = "schema-format" if error.validator == "format" else "schema-type"
        emit(rule, name, object_id, f"{path or '(Objekt)'}: {error.message[:200]}")
