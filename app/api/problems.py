"""Errors as application/problem+json (RFC 9457): a type, a clear English title, the status, and the fields.

Each `type` is the root-relative address of a page that explains the problem (GET /api/v1/problems/<kind>): the
same identifier on every server, which a client resolves against the address it called."""

from flask import Response, json
from flask_babel import lazy_gettext as _l

PROBLEM_TYPE = "/api/v1/problems/"
MEDIA_TYPE = "application/problem+json"

TITLES = {  # one English title per kind of problem; `type` is PROBLEM_TYPE + the key
    "unauthorized": (401, "Missing or invalid access token"),
    "forbidden": (403, "The access token lacks the scope for this endpoint"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "conflict": (409, "Conflicts with an earlier decision or recording"),
    "too-large": (413, "Request body too large"),
    "unsupported-media-type": (415, "Send JSON (Content-Type: application/json)"),
    "invalid": (422, "The request body is not valid"),
    "request-id-reused": (422, "This request_id was used for a different request"),
    "too-many-requests": (429, "Too many requests"),
    "server-error": (500, "Something went wrong on our side"),
    "unavailable": (503, "Service temporarily unavailable"),
}
# Per kind, for the page behind its `type`: a heading, what it means and what to do (in the reader's language).
EXPLANATIONS = {
    "unauthorized": (
        _l("The call has no valid access token"),
        _l("Every call needs an access token from the municipality's identity provider. The token was missing, or it "
           "was not valid: expired, signed with an unknown key, or made for another audience or issuer."),
        _l("Ask the identity provider for a new token and send it in the header Authorization: Bearer <token>. The "
           "header WWW-Authenticate of the answer says what was wrong.")),
    "forbidden": (
        _l("The access token does not allow this call"),
        _l("The token is valid, but it lacks the scope this call needs, or your client may not act for this "
           "municipality."),
        _l("Look up the scope of the call in the API documentation and ask for a token with that scope. Is the scope "
           "right? Then ask the administrator of Ons Plan for which municipalities your client may act.")),
    "not-found": (
        _l("We cannot find what the call asks for"),
        _l("The address does not exist in this API, or the request, plan or problem type in it does not exist or is "
           "not shared with your client."),
        _l("Check the address and the reference or id in it. The API documentation lists every address.")),
    "method-not-allowed": (
        _l("This address does not take this method"),
        _l("The address exists, but not for this HTTP method."),
        _l("Use one of the methods in the header Allow of the answer.")),
    "conflict": (
        _l("The call conflicts with what was recorded before"),
        _l("A different decision or date was recorded already, the help is not assigned, or the same request is "
           "being handled at this moment."),
        _l("Read the current state first, for example the plan's status. Do not change a final decision. Does the "
           "answer have a header Retry-After? Then wait that many seconds and send the same request again.")),
    "too-large": (
        _l("The body is too large"),
        _l("The body of the call is larger than this API accepts: by default 8 MB for a catalog and 64 KB for other "
           "calls."),
        _l("Send the catalog in several parts. Each part is stored on its own.")),
    "unsupported-media-type": (
        _l("The body is not JSON"),
        _l("This API reads JSON only. The header Content-Type of the call was missing or was not application/json."),
        _l("Send the body as JSON with the header Content-Type: application/json.")),
    "invalid": (
        _l("The body is not valid"),
        _l("A field is missing, unknown, or has a value that is not allowed. Nothing was stored."),
        _l("Read the list errors in the answer: it names every wrong field, such as offers[3].agb_code, and says "
           "why. Fix them all and send the request again.")),
    "request-id-reused": (
        _l("This request_id was used for another request"),
        _l("Every write carries a request_id. Sending the same request again with the same id is safe, but this id "
           "came with a different body before."),
        _l("Use a new UUID as request_id for every new request. Use an id again only to send exactly the same "
           "request again.")),
    "too-many-requests": (
        _l("Too many calls"),
        _l("Your client made more calls in one minute than the API allows. Nothing was done with this call."),
        _l("Wait the number of seconds in the header Retry-After. Then send the same request again, with the same "
           "request_id.")),
    "server-error": (
        _l("Something went wrong on our side"),
        _l("The call failed because of an error in Ons Plan, not because of what you sent. Nothing was changed."),
        _l("Wait a moment and send the same request again, with the same request_id. Does it keep failing? Then "
           "contact us: the contact is in the API document.")),
    "unavailable": (
        _l("Ons Plan is not available right now"),
        _l("Ons Plan cannot handle calls at the moment, for example because the database cannot be reached or the "
           "API is not set up yet. Nothing was changed."),
        _l("Wait the number of seconds in the header Retry-After and try again. Does it keep failing? Then contact "
           "us: the contact is in the API document.")),
}


class ApiProblem(Exception):
    """A problem to answer with; `errors` holds (field, message) pairs."""

    def __init__(self, kind: str, detail: str, errors: list[tuple[str, str]] | None = None,
                 headers: dict[str, str] | None = None, family_id: str | None = None):
        if kind not in TITLES:  # every `type` we send must resolve to its page
            raise ValueError(f"unknown problem kind: {kind}")
        super().__init__(detail)
        self.kind, self.detail, self.errors, self.headers = kind, detail, errors or [], headers or {}
        self.family_id = family_id  # whose access-log chain records the refusal (None: the system chain)

    @property
    def status(self) -> int:
        return TITLES[self.kind][0]

    def body(self) -> dict:
        """The problem document."""
        status, title = TITLES[self.kind]
        return {"type": problem_type(self.kind), "title": title, "status": status, "detail": self.detail,
                "errors": [{"field": field, "message": message} for field, message in self.errors]}


def problem_type(kind: str) -> str:
    """The `type` URI of a kind of problem: the address of the page that explains it."""
    return PROBLEM_TYPE + kind


def describe(kind: str) -> dict:
    """What the page behind a problem's `type` says, as JSON: the API's title, and the explanation in the reader's
    language."""
    status, title = TITLES[kind]
    _heading, meaning, action = EXPLANATIONS[kind]
    return {"type": problem_type(kind), "status": status, "title": title, "meaning": str(meaning),
            "what_to_do": str(action)}


def problem_response(problem: ApiProblem) -> Response:
    """Render a problem as application/problem+json."""
    response = Response(json.dumps(problem.body()), status=problem.status, mimetype=MEDIA_TYPE)
    response.headers.update(problem.headers)
    response.headers["Cache-Control"] = "no-store"
    return response


def json_response(body: dict, status: int = 200) -> Response:
    """Render an answer as application/json, never cached (it may describe a family's help)."""
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response
