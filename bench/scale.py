"""Data scale (issue 9): the plan page, the professional's caseload, the signed-in home and a catalog search with
1,000 families and again with 100,000, in one run on one database. Budget: at 100,000 within 1.5× of 1,000.

    python bench/scale.py [--postgres] [--count 100] [--small 1000] [--large 100000]

The generator clones the demo family De Boer-Hoekstra (its people, memberships, plan, items, versions and
agreements; not its professional, so caseloads stay the size they are) with fresh ids, in bulk inserts, then runs
ANALYZE (SQLite) or VACUUM ANALYZE (PostgreSQL), what autovacuum would do after a bulk load. Each page is timed
sequentially under gunicorn: wall time median and p95, the app's own logged duration_ms, and the ratio of the
100,000 median to the 1,000 median; the bare endpoint of the same run is the floor.
"""

import argparse
import contextlib
import json
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import seeded_app, start_bare, stderr_to, summary, time_requests  # noqa: E402
from bench.plan import sign_in  # noqa: E402

TEMPLATE = "De Boer-Hoekstra"
CLONED = ("family", "person", "membership", "plan", "plan_item", "item_version", "agreement")


def template_rows(conn) -> dict[str, list[dict]]:
    """The demo family's rows per table (without its professional)."""
    meta = sa.MetaData()
    meta.reflect(conn, only=CLONED)
    t = meta.tables
    family = conn.execute(sa.select(t["family"]).where(t["family"].c.name == TEMPLATE)).mappings().one()
    members = conn.execute(sa.select(t["membership"]).where(t["membership"].c.family_id == family["id"],
                                                            t["membership"].c.role != "professional")).mappings().all()
    people = [row["person_id"] for row in members]
    plan = conn.execute(sa.select(t["plan"]).where(t["plan"].c.family_id == family["id"])).mappings().one()
    rows = {"family": [dict(family)], "membership": [dict(m) for m in members],
            "person": [dict(p) for p in conn.execute(sa.select(t["person"]).where(t["person"].c.id.in_(people)))
                       .mappings()], "plan": [dict(plan)]}
    for name in ("plan_item", "item_version", "agreement"):
        rows[name] = [dict(r) for r in conn.execute(sa.select(t[name]).where(t[name].c.plan_id == plan["id"]))
                      .mappings()]
    rows["plan_item"].sort(key=lambda item: item["goal_id"] is not None)  # goals before the actions under them
    return rows, t


def clone(conn, tables, template: dict[str, list[dict]], copies: int, start: int) -> None:
    """Insert `copies` clones of the template, with fresh string ids and new integer keys."""
    from app.core.ids import new_id

    own_ids = {row["id"] for name in ("family", "person", "plan", "plan_item") for row in template[name]}
    order = ("family", "person", "membership", "plan", "plan_item", "item_version", "agreement")
    batch: dict[str, list[dict]] = {name: [] for name in order}

    def flush() -> None:
        for name in order:
            if batch[name]:
                conn.execute(tables[name].insert(), batch[name])
                batch[name].clear()

    for n in range(copies):
        ids = {old: new_id() for old in own_ids}
        for name in order:
            for row in template[name]:
                copy = {key: ids.get(value, value) if isinstance(value, str) else value for key, value in row.items()}
                if name not in ("family", "person", "plan", "plan_item"):
                    copy.pop("id", None)  # an integer key: the database numbers it
                if name == "person":
                    copy.update(demo_key=None, email=None)
                if name == "family":
                    copy["name"] = f"Gezin {start + n:06d}"
                batch[name].append(copy)
        if (n + 1) % 500 == 0:
            flush()
    flush()


def grow(url: str, families: int) -> float:
    """Clone the template until there are `families` families; return the seconds it took (with ANALYZE)."""
    started = time.perf_counter()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        template, tables = template_rows(conn)
        have = conn.execute(sa.text("SELECT count(*) FROM family")).scalar()
        if families > have:
            clone(conn, tables, template, families - have, have)
    with engine.connect() as conn:
        statement = "VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE"
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text(statement))
    engine.dispose()
    return time.perf_counter() - started


def logged(log: Path, tag: str) -> list[float]:
    """The app's own duration_ms of the requests tagged bench-<tag>-*."""
    values = []
    for line in log.read_text(errors="replace").splitlines():
        if f'"bench-{tag}-' in line:
            with contextlib.suppress(ValueError, KeyError):
                values.append(float(json.loads(line)["duration_ms"]))
    return values


def measure(base: str, log: Path, pages: dict, count: int, size: str, floor: float) -> dict[str, dict]:
    results = {}
    for name, (persona, path, htmx) in pages.items():
        client = sign_in(base, persona)
        target = path(client) if callable(path) else path
        tag = f"{size}-{name.split()[0]}-{persona}"
        walls = _timed(client, base + target, count, tag, htmx)
        server = logged(log, tag)
        results[name] = {"wall": summary(f"{name} ({size})", walls, floor),
                         "server_median": round(statistics.median(server), 2) if server else None}
        if server:
            print(f"{'':<38} app duration_ms median {statistics.median(server):7.2f} ms")
    return results


def _timed(client, url: str, count: int, tag: str, htmx: bool) -> list[float]:
    headers = {"HX-Request": "true"} if htmx else {}
    for n in range(10):
        client.get(url, headers={**headers, "X-Request-Id": f"warm-{tag}-{n}"}, timeout=30).raise_for_status()
    walls = []
    for n in range(count):
        started = time.perf_counter()
        response = client.get(url, headers={**headers, "X-Request-Id": f"bench-{tag}-{n}"}, timeout=30)
        walls.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return walls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()

    with seeded_app(args.postgres) as (server, url, log, label):
        pages = {
            "plan page": ("sanne", "PLAN", False),
            "caseload overview": ("mark", "/overzicht", False),
            "signed-in home": ("sanne", "/", False),
            "catalog search": ("sanne", "/catalogus?thema=angst&wachttijd=8", True),
        }
        bare, bare_url = start_bare()
        results = {}
        try:
            for size, families in (("small", args.small), ("large", args.large)):
                took = grow(url, families)
                print(f"{label}: {families:,} families ready ({took:.0f} s to generate and analyse)")
                with stderr_to(log):
                    server.start()
                try:
                    floor_walls = time_requests(__import__("requests").Session(), bare_url, args.count)
                    floor = summary(f"bare endpoint ({size})", floor_walls)["median_ms"]
                    client = sign_in(server.url, "sanne")
                    plan = re_plan(client, server.url)
                    resolved = {name: (persona, plan if path == "PLAN" else path, htmx)
                                for name, (persona, path, htmx) in pages.items()}
                    results[size] = measure(server.url, log, resolved, args.count, size, floor)
                finally:
                    server.stop()
        finally:
            bare.terminate()
        print(f"\n{label}: ratio of the median at {args.large:,} families to the median at {args.small:,} "
              "(budget ≤ 1.5)")
        for name in pages:
            small, large = results["small"][name], results["large"][name]
            wall = large["wall"]["median_ms"] / small["wall"]["median_ms"]
            app = (large["server_median"] / small["server_median"]
                   if large["server_median"] and small["server_median"] else float("nan"))
            print(f"  {name:<22} wall {small['wall']['median_ms']:7.2f} → {large['wall']['median_ms']:7.2f} ms "
                  f"({wall:4.2f}×)   app {small['server_median']} → {large['server_median']} ms ({app:4.2f}×)")


def re_plan(client, base: str) -> str:
    import re

    return re.search(r'href="(/plan/[a-z0-9]+)[/"]', client.get(f"{base}/").text).group(1)


if __name__ == "__main__":
    main()
