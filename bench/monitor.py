"""Time the monitor: a year of figures for a region of 10,000 families, against the issue 8 budget.

    python bench/monitor.py [--postgres] [--count 100] [--families 10000] [--quick]

Builds a database with `flask db upgrade` and `flask demo seed`, then bulk-inserts (executemany) a region of four
municipalities with `--families` families spread over the last 18 months: per family a plan (60% fixed) with a
goal, one or two assignments (requested, decided 0-12 working days later, 70% started, half of those stopped with
a JZ588 reason, a family verdict and an outcome answer), a complaint for one family in twenty, and three outbox
events (mostly delivered, some pending or dead). Jeroen (municipality staff) works for all four municipalities.
Under gunicorn on loopback one sequential client, signed in as Jeroen, asks for:

* the monitor page for the whole region, the last 12 months (the budget's measurement);
* the same for one municipality and one product category, and the CSV export of the region;
* a bare Flask endpoint: the floor, and the ratio of each wall median to it.

Reported: wall time median and p95, the app's own logged `duration_ms` (server time), and the body size.
Budget (issue 8): median server time under 200 ms for a year of the region, on SQLite and PostgreSQL.
"""

import argparse
import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import requests
from catalog import in_process_app, time_bare
from common import ROOT, seeded_app, server_line, signed_in, start_bare, stderr_to, summary

BUDGET_MS = 200.0
REGION = {"0080": "Leeuwarden", "0090": "Smallingerland", "0072": "Harlingen", "1900": "Súdwest-Fryslân"}
PAGES = {  # name: (path, counts against the budget)
    "monitor, region, 12 months": ("/monitor", True),
    "monitor, one municipality, category 45": ("/monitor?gemeente=0090&soort=45", False),
    "monitor CSV, region, 12 months": ("/monitor.csv", False),
}
ENDPOINTS = {"/monitor": "monitor.index", "/monitor.csv": "monitor.export"}


def generate(app, families: int) -> float:
    """Bulk-insert the region's families and everything the monitor counts; return the seconds it took."""
    import sqlalchemy as sa

    from app.catalog.models import Assignment, Offer, ProviderContract
    from app.complaints.deadlines import add_working_days, decide_by
    from app.complaints.models import Complaint, ComplaintPart
    from app.core.ids import new_id
    from app.demo.services import demo_people
    from app.extensions import db
    from app.identity.models import Family, Municipality, Organisation, StaffMembership
    from app.outbox.models import OutboxEvent
    from app.plans.models import Plan, PlanItem
    from app.results.models import FamilyVerdict, OutcomeAnswer

    started = time.perf_counter()
    rng = random.Random(8)
    now = datetime.now(UTC)
    with app.app_context(), db.new_session() as session:
        people = demo_people(session)
        mark, jeroen = people["mark"].id, people["jeroen"].id
        region = {}
        for code, name in REGION.items():
            found = session.execute(sa.select(Municipality.id).where(Municipality.cbs_code == code)).scalar()
            region[code] = found or session.execute(sa.insert(Municipality).values(cbs_code=code, name=name)
                                                    .returning(Municipality.id)).scalar_one()
            if code != "0080":
                org = new_id()
                session.execute(sa.insert(Organisation).values(id=org, name=f"Gemeente {name}, team jeugd",
                                                               kind="municipality", municipality_id=region[code]))
                session.execute(sa.insert(StaffMembership).values(organisation_id=org, person_id=jeroen,
                                                                  role="municipality_staff", created_at=now))
        offers = session.execute(sa.select(Offer.id, Offer.product_category, Offer.provider_id)
                                 .where(Offer.provider_id.in_(sa.select(ProviderContract.provider_id)))).all()
        provider_orgs = dict(session.execute(sa.text("SELECT id, organisation_id FROM provider")).all())
        backoffice = session.execute(sa.select(Organisation.id).where(Organisation.kind == "municipality")).scalar()
        first_assignment = (session.execute(sa.select(sa.func.max(Assignment.id))).scalar() or 0) + 1
        rows = {name: [] for name in ("family", "plan", "goal", "assignment", "verdict", "answer", "complaint",
                                      "part", "event")}
        codes = list(region)
        aid = first_assignment
        for n in range(families):
            fid, pid, gid = new_id(), new_id(), new_id()
            created = now - timedelta(days=rng.uniform(0, 540))
            fixed = created + timedelta(days=rng.uniform(5, 40)) if rng.random() < 0.6 else None
            fixed = fixed if fixed and fixed < now else None
            rows["family"].append({"id": fid, "name": f"Gezin {n}", "municipality_id": region[rng.choice(codes)],
                                   "created_at": created})
            rows["plan"].append({"id": pid, "family_id": fid, "status": "fixed" if fixed else "draft",
                                 "content_version": 1, "fixed_at": fixed, "fixed_count": 1 if fixed else 0,
                                 "created_at": created, "updated_at": created})
            rows["goal"].append({"id": gid, "plan_id": pid, "kind": "goal", "text": "Doel", "result": "",
                                 "helpers": "", "is_done": False, "author_id": mark, "typed_by_id": mark,
                                 "withheld_from_parents": False, "withheld_reason": "",
                                 "released_to_non_custody": False, "version": 1, "position": 0,
                                 "created_at": created, "updated_at": created})
            for _ in range(rng.choice((1, 1, 2))):
                offer_id, category, provider = rng.choice(offers)
                asked = created + timedelta(days=rng.uniform(1, 30))
                if asked >= now:
                    continue
                decided = datetime.combine(add_working_days(asked.date(), rng.choice((0, 1, 2, 3, 4, 5, 5, 7, 12))),
                                           asked.time(), tzinfo=UTC)
                start = decided.date() + timedelta(days=rng.randint(0, 60)) if rng.random() < 0.7 else None
                stop = start + timedelta(days=rng.randint(30, 200)) if start and rng.random() < 0.5 else None
                stop = stop if stop and stop < now.date() else None
                start = start if start and start < now.date() else None
                rows["assignment"].append({
                    "id": aid, "reference": new_id(), "plan_id": pid, "family_id": fid, "goal_id": gid,
                    "offer_id": offer_id, "organisation_id": provider_orgs[provider], "status": "assigned",
                    "product_category": category, "product_code": "", "unit": "", "frequency": "",
                    "referrer_type": "01", "chosen_by_id": mark, "chosen_at": asked, "confirmed_by_id": mark,
                    "confirmed_at": asked, "decided_at": decided if decided < now else None,
                    "assigned_start": start, "care_started_on": start if start else None,
                    "care_stopped_on": stop if start else None, "refusal_reason": "",
                    "stop_reason": rng.choice(("31", "31", "31", "34", "32", "33", "35")) if stop else "",
                    "result_state": "", "updated_at": asked})
                if stop:
                    verdict_at = datetime.combine(stop, asked.time(), tzinfo=UTC) + timedelta(days=rng.randint(1, 20))
                    if verdict_at < now:
                        rows["verdict"].append({"assignment_id": aid, "goal_id": gid, "moment": "end",
                                                "verdict": rng.choice(("achieved", "achieved", "partly",
                                                                       "not_achieved")),
                                                "decided_at": verdict_at, "correction_reason": "", "current": True})
                        rows["answer"].append({"assignment_id": aid, "person_id": mark, "informant": "parent",
                                               "usefulness": rng.randint(3, 10), "independence": "02",
                                               "created_at": verdict_at})
                aid += 1
            if rng.random() < 0.05:
                cid = new_id()
                received = (created + timedelta(days=rng.uniform(1, 60))).date()
                if received < now.date():
                    due = decide_by(received, "awb")
                    judged = received + timedelta(days=rng.randint(10, 60))
                    judged = judged if judged < now.date() else None
                    rows["complaint"].append({"id": cid, "number": f"B-{n:08d}"[:12], "family_id": fid,
                                              "complainant_id": mark, "client_id": cid, "text": "Klacht",
                                              "wish": "", "shares_identity": False, "language": "nl",
                                              "created_at": now})
                    rows["part"].append({"id": new_id(), "complaint_id": cid, "subject": "municipality",
                                         "organisation_id": backoffice, "regime": "awb",
                                         "status": "closed" if judged else "in_progress", "received_on": received,
                                         "term_started_on": received, "acknowledge_by": received, "decide_by": due,
                                         "has_committee": False, "extension_days": 0, "extension_reason": "",
                                         "outcome": "founded" if judged else "", "judgement": "",
                                         "judged_on": judged, "closed_on": judged, "reopen_count": 0,
                                         "updated_at": now})
            for seq in range(1, 4):
                status = rng.choices(("delivered", "pending", "dead"), (96, 3, 1))[0]
                rows["event"].append({"event_type": "plan.fixed", "schema_id": "bench", "aggregate_type": "plan",
                                      "aggregate_id": pid, "sequence": seq, "idempotency_key": new_id() + str(seq),
                                      "payload": {}, "status": status, "attempts": 1 if status != "pending" else 0,
                                      "created_at": created, "delivered_at": created if status == "delivered"
                                      else None})
        tables = [("family", Family), ("plan", Plan), ("goal", PlanItem), ("assignment", Assignment),
                  ("verdict", FamilyVerdict), ("answer", OutcomeAnswer), ("complaint", Complaint),
                  ("part", ComplaintPart), ("event", OutboxEvent)]
        for name, model in tables:
            for start in range(0, len(rows[name]), 5000):
                session.execute(sa.insert(model), rows[name][start:start + 5000])
        print(", ".join(f"{len(rows[name]):,} {name}" for name, _m in tables))
    with app.app_context(), db.engine.connect() as conn:
        statement = "VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE"
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text(statement))
    return time.perf_counter() - started


def time_page(client: requests.Session, url: str, count: int, tag: str) -> tuple[list[float], int]:
    """Wall times (ms) of `count` GETs after 5 warm-ups, each with X-Request-Id bench-<tag>-<n>; and the size."""
    size = 0
    for n in range(5):
        response = client.get(url, headers={"X-Request-Id": f"warm-{tag}-{n}"}, timeout=30)
        response.raise_for_status()
        size = len(response.content)
    timings = []
    for n in range(count):
        started = time.perf_counter()
        response = client.get(url, headers={"X-Request-Id": f"bench-{tag}-{n}"}, timeout=30)
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return timings, size


def logged(log: Path, endpoint: str, tag: str) -> list[float]:
    found = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            if entry.get("endpoint") == endpoint and str(entry.get("request_id", "")).startswith(f"bench-{tag}-"):
                found.append(float(entry["duration_ms"]))
    return found


def budgeted_pages(client: requests.Session, base: str, pages: dict, count: int, log: Path, endpoint_of,
                   floor: float, budget_ms: float) -> bool:
    """Time each page (name: (path, counts against the budget)): wall time, then the app's own logged server time
    (`endpoint_of(path)` names its endpoint); return whether every budgeted page's median is under `budget_ms`."""
    met = True
    for number, (name, (path, budgeted)) in enumerate(pages.items()):
        walls, size = time_page(client, base + path, count, str(number))
        summary(f"{name} (wall)", walls, floor)
        median = server_line(logged(log, endpoint_of(path), str(number)), size)
        if budgeted:
            met = met and median < budget_ms
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL instead of SQLite")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--families", type=int, default=10000)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1,000 families, 20 GETs")
    args = parser.parse_args()
    if args.quick:
        args.families, args.count = 1000, 20
    bare = None
    with seeded_app(args.postgres) as (server, url, log, database):
        try:
            seconds = generate(in_process_app(url), args.families)
            print(f"{database}: generated a region of {args.families:,} families in {seconds:.1f} s "
                  f"({date.today():%Y-%m-%d})")
            with stderr_to(log):
                server.start()
            bare, bare_url = start_bare()
            floor = summary("bare endpoint", time_bare(bare_url, args.count))["median_ms"]
            client = signed_in(server.url, "jeroen")
            met = budgeted_pages(client, server.url, PAGES, args.count, log, lambda path: ENDPOINTS[path.split("?")[0]],
                                 floor, BUDGET_MS)
            print(f"budget (median server time < {BUDGET_MS:.0f} ms, region, 12 months): {'met' if met else 'NOT met'}")
        finally:
            if bare is not None:
                bare.terminate()
                bare.wait(10)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
