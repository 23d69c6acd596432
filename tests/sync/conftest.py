"""Fixtures for the sync tests: the real OpenID provider issuing JWT client-credentials tokens, seeded databases."""

import uuid

import pytest

from app.extensions import db
from tests.conftest import make_app
from tests.support.oidc import OidcProvider


@pytest.fixture(scope="session")
def token_provider(oidc_provider: OidcProvider) -> OidcProvider:
    """The run's OpenID provider (tests/conftest.py), which gives SYNC_CLIENT tokens for the events audiences."""
    return oidc_provider


def _seeded(url: str, tmp_path):
    flask_app = make_app(url, with_plan=True, MAIL_DIR=str(tmp_path / "mail"))
    yield flask_app, url
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_seeded(request, tmp_path):
    """(app, database URL): the demo family (and its four outbox events) on a file SQLite and on a fresh PostgreSQL,
    for the tests whose outcome depends on the database: the outbox's order and delivery, claiming events. As in
    every package, an `any_` fixture runs its tests on both databases and the others on SQLite only
    (docs/decisions.md, "Which tests run on PostgreSQL")."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").create_database(f"s_{uuid.uuid4().hex[:12]}")
    else:
        url = f"sqlite:///{tmp_path / 'sync.db'}"
    yield from _seeded(url, tmp_path)


@pytest.fixture
def seeded(tmp_path):
    """The same on a file SQLite only."""
    yield from _seeded(f"sqlite:///{tmp_path / 'sync.db'}", tmp_path)
