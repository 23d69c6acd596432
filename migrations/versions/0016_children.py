"""children and young people in their own words: a goal's child text and a child's picture on plan items, each
person's choice of plan view, and the "Hoe gaat het?" check-ins

Revision ID: 0016_children
Revises: 0015_provider_side
Create Date: 2026-12-07 15:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401

revision = '0016_children'
down_revision = '0015_provider_side'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('child_text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('picture', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_view', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
        batch_op.create_check_constraint(op.f('ck_person_plan_view_known'),
                                         "plan_view IS NULL OR plan_view IN ('adult', 'own')")
    op.create_table(
        'check_in',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('typed_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('age', sa.Integer(), nullable=False),
        sa.Column('face', sa.Integer(), nullable=False),
        sa.Column('created_at', app.core.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint('face BETWEEN 1 AND 5', name=op.f('ck_check_in_face_1_to_5')),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_check_in_person_id_person')),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_check_in_plan_id_plan')),
        sa.ForeignKeyConstraint(['typed_by_id'], ['person.id'], name=op.f('fk_check_in_typed_by_id_person')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in')),
    )
    op.create_index('ix_check_in_plan_person_time', 'check_in', ['plan_id', 'person_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_check_in_plan_person_time', table_name='check_in')
    op.drop_table('check_in')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_person_plan_view_known'), type_='check')
        batch_op.drop_column('plan_view')
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.drop_column('picture')
        batch_op.drop_column('child_text')
