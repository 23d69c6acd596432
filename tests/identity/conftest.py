"""Identity fixtures: an empty app for the tests that make the people they check (tests/factories.py)."""


import pytest

from app.extensions import db
from tests import factories
from tests.conftest import database_url


@pytest.fixture
def bare_app(tmp_path):
    """The app on SQLite with empty tables: no demo family, only what the test makes."""
    flask_app = factories.empty_app(MAIL_DIR=str(tmp_path / "mail"))
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_bare_app(request, tmp_path):
    """The empty app on SQLite and, in a second run, on PostgreSQL: for what depends on the database."""
    url = database_url(request, tmp_path, "bare")
    flask_app = factories.empty_app(url, MAIL_DIR=str(tmp_path / "mail"))
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()
