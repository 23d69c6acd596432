"""results: care start and stop on an assignment, verdicts per goal, the family verdict, the outcome items

Revision ID: 0007_results
Revises: 0006_assignments
Create Date: 2026-11-22 16:50:20.104737
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401

revision = '0007_results'
down_revision = '0006_assignments'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('conversation_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('moment', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('author_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_conversation_note_assignment_id_assignment')),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_conversation_note_author_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_note'))
    )
    with op.batch_alter_table('conversation_note', schema=None) as batch_op:
        batch_op.create_index('ix_conversation_note_assignment_id', ['assignment_id'], unique=False)

    op.create_table('family_verdict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('moment', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('verdict', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('decided_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('corrected_from_id', sa.Integer(), nullable=True),
    sa.Column('corrected_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('correction_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.CheckConstraint("moment IN ('evaluation', 'end')", name=op.f('ck_family_verdict_moment_known')),
    sa.CheckConstraint("verdict IN ('achieved', 'partly', 'not_achieved')", name=op.f('ck_family_verdict_verdict_known')),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_family_verdict_assignment_id_assignment')),
    sa.ForeignKeyConstraint(['corrected_by_id'], ['person.id'], name=op.f('fk_family_verdict_corrected_by_id_person')),
    sa.ForeignKeyConstraint(['corrected_from_id'], ['family_verdict.id'], name=op.f('fk_family_verdict_corrected_from_id_family_verdict')),
    sa.ForeignKeyConstraint(['goal_id'], ['plan_item.id'], name=op.f('fk_family_verdict_goal_id_plan_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_verdict'))
    )
    with op.batch_alter_table('family_verdict', schema=None) as batch_op:
        batch_op.create_index('ix_family_verdict_assignment_id', ['assignment_id'], unique=False)
        batch_op.create_index('uq_family_verdict_current', ['assignment_id', 'moment'], unique=True, postgresql_where=sa.text('current'), sqlite_where=sa.text('current'))

    op.create_table('outcome_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('informant', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('usefulness', sa.Integer(), nullable=False),
    sa.Column('independence', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("independence IN ('01', '02', '03', '04')", name=op.f('ck_outcome_answer_independence_known')),
    sa.CheckConstraint("informant IN ('youth', 'parent')", name=op.f('ck_outcome_answer_informant_known')),
    sa.CheckConstraint('usefulness BETWEEN 1 AND 10', name=op.f('ck_outcome_answer_usefulness_1_to_10')),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_outcome_answer_assignment_id_assignment')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_outcome_answer_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_answer')),
    sa.UniqueConstraint('assignment_id', 'person_id', name='one_answer_per_person')
    )
    with op.batch_alter_table('outcome_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_answer_assignment_id'), ['assignment_id'], unique=False)

    op.create_table('result_verdict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('capacity', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('moment', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('verdict', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('explanation', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('child_voice', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("capacity IN ('youth', 'parent', 'professional', 'provider')", name=op.f('ck_result_verdict_capacity_known')),
    sa.CheckConstraint("moment IN ('evaluation', 'end')", name=op.f('ck_result_verdict_moment_known')),
    sa.CheckConstraint("verdict IN ('achieved', 'partly', 'not_achieved')", name=op.f('ck_result_verdict_verdict_known')),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_result_verdict_assignment_id_assignment')),
    sa.ForeignKeyConstraint(['goal_id'], ['plan_item.id'], name=op.f('fk_result_verdict_goal_id_plan_item')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_result_verdict_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_result_verdict'))
    )
    with op.batch_alter_table('result_verdict', schema=None) as batch_op:
        batch_op.create_index('ix_result_verdict_assignment_moment', ['assignment_id', 'moment'], unique=False)

    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('care_started_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('care_started_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('care_stopped_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('care_stopped_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('stop_reason', sqlmodel.sql.sqltypes.AutoString(length=2), server_default='', nullable=False))
        batch_op.add_column(sa.Column('result_state', sqlmodel.sql.sqltypes.AutoString(length=12), server_default='', nullable=False))
        batch_op.create_index('ix_assignment_offer_id', ['offer_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_assignment_care_stopped_by_id_person'), 'person', ['care_stopped_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_assignment_care_started_by_id_person'), 'person', ['care_started_by_id'], ['id'])

    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partial_result_releases', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_column('partial_result_releases')

    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assignment_care_started_by_id_person'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_assignment_care_stopped_by_id_person'), type_='foreignkey')
        batch_op.drop_index('ix_assignment_offer_id')
        batch_op.drop_column('result_state')
        batch_op.drop_column('stop_reason')
        batch_op.drop_column('care_stopped_by_id')
        batch_op.drop_column('care_stopped_on')
        batch_op.drop_column('care_started_by_id')
        batch_op.drop_column('care_started_on')

    with op.batch_alter_table('result_verdict', schema=None) as batch_op:
        batch_op.drop_index('ix_result_verdict_assignment_moment')

    op.drop_table('result_verdict')
    with op.batch_alter_table('outcome_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_answer_assignment_id'))

    op.drop_table('outcome_answer')
    with op.batch_alter_table('family_verdict', schema=None) as batch_op:
        batch_op.drop_index('uq_family_verdict_current', postgresql_where=sa.text('current'), sqlite_where=sa.text('current'))
        batch_op.drop_index('ix_family_verdict_assignment_id')

    op.drop_table('family_verdict')
    with op.batch_alter_table('conversation_note', schema=None) as batch_op:
        batch_op.drop_index('ix_conversation_note_assignment_id')

    op.drop_table('conversation_note')
