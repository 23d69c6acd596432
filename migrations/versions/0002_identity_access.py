"""identity and access: login identities, invitations, consent records, access log

Revision ID: 0002_identity_access
Revises: 0001_foundation
Create Date: 2026-11-22 11:22:41.209154
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401
from app.core.db import append_only_sql

revision = '0002_identity_access'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('event', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('actor_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('actor_role', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('on_behalf_of_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('family_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('youth_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('object_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('object_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('chain', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.CheckConstraint("action IN ('read', 'create', 'update', 'delete', 'execute')", name=op.f('ck_access_log_action_known')),
    sa.CheckConstraint("outcome IN ('success', 'refused', 'failed')", name=op.f('ck_access_log_outcome_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log')),
    sa.UniqueConstraint('chain', 'seq', name='one_entry_per_position'),
    sa.UniqueConstraint('hash', name=op.f('uq_access_log_hash'))
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index('ix_access_log_family_time', ['family_id', 'created_at'], unique=False)
        batch_op.create_index('ix_access_log_youth_time', ['youth_id', 'created_at'], unique=False)

    op.create_table('access_log_chain',
    sa.Column('chain', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('chain', name=op.f('pk_access_log_chain'))
    )
    op.create_table('login_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('provider', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('issuer', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_login_identity_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_identity')),
    sa.UniqueConstraint('issuer', 'subject', name='one_person_per_identity')
    )
    with op.batch_alter_table('login_identity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_identity_person_id'), ['person_id'], unique=False)

    op.create_table('consent_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('family_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('youth_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('subject_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('recorded_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("decision IN ('given', 'refused', 'withdrawn')", name=op.f('ck_consent_record_decision_known')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_consent_record_family_id_family')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_consent_record_person_id_person')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['person.id'], name=op.f('fk_consent_record_recorded_by_id_person')),
    sa.ForeignKeyConstraint(['youth_id'], ['person.id'], name=op.f('fk_consent_record_youth_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_record'))
    )
    with op.batch_alter_table('consent_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_record_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_record_person_id'), ['person_id'], unique=False)

    op.create_table('invitation',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('family_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('has_custody', sa.Boolean(), nullable=False),
    sa.Column('given_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('family_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('birthdate', sa.Date(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('invited_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('redeemed_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('redeemed_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.CheckConstraint("has_custody = false OR role = 'parent'", name=op.f('ck_invitation_custody_only_for_parents')),
    sa.CheckConstraint("language IN ('nl', 'fy', 'en')", name=op.f('ck_invitation_language_known')),
    sa.CheckConstraint("role != 'youth' OR birthdate IS NOT NULL", name=op.f('ck_invitation_youth_has_birthdate')),
    sa.CheckConstraint("role IN ('youth', 'parent', 'network')", name=op.f('ck_invitation_role_known')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_invitation_family_id_family')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['person.id'], name=op.f('fk_invitation_invited_by_id_person')),
    sa.ForeignKeyConstraint(['redeemed_by_id'], ['person.id'], name=op.f('fk_invitation_redeemed_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_invitation_code_hash')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_token_hash'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_family_id'), ['family_id'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
    for table in ("access_log", "consent_record"):
        for statement in append_only_sql(table, op.get_bind().dialect.name):
            op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('session_version')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_family_id'))

    op.drop_table('invitation')
    with op.batch_alter_table('consent_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_record_person_id'))
        batch_op.drop_index(batch_op.f('ix_consent_record_family_id'))

    op.drop_table('consent_record')
    with op.batch_alter_table('login_identity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_identity_person_id'))

    op.drop_table('login_identity')
    op.drop_table('access_log_chain')
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index('ix_access_log_youth_time')
        batch_op.drop_index('ix_access_log_family_time')

    op.drop_table('access_log')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS access_log_append_only()")
        op.execute("DROP FUNCTION IF EXISTS consent_record_append_only()")
