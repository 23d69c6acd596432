"""The database unreachable (issue 9, point 3): the real app under gunicorn on its own PostgreSQL server, which the
test stops, replaces by a port that never answers, and starts again.

Families get the friendly 503 page in their own language, /healthz says the database is down within a few seconds
(never a long hang), the app process stays up, and once PostgreSQL is back the same process serves pages again.
"""

import contextlib
import subprocess

import pytest
import requests

from tests.production.support import (
    SilentPort,
    Visitor,
    app_env,
    start_postgres,
    stop_postgres,
    timed,
    wait_until,
    worker_pids,
)
from tests.support.servers import AppServer, PostgresServer

DOWN = {
    "fy": ("Ús Plan wurket no efkes net", "Wy binne der mei dwaande."),
    "nl": ("Ons Plan werkt nu even niet", "We werken eraan."),
    "en": ("Ons Plan is not available right now", "We are working on it."),
}
QUICK = 4.5  # seconds: the connect timeout is 3 s
pytestmark = pytest.mark.postgres  # a PostgreSQL server of its own, which it stops


@pytest.fixture
def own_postgres():
    """A PostgreSQL server of this test alone, which it may stop."""
    server = PostgresServer().start()
    yield server
    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped by a failing test
        server.stop()


def assert_down_page(response: requests.Response, language: str) -> None:
    title, detail = DOWN[language]
    assert response.status_code == 503, response.status_code
    assert f'lang="{language}"' in response.text
    assert title in response.text
    assert detail in response.text
    assert response.headers["Retry-After"] == "60"
    assert response.headers["Cache-Control"] == "no-store"


def test_database_down_gives_a_friendly_page_and_the_same_process_recovers(own_postgres):
    url = own_postgres.create_database("onsplan")
    server = AppServer(app_env(url))
    server.flask("db", "upgrade")
    server.flask("demo", "seed")
    server.start()
    try:
        sanne = Visitor(server, "sanne", language="nl")  # a Dutch phone; in Ons Plan she chose Frysk
        erik = Visitor(server, "erik", language="nl")
        assert "Hoi Sanne" in sanne.http.get(sanne.url("/"), timeout=15).text
        workers = worker_pids(server)

        stop_postgres(own_postgres)
        assert_down_page(sanne.http.get(sanne.url(sanne.plan), timeout=15), "fy")
        assert_down_page(erik.http.get(erik.url(erik.plan), timeout=15), "nl")
        for language in ("fy", "en"):
            visitor = requests.get(f"{server.url}/demo", headers={"Accept-Language": language}, timeout=15)
            assert_down_page(visitor, language)
        help_lines = requests.get(f"{server.url}/hulp", headers={"Accept-Language": "fy"}, timeout=15)
        assert help_lines.status_code == 200  # 112, Veilig Thuis, Kindertelefoon and 113 need no database
        assert "Veilig Thuis" in help_lines.text
        health, seconds = timed(lambda: requests.get(f"{server.url}/healthz", timeout=30))
        assert health.status_code == 503
        assert health.json() == {"status": "unavailable", "database": "down"}
        assert seconds < QUICK
        ready = requests.get(f"{server.url}/readyz", timeout=30)  # a rolling restart would wait for this one
        assert (ready.status_code, ready.json()) == (503, {"status": "unavailable"})

        with SilentPort(own_postgres.port):  # the database host takes connections but never answers
            health, seconds = timed(lambda: requests.get(f"{server.url}/healthz", timeout=30))
            assert health.status_code == 503
            assert seconds < QUICK, f"/healthz took {seconds:.1f} s"
            page, seconds = timed(lambda: sanne.http.get(sanne.url(sanne.plan), timeout=30))
            assert_down_page(page, "fy")
            assert seconds < QUICK, f"the plan page took {seconds:.1f} s"

        start_postgres(own_postgres)
        wait_until(lambda: requests.get(f"{server.url}/healthz", timeout=10).status_code == 200, timeout=20,
                   message="/healthz to say the database is back")
        assert requests.get(f"{server.url}/healthz", timeout=10).json() == {"status": "ok", "database": "ok"}
        plan = sanne.http.get(sanne.url(sanne.plan), timeout=15)
        assert plan.status_code == 200
        assert 'lang="fy"' in plan.text
        assert erik.http.get(erik.url("/"), timeout=15).status_code == 200
        assert server.process.poll() is None
        assert worker_pids(server) == workers, "the worker was restarted: recovery must not need a restart"
    finally:
        server.stop()
