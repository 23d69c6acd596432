"""Ratings of the help (kwaliteitsmeting): invitations, ratings with their history, reports, replies, figures."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow
from app.core.db import UTCDateTime, protect_append_only

STATUS_CHECK = "status IN ('pending', 'published', 'rejected', 'reported')"
SCORE_COLUMNS = ("overall", "heard", "decided", "reachable", "result")  # the aspects after the overall score


def _score(name: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{name} IS NULL OR {name} BETWEEN 1 AND 10", name=f"{name}_1_to_10")


class RatingInvitation(SQLModel, table=True):
    """That a person was invited to rate a care trajectory, and why (it ended, or 3 months of ongoing care).

    Kept apart from the notification (which the person may have switched off), so it can be shown that every
    family was invited, never a selection (ACM)."""

    __tablename__ = "rating_invitation"
    __table_args__ = (
        sa.UniqueConstraint("assignment_id", "person_id", "reason", name="once_per_reason"),
        sa.CheckConstraint("reason IN ('ongoing', 'ended')", name="reason_known"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    person_id: str = Field(foreign_key="person.id", max_length=20)
    reason: str = Field(max_length=10)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Rating(SQLModel, table=True):
    """One person's rating of one care trajectory (an assignment); editable until published.

    The jeugdprofessional's score is internal: only their municipality sees it, never the catalog."""

    __tablename__ = "rating"
    __table_args__ = (
        sa.UniqueConstraint("assignment_id", "person_id", name="one_rating_per_person"),
        sa.CheckConstraint(STATUS_CHECK, name="status_known"),
        sa.CheckConstraint("informant IN ('youth', 'parent')", name="informant_known"),
        sa.CheckConstraint("smiley IS NULL OR smiley IN ('happy', 'so_so', 'sad')", name="smiley_known"),
        sa.CheckConstraint("overall IS NOT NULL OR smiley IS NOT NULL", name="has_a_score"),
        *(_score(name) for name in (*SCORE_COLUMNS, "professional_score")),
        sa.Index("ix_rating_status_created", "status", "created_at"),
        sa.Index("ix_rating_offer_status_published", "offer_id", "status", "published_at"),
        sa.Index("ix_rating_provider_status_published", "provider_id", "status", "published_at"),
        sa.Index("ix_rating_professional", "professional_id", "municipality_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id")
    person_id: str = Field(foreign_key="person.id", max_length=20)  # never shown outside the family and the log
    family_id: str = Field(foreign_key="family.id", max_length=20)
    municipality_id: int = Field(foreign_key="municipality.id")  # the family's: its redactie checks the rating
    offer_id: int = Field(foreign_key="offer.id")
    provider_id: int = Field(foreign_key="provider.id")
    professional_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)
    informant: str = Field(max_length=6)
    overall: int | None = None
    heard: int | None = None  # "ik voelde me gehoord"
    decided: int | None = None  # "ik kon meebeslissen"
    reachable: int | None = None  # bereikbaarheid
    result: int | None = None  # het resultaat
    smiley: str | None = Field(default=None, max_length=6)  # a child under 12
    text: str = Field(default="", sa_type=sa.Text)
    professional_score: int | None = None
    status: str = Field(default="pending", max_length=10)
    reject_reason: str = Field(default="", max_length=20)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_by_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)

    @property
    def is_child_version(self) -> bool:
        return self.smiley is not None

    @property
    def is_editable(self) -> bool:
        return self.status in ("pending", "rejected")


class RatingVersion(SQLModel, table=True):
    """The history of a rating: every change, by its author or the redactie, as it was then (append-only)."""

    __tablename__ = "rating_version"
    __table_args__ = (sa.UniqueConstraint("rating_id", "seq", name="one_row_per_step"),)

    id: int | None = Field(default=None, primary_key=True)
    rating_id: int = Field(foreign_key="rating.id")
    seq: int
    change: str = Field(max_length=12)  # create, update, publish, reject, report, restore
    version: int  # the rating's text version after this step
    status: str = Field(max_length=10)
    overall: int | None = None
    heard: int | None = None
    decided: int | None = None
    reachable: int | None = None
    result: int | None = None
    smiley: str | None = Field(default=None, max_length=6)
    text: str = Field(default="", sa_type=sa.Text)
    professional_score: int | None = None
    reject_reason: str = Field(default="", max_length=20)
    changed_by_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


protect_append_only(RatingVersion.__table__)


class RatingReport(SQLModel, table=True):
    """Someone reported a published rating: it is hidden until the redactie looks at it again."""

    __tablename__ = "rating_report"
    __table_args__ = (sa.Index("ix_rating_report_rating", "rating_id"),)

    id: int | None = Field(default=None, primary_key=True)
    rating_id: int = Field(foreign_key="rating.id")
    reporter_id: str = Field(foreign_key="person.id", max_length=20)
    reason: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RatingReply(SQLModel, table=True):
    """The provider's one public reply to a published rating (editable; Care Opinion style)."""

    __tablename__ = "rating_reply"

    id: int | None = Field(default=None, primary_key=True)
    rating_id: int = Field(foreign_key="rating.id", unique=True)
    organisation_id: str = Field(foreign_key="organisation.id", max_length=20)
    author_id: str = Field(foreign_key="person.id", max_length=20)
    text: str = Field(sa_type=sa.Text)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OfferRatingFigure(SQLModel, table=True):
    """Running totals of an offer's published ratings, kept in step on publish and unpublish.

    The catalog reads them instead of adding up 100,000 ratings, and sorts by `average` (set only from
    MIN_TRAJECTORIES trajectories on: fewer is "not enough ratings yet")."""

    __tablename__ = "offer_rating_figure"
    __table_args__ = (sa.Index("ix_offer_rating_figure_average", "average", "offer_id"),)

    offer_id: int = Field(foreign_key="offer.id", primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    trajectories: int = 0  # trajectories with at least one published rating
    ratings: int = 0  # published ratings with a 1-10 score
    overall_sum: int = 0
    average: float | None = None  # overall_sum / ratings, once there are enough trajectories
    d1: int = 0
    d2: int = 0
    d3: int = 0
    d4: int = 0
    d5: int = 0
    d6: int = 0
    d7: int = 0
    d8: int = 0
    d9: int = 0
    d10: int = 0
    heard_sum: int = 0
    heard_n: int = 0
    decided_sum: int = 0
    decided_n: int = 0
    reachable_sum: int = 0
    reachable_n: int = 0
    result_sum: int = 0
    result_n: int = 0
    smiley_happy: int = 0
    smiley_so_so: int = 0
    smiley_sad: int = 0
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
