"""Shared benchmark helpers: start servers, time requests, print medians, p95 and ratios."""

import contextlib
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.servers import AppServer, free_port, wait_for_port  # noqa: E402


def start_bare() -> tuple[subprocess.Popen, str]:
    """Run bench/bare_app.py under gunicorn with the app's settings; return the process and URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bench.bare_app:app", "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wait_for_port(port)
    return process, f"http://127.0.0.1:{port}"


def start_app(database_url: str, extra_env: dict | None = None) -> AppServer:
    """Run the real app under gunicorn on a migrated, seeded database."""
    env = {"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "bench-secret", "DATABASE_URL": database_url,
           "SESSION_COOKIE_SECURE": "0", "LOG_LEVEL": "WARNING", **(extra_env or {})}
    server = AppServer(env)
    server.flask("db", "upgrade")
    server.flask("demo", "seed")
    return server.start()


def time_requests(session: requests.Session, url: str, count: int) -> list[float]:
    """Return the wall time in milliseconds of `count` sequential GETs (after 10 warm-up requests)."""
    for _ in range(10):
        session.get(url, timeout=10).raise_for_status()
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = session.get(url, timeout=10)
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return timings


def time_tagged(base: str, path: str, count: int, tag: str, htmx: bool = False) -> tuple[list[float], int]:
    """Wall times (ms) of `count` GETs after 10 warm-ups, each with an X-Request-Id "bench-<tag>-<n>" (to find the
    app's own logged duration), and the body size in bytes."""
    client = requests.Session()
    headers = {"HX-Request": "true"} if htmx else {}
    size = 0
    for n in range(10):
        size = len(client.get(base + path, headers={**headers, "X-Request-Id": f"warm-{tag}-{n}"}, timeout=10).content)
    timings = []
    for n in range(count):
        started = time.perf_counter()
        response = client.get(base + path, headers={**headers, "X-Request-Id": f"bench-{tag}-{n}"}, timeout=10)
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return timings, size


def summary(name: str, timings: list[float], floor: float | None = None) -> dict:
    """Print and return the median, p95 and the ratio of the median to the floor's median."""
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[18]
    ratio = f"{median / floor:5.1f}x" if floor else "   —  "
    print(f"{name:<38} median {median:7.2f} ms   p95 {p95:7.2f} ms   ratio to bare {ratio}")
    return {"name": name, "median_ms": round(median, 2), "p95_ms": round(p95, 2),
            "ratio": round(median / floor, 2) if floor else None}


@contextlib.contextmanager
def stderr_to(path: Path):
    """Point this process's stderr (file descriptor 2) at a file, so a child started now inherits it."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


@contextlib.contextmanager
def seeded_app(postgres: bool):
    """A migrated, demo-seeded app server (not started yet) on a throwaway PostgreSQL or a SQLite file, logging JSON
    to a file; yields (server, database URL, log path, "PostgreSQL" or "SQLite") and stops all of it afterwards."""
    import tempfile

    database = None
    with tempfile.TemporaryDirectory() as tmp:
        if postgres:
            from tests.support.servers import PostgresServer

            database = PostgresServer(durable=True).start()
            url = database.create_database("bench")
        else:
            url = f"sqlite:///{tmp}/bench.db"
        env = {"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "bench-secret", "DATABASE_URL": url,
               "SESSION_COOKIE_SECURE": "0", "LOG_JSON": "1", "LOG_LEVEL": "INFO", "RATELIMIT_ENABLED": "0"}
        server = AppServer(env)
        try:
            server.flask("db", "upgrade")
            server.flask("demo", "seed")
            yield server, url, Path(tmp) / "app.log", "PostgreSQL" if postgres else "SQLite"
        finally:
            server.stop()
            if database is not None:
                database.stop()


def server_line(durations: list[float], size: int) -> float:
    """Print the app's own server time (median and p95) and the body size under a page's wall-time line; return
    the median."""
    median, p95 = statistics.median(durations), statistics.quantiles(durations, n=20)[18]
    print(f"{'':<38} server {median:7.2f} ms   p95 {p95:7.2f} ms   body {size:,} bytes")
    return median


def signed_in(base: str, key: str) -> requests.Session:
    """A session signed in through the demo persona picker, as a person does."""
    http = requests.Session()
    page = http.get(f"{base}/demo", timeout=15).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    http.post(f"{base}/demo/inloggen/{key}", data={"csrf_token": token}, allow_redirects=False,
              timeout=15).raise_for_status()
    return http
