"""The child view (under 12: Drie Huizen), the youth view (12-17: "mijn plan"), check-ins and the choice of view.

Every page here works as plain forms (post, then back to the page); nothing needs JavaScript but reading aloud and
speaking instead of typing (static/js/voice.js).
"""

from flask import Blueprint, Response, abort, g, request, url_for

from app.audit.services import AuditActor, record_at_commit
from app.children import queries, services
from app.children.forms import CheckInForm, EntryForm, ViewForm
from app.children.vocab import HOUSES
from app.core.errors import ValidationFailed
from app.extensions import db
from app.identity.auth import login_required
from app.identity.policy import is_child, is_youth
from app.plans import agreement
from app.plans import services as plan_services
from app.plans.context import PlanContext, plan_context
from app.plans.forms import AgreementForm, ItemForm, VisibilityForm
from app.plans.pictures import HOUSE_PICTURES
from app.web.render import render, see_other

bp = Blueprint("children", __name__, url_prefix="/plan")


def _ctx(plan_id: str) -> PlanContext:
    return plan_context(db.session, person=g.person, plan_id=plan_id)


def _entry_forms(given: tuple[str, EntryForm] | None = None) -> dict[str, EntryForm]:
    forms = {house: EntryForm(formdata=None, prefix=house) for house in HOUSES}
    if given:
        forms[given[0]] = given[1]
    for house, form in forms.items():
        form.picture.choices = [(key, key) for key in HOUSE_PICTURES[house]]
    return forms


def _child_page(ctx: PlanContext, child_id: str, given=None, check_in_form=None, status: int = 200) -> Response:
    page = queries.child_page(db.session, ctx=ctx, child_id=child_id)
    response = render("children/child.html", page=page, forms=_entry_forms(given), status=status,
                      check_in_form=check_in_form or CheckInForm(formdata=None))
    db.session.commit()
    return response


@bp.get("/<plan_id>/kind/<child_id>")
@login_required
def child(plan_id: str, child_id: str) -> Response:
    """The child view: the child herself, or a parent or the professional showing it to her on their phone."""
    return _child_page(_ctx(plan_id), child_id)


@bp.post("/<plan_id>/kind/<child_id>/huis/<house>")
@login_required
def add(plan_id: str, child_id: str, house: str) -> Response:
    """Put a picture (and a few words) in one of the child's houses, in her name."""
    ctx = _ctx(plan_id)
    if house not in HOUSES:
        abort(404)
    form = EntryForm(prefix=house)
    try:
        item = services.add_to_house(db.session, ctx=ctx, child_id=child_id, house=house,
                                     picture=form.picture.data, words=form.words.data or "")
        db.session.commit()
    except ValidationFailed as failed:
        db.session.rollback()
        form.apply_errors(failed.reasons)
        return _child_page(ctx, child_id, given=(house, form), status=422)
    return see_other(url_for("children.child", plan_id=plan_id, child_id=child_id) + f"#entry-{item.id}")


@bp.post("/<plan_id>/kind/<child_id>/hoe-gaat-het")
@login_required
def check_in(plan_id: str, child_id: str) -> Response:
    """One tap on a face: how the child feels now."""
    ctx = _ctx(plan_id)
    form = CheckInForm()
    try:
        services.check_in(db.session, ctx=ctx, child_id=child_id, face=form.face.data or "")
        db.session.commit()
    except ValidationFailed as failed:
        db.session.rollback()
        form.apply_errors(failed.reasons)
        return _child_page(ctx, child_id, check_in_form=form, status=422)
    return see_other(url_for("children.child", plan_id=plan_id, child_id=child_id, gezicht="1") + "#check-in")


@bp.get("/<plan_id>/hoe-gaat-het")
@login_required
def check_ins(plan_id: str) -> Response:
    """The adult plan's "how is it going" part (fetched again when a check-in comes in live)."""
    ctx = _ctx(plan_id)
    charts = queries.check_in_charts(db.session, ctx)
    record_at_commit(db.session, event="plan.view", action="read",
                     actor=AuditActor(ctx.actor.person_id, ctx.actor.role), family_id=ctx.plan.family_id,
                     object_type="plan", object_id=ctx.plan.id, detail="check-ins")
    db.session.commit()
    return render("children/_check_ins.html", ctx=ctx, check_ins=charts)


def _youth_page(ctx: PlanContext, *, agreement_form=None, own_form=None, status: int = 200) -> Response:
    page = queries.youth_page(db.session, ctx=ctx)
    own = own_form or ItemForm(formdata=None, meta={"csrf": False}).for_kind("own_words", youths=[], members=[],
                                                                              goals=None)
    response = render("children/mine.html", page=page, agreement_form=agreement_form or AgreementForm(formdata=None),
                      own_form=own, status=status)
    db.session.commit()
    return response


@bp.get("/<plan_id>/mijn")
@login_required
def mine(plan_id: str) -> Response:
    """The youth view: one screen with their own words, their goals, their next tasks and what changed."""
    ctx = _ctx(plan_id)
    if not is_youth(ctx.actor):
        abort(404)
    if is_child(ctx.actor):
        return see_other(url_for("children.child", plan_id=plan_id, child_id=ctx.actor.person_id))
    return _youth_page(ctx)


def _youth(plan_id: str) -> PlanContext:
    ctx = _ctx(plan_id)
    if not is_youth(ctx.actor) or is_child(ctx.actor):
        abort(404)
    return ctx


def _back(plan_id: str, anchor: str) -> Response:
    return see_other(url_for("children.mine", plan_id=plan_id) + anchor)


@bp.post("/<plan_id>/mijn/akkoord")
@login_required
def agree(plan_id: str) -> Response:
    """Eens or niet eens with one of their goals: one tap for yes, a reason for no."""
    ctx = _youth(plan_id)
    form = AgreementForm()
    try:
        agreement.decide(db.session, ctx=ctx, person_id=ctx.actor.person_id, goal_id=form.goal_id.data or None,
                         decision=form.decision.data or "", reason=form.reason.data or "")
        db.session.commit()
    except ValidationFailed as failed:
        db.session.rollback()
        form.apply_errors(failed.reasons)
        return _youth_page(ctx, agreement_form=form, status=422)
    return _back(plan_id, f"#goal-{form.goal_id.data or 'plan'}")


@bp.post("/<plan_id>/mijn/eigen-woorden")
@login_required
def own_words(plan_id: str) -> Response:
    """Add something in their own words."""
    ctx = _youth(plan_id)
    form = ItemForm(formdata=request.form).for_kind("own_words", youths=[], members=[], goals=None)
    if form.validate():
        try:
            speaker = plan_services.Speaker(author=ctx.actor, typed_by=ctx.actor)
            plan_services.create_item(db.session, ctx=ctx, speaker=speaker, kind="own_words", fields=form.values())
            db.session.commit()
            return _back(plan_id, "#own-words")
        except ValidationFailed as failed:
            db.session.rollback()
            form.apply_errors(failed.reasons)
    return _youth_page(ctx, own_form=form, status=422)


@bp.post("/<plan_id>/mijn/klaar/<item_id>")
@login_required
def tick(plan_id: str, item_id: str) -> Response:
    """Tick one of their tasks off."""
    ctx = _youth(plan_id)
    speaker = plan_services.Speaker(author=ctx.actor, typed_by=ctx.actor)
    plan_services.set_done(db.session, ctx=ctx, speaker=speaker, item_id=item_id, done=request.form.get("done") == "1")
    db.session.commit()
    return _back(plan_id, "#tasks")


@bp.post("/<plan_id>/mijn/zichtbaarheid/<item_id>")
@login_required
def share(plan_id: str, item_id: str) -> Response:
    """From 16: let their parents see an item, or not (the switch beside each item)."""
    ctx = _youth(plan_id)
    form = VisibilityForm()
    if form.change.data not in ("share", "unshare"):
        abort(400)
    plan_services.set_visibility(db.session, ctx=ctx, item_id=item_id, change=form.change.data)
    db.session.commit()
    return _back(plan_id, f"#share-{item_id}")


@bp.post("/<plan_id>/weergave")
@login_required
def choose_view(plan_id: str) -> Response:
    """The whole plan, or one's own view: remembered for next time."""
    ctx = _ctx(plan_id)
    form = ViewForm()
    try:
        services.choose_view(db.session, person=g.person, view=form.view.data or "")
    except ValidationFailed:
        abort(400)  # the two buttons send one of the two views; anything else is a broken or forged form
    db.session.commit()
    if form.view.data == "own" and is_child(ctx.actor):
        return see_other(url_for("children.child", plan_id=plan_id, child_id=ctx.actor.person_id))
    if form.view.data == "own" and is_youth(ctx.actor):
        return see_other(url_for("children.mine", plan_id=plan_id))
    return see_other(url_for("plans.show", plan_id=plan_id))
