"""Validation of OParl 1.1 objects: the official draft-07 JSON schemas (tests/oparl/schema/, CC BY-SA 4.0, see its
README) plus the rules the spec states in prose but the schemas do not check.

``validate_object(obj)`` returns every problem as a readable line, so a crawl can report all of them at once.
The extra rules, each from the OParl 1.1 spec:
- ``created`` and ``modified`` on every object, embedded ones too (each object's schema chapter: "ZWINGEND");
- Body's six list links that 1.1 made mandatory: agendaItem, consultation, file, membership, locationList,
  legislativeTermList;
- a date-time is ``yyyy-mm-ddThh:mm:ss±hh:mm`` (no fractions of a second, no ``Z``), a date ``yyyy-mm-dd``
  (section 2.4, "Datums- und Zeitangaben");
- no value ``null`` anywhere, and no empty string or list for an optional field: it is left out instead (2.3);
- a URL field holds an absolute http(s) URL;
- no field the object's schema does not define, unless it is a vendor extension with a prefix (``"x:field"``);
- a deleted object (2.8, "Gelöschte Objekte") keeps only ``id``, ``type``, ``created``, ``modified`` and
  ``deleted: true``.
Embedded objects (a Meeting's agenda items and files, a Paper's main file, a Body's legislative terms …) are
checked by the same rules, recursively.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path

from jsonschema import Draft7Validator
from referencing import Registry, Resource

SCHEMA_DIR = Path(__file__).parent / "schema"
EXAMPLES_DIR = Path(__file__).parent / "examples"
OPARL = "https://schema.oparl.org/1.1/"
OBJECT_TYPES = (
    "System",
    "Body",
    "LegislativeTerm",
    "Organization",
    "Person",
    "Membership",
    "Meeting",
    "AgendaItem",
    "Paper",
    "Consultation",
    "File",
    "Location",
)
# OParl 1.1, Body: "ZWINGEND" in the prose although the schema's `required` leaves them out.
BODY_LIST_LINKS = ("agendaItem", "consultation", "file", "membership", "locationList", "legislativeTermList")
DELETED_KEYS = frozenset({"id", "type", "created", "modified", "deleted"})
# Fields whose value is free-form JSON that OParl does not define (GeoJSON may hold nulls of its own).
OPAQUE_FIELDS = frozenset({"geojson"})

DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _corrected(name: str, schema: dict) -> dict:
    """The one known fault of the draft-07 files: Body.mainOrganization has ``"$ref": "Organization"`` beside
    ``"type": "string"``, so a URL (what the prose asks for) would fail against the Organization object schema."""
    if name == "Body":
        schema["properties"]["mainOrganization"].pop("$ref", None)
    return schema


@cache
def schemas() -> dict[str, dict]:
    """Each object's schema by its short name ("Meeting"), as corrected."""
    return {
        name: _corrected(name, json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8")))
        for name in OBJECT_TYPES
    }


@cache
def registry() -> Registry:
    """Every schema under its ``$id`` and under ``<$id>.json``: the files' relative ``$ref: "File.json"`` resolve
    against the ``$id``, which has no ``.json``."""
    resources = []
    for name, schema in schemas().items():
        resource = Resource.from_contents(schema)
        resources += [(schema["$id"], resource), (f"{OPARL}{name}.json", resource)]
    return Registry().with_resources(resources)


@cache
def _validator(name: str) -> Draft7Validator:
    return Draft7Validator(schemas()[name], registry=registry())


def type_name(obj) -> str | None:
    """ "Meeting" for an object of type https://schema.oparl.org/1.1/Meeting; None if it is not an OParl 1.1
    object."""
    if isinstance(obj, dict) and isinstance(obj.get("type"), str) and obj["type"].startswith(OPARL):
        name = obj["type"].removeprefix(OPARL)
        return name if name in OBJECT_TYPES else None
    return None


def _where(prefix: str, path) -> str:
    out = prefix
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def validate_object(obj, where: str | None = None) -> list[str]:
    """Every way ``obj`` breaks the OParl 1.1 schemas or the spec's prose rules, one line each ([] if none)."""
    if where is None:
        where = str(obj.get("id", "<object without id>")) if isinstance(obj, dict) else "<not an object>"
    if not isinstance(obj, dict):
        return [f"{where}: not a JSON object but {type(obj).__name__}"]
    name = type_name(obj)
    if name is None:
        return [f"{where}: unknown type {obj.get('type')!r} (expected {OPARL}<Object>)"]
    errors: list[str] = []
    if obj.get("deleted") is True:
        _check_deleted(obj, where, errors)
        return errors
    for error in sorted(_validator(name).iter_errors(obj), key=lambda e: list(map(str, e.absolute_path))):
        errors.append(f"{_where(where, error.absolute_path)}: {error.message}")
    _check_rules(obj, name, where, errors)
    return errors


def _check_deleted(obj: dict, where: str, errors: list[str]) -> None:
    """OParl 1.1, 2.8: a deleted object keeps id, type and created, gets deleted: true and the time of deletion
    as modified, and loses every other field."""
    for key in ("id", "type", "modified"):
        if key not in obj:
            errors.append(f"{where}: deleted object without {key!r}")
    extra = sorted(set(obj) - DELETED_KEYS)
    if extra:
        errors.append(f"{where}: deleted object still has {', '.join(extra)} (only {', '.join(sorted(DELETED_KEYS))})")
    for key in ("created", "modified"):
        if key in obj:
            _check_value(obj[key], {"format": "date-time"}, f"{where}.{key}", errors)


def _check_rules(obj: dict, name: str, where: str, errors: list[str]) -> None:
    schema = schemas()[name]
    properties, required = schema["properties"], set(schema.get("required", []))
    for key in ("created", "modified"):
        if key not in obj:
            errors.append(f"{where}: {name} without {key!r} (mandatory on every object)")
    if name == "Body":
        for key in BODY_LIST_LINKS:
            if key not in obj:
                errors.append(f"{where}: Body without the list link {key!r} (mandatory in OParl 1.1)")
    for key, value in obj.items():
        at = f"{where}.{key}"
        prop = properties.get(key)
        if prop is None:
            if ":" not in key:
                errors.append(f"{at}: {name} has no field {key!r} in OParl 1.1 (a vendor extension needs a prefix)")
            continue
        if value is None:
            errors.append(f"{at}: null (leave out a field without a value)")
            continue
        if key in OPAQUE_FIELDS:
            continue
        if value in ("", [], {}) and key not in required:
            errors.append(f"{at}: empty {type(value).__name__} (leave out an optional field without a value)")
            continue
        _check_value(value, prop, at, errors)


def _embedded_name(prop: dict) -> str | None:
    ref = prop.get("$ref")
    return ref.removesuffix(".json") if isinstance(ref, str) else None


def _check_value(value, prop: dict, at: str, errors: list[str]) -> None:
    if value is None:
        errors.append(f"{at}: null")
        return
    embedded = _embedded_name(prop)
    if embedded is not None:
        if isinstance(value, dict):
            if type_name(value) != embedded:
                errors.append(f"{at}: embedded object of type {value.get('type')!r}, expected {OPARL}{embedded}")
            elif value.get("deleted") is True:
                _check_deleted(value, at, errors)
            else:
                _check_rules(value, embedded, at, errors)
        return  # the schema reports a non-object
    if prop.get("type") == "array" and isinstance(value, list):
        items = prop.get("items", {})
        for i, item in enumerate(value):
            if item in (None, "", [], {}):
                errors.append(f"{at}[{i}]: {json.dumps(item)} in a list")
            else:
                _check_value(item, items, f"{at}[{i}]", errors)
        return
    if not isinstance(value, str):
        return
    fmt = prop.get("format")
    if fmt == "date-time" and not _is_date_time(value):
        errors.append(f"{at}: {value!r} is not a date-time of the form yyyy-mm-ddThh:mm:ss±hh:mm")
    elif fmt == "date" and not _is_date(value):
        errors.append(f"{at}: {value!r} is not a date of the form yyyy-mm-dd")
    elif fmt == "url" and not re.match(r"https?://[^/\s]+", value):
        errors.append(f"{at}: {value!r} is not an absolute URL")


def _is_date_time(value: str) -> bool:
    if not DATE_TIME.fullmatch(value):
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_date(value: str) -> bool:
    if not DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def parse_date_time(value: str) -> dt.datetime:
    """A spec date-time as an aware datetime (for comparing against filter boundaries)."""
    return dt.datetime.fromisoformat(value)


def embedded_objects(obj, path: str = ""):
    """(path, object) for each OParl object embedded in ``obj`` at any depth, not ``obj`` itself."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in OPAQUE_FIELDS:
                continue
            sub = f"{path}.{key}"
            if type_name(value) is not None:
                yield sub, value
            yield from embedded_objects(value, sub)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            sub = f"{path}[{i}]"
            if type_name(value) is not None:
                yield sub, value
            yield from embedded_objects(value, sub)
