"""the Jeugdhulpcatalogus: providers, offers, search index

Revision ID: 0005_catalog
Revises: 0004_notifications
Create Date: 2026-11-22 14:00:00
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import app.core.db  # noqa: F401

revision = '0005_catalog'
down_revision = '0004_notifications'
branch_labels = None
depends_on = None

# The search index is raw SQL, kept in one place with the code that queries it (a copy would drift):
# SQLite gets an FTS5 table, PostgreSQL a generated tsvector column with a GIN index.
from app.catalog import fulltext  # noqa: E402


def upgrade() -> None:
    op.create_table('provider',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('organisation_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('agb_code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('kvk_number', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('website', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('complaint_regime', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('complaint_officer', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('complaint_phone', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('complaint_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("complaint_regime IN ('jeugdwet', 'wkkgz')", name=op.f('ck_provider_regime_known')),
    sa.CheckConstraint('length(agb_code) = 8', name=op.f('ck_provider_agb_has_8_digits')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_provider_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider')),
    sa.UniqueConstraint('external_id', name=op.f('uq_provider_external_id'))
    )
    with op.batch_alter_table('provider', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_agb_code'), ['agb_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_provider_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('provider_contract',
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_provider_contract_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_provider_contract_provider_id_provider')),
    sa.PrimaryKeyConstraint('provider_id', 'municipality_id', name=op.f('pk_provider_contract'))
    )
    with op.batch_alter_table('provider_contract', schema=None) as batch_op:
        batch_op.create_index('ix_provider_contract_municipality_provider', ['municipality_id', 'provider_id'], unique=False)

    op.create_table('provider_language',
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_provider_language_provider_id_provider')),
    sa.PrimaryKeyConstraint('provider_id', 'language', name=op.f('pk_provider_language'))
    )
    with op.batch_alter_table('provider_language', schema=None) as batch_op:
        batch_op.create_index('ix_provider_language_language_provider', ['language', 'provider_id'], unique=False)

    op.create_table('provider_location',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('postcode', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_provider_location_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_provider_location_provider_id_provider')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_location')),
    sa.UniqueConstraint('provider_id', 'postcode', 'address', name='one_per_address')
    )
    with op.batch_alter_table('provider_location', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_location_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_provider_location_provider_id'), ['provider_id'], unique=False)

    op.create_table('offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description_nl', sa.Text(), nullable=False),
    sa.Column('description_fy', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('product_category', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('product_code', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('form', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('age_min', sa.Integer(), nullable=False),
    sa.Column('age_max', sa.Integer(), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('is_effective_intervention', sa.Boolean(), nullable=False),
    sa.Column('intensity', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('waiting_weeks', sa.Integer(), nullable=False),
    sa.Column('waiting_updated_on', sa.Date(), nullable=False),
    sa.Column('funding', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("form IN ('home', 'provider', 'day', 'stay', 'online')", name=op.f('ck_offer_form_known')),
    sa.CheckConstraint("funding IN ('result', 'effort', 'task')", name=op.f('ck_offer_funding_known')),
    sa.CheckConstraint('age_min >= 0 AND age_max >= age_min AND age_max <= 27', name=op.f('ck_offer_ages_make_sense')),
    sa.CheckConstraint('waiting_weeks >= 0', name=op.f('ck_offer_waiting_not_negative')),
    sa.ForeignKeyConstraint(['location_id'], ['provider_location.id'], name=op.f('fk_offer_location_id_provider_location')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_offer_provider_id_provider')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer')),
    sa.UniqueConstraint('external_id', name=op.f('uq_offer_external_id'))
    )
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.create_index('ix_offer_category_waiting', ['product_category', 'waiting_weeks'], unique=False)
        batch_op.create_index('ix_offer_filters', ['id', 'waiting_weeks', 'name', 'age_min', 'age_max', 'product_category', 'form', 'provider_id', 'location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offer_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offer_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index('ix_offer_waiting_name', ['waiting_weeks', 'name'], unique=False)

    op.create_table('offer_theme',
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('theme', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_offer_theme_offer_id_offer')),
    sa.PrimaryKeyConstraint('offer_id', 'theme', name=op.f('pk_offer_theme'))
    )
    with op.batch_alter_table('offer_theme', schema=None) as batch_op:
        batch_op.create_index('ix_offer_theme_theme_offer', ['theme', 'offer_id'], unique=False)

    with op.batch_alter_table('family', schema=None) as batch_op:
        batch_op.add_column(sa.Column('postcode', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True))

    for statement in fulltext.ddl(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": fulltext.SQLITE_DROP, "postgresql": fulltext.POSTGRES_DROP}.get(dialect, []):
        op.execute(statement)
    with op.batch_alter_table('family', schema=None) as batch_op:
        batch_op.drop_column('postcode')

    with op.batch_alter_table('offer_theme', schema=None) as batch_op:
        batch_op.drop_index('ix_offer_theme_theme_offer')

    op.drop_table('offer_theme')
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.drop_index('ix_offer_waiting_name')
        batch_op.drop_index(batch_op.f('ix_offer_provider_id'))
        batch_op.drop_index(batch_op.f('ix_offer_location_id'))
        batch_op.drop_index('ix_offer_filters')
        batch_op.drop_index('ix_offer_category_waiting')

    op.drop_table('offer')
    with op.batch_alter_table('provider_location', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_location_provider_id'))
        batch_op.drop_index(batch_op.f('ix_provider_location_municipality_id'))

    op.drop_table('provider_location')
    with op.batch_alter_table('provider_language', schema=None) as batch_op:
        batch_op.drop_index('ix_provider_language_language_provider')

    op.drop_table('provider_language')
    with op.batch_alter_table('provider_contract', schema=None) as batch_op:
        batch_op.drop_index('ix_provider_contract_municipality_provider')

    op.drop_table('provider_contract')
    with op.batch_alter_table('provider', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_provider_agb_code'))

    op.drop_table('provider')
