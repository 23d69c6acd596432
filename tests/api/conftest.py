"""API fixtures: the app with the demo plan, a local signing key behind a tiny JWKS server, token makers, and a
client that checks every answer against the published OpenAPI document.

As in every package: a fixture whose name starts with `any_` runs its tests on SQLite and again on PostgreSQL, the
others on SQLite only. A test asks for `any_api` when what it checks depends on the database (idempotent request
ids, the bulk catalog upsert and its rollback, the outbox, the audit chain); see docs/decisions.md, "Which tests
run on PostgreSQL"."""

import json
import time
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from jsonschema import Draft202012Validator

from app.catalog import assignments
from app.core.clock import today
from app.extensions import db
from tests.catalog.conftest import fitting_offer
from tests.conftest import make_app
from tests.plans.conftest import PlanWorld
from tests.support.servers import free_port, serve_in_thread

ISSUER = "https://idp.gemeente.test"
AUDIENCE = "https://onsplan.test/api/v1"
ALL_SCOPES = "catalog:write assignments:write care:write plans:read"


class JwksServer:
    """Serves a key set at /jwks.json on 127.0.0.1; keys can be added (rotation) while it runs."""

    def __init__(self) -> None:
        self.keys = [RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig"}, private=True)]
        self.fetches = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                owner.fetches += 1
                body = json.dumps(KeySet(owner.keys).as_dict(private=False)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        serve_in_thread(self.server)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"

    def rotate(self) -> RSAKey:
        key = RSAKey.generate_key(2048, parameters={"kid": f"key-{len(self.keys) + 1}", "use": "sig"}, private=True)
        self.keys.append(key)
        return key

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def jwks():
    server = JwksServer()
    yield server
    server.stop()


def sign(key: RSAKey, *, scope: str = ALL_SCOPES, aud: str = AUDIENCE, iss: str = ISSUER, ttl: int = 300,
         client_id: str = "gemeente-backoffice", alg: str = "RS256", **extra) -> str:
    """A JWT access token (RFC 9068 shape) signed by `key`."""
    now = int(time.time())
    claims = {"iss": iss, "aud": aud, "exp": now + ttl, "iat": now, "nbf": now, "client_id": client_id,
              "sub": client_id, "scope": scope, "jti": uuid.uuid4().hex, **extra}
    return jwt.encode({"alg": alg, "kid": key.kid, "typ": "at+jwt"}, claims, key)


def api_config(jwks_url: str, issuer: str = ISSUER, audience: str = AUDIENCE) -> dict:
    return {"API_JWKS_URL": jwks_url, "API_ISSUER": issuer, "API_AUDIENCE": audience, "API_JWKS_MIN_REFRESH": 0,
            "RATELIMIT_ENABLED": False}


class Api:
    """A test client for /api/v1 that checks each answer against the OpenAPI document of the same app."""

    def __init__(self, app, token: str | None) -> None:
        self.app, self.client, self.token = app, app.test_client(), token
        self.doc = self.client.get("/api/v1/openapi.json").get_json()
        self.checked: list[tuple[str, str, int]] = []

    def call(self, method: str, path: str, body=None, *, token: str | None = "default", raw: bytes | None = None,
             headers: dict | None = None, check: bool = True):
        token = self.token if token == "default" else token
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        if raw is not None:
            response = self.client.open(f"/api/v1{path}", method=method, data=raw,
                                        headers={"Content-Type": "application/json", **sent})
        else:
            response = self.client.open(f"/api/v1{path}", method=method, json=body, headers=sent)
        if check:
            self.conforms(method, path, response)
        return response

    def conforms(self, method: str, path: str, response) -> None:
        """The status is documented for this operation, with this media type, and the body fits its schema."""
        template, operation = self.operation(method, path)
        documented = operation["responses"]
        assert str(response.status_code) in documented, f"{method} {path}: {response.status_code} not documented"
        content = documented[str(response.status_code)].get("content", {})
        media = response.mimetype
        assert media in content, f"{method} {path}: {media} not documented for {response.status_code}"
        schema = {"components": self.doc["components"], **content[media]["schema"]}
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = [e.message for e in validator.iter_errors(response.get_json())]
        assert not errors, f"{method} {path} {response.status_code}: {errors[:3]}"
        self.checked.append((method, template, response.status_code))

    def operation(self, method: str, path: str) -> tuple[str, dict]:
        import re

        for template, item in self.doc["paths"].items():
            if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path.split("?")[0]) and method.lower() in item:
                return template, item[method.lower()]
        raise AssertionError(f"{method} {path} is not in the OpenAPI document")


def _api_app(url: str, tmp_path, jwks):
    flask_app = make_app(url, with_plan=True, MAIL_DIR=str(tmp_path / "mail"), **api_config(jwks.url))
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture
def api_app(tmp_path, jwks):
    """The app with the demo plan and the local JWKS, on SQLite."""
    yield from _api_app(f"sqlite:///{tmp_path / 'api.db'}", tmp_path, jwks)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_api_app(request, tmp_path, jwks):
    """The same on SQLite and on PostgreSQL."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").create_database(f"a_{uuid.uuid4().hex[:12]}")
    else:
        url = f"sqlite:///{tmp_path / 'api.db'}"
    yield from _api_app(url, tmp_path, jwks)


@pytest.fixture
def api(api_app, jwks):
    """The checking client with a token for every scope, on SQLite."""
    return Api(api_app, sign(jwks.keys[0]))


@pytest.fixture
def any_api(any_api_app, jwks):
    """The same on SQLite and on PostgreSQL."""
    return Api(any_api_app, sign(jwks.keys[0]))


def requested(app) -> str:
    """Tom chooses help for his school goal and Mark confirms it: the reference of the request."""
    world = PlanWorld(app)
    with app.test_request_context():
        goal = world.item("goal", domain="school")
        assignments.choose_offer(db.session, ctx=world.ctx("tom"), goal_id=goal.id,
                                 offer_id=fitting_offer(app, age=14))
        reference = assignments.confirm(db.session, ctx=world.ctx("mark"), goal_id=goal.id,
                                        requested_start=today() + timedelta(days=1)).reference
        db.session.commit()
        return reference


def new_id() -> str:
    return str(uuid.uuid4())
