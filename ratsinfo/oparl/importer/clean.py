"""Tolerant clean-up of foreign OParl JSON before it meets the strict pydantic types.

Real servers send "N/A" for absent values, an object where a list belongs, numbers as
strings, control characters inside JSON, 1.0 type URLs and so on. Everything here repairs
what can be repaired and drops what cannot, with one log line naming the object URL; the
result validates against `ratsinfo.oparl.types` (which stay strict).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import types as pytypes
import typing
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from pydantic import BaseModel, ValidationError

from ratsinfo.oparl import types as T
from ratsinfo.oparl.importer import faults as F

log = logging.getLogger("ratsinfo.oparl.import")

BERLIN = ZoneInfo("Europe/Berlin")
NULLISH = {"", "n/a", "na", "n.a.", "null", "none", "-", "--", "undefined", "nil", "k.a.", "k. a."}
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})")
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_RAW_WHITESPACE = (b"\t", b"\n", b"\r")


class NotJSON(ValueError):
    """The body is no JSON object (an HTML error page, garbage, a truncated answer)."""


def _escape_raw_whitespace(match: re.Match[bytes]) -> bytes:
    return match.group(0).replace(b"\t", b"\\t").replace(b"\n", b"\\n").replace(b"\r", b"\\r")


def parse_json(raw: bytes, faults: F.Faults | None = None, where: str = "") -> Any:
    """JSON from bytes; control characters (invalid in JSON strings) are stripped first, raw
    tabs and line breaks inside strings escaped (they are whitespace outside strings)."""
    head = raw[:200].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<")):
        raise NotJSON("HTML/XML statt JSON")
    cleaned = _CONTROL.sub(b"", raw)
    try:
        return orjson.loads(cleaned)
    except orjson.JSONDecodeError:
        pass
    if any(c in cleaned for c in _RAW_WHITESPACE):
        try:
            data = orjson.loads(_STRING.sub(_escape_raw_whitespace, cleaned))
        except orjson.JSONDecodeError:
            pass
        else:
            if faults is not None:
                faults.note(F.RAW_CONTROL, where)
            return data
    try:
        return orjson.loads(cleaned.decode("utf-8", errors="replace"))
    except orjson.JSONDecodeError as exc:
        raise NotJSON(f"kein gültiges JSON ({exc})") from exc


def type_of(data: Any) -> str | None:
    """OParl type name of a raw object: 1.0 and 1.1 type URLs, also a bare 'Paper'."""
    if not isinstance(data, dict):
        return None
    raw = data.get("type")
    if not isinstance(raw, str):
        return None
    name = T.type_name(raw.strip())
    if name is None and raw.strip() in T.TYPES:
        name = raw.strip()
    return name


# ---------------------------------------------------------------- field kinds from types.py

KIND_STR, KIND_STRLIST, KIND_BOOL, KIND_INT, KIND_DATE, KIND_DATETIME, KIND_DICT = (
    "str", "strlist", "bool", "int", "date", "datetime", "dict"
)


def _field_kinds(model: type[BaseModel]) -> dict[str, tuple[str, type[BaseModel] | None]]:
    """(kind, embedded model) per field, read from the annotations of the shared types."""
    kinds: dict[str, tuple[str, type[BaseModel] | None]] = {}
    hints = typing.get_type_hints(model)
    for name in model.model_fields:
        ann = hints[name]
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        origin = typing.get_origin(ann)
        if origin in (typing.Union, pytypes.UnionType) and len(args) == 1:
            ann, origin = args[0], typing.get_origin(args[0])
        if origin is list:
            (inner,) = typing.get_args(ann)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                kinds[name] = ("objlist", inner)
            else:
                kinds[name] = (KIND_STRLIST, None)
        elif isinstance(ann, type) and issubclass(ann, BaseModel):
            kinds[name] = ("obj", ann)
        elif ann is bool:
            kinds[name] = (KIND_BOOL, None)
        elif ann is int:
            kinds[name] = (KIND_INT, None)
        elif ann is dt.datetime:
            kinds[name] = (KIND_DATETIME, None)
        elif ann is dt.date:
            kinds[name] = (KIND_DATE, None)
        elif origin is dict or ann is dict:
            kinds[name] = (KIND_DICT, None)
        else:
            kinds[name] = (KIND_STR, None)
    return kinds


KINDS = {name: _field_kinds(model) for name, model in T.TYPES.items()}
MODEL_NAME = {model: name for name, model in T.TYPES.items()}
LIST_FIELDS = {name: [k for k, (kind, _sub) in kinds.items() if kind in (KIND_STRLIST, "objlist")]
               for name, kinds in KINDS.items()}

# 1.0 names and common misspellings -> 1.1 field names.
RENAMES = {
    "Person": {"locationObject": "locationObject", "titles": "title", "emails": "email", "phones": "phone"},
    "Paper": {"consultations": "consultation", "auxilaryFile": "auxiliaryFile"},
    "Meeting": {"auxilaryFile": "auxiliaryFile", "agendaItems": "agendaItem", "organizations": "organization"},
    "Body": {"legislativeTerms": "legislativeTerm"},
}


# ---------------------------------------------------------------- value coercion

class _Drop(Exception):
    pass


def _nullish(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in NULLISH)


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    if isinstance(value, bool):
        raise _Drop
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"].strip()  # an embedded object where a reference belongs
    raise _Drop


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        low = value.strip().lower()
        if low in {"true", "ja", "yes", "1", "wahr"}:
            return True
        if low in {"false", "nein", "no", "0", "falsch"}:
            return False
    raise _Drop


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise _Drop
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise _Drop


def parse_date(value: Any) -> dt.date:
    if not isinstance(value, str):
        raise _Drop
    text = value.strip()
    m = _GERMAN_DATE.match(text)
    if m:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise _Drop from exc


def parse_datetime(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise _Drop
    text = value.strip().replace(" ", "T", 1)
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            day = parse_date(text)
        except _Drop:
            raise
        parsed = dt.datetime(day.year, day.month, day.day)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BERLIN)  # local time of a German council
    if not 1900 <= parsed.year <= 2200:
        raise _Drop
    return parsed


@lru_cache(maxsize=65_536)
def _cached_datetime(value: str) -> dt.datetime:
    return parse_datetime(value)  # many objects share a timestamp (embedded ones their parent's)


_SCALAR: dict[str, Callable[[Any], Any]] = {
    KIND_STR: _str, KIND_BOOL: _bool, KIND_INT: _int, KIND_DATE: parse_date, KIND_DATETIME: parse_datetime,
}


class Cleaner:
    """Cleans raw dicts; counts what it repaired so the summary can report it."""

    def __init__(self, faults: F.Faults | None = None) -> None:
        self.repairs = 0
        self.faults = faults if faults is not None else F.Faults()

    def note(self, url: str, message: str) -> None:
        self.repairs += 1
        log.warning("OParl-Daten repariert: %s: %s", url, message)

    def clean(self, data: Any, expected: str | None = None, where: str = "") -> dict[str, Any] | None:
        """A cleaned copy of `data` as `expected` type (or its own), or None if unreadable."""
        if not isinstance(data, dict):
            log.warning("OParl-Objekt übersprungen: %s: kein JSON-Objekt", where)
            return None
        oid = data.get("id")
        if not isinstance(oid, str) or not oid.strip().startswith(("http://", "https://")):
            log.warning("OParl-Objekt übersprungen: %s: ohne gültige id", where)
            return None
        oid = oid.strip()
        name = type_of(data)
        if name is None:
            if expected is None:
                log.warning("OParl-Objekt übersprungen: %s: unbekannter Typ %r", oid, data.get("type"))
                return None
            if "type" in data:
                self.note(oid, f"Typ {data.get('type')!r} ersetzt durch {expected}")
            name = expected
        elif expected is not None and name != expected:
            log.warning("OParl-Objekt übersprungen: %s: Typ %s statt %s", oid, name, expected)
            return None
        kinds = KINDS[name]
        renames = RENAMES.get(name, {})
        # empty lists given explicitly: pydantic would deep-copy its mutable defaults otherwise
        out: dict[str, Any] = {"id": oid, "type": T.SCHEMA + name, **dict.fromkeys(LIST_FIELDS[name], ())}
        for key, value in data.items():
            if renames:
                key = renames.get(key, key)
            spec = kinds.get(key)
            if spec is None or key == "id" or key == "type":
                continue
            kind, sub = spec
            # the common, well-formed cases inline (an import is mostly these)
            if type(value) is str:
                if kind == KIND_STR:
                    text = value.strip()
                    if text and (len(text) > 9 or text.lower() not in NULLISH):
                        out[key] = text.replace("\x00", "") if "\x00" in text else text
                    continue
                if kind == KIND_DATETIME:
                    try:
                        out[key] = _cached_datetime(value)
                        continue
                    except _Drop:
                        pass
            elif type(value) is bool and kind == KIND_BOOL:
                out[key] = value
                continue
            try:
                cleaned = self._value(oid, key, kind, sub, value)
            except _Drop:
                self.note(oid, f"Feld {key} mit unlesbarem Wert {_short(value)} verworfen")
                continue
            if cleaned is not None:
                out[key] = cleaned
        if "deleted" in out and out["deleted"] is not True:
            del out["deleted"]
        if name == "Body":
            self._pad_keys(out)
        return out

    def _pad_keys(self, body: dict[str, Any]) -> None:
        # AGS (8 digits) and RGS (12) start with the Land's number, 01-16; servers that keep them
        # as numbers lose the leading zero of Schleswig-Holstein to Niedersachsen (01-09)
        for key, width in (("ags", 8), ("rgs", 12)):
            value = body.get(key)
            if isinstance(value, str) and value.isdigit() and len(value) == width - 1:
                body[key] = "0" + value
                self.faults.note(F.SHORT_AGS, body["id"], f"{key} {value} -> {body[key]}")

    def _value(self, oid: str, key: str, kind: str, sub: type[BaseModel] | None, value: Any) -> Any:
        if kind == KIND_STRLIST:
            if _nullish(value):
                return None
            if not isinstance(value, list):
                self.note(oid, f"Feld {key}: Einzelwert statt Liste")
                value = [value]
            items = []
            for item in value:
                if _nullish(item):
                    continue
                try:
                    items.append(_str(item))
                except _Drop:
                    self.note(oid, f"Feld {key}: Listeneintrag {_short(item)} verworfen")
            return [i for i in items if i] or None
        if kind == "obj":
            if _nullish(value):
                return None
            if isinstance(value, list):
                if not value:
                    return None
                self.note(oid, f"Feld {key}: Liste statt Objekt, erstes Element genommen")
                value = value[0]
            return self._embedded(oid, key, sub, value)
        if kind == "objlist":
            if _nullish(value):
                return None
            if not isinstance(value, list):
                self.note(oid, f"Feld {key}: Objekt statt Liste")
                value = [value]
            objs = [self._embedded(oid, key, sub, item) for item in value if not _nullish(item)]
            return [i for i in objs if i is not None] or None
        if kind == KIND_DICT:
            if _nullish(value):
                return None
            if not isinstance(value, dict):
                raise _Drop
            return value
        if _nullish(value):
            return None
        result = _SCALAR[kind](value)
        if kind == KIND_STR and result == "":
            return None
        return result

    def _embedded(self, oid: str, key: str, sub: type[BaseModel] | None, value: Any) -> dict[str, Any] | None:
        sub_name = MODEL_NAME.get(sub) if sub is not None else None  # type: ignore[arg-type]
        if isinstance(value, str) and value.strip().startswith(("http://", "https://")):
            # A reference where the spec embeds: keep it as a reference-only stub.
            return {"id": value.strip(), "type": T.SCHEMA + (sub_name or ""), "_ref": True}
        if not isinstance(value, dict):
            self.note(oid, f"Feld {key}: unlesbarer Eintrag {_short(value)} verworfen")
            return None
        cleaned = self.clean(value, sub_name, where=f"{oid} → {key}")
        if cleaned is not None and not any(v for k, v in cleaned.items() if k not in ("id", "type")):
            cleaned["_ref"] = True
        return cleaned


def validate(name: str, data: dict[str, Any], cleaner: Cleaner) -> T.OParlObjectModel | None:
    """The pydantic object for cleaned data; fields that still fail are dropped one by one."""
    model = T.TYPES[name]
    payload = {k: v for k, v in data.items() if not k.startswith("_")}
    for _attempt in range(5):
        try:
            return model.model_validate(payload)
        except ValidationError as exc:
            bad = {str(err["loc"][0]) for err in exc.errors() if err.get("loc")}
            bad.discard("id")
            if not bad or not bad & set(payload):
                break
            for field in bad & set(payload):
                cleaner.note(data["id"], f"Feld {field} verworfen (ungültig)")
                payload.pop(field)
    log.warning("OParl-Objekt übersprungen: %s: nicht lesbar als %s", data.get("id"), name)
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
