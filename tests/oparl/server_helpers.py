"""Helpers of the OParl server tests: crawling the API and checking objects against the spec."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
from django.test import Client

REPO_ROOT = Path(__file__).resolve().parents[2]
# Next to the repository; a git worktree elsewhere names it with RATSINFO_OPARL_SCHEMA_DIR.
SCHEMA_DIR = Path(os.environ.get("RATSINFO_OPARL_SCHEMA_DIR") or REPO_ROOT.parent / "shared" / "oparl" / "schema")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
BODY_LISTS_1_1 = ("agendaItem", "consultation", "file", "locationList", "legislativeTermList", "membership")
TIMESTAMP_FIELDS = ("created", "modified", "start", "end", "licenseValidSince", "oparlSince")


def get(client: Client, url: str, **params: Any) -> Any:
    """GET an absolute or relative API URL; asserts the CORS header on every answer."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    response = client.get(path, params or None)
    assert response["Access-Control-Allow-Origin"] == "*", path
    return response


def get_json(client: Client, url: str, status: int = 200, **params: Any) -> Any:
    response = get(client, url, **params)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def crawl_list(client: Client, url: str, **params: Any) -> list[dict[str, Any]]:
    """All objects of a list, following `next`; fails on a repeated object or a loop."""
    objects: list[dict[str, Any]] = []
    seen_pages = set()
    page = get_json(client, url, **params)
    while True:
        objects.extend(page["data"])
        following = page["links"].get("next")
        if not following:
            break
        assert following not in seen_pages, "Seitenschleife"
        seen_pages.add(following)
        page = get_json(client, following)
    ids = [o["id"] for o in objects]
    assert len(ids) == len(set(ids)), "Objekt doppelt in der Liste"
    return objects


def walk(obj: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every OParl object in a JSON tree (the object itself and all embedded ones)."""
    if isinstance(obj, dict):
        if "type" in obj and str(obj.get("type", "")).startswith("https://schema.oparl.org/"):
            yield path, obj
        for key, value in obj.items():
            yield from walk(value, f"{path}.{key}")
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from walk(value, f"{path}[{i}]")


def empty_values(obj: Any, path: str = "") -> Iterator[str]:
    """Paths of null, "", [] or {} values: the spec wants absent data left out."""
    if obj is None or obj == "" or obj == [] or obj == {}:
        yield path
    elif isinstance(obj, dict):
        for key, value in obj.items():
            if key == "geojson":
                continue
            yield from empty_values(value, f"{path}.{key}")
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from empty_values(value, f"{path}[{i}]")


@cache
def schemas() -> dict[str, dict[str, Any]]:
    if not SCHEMA_DIR.is_dir():
        raise AssertionError(f"OParl-Schemata fehlen: {SCHEMA_DIR} (erwartet neben dem Repository in ../shared/oparl)")
    found = {path.stem: json.loads(path.read_text()) for path in SCHEMA_DIR.glob("*.json")}
    assert len(found) == 12, f"12 Schemadateien erwartet, gefunden: {sorted(found)}"
    return found


def _is_url(value: object) -> bool:
    return not isinstance(value, str) or bool(re.match(r"^https?://[^\s/$.?#][^\s]*$", value))


FORMATS = jsonschema.FormatChecker()
FORMATS.checks("url")(_is_url)
FORMATS.checks("date-time")(lambda v: not isinstance(v, str) or bool(TIMESTAMP.match(v)))
FORMATS.checks("date")(lambda v: not isinstance(v, str) or bool(re.match(r"^\d{4}-\d\d-\d\d$", v)))


@cache
def _validator(type_name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(schemas()[type_name], format_checker=FORMATS)


def validate(obj: dict[str, Any], expected_type: str | None = None, embedded: bool = False) -> None:
    """Validate one object and, through the schema's "schema" keys, every object it embeds.

    Beyond the schema files: created/modified on every object (spec 3.1), the six Body list
    URLs of 1.1, and timestamps without fractions and without `Z`.
    """
    type_name = obj["type"].rsplit("/", 1)[-1]
    if expected_type:
        assert type_name == expected_type, (obj["id"], type_name, expected_type)
    schema = schemas()[type_name]
    _validator(type_name).validate(obj)
    assert not list(empty_values(obj)), (obj["id"], list(empty_values(obj)))
    assert "created" in obj and "modified" in obj, f"created/modified fehlt: {obj['id']}"
    for key in TIMESTAMP_FIELDS:
        if key in obj:
            assert TIMESTAMP.match(obj[key]), (obj["id"], key, obj[key])
    if obj.get("deleted"):
        assert set(obj) <= {"id", "type", "created", "modified", "deleted"}, obj
        return
    if type_name == "Body":
        for key in BODY_LISTS_1_1:
            assert key in obj, f"Body ohne {key}"
    for key, prop in schema["properties"].items():
        if key not in obj:
            continue
        if "schema" in prop:
            validate(obj[key], prop["schema"].removesuffix(".json"), embedded=True)
        items = prop.get("items")
        if prop.get("type") == "array" and isinstance(items, dict) and "schema" in items:
            for item in obj[key]:
                validate(item, items["schema"].removesuffix(".json"), embedded=True)
