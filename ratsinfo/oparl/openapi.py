"""The OpenAPI 3.1 description of the OParl API, served at /oparl/openapi.json.

Generated from the same KINDS and list parameters the views use, so it cannot drift from them.
Object bodies are described as OParl objects with their common fields; the full OParl schemas
(https://schema.oparl.org/1.1/) remain the reference for the content.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ratsinfo.lib.forms import ID_MAX
from ratsinfo.oparl.pagination import LAST_VALUES, MAX_LIMIT
from ratsinfo.oparl.serializers import KINDS

JSON_MEDIA = "application/json"
TIMESTAMP_HINT = "ISO 8601, z. B. 2024-05-01T10:00:00+02:00 oder 2024-05-01"


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON_MEDIA: {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON_MEDIA: {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


PK = {"name": "pk", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0, "maximum": ID_MAX}}
LIST_PARAMS = [
    *({"name": n, "in": "query", "schema": {"type": "string"}, "description": TIMESTAMP_HINT}
      for n in ("created_since", "created_until", "modified_since", "modified_until")),
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}},
    {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
    {"name": "before", "in": "query", "schema": {"type": "integer", "minimum": 0}},
    {"name": "last", "in": "query", "schema": {"type": "string", "enum": [v for v in LAST_VALUES if v]}},
]


def _list(summary: str, path_params: list[dict[str, Any]]) -> dict[str, Any]:
    return {"get": {
        "summary": summary, "parameters": [*path_params, *LIST_PARAMS],
        "responses": {"200": _ok("List", "eine Seite der Liste"), "400": _error("ungültiger Parameter"),
                      "404": _error("unbekannt")},
    }}


@cache
def openapi() -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/v1.1/": {"get": {"summary": "System", "responses": {"200": _ok("Object", "das System-Objekt")}}},
        "/v1.1/body": _list("alle Körperschaften", []),
        "/v1.1/organization/{pk}/meeting": _list("Sitzungen eines Gremiums", [PK]),
        "/v1.1/organization/{pk}/consultation": _list("Beratungen eines Gremiums", [PK]),
    }
    for kind in KINDS.values():
        paths[f"/v1.1/{kind.path}/{{pk}}"] = {"get": {
            "summary": kind.name, "parameters": [PK],
            "responses": {"200": _ok("Object", f"ein {kind.name}-Objekt (oder sein Grabstein mit deleted: true)"),
                          "404": _error("unbekannt oder nie öffentlich")},
        }}
        if kind.path != "body":
            paths[f"/v1.1/body/{{pk}}/{kind.path}"] = _list(f"{kind.name}-Liste einer Körperschaft", [PK])
    for action, disposition in (("access", "inline"), ("download", "als Anhang")):
        paths[f"/v1.1/file/{{pk}}/{action}"] = {"get": {
            "summary": f"Inhalt einer Datei ({disposition})", "parameters": [PK],
            "responses": {
                "200": {"description": "der Inhalt", "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
                "302": {"description": "Verweis auf das Original (Datei ohne eigene Kopie)"},
                "404": _error("unbekannt oder ohne Inhalt"), "410": _error("gelöscht"),
            },
        }}
    return {
        "openapi": "3.1.0",
        "info": {"title": "OParl 1.1 (ratsinfo)", "version": "1.1",
                 "description": "Nur lesend; jede Antwort ist öffentlich. Fehler sind OParl-Error-Objekte."},
        "servers": [{"url": "/oparl"}],
        "paths": paths,
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["type", "message"],
                      "properties": {"type": {"const": "https://schema.oparl.org/1.1/Error"},
                                     "message": {"type": "string"}}},
            "Object": {"type": "object", "required": ["id", "type"],
                       "properties": {"id": {"type": "string", "format": "uri"}, "type": {"type": "string"},
                                      "deleted": {"type": "boolean"}}},
            "List": {"type": "object", "required": ["data", "links"],
                     "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Object"}},
                                    "pagination": {"type": "object"}, "links": {"type": "object"}}},
        }},
    }
