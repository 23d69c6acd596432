"""The OpenAPI 3.1 document of the inbound API and of the events we send, and a docs page rendered from it."""

import copy
import json
from functools import cache

from flask import current_app, render_template, url_for

from app.api.problems import TITLES
from app.api.schemas import COMPONENTS
from app.outbox.schemas import SCHEMAS as EVENT_SCHEMAS

SCOPES = {
    "catalog:write": "Put catalog providers and offers",
    "assignments:write": "Post decisions on requests for an assignment",
    "care:write": "Post the start and stop of care on behalf of providers",
    "plans:read": "Read a plan's status and verdicts",
}
# The API's full version (semver), in info.version and in every answer's API-Version header (NL API Design Rules
# /core/version-header). Its major is the /v1 in the address; a change a client could notice raises minor or major.
API_VERSION = "1.1.0"
INFO = {
    "title": "Ons Plan municipality API",
    "version": API_VERSION,
    "summary": "Catalog, assignment decisions, care start and stop, and plan status for the municipality.",
    "description": (
        "The municipality's backoffice talks to Ons Plan through this API, and Ons Plan sends it events (their "
        "payloads are under `components/schemas`, named `Event...`; see the `webhooks`).\n\n"
        "**Authentication.** Every call carries `Authorization: Bearer <JWT>`: an access token from the "
        "municipality's identity provider (client credentials), signed by a key in its JWKS, with our API as its "
        "audience and the endpoint's scope in the space-separated `scope` claim. The token's `client_id` is "
        "written to the access log for every call, accepted or refused (except calls over the rate limit).\n\n"
        "**Rate limits.** Each client (the token's `client_id`; without a valid token, the caller's address) may "
        "make a number of calls per minute to the whole API together (600 unless the operator set "
        "`RATELIMIT_API`). Over it the answer is 429 `too-many-requests` with a `Retry-After` header (seconds); "
        "every answer carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`. A catalog put "
        "of 10,000 offers is one call.\n\n"
        "**Errors** are `application/problem+json` (RFC 9457) with `type`, `title`, `status`, `detail` and "
        "`errors`: one entry per failing field, as a JSON path such as `offers[3].agb_code`. Unknown fields are "
        "refused (422). Each `type` is an address relative to the server, such as "
        "`/api/v1/problems/too-many-requests`: the same on every server, and a page there explains the problem and "
        "what to do (JSON with `Accept: application/json`); `/api/v1/problems` lists them all. Codes follow iJw "
        "3.2: JZ020 product categories, WJ759 refusal reasons, JZ588 stop reasons.\n\n"
        "**Versions.** Every answer carries the header `API-Version` with the full version of this API (now "
        f"{API_VERSION}), the same as `info.version`; the major version is the `v1` in the address.\n\n"
        "**Retries.** Writes carry a `request_id` (a UUID): sending the same request again returns the first "
        "answer (200) without doing it twice. The catalog put is idempotent by the external ids as well."),
}
TAGS = [{"name": "catalog", "description": "The Jeugdhulpcatalogus"},
        {"name": "assignments", "description": "Answers to requests for an assignment (iJw JW301 / JW319) and "
                                               "care start and stop (JW305 / JW307)"},
        {"name": "plans", "description": "A family plan's status and result verdicts"},
        {"name": "problems", "description": "What each problem `type` means and what to do (no token needed)"}]
EVENT_NAMES = {event: "Event" + "".join(part.title() for part in event.replace(".", "_").split("_"))
               for event in EVENT_SCHEMAS}


def _problem(description: str) -> dict:
    return {"description": description,
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _json(name: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


AUTH_PROBLEMS = {"401": _problem("No token, or the token is invalid, expired, for another audience or issuer"),
                 "403": _problem("The token lacks the endpoint's scope"),
                 "429": _problem("Too many requests from this client; retry after the seconds in `Retry-After`")}
REFERENCE = {"name": "reference", "in": "path", "required": True,
             "description": "Our reference of the request (iJw ReferentieAanbieder), from the "
                            "`assignment.requested` event", "schema": {"type": "string", "maxLength": 36}}


def _write(summary: str, description: str, scope: str, tag: str, body: str, answer: str, extra: dict) -> dict:
    return {
        "summary": summary, "description": description, "tags": [tag], "security": [{"municipality": [scope]}],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{body}"}}}},
        "responses": {"200": _json(answer, "Done (or the same request again: the first answer)"), **AUTH_PROBLEMS,
                      "413": _problem("The body is larger than the limit"),
                      "415": _problem("The body is not JSON"),
                      "422": _problem("A field is missing, unknown or not valid; `errors` names each one"),
                      **extra},
    }


def _problem_pages() -> dict:
    """The pages behind the problems' `type` URIs: public, HTML for people, JSON when asked for."""
    def page(schema: str, description: str) -> dict:
        return {"description": description, "content": {
            "text/html": {"schema": {"type": "string"}},
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}

    limited = {"429": AUTH_PROBLEMS["429"]}
    return {
        "/problems": {"get": {
            "summary": "List the problem types", "operationId": "listProblemTypes", "tags": ["problems"],
            "description": "Every `type` this API answers problems with, and what it means. A page in the "
                           "reader's language (Dutch, Frisian or English), or JSON with `Accept: application/json`.",
            "security": [], "responses": {"200": page("ProblemTypes", "The problem types"), **limited}}},
        "/problems/{problem}": {"parameters": [{
            "name": "problem", "in": "path", "required": True, "description": "The last part of a problem's `type`",
            "schema": {"type": "string", "maxLength": 40, "examples": sorted(TITLES)}}],
            "get": {
            "summary": "Explain a problem type", "operationId": "explainProblemType", "tags": ["problems"],
            "description": "What a problem `type` means and what to do about it: the address in the `type` of a "
                           "problem. A page in the reader's language, or JSON with `Accept: application/json`.",
            "security": [], "responses": {"200": page("ProblemType", "The problem type explained"),
                                          "404": _problem("No problem type with this name"), **limited}}},
    }


def _paths() -> dict:
    not_found = {"404": _problem("No request for an assignment with this reference")}
    conflict = _problem("A different decision or date was recorded already (or the help is not assigned)")
    return {
        "/catalog": {"put": {**_write(
            "Put providers and offers", "Creates or updates the providers and their offers by id (bulk, "
            "idempotent). All or nothing: if any field is wrong, nothing is stored and every failing field is "
            "listed. Providers are stored with their offers. Offers left out are not removed. At most 8 MB "
            "(about 15,000 offers) per put; send a larger catalog in parts.",
            "catalog:write", "catalog", "CatalogPut", "CatalogResult", {}), "operationId": "putCatalog"}},
        "/assignments/{reference}/decision": {"parameters": [REFERENCE], "post": {**_write(
            "Decide on a request for an assignment", "`assigned` needs `assignment_number` and `start` (iJw "
            "ToewijzingNummer, Ingangsdatum); `refused` needs a WJ759 `refusal_reason`; `examining` says the "
            "request is being looked at. After a final decision (assigned or refused) a different one is refused "
            "with 409; the same one again is answered 200.",
            "assignments:write", "assignments", "AssignmentDecision", "Assignment",
            {**not_found, "409": conflict}), "operationId": "decideAssignment"}},
        "/assignments/{reference}/care-start": {"parameters": [REFERENCE], "post": {**_write(
            "Record the start of care", "On behalf of the assigned provider (iJw JW305 Begindatum). The date "
            "cannot be in the future or before the assignment's start.",
            "care:write", "assignments", "CareStart", "Assignment", {**not_found, "409": conflict}),
            "operationId": "startCare"}},
        "/assignments/{reference}/care-stop": {"parameters": [REFERENCE], "post": {**_write(
            "Record the stop of care", "On behalf of the assigned provider (iJw JW307 Einddatum, "
            "RedenBeeindiging JZ588). The start must be recorded first.",
            "care:write", "assignments", "CareStop", "Assignment", {**not_found, "409": conflict}),
            "operationId": "stopCare"}},
        "/plans/{plan_id}/status": {"parameters": [{"name": "plan_id", "in": "path", "required": True,
                                                    "schema": {"type": "string", "maxLength": 40}}],
                                    "get": {
            "summary": "Read a plan's status", "operationId": "planStatus", "tags": ["plans"],
            "description": "The plan's status and per goal its help (assignment) and result: the family verdict "
                           "and, once it is set, each party's verdict. Codes and references only: no names, no "
                           "free text.",
            "security": [{"municipality": ["plans:read"]}],
            "responses": {"200": _json("PlanStatus", "The plan's status"), **AUTH_PROBLEMS,
                          "404": _problem("No plan with this id")}}},
        **_problem_pages(),
    }


def _webhooks() -> dict:
    return {event: {"post": {
        "summary": EVENT_SCHEMAS[event].get("title", event), "description": EVENT_SCHEMAS[event]["description"],
        "operationId": f"event{EVENT_NAMES[event][5:]}",
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{EVENT_NAMES[event]}"}}}},
        "responses": {"2XX": {"description": "Received; we will not send this event again"}}}}
        for event in EVENT_SCHEMAS}


def _relink(value):
    """Point the API schemas' $defs references at components/schemas."""
    return json.loads(json.dumps(value).replace('"#/$defs/', '"#/components/schemas/'))


def _event_schema(event: str) -> dict:
    schema = copy.deepcopy(EVENT_SCHEMAS[event])
    schema.pop("$schema", None)  # the document's jsonSchemaDialect says it: 2020-12
    schema["x-event-type"] = event
    return schema


@cache
def openapi_document() -> dict:
    """The OpenAPI 3.1 document (built once per process)."""
    schemas = _relink(COMPONENTS) | {EVENT_NAMES[event]: _event_schema(event) for event in EVENT_SCHEMAS}
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": INFO,
        "servers": [{"url": "/api/v1"}],
        "tags": TAGS,
        "paths": _paths(),
        "webhooks": _webhooks(),
        "components": {
            "schemas": schemas,
            "securitySchemes": {"municipality": {
                "type": "oauth2", "description": "A JWT access token (RFC 9068) from the municipality's identity "
                                                 "provider, client credentials grant, our API as the resource.",
                "flows": {"clientCredentials": {"tokenUrl": "https://idp.gemeente.example/token",
                                                "scopes": SCOPES}}}},
        },
    }


def published_document() -> dict:
    """The document as served: the built one with this installation's contact (info.contact, from API_CONTACT_*)."""
    document = openapi_document()
    return {**document, "info": {**document["info"], "contact": api_contact()}}


def api_contact() -> dict[str, str]:
    """Whom an integrator asks about the API: name, web page (default: the docs page) and e-mail (when set)."""
    config = current_app.config
    contact = {"name": config["API_CONTACT_NAME"],
               "url": config["API_CONTACT_URL"] or _docs_url()}
    if config["API_CONTACT_EMAIL"]:
        contact["email"] = config["API_CONTACT_EMAIL"]
    return contact


def _docs_url() -> str:
    site = current_app.config.get("SITE_URL")
    return f"{site.rstrip('/')}{url_for('api.docs')}" if site else url_for("api.docs", _external=True)


def docs_page(document: dict) -> str:
    """The developers' page: every endpoint, its scope, body, answers, and the event schemas (English only)."""
    return render_template("api/docs.html", doc=document, scopes=SCOPES, pretty=_pretty, ref_name=_ref_name)


def _pretty(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _ref_name(schema: dict) -> str:
    return schema.get("$ref", "").rsplit("/", 1)[-1]
