"""The national outcome items (CBS Beleidsinformatie Jeugd) for one ended care: one youth and one parent answer."""

from flask_babel import gettext as _
from sqlmodel import Session, select

from app.core.errors import ValidationFailed
from app.identity.policy import CHILD_UNTIL, Role
from app.results.models import OutcomeAnswer
from app.results.trajectory import Trajectory
from app.results.vocab import INDEPENDENCE


def informant(trajectory: Trajectory) -> str | None:
    """As whom this person answers: 'youth' (12 or older, the help was for them), 'parent' (with custody), or None."""
    actor = trajectory.ctx.actor
    if actor.role is Role.YOUTH and trajectory.capacity() == "youth" and (actor.age or 0) >= CHILD_UNTIL:
        return "youth"
    if actor.role is Role.PARENT and actor.has_custody:
        return "parent"
    return None


def answer_outcome(session: Session, *, trajectory: Trajectory, usefulness: int | None,
                   independence: str) -> OutcomeAnswer:
    """Record (or change) one informant's answers; CBS counts one youth and one parent per care."""
    kind = informant(trajectory)
    if kind is None:
        raise trajectory.refuse("outcome.answer")
    assignment, me = trajectory.assignment, trajectory.ctx.actor.person_id
    if assignment.care_stopped_on is None:
        raise ValidationFailed([("usefulness", _("You can answer these questions once the help has ended."))])
    problems = []
    if usefulness is None or not 1 <= usefulness <= 10:
        problems.append(("usefulness", _("Choose a number from 1 to 10.")))
    if independence not in INDEPENDENCE:
        problems.append(("independence", _("Choose one of the answers.")))
    answers = session.exec(select(OutcomeAnswer).where(OutcomeAnswer.assignment_id == assignment.id)).all()
    other = next((a for a in answers if a.informant == kind and a.person_id != me), None)
    if other is not None:
        name = trajectory.ctx.people[other.person_id].given_name if other.person_id in trajectory.ctx.people else ""
        problems.append(("usefulness", _("%(name)s already answered for the parents. Only one parent answers.",
                                         name=name) if kind == "parent" else _("The young person already answered.")))
    if problems:
        raise ValidationFailed(problems)
    answer = next((a for a in answers if a.person_id == me), None)
    action = "update" if answer else "create"
    answer = answer or OutcomeAnswer(assignment_id=assignment.id, person_id=me, informant=kind, usefulness=0,
                                     independence="")
    answer.usefulness, answer.independence = usefulness, independence
    session.add(answer)
    session.flush()
    trajectory.log(session, event="outcome.answer", action=action, object_type="outcome_answer",
                   object_id=str(answer.id))
    return answer
