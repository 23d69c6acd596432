"""The persona picker: sign in as one of the demo people (only with DEMO on)."""

from flask import Blueprint, Response, abort, current_app, redirect, url_for

from app.core.mail import read_folder
from app.demo import services
from app.demo.personas import PERSONAS
from app.extensions import db, limiter
from app.identity.auth import sign_in
from app.web.render import render

bp = Blueprint("demo", __name__, url_prefix="/demo")


@bp.before_request
def demo_only() -> None:
    """Hide every demo page unless demo mode is on."""
    if not current_app.config.get("DEMO"):
        abort(404)


@bp.get("")
def index() -> Response:
    """List the demo people, each with a sign-in button."""
    people = services.demo_people(db.session)
    personas = [(persona, people[persona.key]) for persona in PERSONAS if persona.key in people]
    return render("demo/index.html", personas=personas)


@bp.post("/inloggen/<key>")
@limiter.limit("30 per minute")
def sign_in_as(key: str) -> Response:
    """Sign in as a demo person and go to their home page."""
    person = services.demo_person(db.session, key)
    sign_in(person)
    return redirect(url_for("web.index"), code=303)


@bp.get("/mail")
def mailbox() -> Response:
    """Show the e-mails the app would have sent (demo mode writes them to a folder)."""
    return render("demo/mail.html", mails=read_folder(current_app.config.get("MAIL_DIR")))
