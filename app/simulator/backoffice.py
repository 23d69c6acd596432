"""The simulated backoffice as a WSGI app: receive events, issue tokens, answer assignment requests, fail on demand."""

import base64
import hashlib
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import requests
from flask import Flask, Response, jsonify, request

from app.outbox.schemas import SCHEMAS, validator
from app.simulator.tokens import Signer, Verifier

FAULTS = ("down", "500", "slow", "timeout", "duplicates")
log = logging.getLogger("onsplan.simulator")
EVENTS_SCOPE = "events:write"
DECISIONS_SCOPE = "assignments:write"


@dataclass
class SimulatorSettings:
    """How the simulator behaves; `issuer` is its own base URL."""

    issuer: str
    app_url: str  # where OUR inbound API lives (decisions go to {app_url}/api/v1/...)
    api_audience: str  # the audience our API expects in the tokens the simulator signs
    clients: dict[str, str] = field(default_factory=dict)  # client_id -> secret for /token
    events_audience: str = ""  # the audience our worker's tokens must carry (default {issuer}/events)
    trusted_issuer: str | None = None  # an identity provider whose JWT access tokens are accepted too
    fail: str = ""
    slow_seconds: float = 2.0
    timeout_seconds: float = 60.0
    decide_after: float | None = 5.0  # None: never answer assignment requests
    token_ttl: int = 300
    # A decision our API did not take (unreachable, 5xx, 429) is sent again after 1, 2, 4 ... s, at most
    # retry_max_seconds apart and retry_attempts times in all (about 1.5 minutes), then given up and logged.
    retry_attempts: int = 8
    retry_base_seconds: float = 1.0
    retry_max_seconds: float = 30.0

    def __post_init__(self) -> None:
        self.events_audience = self.events_audience or f"{self.issuer}/events"


class Ledger:
    """Everything received and sent, for people (GET /) and tests (GET /_received)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accepted: list[dict] = []
        self.receipts: dict[str, int] = {}
        self.rejected: list[dict] = []
        self.unauthorized: list[str] = []
        self.decisions: list[dict] = []

    def snapshot(self) -> dict:
        with self.lock:
            return {"accepted": list(self.accepted), "receipts": dict(self.receipts), "rejected": list(self.rejected),
                    "unauthorized": list(self.unauthorized), "decisions": list(self.decisions)}


def create_simulator(settings: SimulatorSettings) -> Flask:
    """Build the simulator's WSGI app."""
    sim = Flask("municipality_simulator")
    sim.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    signer = Signer(settings.issuer)
    verifier = Verifier(signer, audience=settings.events_audience, scope=EVENTS_SCOPE,
                        trusted_issuer=settings.trusted_issuer)
    ledger = Ledger()
    decider = Decider(settings, signer, ledger)
    sim.extensions.update(simulator_settings=settings, ledger=ledger, verifier=verifier)

    @sim.post("/events")
    def receive() -> Response:
        if settings.fail == "down":
            return _problem(503, "The backoffice is down (simulated).")
        if settings.fail == "500":
            return _problem(500, "The backoffice failed (simulated).")
        try:
            claims = verifier.check(request.headers.get("Authorization", ""))
        except ValueError as error:
            with ledger.lock:
                ledger.unauthorized.append(str(error))
            return _problem(401, str(error), headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        event = request.get_json(silent=True)
        key = request.headers.get("Idempotency-Key", "")
        problems = _check(event, key)
        if problems:
            with ledger.lock:
                ledger.rejected.append({"key": key, "type": (event or {}).get("type"), "errors": problems})
            return _problem(422, "The event does not follow the published schema.", errors=problems)
        with ledger.lock:
            first = key not in ledger.receipts
            ledger.receipts[key] = ledger.receipts.get(key, 0) + 1
            if first:
                ledger.accepted.append({"key": key, "type": event["type"], "subject": event["subject"],
                                        "sequence": event["sequence"], "jti": claims.get("jti"), "at": time.time()})
        if not first:
            return jsonify(status="duplicate", key=key), 200
        if event["type"] == "assignment.requested":
            decider.schedule(event["data"])
        if settings.fail == "slow":
            time.sleep(settings.slow_seconds)
        if settings.fail == "timeout":
            time.sleep(settings.timeout_seconds)  # accepted, but the answer never comes in time
        return jsonify(status="accepted", key=key), 202

    @sim.post("/token")
    def token() -> Response:
        client_id, secret = _client_credentials()
        if not client_id or settings.clients.get(client_id) != secret:
            return jsonify(error="invalid_client"), 401
        if request.form.get("grant_type") != "client_credentials":
            return jsonify(error="unsupported_grant_type"), 400
        asked = set((request.form.get("scope") or EVENTS_SCOPE).split())
        if not asked <= {EVENTS_SCOPE}:
            return jsonify(error="invalid_scope"), 400
        access = signer.issue(audience=settings.events_audience, scope=EVENTS_SCOPE, subject=client_id,
                              ttl=settings.token_ttl)
        return jsonify(access_token=access, token_type="Bearer", expires_in=settings.token_ttl, scope=EVENTS_SCOPE)

    @sim.get("/.well-known/jwks.json")
    def jwks() -> Response:
        return jsonify(signer.jwks())

    @sim.get("/.well-known/openid-configuration")
    def discovery() -> Response:
        return jsonify(issuer=settings.issuer, token_endpoint=f"{settings.issuer}/token",
                       jwks_uri=f"{settings.issuer}/.well-known/jwks.json",
                       grant_types_supported=["client_credentials"])

    @sim.get("/")
    def summary() -> Response:
        seen = ledger.snapshot()
        return jsonify(fail=settings.fail or None, accepted=len(seen["accepted"]), rejected=len(seen["rejected"]),
                       duplicates=sum(n - 1 for n in seen["receipts"].values()),
                       unauthorized=len(seen["unauthorized"]), decisions=seen["decisions"][-10:])

    @sim.get("/_received")
    def received() -> Response:
        return jsonify(ledger.snapshot())

    @sim.post("/_control")
    def control() -> Response:
        """Change the fault mode while running ({"fail": "down"|...|""}), or refuse all tokens issued so far."""
        body = request.get_json(silent=True) or {}
        if "fail" in body:
            if body["fail"] and body["fail"] not in FAULTS:
                return _problem(400, f"fail must be one of {', '.join(FAULTS)}")
            settings.fail = body["fail"] or ""
        if body.get("revoke_tokens"):
            verifier.not_before = time.time() + 1
        return jsonify(fail=settings.fail or None)

    @sim.get("/healthz")
    def health() -> Response:
        return jsonify(status="ok")

    return sim


def _check(event: object, key: str) -> list[str]:
    """What is wrong with an event's envelope and payload (empty: nothing)."""
    if not isinstance(event, dict):
        return ["the body is not a JSON object"]
    problems = [f"missing {name}" for name in ("specversion", "id", "type", "subject", "sequence", "dataschema",
                                                "data") if name not in event]
    if problems:
        return problems
    if not key or key != event["id"]:
        problems.append("the Idempotency-Key header must equal the event id")
    if event["type"] not in SCHEMAS:
        return [*problems, f"unknown event type {event['type']}"]
    if event["dataschema"] != SCHEMAS[event["type"]]["$id"]:
        problems.append(f"dataschema must be {SCHEMAS[event['type']]['$id']}")
    problems += [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
                 for error in validator(event["type"]).iter_errors(event["data"])]
    return problems


def _client_credentials() -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        from urllib.parse import unquote

        try:
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return "", ""
        return unquote(client_id), unquote(secret)
    return request.form.get("client_id", ""), request.form.get("client_secret", "")


def _problem(status: int, title: str, headers: dict | None = None, **extra) -> Response:
    response = jsonify(type="about:blank", title=title, status=status, **extra)
    response.status_code = status
    response.content_type = "application/problem+json"
    response.headers.update(headers or {})
    return response


class Decider:
    """Answer each assignment request after a delay by calling our inbound API, with a token it signs itself."""

    def __init__(self, settings: SimulatorSettings, signer: Signer, ledger: Ledger) -> None:
        self.settings, self.signer, self.ledger = settings, signer, ledger
        self.http = requests.Session()
        self.sleep = time.sleep  # tests replace it

    def schedule(self, request_payload: dict) -> None:
        if self.settings.decide_after is None:
            return
        timer = threading.Timer(self.settings.decide_after, self.decide, args=(request_payload,))
        timer.daemon = True
        timer.start()

    def decide(self, request_payload: dict) -> None:
        """Assign the requested help: a number from the reference, a year from the requested start."""
        reference = request_payload["reference"]
        start = date.fromisoformat(request_payload["requested_start"])
        body = {"decision": "assigned", "assignment_number": assignment_number(reference),
                "start": start.isoformat(), "end": (start + timedelta(days=364)).isoformat(),
                "request_id": str(uuid.uuid4())}
        for copy in range(2 if self.settings.fail == "duplicates" else 1):
            self._send(reference, body, copy)

    def _send(self, reference: str, body: dict, copy: int) -> None:
        url = f"{self.settings.app_url.rstrip('/')}/api/v1/assignments/{reference}/decision"
        status, detail = None, ""
        for attempt in range(1, self.settings.retry_attempts + 1):
            token = self.signer.issue(audience=self.settings.api_audience, scope=DECISIONS_SCOPE,
                                      subject="gemeente-backoffice", ttl=300)
            retry_after = None
            try:
                response = self.http.post(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10)
                status, detail = response.status_code, response.text[:300]
                if status < 500 and status != 429:
                    break
                if status == 429:  # over our rate limit: wait as long as we are told (a backoffice would)
                    retry_after = min(60.0, _seconds(response.headers.get("Retry-After")))
            except requests.RequestException as error:
                status, detail = None, str(error)[:300]
            if attempt == self.settings.retry_attempts:
                log.error("decision for %s not taken after %d attempts (last: %s %s)%s", reference, attempt,
                          status or "no answer", detail, _hint(status))
                break
            wait = retry_after or self.backoff(attempt)
            log.warning("decision for %s not taken (attempt %d of %d: %s %s); again in %.1f s", reference, attempt,
                        self.settings.retry_attempts, status or "no answer", detail[:120], wait)
            self.sleep(wait)
        with self.ledger.lock:
            self.ledger.decisions.append({"reference": reference, "request_id": body["request_id"], "copy": copy,
                                          "status": status, "detail": detail, "body": body})

    def backoff(self, attempt: int) -> float:
        """Seconds before attempt `attempt + 1`: doubling from retry_base_seconds, at most retry_max_seconds."""
        return min(self.settings.retry_max_seconds, self.settings.retry_base_seconds * 2 ** (attempt - 1))


def _hint(status: int | None) -> str:
    if status == 503:
        return ("; a 503 from our API usually means it cannot fetch our keys: API_ISSUER and API_JWKS_URL "
                "must name this simulator (demo mode derives them from SIMULATOR_URL)")
    return ""


def _seconds(retry_after: str | None) -> float:
    try:
        return max(1.0, float(retry_after or 1))
    except ValueError:
        return 1.0


def assignment_number(reference: str) -> int:
    """A ToewijzingNummer (1..999999999) that stays the same for the same request."""
    return int(hashlib.sha256(reference.encode()).hexdigest(), 16) % 999_999_999 + 1
