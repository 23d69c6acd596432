"""the catalog search's thesaurus, versioned: each version staff save, with who saved it, when and why

Revision ID: 0020_thesaurus_versions
Revises: 0019_unread_index
Create Date: 2026-12-07 20:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401

revision = '0020_thesaurus_versions'
down_revision = '0019_unread_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'thesaurus_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('created_by_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('created_at', app.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('number'),
    )


def downgrade() -> None:
    op.drop_table('thesaurus_version')
