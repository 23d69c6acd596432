"""the family's rights over its dossier: requests to destroy (Jeugdwet 7.3.9), the retention job's reports, the
anonymous figures kept of destroyed dossiers, the signed start of a pruned access-log chain, and the permit that
lets one transaction delete rows of the append-only tables (updates stay refused); the second professional consulted
before an item is withheld from the parents, and their opinion

Revision ID: 0018_dossier_rights
Revises: 0017_statements
Create Date: 2026-12-07 17:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401
from app.core.db import append_only_sql, erasable_append_only_sql

revision = '0018_dossier_rights'
down_revision = '0017_statements'
branch_labels = None
depends_on = None


APPEND_ONLY = ("access_log", "consent_record", "complaint_event", "rating_version")


def _triggers(make) -> None:
    """Put the triggers `make` writes in place of the append-only tables' present ones."""
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
            for statement in make(table, dialect):
                op.execute(statement)
        elif dialect == "postgresql":
            op.execute(make(table, dialect)[0])  # the function; the trigger that calls it stays


def upgrade() -> None:
    op.create_table('access_log_checkpoint',
    sa.Column('chain', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('pruned_before', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('chain', name=op.f('pk_access_log_checkpoint'))
    )
    op.create_table('destruction_permit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_destruction_permit'))
    )
    op.create_table('destruction_request',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('family_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('plan_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('item_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('item_kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('required_ids', sa.JSON(), nullable=False),
    sa.Column('asked_ids', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('asked_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decide_by', sa.Date(), nullable=True),
    sa.Column('decided_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('refusal_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('destroyed', sa.JSON(), nullable=False),
    sa.CheckConstraint("scope IN ('item', 'dossier')", name=op.f('ck_destruction_request_scope_known')),
    sa.CheckConstraint("status IN ('waiting', 'asked', 'refused', 'destroyed')", name=op.f('ck_destruction_request_status_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_destruction_request'))
    )
    with op.batch_alter_table('destruction_request', schema=None) as batch_op:
        batch_op.create_index('ix_destruction_request_family_status', ['family_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_destruction_request_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('dossier_job_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('started_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('families_due', sa.Integer(), nullable=False),
    sa.Column('families_destroyed', sa.Integer(), nullable=False),
    sa.Column('rows_destroyed', sa.Integer(), nullable=False),
    sa.Column('log_entries_pruned', sa.Integer(), nullable=False),
    sa.Column('files_removed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_job_report'))
    )
    op.create_table('retained_figure',
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('municipality_id', 'year', 'name', name=op.f('pk_retained_figure'))
    )
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withheld_consulted', sqlmodel.sql.sqltypes.AutoString(length=200),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('withheld_opinion', sqlmodel.sql.sqltypes.AutoString(length=1000),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('withheld_at', app.core.db.UTCDateTime(timezone=True), nullable=True))
    _triggers(erasable_append_only_sql)


def downgrade() -> None:
    _triggers(append_only_sql)
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.drop_column('withheld_at')
        batch_op.drop_column('withheld_opinion')
        batch_op.drop_column('withheld_consulted')
    op.drop_table('retained_figure')
    op.drop_table('dossier_job_report')
    with op.batch_alter_table('destruction_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_destruction_request_municipality_id'))
        batch_op.drop_index('ix_destruction_request_family_status')

    op.drop_table('destruction_request')
    op.drop_table('destruction_permit')
    op.drop_table('access_log_checkpoint')
