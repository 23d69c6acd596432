"""Inzage (Jeugdwet 7.3.10): what exists about one person, per family, as the age rules let them see it.

The plan parts about them, written by them or given to them; how often those changed; who read or changed the
family's data about them; what was sent to the municipality about the plan; their complaints and ratings. Only what
they may see: another person's private item never appears, not even in a count.
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from app.audit.models import AccessLogEntry
from app.audit.services import AuditActor, record_at_commit
from app.complaints.models import Complaint
from app.identity.models import Family, Membership, Person
from app.identity.policy import can_make_statement, can_view, is_youth
from app.outbox.models import OutboxEvent
from app.plans.context import WHOLE_PLAN, PlanContext, plan_context
from app.plans.models import ItemKind, ItemVersion, Plan, PlanItem
from app.plans.services import DOSSIER
from app.ratings.models import Rating

SHOWN = 10  # the latest entries a list shows (the counts are of all)


@dataclass
class FamilyData:
    """What exists about the person in one family."""

    ctx: PlanContext
    items: list[PlanItem]  # about them, by them or theirs to do, that they may see; newest first
    versions: int  # the changes of those items
    last_change: datetime | None
    reads: int  # others' access-log entries: about them (a youth), or reads of the family's data (anyone else)
    events: list[OutboxEvent] = field(default_factory=list)  # what the municipality received about the plan
    events_total: int = 0
    statements: list[PlanItem] = field(default_factory=list)  # own statements on the dossier as a whole, seen
    can_state: bool = False  # they may add one (the betrokkene: parents with custody, youths from 12)


@dataclass
class MyData:
    """The page "Mijn gegevens"."""

    person: Person
    families: list[FamilyData]
    complaints: int
    ratings: int


def my_data(session: Session, *, person: Person) -> MyData:
    """Gather what exists about this person in every family they belong to (logged as a read of each family)."""
    families = []
    plans = session.exec(select(Plan).join(Family).join(Membership, Membership.family_id == Family.id)
                         .where(Membership.person_id == person.id).order_by(Family.name)).all()
    for plan in plans:
        ctx = plan_context(session, person=person, plan_id=plan.id)
        families.append(_family_data(session, ctx, person))
        record_at_commit(session, event="dossier.view", action="read", actor=AuditActor(person.id, ctx.actor.role),
                         family_id=plan.family_id, youth_id=person.id if is_youth(ctx.actor) else None,
                         object_type="person", object_id=person.id)
    complaints = session.exec(select(sa.func.count()).select_from(Complaint)
                              .where(Complaint.complainant_id == person.id)).one()
    ratings = session.exec(select(sa.func.count()).select_from(Rating).where(Rating.person_id == person.id)).one()
    return MyData(person, families, complaints, ratings)


def _family_data(session: Session, ctx: PlanContext, person: Person) -> FamilyData:
    mine = sa.or_(PlanItem.author_id == person.id, PlanItem.youth_id == person.id, PlanItem.owner_id == person.id)
    rows = session.exec(select(PlanItem).where(PlanItem.plan_id == ctx.plan.id, PlanItem.deleted_at.is_(None), mine)
                        .order_by(PlanItem.updated_at.desc())).all()
    items = [item for item in rows if can_view(ctx.actor, ctx.policy_item(item))]
    ids = [item.id for item in items]
    versions, last = session.exec(select(sa.func.count(), sa.func.max(ItemVersion.changed_at))
                                  .where(ItemVersion.item_id.in_(ids))).one() if ids else (0, None)
    about = AccessLogEntry.youth_id == person.id if is_youth(ctx.actor) else AccessLogEntry.action == "read"
    reads = session.exec(select(sa.func.count()).select_from(AccessLogEntry).where(
        AccessLogEntry.family_id == ctx.plan.family_id, about, AccessLogEntry.actor_id != person.id)).one()
    sent = session.exec(select(OutboxEvent).where(OutboxEvent.aggregate_type == "plan",
                                                  OutboxEvent.aggregate_id == ctx.plan.id)
                        .order_by(OutboxEvent.id.desc())).all()
    about = {(event.payload or {}).get("goal_id") for event in sent} - {None}
    goals = {goal.id: goal for goal in session.exec(select(PlanItem).where(PlanItem.id.in_(about))).all()} \
        if about else {}
    events = [event for event in sent if _may_know(ctx, goals, event)]
    said = session.exec(select(PlanItem).where(PlanItem.plan_id == ctx.plan.id, PlanItem.kind == ItemKind.STATEMENT,
                                               PlanItem.reply_to_id.is_(None), PlanItem.deleted_at.is_(None))
                        .order_by(PlanItem.created_at)).all()
    statements = [item for item in said if can_view(ctx.actor, ctx.policy_item(item))]
    return FamilyData(ctx, items, versions, last, reads, events[:SHOWN], len(events), statements,
                      can_make_statement(ctx.actor, DOSSIER))


def _may_know(ctx: PlanContext, goals: dict[str, PlanItem], event: OutboxEvent) -> bool:
    """An event about a goal only for who may see that goal; one about the plan for who may see the plan as a whole:
    the list of what was sent never tells of a goal hidden from the reader."""
    goal_id = (event.payload or {}).get("goal_id")
    if goal_id:
        goal = goals.get(goal_id)
        return goal is not None and goal.deleted_at is None and can_view(ctx.actor, ctx.policy_item(goal))
    return can_view(ctx.actor, WHOLE_PLAN)
