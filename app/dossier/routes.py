"""Mijn gegevens: inzage in what exists about you, with the copy (PDF, FHIR) of the plan as you may see it."""

from flask import Blueprint, Response, g

from app.dossier import queries, vocab
from app.extensions import db
from app.identity.auth import login_required
from app.web.render import render

bp = Blueprint("dossier", __name__, url_prefix="/mijn-gegevens")


@bp.get("")
@login_required
def mine() -> Response:
    """Everything that exists about the signed-in person, per family, as far as the age rules let them see it."""
    data = queries.my_data(db.session, person=g.person)
    response = render("dossier/mine.html", data=data, sent_label=vocab.sent_label, sent_status=vocab.sent_status)
    db.session.commit()
    return response
