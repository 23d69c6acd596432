"""notifications and their preferences

Revision ID: 0004_notifications
Revises: 0003_plan_content
Create Date: 2026-11-22 14:00:00
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401

revision = '0004_notifications'
down_revision = '0003_plan_content'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notification_preference',
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('is_on', sa.Boolean(), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("channel IN ('app', 'email')", name=op.f('ck_notification_preference_channel_known')),
    sa.CheckConstraint("topic IN ('agreement_asked', 'plan_fixed', 'action_due', 'goal_changed')", name=op.f('ck_notification_preference_topic_known')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_notification_preference_person_id_person')),
    sa.PrimaryKeyConstraint('person_id', 'topic', 'channel', name=op.f('pk_notification_preference'))
    )
    op.create_table('goal_follow',
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('item_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('is_following', sa.Boolean(), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['plan_item.id'], name=op.f('fk_goal_follow_item_id_plan_item')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_goal_follow_person_id_person')),
    sa.PrimaryKeyConstraint('person_id', 'item_id', name=op.f('pk_goal_follow'))
    )
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('family_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('plan_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('item_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('actor_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('in_app', sa.Boolean(), nullable=False),
    sa.Column('mail', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('digested_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("mail IN ('none', 'instant', 'digest')", name=op.f('ck_notification_mail_known')),
    sa.CheckConstraint("topic IN ('agreement_asked', 'plan_fixed', 'action_due', 'goal_changed')", name=op.f('ck_notification_topic_known')),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], name=op.f('fk_notification_actor_id_person')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_notification_family_id_family')),
    sa.ForeignKeyConstraint(['item_id'], ['plan_item.id'], name=op.f('fk_notification_item_id_plan_item')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_notification_person_id_person')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_notification_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('person_id', 'dedupe_key', name='once_per_key')
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_mail_pending', ['mail', 'emailed_at', 'digested_at'], unique=False)
        batch_op.create_index('ix_notification_person_created', ['person_id', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_person_created')
        batch_op.drop_index('ix_notification_mail_pending')

    op.drop_table('notification')
    op.drop_table('goal_follow')
    op.drop_table('notification_preference')
