"""Fixtures for the ZGW tests: the fake ZRC on a free port, the app on SQLite and PostgreSQL."""

import uuid

import pytest

from app.extensions import db
from tests.conftest import make_app
from tests.zgw.fake_zrc import FakeZrc
from tests.zgw.support import CATALOG, CLIENT_ID, SECRET, settings_for


@pytest.fixture
def zrc():
    """The fake ZRC; after the test, every answer it gave must have conformed to the published document."""
    fake = FakeZrc(client_id=CLIENT_ID, secret=SECRET, catalog=CATALOG).start()
    yield fake
    fake.stop()
    assert fake.answer_problems == []


@pytest.fixture
def settings(zrc):
    """Complete ZGW settings pointing at the fake."""
    return settings_for(zrc.url)


def _app(request, tmp_path, *, with_plan: bool):
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").create_database(f"z_{uuid.uuid4().hex[:12]}")
    else:
        url = f"sqlite:///{tmp_path / 'zgw.db'}"
    return make_app(url, with_plan=with_plan, MAIL_DIR=str(tmp_path / "mail"), RATELIMIT_ENABLED=False,
                    COMPLAINT_FILES_DIR=str(tmp_path / "files"))


@pytest.fixture(params=["sqlite", "postgresql"])
def zgw_app(request, tmp_path):
    """The demo family without a plan (an empty outbox), on a file SQLite and on PostgreSQL."""
    flask_app = _app(request, tmp_path, with_plan=False)
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["sqlite"])
def lite_app(request, tmp_path):
    """The same on SQLite only, for the tests that vary the request rather than the database."""
    flask_app = _app(request, tmp_path, with_plan=False)
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def plan_app(request, tmp_path):
    """The demo family with its plan, its care and the four outbox events of it, on SQLite and PostgreSQL."""
    flask_app = _app(request, tmp_path, with_plan=True)
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()
