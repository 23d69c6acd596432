"""Bearer tokens: signature against the JWKS, issuer, audience, expiry, algorithm and the endpoint's scope."""

import base64
import json

import pytest
from joserfc.jwk import RSAKey
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.extensions import db
from tests.api.conftest import AUDIENCE, Api, new_id, sign

PLAN_STATUS = "/plans/anything/status"


@pytest.fixture
def app_on_sqlite(jwks, tmp_path):
    from tests.api.conftest import api_config
    from tests.conftest import make_app

    flask_app = make_app(f"sqlite:///{tmp_path / 'auth.db'}", MAIL_DIR=str(tmp_path / "mail"), **api_config(jwks.url))
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


def refused(api: Api, token: str | None, status: int, path: str = PLAN_STATUS, method: str = "GET", body=None):
    response = api.call(method, path, body, token=token)
    assert response.status_code == status, response.get_json()
    assert response.headers["Content-Type"] == "application/problem+json"
    return response


def test_tokens_that_are_not_valid_here_are_refused_with_401(app_on_sqlite, jwks):
    api, key = Api(app_on_sqlite, None), jwks.keys[0]
    stranger = RSAKey.generate_key(2048, parameters={"kid": "key-1"}, private=True)  # same kid, other key
    header, claims, _sig = sign(key).split(".")
    unsigned = base64.urlsafe_b64encode(json.dumps({"alg": "none"}).encode()).rstrip(b"=").decode()
    cases = {
        "missing": None,
        "expired": sign(key, ttl=-120),
        "other audience": sign(key, aud="https://other.example/api"),
        "other issuer": sign(key, iss="https://evil.example"),
        "wrong key": sign(stranger),
        "alg none": f"{unsigned}.{claims}.",
        "garbage": "not-a-jwt",
        "tampered": f"{header}.{claims[:-4]}AAAA.{_sig}",
    }
    for name, token in cases.items():
        response = refused(api, token, 401)
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="onsplan-api"'), name
    assert "expired" in refused(api, cases["expired"], 401).get_json()["detail"]
    assert "aud" in refused(api, cases["other audience"], 401).get_json()["detail"]
    with app_on_sqlite.app_context():
        logged = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "api.refused")).all()
    assert len(logged) >= len(cases)
    assert all(e.outcome == "refused" and e.chain == "system" for e in logged)


def test_a_token_without_the_endpoints_scope_gets_403(app_on_sqlite, jwks):
    api = Api(app_on_sqlite, sign(jwks.keys[0], scope="plans:read"))
    response = refused(api, api.token, 403, "/catalog", "PUT", {"providers": [], "offers": []})
    assert 'scope="catalog:write"' in response.headers["WWW-Authenticate"]
    refused(api, api.token, 403, "/assignments/x/decision", "POST", {"decision": "examining", "request_id": new_id()})
    refused(api, api.token, 403, "/assignments/x/care-start", "POST", {})
    assert api.call("GET", PLAN_STATUS).status_code == 404  # plans:read is enough here
    with app_on_sqlite.app_context():
        entry = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "api.refused")
                                .order_by(AccessLogEntry.id)).first()
    assert (entry.actor_id, entry.actor_role) == ("gemeente-backoffice", "api_client")
    assert "PUT /api/v1/catalog -> 403" in entry.detail


def test_a_rotated_key_is_fetched_when_a_token_names_it(app_on_sqlite, jwks):
    api = Api(app_on_sqlite, sign(jwks.keys[0], scope="plans:read"))
    assert api.call("GET", PLAN_STATUS).status_code == 404
    fetched = jwks.fetches
    assert api.call("GET", PLAN_STATUS).status_code == 404
    assert jwks.fetches == fetched  # cached
    new_key = jwks.rotate()
    assert api.call("GET", PLAN_STATUS, token=sign(new_key, scope="plans:read")).status_code == 404
    assert jwks.fetches == fetched + 1


def test_the_api_refuses_sessions_and_html(app_on_sqlite):
    client = app_on_sqlite.test_client()
    from tests.conftest import sign_in

    sign_in(client, "jeroen")  # a signed-in municipality employee's cookie is no API credential
    response = client.get("/api/v1/plans/x/status")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_an_unconfigured_api_answers_503(tmp_path):
    from tests.conftest import make_app

    flask_app = make_app(f"sqlite:///{tmp_path / 'none.db'}", API_JWKS_URL="", API_ISSUER="", API_AUDIENCE="")
    response = flask_app.test_client().get("/api/v1/plans/x/status", headers={"Authorization": "Bearer x"})
    assert response.status_code == 503
    assert "not configured" in response.get_json()["detail"]
    with flask_app.app_context():
        db.engine.dispose()


def test_audience_is_checked_exactly(app_on_sqlite, jwks):
    api = Api(app_on_sqlite, None)
    both = sign(jwks.keys[0], aud=[AUDIENCE, "https://other.example"], scope="plans:read")
    assert api.call("GET", PLAN_STATUS, token=both).status_code == 404  # a list with ours is fine (RFC 7519)
    refused(api, sign(jwks.keys[0], aud=AUDIENCE + "/extra", scope="plans:read"), 401)
