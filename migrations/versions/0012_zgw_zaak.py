"""zgw: the Zaak of each plan and complaint in the municipality's ZRC, and each outbox event's registration there

Revision ID: 0012_zgw_zaak
Revises: 0011_api_requests
Create Date: 2026-11-22 21:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401

revision = '0012_zgw_zaak'
down_revision = '0011_api_requests'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('zgw_zaak',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('subject_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('identificatie', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('verdicts', sa.JSON(), nullable=False),
    sa.Column('resultaat_url', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('resultaat_sent', sa.JSON(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("subject_type IN ('plan', 'complaint')", name=op.f('ck_zgw_zaak_subject_type_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zgw_zaak')),
    sa.UniqueConstraint('subject_type', 'subject_id', name='one_zaak_per_subject')
    )
    op.create_table('zgw_registration',
    sa.Column('event_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('next_attempt_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_attempt_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('registered_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'registered', 'skipped', 'dead')", name=op.f('ck_zgw_registration_status_known')),
    sa.ForeignKeyConstraint(['event_id'], ['outbox_event.id'], name=op.f('fk_zgw_registration_event_id_outbox_event')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_zgw_registration'))
    )
    with op.batch_alter_table('zgw_registration', schema=None) as batch_op:
        batch_op.create_index('ix_zgw_registration_due', ['status', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('zgw_registration', schema=None) as batch_op:
        batch_op.drop_index('ix_zgw_registration_due')

    op.drop_table('zgw_registration')
    op.drop_table('zgw_zaak')
