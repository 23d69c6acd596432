"""Bearer JWTs from the municipality's identity provider: signature (its JWKS), issuer, audience, expiry, scope."""

import threading
import time
from dataclasses import dataclass

import requests
from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

from app.api.problems import ApiProblem

MAX_TOKEN_LENGTH = 8192


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


def _unauthorized(detail: str, error: str = "invalid_token") -> ApiProblem:
    header = f'Bearer realm="onsplan-api", error="{error}"' if error else 'Bearer realm="onsplan-api"'
    return ApiProblem("unauthorized", detail, headers={"WWW-Authenticate": header})


def authenticate(scope: str) -> ApiClient:
    """Check the request's bearer token and that it grants `scope`; remember the client on `g`."""
    config = current_app.config
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("Send an access token: Authorization: Bearer <token>.", error="")
    if not config.get("API_JWKS_URL") or not config.get("API_ISSUER") or not config.get("API_AUDIENCE"):
        raise ApiProblem("unavailable", "The API is not configured (API_JWKS_URL, API_ISSUER, API_AUDIENCE).")
    if len(token) > MAX_TOKEN_LENGTH:
        raise _unauthorized("The access token is too long.")
    claims = _checked_claims(token, config)
    client_id = _client_id(claims)
    if not client_id:
        raise _unauthorized("The access token names no client (client_id).")
    scoped = config["API_CLIENT_MUNICIPALITIES"]
    if scoped and client_id not in scoped:
        raise ApiProblem("forbidden", "This client is not registered for any municipality here.")
    client = ApiClient(client_id, frozenset(str(claims.get("scope") or "").split()),
                       frozenset(scoped[client_id]) if client_id in scoped and "*" not in scoped[client_id] else None)
    g.api_client = client
    if scope not in client.scopes:
        raise ApiProblem("forbidden", f"This endpoint needs the scope {scope}.", headers={
            "WWW-Authenticate": f'Bearer realm="onsplan-api", error="insufficient_scope", scope="{scope}"'})
    return client


def limit_key() -> str:
    """Whose budget an API call spends (the rate limit): the client a valid token names, else the caller's address.

    Only a verified token counts: a forged client id must not spend another client's budget. The check is kept
    on `g`, so authenticate() does not verify the same token twice."""
    config = current_app.config
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    configured = config.get("API_JWKS_URL") and config.get("API_ISSUER") and config.get("API_AUDIENCE")
    if scheme.lower() == "bearer" and token and len(token) <= MAX_TOKEN_LENGTH and configured:
        try:
            client_id = _client_id(_checked_claims(token, config))
        except Exception:  # noqa: BLE001 - refused or failed: authenticate() answers it; here the address counts
            client_id = ""
        if client_id:
            return f"api-client:{client_id}"
    return f"address:{get_remote_address()}"


def _client_id(claims: dict) -> str:
    return str(claims.get("client_id") or claims.get("azp") or claims.get("sub") or "")


def _checked_claims(token: str, config) -> dict:
    """The token's verified claims, or its ApiProblem; each token is checked once per request."""
    checked = g.get("api_token_check")
    if checked is None or checked[0] != token:
        try:
            checked = (token, _verified_claims(token, config))
        except ApiProblem as problem:
            checked = (token, problem)
        g.api_token_check = checked
    if isinstance(checked[1], ApiProblem):
        raise checked[1]
    return checked[1]


def _verified_claims(token: str, config) -> dict:
    try:
        header = extract_compact(token.encode()).protected
    except (JoseError, ValueError, UnicodeError):
        raise _unauthorized("The access token is not a signed JWT.") from None
    algorithms = config["API_JWT_ALGORITHMS"]
    if header.get("alg") not in algorithms:
        raise _unauthorized(f"The token's algorithm is not accepted (use {', '.join(algorithms)}).")
    keys = jwks_cache().keys(header.get("kid"))
    try:
        decoded = jwt.decode(token, keys, algorithms=algorithms)
        registry = jwt.JWTClaimsRegistry(
            now=now, leeway=config["API_JWT_LEEWAY"], iss={"essential": True, "value": config["API_ISSUER"]},
            aud={"essential": True, "value": config["API_AUDIENCE"]}, exp={"essential": True})
        registry.validate(decoded.claims)
    except ExpiredTokenError:
        raise _unauthorized("The access token has expired; get a new one.") from None
    except (JoseError, ValueError) as error:
        raise _unauthorized(f"The access token is not valid here: {_reason(error)}") from None
    return decoded.claims


def _reason(error: Exception) -> str:
    text = getattr(error, "description", "") or getattr(error, "error", "") or type(error).__name__
    return str(text)[:200]
