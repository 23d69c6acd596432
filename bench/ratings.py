"""Time the catalog pages with rating and outcome figures: 100,000 ratings and 50,000 verdicts in the database.

    python bench/ratings.py [--postgres] [--count 100] [--ratings 100000] [--verdicts 50000] [--quick]

Builds the catalog of bench/catalog.py (5,000 providers, 20,000 offers on top of the demo), then bulk-inserts
50,000 ended care trajectories (assignments) with a family verdict and an outcome answer each, and 100,000 ratings
(two per trajectory, 90% published) spread over the offers, a fifth of them on 200 popular offers. The per-offer
totals (`offer_rating_figure`) are then built once with `figures.rebuild` (what publishing does one rating at a
time). Under gunicorn one sequential client asks for:

* an offer page and a provider page with the most ratings (figures, texts, replies and outcome figures),
* a search sorted by rating (the results fragment, two filters), and the same search sorted by best match:
  the catalog budget's own measurement, taken in the same run as the baseline;
* a bare Flask endpoint: the floor, and the ratio of each wall median to it.

Reported: wall time median and p95, the app's own logged `duration_ms` (server time) and the body size.
Budget (the catalog's, issue 5): median server time under 50 ms; a results fragment under 15 KB.
The machines are noisy: compare ratios and the baseline of the same run, not absolute numbers across runs.
"""

import argparse
import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

from catalog import generate, in_process_app, time_bare
from common import ROOT, seeded_app, server_line, start_bare, stderr_to, summary, time_tagged

BUDGET_MS = 50.0
BUDGET_BYTES = 15_000
WORDS = ["Goed geholpen", "Fijne begeleider", "Lang wachten", "Ze luisterden echt", "Het hielp ons gezin",
         "Soms lastig bereikbaar", "Tige tank", "Wy fielden ús heard", "Rust in huis", "Duidelijke afspraken"]


def generate_ratings(app, ratings: int, verdicts: int) -> tuple[float, int, int]:
    """Bulk-insert the trajectories, verdicts, outcome answers and ratings; build the figures. Return the seconds,
    the most-rated offer and its provider."""
    import sqlalchemy as sa

    from app.catalog.models import Assignment, Offer, Provider
    from app.core.clock import today, utcnow
    from app.core.ids import new_id
    from app.demo.services import FAMILY_NAME
    from app.extensions import db
    from app.identity.models import Family, Membership
    from app.plans.models import Plan, PlanItem
    from app.ratings import figures
    from app.ratings.models import Rating
    from app.results.models import FamilyVerdict, OutcomeAnswer

    started = time.perf_counter()
    rng = random.Random(6)
    now, day = utcnow(), today()
    with app.app_context(), db.new_session() as session:
        family = session.execute(sa.select(Family).where(Family.name == FAMILY_NAME)).scalar_one()
        plan = session.execute(sa.select(Plan.id).where(Plan.family_id == family.id)).scalar_one()
        goal = session.execute(sa.select(PlanItem.id).where(PlanItem.plan_id == plan, PlanItem.kind == "goal")
                               ).scalars().first()
        people = session.execute(sa.select(Membership.person_id).where(
            Membership.family_id == family.id, Membership.role == "parent")).scalars().all()[:2]
        offers = session.execute(sa.select(Offer.id, Offer.provider_id, Provider.organisation_id)
                                 .join(Provider, Provider.id == Offer.provider_id)).all()
        popular = rng.sample(offers, 200)
        first = (session.execute(sa.select(sa.func.max(Assignment.id))).scalar() or 0) + 1
        trajectories = max(verdicts, ratings // len(people))
        rows, verdict_rows, answers, rating_rows = [], [], [], []
        for n in range(trajectories):
            offer_id, provider_id, organisation = rng.choice(popular if rng.random() < 0.2 else offers)
            aid = first + n
            stopped = day - timedelta(days=rng.randint(1, 700))
            rows.append({"id": aid, "reference": new_id(), "plan_id": plan, "family_id": family.id, "goal_id": goal,
                         "offer_id": offer_id, "organisation_id": organisation, "status": "assigned",
                         "product_category": "45", "product_code": "", "unit": "", "frequency": "",
                         "referrer_type": "01", "chosen_by_id": people[0], "chosen_at": now, "refusal_reason": "",
                         "updated_at": now, "care_started_on": stopped - timedelta(days=180),
                         "care_stopped_on": stopped, "stop_reason": rng.choice(["31"] * 8 + ["32", "33"])})
            if n < verdicts:
                verdict_rows.append({"assignment_id": aid, "goal_id": goal, "moment": "end", "decided_at": now,
                                     "verdict": rng.choice(["achieved", "achieved", "partly", "not_achieved"]),
                                     "correction_reason": "", "current": True})
                answers.append({"assignment_id": aid, "person_id": people[0], "informant": "parent",
                                "usefulness": rng.randint(3, 10), "independence": rng.choice(["01", "02", "03", "04"]),
                                "created_at": now})
            for person in people:
                if len(rating_rows) >= ratings:
                    break
                score = rng.choice([4, 5, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 10])
                published = rng.random() < 0.9
                rating_rows.append({
                    "assignment_id": aid, "person_id": person, "family_id": family.id,
                    "municipality_id": family.municipality_id, "offer_id": offer_id, "provider_id": provider_id,
                    "informant": "parent", "overall": score, "heard": score, "decided": max(1, score - 1),
                    "reachable": rng.randint(4, 10), "result": score, "text": rng.choice(WORDS) if
                    rng.random() < 0.6 else "", "status": "published" if published else "pending",
                    "reject_reason": "", "version": 1, "created_at": now, "updated_at": now,
                    "published_at": now - timedelta(minutes=rng.randint(0, 500_000)) if published else None})
        for chunk in range(0, len(rows), 5000):
            session.execute(sa.insert(Assignment), rows[chunk:chunk + 5000])
        for table, values in ((FamilyVerdict, verdict_rows), (OutcomeAnswer, answers), (Rating, rating_rows)):
            for chunk in range(0, len(values), 5000):
                session.execute(sa.insert(table), values[chunk:chunk + 5000])
        figures.rebuild(session)
        top = session.execute(sa.text("SELECT offer_id, provider_id FROM offer_rating_figure "
                                      "ORDER BY trajectories DESC LIMIT 1")).one()
    with app.app_context(), db.engine.connect() as conn:
        statement = "VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE"
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text(statement))
    return time.perf_counter() - started, top.offer_id, top.provider_id


def logged(log: Path, tag: str) -> list[float]:
    found = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            if str(entry.get("request_id", "")).startswith(f"bench-{tag}-"):
                found.append(float(entry["duration_ms"]))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL instead of SQLite")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--ratings", type=int, default=100_000)
    parser.add_argument("--verdicts", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 500 providers, 2,000 offers, 10,000 "
                        "ratings, 5,000 verdicts, 30 GETs")
    args = parser.parse_args()
    providers, offers = 5000, 20000
    if args.quick:
        providers, offers, args.ratings, args.verdicts, args.count = 500, 2000, 10_000, 5_000, 30
    bare = None
    with seeded_app(args.postgres) as (server, url, log, database):
        try:
            app = in_process_app(url)
            catalog_seconds = generate(app, providers, offers)
            seconds, offer, provider = generate_ratings(app, args.ratings, args.verdicts)
            print(f"{database}: {providers} providers, {offers} offers in {catalog_seconds:.1f} s; "
                  f"{args.ratings} ratings, {args.verdicts} verdicts and the figures in {seconds:.1f} s")
            with stderr_to(log):
                server.start()
            bare, bare_url = start_bare()
            floor = summary("bare endpoint", time_bare(bare_url, args.count))["median_ms"]
            pages = {  # name: (path, htmx, a fragment (size budget), counts against the budget)
                "search, best match (baseline)": ("/catalogus?thema=angst&wachttijd=8", True, True, True),
                "search, sorted by rating": ("/catalogus?thema=angst&wachttijd=8&sorteer=rating", True, True, True),
                "search, sorted by rating, no filter": ("/catalogus?sorteer=rating", True, True, False),
                "offer page with figures": (f"/catalogus/aanbod/{offer}", False, False, True),
                "provider page with figures": (f"/catalogus/aanbieders/{provider}", False, False, True),
            }
            met = True
            for number, (name, (path, htmx, sized, budgeted)) in enumerate(pages.items()):
                walls, size = time_tagged(server.url, path, args.count, str(number), htmx)
                summary(f"{name} (wall)", walls, floor)
                durations = logged(log, str(number))
                median = server_line(durations, size)
                if budgeted:
                    met = met and median < BUDGET_MS and (not sized or size < BUDGET_BYTES)
            print(f"budget (median server time < {BUDGET_MS:.0f} ms, fragments < 15 KB; two-filter searches and "
                  f"the two pages): "
                  f"{'met' if met else 'NOT met'}")
        finally:
            if bare is not None:
                bare.terminate()
                bare.wait(10)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
