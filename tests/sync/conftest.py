"""Fixtures for the sync tests: a real OpenID provider issuing JWT client-credentials tokens, seeded databases."""

import uuid

import pytest

from app.extensions import db
from tests.conftest import make_app
from tests.sync.support import RESOURCES


@pytest.fixture(scope="session")
def token_provider():
    """The OpenID provider of the identity tests (npm oidc-provider), with the events API as a resource server."""
    from tests.support.oidc import SYNC_CLIENT, OidcProvider

    provider = OidcProvider([SYNC_CLIENT], resources=RESOURCES).start()
    yield provider
    provider.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request, tmp_path):
    """(app, database URL): the demo family (and its four outbox events) on a file SQLite or a fresh PostgreSQL."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").create_database(f"s_{uuid.uuid4().hex[:12]}")
    else:
        url = f"sqlite:///{tmp_path / 'sync.db'}"
    flask_app = make_app(url, with_plan=True, MAIL_DIR=str(tmp_path / "mail"))
    yield flask_app, url
    with flask_app.app_context():
        db.engine.dispose()
