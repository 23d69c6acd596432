"""Write events for the municipality into the outbox, in the caller's transaction."""

import uuid

import sqlalchemy as sa
from sqlmodel import Session, select

from app.outbox.models import OutboxEvent
from app.outbox.schemas import SCHEMAS, validator


def emit(session: Session, *, event_type: str, aggregate_type: str, aggregate_id: str, payload: dict) -> OutboxEvent:
    """Validate the payload against its schema and add the event after the aggregate's previous one."""
    validator(event_type).validate(payload)
    last = session.exec(select(sa.func.max(OutboxEvent.sequence)).where(OutboxEvent.aggregate_id == aggregate_id)).one()
    event = OutboxEvent(event_type=event_type, schema_id=SCHEMAS[event_type]["$id"], aggregate_type=aggregate_type,
                        aggregate_id=aggregate_id, sequence=(last or 0) + 1, idempotency_key=uuid.uuid4().hex,
                        payload=payload)
    session.add(event)
    session.flush()
    return event
