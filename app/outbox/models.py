"""The outbox: events for the municipality, written in the same transaction as the change they describe, and
the delivery state the worker keeps on each (attempts, next attempt, last error)."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow
from app.core.db import UTCDateTime


class OutboxEvent(SQLModel, table=True):
    """One event to deliver exactly once, in order per aggregate (a plan)."""

    __tablename__ = "outbox_event"
    __table_args__ = (
        sa.UniqueConstraint("aggregate_id", "sequence", name="one_event_per_position"),
        sa.CheckConstraint("status IN ('pending', 'delivered', 'dead')", name="status_known"),
        sa.Index("ix_outbox_event_pending", "status", "id"),
        sa.Index("ix_outbox_event_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_type: str = Field(max_length=60)  # e.g. "plan.fixed"
    schema_id: str = Field(max_length=120)  # the JSON Schema the payload follows
    aggregate_type: str = Field(max_length=30)
    aggregate_id: str = Field(max_length=40)
    sequence: int  # order within the aggregate
    idempotency_key: str = Field(max_length=64, unique=True)
    payload: dict = Field(default_factory=dict, sa_type=sa.JSON)
    status: str = Field(default="pending", max_length=10)
    attempts: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # None: as soon as possible
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = Field(default="", max_length=300)


class SyncWorkerLock(SQLModel, table=True):
    """Who runs the delivery worker on SQLite, where only one may (PostgreSQL locks rows instead)."""

    __tablename__ = "sync_worker_lock"

    name: str = Field(primary_key=True, max_length=30)
    holder: str = Field(max_length=120)  # host:pid
    heartbeat_at: datetime = Field(sa_type=UTCDateTime)
