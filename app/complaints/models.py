"""A complaint (what the complainant filed, one confirmation number) and its parts (one per organisation)."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from app.core.clock import utcnow
from app.core.db import UTCDateTime, protect_append_only
from app.core.ids import new_id

SUBJECTS_SQL = "subject IN ('provider', 'professional', 'municipality', 'app')"
REGIMES_SQL = "regime IN ('jeugdwet', 'wkkgz', 'awb')"
STATUSES_SQL = ("status IN ('received', 'in_progress', 'meeting_planned', 'judgement', 'closed', 'reopened', "
                "'forwarded')")


class Complaint(SQLModel, table=True):
    """What one family member filed: the text, who it names, and the number they got at once."""

    __tablename__ = "complaint"
    __table_args__ = (
        sa.UniqueConstraint("complainant_id", "client_id", name="one_complaint_per_client_id"),
        sa.CheckConstraint("language IN ('nl', 'fy', 'en')", name="language_known"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=20)
    number: str = Field(max_length=12, unique=True)  # the confirmation number: 2026-7KQ4MX
    family_id: str = Field(foreign_key="family.id", index=True, max_length=20)
    complainant_id: str = Field(foreign_key="person.id", index=True, max_length=20)
    client_id: str = Field(max_length=40)  # the form's (or device's) name for this filing: a second send is ignored
    text: str = Field(sa_type=sa.Text)
    wish: str = Field(default="", sa_type=sa.Text)  # what the complainant would like to happen
    shares_identity: bool = False  # the person complained about may be told who complained
    language: str = Field(default="nl", max_length=2)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    parts: list["ComplaintPart"] = Relationship(back_populates="complaint")


class ComplaintPart(SQLModel, table=True):
    """The part of a complaint one organisation handles, under its legal regime and with its own deadline."""

    __tablename__ = "complaint_part"
    __table_args__ = (
        sa.CheckConstraint(SUBJECTS_SQL, name="subject_known"),
        sa.CheckConstraint(REGIMES_SQL, name="regime_known"),
        sa.CheckConstraint(STATUSES_SQL, name="status_known"),
        sa.CheckConstraint("status != 'closed' OR outcome != ''", name="closed_has_judgement"),
        sa.CheckConstraint("extension_days BETWEEN 0 AND 28", name="extension_at_most_4_weeks"),
        sa.CheckConstraint("term_weeks IS NULL OR term_weeks BETWEEN 1 AND 26", name="term_weeks_known"),
        sa.Index("ix_complaint_part_organisation_status", "organisation_id", "status"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=20)
    complaint_id: str = Field(foreign_key="complaint.id", index=True, max_length=20)
    subject: str = Field(max_length=20)
    provider_id: int | None = Field(default=None, foreign_key="provider.id")
    organisation_id: str = Field(foreign_key="organisation.id", max_length=20)
    regime: str = Field(max_length=10)
    complained_about_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)
    # The one staff member who gives the family's help at the provider, when the complainant named nobody: kept out
    # of handling while a colleague can handle it (docs/decisions.md, complaints).
    involved_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)
    handler_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)
    status: str = Field(default="received", max_length=20)
    received_on: date
    term_started_on: date  # the received date, or the day it was reopened
    acknowledge_by: date
    decide_by: date
    term_weeks: int | None = None  # the provider's regulation's term from the catalog (Jeugdwet); None: the default
    has_committee: bool = False  # Awb 9:11: an advisory committee makes the term 10 weeks
    extension_days: int = 0
    extension_reason: str = Field(default="", max_length=1000)
    outcome: str = Field(default="", max_length=20)  # founded, partly_founded, unfounded
    judgement: str = Field(default="", sa_type=sa.Text)
    judged_on: date | None = None
    reaction_by: date | None = None  # Jeugdwet 4.2.1 lid 5: the provider's measures, one month after the judgement
    reaction_on: date | None = None  # the day the provider's reaction was recorded
    reaction: str = Field(default="", sa_type=sa.Text)  # which measures the provider takes, or why none
    closed_on: date | None = None
    satisfied: bool | None = None
    reopen_count: int = 0
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    complaint: Complaint = Relationship(back_populates="parts")


class ComplaintEvent(SQLModel, table=True):
    """One step of a part's timeline (received, in progress, meeting planned ...); append-only."""

    __tablename__ = "complaint_event"

    id: int | None = Field(default=None, primary_key=True)
    part_id: str = Field(foreign_key="complaint_part.id", index=True, max_length=20)
    kind: str = Field(max_length=20)  # a status, or: assigned, extended, committee, satisfied
    actor_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)
    note: str = Field(default="", max_length=1000)  # the extension's reason, the meeting's date
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ComplaintMessage(SQLModel, table=True):
    """A message between the complainant and the handler of one part."""

    __tablename__ = "complaint_message"

    id: int | None = Field(default=None, primary_key=True)
    part_id: str = Field(foreign_key="complaint_part.id", index=True, max_length=20)
    author_id: str = Field(foreign_key="person.id", max_length=20)
    from_handler: bool = False
    text: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ComplaintAttachment(SQLModel, table=True):
    """An image or PDF added to a complaint; the file lives outside the web root under a random name."""

    __tablename__ = "complaint_attachment"
    __table_args__ = (
        sa.CheckConstraint("content_type IN ('image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', "
                           "'application/pdf')", name="type_allowed"),
        sa.CheckConstraint("size_bytes BETWEEN 1 AND 10485760", name="at_most_10_mb"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=20)
    complaint_id: str = Field(foreign_key="complaint.id", index=True, max_length=20)
    added_by_id: str = Field(foreign_key="person.id", max_length=20)
    filename: str = Field(max_length=120)  # as shown; the stored file is named by `storage_name`
    storage_name: str = Field(max_length=40, unique=True)
    content_type: str = Field(max_length=40)
    size_bytes: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


protect_append_only(ComplaintEvent.__table__)
