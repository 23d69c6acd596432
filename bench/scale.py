"""Data scale (issue 9; issue 23, point 6): the plan page, the professional's caseload, the signed-in home and a
catalog search with 1,000 families and with 100,000, side by side in one run. Budget: at 100,000 within 1.5× of
1,000.

    python bench/scale.py [--postgres] [--count 100] [--small 1000] [--large 100000]
    python bench/scale.py --quick          # a smoke run: 50 and 500 families, 20 rounds

The generator clones the demo family De Boer-Hoekstra (its people, memberships, plan, items, versions and
agreements; not its professional, so caseloads stay the size they are) with fresh ids, in bulk inserts, then runs
ANALYZE (SQLite) or VACUUM ANALYZE (PostgreSQL), what autovacuum would do after a bulk load. The small database is
built first and copied (a file copy; on PostgreSQL `CREATE DATABASE ... TEMPLATE`), and the copy grown to the large
size. Then both run at once, each under its own gunicorn, beside the bare endpoint, and the measurements alternate:
each round asks every page once of the bare endpoint, the small and the large app, in an order that turns each
round, so whatever load drifts over the machine falls on both sizes alike. Printed per page: wall time median and
p95 at each size, the app's own logged duration_ms, the ratio of the large median to the small one, and each
median's ratio to the bare endpoint's.
"""

import argparse
import contextlib
import itertools
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import start_bare  # noqa: E402
from bench.plan import sign_in  # noqa: E402
from tests.support.servers import AppServer  # noqa: E402

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


PAGES = {
    "plan page": ("sanne", "PLAN", False),
    "caseload overview": ("mark", "/overzicht", False),
    "signed-in home": ("sanne", "/", False),
    "catalog search": ("sanne", "/catalogus?thema=angst&wachttijd=8", True),
}
SIZES = ("small", "large")
ENV = {"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "bench-secret", "SESSION_COOKIE_SECURE": "0",
       "LOG_JSON": "1", "LOG_LEVEL": "INFO", "RATELIMIT_ENABLED": "0"}


@contextlib.contextmanager
def two_databases(postgres: bool, small: int, large: int):
    """The demo seeded and grown to `small` families, and a copy of it grown to `large`; yields their URLs, a
    folder for the logs and the database's name."""
    database = None
    with tempfile.TemporaryDirectory() as tmp:
        try:
            if postgres:
                from tests.support.servers import PostgresServer

                database = PostgresServer(durable=True).start()
                urls = {"small": database.create_database("scale_small"), "large": database.url("scale_large")}
            else:
                urls = {size: f"sqlite:///{tmp}/{size}.db" for size in SIZES}
            seeder = AppServer({**ENV, "DATABASE_URL": urls["small"]})
            seeder.flask("db", "upgrade")
            seeder.flask("demo", "seed")
            _grown(urls["small"], small)
            _copy(database, urls["small"], urls["large"], tmp)
            _grown(urls["large"], large)
            yield urls, Path(tmp), "PostgreSQL" if postgres else "SQLite"
        finally:
            if database is not None:
                database.stop()


def _grown(url: str, families: int) -> None:
    took = grow(url, families)
    print(f"{families:,} families ready ({took:.0f} s to generate and analyse)", flush=True)


def _copy(database, small_url: str, large_url: str, tmp: str) -> None:
    """Copy the small database to the large one's place: the file (SQLite), or a database made from it as a
    template (PostgreSQL; nobody may be connected to it meanwhile)."""
    if database is None:
        with contextlib.closing(sqlite3.connect(f"{tmp}/small.db")) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the one file that is copied
        shutil.copyfile(f"{tmp}/small.db", f"{tmp}/large.db")
        return
    engine = sa.create_engine(database.url("postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text('CREATE DATABASE "scale_large" TEMPLATE "scale_small"'))
    engine.dispose()


class Target:
    """One thing under test: the bare endpoint, or the app on one database, with its signed-in clients."""

    def __init__(self, size: str, base: str, log: Path | None = None) -> None:
        self.size, self.base, self.log = size, base, log
        self.clients: dict[str, requests.Session] = {}
        self.paths: dict[str, str] = {}
        self.walls: dict[str, list[float]] = {}

    def prepare(self) -> None:
        """Sign each persona in and find this database's plan (its ids are its own)."""
        for name, (persona, path, _htmx) in PAGES.items():
            client = self.clients.get(persona) or self.clients.setdefault(persona, sign_in(self.base, persona))
            self.paths[name] = re_plan(client, self.base) if path == "PLAN" else path
            self.walls[name] = []

    def ask(self, name: str, n: int, *, warm: bool = False) -> None:
        """One request for a page (`n`: its round, in the X-Request-Id that finds the app's own duration)."""
        persona, _path, htmx = PAGES[name]
        headers = {"HX-Request": "true"} if htmx else {}
        tag = f"{'warm' if warm else 'bench'}-{self.size}-{name.split()[0]}-{n}"
        started = time.perf_counter()
        response = self.clients[persona].get(self.base + self.paths[name], headers={**headers, "X-Request-Id": tag},
                                             timeout=30)
        spent = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        if not warm:
            self.walls[name].append(spent)

    def server_ms(self, name: str) -> list[float]:
        return logged(self.log, f"{self.size}-{name.split()[0]}") if self.log else []


class Bare(Target):
    """The bare Flask endpoint under the same server settings: the floor, asked once beside each page."""

    def prepare(self) -> None:
        self.clients["bare"] = requests.Session()
        self.walls = {name: [] for name in PAGES}

    def ask(self, name: str, n: int, *, warm: bool = False) -> None:
        started = time.perf_counter()
        self.clients["bare"].get(self.base, timeout=30).raise_for_status()
        if not warm:
            self.walls[name].append((time.perf_counter() - started) * 1000)


def measure(targets: list[Target], count: int) -> None:
    """Ten warm-up rounds, then `count` rounds; each asks every page of every target once, in each of the targets'
    orders in turn (every target as often first, and each before each other as often as after)."""
    for n in range(10):
        for name in PAGES:
            for target in targets:
                target.ask(name, n, warm=True)
    orders = list(itertools.permutations(targets))
    for n in range(count):
        order = orders[n % len(orders)]
        for name in PAGES:
            for target in order:
                target.ask(name, n)


def report(label: str, small: int, large: int, bare: Bare, apps: dict[str, Target]) -> None:
    """Print each page's medians and p95 at both sizes, the app's own time, and the ratios."""
    floor = statistics.median([wall for walls in bare.walls.values() for wall in walls])
    print(f"\n{label}: {small:,} and {large:,} families side by side; bare endpoint median {floor:.2f} ms "
          "(same rounds)")
    print(f"{'page':<20} {'small median / p95':>20} {'large median / p95':>20} {'app small → large':>20} "
          f"{'large/small wall':>17} {'app':>6} {'× bare (small, large)':>22}")
    for name in PAGES:
        walls = {size: apps[size].walls[name] for size in SIZES}
        med = {size: statistics.median(walls[size]) for size in SIZES}
        p95 = {size: statistics.quantiles(walls[size], n=20)[18] for size in SIZES}
        server = {size: apps[size].server_ms(name) for size in SIZES}
        app = {size: statistics.median(server[size]) if server[size] else float("nan") for size in SIZES}
        print(f"{name:<20} {med['small']:9.2f} / {p95['small']:7.2f} ms {med['large']:9.2f} / {p95['large']:7.2f} ms"
              f" {app['small']:8.1f} → {app['large']:6.1f} ms {med['large'] / med['small']:16.2f}× "
              f"{app['large'] / app['small']:5.2f}× {med['small'] / floor:10.1f}×, {med['large'] / floor:5.1f}×")
    print("budget: large/small ≤ 1.5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 50 and 500 families, 20 rounds")
    parser.add_argument("--count", type=int)
    parser.add_argument("--small", type=int)
    parser.add_argument("--large", type=int)
    args = parser.parse_args()
    count = args.count or (20 if args.quick else 100)
    small = args.small or (50 if args.quick else 1000)
    large = args.large or (500 if args.quick else 100_000)
    if count < 2 or not 1 <= small < large:
        parser.error("needs --count of 2 or more and 1 <= --small < --large")

    with two_databases(args.postgres, small, large) as (urls, folder, label):
        servers = {size: AppServer({**ENV, "DATABASE_URL": urls[size]}) for size in SIZES}
        bare_process, bare_url = start_bare()
        try:
            for size, server in servers.items():
                server.start(output=folder / f"{size}.log")
            apps = {size: Target(size, servers[size].url, folder / f"{size}.log") for size in SIZES}
            bare = Bare("bare", bare_url)
            for target in (bare, *apps.values()):
                target.prepare()
            measure([bare, apps["small"], apps["large"]], count)
            report(label, small, large, bare, apps)
        finally:
            for server in servers.values():
                server.stop()
            bare_process.terminate()
            bare_process.wait(10)


def re_plan(client, base: str) -> str:
    import re

    return re.search(r'href="(/plan/[a-z0-9]+)[/"]', client.get(f"{base}/").text).group(1)


if __name__ == "__main__":
    main()
