"""Print recall@5 and MRR of the catalog search on the judged queries, on SQLite and PostgreSQL (issue 24).

    python bench/relevance.py [--sqlite-only] [--misses] [--show] [--section NAME]

Builds the demo catalog (app/demo/catalog.py) on a SQLite file and on a throwaway PostgreSQL, runs every query of
tests/catalog/judged_queries.toml through the search service and prints, per database, the mean recall@5 and the
mean reciprocal rank (see tests/catalog/relevance.py for how a list is judged), per query language and per section
of the file too. `--misses` lists the queries below recall 1 or rank 1 with the names shown; `--show` lists every
query; `--section NAME` limits those lists to one section (e.g. "Independent").
Targets (issue 24): recall@5 >= 0.95 and MRR >= 0.85 on both databases, the same within 0.02.
"""

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(url: str):
    from app import create_app
    from app.demo.catalog import seed_catalog
    from app.extensions import db
    from tests.support.seeded import seeded_app

    app = seeded_app(url, with_plan=False, overrides={"LOG_LEVEL": "WARNING"})
    with app.test_request_context(), db.new_session() as session:
        seed_catalog(session)
    del create_app
    return app


def run(app, label: str, args) -> tuple[float, float]:
    from app.extensions import db
    from tests.catalog.relevance import measure

    with app.test_request_context():
        started = time.perf_counter()
        recall, mrr, outcomes = measure(db.session)
        seconds = time.perf_counter() - started
    by_lang, by_section = defaultdict(list), defaultdict(list)
    for outcome in outcomes:
        by_lang[outcome.query.lang].append(outcome)
        if outcome.query.held_out:
            by_lang["held out"].append(outcome)
        by_section[outcome.query.section].append(outcome)
    print(f"{label}: {len(outcomes)} queries   recall@5 {recall:.3f}   MRR {mrr:.3f}   ({seconds:.1f} s)")
    for group in (sorted(by_lang.items()), by_section.items()):
        for name, items in group:
            print(f"    {name:>11}: {len(items):3d} queries   recall@5 {sum(o.recall for o in items) / len(items):.3f}"
                  f"   MRR {sum(o.reciprocal_rank for o in items) / len(items):.3f}")
    for outcome in outcomes:
        if args.section and outcome.query.section.lower() != args.section.lower():
            continue
        if args.show or (args.misses and (outcome.recall < 1 or outcome.reciprocal_rank < 1)):
            print(f"  {outcome.recall:.2f} {outcome.reciprocal_rank:.2f}  {outcome.query.q!r} ({outcome.query.why}) "
                  f"-> {list(outcome.names[:5])}")
    return recall, mrr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list the queries that miss")
    parser.add_argument("--show", action="store_true", help="list every query")
    parser.add_argument("--section", help="list only the queries of this section of the file")
    args = parser.parse_args()
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        figures["SQLite"] = run(build(f"sqlite:///{tmp}/relevance.db"), "SQLite", args)
        if not args.sqlite_only:
            from tests.support.servers import PostgresServer

            server = PostgresServer().start()
            try:
                figures["PostgreSQL"] = run(build(server.create_database("relevance")), "PostgreSQL", args)
            finally:
                server.stop()
    if len(figures) == 2:
        (r1, m1), (r2, m2) = figures.values()
        print(f"difference between the databases: recall@5 {abs(r1 - r2):.3f}   MRR {abs(m1 - m2):.3f}")
    met = all(r >= 0.95 and m >= 0.85 for r, m in figures.values())
    print(f"target (recall@5 >= 0.95, MRR >= 0.85): {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
