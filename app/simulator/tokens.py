"""The simulator's keys: it signs its own tokens (demo mode, and its calls to our API) and checks the ones it gets."""

import base64
import json
import threading
import time
import uuid

import requests
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey


class Signer:
    """An RSA key made at start; JWTs with iss, aud, exp and scope; its public half at /.well-known/jwks.json."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer
        self.key = RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex[:16], "use": "sig", "alg": "RS256"},
                                       private=True)

    def issue(self, *, audience: str, scope: str, subject: str, ttl: int) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": subject, "aud": audience, "scope": scope, "iat": now, "nbf": now,
                  "exp": now + ttl, "jti": uuid.uuid4().hex, "client_id": subject}
        return jwt.encode({"alg": "RS256", "kid": self.key.kid, "typ": "at+jwt"}, claims, self.key)

    def jwks(self) -> dict:
        return {"keys": [self.key.as_dict(private=False)]}


class Verifier:
    """Accept tokens from our own signer, or from one trusted issuer whose JWKS comes from its discovery document."""

    def __init__(self, signer: Signer, *, audience: str, scope: str, trusted_issuer: str | None = None) -> None:
        self.signer, self.audience, self.scope, self.trusted_issuer = signer, audience, scope, trusted_issuer
        self._remote: KeySet | None = None
        self._lock = threading.Lock()
        self.not_before = 0.0  # tokens issued before this moment are refused (the "revoke" control)
        self._checked: dict[str, dict] = {}

    def check(self, authorization: str) -> dict:
        """Return the token's claims or raise ValueError with the reason."""
        scheme, _, value = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not value:
            raise ValueError("no bearer token")
        known = self._checked.get(value)  # one signature check per token, not per event
        if known is not None and known["exp"] > time.time():
            if known.get("iat", 0) < self.not_before:
                raise ValueError("token revoked")
            return known
        claims = self._verify(value)
        if len(self._checked) > 1000:
            self._checked.clear()
        self._checked[value] = claims
        return claims

    def _verify(self, value: str) -> dict:
        issuer = self._unverified_issuer(value)
        keys = KeySet([self.signer.key]) if issuer == self.signer.issuer else self._remote_keys(issuer)
        try:
            token = jwt.decode(value, keys, algorithms=["RS256", "PS256", "ES256"])
            jwt.JWTClaimsRegistry(iss={"essential": True, "value": issuer}, exp={"essential": True},
                                  aud={"essential": True, "value": self.audience}).validate(token.claims)
        except (JoseError, ValueError) as error:
            raise ValueError(f"token refused: {error}") from error
        if self.scope and self.scope not in str(token.claims.get("scope", "")).split():
            raise ValueError(f"token lacks the scope {self.scope}")
        if token.claims.get("iat", 0) < self.not_before:
            raise ValueError("token revoked")
        return token.claims

    @staticmethod
    def _unverified_issuer(value: str) -> str:
        """The `iss` claim before verification: it says which keys to verify with."""
        try:
            body = value.split(".")[1]
            return str(json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))["iss"])
        except (IndexError, ValueError, KeyError, TypeError) as error:
            raise ValueError("not a JWT") from error

    def _remote_keys(self, issuer: str) -> KeySet:
        if not self.trusted_issuer or issuer != self.trusted_issuer:
            raise ValueError(f"untrusted issuer {issuer}")
        with self._lock:
            if self._remote is None:
                config = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5).json()
                self._remote = KeySet.import_key_set(requests.get(config["jwks_uri"], timeout=5).json())
            return self._remote
