"""Time the outbox worker delivering to the backoffice simulator on loopback against the issue 8 budget.

    python bench/sync.py [--postgres] [--events 3000] [--plans 300] [--runs 3]

Builds a database with `flask db upgrade` and `flask demo seed`, adds `--events` care.started events spread over
`--plans` plans (bulk insert), starts `flask municipality simulate` (its own client-credentials tokens, as in demo
mode; every payload is validated against the published schema) and then, per run:

* the floor: one `requests` session POSTing the same CloudEvents documents to the simulator, one after the other,
  with a bearer token and an Idempotency-Key, without any database (the fastest a sequential sender can go);
* the worker: `flask sync run --once --quiet` as a process; its rate is the events over the span between the first
  and the last `delivered_at` (the process start-up is reported apart), its ratio is the floor's rate over its own.

Before each run the events are made pending again with new idempotency keys (the simulator would otherwise answer
"duplicate" without validating). Budget: at least 200 events per second, median of the runs.
"""

import argparse
import statistics
import sys
import tempfile
import time
import uuid

import requests
from common import AppServer

BUDGET = 200.0


def in_process_app(url: str):
    from app import create_app

    return create_app({"ENV_NAME": "development", "DATABASE_URL": url, "SECRET_KEY": "bench", "DEMO": True,
                       "LOG_LEVEL": "WARNING"})


def add_events(app, events: int, plans: int) -> None:
    import sqlalchemy as sa
    from sqlmodel import select

    from app.core.clock import utcnow
    from app.extensions import db
    from app.outbox.models import OutboxEvent
    from app.outbox.schemas import SCHEMAS

    with app.app_context(), db.new_session() as session:
        payload = session.exec(select(OutboxEvent.payload).where(OutboxEvent.event_type == "care.started")).first()
        session.execute(sa.update(OutboxEvent).values(status="delivered"))  # the demo's own events are not timed
        now, rows = utcnow(), []
        for n in range(events):
            plan = f"bench{n % plans}"
            rows.append({"event_type": "care.started", "schema_id": SCHEMAS["care.started"]["$id"],
                         "aggregate_type": "plan", "aggregate_id": plan, "sequence": n // plans + 1,
                         "idempotency_key": uuid.uuid4().hex, "payload": {**payload, "plan_id": plan},
                         "status": "pending", "attempts": 0, "created_at": now, "last_error": ""})
        session.execute(sa.insert(OutboxEvent), rows)
        session.commit()


def reset(app) -> None:
    """Make the bench events pending again, with fresh keys."""
    import sqlalchemy as sa
    from sqlmodel import select

    from app.extensions import db
    from app.outbox.models import OutboxEvent

    with app.app_context(), db.new_session() as session:
        ids = session.exec(select(OutboxEvent.id).where(OutboxEvent.aggregate_id.like("bench%"))).all()
        session.execute(sa.update(OutboxEvent), [{"id": i, "idempotency_key": uuid.uuid4().hex, "status": "pending",
                                                  "attempts": 0, "delivered_at": None, "last_attempt_at": None}
                                                 for i in ids])
        session.commit()


def delivery_span(app) -> tuple[int, float]:
    import sqlalchemy as sa
    from sqlmodel import select

    from app.extensions import db
    from app.outbox.models import OutboxEvent

    with app.app_context(), db.new_session() as session:
        count, first, last = session.exec(select(sa.func.count(), sa.func.min(OutboxEvent.delivered_at),
                                                 sa.func.max(OutboxEvent.delivered_at))
                                          .where(OutboxEvent.aggregate_id.like("bench%"),
                                                 OutboxEvent.status == "delivered")).one()
    return count, (last - first).total_seconds()


def floor_rate(app, simulator: str, count: int) -> float:
    """Events per second of a bare sequential sender (same documents, same checks on the other side)."""
    from sqlmodel import select

    from app.extensions import db
    from app.outbox.models import OutboxEvent
    from app.sync.worker import envelope

    with app.app_context(), db.new_session() as session:
        events = session.exec(select(OutboxEvent).where(OutboxEvent.aggregate_id.like("bench%")).limit(count)).all()
        documents = [envelope(event) for event in events]
    token = requests.post(f"{simulator}/token", data={"grant_type": "client_credentials"},
                          auth=("onsplan-demo", "demo-sync-secret"), timeout=5).json()["access_token"]
    http = requests.Session()
    started = time.perf_counter()
    for document in documents:
        key = uuid.uuid4().hex
        answer = http.post(f"{simulator}/events", json={**document, "id": key}, timeout=10,
                           headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key,
                                    "Content-Type": "application/cloudevents+json"})
        answer.raise_for_status()
    return len(documents) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL instead of SQLite")
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--plans", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, ".")
    from tests.support.servers import PostgresServer, free_port
    from tests.sync.support import Simulator

    postgres = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            postgres = PostgresServer(durable=True).start()
            url = postgres.create_database("bench")
        else:
            url = f"sqlite:///{tmp}/bench.db"
        env = {"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "bench-secret", "DATABASE_URL": url,
               "LOG_LEVEL": "WARNING"}
        server = AppServer(env)
        server.flask("db", "upgrade")
        server.flask("demo", "seed")
        app = in_process_app(url)
        add_events(app, args.events, args.plans)
        from pathlib import Path

        simulator = Simulator(env, Path(tmp) / "simulator.log", port=free_port(), args=("--decide-after", "-1"))
        worker_env = {**env, "SYNC_ENDPOINT": f"{simulator.url}/events", "SYNC_TOKEN_URL": f"{simulator.url}/token"}
        runner = AppServer(worker_env)
        rates, floors, walls = [], [], []
        try:
            for run in range(args.runs):
                floors.append(floor_rate(app, simulator.url, min(1000, args.events)))
                reset(app)
                started = time.perf_counter()
                runner.flask("sync", "run", "--once", "--quiet")
                walls.append(time.perf_counter() - started)
                count, span = delivery_span(app)
                assert count == args.events, f"only {count} of {args.events} delivered"
                rates.append((count - 1) / span)
                print(f"run {run + 1}: worker {rates[-1]:7.0f} events/s over {span:5.2f} s "
                      f"(process wall {walls[-1]:5.2f} s with start-up) · floor {floors[-1]:7.0f} events/s")
            rejected = requests.get(f"{simulator.url}/_received", timeout=10).json()["rejected"]
            assert not rejected, rejected[:3]
        finally:
            simulator.stop()
            if postgres:
                postgres.stop()
        database = "PostgreSQL" if postgres else "SQLite"
        rate, floor = statistics.median(rates), statistics.median(floors)
        print(f"{database}: {args.events} events over {args.plans} plans, median of {args.runs} runs: worker "
              f"{rate:.0f} events/s, floor {floor:.0f} events/s (ratio {floor / rate:.2f}x), none refused")
        print(f"budget (≥ {BUDGET:.0f} events/s): {'met' if rate >= BUDGET else 'NOT met'}")
        return 0 if rate >= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
