"""the gezinsplan: items with versions, agreements, visits, drafts, the outbox; revoked sessions

Revision ID: 0003_plan_content
Revises: 0002_identity_access
Create Date: 2026-11-22 12:01:03.683162
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401

revision = '0003_plan_content'
down_revision = '0002_identity_access'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_type', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('schema_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('aggregate_type', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('aggregate_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'delivered', 'dead')", name=op.f('ck_outbox_event_status_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_event')),
    sa.UniqueConstraint('aggregate_id', 'sequence', name='one_event_per_position'),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_event_idempotency_key'))
    )
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_event_pending', ['status', 'id'], unique=False)

    op.create_table('revoked_session',
    sa.Column('sid', sqlmodel.sql.sqltypes.AutoString(length=43), nullable=False),
    sa.Column('revoked_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sid', name=op.f('pk_revoked_session'))
    )
    op.create_table('draft',
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=True),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_draft_person_id_person')),
    sa.PrimaryKeyConstraint('person_id', 'key', name=op.f('pk_draft'))
    )
    op.create_table('plan_item',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('plan_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('youth_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('goal_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
    sa.Column('result', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
    sa.Column('domain', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('helpers', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('owner_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('is_done', sa.Boolean(), nullable=False),
    sa.Column('done_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('author_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('typed_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('author_youth_age', sa.Integer(), nullable=True),
    sa.Column('withheld_from_parents', sa.Boolean(), nullable=False),
    sa.Column('withheld_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('shared_with_parents', sa.Boolean(), nullable=True),
    sa.Column('released_to_non_custody', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('strength', 'worry', 'goal', 'action', 'safety', 'evaluation', 'own_words')", name=op.f('ck_plan_item_kind_known')),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_plan_item_author_id_person')),
    sa.ForeignKeyConstraint(['goal_id'], ['plan_item.id'], name=op.f('fk_plan_item_goal_id_plan_item')),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], name=op.f('fk_plan_item_owner_id_person')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_item_plan_id_plan')),
    sa.ForeignKeyConstraint(['typed_by_id'], ['person.id'], name=op.f('fk_plan_item_typed_by_id_person')),
    sa.ForeignKeyConstraint(['youth_id'], ['person.id'], name=op.f('fk_plan_item_youth_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_item'))
    )
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.create_index('ix_plan_item_plan_kind', ['plan_id', 'kind', 'position'], unique=False)

    op.create_table('plan_visit',
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('plan_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('previous_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_plan_visit_person_id_person')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_visit_plan_id_plan')),
    sa.PrimaryKeyConstraint('person_id', 'plan_id', name=op.f('pk_plan_visit'))
    )
    op.create_table('agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('goal_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('subject_version', sa.Integer(), nullable=False),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('recorded_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("decision IN ('agree', 'disagree')", name=op.f('ck_agreement_decision_known')),
    sa.ForeignKeyConstraint(['goal_id'], ['plan_item.id'], name=op.f('fk_agreement_goal_id_plan_item')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_agreement_person_id_person')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_agreement_plan_id_plan')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['person.id'], name=op.f('fk_agreement_recorded_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement'))
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index('ix_agreement_plan', ['plan_id', 'created_at'], unique=False)

    op.create_table('item_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('plan_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('change', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('author_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('typed_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('changed_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.CheckConstraint("change IN ('create', 'update', 'delete', 'restore')", name=op.f('ck_item_version_change_known')),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_item_version_author_id_person')),
    sa.ForeignKeyConstraint(['item_id'], ['plan_item.id'], name=op.f('fk_item_version_item_id_plan_item')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_item_version_plan_id_plan')),
    sa.ForeignKeyConstraint(['typed_by_id'], ['person.id'], name=op.f('fk_item_version_typed_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_version')),
    sa.UniqueConstraint('item_id', 'version', name='one_row_per_version')
    )
    with op.batch_alter_table('item_version', schema=None) as batch_op:
        batch_op.create_index('ix_item_version_plan_time', ['plan_id', 'changed_at'], unique=False)

    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('fixed_at', app.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('fixed_count', sa.Integer(), nullable=False, server_default='0'))



def downgrade() -> None:
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('fixed_count')
        batch_op.drop_column('fixed_at')
        batch_op.drop_column('content_version')

    with op.batch_alter_table('item_version', schema=None) as batch_op:
        batch_op.drop_index('ix_item_version_plan_time')

    op.drop_table('item_version')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index('ix_agreement_plan')

    op.drop_table('agreement')
    op.drop_table('plan_visit')
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_item_plan_kind')

    op.drop_table('plan_item')
    op.drop_table('draft')
    op.drop_table('revoked_session')
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_event_pending')

    op.drop_table('outbox_event')
