"""The demo seed inserts its catalog in bulk: the same rows, ids and search index as the importer leaves behind."""

import random
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.catalog import bulk
from app.catalog.search import SearchQuery, search_offers
from app.core import clock, ids
from app.demo.catalog import demo_rows, seed_catalog
from app.extensions import db
from tests.conftest import make_app

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
SEARCHES = [{"text": "angst"}, {"text": "opvoeding thuis"}, {"text": "begel"}, {"text": "Kompas"},
            {"theme": "scheiding", "sort": "waiting"},
            {"postcode": "8924 AB", "max_km": 25, "sort": "distance", "age": 9},
            {"language": "fy", "municipality": "0080", "page": 2}]


class FrozenDatetime(datetime):
    """Every clock reading is NOW, so both loads stamp the same times."""

    @classmethod
    def now(cls, tz=None):
        return NOW.astimezone(tz)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def both_ways(request, tmp_path_factory):
    """Two fresh copies of the demo family on SQLite or PostgreSQL, the demo catalog seeded into one in bulk and into
    the other through the importer, at the same frozen time; yields the two apps and the two reports."""
    apps, reports = [], []
    for in_bulk in (True, False):
        if request.param == "postgresql":
            url = request.getfixturevalue("postgres").create_database(f"t_{uuid.uuid4().hex[:12]}")
        else:
            url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        apps.append(make_app(url, MAIL_DIR=str(tmp_path_factory.mktemp("mail"))))
        with pytest.MonkeyPatch.context() as patch:
            reports.append(seed(apps[-1], patch, in_bulk=in_bulk))
    yield apps, reports
    for flask_app in apps:
        with flask_app.app_context():
            db.engine.dispose()


def seed(flask_app, monkeypatch: pytest.MonkeyPatch, *, in_bulk: bool):
    """Seed the demo catalog in bulk or through the importer, at NOW and with a fixed sequence of random ids."""
    monkeypatch.setattr(clock, "datetime", FrozenDatetime)
    monkeypatch.setattr(ids, "secrets", random.Random(16))  # new organisations get the same ids both ways
    if not in_bulk:
        monkeypatch.setattr(bulk, "is_new", lambda _session, _rows: False)
    with flask_app.test_request_context(), db.new_session() as session:
        return seed_catalog(session)


def every_table(flask_app) -> dict[str, list[tuple]]:
    """Every table's rows, sorted (SQLite's search index and PostgreSQL's search column included)."""
    with flask_app.app_context(), db.engine.connect() as conn:
        names = sa.inspect(conn).get_table_names()
        return {name: sorted((tuple(row) for row in conn.execute(sa.text(f'SELECT * FROM "{name}"'))), key=repr)
                for name in names}


def found(flask_app, search: dict) -> tuple[int, list[str]]:
    """How many offers a search finds, and the external ids of its page."""
    with flask_app.test_request_context():
        result = search_offers(db.session, query=SearchQuery(**search))
        return result.total, [offer.external_id for offer in result.offers]


def test_the_bulk_seed_writes_exactly_what_the_importer_writes(both_ways):
    (in_bulk, imported), (bulk_report, import_report) = both_ways
    rows = len(demo_rows())
    assert (bulk_report.created, bulk_report.providers) == (import_report.created, import_report.providers) == (
        rows, 44)
    bulk_tables, imported_tables = every_table(in_bulk), every_table(imported)
    assert bulk_tables.keys() == imported_tables.keys()
    assert len(bulk_tables["offer"]) == rows
    for name, table_rows in imported_tables.items():
        assert bulk_tables[name] == table_rows, name


@pytest.mark.parametrize("search", SEARCHES, ids=lambda search: ",".join(f"{k}={v}" for k, v in search.items()))
def test_search_finds_the_same_offers_after_either_seed(both_ways, search):
    (in_bulk, imported), _reports = both_ways
    total, offers = found(in_bulk, search)
    assert offers
    assert (total, offers) == found(imported, search)


def test_seeding_again_after_a_bulk_seed_finds_every_offer_unchanged(any_app, monkeypatch):
    seed(any_app, monkeypatch, in_bulk=True)
    again = seed(any_app, monkeypatch, in_bulk=True)  # the catalog is there now: the importer refreshes it
    assert (again.unchanged, again.created, again.updated, again.errors) == (len(demo_rows()), 0, 0, [])
