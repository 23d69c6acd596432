"""Judging the result of a goal, the outcome items, and the provider's start and end of care (plain forms)."""

from collections.abc import Callable

from flask import Blueprint, Response, g, request, url_for

from app.core.errors import ValidationFailed
from app.extensions import db
from app.identity.auth import login_required
from app.results import care, outcomes, services
from app.results.forms import ConversationForm, CorrectForm, JudgeForm, OutcomeForm, StartForm, StopForm
from app.results.trajectory import Trajectory, trajectory
from app.results.vocab import TEMPLATE_GLOBALS
from app.web.render import render, see_other

bp = Blueprint("results", __name__, url_prefix="/doel")
MOMENTS = {"eind": "end", "evaluatie": "evaluation"}
SLUGS = {value: key for key, value in MOMENTS.items()}
for _name, _function in TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_function, _name)


def _moment() -> str:
    return MOMENTS.get(request.values.get("moment", "eind"), "end")


def _forms(view: services.Judging, given: dict) -> dict:
    """Empty forms, the person's own verdict and answers filled in; a form that failed keeps what was typed."""
    mine, outcome = view.mine, view.outcome
    forms = {"judge": JudgeForm(formdata=None, verdict=mine.verdict if mine else None,
                                explanation=mine.explanation if mine else "").fill(child=view.trajectory.child_voice),
             "correct": CorrectForm(formdata=None).fill(), "conversation": ConversationForm(formdata=None),
             "outcome": OutcomeForm(formdata=None, usefulness=str(outcome.usefulness) if outcome else None,
                                    independence=outcome.independence if outcome else None).fill(),
             "start": StartForm(formdata=None), "stop": StopForm(formdata=None).fill()}
    return forms | given


def _page(goal_id: str, moment: str, given: dict | None = None, status: int = 200) -> Response:
    t = trajectory(db.session, person=g.person, goal_id=goal_id)
    view = services.judging(db.session, trajectory=t, moment=moment)
    db.session.commit()
    return render("results/show.html", j=view, t=t, forms=_forms(view, given or {}), slug=SLUGS[moment],
                  informant=outcomes.informant(t), status=status)


@bp.get("/<goal_id>/resultaat")
@login_required
def show(goal_id: str) -> Response:
    """The result of a goal: give your verdict, then see everyone's; the family verdict; the outcome questions."""
    return _page(goal_id, _moment())


def _submit(goal_id: str, name: str, form, action: Callable[[Trajectory, str], object], anchor: str) -> Response:
    """Validate the form, call the service, commit and go back to the page; or show the form again (422)."""
    moment = _moment()
    t = trajectory(db.session, person=g.person, goal_id=goal_id)
    if form.validate():
        try:
            action(t, moment)
            db.session.commit()
            return see_other(url_for("results.show", goal_id=goal_id, moment=SLUGS[moment]) + anchor)
        except ValidationFailed as failed:
            db.session.rollback()
            form.apply_errors(failed.reasons)
    return _page(goal_id, moment, {name: form}, status=422)


@bp.post("/<goal_id>/resultaat")
@login_required
def judge(goal_id: str) -> Response:
    """Give or revise your verdict on the result."""
    child = trajectory(db.session, person=g.person, goal_id=goal_id).child_voice
    form = JudgeForm().fill(child=child)
    return _submit(goal_id, "judge", form, lambda t, moment: services.judge(
        db.session, trajectory=t, moment=moment, verdict=form.verdict.data or "",
        explanation=form.explanation.data or ""), "#verdicts")


@bp.post("/<goal_id>/resultaat/correctie")
@login_required
def correct(goal_id: str) -> Response:
    """The professional corrects the family verdict, with a reason (the old one stays in the history)."""
    form = CorrectForm().fill()
    return _submit(goal_id, "correct", form, lambda t, moment: services.correct(
        db.session, trajectory=t, moment=moment, verdict=form.verdict.data or "", reason=form.reason.data or ""),
        "#family-verdict")


@bp.post("/<goal_id>/resultaat/gesprek")
@login_required
def converse(goal_id: str) -> Response:
    """The professional records a conversation with the family about their verdicts."""
    form = ConversationForm()
    return _submit(goal_id, "conversation", form, lambda t, moment: services.record_conversation(
        db.session, trajectory=t, moment=moment, text=form.text.data or ""), "#conversations")


@bp.post("/<goal_id>/resultaat/uitkomst")
@login_required
def answer(goal_id: str) -> Response:
    """Answer the national outcome questions about the ended help."""
    form = OutcomeForm().fill()
    return _submit(goal_id, "outcome", form, lambda t, _moment: outcomes.answer_outcome(
        db.session, trajectory=t, usefulness=form.score(), independence=form.independence.data or ""), "#outcome")


@bp.post("/<goal_id>/zorg/start")
@login_required
def start(goal_id: str) -> Response:
    """The provider records the start of the help (the first 50%)."""
    form = StartForm()
    return _submit(goal_id, "start", form, lambda t, _moment: care.start_care(
        db.session, trajectory=t, started_on=form.started_on.data), "#care")


@bp.post("/<goal_id>/zorg/stop")
@login_required
def stop(goal_id: str) -> Response:
    """The provider records the end of the help and why."""
    form = StopForm().fill()
    return _submit(goal_id, "stop", form, lambda t, _moment: care.stop_care(
        db.session, trajectory=t, stopped_on=form.stopped_on.data, reason=form.reason.data or ""), "#care")
