"""The header's unread count (issue 23, point 4: under 1 ms), in the app's process as a page pays for it.

Seeds the demo on a fresh SQLite file (or PostgreSQL with --postgres), with the notifications the demo's own story
leaves unread, then times `inbox.unread_count` for each persona, `--count` times in a fresh session each (the person
loaded first, as every request's sign-in check has), beside the floor of the same session's cheapest query
(`SELECT 1`). Prints the median and p95 in ms, and the ratio to the floor.

    python bench/unread.py
    python bench/unread.py --postgres --count 500
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlmodel import Session  # noqa: E402

PERSONAS = ("sanne", "tom", "lisa", "fenna", "mark", "karin")


def timed(engine, work, count: int, person_id: str | None = None) -> list[float]:
    """Milliseconds of `work(session, person)` in a fresh session each time; the person is loaded first, as the
    sign-in check of every request has loaded them before the header asks."""
    from app.identity.models import Person

    spent = []
    for _ in range(count):
        with Session(engine, expire_on_commit=False) as session:
            person = session.get(Person, person_id) if person_id else None
            started = time.perf_counter()
            work(session, person)
            spent.append((time.perf_counter() - started) * 1000)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    server = None
    with tempfile.TemporaryDirectory() as folder:
        if args.postgres:
            from tests.support.servers import PostgresServer
            server = PostgresServer(durable=True).start()
            url = server.create_database("unread_bench")
        else:
            url = f"sqlite:///{folder}/unread.db"
        os.environ.update(APP_ENV="development", DEMO="1", SECRET_KEY="bench-secret", DATABASE_URL=url,
                          LOG_LEVEL="WARNING")
        try:
            from app import create_app
            from app.demo.services import demo_people
            from app.extensions import db
            from app.notifications import inbox

            app = create_app()
            runner = app.test_cli_runner()
            assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
            assert runner.invoke(args=["demo", "seed"]).exit_code == 0
            with app.test_request_context():
                engine = db.engine
                with Session(engine) as session:
                    people = {key: person.id for key, person in demo_people(session).items()}
                floor = timed(engine, lambda s, _p: s.execute(sa.text("SELECT 1")).all(), args.count)
                base = statistics.median(floor)
                print(f"floor (SELECT 1 in a fresh session): median {base:.3f} ms")
                for key in PERSONAS:
                    spent = timed(engine, lambda s, p: inbox.unread_count(s, person=p), args.count, people[key])
                    with Session(engine) as session:
                        shown = inbox.unread_count(session, person=_person(session, people[key]))
                    median, p95 = statistics.median(spent), statistics.quantiles(spent, n=20)[18]
                    print(f"{key:>6}: {shown:2d} unread, median {median:.3f} ms, p95 {p95:.3f} ms "
                          f"({median / base:.1f}x the floor)")
        finally:
            if server is not None:
                server.stop()


def _person(session, person_id: str):
    from app.identity.models import Person
    return session.get(Person, person_id)


if __name__ == "__main__":
    main()
