"""Errors as application/problem+json (RFC 9457): a type, a clear English title, the status, and the fields."""

from flask import Response, json

PROBLEM_TYPE = "https://onsplan.invalid/problems/"
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


class ApiProblem(Exception):
    """A problem to answer with; `errors` holds (field, message) pairs."""

    def __init__(self, kind: str, detail: str, errors: list[tuple[str, str]] | None = None,
                 headers: dict[str, str] | None = None, family_id: str | None = None):
        super().__init__(detail)
        self.kind, self.detail, self.errors, self.headers = kind, detail, errors or [], headers or {}
        self.family_id = family_id  # whose access-log chain records the refusal (None: the system chain)

    @property
    def status(self) -> int:
        return TITLES[self.kind][0]

    def body(self) -> dict:
        """The problem document."""
        status, title = TITLES[self.kind]
        return {"type": PROBLEM_TYPE + self.kind, "title": title, "status": status, "detail": self.detail,
                "errors": [{"field": field, "message": message} for field, message in self.errors]}


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
