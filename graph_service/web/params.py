"""Query-parameter parsing for the JSON API, driven by the OpenAPI document.

Each operation's parameters (name, type, enum, pattern, format, bounds, default) come from
``openapi.json``. A parameter the operation does not declare, a repeated one, or a value that
does not fit its schema is a 400 whose body names the parameter. Values come back as Python
values (str, int, datetime.date); turning them into RDF terms is the caller's job, and they
reach SPARQL only as bound values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from ..errors import InputError
from .openapi import operation, resolve


class ParameterError(InputError):
    """A query parameter that is unknown, repeated or has a bad value."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter

    def to_json(self) -> dict:
        return {**super().to_json(), "parameter": self.parameter}


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def query_parameters(operation_id: str) -> dict[str, dict]:
    """name -> resolved schema of the operation's query parameters."""
    out = {}
    for p in operation(operation_id).get("parameters", []):
        p = resolve(p)
        if p.get("in") == "query":
            out[p["name"]] = resolve(p.get("schema", {"type": "string"}))
    return out


def parse(operation_id: str, args: MultiDict | Mapping[str, str]) -> dict:
    """Validated parameters of one request: every declared name, None when absent
    (or its default)."""
    schemas = query_parameters(operation_id)
    for name in args.keys():
        if name not in schemas:
            raise ParameterError(name, f"unknown parameter {name!r}; this operation takes "
                                 + ", ".join(sorted(schemas)))
    values = {}
    for name, schema in schemas.items():
        given = args.getlist(name) if isinstance(args, MultiDict) else (
            [args[name]] if name in args else [])
        if len(given) > 1:
            raise ParameterError(name, f"{name!r} is given {len(given)} times; give it once")
        values[name] = convert(name, given[0], schema) if given else schema.get("default")
    return values


def page(values: dict) -> Page:
    return Page(limit=values["limit"], offset=values["offset"])


def convert(name: str, raw: str, schema: dict):
    """One value checked against its schema (the subset of JSON Schema the document uses)."""
    kind = schema.get("type", "string")
    if raw == "":
        raise ParameterError(name, f"{name!r} is empty; give a value or leave it out")
    if kind == "integer":
        if not re.fullmatch(r"[0-9]{1,12}", raw):
            raise ParameterError(name, f"{name!r} must be a whole number, not {raw!r}")
        value = int(raw)
        lo, hi = schema.get("minimum"), schema.get("maximum")
        if lo is not None and value < lo or hi is not None and value > hi:
            raise ParameterError(name, f"{name!r} must be between {lo} and {hi}, not {value}")
        return value
    if "maxLength" in schema and len(raw) > schema["maxLength"]:
        raise ParameterError(name, f"{name!r} is longer than {schema['maxLength']} characters")
    if "enum" in schema and raw not in schema["enum"]:
        raise ParameterError(name, f"{name!r} must be one of {', '.join(schema['enum'])}, "
                             f"not {raw!r}")
    if "pattern" in schema and not re.search(schema["pattern"], raw):
        raise ParameterError(name, f"{name!r} is not a valid value: {raw!r}")
    if schema.get("format") == "date":
        return _date(name, raw)
    return raw


def _date(name: str, raw: str) -> dt.date:
    """YYYY-MM-DD and nothing else (``fromisoformat`` would also take 20240101)."""
    bad = ParameterError(name, f"{name!r} must be a date as YYYY-MM-DD, not {raw!r}")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise bad
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise bad from None


def check_path(name: str, raw: str, operation_id: str) -> str:
    """A path parameter checked against its schema in the document."""
    for p in operation(operation_id).get("parameters", []):
        p = resolve(p)
        if p.get("in") == "path" and p["name"] == name:
            return convert(name, raw, resolve(p.get("schema", {})))
    return raw
