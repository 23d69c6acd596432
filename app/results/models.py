"""Result judgement per goal: each person's verdict (with history), the family's verdict, the outcome items."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow
from app.core.db import UTCDateTime

VERDICT_CHECK = "verdict IN ('achieved', 'partly', 'not_achieved')"
MOMENT_CHECK = "moment IN ('evaluation', 'end')"


class ResultVerdict(SQLModel, table=True):
    """One person's verdict on a goal's result; a revision adds a row and stamps the old one superseded."""

    __tablename__ = "result_verdict"
    __table_args__ = (
        sa.CheckConstraint(VERDICT_CHECK, name="verdict_known"),
        sa.CheckConstraint(MOMENT_CHECK, name="moment_known"),
        sa.CheckConstraint("capacity IN ('youth', 'parent', 'professional', 'provider')", name="capacity_known"),
        sa.Index("ix_result_verdict_assignment_moment", "assignment_id", "moment"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id")
    goal_id: str = Field(foreign_key="plan_item.id", max_length=20)
    person_id: str = Field(foreign_key="person.id", max_length=20)
    capacity: str = Field(max_length=12)
    moment: str = Field(default="end", max_length=10)
    verdict: str = Field(max_length=12)
    explanation: str = Field(default="", max_length=2000)
    child_voice: bool = False  # a child under 12 (smiley version): heard, but not part of the family verdict
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    superseded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FamilyVerdict(SQLModel, table=True):
    """The family's verdict: set when everyone whose consent the age rules require agrees; corrections add rows."""

    __tablename__ = "family_verdict"
    __table_args__ = (
        sa.CheckConstraint(VERDICT_CHECK, name="verdict_known"),
        sa.CheckConstraint(MOMENT_CHECK, name="moment_known"),
        sa.Index("uq_family_verdict_current", "assignment_id", "moment", unique=True,
                 postgresql_where=sa.text("current"), sqlite_where=sa.text("current")),
        sa.Index("ix_family_verdict_assignment_id", "assignment_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id")
    goal_id: str = Field(foreign_key="plan_item.id", max_length=20)
    moment: str = Field(default="end", max_length=10)
    verdict: str = Field(max_length=12)
    decided_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    corrected_from_id: int | None = Field(default=None, foreign_key="family_verdict.id")
    corrected_by_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)
    correction_reason: str = Field(default="", max_length=2000)
    current: bool = True  # the agreed name (the catalog figures read it); False once corrected


class ConversationNote(SQLModel, table=True):
    """The professional's record of a conversation with a family whose verdicts differ."""

    __tablename__ = "conversation_note"
    __table_args__ = (sa.Index("ix_conversation_note_assignment_id", "assignment_id"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id")
    moment: str = Field(default="end", max_length=10)
    author_id: str = Field(foreign_key="person.id", max_length=20)
    text: str = Field(max_length=4000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OutcomeAnswer(SQLModel, table=True):
    """The national outcome items for one ended care, from one informant (CBS: the youth, or a parent)."""

    __tablename__ = "outcome_answer"
    __table_args__ = (
        sa.UniqueConstraint("assignment_id", "person_id", name="one_answer_per_person"),
        sa.CheckConstraint("usefulness BETWEEN 1 AND 10", name="usefulness_1_to_10"),
        sa.CheckConstraint("informant IN ('youth', 'parent')", name="informant_known"),
        sa.CheckConstraint("independence IN ('01', '02', '03', '04')", name="independence_known"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    person_id: str = Field(foreign_key="person.id", max_length=20)
    informant: str = Field(max_length=6)
    usefulness: int
    independence: str = Field(max_length=2)  # CBS 3.1 codes 01-04
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
