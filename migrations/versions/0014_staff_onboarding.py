"""staff onboarding: invitations into an organisation (by the functional manager or `flask admin bootstrap`), the
functional manager, organisation admin and auditor roles, and an organisation's AGB code and KvK number

Revision ID: 0014_staff_onboarding
Revises: 0013_complaint_term_reaction
Create Date: 2026-12-07 09:40:00.000000
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401

revision = '0014_staff_onboarding'
down_revision = '0013_complaint_term_reaction'
branch_labels = None
depends_on = None

FAMILY_ROLES = "'youth', 'parent', 'network'"
STAFF_OLD = "'professional', 'provider_staff', 'municipality_staff', 'editor'"
STAFF_NEW = STAFF_OLD + ", 'functional_manager', 'org_admin', 'auditor'"


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agb_code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))
        batch_op.add_column(sa.Column('kvk_number', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))

    with op.batch_alter_table('staff_membership', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_staff_membership_staff_role_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_staff_membership_staff_role_known'), f"role IN ({STAFF_NEW})")

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.alter_column('family_id', existing_type=sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        batch_op.alter_column('invited_by_id', existing_type=sqlmodel.sql.sqltypes.AutoString(length=20),
                              nullable=True)
        batch_op.add_column(sa.Column('organisation_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_invitation_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_invitation_organisation_id_organisation'), 'organisation',
                                    ['organisation_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_invitation_role_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_invitation_role_known'), f"role IN ({FAMILY_ROLES}, {STAFF_NEW})")
        batch_op.create_check_constraint(op.f('ck_invitation_into_one_place'),
                                         "(family_id IS NULL) <> (organisation_id IS NULL)")
        batch_op.create_check_constraint(op.f('ck_invitation_family_role'),
                                         f"family_id IS NULL OR role IN ({FAMILY_ROLES})")
        batch_op.create_check_constraint(op.f('ck_invitation_staff_role'),
                                         f"organisation_id IS NULL OR role IN ({STAFF_NEW})")


def downgrade() -> None:
    op.execute("DELETE FROM invitation WHERE organisation_id IS NOT NULL OR invited_by_id IS NULL")
    op.execute("DELETE FROM staff_membership WHERE role IN ('functional_manager', 'org_admin', 'auditor')")
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_invitation_staff_role'), type_='check')
        batch_op.drop_constraint(op.f('ck_invitation_family_role'), type_='check')
        batch_op.drop_constraint(op.f('ck_invitation_into_one_place'), type_='check')
        batch_op.drop_constraint(op.f('ck_invitation_role_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_invitation_role_known'), f"role IN ({FAMILY_ROLES})")
        batch_op.drop_constraint(batch_op.f('fk_invitation_organisation_id_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_invitation_organisation_id'))
        batch_op.drop_column('organisation_id')
        batch_op.alter_column('invited_by_id', existing_type=sqlmodel.sql.sqltypes.AutoString(length=20),
                              nullable=False)
        batch_op.alter_column('family_id', existing_type=sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False)

    with op.batch_alter_table('staff_membership', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_staff_membership_staff_role_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_staff_membership_staff_role_known'), f"role IN ({STAFF_OLD})")

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('kvk_number')
        batch_op.drop_column('agb_code')
