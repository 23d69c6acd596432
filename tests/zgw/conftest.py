"""Fixtures for the ZGW tests: the fake ZRC on a free port, the app on SQLite and PostgreSQL.

As in every package: a fixture whose name starts with `any_` runs its tests on SQLite and again on PostgreSQL, the
others on SQLite only. A test asks for the `any_` one when what it checks depends on the database (the outbox's
order per plan, retries and dead events, the stored Zaak and its verdicts, dates of stored events); see
docs/decisions.md, "Which tests run on PostgreSQL"."""

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


def _app(database: str, request, tmp_path, *, with_plan: bool):
    if database == "postgresql":
        url = request.getfixturevalue("postgres").create_database(f"z_{uuid.uuid4().hex[:12]}")
    else:
        url = f"sqlite:///{tmp_path / 'zgw.db'}"
    flask_app = make_app(url, with_plan=with_plan, MAIL_DIR=str(tmp_path / "mail"), RATELIMIT_ENABLED=False,
                         COMPLAINT_FILES_DIR=str(tmp_path / "files"))
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_zgw_app(request, tmp_path):
    """The demo family without a plan (an empty outbox), on a file SQLite and on PostgreSQL."""
    yield from _app(request.param, request, tmp_path, with_plan=False)


@pytest.fixture
def lite_app(request, tmp_path):
    """The same on SQLite only, for the tests that vary the request rather than the database."""
    yield from _app("sqlite", request, tmp_path, with_plan=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_plan_app(request, tmp_path):
    """The demo family with its plan, its care and the four outbox events of it, on SQLite and PostgreSQL."""
    yield from _app(request.param, request, tmp_path, with_plan=True)


@pytest.fixture
def plan_app(request, tmp_path):
    """The same on SQLite only."""
    yield from _app("sqlite", request, tmp_path, with_plan=True)
