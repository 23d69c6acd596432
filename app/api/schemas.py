"""JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of the API's requests and answers; requests are checked
against them, the tests check every answer, and openapi.py publishes them."""

from app.catalog.models import ASSIGNMENT_STATUSES
from app.catalog.schemas import CATALOG_OFFER, CATALOG_PROVIDER, DATE, JZ020
from app.results.vocab import CAPACITIES, STOP_REASONS, VERDICTS

DATETIME = {"type": "string", "format": "date-time"}
ID = {"type": "string", "minLength": 1, "maxLength": 40}
REQUEST_ID = {"type": "string", "format": "uuid", "pattern": "^[0-9a-fA-F-]{36}$",
              "description": "A new UUID per request; a retry sends the same one and gets the same answer."}
JZ588 = {"type": "string", "enum": sorted(STOP_REASONS), "description": "JZ588 reden beëindiging (iJw 3.2)"}
WJ759 = {"type": "string", "enum": [str(n) for n in range(1, 10)], "description": "WJ759 reden afwijzing verzoek"}
VERDICT = {"type": "string", "enum": list(VERDICTS)}
NUMBER = {"type": "integer", "minimum": 1, "maximum": 999999999, "description": "ToewijzingNummer"}


def nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


CATALOG_PUT = {
    "type": "object", "additionalProperties": False, "title": "CatalogPut",
    "required": ["providers", "offers"],
    "properties": {"request_id": REQUEST_ID,
                   "providers": {"type": "array", "maxItems": 5000, "items": {"$ref": "#/$defs/CatalogProvider"}},
                   "offers": {"type": "array", "maxItems": 20000, "items": {"$ref": "#/$defs/CatalogOffer"}}},
}
CATALOG_RESULT = {
    "type": "object", "additionalProperties": False, "title": "CatalogResult",
    "required": ["providers", "offers", "created", "updated", "unchanged"],
    "properties": {"providers": {"type": "integer", "minimum": 0, "description": "providers stored"},
                   "offers": {"type": "integer", "minimum": 0, "description": "offers received"},
                   "created": {"type": "integer", "minimum": 0}, "updated": {"type": "integer", "minimum": 0},
                   "unchanged": {"type": "integer", "minimum": 0}},
}

DECISION = {
    "type": "object", "additionalProperties": False, "title": "AssignmentDecision",
    "description": "The municipality's answer to a request for an assignment (iJw JW301 or JW319).",
    "required": ["decision", "request_id"],
    "properties": {
        "decision": {"enum": ["assigned", "refused", "examining"]},
        "assignment_number": NUMBER,
        "start": {**DATE, "description": "Ingangsdatum (assigned)"},
        "end": {**DATE, "description": "Einddatum (assigned, optional)"},
        "refusal_reason": WJ759,
        "request_id": REQUEST_ID,
    },
    "allOf": [
        {"if": {"properties": {"decision": {"const": "assigned"}}, "required": ["decision"]},
         "then": {"required": ["assignment_number", "start"]}},
        {"if": {"properties": {"decision": {"const": "refused"}}, "required": ["decision"]},
         "then": {"required": ["refusal_reason"]}},
    ],
}
CARE_START = {
    "type": "object", "additionalProperties": False, "title": "CareStart",
    "description": "The provider started the care (iJw JW305 Begindatum), sent by the municipality on its behalf.",
    "required": ["date", "request_id"], "properties": {"date": DATE, "request_id": REQUEST_ID},
}
CARE_STOP = {
    "type": "object", "additionalProperties": False, "title": "CareStop",
    "description": "The provider stopped the care (iJw JW307 Einddatum and RedenBeeindiging).",
    "required": ["date", "reason", "request_id"],
    "properties": {"date": DATE, "reason": JZ588, "request_id": REQUEST_ID},
}
ASSIGNMENT = {
    "type": "object", "additionalProperties": False, "title": "Assignment",
    "required": ["reference", "status", "product", "assignment_number", "start", "end", "refusal_reason",
                 "decided_at", "care_started_on", "care_stopped_on", "stop_reason"],
    "properties": {
        "reference": {"type": "string", "minLength": 1, "maxLength": 36, "description": "ReferentieAanbieder"},
        "status": {"enum": list(ASSIGNMENT_STATUSES)},
        "product": {"type": "object", "additionalProperties": False, "required": ["category", "code"],
                    "properties": {"category": JZ020, "code": nullable({"type": "string", "maxLength": 5})}},
        "assignment_number": nullable(NUMBER),
        "start": nullable(DATE), "end": nullable(DATE),
        "refusal_reason": nullable(WJ759),
        "decided_at": nullable(DATETIME),
        "care_started_on": nullable(DATE), "care_stopped_on": nullable(DATE),
        "stop_reason": nullable(JZ588),
    },
}
PLAN_STATUS = {
    "type": "object", "additionalProperties": False, "title": "PlanStatus",
    "description": "A plan's status and, per goal, its help and the verdicts: codes and references only.",
    "required": ["plan_id", "family_id", "status", "fixed_at", "fixed_count", "goals"],
    "properties": {
        "plan_id": ID, "family_id": ID,
        "status": {"enum": ["draft", "agreeing", "fixed"]},
        "fixed_at": nullable(DATETIME),
        "fixed_count": {"type": "integer", "minimum": 0},
        "goals": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["goal_id", "version", "youth_reference", "life_domain", "assignment", "result"],
            "properties": {
                "goal_id": ID, "version": {"type": "integer", "minimum": 1},
                "youth_reference": nullable(ID),
                "life_domain": nullable({"type": "string", "maxLength": 20}),
                "assignment": nullable({"$ref": "#/$defs/Assignment"}),
                "result": {
                    "type": "object", "additionalProperties": False,
                    "required": ["state", "family_verdict", "decided_at", "verdicts"],
                    "properties": {
                        "state": {"enum": ["", "open", "divided", *VERDICTS],
                                  "description": "'' not begun, open, divided, or the family verdict"},
                        "family_verdict": nullable(VERDICT),
                        "decided_at": nullable(DATETIME),
                        "verdicts": {"type": "array", "items": {
                            "type": "object", "additionalProperties": False,
                            "required": ["person_reference", "capacity", "verdict", "counts", "child_voice",
                                         "given_at"],
                            "properties": {"person_reference": ID, "capacity": {"enum": list(CAPACITIES)},
                                           "verdict": VERDICT, "counts": {"type": "boolean"},
                                           "child_voice": {"type": "boolean"}, "given_at": DATETIME}}}}}}}},
    },
}
PROBLEM_TYPE = {
    "type": "string", "format": "uri-reference", "pattern": "^/api/v1/problems/[a-z-]+$",
    "description": "The address of the page that explains this kind of problem, relative to the server (GET it: a "
                   "page, or JSON with Accept: application/json); the same on every server, so compare it as it is",
}
PROBLEM = {
    "type": "object", "title": "Problem", "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail", "errors"],
    "properties": {
        "type": PROBLEM_TYPE, "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599}, "detail": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["field", "message"],
            "properties": {"field": {"type": "string", "description": "Where: a JSON path like offers[3].agb_code"},
                           "message": {"type": "string"}}}},
    },
}
PROBLEM_TYPE_PAGE = {
    "type": "object", "title": "ProblemType", "additionalProperties": False,
    "description": "What a problem `type` means and what to do, in the language asked for (Accept-Language)",
    "required": ["type", "status", "title", "meaning", "what_to_do"],
    "properties": {"type": PROBLEM_TYPE, "status": {"type": "integer", "minimum": 400, "maximum": 599},
                   "title": {"type": "string", "description": "The `title` of problems of this type (English)"},
                   "meaning": {"type": "string"}, "what_to_do": {"type": "string"}},
}
PROBLEM_TYPES = {
    "type": "object", "title": "ProblemTypes", "additionalProperties": False, "required": ["problems"],
    "properties": {"problems": {"type": "array", "items": {"$ref": "#/$defs/ProblemType"}}},
}

# Every schema by its component name; request bodies are checked with these (references resolve to $defs).
COMPONENTS = {"CatalogPut": CATALOG_PUT, "CatalogProvider": CATALOG_PROVIDER, "CatalogOffer": CATALOG_OFFER,
              "CatalogResult": CATALOG_RESULT, "AssignmentDecision": DECISION, "CareStart": CARE_START,
              "CareStop": CARE_STOP, "Assignment": ASSIGNMENT, "PlanStatus": PLAN_STATUS, "Problem": PROBLEM,
              "ProblemType": PROBLEM_TYPE_PAGE, "ProblemTypes": PROBLEM_TYPES}
