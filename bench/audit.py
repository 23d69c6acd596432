"""`flask audit verify` in constant memory (issue 23, point 5): the access log streamed, not loaded.

Builds an access log of `--small` and then `--rows` entries (valid hash chains over `--chains` families) in a fresh
SQLite file (or PostgreSQL database with --postgres), and runs `flask audit verify` on each in a process of its own.
Prints the time, rows per second and the process's peak memory (ru_maxrss), beside the floor: the same command's
process when the log is empty. Constant memory means the peak above the floor does not grow with the rows.

    python bench/audit.py                       # 1,000,000 and 10,000,000 rows on SQLite
    python bench/audit.py --small 100000 --rows 1000000
    python bench/audit.py --postgres
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from app.audit.models import AccessLogChain, AccessLogCheckpoint, AccessLogEntry  # noqa: E402
from app.audit.services import GENESIS, _hash  # noqa: E402
from app.core.clock import utcnow  # noqa: E402
from app.core.db import DESTRUCTION_PERMIT  # noqa: E402

TABLES = [AccessLogEntry.__table__, AccessLogChain.__table__, AccessLogCheckpoint.__table__, DESTRUCTION_PERMIT]
VERIFY = ("import resource, time; from app import create_app; from app.extensions import db; "
          "from app.audit.services import verify; app = create_app(); app.app_context().push(); "
          "t = time.perf_counter(); problems = verify(db.session); "
          "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(problems))")


def build(url: str, rows: int, chains: int) -> None:
    """A log of `rows` entries with valid chains (the hashes made as `record` makes them)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for table in reversed(TABLES):
            table.drop(conn, checkfirst=True)
        for table in TABLES:
            table.create(conn)
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA journal_mode=OFF")
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
    heads = {f"f{n:05d}": (0, GENESIS) for n in range(chains)}
    names = list(heads)
    start = utcnow() - timedelta(days=365)
    batch = []
    table = AccessLogEntry.__table__
    with engine.begin() as conn:
        for number in range(rows):
            chain = names[number % chains]
            seq, previous = heads[chain]
            row = {"created_at": start + timedelta(milliseconds=number), "event": "plan.view", "action": "read",
                   "outcome": "success", "actor_id": f"p{number % 97}", "actor_role": "parent",
                   "on_behalf_of_id": None, "family_id": chain, "youth_id": None, "object_type": "plan",
                   "object_id": chain, "detail": "", "chain": chain, "seq": seq + 1, "prev_hash": previous}
            row["hash"] = _hash(row)
            heads[chain] = (seq + 1, row["hash"])
            batch.append(row)
            if len(batch) == 50_000:
                conn.execute(table.insert(), batch)
                batch = []
        if batch:
            conn.execute(table.insert(), batch)
        conn.execute(AccessLogChain.__table__.insert(),
                     [{"chain": chain, "seq": seq, "last_hash": last} for chain, (seq, last) in heads.items()])
    engine.dispose()


def run_verify(url: str) -> tuple[float, int, int]:
    """Seconds, peak memory (KiB) and problems of one `verify` in a fresh process."""
    env = {**os.environ, "APP_ENV": "development", "SECRET_KEY": "bench-secret", "DATABASE_URL": url,
           "LOG_LEVEL": "WARNING"}
    out = subprocess.run([sys.executable, "-c", VERIFY], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[-3]), int(out[-2]), int(out[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--small", type=int, default=1_000_000)
    parser.add_argument("--chains", type=int, default=2000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.postgres:
            from tests.support.servers import PostgresServer
            server = PostgresServer(durable=True).start()
            url = server.create_database("audit_bench")
        else:
            server, url = None, f"sqlite:///{folder}/audit.db"
        try:
            build(url, 0, args.chains)
            floor = run_verify(url)
            print(f"floor (verify with the chains' heads and no entries): peak {floor[1] / 1024:.0f} MiB")
            for rows in (args.small, args.rows):
                started = time.perf_counter()
                build(url, rows, args.chains)
                made = time.perf_counter() - started
                seconds, peak, problems = run_verify(url)
                assert problems == 0, f"{problems} problems in a log built valid"
                print(f"{rows:>11,} rows: verify {seconds:7.1f} s ({rows / seconds:,.0f} rows/s), "
                      f"peak {peak / 1024:.0f} MiB ({(peak - floor[1]) / 1024:+.0f} MiB over the floor); "
                      f"built in {made:.0f} s")
        finally:
            if server is not None:
                server.stop()
    print(f"bench process peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
