"""The signed-in person: loaded per request from the session cookie."""

from functools import wraps

from flask import flash, g, redirect, request, session, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.identity.models import Person
from app.identity.services import get_person

# Answered without looking up the person: health checks and files must work when the database does not.
SESSIONLESS_ENDPOINTS = {"static", "web.healthz", "web.service_worker"}


def load_current_person() -> None:
    """Put the signed-in person (or None) on `g.person` before anything else runs."""
    if request.endpoint in SESSIONLESS_ENDPOINTS:
        g.person = None
        return
    g.person = get_person(db.session, session.get("person_id"))
    if g.person is None and "person_id" in session:
        session.pop("person_id")


def sign_in(person: Person) -> None:
    """Start a fresh session for this person (no data carried over from before)."""
    language = session.get("lang")
    session.clear()
    session.permanent = True
    session["person_id"] = person.id
    if language:
        session["lang"] = language
    g.person = person


def sign_out() -> None:
    """End the local session completely, keeping only the language for the next page."""
    person = getattr(g, "person", None)
    language = person.language if person is not None else session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    g.person = None


def login_required(view):
    """Send visitors who are not signed in to the start page instead of showing the view."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("person") is None:
            flash(_("Please sign in first."), "info")
            return redirect(url_for("web.index"), code=303)
        return view(*args, **kwargs)

    return wrapped
