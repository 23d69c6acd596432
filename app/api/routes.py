"""The inbound API (/api/v1): JSON in and out, bearer tokens instead of sessions, every call in the access log."""

import contextlib
import logging
import re

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, g, request
from flask_limiter import RateLimitExceeded
from werkzeug.exceptions import HTTPException

from app.api import catalog, services, status
from app.api.auth import authenticate, limit_key
from app.api.calls import Answer, log_call
from app.api.openapi import API_VERSION, docs_page, published_document
from app.api.problems import EXPLANATIONS, TITLES, ApiProblem, describe, json_response, problem_response
from app.api.validation import read_json
from app.extensions import csrf, db, limiter
from app.web.limits import retry_after
from app.web.render import render

log = logging.getLogger("onsplan.api")
bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies are trusted here: every call carries a bearer token
# One budget per client for the whole API (RATELIMIT_API), counted before the call does any work.
limiter.shared_limit(lambda: current_app.config["RATELIMIT_API"], scope="api", key_func=limit_key)(bp)
HTTP_KINDS = {status: kind for kind, (status, _title) in TITLES.items() if kind != "request-id-reused"}
OTHER_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@bp.put("/catalog")
def put_catalog() -> Response:
    """Create or update catalog providers and offers in bulk."""
    client = authenticate("catalog:write")
    body = read_json(current_app.config["API_MAX_CATALOG_BYTES"])
    return _answer("api.catalog.put", "update", catalog.put_catalog(db.session, client=client, body=body))


@bp.post("/assignments/<reference>/decision")
def decide(reference: str) -> Response:
    """Record the municipality's decision on a request for an assignment."""
    client = authenticate("assignments:write")
    body = read_json(current_app.config["API_MAX_BODY_BYTES"])
    answer = services.decide(db.session, client=client, reference=reference, body=body)
    return _answer("api.assignment.decision", "update", answer)


@bp.post("/assignments/<reference>/care-start")
def care_start(reference: str) -> Response:
    """Record the start of the assigned care on behalf of the provider."""
    client = authenticate("care:write")
    body = read_json(current_app.config["API_MAX_BODY_BYTES"])
    answer = services.record_care(db.session, client=client, reference=reference, body=body, stop=False)
    return _answer("api.care.start", "update", answer)


@bp.post("/assignments/<reference>/care-stop")
def care_stop(reference: str) -> Response:
    """Record the end of the assigned care (JZ588 reason) on behalf of the provider."""
    client = authenticate("care:write")
    body = read_json(current_app.config["API_MAX_BODY_BYTES"])
    answer = services.record_care(db.session, client=client, reference=reference, body=body, stop=True)
    return _answer("api.care.stop", "update", answer)


@bp.get("/plans/<plan_id>/status")
def plan_status(plan_id: str) -> Response:
    """Show a plan's status, its goals' help and verdicts (codes and references only)."""
    client = authenticate("plans:read")
    return _answer("api.plan.status", "read", status.plan_status(db.session, client=client, plan_id=plan_id))


@bp.get("/openapi.json")
def openapi() -> Response:
    """Publish the OpenAPI 3.1 document of this API and of the events we send."""
    response = json_response(published_document())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/docs")
def docs() -> str:
    """Show the API documentation, rendered on the server from the OpenAPI document."""
    return docs_page(published_document())


@bp.get("/problems")
def problem_types() -> Response:
    """List every problem type this API answers with: a page, or JSON when asked for."""
    if _wants_json():
        return _negotiated(json_response({"problems": [describe(kind) for kind in TITLES]}))
    problems = [(kind, EXPLANATIONS[kind][0], describe(kind)) for kind in TITLES]
    return _negotiated(render("api/problems.html", problems=problems))


@bp.get("/problems/<problem>")
def problem_type(problem: str) -> Response:
    """Explain the problem a `type` URI names and what to do about it: a page, or JSON when asked for."""
    if problem not in TITLES:
        raise ApiProblem("not-found", "There is no such problem type; see /api/v1/problems for the list.")
    if _wants_json():
        return _negotiated(json_response(describe(problem)))
    return _negotiated(render("api/problem.html", explained=describe(problem), heading=EXPLANATIONS[problem][0]))


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json", "application/problem+json"])
    return best is not None and best != "text/html"


def _negotiated(response: Response) -> Response:
    """The answer differs by the Accept and Accept-Language headers: caches must keep them apart."""
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    return response


@bp.after_app_request
def version_header(response: Response) -> Response:
    """Every answer under /api/v1, errors included, names the API's full version (NL API Design Rules)."""
    if request.path == bp.url_prefix or request.path.startswith(f"{bp.url_prefix}/"):
        response.headers["API-Version"] = API_VERSION
    return response


@bp.route("/<path:rest>", methods=OTHER_METHODS)
def unknown(rest: str) -> Response:
    """Answer a path or method this API does not have with a problem, not an HTML page."""
    allowed = _allowed_methods(request.path)
    if allowed:
        raise ApiProblem("method-not-allowed", f"Use {', '.join(sorted(allowed))} here.",
                         headers={"Allow": ", ".join(sorted(allowed))})
    raise ApiProblem("not-found", "This API has no such endpoint; see /api/v1/openapi.json.")


def _allowed_methods(path: str) -> set[str]:
    allowed = set()
    for rule in current_app.url_map.iter_rules():
        own = rule.endpoint.startswith("api.") and rule.endpoint != "api.unknown"
        if own and re.fullmatch(re.sub(r"<[^>]+>", "[^/]+", rule.rule), path):
            allowed |= set(rule.methods) - {"HEAD", "OPTIONS"}
    return allowed


def _answer(event: str, action: str, answer: Answer) -> Response:
    """Log the call in the change's own transaction, commit, and answer."""
    log_call(db.session, client_id=g.api_client.client_id, event=event, action=action, status=answer.status,
             call=_call(), family_id=answer.family_id, object_type=answer.object_type, object_id=answer.object_id,
             reason="replayed" if answer.replayed else "")
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # the same request id arrived twice at once: the other one answered first
        db.session.rollback()
        raise ApiProblem("conflict", "The same request is being handled already; retry in a moment.",
                         headers={"Retry-After": "1"}) from None
    return json_response(answer.body, answer.status)


def _call() -> str:
    """The call as the access log keeps it (a NUL, which PostgreSQL cannot store, as the %00 that was sent)."""
    return f"{request.method} {request.path}".replace("\x00", "%00")[:200]


@bp.errorhandler(ApiProblem)
def problem(error: ApiProblem) -> Response:
    """Answer a refused call as application/problem+json, and log it in a transaction of its own."""
    _log_refusal(error.status, error.detail, error.family_id)
    return problem_response(error)


@bp.errorhandler(RateLimitExceeded)
def too_many_requests(error: RateLimitExceeded) -> Response:
    """Answer a call over the client's rate limit with 429 and Retry-After; not in the access log (a flood of
    refusals must not become a flood of log entries, and the call touched nothing)."""
    wait = retry_after()
    return problem_response(ApiProblem(
        "too-many-requests", f"Too many requests from this client: at most {error.limit.limit}. Retry after "
        f"{wait} seconds (the Retry-After header).", headers={"Retry-After": str(wait)}))


@bp.errorhandler(HTTPException)
def http_problem(error: HTTPException) -> Response:
    """Answer HTTP errors (413 while reading the body, ...) as problems too."""
    kind = HTTP_KINDS.get(error.code or 500, "invalid" if (error.code or 500) < 500 else "unavailable")
    return problem(ApiProblem(kind, error.description or TITLES[kind][1]))


@bp.errorhandler(Exception)
def unexpected(error: Exception) -> Response:
    """Answer a failure on our side as a problem (503 when the database is down), logged without details."""
    if current_app.testing and not current_app.config.get("FRIENDLY_ERRORS_IN_TESTS"):
        raise error
    kind = "unavailable" if isinstance(error, sa.exc.OperationalError) else "server-error"
    log.exception("api error: %s", type(error).__name__)
    with contextlib.suppress(sa.exc.SQLAlchemyError):
        return problem(ApiProblem(kind, "Something went wrong on our side; retry later. Nothing was changed.",
                                  headers={"Retry-After": "60"}))
    return problem_response(ApiProblem(kind, "Something went wrong on our side; retry later."))


def _log_refusal(status: int, reason: str, family_id: str | None) -> None:
    if request.endpoint in ("api.openapi", "api.docs"):
        return
    db.session.rollback()
    client = g.get("api_client")
    with db.new_session() as session:
        log_call(session, client_id=client.client_id if client else None, event="api.refused", action="execute",
                 status=status, call=_call(), family_id=family_id, outcome="refused" if status < 500 else "failed",
                 reason=reason[:200])
