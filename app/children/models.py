"""A child's or young person's "Hoe gaat het?": one of five faces, at a moment, in the family's plan."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow
from app.core.db import UTCDateTime


class CheckIn(SQLModel, table=True):
    """How a youth felt when they checked in (1 very sad ... 5 very happy); typed on a parent's phone or their own."""

    __tablename__ = "check_in"
    __table_args__ = (
        sa.CheckConstraint("face BETWEEN 1 AND 5", name="face_1_to_5"),
        sa.Index("ix_check_in_plan_person_time", "plan_id", "person_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", max_length=20)
    person_id: str = Field(foreign_key="person.id", max_length=20)  # whose check-in it is
    typed_by_id: str = Field(foreign_key="person.id", max_length=20)  # the child, or the parent who showed the view
    age: int  # the youth's age when checking in: the age rules read it as an item written at that age
    face: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
