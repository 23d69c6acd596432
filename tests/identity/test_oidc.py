"""Signing in with OpenID Connect against a real provider (oidc-provider on Node), the app under gunicorn."""

import re
import time
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc.errors import InvalidClaimError
from sqlmodel import select

from app import create_app
from app.config import ConfigError, load_config, oidc_providers
from app.extensions import db
from app.identity.models import Invitation, LoginIdentity
from app.identity.policy import Actor, Role
from app.invitations.services import create_invitation
from app.login import oidc
from tests.conftest import CSRF_FIELD, demo_id, family_id
from tests.support.oidc import (
    CITIZENS_CLIENT,
    OTHER_CLIENT,
    OidcProvider,
    authorize,
    complete_login,
    link_identity,
)
from tests.support.servers import free_port

WELCOME = "Eén plan voor je gezin"  # the visitor's home page (nl)
SIGNED_IN = 'class="site-footer__who"'


@pytest.fixture
def server(app_server):
    """The session's app server (tests/conftest.py), its world as seeded: three sign-in services, citizens
    (normal), staff (its codes live 1 second, at the same provider) and offline (nothing there)."""
    return app_server


@pytest.fixture(scope="module")
def local_app(app_server):
    """The same database and secret as the server, in this process (to prepare rows the way the app makes them)."""
    flask_app = create_app({"ENV_NAME": "test", "DATABASE_URL": app_server.env["DATABASE_URL"],
                            "SECRET_KEY": app_server.env["SECRET_KEY"]})
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture
def erik_linked(server, oidc_provider):
    """Link the DigiD-like identity `erik-digid` at the test provider to the demo persona Erik."""
    link_identity(server.env["DATABASE_URL"], persona="erik", issuer=oidc_provider.issuer, subject="erik-digid")


def home(http: requests.Session, server) -> str:
    return http.get(server.url + "/").text


def test_sign_in_page_lists_the_services_the_demo_and_the_invitation(server):
    page = requests.get(server.url + "/inloggen").text
    for path in ("/inloggen/citizens", "/inloggen/staff", "/inloggen/offline", "/demo", "/uitnodiging"):
        assert f'href="{path}"' in page


def test_unknown_service_is_not_found(server):
    assert requests.get(server.url + "/inloggen/nope", allow_redirects=False).status_code == 404
    assert requests.get(server.url + "/inloggen/nope/terug", allow_redirects=False).status_code == 404


def test_start_sends_the_browser_to_the_provider_with_pkce_state_and_nonce(server, oidc_provider):
    response = requests.get(server.url + "/inloggen/citizens", allow_redirects=False)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(oidc_provider.issuer + "/auth?")
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0]
    assert query["nonce"][0]
    assert query["client_id"] == [CITIZENS_CLIENT["client_id"]]
    assert query["redirect_uri"] == [server.url + "/inloggen/citizens/terug"]
    assert query["scope"] == ["openid profile email"]


def test_abandoned_sign_ins_do_not_pile_up_in_the_session_cookie(server, local_app):
    http = requests.Session()
    for _attempt in range(oidc.KEEP_ATTEMPTS + 1):
        assert http.get(server.url + "/inloggen/citizens", allow_redirects=False).status_code == 302
    cookie = http.cookies["onsplan_session"]
    content = local_app.session_interface.get_signing_serializer(local_app).loads(cookie)
    assert len([key for key in content if key.startswith("_state_citizens_")]) == oidc.KEEP_ATTEMPTS


def test_sign_out_forms_may_end_at_the_sign_in_services(server, oidc_provider):
    policy = requests.get(server.url + "/inloggen").headers["Content-Security-Policy"]
    form_action = next(part for part in policy.split("; ") if part.startswith("form-action "))
    assert oidc_provider.issuer in form_action.split()
    assert "'self'" in form_action.split()


def test_known_identity_signs_in_and_sees_their_home(server, erik_linked):
    http = requests.Session()
    response = complete_login(http, server.url + "/inloggen/citizens", login="erik-digid")
    assert response.status_code == 303, response.text[:500]
    assert response.headers["Location"] == "/"
    page = home(http, server)
    assert "Hallo Erik" in page
    assert SIGNED_IN in page


def test_unknown_identity_without_invitation_is_refused_and_not_signed_in(server):
    http = requests.Session()
    response = complete_login(http, server.url + "/inloggen/citizens", login="stranger-without-invitation")
    assert response.status_code == 403
    assert '<html lang="nl"' in response.text
    assert 'class="error-page login-failed"' in response.text
    assert 'href="/uitnodiging"' in response.text
    assert "stranger-without-invitation" not in response.text
    assert 'name="next" value="/inloggen"' in response.text  # switching language must not replay the code
    page = home(http, server)
    assert WELCOME in page
    assert SIGNED_IN not in page


def invite(local_app, given_name: str):
    """Invite a network member into the demo family, as the professional Mark (through the service)."""
    with local_app.test_request_context():
        made = create_invitation(db.session, actor=Actor(demo_id(local_app, "mark"), Role.PROFESSIONAL),
                                 family_id=family_id(local_app), role="network", has_custody=False,
                                 given_name=given_name, family_name="Dijkstra", birthdate=None, email=None,
                                 language="nl")
        db.session.commit()
    return made


def test_first_sign_in_with_an_invitation_makes_the_person_and_links_the_identity(server, local_app, oidc_provider):
    made = invite(local_app, "Wietske")
    http = requests.Session()
    opened = http.get(f"{server.url}/uitnodiging/{made.token}", allow_redirects=False)
    assert opened.status_code == 303  # the invitation page put the invitation in the session
    response = complete_login(http, server.url + "/inloggen/citizens", login="wietske-digid")
    assert response.status_code == 303, response.text[:500]
    assert "Hallo Wietske" in home(http, server)
    with local_app.app_context(), db.new_session() as session:
        link = session.exec(select(LoginIdentity).where(LoginIdentity.subject == "wietske-digid")).one()
        assert (link.issuer, link.provider) == (oidc_provider.issuer, "citizens")
        assert session.get(Invitation, made.invitation.id).redeemed_by_id == link.person_id
    http.cookies.clear()  # a new device: the same identity now signs in without an invitation
    assert complete_login(http, server.url + "/inloggen/citizens", login="wietske-digid").status_code == 303


def test_an_invitation_used_in_the_meantime_is_refused_with_a_friendly_page(server, local_app):
    made = invite(local_app, "Sjoerd")
    first, second = requests.Session(), requests.Session()
    for http in (first, second):
        assert http.get(f"{server.url}/uitnodiging/{made.token}", allow_redirects=False).status_code == 303
    assert complete_login(first, server.url + "/inloggen/citizens", login="sjoerd-digid").status_code == 303
    response = complete_login(second, server.url + "/inloggen/citizens", login="someone-else-digid")
    assert response.status_code == 400
    assert 'href="/uitnodiging"' in response.text
    assert SIGNED_IN not in home(second, server)


def test_tampered_state_is_refused_with_a_friendly_page(server, erik_linked):
    http = requests.Session()
    callback = authorize(http, server.url + "/inloggen/citizens", login="erik-digid")
    tampered = re.sub(r"state=[^&]+", "state=tampered", callback)
    response = http.get(tampered, allow_redirects=False)
    assert response.status_code == 400
    assert 'class="error-page login-failed"' in response.text
    assert SIGNED_IN not in home(http, server)


def test_cancelling_at_the_provider_gives_a_friendly_page(server):
    http = requests.Session()
    callback = authorize(http, server.url + "/inloggen/citizens", cancel=True)
    assert "error=access_denied" in callback
    response = http.get(callback, allow_redirects=False)
    assert response.status_code == 400
    assert 'class="error-page login-failed"' in response.text


def test_expired_code_is_refused_with_a_friendly_page(server):
    http = requests.Session()
    callback = authorize(http, server.url + "/inloggen/staff", login="someone")
    time.sleep(2.1)  # the staff client's codes live 1 second (its code_ttl)
    response = http.get(callback, allow_redirects=False)
    assert response.status_code == 400
    assert 'class="error-page login-failed"' in response.text


def test_a_code_works_only_once(server, erik_linked):
    http = requests.Session()
    callback = authorize(http, server.url + "/inloggen/citizens", login="erik-digid")
    assert http.get(callback, allow_redirects=False).status_code == 303
    assert requests.Session().get(callback, allow_redirects=False).status_code == 400


def test_unreachable_provider_gives_503_not_500(server):
    response = requests.get(server.url + "/inloggen/offline", allow_redirects=False)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert '<html lang="nl"' in response.text
    assert 'class="error-page"' in response.text


def test_sign_out_ends_the_session_and_the_provider_session(server, erik_linked, oidc_provider):
    http = requests.Session()
    assert complete_login(http, server.url + "/inloggen/citizens", login="erik-digid").status_code == 303
    token = CSRF_FIELD.search(home(http, server)).group(1)
    response = http.post(server.url + "/uitloggen", data={"csrf_token": token}, allow_redirects=False)
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    location = response.headers["Location"]
    assert location.startswith(oidc_provider.issuer + "/session/end?")
    query = parse_qs(urlsplit(location).query)
    assert query["id_token_hint"][0].count(".") == 2
    assert query["post_logout_redirect_uri"] == [server.url + "/"]
    assert query["client_id"] == [CITIZENS_CLIENT["client_id"]]
    assert SIGNED_IN not in home(http, server)
    # The provider accepts the hint and the return address, and sends the person back to the app.
    confirm = http.get(location)
    action = re.search(r'<form[^>]*action="([^"]+)"', confirm.text).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', confirm.text))
    back = http.post(urljoin(confirm.url, action), data={**fields, "logout": "yes"}, allow_redirects=False)
    assert back.headers["Location"].startswith(server.url + "/")


def test_id_token_for_another_client_is_refused(oidc_provider):
    """A real ID token minted for another app (right issuer and signature, wrong audience) does not sign in."""
    token, nonce = _token_for_other_client(oidc_provider)
    settings = {"issuer": oidc_provider.issuer, "scopes": "openid profile email"}
    ours = {"client_id": CITIZENS_CLIENT["client_id"], "client_secret": CITIZENS_CLIENT["client_secret"]}
    theirs = {"client_id": OTHER_CLIENT["client_id"], "client_secret": OTHER_CLIENT["client_secret"]}
    for client_settings, accepted in ((theirs, True), (ours, False)):
        flask_app = create_app({"ENV_NAME": "test", "OIDC": {"citizens": {**settings, **client_settings}}})
        with flask_app.test_request_context():
            client = oidc.client("citizens")
            if accepted:  # the same check passes for the app the token was made for
                assert client.parse_id_token(token, nonce=nonce)["sub"] == "erik-digid"
            else:
                with pytest.raises(InvalidClaimError, match="aud"):
                    client.parse_id_token(token, nonce=nonce)
        with flask_app.app_context():
            db.engine.dispose()


def _token_for_other_client(provider: OidcProvider) -> tuple[dict, str]:
    """Sign in at the provider as another app would (code flow with PKCE) and return its token and nonce."""
    redirect_uri = f"http://127.0.0.1:{free_port()}/callback"
    verifier, nonce = "v" * 64, "n0nce-for-another-app"
    with OAuth2Session(OTHER_CLIENT["client_id"], OTHER_CLIENT["client_secret"], scope="openid",
                       redirect_uri=redirect_uri) as other:
        url, _state = other.create_authorization_url(
            provider.issuer + "/auth", nonce=nonce, code_challenge=create_s256_code_challenge(verifier),
            code_challenge_method="S256")
        callback = authorize(requests.Session(), url, login="erik-digid", return_to=redirect_uri.rsplit("/", 1)[0])
        token = other.fetch_token(provider.issuer + "/token", authorization_response=callback, code_verifier=verifier)
    assert token["id_token"]
    return token, nonce


def test_providers_are_read_from_the_environment():
    env = {"OIDC_PROVIDERS": "Citizens, staff", "OIDC_CITIZENS_ISSUER": "https://digid.example",
           "OIDC_CITIZENS_CLIENT_ID": "a", "OIDC_CITIZENS_CLIENT_SECRET": "b",
           "OIDC_STAFF_ISSUER": "https://login.example/realms/x", "OIDC_STAFF_CLIENT_ID": "c",
           "OIDC_STAFF_CLIENT_SECRET": "d", "OIDC_STAFF_SCOPES": "openid  email"}
    providers = oidc_providers(env)
    assert list(providers) == ["citizens", "staff"]
    assert providers["citizens"]["scopes"] == "openid profile email"
    assert providers["staff"] == {"issuer": "https://login.example/realms/x", "client_id": "c",
                                  "client_secret": "d", "scopes": "openid email"}
    assert oidc_providers({}) == {}


@pytest.mark.parametrize(("change", "message"), [
    ({"client_id": ""}, "OIDC_CITIZENS_CLIENT_ID"),
    ({"issuer": "digid.example"}, "OIDC_CITIZENS_ISSUER"),
    ({"scopes": "profile email"}, "openid"),
])
def test_incomplete_service_settings_refuse_to_start(change, message):
    settings = {"issuer": "https://digid.example", "client_id": "a", "client_secret": "b",
                "scopes": "openid profile email"}
    with pytest.raises(ConfigError, match=message):
        load_config({"ENV_NAME": "test", "OIDC": {"citizens": {**settings, **change}}})


def test_production_refuses_a_sign_in_service_over_plain_http(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DEMO", raising=False)
    settings = {"issuer": "http://digid.example", "client_id": "a", "client_secret": "b", "scopes": "openid"}
    with pytest.raises(ConfigError, match="https"):
        load_config({"ENV_NAME": "production", "OIDC": {"citizens": settings}})
