"""The worker's rules without processes: backoff, order per plan, dead after the last attempt, the SQLite lock,
row locks on PostgreSQL; delivery over real HTTP to the simulator running in a thread (its own tokens)."""

import random
from datetime import timedelta

import pytest
from sqlmodel import select
from werkzeug.serving import make_server

from app.core.clock import utcnow
from app.extensions import db
from app.outbox.models import OutboxEvent
from app.simulator.backoffice import SimulatorSettings, create_simulator
from app.sync import services, worker
from tests.support.servers import free_port, serve_in_thread
from tests.sync.support import add_events, statuses

SETTINGS = {"endpoint": "", "token_url": "", "client_id": "onsplan-demo", "client_secret": "demo-sync-secret",
            "scope": "events:write", "resource": "", "timeout": 3.0, "max_attempts": 3, "backoff_base": 0.01,
            "backoff_max": 0.02, "batch": 100, "concurrency": 4, "idle": 0.05, "lock_stale": 60.0}


@pytest.fixture
def backoffice():
    """The simulator in a thread on a free port: (settings for the worker, the simulator's ledger, its settings)."""
    port = free_port()
    sim_settings = SimulatorSettings(issuer=f"http://127.0.0.1:{port}", app_url="http://127.0.0.1:9",
                                     api_audience="x", clients={"onsplan-demo": "demo-sync-secret"},
                                     decide_after=None)
    sim = create_simulator(sim_settings)
    server = make_server("127.0.0.1", port, sim, threaded=True)
    serve_in_thread(server)
    yield ({**SETTINGS, "endpoint": f"{sim_settings.issuer}/events", "token_url": f"{sim_settings.issuer}/token"},
           sim.extensions["ledger"], sim_settings)
    server.shutdown()


@pytest.fixture
def any_synced_app(any_seeded):
    """The app with the demo plan and its four outbox events, on SQLite and PostgreSQL."""
    return any_seeded[0]


@pytest.fixture
def synced_app(seeded):
    """The same on SQLite only."""
    return seeded[0]


def _deliver_all(flask_app, settings):
    deliverer = worker.Deliverer(settings)
    with flask_app.app_context(), db.new_session() as session:
        for _ in range(50):
            if not worker.deliver_batch(session, deliverer, settings).delivered:
                break
    return deliverer


def test_backoff_doubles_with_jitter_and_is_capped():
    rng = random.Random(1)
    waits = [worker.backoff_seconds(n, base=2, cap=60, rng=rng) for n in range(1, 8)]
    for n, wait in enumerate(waits, start=1):
        full = min(60, 2 * 2 ** (n - 1))
        assert full / 2 <= wait <= full
    assert len({round(w, 6) for w in (worker.backoff_seconds(3, base=2, cap=60) for _ in range(20))}) > 1


def test_only_the_first_undelivered_event_of_a_plan_is_due(any_synced_app):
    add_events(any_synced_app, plans=3, per_plan=3)
    with any_synced_app.app_context(), db.new_session() as session:
        heads = worker.claim(session, limit=100)
        assert sorted(e.aggregate_id for e in heads) == sorted({e.aggregate_id for e in heads})
        assert all(e.sequence == 1 for e in heads)
        assert len(heads) == 4
        session.rollback()


def test_delivers_everything_in_order_and_counts_one_token(any_synced_app, backoffice):
    settings, ledger, _ = backoffice
    keys = add_events(any_synced_app, plans=4, per_plan=5)
    deliverer = _deliver_all(any_synced_app, settings)
    assert statuses(any_synced_app) == {"pending": 0, "delivered": 24, "dead": 0}
    seen = ledger.snapshot()
    assert set(keys) <= {entry["key"] for entry in seen["accepted"]}
    assert seen["rejected"] == []
    assert all(n == 1 for n in seen["receipts"].values())
    for plan in ("p0", "p1", "p2", "p3"):
        assert [e["sequence"] for e in seen["accepted"] if e["subject"] == plan] == [1, 2, 3, 4, 5]
    assert deliverer.tokens.fetched == 1


def test_a_failing_event_holds_back_its_plan_then_dies_after_the_last_attempt(any_synced_app, backoffice):
    settings, ledger, sim_settings = backoffice
    add_events(any_synced_app, plans=2, per_plan=2)
    sim_settings.fail = "500"
    deliverer = worker.Deliverer(settings)
    with any_synced_app.app_context(), db.new_session() as session:
        for _ in range(3):
            worker.deliver_batch(session, deliverer, settings)
            for event in session.exec(select(OutboxEvent).where(OutboxEvent.next_attempt_at.is_not(None))).all():
                event.next_attempt_at = utcnow() - timedelta(seconds=1)  # no waiting in a test
                session.add(event)
            session.commit()
        rows = session.exec(select(OutboxEvent).order_by(OutboxEvent.id)).all()
        dead = [e for e in rows if e.status == "dead"]
        assert {e.sequence for e in dead} == {1}
        assert all(e.attempts == 3 for e in dead)
        assert all("HTTP 500" in e.last_error for e in dead)
        assert all(e.attempts == 0 for e in rows if e.sequence > 1)  # never sent before the one ahead of it
    sim_settings.fail = ""
    _deliver_all(any_synced_app, settings)
    assert statuses(any_synced_app)["delivered"] == 0  # the dead heads still hold their plans back
    with any_synced_app.app_context(), db.new_session() as session:
        for event in dead:
            services.retry_event(session, event_id=event.id)
        session.commit()
    _deliver_all(any_synced_app, settings)
    assert statuses(any_synced_app) == {"pending": 0, "delivered": 8, "dead": 0}


def test_a_refused_payload_is_dead_at_once(any_synced_app, backoffice):
    settings, ledger, _ = backoffice
    with any_synced_app.app_context(), db.new_session() as session:
        event = session.exec(select(OutboxEvent).order_by(OutboxEvent.id)).first()
        event.payload = {**event.payload, "extra": "not in the schema"}  # as if written by a broken release
        session.add(event)
        session.commit()
    _deliver_all(any_synced_app, settings)
    with any_synced_app.app_context(), db.new_session() as session:
        first = session.exec(select(OutboxEvent).order_by(OutboxEvent.id)).first()
        assert first.status == "dead"
        assert first.attempts == 1
        assert "HTTP 422" in first.last_error
    assert "extra" in str(ledger.snapshot()["rejected"])


def test_only_dead_events_can_be_retried(synced_app):
    with synced_app.test_request_context(), db.new_session() as session:
        event = session.exec(select(OutboxEvent)).first()
        with pytest.raises(services.ValidationFailed):
            services.retry_event(session, event_id=event.id)


def test_sqlite_allows_one_worker(app):
    with app.app_context(), db.new_session() as session:
        assert worker.acquire_lock(session, holder="host-a:1", stale_after=60) is None
        assert worker.acquire_lock(session, holder="host-b:2", stale_after=60) == "host-a:1"
        assert worker.heartbeat(session, holder="host-a:1")
        assert worker.acquire_lock(session, holder="host-b:2", stale_after=0) is None  # a silent holder is stale
        assert not worker.heartbeat(session, holder="host-a:1")  # the old holder learns it lost the lock
        worker.release_lock(session, holder="host-b:2")
        assert worker.acquire_lock(session, holder="host-c:3", stale_after=60) is None


def test_postgres_workers_never_claim_the_same_event(postgres, tmp_path):
    import uuid

    from tests.conftest import make_app

    flask_app = make_app(postgres.create_database(f"l_{uuid.uuid4().hex[:12]}"), with_plan=True)
    add_events(flask_app, plans=10, per_plan=1)
    with flask_app.app_context(), db.new_session() as first, db.new_session() as second:
        mine = worker.claim(first, limit=5)
        theirs = worker.claim(second, limit=100)
        assert len(mine) == 5
        assert len(theirs) == 6
        assert not {e.id for e in mine} & {e.id for e in theirs}
        first.rollback()
        second.rollback()
    with flask_app.app_context():
        db.engine.dispose()
