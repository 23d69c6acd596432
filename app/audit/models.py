"""The append-only, hash-chained access log."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow
from app.core.db import UTCDateTime, protect_append_only


class AccessLogEntry(SQLModel, table=True):
    """One read or change of family data (or a refusal), chained to the entry before it by hash."""

    __tablename__ = "access_log"
    __table_args__ = (
        sa.CheckConstraint("action IN ('read', 'create', 'update', 'delete', 'execute')", name="action_known"),
        sa.CheckConstraint("outcome IN ('success', 'refused', 'failed')", name="outcome_known"),
        sa.Index("ix_access_log_family_time", "family_id", "created_at"),
        sa.Index("ix_access_log_youth_time", "youth_id", "created_at"),
        sa.UniqueConstraint("chain", "seq", name="one_entry_per_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    event: str = Field(max_length=60)  # what happened, e.g. "family.view", "invitation.create"
    action: str = Field(max_length=10)  # NEN 7513 / IHE EventActionCode as a word
    outcome: str = Field(default="success", max_length=10)
    actor_id: str | None = Field(default=None, max_length=20)  # the person acting (None: anonymous)
    actor_role: str = Field(default="none", max_length=30)
    on_behalf_of_id: str | None = Field(default=None, max_length=20)  # kitchen-table speaker, a parent for a child
    family_id: str | None = Field(default=None, max_length=20)
    youth_id: str | None = Field(default=None, max_length=20)  # the youth whose data it is
    object_type: str = Field(default="", max_length=40)
    object_id: str = Field(default="", max_length=40)
    detail: str = Field(default="", max_length=500)  # never free text typed by the family
    chain: str = Field(max_length=20)  # the family id, or "system"
    seq: int  # position in the chain, from 1
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class AccessLogChain(SQLModel, table=True):
    """The head of one chain: its last number and hash. Locking it orders the chain's writers."""

    __tablename__ = "access_log_chain"

    chain: str = Field(primary_key=True, max_length=20)
    seq: int = 0
    last_hash: str = Field(max_length=64)


class AccessLogCheckpoint(SQLModel, table=True):
    """Where a chain begins after its oldest entries were pruned (kept 5 years): the last pruned entry's number and
    hash, signed with the app's checkpoint key, so the entries that remain still verify and nobody can move the start
    unseen."""

    __tablename__ = "access_log_checkpoint"

    chain: str = Field(primary_key=True, max_length=20)
    seq: int  # the last pruned entry's number: the chain goes on at seq + 1
    hash: str = Field(max_length=64)  # the last pruned entry's hash: the next entry's prev_hash
    pruned_before: datetime = Field(sa_type=UTCDateTime)  # entries older than this were pruned
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    signature: str = Field(max_length=64)  # HMAC-SHA256 of chain, seq, hash and pruned_before


protect_append_only(AccessLogEntry.__table__)
