"""Fixtures: the app on SQLite and on a real throwaway PostgreSQL, clients, sign-in helpers."""

import fcntl
import gc
import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
from flask import Flask

import app.models  # noqa: F401  (every table)
from app.extensions import db
from tests.support import app_caches
from tests.support.oidc import api_env, app_server_services, provider_env
from tests.support.seeded import seeded_app
from tests.support.servers import OperatorSeed, PostgresServer, RedisServer, SeededServer, compile_translations

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
POSTGRES_PARAMS = ("postgresql", "postgres")  # the parameter that runs a test again on PostgreSQL
app_caches.install()  # the apps of this process share URL builders and compiled templates


def pytest_collection_finish(session: pytest.Session) -> None:
    """Collect garbage less often in a test process. Each test makes an app, a database and pages that live as long
    as the test, so Python promoted them to its oldest generation and walked the whole heap (the imported libraries
    included) every few tests: 10 to 28 s of a worker's run went to full collections (measured with gc.callbacks).
    What was loaded until now stays for the run (gc.freeze); the young generation is collected every 5,000
    allocations instead of 700, and the whole heap about 9 times a run instead of 40. Cycles are still collected;
    a worker's memory stays under half a gigabyte."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(5000, 50, 1000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the throwaway PostgreSQL server as `postgres` (leave them out with
    -m 'not postgres'): those asking for the server, and the PostgreSQL run of a test made for both databases. (The
    two tests that start a PostgreSQL server of their own, to stop it, carry the mark themselves.)"""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "postgres" in getattr(item, "fixturenames", ()) or any(
                value in POSTGRES_PARAMS for value in params.values() if isinstance(value, str)):
            item.add_marker(pytest.mark.postgres)


def make_app(database_url: str = "sqlite://", *, with_plan: bool = False, **overrides) -> Flask:
    """Create a test app with its tables and the demo family (and, when asked, the demo plan's content): a copy of
    a world seeded once per test process (tests/support/seeded.py)."""
    return seeded_app(database_url, with_plan=with_plan, overrides=overrides)


@pytest.fixture(scope="session")
def postgres(request):
    """A real PostgreSQL server for the whole run. The first test to start it must carry the `postgres` mark: one
    that reaches the server only through `getfixturevalue` would otherwise run in `-m 'not postgres'`."""
    first = getattr(request, "_pyfuncitem", None)
    assert first is None or first.get_closest_marker("postgres"), (
        f"{first.nodeid} starts PostgreSQL without the postgres mark: ask for the `postgres` fixture by name")
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server():
    """A real Redis server for the whole run."""
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def operator_seed(tmp_path_factory) -> OperatorSeed:
    """The demo world in a SQLite file, made once per test run the way an operator makes it (the first xdist worker
    to need it makes it, the others wait and read it); the app servers of the tests start on copies of it
    (OperatorSeed.copy_to). Nobody writes to it after it is made."""
    made_by_caller = os.environ.get("ONSPLAN_TEST_OPERATOR_SEED")  # a pytest run inside a test (test_isolation)
    if made_by_caller:
        return OperatorSeed(Path(made_by_caller))
    run = tmp_path_factory.getbasetemp()
    run = run.parent if os.environ.get("PYTEST_XDIST_WORKER") else run  # the folder all workers of the run share
    folder = run / "operator-seed"
    with open(run / "operator-seed.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also when the seed fails
        if not (folder / "made").exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed half-way left
            folder.mkdir()
            OperatorSeed(folder).make()
            (folder / "made").touch()
    return OperatorSeed(folder)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, redis_server, oidc_provider, operator_seed):
    """The app under gunicorn on a SQLite world with the demo family, one per test process (per xdist worker):
    for the browser stories and the tests that need a real server. Like production it keeps rate limits and live
    updates in Redis; it signs in with the session's OpenID provider (tests/support/oidc.app_server_services).
    `_fresh_world` puts its world back as seeded before each test that uses it, so no test depends on what another
    changed."""
    compile_translations()
    redis_url = f"{redis_server.url.rsplit('/', 1)[0]}/{redis_server.APP_SERVER_DB}"
    env = provider_env(app_server_services(oidc_provider)) | api_env(oidc_provider)  # the backoffice's decisions
    server = SeededServer(tmp_path_factory.mktemp("app-server"), operator_seed, env, redis_url=redis_url).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fresh_world(request):
    """Before each test on the session's app server: its world as seeded (milliseconds, see SeededServer.reset).
    After each test: the mappers forget the statements they compiled for its database (app_caches)."""
    if "app_server" in request.fixturenames:
        request.getfixturevalue("app_server").reset()
    yield
    app_caches.forget_compiled_writes()


@pytest.fixture
def app(tmp_path):
    """The app on an in-memory SQLite database with the demo family."""
    flask_app = make_app(MAIL_DIR=str(tmp_path / "mail"))
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


def database_url(request, tmp_path, name: str) -> str:
    """The database an `any_*` fixture's parameter asks for: a fresh one on the run's PostgreSQL, or a SQLite file."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres").create_database(f"{name[0]}_{uuid.uuid4().hex[:12]}")
    return f"sqlite:///{tmp_path / f'{name}.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request, tmp_path):
    """The app on SQLite and, in a second run of the test, on PostgreSQL."""
    url = database_url(request, tmp_path, "test")
    flask_app = make_app(url, MAIL_DIR=str(tmp_path / "mail"))
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, path: str = "/hulp") -> str:
    """Read the CSRF token from a page, as a browser would (by default the help page: every page carries the token,
    and this one is the same for everyone and quick to draw, where the home page of a signed-in person is not)."""
    response = client.get(path)
    match = CSRF_FIELD.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, key: str) -> None:
    """Sign in as a demo persona through the real demo sign-in form."""
    token = csrf_token(client, "/demo")
    response = client.post(f"/demo/inloggen/{key}", data={"csrf_token": token})
    assert response.status_code == 303, response.status_code


def sign_in_person(client, person_id: str, idle_limit: int = 3600) -> None:
    """Put a person into the client's session the way sign_in does (for people who are not demo personas)."""
    import time

    with client.session_transaction() as session:
        session.clear()
        session.update(person_id=person_id, version=0, seen=int(time.time()), idle_limit=idle_limit,
                       provider="test")


def demo_id(flask_app, key: str) -> str:
    """Return the id of a demo persona."""
    from app.demo.services import demo_people

    with flask_app.app_context(), db.new_session() as session:
        return demo_people(session)[key].id


def family_id(flask_app) -> str:
    """Return the id of the demo family."""
    from sqlmodel import select

    from app.identity.models import Family

    with flask_app.app_context(), db.new_session() as session:
        return session.exec(select(Family).where(Family.name == "De Boer-Hoekstra")).one().id


@pytest.fixture(scope="session")
def oidc_provider():
    """The one real OpenID Connect provider (npm oidc-provider on Node) of the run, with every client and resource
    server the tests use (tests/support/oidc.py)."""
    from tests.support.oidc import TEST_CLIENTS, TEST_RESOURCES, OidcProvider

    provider = OidcProvider(TEST_CLIENTS, TEST_RESOURCES).start()
    yield provider
    provider.stop()
