"""assignments: help chosen for a goal, confirmed, and the municipality's answer; no more unused drafts table

Revision ID: 0006_assignments
Revises: 0005_catalog
Create Date: 2026-11-22 15:00:00
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401

revision = '0006_assignments'
down_revision = '0005_catalog'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'assignment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('plan_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('family_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('goal_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('offer_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('product_category', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column('product_code', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column('requested_start', sa.Date(), nullable=True),
        sa.Column('volume', sa.Integer(), nullable=True),
        sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column('frequency', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
        sa.Column('referrer_type', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column('chosen_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('chosen_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('confirmed_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column('confirmed_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('assignment_number', sa.Integer(), nullable=True),
        sa.Column('assigned_start', sa.Date(), nullable=True),
        sa.Column('assigned_end', sa.Date(), nullable=True),
        sa.Column('refusal_reason', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
        sa.Column('decided_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('chosen', 'requested', 'examining', 'assigned', 'refused', 'withdrawn')",
                           name=op.f('ck_assignment_status_known')),
        sa.CheckConstraint('assignment_number IS NULL OR (assignment_number BETWEEN 1 AND 999999999)',
                           name=op.f('ck_assignment_number_fits_ijw')),
        sa.ForeignKeyConstraint(['chosen_by_id'], ['person.id'], name=op.f('fk_assignment_chosen_by_id_person')),
        sa.ForeignKeyConstraint(['confirmed_by_id'], ['person.id'],
                                name=op.f('fk_assignment_confirmed_by_id_person')),
        sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_assignment_family_id_family')),
        sa.ForeignKeyConstraint(['goal_id'], ['plan_item.id'], name=op.f('fk_assignment_goal_id_plan_item')),
        sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_assignment_offer_id_offer')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_assignment_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_assignment_plan_id_plan')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment')),
        sa.UniqueConstraint('reference', name=op.f('uq_assignment_reference')),
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index('ix_assignment_goal_status', ['goal_id', 'status'], unique=False)
        batch_op.create_index('ix_assignment_organisation_status', ['organisation_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_plan_id'), ['plan_id'], unique=False)
    op.drop_table('draft')  # never used: drafts stay on the device until saved (docs/decisions.md)


def downgrade() -> None:
    op.create_table('draft',
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=True),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_draft_person_id_person')),
    sa.PrimaryKeyConstraint('person_id', 'key', name=op.f('pk_draft'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_plan_id'))
        batch_op.drop_index('ix_assignment_organisation_status')
        batch_op.drop_index('ix_assignment_goal_status')
    op.drop_table('assignment')
