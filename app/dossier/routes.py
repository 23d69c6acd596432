"""The family's rights over its dossier: Mijn gegevens (inzage and a copy, one's own statement on the dossier), asking
to destroy a part or all of it, the professional's assessment, and the data protection officer's counts."""

from flask import Blueprint, Response, flash, g, request, url_for
from flask_babel import gettext as _

from app.core.errors import NotAllowed, ValidationFailed
from app.dossier import queries, services, vocab
from app.extensions import db
from app.identity.auth import login_required
from app.plans.context import plan_context
from app.plans.forms import ItemForm
from app.web.render import render, see_other

bp = Blueprint("dossier", __name__)


def _page(form: ItemForm | None = None, plan_id: str | None = None, status: int = 200) -> Response:
    data = queries.my_data(db.session, person=g.person)
    response = render("dossier/mine.html", data=data, sent_label=vocab.sent_label, sent_status=vocab.sent_status,
                      form=form, form_plan=plan_id, part_words=vocab.part_words, status=status)
    db.session.commit()
    return response


@bp.get("/mijn-gegevens")
@login_required
def mine() -> Response:
    """Everything that exists about the signed-in person, per family, as far as the age rules let them see it."""
    return _page()


@bp.post("/mijn-gegevens/<plan_id>/verklaring")
@login_required
def state(plan_id: str) -> Response:
    """Add one's own statement on the dossier as a whole (the betrokkene, by the age rules)."""
    ctx = plan_context(db.session, person=g.person, plan_id=plan_id)
    form = ItemForm(formdata=request.form).for_kind("statement", youths=[], members=[], goals=None)
    if form.validate():
        try:
            item = services.state_on_dossier(db.session, ctx=ctx, text=form.text.data or "")
            db.session.commit()
            return see_other(url_for("dossier.mine") + f"#statement-{item.id}")
        except ValidationFailed as failed:
            db.session.rollback()
            form.apply_errors(failed.reasons)
    return _page(form, plan_id, status=422)


@bp.route("/mijn-gegevens/<plan_id>/vernietigen", methods=["GET", "POST"])
@bp.route("/mijn-gegevens/<plan_id>/vernietigen/<item_id>", methods=["GET", "POST"])
@login_required
def destroy(plan_id: str, item_id: str | None = None) -> Response:
    """Ask to destroy one part of the dossier, or all of it (Jeugdwet 7.3.9); first what it means and who must ask."""
    ctx = plan_context(db.session, person=g.person, plan_id=plan_id)
    item = services.destroyable_item(db.session, ctx, item_id) if item_id else None
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        try:
            asked = services.ask_destruction(db.session, ctx=ctx, item_id=item_id)
            db.session.commit()
            flash(_("Your request is stored.") if asked.status == "waiting" else
                  _("Your request is stored. The youth care professional decides within three months."), "success")
            return see_other(url_for("dossier.mine") + f"#request-{asked.id}")
        except ValidationFailed as failed:
            db.session.rollback()
            errors = failed.reasons
    required = services.who_must_ask(ctx, item)
    response = render("dossier/destroy.html", ctx=ctx, item=item, required=required, errors=errors,
                      allowed=ctx.actor.person_id in required, refusal=services.refusal_words(ctx, item),
                      status=422 if errors else 200)
    db.session.commit()
    return response


@bp.route("/dossierverzoeken/<request_id>", methods=["GET", "POST"])
@login_required
def assess(request_id: str) -> Response:
    """The professional assesses a request to destroy: destroy for real, or record why not."""
    found = queries.request_for(db.session, request_id)
    ctx = plan_context(db.session, person=g.person, plan_id=found.plan_id)
    decision = services.open_request(db.session, ctx, request_id)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        choice, reason = request.form.get("decision", ""), request.form.get("reason", "")
        try:
            if choice not in ("destroy", "refuse"):
                raise ValidationFailed([("decision", _("Choose: destroy, or do not destroy."))])
            services.decide(db.session, ctx=ctx, request_id=request_id, destroy=choice == "destroy", reason=reason)
            db.session.commit()
            flash(_("It has been destroyed. The askers get a receipt.") if choice == "destroy" else
                  _("Your decision is stored. The askers get your reasons."), "success")
            return see_other(url_for("home.index"))
        except NotAllowed:
            db.session.rollback()
            flash(_("This request was decided already."), "error")
            return see_other(url_for("home.index"))
        except ValidationFailed as failed:
            db.session.rollback()
            errors = failed.reasons
    view = queries.assessment(db.session, ctx, decision)
    response = render("dossier/assess.html", ctx=ctx, view=view, errors=errors, form=request.form,
                      part_words=vocab.part_words, status=422 if errors else 200)
    db.session.commit()
    return response


@bp.get("/dossierverzoeken")
@login_required
def overview() -> Response:
    """The data protection officer's view: how many requests, in which state, and the retention job's reports."""
    municipalities = queries.audited_municipalities(db.session, person=g.person)
    if not municipalities:
        return see_other(url_for("home.index"))
    data = queries.rights_overview(db.session, person=g.person, municipality_ids=municipalities)
    response = render("dossier/overview.html", data=data)
    db.session.commit()
    return response
