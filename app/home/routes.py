"""The home page, and the language switch every page has."""

from flask import Blueprint, Response, current_app, g, request, session

from app.consent.services import needs_sixteen_review
from app.dossier import queries as dossier_queries
from app.dossier import vocab as dossier_vocab
from app.extensions import db
from app.home.queries import home_overview
from app.identity import services as identity
from app.web.i18n import valid_language
from app.web.render import render, see_other
from app.web.security import safe_next

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> Response:
    """Show the home page: who you are and your family, or how to start."""
    if g.person is None:
        return render("home/welcome.html")
    overview = home_overview(db.session, person=g.person)
    review = needs_sixteen_review(db.session, person=g.person)
    assess = dossier_queries.to_assess(db.session, person=g.person)
    return render("home/home.html", overview=overview, sixteen_review=review, to_assess=assess,
                  part_words=dossier_vocab.part_words)


@bp.post("/taal")
def set_language() -> Response:
    """Store the chosen language for this visitor (and the signed-in person) and go back."""
    language = valid_language(request.form.get("lang")) or current_app.config["BABEL_DEFAULT_LOCALE"]
    session["lang"] = language
    if g.person is not None:
        identity.set_language(db.session, person=g.person, language=language)
        db.session.commit()
    return see_other(safe_next(request.form.get("next")))
