"""Deliver outbox events to the municipality: OAuth2 client credentials, an Idempotency-Key per event, exponential
backoff with jitter, per-aggregate order, dead after the last attempt.

Claiming: an event is due when it is pending, its next attempt has come, and every earlier event of its aggregate
is delivered (a dead or waiting event holds the plan's later events back). On PostgreSQL the due "heads" are
locked with FOR UPDATE SKIP LOCKED, so several workers share the work without delivering an event twice; on SQLite
one worker runs at a time (a lock row, `acquire_lock`). After a head is delivered the worker follows its aggregate
in the same transaction. The HTTP calls happen before anything is written: on SQLite no write lock is held while
the municipality answers. A worker killed mid-batch leaves its events pending; the next one sends them again with
the same Idempotency-Key and the receiver keeps the first.
"""

import os
import random
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
import sqlalchemy as sa
from authlib.integrations.requests_client import OAuth2Session
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from app.core.clock import utcnow
from app.outbox.models import OutboxEvent, SyncWorkerLock

LOCK_NAME = "outbox"
RETRYABLE_4XX = {408, 425, 429}
SOURCE = "urn:onsplan"
REQUIRED = {"endpoint": "SYNC_ENDPOINT", "token_url": "SYNC_TOKEN_URL", "client_id": "SYNC_CLIENT_ID",
            "client_secret": "SYNC_CLIENT_SECRET"}


def settings_problems(settings: dict, *, production: bool) -> list[str]:
    """What keeps the worker from delivering: SYNC_* settings that are missing, or in production an address that is
    not https (the events hold family data, the token request the client secret)."""
    missing = [name for key, name in REQUIRED.items() if not settings.get(key)]
    problems = [f"{_listed(missing)} {'is' if len(missing) == 1 else 'are'} not set"] if missing else []
    if production:
        plain = [REQUIRED[key] for key in ("endpoint", "token_url")
                 if settings.get(key) and urlsplit(settings[key]).scheme != "https"]
        if plain:
            problems.append(f"{_listed(plain)} must be https:// in production, so that family data and the client "
                            "secret never travel unencrypted")
    return problems


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def backoff_seconds(attempts: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Wait before attempt `attempts + 1`: base × 2^(attempts − 1), capped, with "equal jitter" (half to all of it)."""
    delay = min(cap, base * 2 ** max(attempts - 1, 0))
    return delay / 2 + (rng or random).uniform(0, delay / 2)


def envelope(event: OutboxEvent) -> dict:
    """The event as a CloudEvents 1.0 JSON document: the payload under `data`, the order in `sequence`."""
    return {"specversion": "1.0", "id": event.idempotency_key, "source": SOURCE, "type": event.event_type,
            "dataschema": event.schema_id, "subject": event.aggregate_id, "aggregatetype": event.aggregate_type,
            "sequence": event.sequence, "time": event.created_at.isoformat(), "datacontenttype": "application/json",
            "data": event.payload}


class TokenSource:
    """Access tokens by the client credentials grant (Authlib), fetched again shortly before they expire or on 401."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.oauth = OAuth2Session(settings["client_id"], settings["client_secret"], scope=settings["scope"] or None)
        self.token: dict | None = None
        self.fetched = 0
        self._lock = threading.Lock()  # several chains are delivered side by side

    def header(self) -> str:
        """Return the Authorization header value, fetching a token when there is none or it is about to expire."""
        with self._lock:
            if self.token is None or time.time() >= self._renew_at:
                self._fetch()
            return f"Bearer {self.token['access_token']}"

    def renew(self, stale: str | None = None) -> None:
        """Fetch a new token after a 401, unless another thread already replaced the refused one."""
        with self._lock:
            if stale is None or self.token is None or stale == f"Bearer {self.token['access_token']}":
                self._fetch()

    def _fetch(self) -> None:
        extra = {"resource": self.settings["resource"]} if self.settings["resource"] else {}
        self.token = self.oauth.fetch_token(self.settings["token_url"], grant_type="client_credentials",
                                            timeout=self.settings["timeout"], **extra)
        lifetime = float(self.token.get("expires_in") or 300)
        self._renew_at = time.time() + lifetime - min(30.0, lifetime * 0.1)
        self.fetched += 1


@dataclass
class Outcome:
    """What one delivery attempt came to."""

    delivered: bool
    permanent: bool = False  # the receiver refused the event itself (4xx): trying again will not help
    error: str = ""
    at: datetime = field(default_factory=utcnow)


class Deliverer:
    """POST events to SYNC_ENDPOINT over one kept-alive connection."""

    def __init__(self, settings: dict, tokens: TokenSource | None = None) -> None:
        self.settings = settings
        self.tokens = tokens or TokenSource(settings)
        self.http = requests.Session()

    def deliver_chains(self, chains: list[list[tuple[OutboxEvent, dict]]], *,
                       concurrency: int = 1) -> list[tuple[OutboxEvent, Outcome]]:
        """Deliver each chain in order, stopping at its first failure; different chains run side by side."""
        def one(chain: list[tuple[OutboxEvent, dict]]) -> list[tuple[OutboxEvent, Outcome]]:
            done = []
            for event, document in chain:
                outcome = self.deliver(document)
                done.append((event, outcome))
                if not outcome.delivered:
                    break
            return done

        if concurrency <= 1 or len(chains) <= 1:
            return [pair for chain in chains for pair in one(chain)]
        with ThreadPoolExecutor(max_workers=min(concurrency, len(chains))) as pool:
            return [pair for done in pool.map(one, chains) for pair in done]

    def deliver(self, document: dict) -> Outcome:
        """Send one event (its CloudEvents document); renew the token once on 401."""
        try:
            response = self._post(document)
            if response.status_code == 401:
                self.tokens.renew(stale=response.request.headers.get("Authorization"))
                response = self._post(document)
        except (requests.RequestException, ValueError) as error:  # (ValueError: a token answer without a token)
            return Outcome(False, error=f"{type(error).__name__}: {error}"[:300])
        if 200 <= response.status_code < 300:
            return Outcome(True)
        permanent = 400 <= response.status_code < 500 and response.status_code not in RETRYABLE_4XX | {401}
        return Outcome(False, permanent, f"HTTP {response.status_code}: {response.text[:250]}")

    def _post(self, document: dict) -> requests.Response:
        headers = {"Authorization": self.tokens.header(), "Idempotency-Key": document["id"],
                   "Content-Type": "application/cloudevents+json"}
        return self.http.post(self.settings["endpoint"], json=document, headers=headers,
                              timeout=(min(3.0, self.settings["timeout"]), self.settings["timeout"]))


def _due(now: datetime):
    earlier = aliased(OutboxEvent)
    blocked = sa.exists().where(earlier.aggregate_id == OutboxEvent.aggregate_id,
                                earlier.sequence < OutboxEvent.sequence, earlier.status != "delivered")
    return [OutboxEvent.status == "pending",
            sa.or_(OutboxEvent.next_attempt_at.is_(None), OutboxEvent.next_attempt_at <= now), ~blocked]


def claim(session: Session, *, limit: int, now: datetime | None = None) -> list[OutboxEvent]:
    """The due heads (first undelivered event of their aggregate), oldest first; locked on PostgreSQL."""
    query = select(OutboxEvent).where(*_due(now or utcnow())).order_by(OutboxEvent.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=OutboxEvent)
    return list(session.exec(query).all())


def apply_outcome(event: OutboxEvent, outcome: Outcome, settings: dict, *, now: datetime) -> None:
    """Record an attempt: delivered, or wait (backoff) and try again, or dead after the last attempt."""
    event.attempts += 1
    event.last_attempt_at = now
    if outcome.delivered:
        event.status, event.delivered_at, event.next_attempt_at, event.last_error = "delivered", now, None, ""
        return
    event.last_error = outcome.error
    if outcome.permanent or event.attempts >= settings["max_attempts"]:
        event.status, event.next_attempt_at = "dead", None
    else:
        wait = backoff_seconds(event.attempts, base=settings["backoff_base"], cap=settings["backoff_max"])
        event.next_attempt_at = now + timedelta(seconds=wait)


@dataclass
class Round:
    """What one batch did."""

    delivered: int = 0
    failed: int = 0
    dead: int = 0
    keys: list[str] = field(default_factory=list)


def deliver_batch(session: Session, deliverer: "Deliverer", settings: dict) -> Round:
    """Claim due heads and the pending events behind them, deliver each plan's chain in order (chains of different
    plans side by side), then write every outcome and commit once."""
    result = Round()
    with session.no_autoflush:  # on SQLite: take the write lock only at the commit, not while the receiver answers
        chains = _chains(session, claim(session, limit=settings["batch"]), limit=settings["batch"])
        documents = [[(event, envelope(event)) for event in chain] for chain in chains]
        for event, outcome in deliverer.deliver_chains(documents, concurrency=settings["concurrency"]):
            apply_outcome(event, outcome, settings, now=outcome.at)
            session.add(event)
            if outcome.delivered:
                result.delivered += 1
                result.keys.append(event.idempotency_key)
            else:
                result.failed += 1
                result.dead += event.status == "dead"
    session.commit()
    return result


def _chains(session: Session, heads: list[OutboxEvent], *, limit: int) -> list[list[OutboxEvent]]:
    """Each head with the pending events of its aggregate after it (locked on PostgreSQL), at most `limit` in all."""
    if not heads:
        return []
    query = (select(OutboxEvent).where(OutboxEvent.aggregate_id.in_({h.aggregate_id for h in heads}),
                                       OutboxEvent.status == "pending",
                                       OutboxEvent.id.not_in([h.id for h in heads]))
             .order_by(OutboxEvent.aggregate_id, OutboxEvent.sequence).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=OutboxEvent)  # nobody else holds them: they are behind our locked heads
    chains = {head.aggregate_id: [head] for head in heads}
    room = limit - len(heads)
    for event in session.exec(query).all():
        chain = chains[event.aggregate_id]
        if room > 0 and event.sequence > chain[-1].sequence:
            chain.append(event)
            room -= 1
    return list(chains.values())


def counts(session: Session) -> dict[str, int]:
    """How many events are pending, delivered and dead."""
    rows = session.exec(select(OutboxEvent.status, sa.func.count()).group_by(OutboxEvent.status)).all()
    return {"pending": 0, "delivered": 0, "dead": 0, **dict(rows)}


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _gone(holder: str) -> bool:
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def acquire_lock(session: Session, *, holder: str, stale_after: float, name: str = LOCK_NAME) -> str | None:
    """Take the single-worker lock (SQLite; `name` "zgw": the ZGW adapter's, any database); return None, or who
    holds it when it is alive and fresh."""
    now = utcnow()
    lock = session.get(SyncWorkerLock, name)
    if lock is None:
        try:
            session.add(SyncWorkerLock(name=name, holder=holder, heartbeat_at=now))
            session.commit()
            return None
        except sa.exc.IntegrityError:
            session.rollback()
            return "another worker (starting at the same moment)"
    if lock.holder != holder and lock.heartbeat_at > now - timedelta(seconds=stale_after) and not _gone(lock.holder):
        session.rollback()
        return lock.holder
    taken = session.execute(sa.update(SyncWorkerLock).where(SyncWorkerLock.name == name,
                                                            SyncWorkerLock.holder == lock.holder,
                                                            SyncWorkerLock.heartbeat_at == lock.heartbeat_at)
                            .values(holder=holder, heartbeat_at=now)
                            .execution_options(synchronize_session=False)).rowcount
    session.commit()
    return None if taken == 1 else "another worker (taking over at the same moment)"


def heartbeat(session: Session, *, holder: str, name: str = LOCK_NAME) -> bool:
    """Keep the lock fresh; False when another worker has taken it over (then this one must stop)."""
    kept = session.execute(sa.update(SyncWorkerLock).where(SyncWorkerLock.name == name,
                                                           SyncWorkerLock.holder == holder)
                           .values(heartbeat_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    session.commit()
    return kept == 1


def release_lock(session: Session, *, holder: str, name: str = LOCK_NAME) -> None:
    session.execute(sa.delete(SyncWorkerLock).where(SyncWorkerLock.name == name, SyncWorkerLock.holder == holder)
                    .execution_options(synchronize_session=False))
    session.commit()
