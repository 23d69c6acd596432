"""The published Zaken API 1.5.1 document as a checker: find a request's operation, check its parameters (headers,
query, path), its JSON body (the write view: readOnly properties may not be sent) and an answer (the read view).

Schemas are validated where they stand in the document (a JSON pointer into it), so their `$ref`s resolve as the
document means them. Stricter than a ZRC in one way: a body property the schema does not name is a problem (a ZRC
would drop a misspelt optional field without a word).
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from jsonschema import FormatChecker
from openapi_schema_validator import OAS30ReadValidator, OAS30Validator, OAS30WriteValidator, oas30_format_checker
from referencing import Registry
from referencing.jsonschema import DRAFT4

ZRC_SPEC = Path(__file__).resolve().parents[2] / "app" / "zgw" / "spec" / "zrc-1.5.1.yaml"
URN = "urn:zrc-1.5.1"
API_ROOT = "/zaken/api/v1"  # where a ZRC serves the document's paths
CRS_HEADERS = ("accept-crs", "content-crs")
VIEWS = {"write": OAS30WriteValidator, "read": OAS30ReadValidator, "plain": OAS30Validator}


@cache
def document() -> dict:
    """The document, parsed once per test run."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(ZRC_SPEC.read_text(encoding="utf-8"), Loader=loader)


@cache
def _registry() -> Registry:
    return Registry().with_resource(URN, DRAFT4.create_resource(document()))


def _formats() -> FormatChecker:
    """OpenAPI's formats, and `uri` (jsonschema checks it only with an extra package)."""
    checker = FormatChecker()
    checker.checkers = dict(oas30_format_checker.checkers)

    @checker.checks("uri", raises=ValueError)
    def is_uri(value) -> bool:
        parts = urlsplit(value) if isinstance(value, str) else None
        return parts is None or bool(parts.scheme and (parts.netloc or parts.path))

    return checker


FORMATS = _formats()


def pointer(*parts: str | int) -> str:
    """A JSON pointer into the document (`/` and `~` escaped)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def at(where: str) -> dict:
    """The part of the document a pointer names."""
    node = document()
    for part in where.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def schema_errors(where: str, value, *, view: str = "plain") -> list[str]:
    """Validate a value against the schema at a pointer; one line per error (`field: reason`)."""
    validator = VIEWS[view]({"$ref": f"{URN}#{where}"}, registry=_registry(), format_checker=FORMATS)
    return [f"{'.'.join(str(p) for p in error.absolute_path) or '(body)'}: {error.message}"
            for error in sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))]


def component(name: str) -> str:
    return pointer("components", "schemas", name)


def unknown_fields(where: str, value, path: str = "") -> list[str]:
    """Body properties the schema does not name (following `$ref`, `allOf`, `items`)."""
    schema = at(where)
    if "$ref" in schema:
        return unknown_fields(schema["$ref"].removeprefix("#"), value, path)
    problems = []
    for n, _sub in enumerate(schema.get("allOf", [])):
        problems += unknown_fields(f"{where}/allOf/{n}", value, path)
    if isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            if key not in schema["properties"]:
                problems.append(f"{path + key}: not a property of this resource")
            else:
                problems += unknown_fields(f"{where}/properties/{pointer(key)[1:]}", item, f"{path}{key}.")
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            problems += unknown_fields(f"{where}/items", item, f"{path}{n}.")
    return problems


def required_writable(name: str) -> set[str]:
    """The properties of a component a client must send: required and not readOnly."""
    schema = document()["components"]["schemas"][name]
    return {key for key in schema.get("required", []) if not schema["properties"][key].get("readOnly")}


@dataclass(frozen=True)
class Operation:
    """One operation of the document, found for a request."""

    template: str  # e.g. /zaken/{uuid}
    method: str  # lower case
    path_params: dict[str, str]

    @property
    def where(self) -> str:
        return pointer("paths", self.template, self.method)

    @property
    def spec(self) -> dict:
        return at(self.where)


@cache
def _templates() -> list[tuple[re.Pattern, str]]:
    found = []
    for template in document()["paths"]:
        regex = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(template))
        found.append((re.compile(f"^{regex}/?$"), template))
    return sorted(found, key=lambda pair: pair[1].count("{"))  # /zaken/_zoek before /zaken/{uuid}


def operation(method: str, path: str) -> Operation | None:
    """The operation serving METHOD PATH (the path below API_ROOT), or None when the document has none."""
    for regex, template in _templates():
        if (match := regex.match(path)) and method.lower() in document()["paths"][template]:
            return Operation(template, method.lower(), match.groupdict())
    return None


@dataclass(frozen=True)
class Problem:
    """What is wrong with a request, and the status a ZRC answers it with."""

    status: int
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.status} {self.name}: {self.reason}"


def request_problems(op: Operation, *, headers: dict[str, str], query: dict[str, list[str]],
                     content_type: str, body: bytes) -> list[Problem]:
    """Everything about a request the document does not allow: parameters, content type, body."""
    headers = {k.lower(): v for k, v in headers.items()}
    problems = []
    declared_query = set()
    for n, param in enumerate(op.spec.get("parameters", [])):
        where = f"{op.where}/parameters/{n}/schema"
        name, place = param["name"], param["in"]
        if place == "header":
            value = headers.get(name.lower())
            if value is None:
                if param.get("required"):
                    # a ZRC answers a missing CRS header with 412 Precondition Failed, other headers with 400
                    problems.append(Problem(412 if name.lower() in CRS_HEADERS else 400, name, "header is missing"))
                continue
            errors = schema_errors(where, value)
            if errors:
                problems.append(Problem(406 if name.lower() in CRS_HEADERS else 400, name, "; ".join(errors)))
        elif place == "query":
            declared_query.add(name)
            if name in query:
                problems += [Problem(400, name, e) for e in schema_errors(where, _query_value(param, query[name]))]
            elif param.get("required"):
                problems.append(Problem(400, name, "query parameter is missing"))
        elif place == "path":
            problems += [Problem(404, name, e) for e in schema_errors(where, op.path_params.get(name))]
    problems += [Problem(400, name, "not a query parameter of this operation") for name in query
                 if name not in declared_query]
    problems += _body_problems(op, content_type, body)
    return problems


def _query_value(param: dict, values: list[str]):
    schema = param.get("schema", {})
    kind = schema.get("type")
    if kind == "array":
        return [item for value in values for item in value.split(",")]
    value = values[-1]
    if kind == "integer":
        return int(value) if value.lstrip("-").isdigit() else value
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, value)
    return value


def _body_problems(op: Operation, content_type: str, body: bytes) -> list[Problem]:
    spec_body = op.spec.get("requestBody")
    if spec_body is None:
        return [Problem(400, "body", "this operation takes no body")] if body else []
    media = content_type.split(";")[0].strip().lower()
    if media not in spec_body["content"]:
        return [Problem(415, "Content-Type", f"{media or 'none'} is not one of {sorted(spec_body['content'])}")]
    try:
        value = json.loads(body or b"null")
    except ValueError:
        return [Problem(400, "body", "not JSON")]
    if value is None:
        return [Problem(400, "body", "a body is required")] if spec_body.get("required") else []
    where = f"{op.where}/requestBody/content/{pointer(media)[1:]}/schema"
    errors = schema_errors(where, value, view="write") + unknown_fields(where, value)
    return [Problem(400, error.split(":")[0], error) for error in errors]


def response_problems(op: Operation, status: int, headers: dict[str, str], body) -> list[str]:
    """Everything about an answer the document does not allow: its status, headers and body (the read view)."""
    answers = op.spec.get("responses", {})
    if str(status) not in answers:
        return [f"{op.method.upper()} {op.template}: status {status} is not documented"]
    answer = answers[str(status)]
    where = f"{op.where}/responses/{status}"
    problems = []
    lower = {k.lower(): v for k, v in headers.items()}
    for name in answer.get("headers", {}):
        if name.lower() in lower:
            problems += [f"header {name}: {e}" for e in schema_errors(f"{where}/headers/{pointer(name)[1:]}/schema",
                                                                      lower[name.lower()])]
    content = answer.get("content", {})
    if content:
        media = lower.get("content-type", "").split(";")[0].strip()
        if media not in content:
            return [*problems, f"content type {media!r} is not one of {sorted(content)}"]
        problems += schema_errors(f"{where}/content/{pointer(media)[1:]}/schema", body, view="read")
    return problems
