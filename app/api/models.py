"""Answers kept per request id, so a repeated call (a retry after a timeout) gets the same answer."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow
from app.core.db import UTCDateTime


class ApiRequest(SQLModel, table=True):
    """One successful API call with its request id: what was asked (a hash) and what we answered."""

    __tablename__ = "api_request"
    __table_args__ = (sa.UniqueConstraint("client_id", "request_id", name="one_answer_per_request_id"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: str = Field(max_length=100)
    request_id: str = Field(max_length=36)
    endpoint: str = Field(max_length=60)  # e.g. "decision:<reference>"
    body_hash: str = Field(max_length=64)  # SHA-256 of the canonical JSON body
    status: int
    response: dict = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
