"""Catalog fixtures: import rows made to measure, and apps with a small or the demo catalog.

As in every package: a fixture whose name starts with `any_` (or is built on one, as `small_app` on `any_app`) runs
its tests on SQLite and again on PostgreSQL, the others on SQLite only. Search (full-text on each database) and the
importer's upserts run on both; see docs/decisions.md, "Which tests run on PostgreSQL"."""

import pytest
from sqlmodel import select

from app.catalog.importer import import_catalog
from app.catalog.models import Offer, Provider, ProviderContract
from app.extensions import db
from app.identity.models import Family, StaffMembership
from tests.conftest import family_id
from tests.plans.conftest import any_plan_app, plan_app  # noqa: F401  (the plan fixtures, for choosing help)

BASE = {
    "offer_id": "o1", "offer_name": "Thuisbegeleiding", "description_nl": "Hulp bij het opvoeden thuis.",
    "product_category": "45", "form": "home", "age_min": "0", "age_max": "18", "waiting_weeks": "3",
    "waiting_updated_on": "2026-11-03", "provider_id": "p1", "provider_name": "De Terp Jeugdhulp",
    "agb_code": "98000101", "location_address": "Tuinen 1", "location_postcode": "8911 KD",
    "location_city": "Leeuwarden", "location_cbs": "0080", "languages": "nl|fy",
    "contracted_municipalities": "0080|0090", "themes": "opvoeden",
}


def row(**changes) -> dict:
    """An import row that loads, with some fields changed."""
    return {**BASE, **{key: str(value) for key, value in changes.items()}}


# Five offers that each filter can tell apart.
SMALL_CATALOG = [
    row(offer_id="angst-lwd", offer_name="Hulp bij angst", description_nl="Je leert omgaan met angst.",
        themes="angst", waiting_weeks=2, age_min=8, age_max=18, product_category="54", form="provider"),
    row(offer_id="opvoed-lwd", offer_name="Opvoedhulp thuis", themes="opvoeden", waiting_weeks=10),
    row(offer_id="autisme-drachten", offer_name="Autisme thuisbegeleiding", themes="autisme", waiting_weeks=1,
        provider_id="p2", provider_name="Sinnekrûd Gezinsbegeleiding", agb_code="98000102", languages="nl",
        contracted_municipalities="0090", location_address="Markt 3", location_postcode="9201 AB",
        location_city="Drachten", location_cbs="0090", age_min=4, age_max=12),
    row(offer_id="scheiding-roosendaal", offer_name="Kinderen in scheiding", themes="scheiding", waiting_weeks=0,
        provider_id="p3", provider_name="De Markiezaat Jeugdhulp", agb_code="98000103", languages="nl|en",
        contracted_municipalities="1674", location_address="Markt 1", location_postcode="4701 AA",
        location_city="Roosendaal", location_cbs="1674", form="online", age_min=6, age_max=16),
    row(offer_id="trauma-sneek", offer_name="Traumabehandeling", description_nl="EMDR bij nare ervaringen.",
        themes="trauma", waiting_weeks=6, provider_id="p4", provider_name="Op 'e Hichte Jeugd-ggz",
        agb_code="98000104", languages="nl|fy", contracted_municipalities="0080|1900", location_address="Wip 2",
        location_postcode="8601 AA", location_city="Sneek", location_cbs="1900", product_category="54",
        form="provider", age_min=4, age_max=23),
]


def load(app, rows: list[dict]):
    """Import rows (numbered from line 2, as under a CSV header) and commit; return the report."""
    with app.test_request_context(), db.new_session() as session:
        return import_catalog(session, enumerate(rows, start=2))


@pytest.fixture
def small_app(any_app):
    """The app (SQLite and PostgreSQL) with the five offers of SMALL_CATALOG."""
    report = load(any_app, SMALL_CATALOG)
    assert report.ok, report.errors
    return any_app


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The app on SQLite with the full demo seed, the demo catalog included (shared by a module's tests)."""
    from tests.conftest import make_app

    flask_app = make_app(MAIL_DIR=str(tmp_path_factory.mktemp("mail")), with_plan=True, RATELIMIT_ENABLED=False)
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


def fitting_offer(app, *, age: int, contracted: bool = True, organisation_of: str | None = None) -> int:
    """An offer for this age whose provider the demo family's municipality does (or does not) contract."""
    family = db.session.get(Family, family_id(app))
    contracted_ids = select(ProviderContract.provider_id).where(
        ProviderContract.municipality_id == family.municipality_id)
    query = select(Offer).where(Offer.age_min <= age, Offer.age_max >= age)
    query = query.where(Offer.provider_id.in_(contracted_ids) if contracted else Offer.provider_id.not_in(
        contracted_ids))
    if organisation_of is not None:
        staff = db.session.exec(select(StaffMembership).where(StaffMembership.person_id == organisation_of)).one()
        query = query.join(Provider).where(Provider.organisation_id == staff.organisation_id)
    return db.session.exec(query.order_by(Offer.id)).first().id
