"""Pages every visitor can reach: help, offline, health and the PWA files."""

from flask import Blueprint, Response, abort, current_app, jsonify, send_from_directory
from flask_babel import get_locale

from app.core.health import is_draining, redis_answers
from app.extensions import db
from app.web import conventions, pwa
from app.web.render import render

bp = Blueprint("web", __name__)


@bp.get("/hulp")
def help_lines() -> Response:
    """List the help lines (112, Veilig Thuis, Kindertelefoon, 113) with what each is for."""
    return render("web/help.html")


@bp.get("/offline")
def offline() -> Response:
    """Show the page the service worker serves when the network is gone."""
    response = render("web/offline.html")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    """Report whether the app, its database and (when set up) Redis answer.

    503 only when the database is down: without Redis live updates pause, everything else works ("degraded").
    """
    report = {"database": "ok" if db.ping() else "down"}
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        report["redis"] = "ok" if redis_answers(redis_url) else "down"
    if report["database"] == "down":
        report["status"] = "unavailable"
    else:
        report["status"] = "degraded" if report.get("redis") == "down" else "ok"
    response = jsonify(report)
    response.status_code = 503 if report["status"] == "unavailable" else 200
    return response


@bp.get("/readyz")
def readyz() -> Response:
    """Say whether this instance takes new requests: 503 while it drains before a restart (SIGTERM) or while its
    database does not answer. The rolling restart waits for it (docs/deploy.md); /healthz stays the liveness check."""
    status = "draining" if is_draining() else ("ready" if db.ping() else "unavailable")
    response = jsonify({"status": status})
    response.status_code = 200 if status == "ready" else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """Serve the web app manifest in the visitor's language."""
    response = jsonify(pwa.manifest(str(get_locale())))
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


@bp.get("/service-worker.js")
def service_worker() -> Response:
    """Serve the service worker from the root so its scope is the whole app."""
    response = current_app.response_class(pwa.service_worker_source(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/robots.txt")
def robots() -> Response:
    """Tell search engines they may read the public pages only, nothing behind sign-in."""
    response = current_app.response_class(conventions.ROBOTS_TXT, mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/.well-known/security.txt")
def security_txt() -> Response:
    """Say where to report a vulnerability (RFC 9116); 404 when no SECURITY_CONTACT is set."""
    text = conventions.security_txt()
    if text is None:
        abort(404)
    response = current_app.response_class(text, mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Serve the icon browsers ask for at the root, whatever the page links."""
    return send_from_directory(current_app.static_folder, "icons/favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=86400)


@bp.get("/apple-touch-icon.png")
@bp.get("/apple-touch-icon-precomposed.png")
def apple_touch_icon() -> Response:
    """Serve the opaque home-screen icon where iOS looks for it without a link."""
    return send_from_directory(current_app.static_folder, "icons/apple-touch-icon-180.png", max_age=86400)
