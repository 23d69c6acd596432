"""Your consents: the help you are asked to agree to (by the age rules) and every decision so far."""

from flask import Blueprint, Response, flash, g, url_for
from flask_babel import gettext as _

from app.consent import services as consent
from app.consent.forms import ConsentForm
from app.core.errors import ValidationFailed
from app.extensions import db
from app.identity.auth import login_required
from app.identity.hooks import items_about
from app.web.render import render, see_other

bp = Blueprint("consent", __name__, url_prefix="/toestemming")


@bp.get("")
@login_required
def index() -> Response:
    """List the consents asked of you and your decisions (and those about you)."""
    questions = consent.open_questions(db.session, person=g.person)
    consent.log_view(db.session, person=g.person, questions=questions)
    db.session.commit()
    return render("consent/consent.html", questions=questions, history=consent.history(db.session, person=g.person),
                  forms={(q.family.id, q.youth.id): ConsentForm(prefix=f"c-{q.youth.id}") for q in questions})


@bp.post("/<family_id>/<youth_id>")
@login_required
def decide(family_id: str, youth_id: str) -> Response:
    """Record your decision about help for one young person."""
    form = ConsentForm(prefix=f"c-{youth_id}")
    if form.validate():
        try:
            consent.decide(db.session, person=g.person, family_id=family_id, youth_id=youth_id,
                           decision=form.decision.data, reason=form.reason.data or "")
            db.session.commit()
            flash(_("Your decision is saved."), "success")
            return see_other(url_for("consent.index"))
        except ValidationFailed as failed:
            db.session.rollback()
            form.apply_errors(failed.reasons)
    questions = consent.open_questions(db.session, person=g.person)
    forms = {(q.family.id, q.youth.id): ConsentForm(prefix=f"c-{q.youth.id}") for q in questions}
    forms[(family_id, youth_id)] = form
    return render("consent/consent.html", questions=questions, history=consent.history(db.session, person=g.person),
                  forms=forms, status=422)


@bp.route("/zestien/<family_id>", methods=["GET", "POST"])
@login_required
def sixteen_review(family_id: str) -> Response:
    """Ask a youth who turned 16, once, which existing items their parents may keep seeing."""
    from flask import abort, request


    if family_id not in {f.id for f in consent.needs_sixteen_review(db.session, person=g.person)}:
        abort(404)
    if request.method == "POST":
        try:
            consent.record_sixteen_review(db.session, person=g.person, family_id=family_id,
                                          shared_item_ids=set(request.form.getlist("share")))
            db.session.commit()
            flash(_("Thank you. Your parents now see only what you chose."), "success")
            return see_other(url_for("home.index"))
        except ValidationFailed as failed:
            db.session.rollback()
            return render("consent/sixteen_review.html", family_id=family_id,
                          items=items_about(db.session, g.person.id),
                          chosen=set(request.form.getlist("share")),
                          errors=[message for _field, message in failed.reasons], status=422)
    return render("consent/sixteen_review.html", family_id=family_id,
                  items=items_about(db.session, g.person.id), chosen=set(), errors=[])
