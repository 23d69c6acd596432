"""the betrokkene's own statement on an item of the plan (Jeugdwet 7.3.8 lid 2): plan items of kind 'statement',
naming the item they are about

Revision ID: 0017_statements
Revises: 0016_children
Create Date: 2026-12-07 15:30:00.000000
"""

from alembic import op

revision = '0017_statements'
down_revision = '0016_children'
branch_labels = None
depends_on = None

KINDS_OLD = "kind IN ('strength', 'worry', 'goal', 'action', 'safety', 'evaluation', 'own_words', 'note', 'reaction')"
KINDS_NEW = ("kind IN ('strength', 'worry', 'goal', 'action', 'safety', 'evaluation', 'own_words', 'note', "
             "'reaction', 'statement')")


def _kinds(check: str) -> None:
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_plan_item_kind_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_plan_item_kind_known'), check)


def upgrade() -> None:
    _kinds(KINDS_NEW)


def downgrade() -> None:
    op.execute("DELETE FROM item_version WHERE item_id IN (SELECT id FROM plan_item WHERE kind = 'statement')")
    op.execute("DELETE FROM plan_item WHERE kind = 'statement'")
    _kinds(KINDS_OLD)
