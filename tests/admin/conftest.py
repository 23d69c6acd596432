"""Admin fixtures: an empty app (no demo) in which each test makes its municipality and people."""

import pytest

from app.extensions import db
from tests import factories


@pytest.fixture
def bare_app(tmp_path):
    """The app on SQLite with empty tables."""
    flask_app = factories.empty_app(MAIL_DIR=str(tmp_path / "mail"), SITE_URL="https://onsplan.example")
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()
