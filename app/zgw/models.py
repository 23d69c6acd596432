"""What the ZGW adapter keeps: the Zaak of each plan and complaint, and how far each outbox event got in the ZRC."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow
from app.core.db import UTCDateTime


class ZgwZaak(SQLModel, table=True):
    """The Zaak the ZRC made for one of our plans or complaints: later statuses and the result point at its URL."""

    __tablename__ = "zgw_zaak"
    __table_args__ = (
        sa.UniqueConstraint("subject_type", "subject_id", name="one_zaak_per_subject"),
        sa.CheckConstraint("subject_type IN ('plan', 'complaint')", name="subject_type_known"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subject_type: str = Field(max_length=20)
    subject_id: str = Field(max_length=40)  # our plan id or complaint id
    identificatie: str = Field(max_length=40)  # the Zaak's identificatie (ours: a retry finds the Zaak by it)
    url: str = Field(max_length=1000)
    verdicts: dict = Field(default_factory=dict, sa_type=sa.JSON)  # goal id → the family's verdict (the Resultaat)
    resultaat_url: str = Field(default="", max_length=1000)
    resultaat_sent: dict = Field(default_factory=dict, sa_type=sa.JSON)  # the Resultaat the ZRC last accepted
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ZgwRegistration(SQLModel, table=True):
    """One outbox event in the ZRC: registered, skipped (nothing to send), waiting for another attempt, or dead."""

    __tablename__ = "zgw_registration"
    __table_args__ = (
        sa.CheckConstraint("status IN ('pending', 'registered', 'skipped', 'dead')", name="status_known"),
        sa.Index("ix_zgw_registration_due", "status", "next_attempt_at"),
    )

    event_id: int = Field(primary_key=True, foreign_key="outbox_event.id", sa_column_kwargs={"autoincrement": False})
    status: str = Field(default="pending", max_length=10)
    attempts: int = 0
    url: str = Field(default="", max_length=1000)  # what the event made or changed: a Status, the Resultaat, a Zaak
    note: str = Field(default="", max_length=300)  # why it was skipped, or the last error
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    registered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
