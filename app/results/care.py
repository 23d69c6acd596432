"""The start and the end of care on an assigned goal, recorded by the provider (later also by the municipality)."""

from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlmodel import Session

from app.catalog.models import Assignment
from app.core.clock import today, utcnow
from app.core.errors import ValidationFailed
from app.results import events
from app.results.trajectory import Trajectory
from app.results.vocab import STOP_REASONS


def start_care(session: Session, *, trajectory: Trajectory, started_on: date | None) -> Assignment:
    """The provider records the start of the care: the first 50% (`care.started`)."""
    assignment = trajectory.assignment
    if not trajectory.is_provider:
        raise trajectory.refuse("care.start")
    if assignment.care_started_on is not None:
        raise ValidationFailed([("started_on", _("The start was already recorded: %(date)s.",
                                                 date=format_date(assignment.care_started_on, "long")))])
    _check_date("started_on", started_on, not_before=assignment.assigned_start)
    assignment.care_started_on, assignment.care_started_by_id = started_on, trajectory.ctx.actor.person_id
    _save(session, trajectory, "care.start")
    events.emit_care_started(session, assignment)
    return assignment


def stop_care(session: Session, *, trajectory: Trajectory, stopped_on: date | None, reason: str) -> Assignment:
    """The provider records the end of the care and why (JZ588): `care.stopped`; judging the result can begin."""
    assignment = trajectory.assignment
    if not trajectory.is_provider:
        raise trajectory.refuse("care.stop")
    if assignment.care_started_on is None:
        raise ValidationFailed([("stopped_on", _("Record the start of the help first."))])
    if assignment.care_stopped_on is not None:
        raise ValidationFailed([("stopped_on", _("The end was already recorded: %(date)s.",
                                                 date=format_date(assignment.care_stopped_on, "long")))])
    problems = []
    if reason not in STOP_REASONS:
        problems.append(("reason", _("Choose why the help stopped.")))
    try:
        _check_date("stopped_on", stopped_on, not_before=assignment.care_started_on)
    except ValidationFailed as failed:
        problems = failed.reasons + problems
    if problems:
        raise ValidationFailed(problems)
    assignment.care_stopped_on, assignment.care_stopped_by_id = stopped_on, trajectory.ctx.actor.person_id
    assignment.stop_reason = reason
    _save(session, trajectory, "care.stop")
    events.emit_care_stopped(session, assignment)
    return assignment


def _check_date(field: str, value: date | None, *, not_before: date | None) -> None:
    if value is None:
        raise ValidationFailed([(field, _("Fill in a date."))])
    if value > today():
        raise ValidationFailed([(field, _("The date cannot be in the future."))])
    if not_before is not None and value < not_before:
        raise ValidationFailed([(field, _("The date cannot be before %(date)s.",
                                          date=format_date(not_before, "long")))])
    if value < today() - timedelta(days=366 * 2):
        raise ValidationFailed([(field, _("The date is more than two years ago. Check the year."))])


def _save(session: Session, trajectory: Trajectory, event: str) -> None:
    trajectory.assignment.updated_at = utcnow()
    session.add(trajectory.assignment)
    session.flush()
    trajectory.log(session, event=event, action="update", object_type="assignment",
                   object_id=trajectory.assignment.reference)
