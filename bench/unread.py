"""The header's unread count (issue 23, point 4: under 1 ms), in the app's process as a page pays for it.

Seeds the demo on a fresh SQLite file (or PostgreSQL with --postgres), with the notifications the demo's own story
leaves unread (and, for Karin of the provider, a notice per goal assigned to her organisation and a complaint),
then times `inbox.unread_count` for each persona, `--count` times in a fresh session each (the person
loaded first, as every request's sign-in check has), beside the floor of the same session's cheapest query
(`SELECT 1`). Prints the median and p95 in ms, and the ratio to the floor, twice: sessions that end in a rollback
(the worst case on PostgreSQL: psycopg forgets its prepared statements at a ROLLBACK, so the server plans the
statement every time), and sessions that commit, as a page does that records its visit or the access log (the
prepared statement stays, and PostgreSQL reuses a generic plan). On SQLite the two are the same.

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


def timed(engine, work, count: int, person_id: str | None = None, commit: bool = False) -> list[float]:
    """Milliseconds of `work(session, person)` in a fresh session each time; the person is loaded first, as the
    sign-in check of every request has loaded them before the header asks; the session commits when `commit`."""
    from app.identity.models import Person

    spent = []
    for _ in range(count):
        with Session(engine, expire_on_commit=False) as session:
            person = session.get(Person, person_id) if person_id else None
            started = time.perf_counter()
            work(session, person)
            spent.append((time.perf_counter() - started) * 1000)
            if commit:
                session.commit()
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
                    provider_notices(session, people["karin"])
                floor = timed(engine, lambda s, _p: s.execute(sa.text("SELECT 1")).all(), args.count)
                base = statistics.median(floor)
                print(f"floor (SELECT 1 in a fresh session): median {base:.3f} ms")
                for commit in (False, True):
                    print("sessions that commit (as a page that writes):" if commit
                          else "sessions that roll back:")
                    for key in PERSONAS:
                        spent = timed(engine, lambda s, p: inbox.unread_count(s, person=p), args.count, people[key],
                                      commit)
                        with Session(engine) as session:
                            shown = inbox.unread_count(session, person=_person(session, people[key]))
                        median, p95 = statistics.median(spent), statistics.quantiles(spent, n=20)[18]
                        print(f"{key:>6}: {shown:2d} unread, median {median:.3f} ms, p95 {p95:.3f} ms "
                              f"({median / base:.1f}x the floor)")
        finally:
            if server is not None:
                server.stop()


def provider_notices(session, karin_id: str) -> None:
    """Give Karin (provider staff, none unread in the demo) what her work would leave unread: a notice for each goal
    assigned to her organisation, and one complaint about it."""
    from app.identity.models import Person, StaffMembership
    from app.notifications.models import MailMode, Topic
    from app.notifications.services import write

    karin = session.get(Person, karin_id)
    organisation = session.execute(sa.select(StaffMembership.organisation_id)
                                   .where(StaffMembership.person_id == karin_id)).scalar_one()
    goals = session.execute(sa.text("SELECT goal_id, plan_id, family_id FROM assignment WHERE status = 'assigned' "
                                    "AND organisation_id = :o"), {"o": organisation}).all()
    for goal_id, plan_id, family_id in goals:
        write(session, family_id=family_id, plan_id=plan_id, people=[(karin, MailMode.NONE)],
              topic=Topic.ASSIGNMENT_NEW, item_id=goal_id)
    write(session, family_id=goals[0].family_id, plan_id=goals[0].plan_id, people=[(karin, MailMode.NONE)],
          topic=Topic.COMPLAINT_FILED, detail=organisation)
    session.commit()


def _person(session, person_id: str):
    from app.identity.models import Person
    return session.get(Person, person_id)


if __name__ == "__main__":
    main()
