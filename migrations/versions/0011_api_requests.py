"""api requests: the answers of the inbound API kept per client and request id (idempotent retries)

Revision ID: 0011_api_requests
Revises: 0010_sync_delivery
Create Date: 2026-11-22 20:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401

revision = '0011_api_requests'
down_revision = '0010_sync_delivery'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('request_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('endpoint', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('body_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_request')),
    sa.UniqueConstraint('client_id', 'request_id', name='one_answer_per_request_id')
    )


def downgrade() -> None:
    op.drop_table('api_request')
