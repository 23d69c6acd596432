"""CSRF, security headers, request size limit and hostile input."""

import pytest

from app.config import Config
from app.extensions import db
from tests import factories
from tests.conftest import csrf_token, make_app, sign_in_person


@pytest.fixture
def tom(bare_app):
    """A client signed in as a new person, Tom."""
    with bare_app.app_context(), db.new_session() as session:
        person = factories.person(session, given_name="Tom")
    client = bare_app.test_client()
    sign_in_person(client, person.id)
    return client


def test_csrf_token_is_required_on_state_changing_routes(client):
    response = client.post("/taal", data={"lang": "fy"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Dit formulier is verlopen" in html
    assert '<html lang="nl"' in html


def test_wrong_csrf_token_with_htmx_goes_to_alerts_so_the_form_keeps_its_text(tom):
    response = tom.post("/profiel", data={"given_name": "Nieuwe tekst", "language": "nl", "csrf_token": "x"},
                        headers={"HX-Request": "true", "X-CSRFToken": "wrong"})
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#alerts"
    assert "Dit formulier is verlopen" in response.get_data(as_text=True)


def test_csrf_token_in_htmx_header_is_accepted(tom):
    token = csrf_token(tom, "/profiel")
    response = tom.post("/profiel", data={"given_name": "Tom", "language": "nl"},
                        headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200


def test_security_headers_on_every_page(client):
    response = client.get("/")
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # tests run without HSTS


def test_hsts_is_on_in_production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DEMO", raising=False)
    app = make_app("sqlite://", ENV_NAME="production")
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_no_inline_scripts_in_pages(client):
    html = client.get("/demo").get_data(as_text=True)
    assert "<script>" not in html
    assert " onclick=" not in html


def test_twenty_megabyte_post_gets_a_friendly_413(client):
    token = csrf_token(client)
    response = client.post("/taal", data={"lang": "fy", "csrf_token": token, "next": "x" * (20 * 1024 * 1024)})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Dat is te veel in één keer" in html
    assert "12 MB" in html


def test_default_upload_limit_is_set():
    assert Config().MAX_CONTENT_LENGTH == 12 * 1024 * 1024


def test_tampered_session_cookie_is_ignored(client):
    client.set_cookie("onsplan_session", "eyJwZXJzb25faWQiOiJ4In0.forged.signature")
    response = client.get("/")
    assert response.status_code == 200
    assert "Eén plan voor je gezin" in response.get_data(as_text=True)
