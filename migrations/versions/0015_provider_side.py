"""the provider's side: progress notes and reactions on an assigned goal (plan items of kind 'note' and 'reaction',
a reaction naming its note), the colleague who handles an assigned goal (behandelaar), and the provider's
notification topics

Revision ID: 0015_provider_side
Revises: 0014_staff_onboarding
Create Date: 2026-12-07 11:45:00.000000
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401

revision = '0015_provider_side'
down_revision = '0014_staff_onboarding'
branch_labels = None
depends_on = None

KINDS_OLD = "kind IN ('strength', 'worry', 'goal', 'action', 'safety', 'evaluation', 'own_words')"
KINDS_NEW = "kind IN ('strength', 'worry', 'goal', 'action', 'safety', 'evaluation', 'own_words', 'note', 'reaction')"
TOPICS_OLD = ("topic IN ('agreement_asked', 'plan_fixed', 'action_due', 'goal_changed', 'rating_asked', "
              "'rating_checked')")
NEW_TOPICS = ("'assignment_new', 'goal_agreement', 'verdict_given', 'complaint_filed', 'rating_to_reply', "
              "'progress_note'")
TOPICS_NEW = TOPICS_OLD[:-1] + ", " + NEW_TOPICS + ")"


def _swap_check(table: str, name: str, old: str, new: str) -> None:
    """Replace a check constraint (SQLite rebuilds the table in batch mode from the reflected one)."""
    constraint = op.f(f"ck_{table}_{name}")
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(constraint, type_="check")
        batch_op.create_check_constraint(constraint, new)


def upgrade() -> None:
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_to_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_plan_item_reply_to_id'), ['reply_to_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_plan_item_reply_to_id_plan_item'), 'plan_item',
                                    ['reply_to_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_plan_item_kind_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_plan_item_kind_known'), KINDS_NEW)
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handler_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_assignment_handler_id_person'), 'person', ['handler_id'], ['id'])
    _swap_check('notification', 'topic_known', TOPICS_OLD, TOPICS_NEW)
    _swap_check('notification_preference', 'topic_known', TOPICS_OLD, TOPICS_NEW)


def downgrade() -> None:
    new = NEW_TOPICS
    op.execute(f"DELETE FROM notification WHERE topic IN ({new})")
    op.execute(f"DELETE FROM notification_preference WHERE topic IN ({new})")
    _swap_check('notification_preference', 'topic_known', TOPICS_NEW, TOPICS_OLD)
    _swap_check('notification', 'topic_known', TOPICS_NEW, TOPICS_OLD)
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assignment_handler_id_person'), type_='foreignkey')
        batch_op.drop_column('handler_id')
    op.execute("DELETE FROM item_version WHERE item_id IN (SELECT id FROM plan_item WHERE kind IN ('note', "
               "'reaction'))")
    op.execute("DELETE FROM plan_item WHERE kind = 'reaction'")
    op.execute("DELETE FROM plan_item WHERE kind = 'note'")
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_plan_item_kind_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_plan_item_kind_known'), KINDS_OLD)
        batch_op.drop_constraint(batch_op.f('fk_plan_item_reply_to_id_plan_item'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_plan_item_reply_to_id'))
        batch_op.drop_column('reply_to_id')
