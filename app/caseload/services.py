"""Who handles an assigned goal (the behandelaar): provider staff give it to a colleague of the same organisation."""

from flask_babel import gettext as _
from sqlmodel import Session, select

from app.audit.services import AuditActor, record, record_refusal
from app.caseload.queries import PROVIDER_STAFF, colleagues_of, organisations_of
from app.catalog.models import Assignment
from app.core.clock import utcnow
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.identity.models import Person
from app.plans.models import ItemKind, Plan, PlanItem

EVENT = "assignment.handler"


def give_to_colleague(session: Session, *, person: Person, goal_id: str, handler_id: str) -> Person:
    """Give a goal assigned to your organisation to a colleague there (or take it yourself); return who has it.

    Both people must be provider staff of the goal's organisation; a goal of another organisation is not found
    (and the attempt logged). Giving it to whoever has it already changes and logs nothing."""
    organisations = [org.id for org in organisations_of(session, person)]
    if not organisations:
        raise NotAllowed("work list")
    found = _assigned_goal(session, goal_id, organisations)
    if found is None:
        record_refusal(event=EVENT, actor=AuditActor(person.id, PROVIDER_STAFF),
                       family_id=_family_of(session, goal_id), object_type="goal",
                       object_id=goal_id if _could_be_id(goal_id) else "")
        raise NotFound(goal_id or "goal")
    assignment, goal = found
    chosen = next((p for p in colleagues_of(session, [assignment.organisation_id])[assignment.organisation_id]
                   if p.id == handler_id), None)
    if chosen is None:
        raise ValidationFailed([("handler_id", _("Choose a colleague from the list."))])
    if assignment.handler_id != chosen.id:
        assignment.handler_id, assignment.updated_at = chosen.id, utcnow()
        session.add(assignment)
        session.flush()
        record(session, event=EVENT, action="update", actor=AuditActor(person.id, PROVIDER_STAFF),
               family_id=assignment.family_id, youth_id=goal.youth_id, object_type="assignment",
               object_id=assignment.reference, detail=f"handler {chosen.id}")
    return chosen


def _assigned_goal(session: Session, goal_id: str, organisations: list[str]) -> tuple[Assignment, PlanItem] | None:
    """The goal's latest assignment to one of these organisations, with the goal (a live one)."""
    if not _could_be_id(goal_id):
        return None
    return session.exec(select(Assignment, PlanItem).join(PlanItem, PlanItem.id == Assignment.goal_id)
                        .where(Assignment.goal_id == goal_id, Assignment.status == "assigned",
                               Assignment.organisation_id.in_(organisations), PlanItem.kind == ItemKind.GOAL,
                               PlanItem.deleted_at.is_(None))
                        .order_by(Assignment.id.desc())).first()


def _family_of(session: Session, goal_id: str) -> str | None:
    """The family whose chain records a refused attempt on its goal (None: no such goal, the system's chain)."""
    if not _could_be_id(goal_id):
        return None
    return session.exec(select(Plan.family_id).join(PlanItem, PlanItem.plan_id == Plan.id)
                        .where(PlanItem.id == goal_id)).first()


def _could_be_id(value: str) -> bool:
    return bool(value) and len(value) <= 20 and value.isprintable()
