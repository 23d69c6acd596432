"""Sessions: cookie flags, idle timeout by role, sign out everywhere, nothing kept from before sign-in."""

import time

from app.extensions import db
from app.identity.models import Person
from tests.conftest import csrf_token, demo_id, make_app, sign_in


def test_session_cookie_is_httponly_samesite_and_secure_in_production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.delenv("DEMO", raising=False)
    app = make_app("sqlite://", ENV_NAME="production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_cookie_flags_on_the_wire(client):
    sign_in(client, "tom")
    response = client.post("/taal", data={"lang": "fy", "csrf_token": csrf_token(client)})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_professional_is_signed_out_after_30_idle_minutes(app, client):
    sign_in(client, "mark")
    with client.session_transaction() as session:
        assert session["idle_limit"] == 30 * 60
        session["seen"] = int(time.time()) - 31 * 60
    html = client.get("/").get_data(as_text=True)
    assert "daarom ben je uitgelogd" in html
    assert "Hallo Mark" not in html


def test_family_members_may_stay_longer(app, client):
    sign_in(client, "sanne")
    with client.session_transaction() as session:
        assert session["idle_limit"] == 4 * 3600
        session["seen"] = int(time.time()) - 31 * 60
    assert "Hoi Sanne" in client.get("/").get_data(as_text=True)


def test_sign_out_everywhere_ends_other_devices(app):
    phone, tablet = app.test_client(), app.test_client()
    sign_in(phone, "erik")
    sign_in(tablet, "erik")
    response = phone.post("/uitloggen/overal", data={"csrf_token": csrf_token(phone, "/profiel")})
    assert response.status_code == 303
    assert "Hallo Erik" not in tablet.get("/").get_data(as_text=True)
    assert "Hallo Erik" not in phone.get("/").get_data(as_text=True)
    sign_in(tablet, "erik")
    assert "Hallo Erik" in tablet.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Person, demo_id(app, "erik")).session_version == 1


def test_sign_in_starts_a_fresh_session(client):
    with client.session_transaction() as session:
        session["pending_invitation"] = "old"
        session["lang"] = "en"
    sign_in(client, "tom")
    with client.session_transaction() as session:
        assert "pending_invitation" not in session
        assert session["lang"] == "en"


def test_demo_sign_in_is_rate_limited(client):
    statuses = []
    for _ in range(31):
        token = csrf_token(client, "/demo")
        statuses.append(client.post("/demo/inloggen/tom", data={"csrf_token": token}).status_code)
    assert statuses[-1] == 429
    assert statuses[:30] == [303] * 30


def test_a_copied_cookie_stops_working_after_sign_out(app):
    phone = app.test_client()
    sign_in(phone, "sanne")
    stolen = phone.get_cookie("onsplan_session").value
    phone.post("/uitloggen", data={"csrf_token": csrf_token(phone)})
    thief = app.test_client()
    thief.set_cookie("onsplan_session", stolen)
    assert "Hoi Sanne" not in thief.get("/").get_data(as_text=True)
