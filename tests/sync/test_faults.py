"""Fault tests with the real worker process (`flask sync run`), real HTTP to the real simulator process, and real
OAuth2: client-credentials JWTs from the tests' OpenID provider, checked by the simulator against its JWKS."""

import time
import uuid

from sqlmodel import select

from app.extensions import db
from app.outbox.models import OutboxEvent
from tests.conftest import make_app
from tests.support.servers import free_port
from tests.sync.support import (
    EVENTS_AUDIENCE,
    SHORT_AUDIENCE,
    Process,
    Simulator,
    accepted_once_in_order,
    add_events,
    base_env,
    statuses,
    wait_until,
    worker_env,
)


def _simulator(url, provider, tmp_path, *args, audience=EVENTS_AUDIENCE, port=None):
    return Simulator(base_env(url), tmp_path / "simulator.log", port=port,
                     args=("--decide-after", "-1", "--trust-issuer", provider.issuer, "--audience", audience, *args))


def _worker(url, provider, simulator_url, tmp_path, name="worker", **extra):
    env = worker_env(url, endpoint=f"{simulator_url}/events", token_url=f"{provider.issuer}/token", **extra)
    return Process(["sync", "run", "--quiet"], env, tmp_path / f"{name}.log")


def _all_delivered(flask_app, total):
    return lambda: statuses(flask_app)["delivered"] == total


def _keys(flask_app):
    with flask_app.app_context(), db.new_session() as session:
        return list(session.exec(select(OutboxEvent.idempotency_key)).all())


def test_backoffice_down_then_back_gets_every_event_once_in_order(any_seeded, token_provider, tmp_path):
    flask_app, url = any_seeded
    add_events(flask_app, plans=5, per_plan=4)
    port = free_port()
    worker = _worker(url, token_provider, f"http://127.0.0.1:{port}", tmp_path)
    simulator = None
    try:
        wait_until(lambda: _attempted(flask_app), message="a failed attempt while nothing listens")
        time.sleep(1)  # a few rounds of backoff against a closed port
        with flask_app.app_context(), db.new_session() as session:
            waiting = session.exec(select(OutboxEvent).where(OutboxEvent.attempts > 0)).all()
            assert all(event.status == "pending" and "Connection" in event.last_error for event in waiting)
            assert len(waiting) == 6  # only the head of each plan was tried: the others wait for it
        simulator = _simulator(url, token_provider, tmp_path, port=port)
        wait_until(_all_delivered(flask_app, 24), message=f"delivery\n{worker.log()}")
        accepted_once_in_order(simulator.received(), _keys(flask_app))
        assert statuses(flask_app) == {"pending": 0, "delivered": 24, "dead": 0}
    finally:
        worker.stop()
        if simulator:
            simulator.stop()


def _attempted(flask_app) -> bool:
    with flask_app.app_context(), db.new_session() as session:
        return session.exec(select(OutboxEvent).where(OutboxEvent.attempts > 1)).first() is not None


def test_worker_killed_mid_delivery_loses_and_doubles_nothing(any_seeded, token_provider, tmp_path):
    flask_app, url = any_seeded
    add_events(flask_app, plans=4, per_plan=10)
    simulator = _simulator(url, token_provider, tmp_path, "--fail", "slow", "--slow-seconds", "0.03")
    first = _worker(url, token_provider, simulator.url, tmp_path, name="first")
    second = None
    try:
        wait_until(lambda: len(simulator.received()["accepted"]) >= 10, every=0.02, message="deliveries")
        first.kill()  # SIGKILL in the middle of its batch: nothing of the batch is committed
        assert statuses(flask_app)["delivered"] < 44
        second = _worker(url, token_provider, simulator.url, tmp_path, name="second")
        wait_until(_all_delivered(flask_app, 44), message=f"delivery after the kill\n{second.log()}")
        received = simulator.received()
        accepted_once_in_order(received, _keys(flask_app))
        assert sum(received["receipts"].values()) > 44, "the killed worker's deliveries were not sent again"
        assert max(received["receipts"].values()) == 2
    finally:
        first.kill()
        if second:
            second.stop()
        simulator.stop()


def test_expired_token_is_renewed(seeded, token_provider, tmp_path):
    flask_app, url = seeded
    simulator = _simulator(url, token_provider, tmp_path, audience=SHORT_AUDIENCE)
    worker = _worker(url, token_provider, simulator.url, tmp_path, SYNC_RESOURCE=SHORT_AUDIENCE)
    try:
        wait_until(_all_delivered(flask_app, 4), message=f"first delivery\n{worker.log()}")
        time.sleep(2.5)  # the token (2 s) has expired
        add_events(flask_app, plans=2, per_plan=1, prefix="late")
        wait_until(_all_delivered(flask_app, 6), message=f"delivery after expiry\n{worker.log()}")
        received = simulator.received()
        accepted_once_in_order(received, _keys(flask_app))
        tokens = [entry["jti"] for entry in received["accepted"]]
        assert len(set(tokens)) >= 2, tokens
        assert tokens[0] not in tokens[4:6]  # the first token had expired by then (a busy machine may renew sooner)
    finally:
        worker.stop()
        simulator.stop()


def test_refused_token_is_renewed(seeded, token_provider, tmp_path):
    """A token that lives ten minutes but is refused (401) is dropped and a new one fetched at once."""
    flask_app, url = seeded
    simulator = _simulator(url, token_provider, tmp_path)
    worker = _worker(url, token_provider, simulator.url, tmp_path)
    try:
        wait_until(_all_delivered(flask_app, 4), message=f"first delivery\n{worker.log()}")
        simulator.control(revoke_tokens=True)  # the backoffice no longer accepts the current token: 401
        time.sleep(1.1)  # `iat` counts whole seconds: the next token is issued after the revocation
        add_events(flask_app, plans=2, per_plan=1, prefix="revoked")
        wait_until(_all_delivered(flask_app, 6), message=f"delivery after revocation\n{worker.log()}")
        received = simulator.received()
        accepted_once_in_order(received, _keys(flask_app))
        tokens = [entry["jti"] for entry in received["accepted"]]
        assert len(set(tokens[:4])) == 1, tokens  # one token for the first four ...
        assert len(set(tokens)) == 2, tokens  # ... and one new one after the 401
        assert tokens[0] not in tokens[4:6]
        assert any("revoked" in reason for reason in received["unauthorized"])
        assert statuses(flask_app) == {"pending": 0, "delivered": 6, "dead": 0}
    finally:
        worker.stop()
        simulator.stop()


def test_accepted_then_timed_out_is_sent_again_and_counted_once(any_seeded, token_provider, tmp_path):
    """The backoffice stores the event but its answer never comes: the worker gives up waiting, sends it again
    later with the same idempotency key, and the backoffice counts it once."""
    flask_app, url = any_seeded
    add_events(flask_app, plans=2, per_plan=3)
    simulator = _simulator(url, token_provider, tmp_path, "--fail", "timeout", "--timeout-seconds", "4")
    worker = _worker(url, token_provider, simulator.url, tmp_path, SYNC_TIMEOUT_SECONDS="1")
    try:
        wait_until(lambda: _timed_out(flask_app), message=f"a timed-out attempt\n{worker.log()}")
        assert statuses(flask_app)["delivered"] == 0
        simulator.control(fail="")
        wait_until(_all_delivered(flask_app, 10), message=f"delivery after the timeouts\n{worker.log()}")
        received = simulator.received()
        accepted_once_in_order(received, _keys(flask_app))
        assert max(received["receipts"].values()) >= 2  # sent again after the timeout, accepted once
        assert statuses(flask_app) == {"pending": 0, "delivered": 10, "dead": 0}
    finally:
        worker.stop()
        simulator.stop()


def _timed_out(flask_app) -> bool:
    with flask_app.app_context(), db.new_session() as session:
        errors = session.exec(select(OutboxEvent.last_error).where(OutboxEvent.attempts > 0)).all()
        return any(error and "timed out" in error.lower() for error in errors)


def test_two_workers_with_the_backoffice_down_then_back_deliver_once_in_order(postgres, token_provider, tmp_path):
    """Production shape on PostgreSQL: two delivery workers side by side while the backoffice is down for a while
    and events keep coming; when it is back, every event arrives once, each plan's events in order."""
    url = postgres.create_database(f"w_{uuid.uuid4().hex[:12]}")
    flask_app = make_app(url, with_plan=True, MAIL_DIR=str(tmp_path / "mail"))
    simulator = _simulator(url, token_provider, tmp_path, "--fail", "down")
    workers = [_worker(url, token_provider, simulator.url, tmp_path, name=f"worker-{n}") for n in (1, 2)]
    try:
        add_events(flask_app, plans=6, per_plan=3, prefix="a")
        wait_until(lambda: _attempted(flask_app), message="attempts while the backoffice is down")
        add_events(flask_app, plans=6, per_plan=2, prefix="b")  # more come in while it is down
        assert simulator.received()["accepted"] == []
        simulator.control(fail="")
        wait_until(_all_delivered(flask_app, 4 + 18 + 12), message="delivery by two workers\n"
                   + "\n".join(worker.log() for worker in workers))
        accepted_once_in_order(simulator.received(), _keys(flask_app))
    finally:
        for worker in workers:
            worker.stop()
        simulator.stop()
        with flask_app.app_context():
            db.engine.dispose()
