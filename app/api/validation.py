"""Read a JSON body within a size limit and check it against a schema, naming each failing field."""

import json
from functools import cache

from flask import request
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from app.api.problems import ApiProblem
from app.api.schemas import COMPONENTS

MAX_ERRORS = 1000  # a problem document lists at most this many fields
FIELD_MESSAGES = {  # what to say when a value does not have the expected form
    "agb_code": "an AGB code has exactly 8 digits",
    "kvk_number": "a KvK number has exactly 8 digits",
    "postcode": "a Dutch postcode looks like 8911 AB",
    "municipality_code": "use the 4-digit CBS municipality code",
    "contracted_municipalities": "use 4-digit CBS municipality codes",
    "request_id": "a request_id is a UUID like 3f1c7c1e-0d6a-4c55-9a53-2b8e3f0c9d11",
    "website": "a website starts with https://",
}


def read_json(limit: int) -> dict:
    """The request's JSON object, or a problem: too large (413), not JSON (415), not valid JSON (422)."""
    if request.content_length is not None and request.content_length > limit:
        raise _too_large(limit)
    if not request.is_json:
        raise ApiProblem("unsupported-media-type", "Send the body as JSON with Content-Type: application/json.")
    data = request.stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    try:
        body = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiProblem("invalid", f"The body is not valid JSON ({error}).", [("", "not valid JSON")]) from None
    if not isinstance(body, dict):
        raise ApiProblem("invalid", "The body must be a JSON object.", [("", "expected an object")])
    return body


def _too_large(limit: int) -> ApiProblem:
    return ApiProblem("too-large", f"This endpoint accepts at most {limit:,} bytes. Send the catalog in parts "
                      "(each put adds or updates by id).")


def _no_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


@cache
def validator(name: str) -> Draft202012Validator:
    """The validator of one component schema (with every other component as $defs, beside it: a $ref to it would be
    resolved again for every instance, which costs more than checking an offer)."""
    return Draft202012Validator({**COMPONENTS[name], "$defs": COMPONENTS},
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors_of(name: str, value, *, prefix: str = "") -> list[tuple[str, str]]:
    """Every (field, message) by which `value` breaks the component schema `name`, in document order."""
    found = []
    for error in sorted(validator(name).iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path]):
        found.extend(_describe(error, prefix))
    return found


def check(name: str, value) -> None:
    """Raise a 422 problem naming every field of `value` that breaks the schema `name`."""
    errors = errors_of(name, value)
    if errors:
        raise invalid(errors)


def invalid(errors: list[tuple[str, str]], detail: str = "") -> ApiProblem:
    """A 422 problem listing the fields (at most MAX_ERRORS)."""
    shown = errors[:MAX_ERRORS]
    more = f" (the first {MAX_ERRORS} of {len(errors)} are listed)" if len(errors) > MAX_ERRORS else ""
    text = detail or f"{len(errors)} field(s) are not valid{more}; nothing was changed."
    return ApiProblem("invalid", text, shown)


def field_path(parts, prefix: str = "") -> str:
    """A JSON path like offers[3].location.postcode."""
    path = prefix
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _describe(error: ValidationError, prefix: str) -> list[tuple[str, str]]:
    path = field_path(error.absolute_path, prefix)
    kind, expected = error.validator, error.validator_value
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        return [(field_path([*error.absolute_path, key], prefix), "unknown field: leave it out")
                for key in error.instance if key not in known]
    if kind == "required":
        return [(field_path([*error.absolute_path, key], prefix), "this field is required")
                for key in expected if key not in error.instance]
    last = str(error.absolute_path[-1]) if error.absolute_path else ""
    if kind in ("enum", "const"):
        values = expected if kind == "enum" else [expected]
        listed = ", ".join(str(v) for v in values[:30]) + (", ..." if len(values) > 30 else "")
        return [(path, f"unknown value {str(error.instance)[:40]!r}; use one of: {listed}")]
    if kind == "pattern" or (kind == "format" and last in FIELD_MESSAGES):
        return [(path, FIELD_MESSAGES.get(last) or FIELD_MESSAGES.get(_parent(error), "")
                 or f"does not have the expected form ({expected})")]
    messages = {
        "type": lambda: f"must be of type {expected}",
        "format": lambda: "must be a date like 2026-11-23" if expected == "date" else f"must be a valid {expected}",
        "minimum": lambda: f"must be at least {expected}",
        "maximum": lambda: f"must be at most {expected}",
        "minLength": lambda: "must not be empty" if expected == 1 else f"must have at least {expected} characters",
        "maxLength": lambda: f"must have at most {expected} characters",
        "maxItems": lambda: f"at most {expected} items at once",
        "uniqueItems": lambda: "lists the same value twice",
    }
    return [(path, messages.get(kind, lambda: error.message[:200])())]


def _parent(error: ValidationError) -> str:
    names = [str(p) for p in error.absolute_path if not isinstance(p, int)]
    return names[-1] if names else ""
