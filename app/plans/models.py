"""The plan itself; its goals, actions and versions come with the plan issue."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow
from app.core.db import UTCDateTime
from app.core.ids import new_id


class PlanStatus(enum.StrEnum):
    """Where a plan is in its life: being written, being agreed, fixed."""

    DRAFT = "draft"
    AGREEING = "agreeing"
    FIXED = "fixed"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self])


_STATUS_LABELS = {
    PlanStatus.DRAFT: _l("Being written"),
    PlanStatus.AGREEING: _l("Waiting for agreement"),
    PlanStatus.FIXED: _l("Agreed and fixed"),
}


class Plan(SQLModel, table=True):
    """The one gezinsplan of a family."""

    __tablename__ = "plan"
    __table_args__ = (sa.CheckConstraint("status IN ('draft', 'agreeing', 'fixed')", name="status_known"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=20)
    family_id: str = Field(foreign_key="family.id", unique=True, max_length=20)
    status: str = Field(default=PlanStatus.DRAFT, max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def status_label(self) -> str:
        return PlanStatus(self.status).label
