"""The professional's overview: every family they work with, at a glance."""

from flask import Blueprint, Response, g, request, url_for

from app.extensions import db
from app.identity.access import is_professional
from app.identity.auth import login_required
from app.overview.queries import SORTS, caseload
from app.web.render import render, see_other

bp = Blueprint("overview", __name__)


@bp.get("/overzicht")
@login_required
def overview() -> Response:
    """The professional's families at a glance: next evaluation, goals waiting, overdue tasks, last change."""
    if not is_professional(db.session, g.person):
        return see_other(url_for("home.index"))
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "evaluation"
    rows = caseload(db.session, person=g.person, sort=sort)
    return render("overview/overview.html", block="caseload", rows=rows, sort=sort)
