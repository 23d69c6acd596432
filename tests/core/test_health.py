"""Health check and a database that goes down and comes back (real PostgreSQL)."""

import uuid

import pytest

from app import create_app
from tests.support.servers import PostgresServer, free_port


def test_healthz_reports_database_down_when_unreachable():
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nothing"
    app = create_app({"ENV_NAME": "test", "DATABASE_URL": url, "FRIENDLY_ERRORS_IN_TESTS": True})
    client = app.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "down"}


@pytest.mark.postgres  # a PostgreSQL server of its own, which it stops
def test_pages_show_a_friendly_503_when_the_database_is_down_and_recover_without_restart():
    server = PostgresServer().start()
    try:
        url = server.create_database(f"h_{uuid.uuid4().hex[:8]}")
        from tests.conftest import make_app

        app = make_app(url, FRIENDLY_ERRORS_IN_TESTS=True)
        client = app.test_client()
        from tests.conftest import sign_in

        sign_in(client, "sanne")
        assert client.get("/").status_code == 200
        server._run("pg_ctl", "-D", str(server.data), "-m", "fast", "stop")
        response = client.get("/")
        assert response.status_code == 503
        assert "Ús Plan wurket no efkes net" in response.get_data(as_text=True) or \
            "Ons Plan werkt nu even niet" in response.get_data(as_text=True)
        assert client.get("/healthz").status_code == 503
        server._run("pg_ctl", "-D", str(server.data), "-o",
                    f"-p {server.port} -k {server.dir} -c listen_addresses=127.0.0.1", "-l",
                    str(server.dir / "log"), "-w", "start")
        assert client.get("/healthz").status_code == 200
        assert "Hoi Sanne" in client.get("/").get_data(as_text=True)
    finally:
        server.stop()
