"""The persona picker: sign in as one of the demo people (only with DEMO on)."""

import re

from flask import Blueprint, Response, abort, current_app, url_for
from markupsafe import Markup, escape

from app.core.mail import read_folder
from app.demo import services
from app.demo.personas import PERSONAS
from app.extensions import db, limiter
from app.identity.auth import sign_in
from app.web.render import render, see_other

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
    return see_other(url_for("home.index"))


@bp.get("/mail")
def mailbox() -> Response:
    """Show the e-mails the app would have sent (demo mode writes them to a folder)."""
    mails = [{"name": name, "message": message, "sent": getattr(message["Date"], "datetime", None),
              "body": _linked(message.get_body(preferencelist=("plain",)).get_content())}
             for name, message in read_folder(current_app.config.get("MAIL_DIR"))]
    return render("demo/mail.html", mails=mails)


_URL = re.compile(r"(https?://[^\s<>\"]+)")


def _linked(text: str) -> Markup:
    """The mail's text with its links clickable (everything else escaped)."""
    parts = _URL.split(text)
    return Markup("".join(str(escape(part)) if n % 2 == 0 else f'<a href="{escape(part)}">{escape(part)}</a>'
                          for n, part in enumerate(parts)))
