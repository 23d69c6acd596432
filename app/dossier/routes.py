"""Mijn gegevens: inzage in what exists about you, with the copy (PDF, FHIR) of the plan as you may see it, and your
own statement on the dossier."""

from flask import Blueprint, Response, g, request, url_for

from app.core.errors import ValidationFailed
from app.dossier import queries, services, vocab
from app.extensions import db
from app.identity.auth import login_required
from app.plans.context import plan_context
from app.plans.forms import ItemForm
from app.web.render import render, see_other

bp = Blueprint("dossier", __name__, url_prefix="/mijn-gegevens")


def _page(form: ItemForm | None = None, plan_id: str | None = None, status: int = 200) -> Response:
    data = queries.my_data(db.session, person=g.person)
    response = render("dossier/mine.html", data=data, sent_label=vocab.sent_label, sent_status=vocab.sent_status,
                      form=form, form_plan=plan_id, status=status)
    db.session.commit()
    return response


@bp.get("")
@login_required
def mine() -> Response:
    """Everything that exists about the signed-in person, per family, as far as the age rules let them see it."""
    return _page()


@bp.post("/<plan_id>/verklaring")
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
