"""The delivery overview for municipality staff: events per status, one event's payload (logged), retry a dead one."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, select

from app.audit.services import AuditActor, record
from app.complaints.models import Complaint
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.identity.models import Family, Municipality, Person
from app.outbox.models import OutboxEvent
from app.plans.models import Plan
from app.ratings.moderation import municipality_of_staff

STATUSES = ("dead", "pending", "delivered")
PAGE_SIZE = 50


@dataclass
class Overview:
    """The events of one status for this person's municipalities, newest first, with the count of each status."""

    status: str
    counts: dict[str, int]
    events: list[OutboxEvent]


def _scope(session: Session, person: Person | None) -> sa.ColumnElement[bool]:
    """Which events this person may see: those about plans, complaints and figures of their municipalities."""
    municipalities = municipality_of_staff(session, person)
    if not municipalities:
        raise NotAllowed("sync")
    plans = select(Plan.id).join(Family, Family.id == Plan.family_id).where(Family.municipality_id.in_(municipalities))
    codes = session.exec(select(Municipality.cbs_code).where(Municipality.id.in_(municipalities))).all()
    complaints = select(Complaint.id).join(Family, Family.id == Complaint.family_id).where(
        Family.municipality_id.in_(municipalities))
    return sa.or_(sa.and_(OutboxEvent.aggregate_type == "plan", OutboxEvent.aggregate_id.in_(plans)),
                  sa.and_(OutboxEvent.aggregate_type == "complaint", OutboxEvent.aggregate_id.in_(complaints)),
                  OutboxEvent.aggregate_id.in_([f"complaints:{code}" for code in codes]))


def overview(session: Session, *, person: Person | None, status: str) -> Overview:
    """List the events of one status (dead first by default) for municipality staff."""
    scope = _scope(session, person)
    status = status if status in STATUSES else "dead"
    numbers = dict(session.exec(select(OutboxEvent.status, sa.func.count()).where(scope)
                                .group_by(OutboxEvent.status)).all())
    events = session.exec(select(OutboxEvent).where(scope, OutboxEvent.status == status)
                          .order_by(OutboxEvent.id.desc()).limit(PAGE_SIZE)).all()
    return Overview(status, {name: numbers.get(name, 0) for name in STATUSES}, list(events))


def event_for_staff(session: Session, *, person: Person | None, event_id: int) -> OutboxEvent:
    """One event with its payload; the read is in the access log (of the family, when it is about a plan)."""
    event = session.exec(select(OutboxEvent).where(_scope(session, person), OutboxEvent.id == event_id)).first()
    if event is None:
        raise NotFound(str(event_id))
    record(session, event="sync.payload_view", action="read", actor=AuditActor(person.id, "municipality_staff"),
           family_id=_family_of(session, event), object_type="outbox_event", object_id=str(event.id),
           detail=event.event_type)
    return event


def retry_for_staff(session: Session, *, person: Person | None, event_id: int) -> OutboxEvent:
    """Municipality staff send a dead event again (logged)."""
    event = session.exec(select(OutboxEvent).where(_scope(session, person), OutboxEvent.id == event_id)).first()
    if event is None:
        raise NotFound(str(event_id))
    retry_event(session, event_id=event.id)
    record(session, event="sync.retry", action="update", actor=AuditActor(person.id, "municipality_staff"),
           family_id=_family_of(session, event), object_type="outbox_event", object_id=str(event.id),
           detail=event.event_type)
    return event


def retry_event(session: Session, *, event_id: int) -> OutboxEvent:
    """Make a dead event pending again, from attempt one, due now (its plan's later events follow it)."""
    event = session.get(OutboxEvent, event_id)
    if event is None:
        raise NotFound(str(event_id))
    if event.status != "dead":
        raise ValidationFailed([("event", _("Only an event that could not be delivered can be sent again."))])
    event.status, event.attempts, event.next_attempt_at = "pending", 0, None
    session.add(event)
    session.flush()
    return event


def _family_of(session: Session, event: OutboxEvent) -> str | None:
    if event.aggregate_type != "plan":
        return None
    return session.exec(select(Plan.family_id).where(Plan.id == event.aggregate_id)).first()
