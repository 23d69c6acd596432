"""Fixtures: the app on SQLite and on a real throwaway PostgreSQL, clients, sign-in helpers."""

import re
import uuid

import pytest
from flask import Flask
from sqlmodel import SQLModel

import app.models  # noqa: F401  (every table)
from app import create_app
from app.demo.services import seed_demo
from app.extensions import db
from tests.support.servers import PostgresServer, RedisServer

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_app(database_url: str = "sqlite://", **overrides) -> Flask:
    """Create a test app with its tables and the demo family."""
    flask_app = create_app({"ENV_NAME": "test", "DATABASE_URL": database_url, **overrides})
    with flask_app.app_context():
        SQLModel.metadata.create_all(db.engine)
        with db.new_session() as session:
            seed_demo(session)
    return flask_app


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the whole run."""
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server():
    """A real Redis server for the whole run."""
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def app(tmp_path):
    """The app on an in-memory SQLite database with the demo family."""
    flask_app = make_app(MAIL_DIR=str(tmp_path / "mail"))
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request, tmp_path):
    """The app on SQLite and, in a second run of the test, on PostgreSQL."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").create_database(f"t_{uuid.uuid4().hex[:12]}")
    else:
        url = f"sqlite:///{tmp_path / 'test.db'}"
    flask_app = make_app(url, MAIL_DIR=str(tmp_path / "mail"))
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, path: str = "/") -> str:
    """Read the CSRF token from a page, as a browser would."""
    response = client.get(path)
    match = CSRF_FIELD.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, key: str) -> None:
    """Sign in as a demo persona through the real demo sign-in form."""
    token = csrf_token(client, "/demo")
    response = client.post(f"/demo/inloggen/{key}", data={"csrf_token": token})
    assert response.status_code == 303, response.status_code
