"""Ratings pages: rate your help, the redactie's queue, reports, provider replies, the explanation."""

from flask import Blueprint, Response, flash, g, request, url_for
from flask_babel import gettext as _

from app.core.errors import ValidationFailed
from app.extensions import db
from app.identity.auth import login_required
from app.ratings import moderation, services
from app.ratings.forms import ChildRatingForm, RatingForm, RejectForm, ReplyForm, ReportForm
from app.ratings.vocab import ASPECTS, COMPLAINT_ROUTE, INFORMANTS, REJECT_REASONS, SMILEYS, STATUSES
from app.web.limits import per_person
from app.web.render import render, see_other
from app.web.security import safe_next

bp = Blueprint("ratings", __name__)


for _name, _words in {"rating_aspects": ASPECTS, "rating_smileys": SMILEYS, "rating_informants": INFORMANTS,
                      "rating_reasons": REJECT_REASONS, "rating_statuses": STATUSES,
                      "complaint_route": COMPLAINT_ROUTE}.items():
    bp.add_app_template_global(_words, _name)  # globals, so the catalog's imported macros see them too


@bp.get("/beoordelen")
@login_required
def index() -> Response:
    """The help you can rate, and where your ratings are."""
    trajectories = services.my_trajectories(db.session, person=g.person)
    db.session.commit()
    return render("ratings/index.html", trajectories=trajectories)


@bp.get("/beoordelen/<int:assignment_id>")
@login_required
def edit(assignment_id: int) -> Response:
    """The rating form (the smiley version under 12), filled in with your rating when you gave one."""
    found = services.trajectory(db.session, person=g.person, assignment_id=assignment_id)
    form = (ChildRatingForm if found.is_child else RatingForm)(formdata=None, obj=found.rating)
    if found.rating is not None:
        form.version.data = str(found.rating.version)
        for name in ("overall", *ASPECTS, "professional_score"):
            if hasattr(form, name):
                form[name].data = str(getattr(found.rating, name) or "")
    db.session.commit()
    return render("ratings/edit.html", found=found, form=form)


@bp.post("/beoordelen/<int:assignment_id>")
@login_required
@per_person("RATING")
def save(assignment_id: int) -> Response:
    """Save your rating; on a problem the form comes back with what you typed and what to change."""
    found = services.trajectory(db.session, person=g.person, assignment_id=assignment_id)
    form = ChildRatingForm() if found.is_child else RatingForm()
    if form.validate():
        try:
            services.save_rating(db.session, person=g.person, assignment_id=assignment_id, values=form.values(),
                                 version=form.version.data or "")
            db.session.commit()
            flash(_("Thank you! The editors check your rating before it is shown, without your name."), "success")
            return see_other(url_for("ratings.index"))
        except ValidationFailed as failed:
            db.session.rollback()
            form.apply_errors(failed.reasons)
            found = services.trajectory(db.session, person=g.person, assignment_id=assignment_id)
    db.session.commit()
    return render("ratings/edit.html", block="rating_form", found=found, form=form, status=422)


@bp.get("/beoordelingen/uitleg")
def about() -> Response:
    """How ratings are collected, checked and counted (the code of conduct and the ACM rules)."""
    return render("ratings/about.html")


@bp.post("/beoordelingen/<int:rating_id>/melden")
@login_required
@per_person("RATING_REPORT")
def report(rating_id: int) -> Response:
    """Report a published rating: it is hidden until the editors check it again."""
    form = ReportForm()
    moderation.report(db.session, person=g.person, rating_id=rating_id, reason=form.reason.data or "")
    db.session.commit()
    flash(_("Thank you. The rating is hidden until the editors have checked it again."), "success")
    return see_other(_back())


@bp.get("/aanbieder/beoordelingen")
@login_required
def provider_index() -> Response:
    """Provider staff: the published ratings of your organisation, to reply to."""
    found = moderation.provider_ratings(db.session, person=g.person)
    db.session.commit()
    return render("ratings/provider.html", found=found, forms={r.id: ReplyForm(
        formdata=None, text=r.reply.text if r.reply else "") for r in found.ratings}, errors={})


@bp.post("/beoordelingen/<int:rating_id>/reactie")
@login_required
@per_person("RATING_REPLY")
def reply(rating_id: int) -> Response:
    """Provider staff reply in public to a rating (once; you can change your reply)."""
    form = ReplyForm()
    try:
        moderation.reply(db.session, person=g.person, rating_id=rating_id, text=form.text.data or "")
        db.session.commit()
    except ValidationFailed as failed:
        db.session.rollback()
        found = moderation.provider_ratings(db.session, person=g.person)
        forms = {r.id: ReplyForm(formdata=None, text=r.reply.text if r.reply else "") for r in found.ratings}
        forms[rating_id] = form
        return render("ratings/provider.html", found=found, forms=forms,
                      errors={rating_id: [m for _f, m in failed.reasons]}, status=422)
    flash(_("Your reply is saved and shown with the rating."), "success")
    return see_other(url_for("ratings.provider_index") + f"#rating-{rating_id}")


@bp.get("/redactie")
@login_required
def queue() -> Response:
    """The editors' queue: new, changed and reported ratings, oldest first."""
    items = moderation.queue(db.session, editor=g.person)
    db.session.commit()
    return render("ratings/queue.html", items=items, form=RejectForm(formdata=None), errors={})


@bp.post("/redactie/<int:rating_id>/publiceren")
@login_required
def publish(rating_id: int) -> Response:
    """Publish a rating that keeps to the code of conduct."""
    return _decide(rating_id, lambda: moderation.publish(db.session, editor=g.person, rating_id=rating_id),
                   _("The rating is published."))


@bp.post("/redactie/<int:rating_id>/afwijzen")
@login_required
def reject(rating_id: int) -> Response:
    """Do not publish a rating, with the rule it breaks; the author hears why."""
    form = RejectForm()
    return _decide(rating_id, lambda: moderation.reject(db.session, editor=g.person, rating_id=rating_id,
                                                        reason=form.reason.data or ""),
                   _("The rating is not published. The author hears why."))


def _decide(rating_id: int, action, done: str) -> Response:
    try:
        action()
        db.session.commit()
    except ValidationFailed as failed:
        db.session.rollback()
        items = moderation.queue(db.session, editor=g.person)
        db.session.commit()
        return render("ratings/queue.html", items=items, form=RejectForm(formdata=None),
                      errors={rating_id: [m for _f, m in failed.reasons]}, status=422)
    flash(done, "success")
    return see_other(url_for("ratings.queue"))


@bp.get("/redactie/jeugdprofessionals")
@login_required
def professionals() -> Response:
    """Internal: how families rate the jeugdprofessionals (the municipality only, never public)."""
    rows = moderation.professional_figures(db.session, person=g.person)
    db.session.commit()
    return render("ratings/professionals.html", rows=rows)


def _back() -> str:
    return safe_next(request.form.get("next"))
