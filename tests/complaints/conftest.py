"""Complaint fixtures: the demo family with its plan and care (Tom's help at Kompas).

As in every package: a fixture whose name starts with `any_` runs its tests on SQLite and again on PostgreSQL, the
others on SQLite only. A test asks for the `any_` one when what it checks depends on the database (constraints,
the append-only trigger, the audit chain, stored text, the outbox); see docs/decisions.md, "Which tests run on
PostgreSQL"."""


import pytest
from sqlmodel import select

from app.catalog.models import Provider
from app.demo.services import demo_people
from app.extensions import db
from tests.conftest import database_url, make_app


def _app(url: str, tmp_path):
    return make_app(url, with_plan=True, MAIL_DIR=str(tmp_path / "mail"), RATELIMIT_ENABLED=False,
                    COMPLAINT_FILES_DIR=str(tmp_path / "files"))


@pytest.fixture(params=["sqlite", "postgresql"])
def any_complaint_app(request, tmp_path):
    """The app with the demo plan and care, on SQLite and on PostgreSQL."""
    url = database_url(request, tmp_path, "complaints")
    flask_app = _app(url, tmp_path)
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture
def complaint_app(tmp_path):
    """The app on SQLite only."""
    flask_app = _app(f"sqlite:///{tmp_path / 'complaints.db'}", tmp_path)
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


class World:
    """The demo people and the ids the tests need, read inside an app context."""

    def __init__(self, session):
        self.people = demo_people(session)
        self.kompas = session.exec(select(Provider).where(Provider.external_id == "demo-p000")).one()

    def person(self, key: str):
        return self.people[key]


@pytest.fixture
def world(complaint_app):
    """An app context on the SQLite app, with the demo people at hand."""
    with complaint_app.test_request_context():
        yield World(db.session)


@pytest.fixture
def any_world(any_complaint_app):
    """The same on SQLite and on PostgreSQL."""
    with any_complaint_app.test_request_context():
        yield World(db.session)
