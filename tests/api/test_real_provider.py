"""Against the real OpenID provider (npm oidc-provider): client credentials with a resource indicator give a JWT
access token with scopes; the API accepts it, and refuses it expired or for another audience."""

import pytest
import requests

from app.api import auth
from app.extensions import db
from tests.api.conftest import Api, new_id, requested
from tests.support.oidc import API_AUDIENCE, BACKOFFICE_CLIENT, OTHER_API_AUDIENCE


def token(provider, *, resource: str = API_AUDIENCE, scope: str = "assignments:write plans:read") -> str:
    answer = requests.post(f"{provider.issuer}/token", timeout=10,
                           auth=(BACKOFFICE_CLIENT["client_id"], BACKOFFICE_CLIENT["client_secret"]),
                           data={"grant_type": "client_credentials", "resource": resource, "scope": scope})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


@pytest.fixture
def real_app(oidc_provider, tmp_path):
    """The app on SQLite (checking a token asks nothing of the database), trusting the run's OpenID provider."""
    from tests.conftest import make_app

    url = f"sqlite:///{tmp_path / 'real.db'}"
    jwks_uri = requests.get(f"{oidc_provider.issuer}/.well-known/openid-configuration", timeout=5).json()["jwks_uri"]
    flask_app = make_app(url, with_plan=True, MAIL_DIR=str(tmp_path / "mail"), API_JWKS_URL=jwks_uri,
                         API_ISSUER=oidc_provider.issuer, API_AUDIENCE=API_AUDIENCE, RATELIMIT_ENABLED=False)
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


def test_a_decision_with_a_token_from_the_real_provider(real_app, oidc_provider):
    api = Api(real_app, token(oidc_provider))
    reference = requested(real_app)
    response = api.call("POST", f"/assignments/{reference}/decision", {"decision": "examining",
                                                                      "request_id": new_id()})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "examining"
    no_scope = api.call("PUT", "/catalog", {"providers": [], "offers": []})
    assert no_scope.status_code == 403  # the token was asked without catalog:write


def test_the_real_providers_token_expired_or_for_another_audience(real_app, oidc_provider, monkeypatch):
    api = Api(real_app, None)
    for_another_api = token(oidc_provider, resource=OTHER_API_AUDIENCE, scope="plans:read")
    other = api.call("GET", "/plans/x/status", token=for_another_api)
    assert other.status_code == 401
    assert "aud" in other.get_json()["detail"]
    fresh = token(oidc_provider, scope="plans:read")
    assert api.call("GET", "/plans/x/status", token=fresh).status_code == 404
    later = auth.now() + 600 + 31  # past the token's 600 s and the 30 s leeway
    monkeypatch.setattr(auth, "now", lambda: later)
    expired = api.call("GET", "/plans/x/status", token=fresh)
    assert expired.status_code == 401
    assert "expired" in expired.get_json()["detail"]
