"""JSON Schemas of the events for the municipality; every outbox payload is validated before it is written."""

from functools import cache

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

CARE_BASE = {  # what every event about an assignment's care carries: references and iJw codes, no names
    "reference": {"type": "string", "minLength": 1, "maxLength": 36, "description": "ReferentieAanbieder"},
    "assignment_number": {"oneOf": [{"type": "integer", "minimum": 1, "maximum": 999999999}, {"type": "null"}],
                          "description": "ToewijzingNummer"},
    "plan_id": ID,
    "family_id": ID,
    "goal_id": ID,
    "municipality_code": {"type": "string", "pattern": "^[0-9]{4}$", "description": "CBS gemeentecode"},
    "provider": {"type": "object", "additionalProperties": False, "required": ["agb_code", "external_id"],
                 "properties": {"agb_code": {"type": "string", "pattern": "^[0-9]{8}$"},
                                "external_id": {"type": "string", "minLength": 1, "maxLength": 64}}},
    "product": {"type": "object", "additionalProperties": False, "required": ["category", "code"],
                "properties": {"category": {"type": "string", "pattern": "^[0-9]{2}$"},
                               "code": {"oneOf": [{"type": "string", "pattern": "^[0-9A-Za-z]{1,5}$"},
                                                  {"type": "null"}]}}},
}
CARE_REQUIRED = list(CARE_BASE)
JZ588 = {"enum": ["02", "20", "31", "32", "33", "34", "35", "36", "37", "38", "39"],
         "description": "JZ588 reden beëindiging"}
VERDICT = {"enum": ["achieved", "partly", "not_achieved"]}


def _event(name: str, title: str, description: str, required: list[str], properties: dict) -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{BASE}/{name}/1", "title": title,
        "description": description, "type": "object", "additionalProperties": False,
        "required": CARE_REQUIRED + required, "properties": {**CARE_BASE, **properties},
    }


CARE_STARTED = _event(
    "care.started", "Zorg gestart",
    "The provider recorded the start of the assigned care for a goal: the first 50% of a result-based arrangement.",
    ["started_on", "recorded_at"], {"started_on": DATE, "recorded_at": DATETIME})
CARE_STOPPED = _event(
    "care.stopped", "Zorg gestopt",
    "The provider recorded the end of the care, with the JZ588 reason; dropped_out is the CBS uitval it implies.",
    ["started_on", "stopped_on", "stop_reason", "dropped_out", "recorded_at"],
    {"started_on": DATE, "stopped_on": DATE, "stop_reason": JZ588, "dropped_out": {"type": "boolean"},
     "recorded_at": DATETIME})
RESULT_PROPERTIES = {
    "family_verdict": VERDICT,
    "decided_at": DATETIME,
    "stopped_on": {"oneOf": [DATE, {"type": "null"}]},
    "partial_result_releases": {"type": "boolean",
                                "description": "The municipality's rule: does 'partly achieved' release the "
                                               "second 50%? (default no)"},
    "releases_second_payment": {"type": "boolean"},
    "corrects": {"oneOf": [VERDICT, {"type": "null"}],
                 "description": "The family verdict this corrects (set by the professional, with a reason)"},
    "verdicts": {"type": "array", "items": {
        "type": "object", "additionalProperties": False,
        "required": ["person_reference", "capacity", "verdict", "counts", "child_voice", "given_at"],
        "properties": {"person_reference": ID,
                       "capacity": {"enum": ["youth", "parent", "professional", "provider"]},
                       "verdict": VERDICT,
                       "counts": {"type": "boolean", "description": "part of the family verdict (age rules)"},
                       "child_voice": {"type": "boolean", "description": "a child under 12: voice, not vote"},
                       "given_at": DATETIME}}},
}
RESULT_REQUIRED = list(RESULT_PROPERTIES)
RESULT_ACHIEVED = _event(
    "result.achieved", "Resultaat behaald",
    "The family verdict on the goal is 'achieved': the second 50%. The verdicts are attached (no explanations: "
    "free text stays in the app).", RESULT_REQUIRED, {**RESULT_PROPERTIES, "family_verdict": {"const": "achieved"}})
RESULT_NOT_ACHIEVED = _event(
    "result.not_achieved", "Resultaat niet behaald",
    "The family verdict is 'partly' or 'not achieved'. The municipality's setting says whether partly releases "
    "the second 50%.", RESULT_REQUIRED,
    {**RESULT_PROPERTIES, "family_verdict": {"enum": ["partly", "not_achieved"]}})

SCHEMAS = {"plan.fixed": PLAN_FIXED, "assignment.requested": ASSIGNMENT_REQUESTED}
SCHEMAS |= {"care.started": CARE_STARTED, "care.stopped": CARE_STOPPED, "result.achieved": RESULT_ACHIEVED,
            "result.not_achieved": RESULT_NOT_ACHIEVED}


@cache
def validator(event_type: str) -> Draft202012Validator:
    """Return the validator of an event type (format checks on: dates must be dates); made once per type."""
    return Draft202012Validator(SCHEMAS[event_type], format_checker=Draft202012Validator.FORMAT_CHECKER)

COUNT = {"type": "integer", "minimum": 0}
COMPLAINTS_MONTHLY = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"{BASE}/complaints.monthly/1",
    "title": "Klachten per maand",
    "description": "A municipality's complaint figures for one month (Awb 9:12a registration): counts per subject "
                   "and regime, judgements within the term, outcomes, reopened parts and satisfaction. Counts only: "
                   "no ids, names, texts or dates of single complaints.",
    "type": "object",
    "additionalProperties": False,
    "required": ["municipality_code", "month", "generated_at", "received", "regimes", "judged", "judged_on_time",
                 "on_time_share", "outcomes", "closed", "reopened", "satisfied", "open_overdue_at_month_end"],
    "properties": {
        "municipality_code": {"type": "string", "pattern": "^[0-9]{4}$", "description": "CBS gemeentecode"},
        "month": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"},
        "generated_at": DATETIME,
        "received": {"type": "object", "additionalProperties": False,
                     "required": ["provider", "professional", "municipality", "app"],
                     "properties": {k: COUNT for k in ("provider", "professional", "municipality", "app")}},
        "regimes": {"type": "object", "additionalProperties": False, "required": ["jeugdwet", "wkkgz", "awb"],
                    "properties": {k: COUNT for k in ("jeugdwet", "wkkgz", "awb")}},
        "judged": COUNT,
        "judged_on_time": COUNT,
        "on_time_share": {"oneOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "null"}]},
        "outcomes": {"type": "object", "additionalProperties": False,
                     "required": ["founded", "partly_founded", "unfounded"],
                     "properties": {k: COUNT for k in ("founded", "partly_founded", "unfounded")}},
        "closed": COUNT,
        "reopened": COUNT,
        "satisfied": {"type": "object", "additionalProperties": False, "required": ["yes", "no"],
                      "properties": {"yes": COUNT, "no": COUNT}},
        "open_overdue_at_month_end": COUNT,
    },
}
SCHEMAS["complaints.monthly"] = COMPLAINTS_MONTHLY

COMPLAINT_FILED = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"{BASE}/complaint.filed/1",
    "title": "Klacht ingediend (bij de gemeente)",
    "description": "A complaint the municipality handles itself (Awb title 9.1: about the municipality, its "
                   "jeugdprofessional or the app) was filed; only those parts are listed. A complaint only about a "
                   "provider is the provider's (Jeugdwet 4.2.1) and is not sent, only counted in complaints.monthly. "
                   "The confirmation number and dates: no names, no text, no family or person ids.",
    "type": "object",
    "additionalProperties": False,
    "required": ["complaint_id", "number", "municipality_code", "filed_at", "parts"],
    "properties": {
        "complaint_id": ID,
        "number": {"type": "string", "pattern": "^[0-9]{4}-[0-9A-Z]{6}$",
                   "description": "The confirmation number the complainant got"},
        "municipality_code": {"type": "string", "pattern": "^[0-9]{4}$", "description": "CBS gemeentecode"},
        "filed_at": DATETIME,
        "parts": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False,
            "required": ["part_id", "subject", "regime", "received_on", "decide_by"],
            "properties": {"part_id": ID, "subject": {"enum": ["municipality", "professional", "app"]},
                           "regime": {"const": "awb"}, "received_on": DATE,
                           "decide_by": {**DATE, "description": "Awb 9:11: 6 weeks, 10 with an advisory committee"}}}},
    },
}
SCHEMAS["complaint.filed"] = COMPLAINT_FILED

DOSSIER_DESTROYED = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"{BASE}/dossier.destroyed/1",
    "title": "Dossier (deels) vernietigd",
    "description": "Part of a family's dossier, or all of it, was destroyed: on the request of the betrokkene(n) "
                   "after the professional's assessment (Jeugdwet 7.3.9), or after the retention period (7.3.8 lid "
                   "3). The fact only: references, dates and a count of rows; no names, no text, nothing of what "
                   "was destroyed.",
    "type": "object",
    "additionalProperties": False,
    "required": ["request_id", "plan_id", "family_id", "municipality_code", "scope", "asked_at", "destroyed_at",
                 "rows", "reason"],
    "properties": {
        "request_id": {"oneOf": [ID, {"type": "null"}]},
        "plan_id": ID,
        "family_id": ID,
        "municipality_code": {"type": "string", "pattern": "^[0-9]{4}$", "description": "CBS gemeentecode"},
        "scope": {"enum": ["item", "dossier"]},
        "asked_at": {"oneOf": [DATETIME, {"type": "null"}]},
        "destroyed_at": DATETIME,
        "rows": COUNT,
        "reason": {"enum": ["request", "retention"]},
    },
}
SCHEMAS["dossier.destroyed"] = DOSSIER_DESTROYED
