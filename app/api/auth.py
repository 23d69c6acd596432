"""Bearer JWTs from the municipality's identity provider, checked by Authlib as RFC 9068 access tokens: the header
(RFC 6750), the signature against its JWKS, `typ` at+jwt, iss, aud, exp, nbf, iat, sub, client_id, jti and scope.

Ours on top: the JWKS cache, the allowed algorithms (API_JWT_ALGORITHMS), the clock tests move (`now`), the
municipalities a client speaks for (API_CLIENT_MUNICIPALITIES), and the answers as problem+json."""

import threading
import time
from dataclasses import dataclass

import requests
from authlib.integrations.flask_oauth2 import ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import MissingAuthorizationError, UnsupportedTokenTypeError
from authlib.oauth2.rfc6750 import InvalidTokenError
from authlib.oauth2.rfc9068 import JWTBearerTokenValidator
from authlib.oauth2.rfc9068.claims import JWTAccessTokenClaims
from flask import current_app, g
from flask_limiter.util import get_remote_address
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError
from joserfc.jwk import KeySet

from app.api.problems import ApiProblem

MAX_TOKEN_LENGTH = 8192
REALM = "onsplan-api"
REQUIRED_CLAIMS = ("exp", "sub", "client_id", "iat", "jti")  # with iss and aud: RFC 9068, 2.2
OPTIONAL_CLAIMS = ("auth_time", "acr", "amr", "scope", "groups", "roles", "entitlements")


@dataclass(frozen=True)
class ApiClient:
    """The caller as its access token names it: the client id, the granted scopes and the municipalities (CBS
    codes) it speaks for; None means the whole region (API_CLIENT_MUNICIPALITIES does not name the client)."""

    client_id: str
    scopes: frozenset[str]
    municipalities: frozenset[str] | None = None

    def covers(self, cbs_code: str | None) -> bool:
        """Whether this client may read and change the data of a family in this municipality."""
        return self.municipalities is None or cbs_code in self.municipalities


def now() -> int:
    """The time tokens are checked against (seconds since the epoch); tests move it."""
    return int(time.time())


class JwksCache:
    """The identity provider's keys, fetched once and again when a token names a key id we do not know."""

    def __init__(self, url: str, *, max_age: float, min_refresh: float, timeout: float = 5) -> None:
        self.url, self.max_age, self.min_refresh, self.timeout = url, max_age, min_refresh, timeout
        self._keys: KeySet | None = None
        self._fetched = float("-inf")
        self._lock = threading.Lock()

    def keys(self, kid: str | None) -> KeySet:
        """The key set, refetched when it is old or lacks `kid` (at most once per `min_refresh` seconds)."""
        with self._lock:
            age = time.monotonic() - self._fetched
            unknown = kid is not None and self._keys is not None and not _has_kid(self._keys, kid)
            if self._keys is None or age > self.max_age or (unknown and age >= self.min_refresh):
                self._fetch()
            return self._keys

    def _fetch(self) -> None:
        try:
            answer = requests.get(self.url, timeout=self.timeout, headers={"Accept": "application/json"})
            answer.raise_for_status()
            self._keys = KeySet.import_key_set(answer.json())
            self._fetched = time.monotonic()
        except (requests.RequestException, ValueError, JoseError) as error:
            if self._keys is None:
                raise ApiProblem("unavailable", "The identity provider's keys cannot be fetched right now; try "
                                 "again in a minute.", headers={"Retry-After": "60"}) from error


def _has_kid(keys: KeySet, kid: str) -> bool:
    return any(key.kid == kid for key in keys.keys)


def jwks_cache() -> JwksCache:
    """This app's cache of the configured JWKS."""
    config = current_app.config
    cache = current_app.extensions.get("api_jwks")
    if cache is None or cache.url != config["API_JWKS_URL"]:
        cache = JwksCache(config["API_JWKS_URL"], max_age=config["API_JWKS_MAX_AGE"],
                          min_refresh=config["API_JWKS_MIN_REFRESH"])
        current_app.extensions["api_jwks"] = cache
    return cache


class AccessTokenClaims(JWTAccessTokenClaims):
    """Authlib's RFC 9068 claims, checked at `now()` with the configured leeway. `typ` must be at+jwt: Authlib lets a
    token without `typ` pass, RFC 9068 (section 4) does not, and every issuer we trust sets it."""

    leeway = 0

    def validate(self, *_args, **_kwargs) -> None:
        if not self.header.get("typ"):
            raise InvalidClaimError("typ")
        super().validate(now=now(), leeway=self.leeway)


class AccessTokenValidator(JWTBearerTokenValidator):
    """Authlib's RFC 9068 validator on this app's settings and JWKS cache; a token's signature is checked once per
    request (the rate limit's key and the endpoint share it)."""

    def __init__(self, config) -> None:
        super().__init__(config.get("API_ISSUER"), config.get("API_AUDIENCE"), realm=REALM)
        self.configured = bool(config.get("API_JWKS_URL") and self.issuer and self.resource_server)
        self.algorithms, self.leeway = config["API_JWT_ALGORITHMS"], config["API_JWT_LEEWAY"]

    def get_jwks(self):
        """The keys for a token, from the cache: refetched when the token names a key id we do not know."""
        return lambda token: jwks_cache().keys(token.headers().get("kid"))

    def validate_request(self, request) -> None:
        if not self.configured:
            raise ApiProblem("unavailable", "The API is not configured (API_JWKS_URL, API_ISSUER, API_AUDIENCE).")

    def authenticate_token(self, token_string: str) -> AccessTokenClaims:
        """The token's signed claims (checked by validate_token), or its refusal; kept on `g` for this request."""
        checked = g.get("api_token_check")
        if checked is None or checked[0] != token_string:
            try:
                checked = (token_string, self._decoded(token_string.strip()))
            except (ApiProblem, OAuth2Error) as refusal:
                checked = (token_string, refusal)
            g.api_token_check = checked
        if isinstance(checked[1], Exception):
            raise checked[1]
        return checked[1]

    def _decoded(self, token_string: str) -> AccessTokenClaims:
        """What Authlib's authenticate_token does, with API_JWT_ALGORITHMS: Authlib passes joserfc no algorithms, and
        joserfc then allows only its recommended ones (not PS256)."""
        if len(token_string) > MAX_TOKEN_LENGTH:
            raise _unauthorized("The access token is too long.")
        try:
            token = jwt.decode(token_string, self.get_jwks(), algorithms=self.algorithms)
        except (JoseError, ValueError) as error:
            raise InvalidTokenError(realm=self.realm) from error
        options = {"iss": {"essential": True, "validate": self.validate_iss},
                   "aud": {"essential": True, "value": self.resource_server},
                   **{name: {"essential": True} for name in REQUIRED_CLAIMS},
                   **{name: {"essential": False} for name in OPTIONAL_CLAIMS}}
        claims = AccessTokenClaims(token.claims, token.header, options)
        claims.leeway = self.leeway
        return claims


def _protector() -> ResourceProtector:
    """Authlib's resource protector with this app's validator (settings differ per app, so one per call)."""
    protector = ResourceProtector()
    protector.register_token_validator(AccessTokenValidator(current_app.config))
    return protector


def _unauthorized(detail: str, error: str = "invalid_token") -> ApiProblem:
    header = f'Bearer realm="{REALM}", error="{error}"' if error else f'Bearer realm="{REALM}"'
    return ApiProblem("unauthorized", detail, headers={"WWW-Authenticate": header})


def _verified_claims() -> AccessTokenClaims:
    """The request's token as Authlib checked it (all but the scope), or the problem to answer with."""
    try:
        return _protector().acquire_token()
    except (MissingAuthorizationError, UnsupportedTokenTypeError):
        raise _unauthorized("Send an access token: Authorization: Bearer <token>.", error="") from None
    except OAuth2Error as error:
        reason = error.__cause__ or error
        if isinstance(reason, ExpiredTokenError):
            raise _unauthorized("The access token has expired; get a new one.") from None
        raise _unauthorized(f"The access token is not valid here: {_reason(reason)}") from None


def authenticate(scope: str) -> ApiClient:
    """Check the request's bearer token and that it grants `scope`; remember the client on `g`."""
    claims = _verified_claims()
    client_id = str(claims["client_id"])
    scoped = current_app.config["API_CLIENT_MUNICIPALITIES"]
    if scoped and client_id not in scoped:
        raise ApiProblem("forbidden", "This client is not registered for any municipality here.")
    client = ApiClient(client_id, frozenset(str(claims.get("scope") or "").split()),
                       frozenset(scoped[client_id]) if client_id in scoped and "*" not in scoped[client_id] else None)
    g.api_client = client
    if AccessTokenValidator.scope_insufficient(claims.get("scope"), [scope]):
        raise ApiProblem("forbidden", f"This endpoint needs the scope {scope}.", headers={
            "WWW-Authenticate": f'Bearer realm="{REALM}", error="insufficient_scope", scope="{scope}"'})
    return client


def limit_key() -> str:
    """Whose budget an API call spends (the rate limit): the client a valid token names, else the caller's address.

    Only a verified token counts: a forged client id must not spend another client's budget. The check is kept
    on `g`, so authenticate() does not verify the same token twice."""
    try:
        return f"api-client:{_protector().acquire_token()['client_id']}"
    except Exception:  # noqa: BLE001 - refused or failed: authenticate() answers it; here the address counts
        return f"address:{get_remote_address()}"


def _reason(error: Exception) -> str:
    text = getattr(error, "description", "") or getattr(error, "error", "") or str(error) or type(error).__name__
    return str(text)[:200]
