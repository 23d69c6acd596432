"""The signed-in person: loaded per request from the session cookie, with idle timeout and session version."""

import secrets
import time
from functools import wraps

from flask import current_app, flash, g, request, session, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.identity.access import is_professional, staff_roles
from app.identity.models import Person, RevokedSession
from app.identity.services import signed_in_person
from app.web.i18n import valid_language
from app.web.render import see_other

# Answered without looking up the person: health checks and files must work when the database does not.
SESSIONLESS_ENDPOINTS = {"static", "web.healthz", "web.readyz", "web.service_worker"}


def load_current_person() -> None:
    """Put the signed-in person (or None) on `g.person`; end sessions that are idle or signed out elsewhere."""
    g.person = None
    if request.endpoint in SESSIONLESS_ENDPOINTS or "person_id" not in session:
        return
    person = signed_in_person(db.session, session.get("person_id"), session.get("sid") or "", session.get("version"))
    now = int(time.time())
    if person is None:
        _end(None)
        return
    if now - int(session.get("seen", 0)) > int(session.get("idle_limit", 0)):
        _end(person)
        flash(_("You were away for a while, so we signed you out. Please sign in again."), "info")
        return
    if now - int(session.get("seen", 0)) >= 30:  # rewrite the cookie at most twice a minute
        session["seen"] = now
    g.person = person


def idle_limit(person: Person) -> int:
    """Seconds of inactivity before a session ends: short for staff, longer for families."""
    config = current_app.config
    staff = is_professional(db.session, person) or bool(staff_roles(db.session, person.id))
    return int(config["STAFF_IDLE_SECONDS"] if staff else config["FAMILY_IDLE_SECONDS"])


def sign_in(person: Person, *, provider: str = "demo", id_token: str | None = None) -> None:
    """Start a fresh session for this person (nothing carried over from before but the language)."""
    # Keep the language in the cookie too: pages that cannot read the person (the database is down) speak it.
    language = session.get("lang") or valid_language(person.language)
    session.clear()
    session.permanent = True
    session.update(person_id=person.id, version=person.session_version, provider=provider,
                   seen=int(time.time()), idle_limit=idle_limit(person), sid=secrets.token_urlsafe(24))
    if id_token:
        session["id_token"] = id_token  # for the provider's logout (id_token_hint)
    if language:
        session["lang"] = language
    g.person = person


def _end(person: Person | None) -> None:
    language = person.language if person is not None else session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    g.person = None


def sign_out() -> dict:
    """End the local session, keeping only the language; return what the provider's logout needs."""
    ended = {"provider": session.get("provider"), "id_token": session.get("id_token")}
    if session.get("sid"):
        db.session.merge(RevokedSession(sid=session["sid"]))  # the old cookie stops working everywhere
        db.session.commit()
    _end(getattr(g, "person", None))
    return ended


def login_required(view):
    """Send visitors who are not signed in to the start page instead of showing the view."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("person") is None:
            flash(_("Please sign in first."), "info")
            return see_other(url_for("home.index"))
        return view(*args, **kwargs)

    return wrapped
