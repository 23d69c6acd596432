"""ratings: invitations, ratings with history, reports, replies, per-offer figures; the redactie role;
the rating notification topics

Revision ID: 0008_ratings
Revises: 0007_results
Create Date: 2026-11-22 16:55:08.165647
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401
from app.core.db import append_only_sql

revision = '0008_ratings'
down_revision = '0007_results'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('offer_rating_figure',
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('trajectories', sa.Integer(), nullable=False),
    sa.Column('ratings', sa.Integer(), nullable=False),
    sa.Column('overall_sum', sa.Integer(), nullable=False),
    sa.Column('average', sa.Float(), nullable=True),
    sa.Column('d1', sa.Integer(), nullable=False),
    sa.Column('d2', sa.Integer(), nullable=False),
    sa.Column('d3', sa.Integer(), nullable=False),
    sa.Column('d4', sa.Integer(), nullable=False),
    sa.Column('d5', sa.Integer(), nullable=False),
    sa.Column('d6', sa.Integer(), nullable=False),
    sa.Column('d7', sa.Integer(), nullable=False),
    sa.Column('d8', sa.Integer(), nullable=False),
    sa.Column('d9', sa.Integer(), nullable=False),
    sa.Column('d10', sa.Integer(), nullable=False),
    sa.Column('heard_sum', sa.Integer(), nullable=False),
    sa.Column('heard_n', sa.Integer(), nullable=False),
    sa.Column('decided_sum', sa.Integer(), nullable=False),
    sa.Column('decided_n', sa.Integer(), nullable=False),
    sa.Column('reachable_sum', sa.Integer(), nullable=False),
    sa.Column('reachable_n', sa.Integer(), nullable=False),
    sa.Column('result_sum', sa.Integer(), nullable=False),
    sa.Column('result_n', sa.Integer(), nullable=False),
    sa.Column('smiley_happy', sa.Integer(), nullable=False),
    sa.Column('smiley_so_so', sa.Integer(), nullable=False),
    sa.Column('smiley_sad', sa.Integer(), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_offer_rating_figure_offer_id_offer')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_offer_rating_figure_provider_id_provider')),
    sa.PrimaryKeyConstraint('offer_id', name=op.f('pk_offer_rating_figure'))
    )
    with op.batch_alter_table('offer_rating_figure', schema=None) as batch_op:
        batch_op.create_index('ix_offer_rating_figure_average', ['average', 'offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offer_rating_figure_provider_id'), ['provider_id'], unique=False)

    op.create_table('rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('family_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('informant', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('overall', sa.Integer(), nullable=True),
    sa.Column('heard', sa.Integer(), nullable=True),
    sa.Column('decided', sa.Integer(), nullable=True),
    sa.Column('reachable', sa.Integer(), nullable=True),
    sa.Column('result', sa.Integer(), nullable=True),
    sa.Column('smiley', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('professional_score', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('reject_reason', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.CheckConstraint("informant IN ('youth', 'parent')", name=op.f('ck_rating_informant_known')),
    sa.CheckConstraint("smiley IS NULL OR smiley IN ('happy', 'so_so', 'sad')", name=op.f('ck_rating_smiley_known')),
    sa.CheckConstraint("status IN ('pending', 'published', 'rejected', 'reported')", name=op.f('ck_rating_status_known')),
    sa.CheckConstraint('decided IS NULL OR decided BETWEEN 1 AND 10', name=op.f('ck_rating_decided_1_to_10')),
    sa.CheckConstraint('heard IS NULL OR heard BETWEEN 1 AND 10', name=op.f('ck_rating_heard_1_to_10')),
    sa.CheckConstraint('overall IS NOT NULL OR smiley IS NOT NULL', name=op.f('ck_rating_has_a_score')),
    sa.CheckConstraint('overall IS NULL OR overall BETWEEN 1 AND 10', name=op.f('ck_rating_overall_1_to_10')),
    sa.CheckConstraint('professional_score IS NULL OR professional_score BETWEEN 1 AND 10', name=op.f('ck_rating_professional_score_1_to_10')),
    sa.CheckConstraint('reachable IS NULL OR reachable BETWEEN 1 AND 10', name=op.f('ck_rating_reachable_1_to_10')),
    sa.CheckConstraint('result IS NULL OR result BETWEEN 1 AND 10', name=op.f('ck_rating_result_1_to_10')),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_rating_assignment_id_assignment')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_rating_family_id_family')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_rating_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_rating_offer_id_offer')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_rating_person_id_person')),
    sa.ForeignKeyConstraint(['professional_id'], ['person.id'], name=op.f('fk_rating_professional_id_person')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_rating_provider_id_provider')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['person.id'], name=op.f('fk_rating_reviewed_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating')),
    sa.UniqueConstraint('assignment_id', 'person_id', name='one_rating_per_person')
    )
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.create_index('ix_rating_offer_status_published', ['offer_id', 'status', 'published_at'], unique=False)
        batch_op.create_index('ix_rating_professional', ['professional_id', 'municipality_id'], unique=False)
        batch_op.create_index('ix_rating_provider_status_published', ['provider_id', 'status', 'published_at'], unique=False)
        batch_op.create_index('ix_rating_status_created', ['status', 'created_at'], unique=False)

    op.create_table('rating_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("reason IN ('ongoing', 'ended')", name=op.f('ck_rating_invitation_reason_known')),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_rating_invitation_assignment_id_assignment')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_rating_invitation_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_invitation')),
    sa.UniqueConstraint('assignment_id', 'person_id', 'reason', name='once_per_reason')
    )
    with op.batch_alter_table('rating_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_invitation_assignment_id'), ['assignment_id'], unique=False)

    op.create_table('rating_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('author_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_rating_reply_author_id_person')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_rating_reply_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], name=op.f('fk_rating_reply_rating_id_rating')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_reply')),
    sa.UniqueConstraint('rating_id', name=op.f('uq_rating_reply_rating_id'))
    )
    op.create_table('rating_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], name=op.f('fk_rating_report_rating_id_rating')),
    sa.ForeignKeyConstraint(['reporter_id'], ['person.id'], name=op.f('fk_rating_report_reporter_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_report'))
    )
    with op.batch_alter_table('rating_report', schema=None) as batch_op:
        batch_op.create_index('ix_rating_report_rating', ['rating_id'], unique=False)

    op.create_table('rating_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('change', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('overall', sa.Integer(), nullable=True),
    sa.Column('heard', sa.Integer(), nullable=True),
    sa.Column('decided', sa.Integer(), nullable=True),
    sa.Column('reachable', sa.Integer(), nullable=True),
    sa.Column('result', sa.Integer(), nullable=True),
    sa.Column('smiley', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('professional_score', sa.Integer(), nullable=True),
    sa.Column('reject_reason', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('changed_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['person.id'], name=op.f('fk_rating_version_changed_by_id_person')),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], name=op.f('fk_rating_version_rating_id_rating')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_version')),
    sa.UniqueConstraint('rating_id', 'seq', name='one_row_per_step')
    )
    for statement in append_only_sql("rating_version", op.get_bind().dialect.name):
        op.execute(statement)
    _swap_check('staff_membership', 'staff_role_known', STAFF_ROLES_OLD, STAFF_ROLES_NEW)
    _swap_check('notification', 'topic_known', TOPICS_OLD, TOPICS_NEW)
    _swap_check('notification_preference', 'topic_known', TOPICS_OLD, TOPICS_NEW)



STAFF_ROLES_OLD = "role IN ('professional', 'provider_staff', 'municipality_staff')"
STAFF_ROLES_NEW = "role IN ('professional', 'provider_staff', 'municipality_staff', 'editor')"
TOPICS_OLD = "topic IN ('agreement_asked', 'plan_fixed', 'action_due', 'goal_changed')"
TOPICS_NEW = ("topic IN ('agreement_asked', 'plan_fixed', 'action_due', 'goal_changed', 'rating_asked', "
              "'rating_checked')")


def _swap_check(table: str, name: str, old: str, new: str) -> None:
    """Replace a check constraint (SQLite rebuilds the table in batch mode from the reflected one)."""
    constraint = op.f(f"ck_{table}_{name}")
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(constraint, type_="check")
        batch_op.create_check_constraint(constraint, new)


def downgrade() -> None:
    op.execute("DELETE FROM notification WHERE topic IN ('rating_asked', 'rating_checked')")
    op.execute("DELETE FROM notification_preference WHERE topic IN ('rating_asked', 'rating_checked')")
    op.execute("DELETE FROM staff_membership WHERE role = 'editor'")
    _swap_check('notification_preference', 'topic_known', TOPICS_NEW, TOPICS_OLD)
    _swap_check('notification', 'topic_known', TOPICS_NEW, TOPICS_OLD)
    _swap_check('staff_membership', 'staff_role_known', STAFF_ROLES_NEW, STAFF_ROLES_OLD)
    op.drop_table('rating_version')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS rating_version_append_only()")
    with op.batch_alter_table('rating_report', schema=None) as batch_op:
        batch_op.drop_index('ix_rating_report_rating')

    op.drop_table('rating_report')
    op.drop_table('rating_reply')
    with op.batch_alter_table('rating_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_invitation_assignment_id'))

    op.drop_table('rating_invitation')
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.drop_index('ix_rating_status_created')
        batch_op.drop_index('ix_rating_provider_status_published')
        batch_op.drop_index('ix_rating_professional')
        batch_op.drop_index('ix_rating_offer_status_published')

    op.drop_table('rating')
    with op.batch_alter_table('offer_rating_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_rating_figure_provider_id'))
        batch_op.drop_index('ix_offer_rating_figure_average')

    op.drop_table('offer_rating_figure')
