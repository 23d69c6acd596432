"""sync delivery: next attempt, last attempt and last error per outbox event; the SQLite worker lock

Revision ID: 0010_sync_delivery
Revises: 0009_complaints
Create Date: 2026-11-22 19:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401

revision = '0010_sync_delivery'
down_revision = '0009_complaints'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', app.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_attempt_at', app.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False,
                                      server_default=''))
        batch_op.create_index('ix_outbox_event_due', ['status', 'next_attempt_at'], unique=False)
    op.create_table('sync_worker_lock',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('holder', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('heartbeat_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_sync_worker_lock'))
    )


def downgrade() -> None:
    op.drop_table('sync_worker_lock')
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_event_due')
        batch_op.drop_column('last_error')
        batch_op.drop_column('last_attempt_at')
        batch_op.drop_column('next_attempt_at')
