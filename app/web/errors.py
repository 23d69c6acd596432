"""Friendly, localized error pages (and alert fragments for htmx requests)."""

import contextlib
import logging

import sqlalchemy as sa
from flask import Flask, Response, current_app, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.core.errors import NotAllowed, NotFound
from app.extensions import db
from app.web.limits import retry_after
from app.web.render import htmx_target_alerts, is_partial, render

log = logging.getLogger("onsplan.errors")

MESSAGES = {
    400: (_l("Something went wrong with this request"),
          _l("Please go back and try again. What you typed is still in the form.")),
    403: (_l("You may not see this page"),
          _l("This part of the plan is not shared with you. Ask your youth care professional if you think "
             "this is a mistake.")),
    404: (_l("We cannot find this page"),
          _l("The page does not exist, or it is not shared with you. Check the address or go to the home page.")),
    405: (_l("This does not work this way"),
          _l("Please use the buttons on the page.")),
    413: (_l("That is too much at once"),
          _l("What you sent is larger than we accept (at most %(size)s MB). Make it smaller and try again.")),
    422: (_l("Please check what you filled in"),
          _l("Something in the form is not right yet. The form shows what to change.")),
    429: (_l("Please wait a moment"),
          _l("You tried this many times in a short time. Wait a minute and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("It is not your fault. Please try again in a moment. Nothing you saved before is lost.")),
    503: (_l("Ons Plan is not available right now"),
          _l("We are working on it. Please try again in a few minutes. Nothing you saved before is lost.")),
}
CSRF_MESSAGE = (_l("This form has expired"),
                _l("For your safety, forms stop working after a while or after signing in again. Reload the page "
                   "and send it again. Copy your text first if it is long."))


def error_response(status: int, title: str | None = None, detail: str | None = None) -> Response:
    """Render the error page (or an alert fragment for htmx) in the person's language."""
    default_title, default_detail = MESSAGES.get(status, MESSAGES[500])
    size = round(_max_upload_mb())
    context = {
        "code": status,
        "title": title or str(default_title),
        "detail": detail or str(default_detail) % {"size": size},
    }
    if is_partial():
        response = make_response(render_template("errors/_alert.html", **context), status)
        response.vary.add("HX-Request")
    else:
        response = render("errors/error.html", status=status, **context)
    if status == 503:
        response.headers["Retry-After"] = "60"
    response.headers["Cache-Control"] = "no-store"
    return htmx_target_alerts(response)


def _max_upload_mb() -> float:
    return (current_app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024)


def register_error_handlers(app: Flask) -> None:
    """Install the handlers for HTTP errors, CSRF failures, domain errors and a database that is down."""

    @app.errorhandler(CSRFError)
    def csrf_error(_e: CSRFError) -> Response:
        log.info("csrf refused", extra={"path": request.path})
        return error_response(400, str(CSRF_MESSAGE[0]), str(CSRF_MESSAGE[1]))

    @app.errorhandler(RateLimitExceeded)
    def too_many(e: RateLimitExceeded) -> Response:
        # A flood limit on a post (app.web.limits.per_person) says it was not saved; sign-in limits say wait a minute.
        response = error_response(429, detail=str(e.description) if e.limit.error_message else None)
        response.headers["Retry-After"] = str(retry_after())
        return response

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> Response:
        status = e.code or 500
        response = error_response(status if status in MESSAGES else 400)
        response.status_code = status
        if status == 405 and e.get_response().headers.get("Allow"):
            response.headers["Allow"] = e.get_response().headers["Allow"]
        return response

    @app.errorhandler(NotFound)
    def not_found(_e: NotFound) -> Response:
        return error_response(404)

    @app.errorhandler(NotAllowed)
    def not_allowed(_e: NotAllowed) -> Response:
        return error_response(403)

    @app.errorhandler(sa.exc.OperationalError)
    def database_down(_e: sa.exc.OperationalError) -> Response:
        log.error("database unavailable")
        _discard_session()
        return error_response(503)

    @app.errorhandler(Exception)
    def unexpected(e: Exception) -> Response:
        if current_app.testing and not current_app.config.get("FRIENDLY_ERRORS_IN_TESTS"):
            raise e
        log.exception("unhandled error: %s", type(e).__name__)
        _discard_session()
        return error_response(500)


def _discard_session() -> None:
    with contextlib.suppress(sa.exc.SQLAlchemyError):
        db.session.rollback()

