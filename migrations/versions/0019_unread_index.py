"""the header's unread count: a partial index on the unread notifications of each person, newest first by id

Revision ID: 0019_unread_index
Revises: 0018_dossier_rights
Create Date: 2026-12-07 19:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0019_unread_index'
down_revision = '0018_dossier_rights'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_unread', ['person_id', 'id'], unique=False,
                              sqlite_where=sa.text('read_at IS NULL'), postgresql_where=sa.text('read_at IS NULL'))


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_unread', sqlite_where=sa.text('read_at IS NULL'),
                            postgresql_where=sa.text('read_at IS NULL'))
