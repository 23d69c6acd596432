"""The family's rights over its dossier: requests to destroy it, the retention job's reports, and the anonymous
figures that outlive a destroyed dossier.

A request names its family, plan, item and people by id only, without foreign keys: it outlives the dossier it
destroyed (the request, the decision and the fact stay; never the content).
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow
from app.core.db import UTCDateTime
from app.core.ids import new_id


class RequestStatus(enum.StrEnum):
    """Where a request to destroy is: waiting for the others who must ask too, asked (the professional assesses
    within three months), refused with reasons, or carried out."""

    WAITING = "waiting"
    ASKED = "asked"
    REFUSED = "refused"
    DESTROYED = "destroyed"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self])


_STATUS_LABELS = {
    RequestStatus.WAITING: _l("Waiting for the others who must ask too"),
    RequestStatus.ASKED: _l("Asked: the professional decides"),
    RequestStatus.REFUSED: _l("Not destroyed"),
    RequestStatus.DESTROYED: _l("Destroyed"),
}
OPEN = (RequestStatus.WAITING, RequestStatus.ASKED)


class DestructionRequest(SQLModel, table=True):
    """A request of the betrokkene(n) to destroy one part of the dossier, or all of it (Jeugdwet 7.3.9)."""

    __tablename__ = "destruction_request"
    __table_args__ = (
        sa.CheckConstraint("status IN ('waiting', 'asked', 'refused', 'destroyed')", name="status_known"),
        sa.CheckConstraint("scope IN ('item', 'dossier')", name="scope_known"),
        sa.Index("ix_destruction_request_family_status", "family_id", "status"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=20)
    municipality_id: int = Field(index=True)  # whose data protection officer counts it
    family_id: str = Field(max_length=20)
    plan_id: str = Field(max_length=20)
    scope: str = Field(max_length=10)  # "item": one part and what hangs under it; "dossier": all of it
    item_id: str | None = Field(default=None, max_length=20)
    item_kind: str | None = Field(default=None, max_length=20)  # to name the part once it is gone
    required_ids: list = Field(default_factory=list, sa_type=sa.JSON)  # who must ask (the age rules)
    asked_ids: list = Field(default_factory=list, sa_type=sa.JSON)  # who asked, in order
    status: str = Field(default=RequestStatus.WAITING, max_length=10)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    asked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # everyone required had asked
    decide_by: date | None = None  # three months after asked_at
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by_id: str | None = Field(default=None, max_length=20)
    refusal_reason: str = Field(default="", max_length=2000)  # whose interest or which law prevents it
    destroyed: dict = Field(default_factory=dict, sa_type=sa.JSON)  # rows destroyed per table: the receipt

    @property
    def status_label(self) -> str:
        return RequestStatus(self.status).label


class JobReport(SQLModel, table=True):
    """One run of the retention job: what it destroyed and pruned (counts only)."""

    __tablename__ = "dossier_job_report"

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=20)  # "expire"
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # None: stopped half-way
    families_due: int = 0
    families_destroyed: int = 0
    rows_destroyed: int = 0
    log_entries_pruned: int = 0
    files_removed: int = 0


class RetainedFigure(SQLModel, table=True):
    """What the municipality needs for its figures of a destroyed dossier, added up anonymously: per municipality,
    per year the plan began, how many families, goals, assignments and reached results there were."""

    __tablename__ = "retained_figure"

    municipality_id: int = Field(primary_key=True)
    year: int = Field(primary_key=True)
    name: str = Field(primary_key=True, max_length=30)
    count: int = 0
