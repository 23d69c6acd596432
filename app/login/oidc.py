"""OpenID Connect sign-in with Authlib: authorization code flow with PKCE (S256), state and nonce.

One client per sign-in service in `app.config["OIDC"]` (see app.config.oidc_providers). The clients belong to the
app, not to the process: Authlib's registry keeps one client per name for the whole process, and the tests make
several apps with different services under the same name.
"""

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import Flask, Response, current_app, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from joserfc.errors import JoseError

from app.extensions import oauth

log = logging.getLogger("onsplan.login")

TIMEOUT_SECONDS = 10
PROBE_TIMEOUT = (2, 3)  # seconds to connect and to answer: whether the sign-in service is up right now
KEEP_ATTEMPTS = 3  # unfinished sign-ins per service kept in the session (a few tabs); each is ~250 bytes of cookie
LABELS = {"citizens": _l("Sign in with DigiD"), "staff": _l("Sign in as a professional")}
DEFAULT_LABEL = _l("Sign in")
_ERROR_CODE = re.compile(r"^[a-z_]{1,40}$")  # an OAuth error code; anything else is not logged as sent


class ServiceUnavailable(Exception):
    """The sign-in service cannot be reached or answers nonsense; trying again later may work."""


class LoginFailed(Exception):
    """The sign-in service's answer was refused (state, code or ID token); `reason` is safe to log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VerifiedLogin:
    """Who signed in according to a validated ID token, plus claims meant only for display."""

    issuer: str
    subject: str
    id_token: str
    display: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderLink:
    """A sign-in service as the sign-in page shows it."""

    name: str
    label: str


class OidcClient(FlaskOAuth2App):
    """Authlib's Flask client, checking the ID token against the configured issuer as well."""

    def __init__(self, name: str, settings: dict[str, str]) -> None:
        self.issuer = settings["issuer"]
        self.metadata_url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        super().__init__(
            FlaskIntegration(name, oauth.cache), name,
            client_id=settings["client_id"], client_secret=settings["client_secret"],
            server_metadata_url=self.metadata_url,
            client_kwargs={"scope": settings["scopes"], "code_challenge_method": "S256",
                           "default_timeout": TIMEOUT_SECONDS},
        )

    def load_server_metadata(self) -> dict:
        """Fetch the discovery document once; refuse one that names another issuer (OpenID Discovery 4.3)."""
        metadata = super().load_server_metadata()
        if metadata.get("issuer") != self.issuer:
            self.server_metadata = {}  # fetch again next time: the provider or our setting may be fixed by then
            raise ServiceUnavailable(f"issuer in metadata differs from OIDC_{self.name.upper()}_ISSUER")
        return metadata

    def answers(self) -> bool:
        """Whether the sign-in service answers right now (its discovery document). The metadata is cached, so
        without asking, a browser would be sent to a service that is down and show a browser error."""
        try:
            with requests.get(self.metadata_url, timeout=PROBE_TIMEOUT, allow_redirects=False, stream=True) as answer:
                return answer.ok
        except requests.RequestException:
            return False

    def parse_id_token(self, token, nonce, claims_options=None, claims_cls=None, leeway=120):
        """Validate the ID token: signature, our issuer, our audience, expiry and nonce.

        Authlib checks `aud` only through `azp`; OpenID Connect Core 3.1.3.7 wants our client_id in `aud`.
        """
        options = {**(claims_options or {}), "iss": {"essential": True, "values": [self.issuer]},
                   "sub": {"essential": True}, "aud": {"essential": True, "values": [self.client_id]}}
        return super().parse_id_token(token, nonce, claims_options=options, claims_cls=claims_cls, leeway=leeway)


def init_app(app: Flask) -> None:
    """Make one client per configured sign-in service for this app, and let sign-out forms end up there."""
    oauth.init_app(app)
    services = app.config.get("OIDC", {})
    app.extensions["oidc_clients"] = {name: OidcClient(name, settings) for name, settings in services.items()}
    # Read by install_security: the sign-out form's redirect to a service's end-session endpoint must pass CSP.
    app.config["CSP_FORM_ACTION"] = sorted({_origin(settings["issuer"]) for settings in services.values()})


def client(name: str) -> OidcClient | None:
    """Return the client for a configured sign-in service, or None."""
    return current_app.extensions.get("oidc_clients", {}).get(name)


def providers() -> list[ProviderLink]:
    """List the configured sign-in services with their button text, in configuration order."""
    return [ProviderLink(name, str(LABELS.get(name, DEFAULT_LABEL))) for name in current_app.extensions["oidc_clients"]]


def authorize_redirect(name: str, redirect_uri: str) -> Response:
    """Send the browser to the sign-in service; Authlib keeps state, nonce and PKCE verifier in the session.
    ServiceUnavailable when the service does not answer: the person gets our page, not the browser's error."""
    remote = client(name)
    if not remote.answers():
        raise ServiceUnavailable("no answer")
    _forget_old_attempts(name)
    try:
        return remote.authorize_redirect(redirect_uri, ui_locales=str(get_locale()))
    except requests.RequestException as error:
        raise ServiceUnavailable(type(error).__name__) from error


def _forget_old_attempts(name: str, keep: int = KEEP_ATTEMPTS - 1) -> None:
    """Drop all but the newest unfinished sign-ins, so that abandoned ones cannot overfill the session cookie."""
    prefix = f"_state_{name}_"
    attempts = sorted((key for key in session if key.startswith(prefix)), key=lambda key: session[key].get("exp", 0))
    for key in attempts[:max(len(attempts) - keep, 0)]:
        session.pop(key)


def finish_login(name: str) -> VerifiedLogin:
    """Check the sign-in service's answer: state, code exchange with the PKCE verifier, and the ID token."""
    remote = client(name)
    try:
        _check_response_issuer(remote)
        token = remote.authorize_access_token()
    except MismatchingStateError as error:
        raise LoginFailed("mismatching_state") from error
    except OAuthError as error:  # an error in the redirect (access_denied) or from the token endpoint
        raise LoginFailed(_safe_code(error.error)) from error
    except JoseError as error:  # bad signature, wrong issuer or audience, expired, nonce
        raise LoginFailed(f"id_token_{_safe_code(error.error)}") from error
    except requests.RequestException as error:
        raise ServiceUnavailable(type(error).__name__) from error
    claims = token.get("userinfo")
    if not claims or "id_token" not in token:
        raise LoginFailed("missing_id_token")
    return VerifiedLogin(claims["iss"], claims["sub"], token["id_token"], _display_claims(remote, token, claims))


def _check_response_issuer(remote: OidcClient) -> None:
    """Refuse an answer that another sign-in service sent (RFC 9207: mix-up attacks with several services)."""
    sent = request.args.get("iss")
    if sent is None and remote.load_server_metadata().get("authorization_response_iss_parameter_supported"):
        raise LoginFailed("missing_iss")
    if sent is not None and sent != remote.issuer:
        raise LoginFailed("issuer_mismatch")


def _display_claims(remote: OidcClient, token: dict, claims: dict) -> dict:
    """Ask the userinfo endpoint for name and e-mail; the ID token alone lacks them when an access token is given."""
    try:
        info = remote.userinfo(token=token)
    except (requests.RequestException, OAuthError) as error:
        log.warning("userinfo unavailable: provider=%s error=%s", remote.name, type(error).__name__)
        return {}
    if info.get("sub") != claims["sub"]:  # OpenID Connect Core 5.3.2: otherwise the answer must not be used
        log.warning("userinfo refused: provider=%s reason=sub_mismatch", remote.name)
        return {}
    return {key: info[key] for key in ("name", "given_name", "family_name", "email") if info.get(key)}


def logout_url(name: str | None, id_token: str | None, post_logout_redirect_uri: str) -> str | None:
    """Return the sign-in service's end-session URL for RP-initiated logout, or None when there is none.
    ServiceUnavailable when the service does not answer: the browser must not be sent to a dead address."""
    remote = client(name) if name else None
    if remote is None or not id_token:
        return None
    try:
        if not remote.load_server_metadata().get("end_session_endpoint"):
            return None
        if not remote.answers():
            raise ServiceUnavailable("no answer")
        return remote.create_logout_url(post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=id_token,
                                        client_id=remote.client_id)["url"]
    except requests.RequestException as error:
        raise ServiceUnavailable(type(error).__name__) from error


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _safe_code(code: str | None) -> str:
    return code if code and _ERROR_CODE.match(code) else "unknown"
