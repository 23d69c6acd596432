"""JSON Schemas of the events for the municipality; every outbox payload is validated before it is written."""

from jsonschema import Draft202012Validator

BASE = "https://onsplan.invalid/schemas/events"
ID = {"type": "string", "minLength": 1, "maxLength": 40}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}

PLAN_FIXED = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"{BASE}/plan.fixed/1",
    "title": "Gezinsplan vastgesteld",
    "description": "The family plan was agreed by everyone whose consent the age rules require. In West-Brabant "
                   "West the plan is the decision (beschikking). Carries references, no names or free text.",
    "type": "object",
    "additionalProperties": False,
    "required": ["plan_id", "family_id", "municipality_code", "fixed_at", "fixed_count", "youths", "goals",
                 "agreements"],
    "properties": {
        "plan_id": ID,
        "family_id": ID,
        "municipality_code": {"type": "string", "pattern": "^[0-9]{4}$", "description": "CBS gemeentecode"},
        "fixed_at": DATETIME,
        "fixed_count": {"type": "integer", "minimum": 1},
        "youths": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["reference", "age_band"],
            "properties": {"reference": ID, "age_band": {"enum": ["0-11", "12-15", "16+"]}}}},
        "goals": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["goal_id", "version", "life_domain", "youth_reference", "target_date"],
            "properties": {
                "goal_id": ID, "version": {"type": "integer", "minimum": 1},
                "life_domain": {"enum": ["parenting", "health", "school", "leisure", "housing", "safety", None]},
                "youth_reference": {"oneOf": [ID, {"type": "null"}]},
                "target_date": {"oneOf": [DATE, {"type": "null"}]}}}},
        "agreements": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["person_reference", "role", "scope", "at"],
            "properties": {"person_reference": ID, "role": {"enum": ["youth", "parent"]},
                           "scope": {**ID, "description": "'plan', or the id of a goal"}, "at": DATETIME}}},
    },
}

ASSIGNMENT_REQUESTED = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"{BASE}/assignment.requested/1",
    "title": "Verzoek om toewijzing",
    "description": "The family chose an offer for a goal and the jeugdprofessional confirmed it: a request for an "
                   "assignment, with iJw names and codes (JW315: ReferentieAanbieder, Product, "
                   "ToewijzingIngangsdatum, Omvang, Verwijzer). References only: no names, no BSN, no free text.",
    "type": "object",
    "additionalProperties": False,
    "required": ["reference", "plan_id", "family_id", "goal_id", "municipality_code", "youth", "provider",
                 "offer_external_id", "product", "requested_start", "omvang", "referrer", "chosen_at",
                 "confirmed_at"],
    "properties": {
        "reference": {"type": "string", "minLength": 1, "maxLength": 36,
                      "description": "Our reference for the request (iJw ReferentieAanbieder, at most 36)"},
        "plan_id": ID,
        "family_id": ID,
        "goal_id": ID,
        "municipality_code": {"type": "string", "pattern": "^[0-9]{4}$", "description": "CBS gemeentecode"},
        "youth": {"oneOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False, "required": ["reference", "age_band"],
            "properties": {"reference": ID, "age_band": {"enum": ["0-11", "12-15", "16+"]}}}]},
        "provider": {"type": "object", "additionalProperties": False, "required": ["agb_code", "external_id"],
                     "properties": {"agb_code": {"type": "string", "pattern": "^[0-9]{8}$"},
                                    "external_id": {"type": "string", "minLength": 1, "maxLength": 64}}},
        "offer_external_id": {"type": "string", "minLength": 1, "maxLength": 64},
        "product": {"type": "object", "additionalProperties": False, "required": ["category", "code"],
                    "properties": {"category": {"type": "string", "pattern": "^[0-9]{2}$",
                                                "description": "JZ020 productcategorie"},
                                   "code": {"oneOf": [{"type": "string", "pattern": "^[0-9A-Za-z]{1,5}$"},
                                                      {"type": "null"}]}}},
        "requested_start": {**DATE, "description": "ToewijzingIngangsdatum asked for"},
        "omvang": {"oneOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False, "required": ["volume", "unit", "frequency"],
            "properties": {"volume": {"type": "integer", "minimum": 0, "maximum": 99999999},
                           "unit": {"enum": ["01", "04", "14", "16", "82", "83", "84"], "description": "WJ756"},
                           "frequency": {"enum": ["1", "2", "4", "6"], "description": "WMO757"}}}]},
        "referrer": {"type": "object", "additionalProperties": False, "required": ["type"],
                     "properties": {"type": {"enum": ["01", "02", "03", "04", "05", "06", "08"],
                                             "description": "COD327 verwijzer"}}},
        "chosen_at": DATETIME,
        "confirmed_at": DATETIME,
    },
}

SCHEMAS = {"plan.fixed": PLAN_FIXED, "assignment.requested": ASSIGNMENT_REQUESTED}


def validator(event_type: str) -> Draft202012Validator:
    """Return the validator of an event type (format checks on: dates must be dates)."""
    return Draft202012Validator(SCHEMAS[event_type], format_checker=Draft202012Validator.FORMAT_CHECKER)
