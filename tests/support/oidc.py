"""A real OpenID Connect provider for the tests (npm oidc-provider), and a robot that signs in through it."""

import json
import os
import re
import shutil
import ssl
import subprocess
import tempfile
import time
import urllib.request
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

from tests.support.servers import ROOT, AppServer, free_port

PROVIDER_SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
INPUT = re.compile(r"<input\b([^>]*)>", re.I)
CANCEL_LINK = re.compile(r'<a href="([^"]+/abort)"')


def web_client(client_id: str, secret: str, *, callback_path: str, logout_path: str = "/") -> dict:
    """A confidential client for the code flow on any port of 127.0.0.1.

    Registered as `native` only because the test provider starts before the app, whose port it cannot know:
    oidc-provider then accepts the loopback redirect on any port (RFC 8252, 7.3). Path and host must still match.
    """
    return {
        "client_id": client_id, "client_secret": secret, "application_type": "native",
        "redirect_uris": [f"http://127.0.0.1{callback_path}"],
        "post_logout_redirect_uris": [f"http://127.0.0.1{logout_path}"],
        "grant_types": ["authorization_code"], "response_types": ["code"],
    }


def machine_client(client_id: str, secret: str) -> dict:
    """A client for the client credentials grant (server to server, no person)."""
    return {"client_id": client_id, "client_secret": secret, "grant_types": ["client_credentials"],
            "redirect_uris": [], "response_types": []}


# The clients of the one test provider of a run (the `oidc_provider` fixture): every client a test needs.
# "code_ttl" is a client's own lifetime of authorization codes in seconds (tests/oidc/provider.mjs; default 60).
CITIZENS_CLIENT = web_client("onsplan-citizens", "citizens-test-secret", callback_path="/inloggen/citizens/terug")
STAFF_CLIENT = {**web_client("onsplan-staff", "staff-test-secret", callback_path="/inloggen/staff/terug"),
                "code_ttl": 1}
OTHER_CLIENT = web_client("another-app", "another-test-secret", callback_path="/callback")
SYNC_CLIENT = machine_client("onsplan-sync", "sync-test-secret")
BACKOFFICE_CLIENT = machine_client("gemeente-backoffice", "backoffice-test-secret")
OFFLINE_CLIENT = web_client("onsplan-offline", "offline-test-secret", callback_path="/inloggen/offline/terug")
TEST_CLIENTS = [CITIZENS_CLIENT, STAFF_CLIENT, OTHER_CLIENT, SYNC_CLIENT, BACKOFFICE_CLIENT]

# Its resource servers: client credentials with `resource=AUDIENCE` give a JWT access token for that audience,
# with at most its scopes, living its ttl in seconds.
API_AUDIENCE = "https://onsplan.test/api/v1"
OTHER_API_AUDIENCE = "https://another-service.test/api"
EVENTS_AUDIENCE = "https://gemeente.test/events"
SHORT_EVENTS_AUDIENCE = "https://gemeente.test/events-short"
TEST_RESOURCES = {
    API_AUDIENCE: {"scope": "catalog:write assignments:write care:write plans:read", "ttl": 600},
    OTHER_API_AUDIENCE: {"scope": "plans:read", "ttl": 600},
    EVENTS_AUDIENCE: {"scope": "events:write", "ttl": 600},
    SHORT_EVENTS_AUDIENCE: {"scope": "events:write", "ttl": 2},
}


class OidcProvider:
    """`node tests/oidc/provider.mjs` on its own port, with static clients and resource servers
    ({audience: {"scope": ..., "ttl": seconds}}); issuer http://127.0.0.1:PORT, or https with `tls`."""

    def __init__(self, clients: list[dict], resources: dict[str, dict], *, tls: tuple[Path, Path] | None = None,
                 port: int | None = None) -> None:
        self.clients = clients
        self.resources = resources
        self.tls = tls  # (certificate, key): serve https, as production requires of a sign-in service
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        self.log = Path(tempfile.mkstemp(prefix="onsplan-oidc-", suffix=".log")[1])

    @property
    def issuer(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> "OidcProvider":
        node = shutil.which("node")
        assert node, "node not found: Node 20+ is needed for the test OpenID provider"
        assert (ROOT / "node_modules" / "oidc-provider").exists(), "oidc-provider not installed: run npm ci"
        env = {**os.environ, "OIDC_CLIENTS": json.dumps(self.clients), "OIDC_RESOURCES": json.dumps(self.resources)}
        trust = None
        if self.tls:
            env |= {"OIDC_TLS_CERT": str(self.tls[0]), "OIDC_TLS_KEY": str(self.tls[1])}
            trust = ssl.create_default_context(cafile=str(self.tls[0]))
        with self.log.open("wb") as log:
            self.process = subprocess.Popen([node, str(PROVIDER_SCRIPT), str(self.port)], cwd=ROOT, env=env,
                                            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.issuer}/.well-known/openid-configuration", timeout=1,
                                            context=trust) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the OpenID provider did not start:\n{self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.log.unlink(missing_ok=True)


def provider_env(providers: dict[str, tuple[str, dict]]) -> dict[str, str]:
    """The app's settings for these sign-in services: {name: (issuer, client)}."""
    env = {"OIDC_PROVIDERS": ",".join(providers)}
    for name, (issuer, client) in providers.items():
        prefix = f"OIDC_{name.upper()}_"
        env |= {prefix + "ISSUER": issuer, prefix + "CLIENT_ID": client["client_id"],
                prefix + "CLIENT_SECRET": client["client_secret"]}
    return env


def app_server_services(provider: "OidcProvider") -> dict[str, tuple[str, dict]]:
    """The sign-in services of the session's app server: citizens (normal), staff (its codes live one second, at
    the same provider) and offline (nothing answers there)."""
    return {"citizens": (provider.issuer, CITIZENS_CLIENT), "staff": (provider.issuer, STAFF_CLIENT),
            "offline": (f"http://127.0.0.1:{free_port()}", OFFLINE_CLIENT)}


def api_env(provider: "OidcProvider") -> dict[str, str]:
    """The app's inbound API settings trusting this provider's access tokens for API_AUDIENCE (as production trusts
    the municipality's broker): the backoffice gets a token with client credentials and posts its decisions."""
    discovery = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    return {"API_JWKS_URL": discovery["jwks_uri"], "API_ISSUER": provider.issuer, "API_AUDIENCE": API_AUDIENCE}


def backoffice_token(provider: "OidcProvider", *, scope: str = "assignments:write") -> str:
    """An access token for the API, as the municipality's backoffice gets one (client credentials)."""
    answer = requests.post(f"{provider.issuer}/token", timeout=10,
                           auth=(BACKOFFICE_CLIENT["client_id"], BACKOFFICE_CLIENT["client_secret"]),
                           data={"grant_type": "client_credentials", "resource": API_AUDIENCE, "scope": scope})
    answer.raise_for_status()
    return answer.json()["access_token"]


def link_identity(database_url: str, *, persona: str, issuer: str, subject: str) -> None:
    """Link an identity at a provider to a demo persona, straight in the app's database."""
    from app import create_app
    from app.demo.services import demo_people
    from app.extensions import db
    from app.identity.models import LoginIdentity

    flask_app = create_app({"ENV_NAME": "test", "DATABASE_URL": database_url})
    with flask_app.app_context():
        with db.new_session() as session:
            person = demo_people(session)[persona]
            session.add(LoginIdentity(person_id=person.id, provider="citizens", issuer=issuer, subject=subject))
            session.commit()
        db.engine.dispose()


def app_signing_in_at(provider: OidcProvider, world: dict[str, str], personas: tuple[str, ...]) -> AppServer:
    """The app under gunicorn on a copy of the demo world (OperatorSeed.copy_to), signing citizens in at this
    provider, each persona linked to the identity `<persona>-digid` there. Started: stop() it."""
    for persona in personas:
        link_identity(world["DATABASE_URL"], persona=persona, issuer=provider.issuer, subject=f"{persona}-digid")
    return AppServer({"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "own-provider-secret",
                      "SESSION_COOKIE_SECURE": "0", "LOG_JSON": "0", "LOG_LEVEL": "CRITICAL", **world,
                      **provider_env({"citizens": (provider.issuer, CITIZENS_CLIENT)})}).start()


def _forms(html: str) -> list[tuple[dict, dict]]:
    """Return (form attributes, hidden and preset input values) for each form on a page."""
    found = []
    for attributes, body in FORM.findall(html):
        inputs = {}
        for field in INPUT.findall(body):
            attrs = {key: unescape(value) for key, value in ATTRIBUTE.findall(field)}
            if "name" in attrs:
                inputs[attrs["name"]] = attrs.get("value", "")
        found.append(({key: unescape(value) for key, value in ATTRIBUTE.findall(attributes)}, inputs))
    return found


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def authorize(http: requests.Session, start_url: str, *, login: str = "erik-digid", cancel: bool = False,
              return_to: str | None = None) -> str:
    """Walk from `start_url` through the provider's login and consent pages; return where it sends the browser back.

    `return_to` is the origin of the client (default: the origin of `start_url`, the app). With `cancel` the
    person presses the provider's cancel link instead of signing in. Pages are answered as a person would:
    login form (any password), then the consent form; an existing provider session skips them.
    """
    client_origin = return_to or _origin(start_url)
    response = http.get(start_url, allow_redirects=False)
    for _step in range(20):
        if response.is_redirect:
            target = urljoin(response.url, response.headers["Location"])
            if _origin(response.url) != client_origin and _origin(target) == client_origin:
                return target
            response = http.get(target, allow_redirects=False)
            continue
        assert response.status_code == 200, f"{response.status_code} from {response.url}: {response.text[:300]}"
        forms = [(attrs, fields) for attrs, fields in _forms(response.text) if fields.get("prompt")]
        assert forms, f"no login or consent form at {response.url}"
        attrs, fields = forms[0]
        if cancel:
            link = CANCEL_LINK.search(response.text)
            assert link, "no cancel link on the provider's page"
            response = http.get(urljoin(response.url, unescape(link.group(1))), allow_redirects=False)
            continue
        if fields["prompt"] == "login":
            fields |= {"login": login, "password": "any password"}
        response = http.post(urljoin(response.url, attrs["action"]), data=fields, allow_redirects=False)
    raise AssertionError("the sign-in did not come back to the client")


def complete_login(http: requests.Session, start_url: str, *, login: str = "erik-digid") -> requests.Response:
    """Sign in through the provider from the app's /inloggen/<name>; return the app callback's own response."""
    return http.get(authorize(http, start_url, login=login), allow_redirects=False)
