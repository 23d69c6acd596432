"""Time the provider's work list (/werk) with 300 assigned goals over 120 families, against a 50 ms budget.

    python bench/caseload.py [--postgres] [--count 100] [--families 120] [--goals 300] [--quick]

Builds a database with `flask db upgrade` and `flask demo seed`, then adds `--families` families to the demo
municipality with `--goals` goals between them, every goal assigned to Kompas (Karin's provider, like Tom's goal of
the demo): in turn to start, in care, stopped and waiting for the family verdict, and stopped and judged; each goal
has a target date. A colleague of Karin's at Kompas handles every third goal, Karin every fifth. Then `ANALYZE`
(SQLite) or `VACUUM ANALYZE` (PostgreSQL), as autovacuum would after such a load: without statistics PostgreSQL
scans every goal for each assignment (20 ms instead of 1).

In-process (the test client, signed in as Karin) it counts the SQL statements of one GET of the whole list
(`/werk?scope=all`), for the demo's 5 goals and after growing to 305: the number must not change.
Under gunicorn on loopback one sequential client signs in as Karin through /demo and asks for:

* the whole organisation's list, `/werk?scope=all`: its first page and its last (a page holds 50 goals; every page
  still reads, filters and sorts all 305);
* her own list, `/werk` (hers and those nobody handles yet: the default);
* the goals in care sorted by family, `/werk?scope=all&status=in_care&sort=family`;
* a bare Flask endpoint: the floor, and the ratio of each wall median to it.

Reported: wall time median and p95, the app's own logged `duration_ms` (server time: hooks, view, template and the
access-log entries, one per family shown, written at commit), and the body size. Budget: median server time of
the first page of the whole list and of her own under 50 ms.
"""

import argparse
import sys
import time
from datetime import date, timedelta

from catalog import in_process_app, time_bare
from common import ROOT, seeded_app, signed_in, start_bare, stderr_to, summary
from monitor import budgeted_pages

BUDGET_MS = 50.0
PAGES = {  # name: (path, counts against the budget)
    "whole organisation, first page": ("/werk?scope=all", True),
    "whole organisation, last page": ("/werk?scope=all&page=7", False),
    "mine (the default)": ("/werk", True),
    "in care, sorted by family": ("/werk?scope=all&status=in_care&sort=family", False),
}
STATES = ("to_start", "in_care", "to_judge", "stopped")
SURNAMES = ("de Vries", "Hoekstra", "Bouma", "Visser", "de Jong", "Dijkstra", "Postma", "Kuipers", "van der Meer",
            "Wijma", "Sikkema", "de Boer-Jansma")


def generate(app, families: int, goals: int) -> float:
    """Add the families, their plans, goals and assignments to Kompas, and a colleague of Karin's, then gather the
    planner's statistics; return the seconds it took."""
    import sqlalchemy as sa
    from sqlmodel import select

    from app.catalog.models import Offer, Provider
    from app.core.clock import utcnow
    from app.demo.services import demo_people
    from app.extensions import db
    from app.identity.models import Family, Person, StaffMembership

    started = time.perf_counter()
    with app.app_context(), db.new_session() as session:
        people = demo_people(session)
        kompas = session.exec(select(Provider).where(Provider.external_id == "demo-p000")).one()
        offer = session.exec(select(Offer).where(Offer.provider_id == kompas.id).order_by(Offer.id)).first()
        municipality_id = session.exec(select(Family.municipality_id)).first()
        colleague = Person(given_name="Wytse", family_name="Dijkstra", language="fy")
        session.add(colleague)
        session.flush()
        session.add(StaffMembership(organisation_id=kompas.organisation_id, person_id=colleague.id,
                                    role="provider_staff"))
        per_family = [goals // families + (1 if n < goals % families else 0) for n in range(families)]
        number, now, today = 0, utcnow(), date.today()
        for n, count in enumerate(per_family):
            family, plan = _family(session, n, municipality_id)
            for _ in range(count):
                handler = colleague.id if number % 3 == 0 else people["karin"].id if number % 5 == 0 else None
                _goal(session, plan, family, offer, kompas.organisation_id, people["mark"].id, number, today, now,
                      handler)
                number += 1
        session.commit()
    with app.app_context(), db.engine.connect() as conn:  # the statistics autovacuum would gather (bench/catalog.py)
        statement = "VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE"
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text(statement))
    return time.perf_counter() - started


def _family(session, n: int, municipality_id: int):
    from app.identity.models import Family
    from app.plans.models import Plan

    family = Family(name=f"Gezin {SURNAMES[n % len(SURNAMES)]}", municipality_id=municipality_id)
    session.add(family)
    session.flush()
    plan = Plan(family_id=family.id)
    session.add(plan)
    session.flush()
    return family, plan


def _goal(session, plan, family, offer, organisation_id: str, author_id: str, number: int, today: date, now,
          handler_id: str | None) -> None:
    from app.catalog.models import Assignment
    from app.plans.models import PlanItem

    state = STATES[number % len(STATES)]
    goal = PlanItem(plan_id=plan.id, kind="goal", text=f"Doel {number}: rust in huis en vaste afspraken",
                    domain="parenting", due_date=today + timedelta(days=20 + number % 90), author_id=author_id,
                    typed_by_id=author_id)
    session.add(goal)
    session.flush()
    start = today - timedelta(days=30 + number % 200)
    session.add(Assignment(
        plan_id=plan.id, family_id=family.id, goal_id=goal.id, offer_id=offer.id, organisation_id=organisation_id,
        status="assigned", product_category=offer.product_category, product_code=offer.product_code,
        chosen_by_id=author_id, assigned_start=start, decided_at=now, handler_id=handler_id,
        care_started_on=None if state == "to_start" else start + timedelta(days=7),
        care_stopped_on=today - timedelta(days=3) if state in ("to_judge", "stopped") else None,
        stop_reason="31" if state in ("to_judge", "stopped") else "",
        result_state="achieved" if state == "stopped" else ""))


def statements(app, path: str) -> tuple[int, int]:
    """SQL statements of one GET of `path` as Karin (after a warm-up), and the rows it shows."""
    import sqlalchemy as sa
    from plan import signed_in_client

    from app.demo.services import demo_people
    from app.extensions import db

    with app.app_context(), db.new_session() as session:
        karin = demo_people(session)["karin"].id
    client = signed_in_client(app, karin)
    client.get(path)
    found: list[str] = []
    engine = app.extensions["db_engine"]
    listener = lambda *args: found.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.get(path)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 200, response.status_code
    return len(found), response.get_data(as_text=True).count('<tr id="goal-')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL instead of SQLite")
    parser.add_argument("--count", type=int, default=100, help="timed requests per page")
    parser.add_argument("--families", type=int, default=120)
    parser.add_argument("--goals", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 20 requests per page")
    args = parser.parse_args()
    if args.quick:
        args.count = 20
    bare = None
    with seeded_app(args.postgres) as (server, url, log, database):
        try:
            app = in_process_app(url)
            small = statements(app, "/werk?scope=all")
            seconds = generate(app, args.families, args.goals)
            big = statements(app, "/werk?scope=all")
            print(f"{database}: added {args.families} families with {args.goals} goals assigned to Kompas in "
                  f"{seconds:.1f} s ({date.today():%Y-%m-%d})")
            print(f"SQL statements of GET /werk?scope=all: {small[0]} with the demo's {small[1]} goals, {big[0]} with "
                  f"{args.goals} more ({big[1]} on the first page): {'constant' if small[0] == big[0] else 'NOT'}")
            app.extensions["db_engine"].dispose()
            with stderr_to(log):
                server.start()
            bare, bare_url = start_bare()
            floor = summary("bare endpoint", time_bare(bare_url, args.count))["median_ms"]
            client = signed_in(server.url, "karin")
            met = budgeted_pages(client, server.url, PAGES, args.count, log, lambda _path: "caseload.index", floor,
                                 BUDGET_MS)
            print(f"budget (median server time < {BUDGET_MS:.0f} ms, first pages): {'met' if met else 'NOT met'}")
        finally:
            if bare is not None:
                bare.terminate()
                bare.wait(10)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
