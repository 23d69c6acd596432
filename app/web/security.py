"""Security headers, request logging without personal data, no NUL characters in what a request carries, and
only same-site paths to go back to."""

import logging
import time
import unicodedata
import uuid
from urllib.parse import quote, unquote, urlencode

from flask import Flask, Request, Response, abort, g, request, url_for
from werkzeug.datastructures import ImmutableMultiDict

from app.core import logs

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


def configure_logging(app: Flask) -> None:
    """Send the app's logs to stderr, as JSON lines with an ISO 8601 time in production (app.core.logs)."""
    logs.configure(as_json=bool(app.config.get("LOG_JSON")), level=app.config.get("LOG_LEVEL", "INFO"))


def safe_next(target: str | None) -> str:
    """Return `target` when it is a path on this site, else the home page: the one check for every `next`.

    Browsers drop tab, newline and CR from a URL and read a backslash as a slash, so a tab or a backslash between
    two slashes lands on another site. Refused: anything that does not start with a single slash, and anything with
    a backslash, whitespace or a control character, also once percent-decoded (`/%09/`, `/%5C`, `/%2F/`).
    """
    if isinstance(target, str) and 0 < len(target) <= 2048:
        decoded = target
        for _round in range(3):  # a proxy or browser may decode again: `%2509` is `%09` the second time
            decoded = unquote(decoded)
        if all(_a_plain_path(text) for text in (target, decoded)):
            return target
    return url_for("home.index")


def _a_plain_path(text: str) -> bool:
    return (text.startswith("/") and not text.startswith("//") and "\\" not in text
            and not any(char.isspace() or unicodedata.category(char)[0] in "CZ" for char in text))


def current_path() -> str:
    """This page's path and query (without `lang`), percent-encoded, for a form to come back to; home when odd."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    path = quote(request.path, safe="/:@!$&'()*+,;=-._~")
    return safe_next(path + ("?" + urlencode(args) if args else ""))


class NulFreeValues(ImmutableMultiDict):
    """Query and form values without NUL characters. Nobody types one, and PostgreSQL can neither store nor compare
    text that holds one: a lookup of an id with a NUL would fail (500) instead of finding nothing."""

    def __init__(self, mapping=None) -> None:
        if mapping is not None and not isinstance(mapping, dict):  # the parsers hand over (name, value) pairs
            mapping = [(_no_nul(name), _no_nul(value)) for name, value in mapping]
        super().__init__(mapping)


def _no_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeRequest(Request):
    """A request whose query and form values hold no NUL characters (files are left as they are)."""

    parameter_storage_class = NulFreeValues


def install_security(app: Flask) -> None:
    """Add security headers to every response, log each request without personal data, and keep NUL characters
    out: from query and form values they are dropped; a path with one is no address of ours (404)."""
    access = logging.getLogger("onsplan.request")
    app.request_class = NulFreeRequest
    # Signing out of a sign-in service is a form post that ends in a redirect there; form-action covers redirects.
    policy = CSP.replace("form-action 'self'", " ".join(["form-action 'self'", *app.config.get("CSP_FORM_ACTION", ())]))

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex
        # gunicorn's access line logs the pattern ("/plan/<plan_id>"), never the path with its ids and tokens
        request.environ[logs.ROUTE_KEY] = request.url_rule.rule if request.url_rule else None
        request.environ[logs.ENDPOINT_KEY] = request.endpoint
        if "\x00" in request.path:
            abort(404)

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", PERMISSIONS)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        if "Cache-Control" not in headers and response.mimetype == "text/html":
            # Pages may hold family data: never store them in shared or browser caches.
            headers["Cache-Control"] = "no-store"
        headers["X-Request-Id"] = g.get("request_id", "")
        started = g.get("request_started")
        if not app.config.get("LOG_REQUESTS", True):  # the server writes the line (gunicorn.conf.py)
            return response
        access.info(
            "request",
            extra={
                "request_id": g.get("request_id"),
                "method": request.method,
                "endpoint": request.endpoint,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
            },
        )
        return response
