"""complaints: the provider's complaint term from the catalog, its reaction after the judgement, and the staff
member who gives the family's help (kept out of handling while a colleague can)

Revision ID: 0013_complaint_term_reaction
Revises: 0012_zgw_zaak
Create Date: 2026-11-22 23:30:00.000000
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401

revision = '0013_complaint_term_reaction'
down_revision = '0012_zgw_zaak'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('provider', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complaint_term_weeks', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_provider_complaint_term_weeks_known'),
            'complaint_term_weeks IS NULL OR complaint_term_weeks BETWEEN 1 AND 26')

    with op.batch_alter_table('complaint_part', schema=None) as batch_op:
        batch_op.add_column(sa.Column('involved_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('term_weeks', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reaction_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reaction', sa.Text(), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_complaint_part_involved_id_person'), 'person', ['involved_id'],
                                    ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_complaint_part_term_weeks_known'),
                                         'term_weeks IS NULL OR term_weeks BETWEEN 1 AND 26')


def downgrade() -> None:
    with op.batch_alter_table('complaint_part', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_complaint_part_term_weeks_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_complaint_part_involved_id_person'), type_='foreignkey')
        batch_op.drop_column('reaction')
        batch_op.drop_column('reaction_on')
        batch_op.drop_column('term_weeks')
        batch_op.drop_column('involved_id')

    with op.batch_alter_table('provider', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_provider_complaint_term_weeks_known'), type_='check')
        batch_op.drop_column('complaint_term_weeks')
