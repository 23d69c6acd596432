"""The API's rate limit: per client (the verified token's client id), else per address; 429 as a problem."""

import pytest
from joserfc.jwk import RSAKey
from sqlmodel import select

from app.api.problems import MEDIA_TYPE, PROBLEM_TYPE
from app.audit.models import AccessLogEntry
from app.extensions import db
from tests.api.conftest import Api, api_config, sign
from tests.conftest import make_app

MISSING = "/plans/no-such-plan/status"  # a cheap call: 404 once the token is checked


@pytest.fixture
def limited_app(tmp_path, jwks):
    """The API with the limiter on and 3 calls per minute per client."""
    flask_app = make_app(f"sqlite:///{tmp_path / 'api.db'}", MAIL_DIR=str(tmp_path / "mail"),
                         **{**api_config(jwks.url), "RATELIMIT_ENABLED": True, "RATELIMIT_API": "3 per minute"})
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


def _refusals(app) -> int:
    with app.app_context():
        return len(db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "api.refused")).all())


def test_a_client_over_its_limit_gets_a_429_problem_with_retry_after_and_another_client_goes_on(limited_app, jwks):
    backoffice = Api(limited_app, sign(jwks.keys[0], client_id="gemeente-backoffice"))
    statuses = [backoffice.call("GET", MISSING).status_code for _ in range(3)]
    assert statuses == [404, 404, 404]
    logged = _refusals(limited_app)
    refused = backoffice.call("GET", MISSING)  # checked against the OpenAPI document: 429 is documented
    assert refused.status_code == 429
    assert refused.mimetype == MEDIA_TYPE
    problem = refused.get_json()
    assert problem["type"] == PROBLEM_TYPE + "too-many-requests"
    assert problem["status"] == 429
    assert "3 per 1 minute" in problem["detail"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert _refusals(limited_app) == logged  # a flood of refusals does not flood the access log
    provider = Api(limited_app, sign(jwks.keys[0], client_id="zorgaanbieder-kompas"))
    assert provider.call("GET", MISSING).status_code == 404


def test_calls_without_a_valid_token_count_by_address_and_a_forged_client_id_spends_nothing_of_that_client(
        limited_app, jwks):
    api = Api(limited_app, None)  # reading the OpenAPI document (no token) is the address's first call
    assert [api.call("GET", MISSING).status_code for _ in range(2)] == [401, 401]
    assert api.call("GET", MISSING).status_code == 429
    forger = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig"}, private=True)
    forged = sign(forger, client_id="gemeente-backoffice")
    assert api.call("GET", MISSING, token=forged).status_code == 429  # counted on the address, which is spent
    genuine = sign(jwks.keys[0], client_id="gemeente-backoffice")
    assert [api.call("GET", MISSING, token=genuine).status_code for _ in range(3)] == [404, 404, 404]


def test_the_limit_comes_from_the_environment_and_a_bad_one_is_refused(monkeypatch):
    from app.config import ConfigError, DevelopmentConfig, load_config

    monkeypatch.setenv("RATELIMIT_API", "1200 per minute")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    assert load_config(DevelopmentConfig).RATELIMIT_API == "1200 per minute"
    monkeypatch.setenv("RATELIMIT_COMPLAINT", "lots")
    with pytest.raises(ConfigError, match="RATELIMIT_COMPLAINT"):
        load_config(DevelopmentConfig)
