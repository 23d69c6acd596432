"""The provider's work list at /werk: the goals assigned to their organisation, and giving one to a colleague."""

from flask import Blueprint, Response, g, request, url_for
from flask_babel import gettext as _

from app.caseload import queries, services
from app.caseload.forms import FilterForm, HandlerForm
from app.caseload.vocab import ListWords
from app.core.errors import NotAllowed, ValidationFailed
from app.extensions import db
from app.identity.auth import login_required
from app.web.render import render, respond, see_other

bp = Blueprint("caseload", __name__, url_prefix="/werk")
bp.add_app_template_global(ListWords, "work_list_words")


@bp.get("")
@login_required
def index() -> Response:
    """Provider staff: every goal assigned to your organisation, filtered and sorted as asked (others go home)."""
    form = FilterForm(formdata=request.args)
    try:
        return _page(form)
    except NotAllowed:
        return see_other(url_for("home.index"))


@bp.post("/doel/<goal_id>/behandelaar")
@login_required
def give(goal_id: str) -> Response:
    """Give a goal of your organisation to a colleague (or take it yourself)."""
    form, handler = FilterForm(formdata=request.form), HandlerForm()
    try:
        chosen = services.give_to_colleague(db.session, person=g.person, goal_id=goal_id,
                                            handler_id=handler.handler_id.data or "")
    except ValidationFailed as failed:
        db.session.rollback()
        return _page(form, errors={goal_id: [message for _field, message in failed.reasons]}, status=422)
    db.session.commit()
    back = url_for("caseload.index", **queries.Filters(**form.values()).args()) + f"#goal-{goal_id}"
    return respond(back, lambda: _page(form), saved=_("Saved: %(name)s handles this goal now.", name=chosen.name))


def _page(form: FilterForm, errors: dict | None = None, status: int = 200) -> Response:
    """The work list (for htmx only its block), with the access log written when it commits."""
    work = queries.worklist(db.session, person=g.person, filters=queries.Filters(**form.values()))
    page = render("caseload/index.html", block="worklist", work=work, form=form, errors=errors or {}, status=status)
    db.session.commit()
    return page
