"""Requests per second and latency under load (issue 9): the plan page, a catalog search and an htmx partial save at
10 and 50 concurrent users, against a bare Flask endpoint under the same server settings in the same run.

    python bench/load.py [--postgres] [--seconds 10] [--users 10 50]

SQLite: one app instance. PostgreSQL: two app instances on one PostgreSQL and one Redis, as in docs/deploy.md; the
users are split evenly over the two (what a round-robin load balancer does, without its own cost). Each instance runs
gunicorn with the production config (gunicorn.conf.py: gthread, WEB_CONCURRENCY workers × GUNICORN_THREADS threads);
the bare endpoint gets the same number of instances and workers. The load comes from wrk (apt-get install -y wrk):
each user is one keep-alive connection sending requests back to back, so "users" are busy users, not people reading.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT  # noqa: E402
from tests.support.servers import AppServer, PostgresServer, RedisServer, free_port, wait_for_port  # noqa: E402

SEARCH = "/catalogus?thema=angst&wachttijd=8"
# wrk's Lua: one request shape per script; the save sends a new worry each time (the htmx add form of the plan).
LUA = """
wrk.method = "{method}"
wrk.headers["Cookie"] = "{cookie}"
{headers}
local counter = 0
request = function()
  counter = counter + 1
  {request}
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format('RESULT {{"requests": %d, "seconds": %.3f, "p50": %d, "p95": %d, "p99": %d, '
    .. '"non2xx": %d, "socket_errors": %d}}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
"""


def production_args(workers: int) -> tuple[str, ...]:
    return ("--config", str(ROOT / "gunicorn.conf.py"), "--workers", str(workers), "--log-level", "warning")


def start_bare(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "bench.bare_app:app", "--bind", f"127.0.0.1:{port}",
                                *production_args(workers)], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    wait_for_port(port)
    return process, f"http://127.0.0.1:{port}"


def sign_in(base: str, key: str) -> tuple[requests.Session, str]:
    """Sign in through the demo page; return the session and the CSRF token of the pages it gets."""
    client = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"{base}/demo").text).group(1)
    client.post(f"{base}/demo/inloggen/{key}", data={"csrf_token": token}).raise_for_status()
    home = client.get(f"{base}/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
    return client, token


def plan_path(client: requests.Session, base: str) -> str:
    return re.search(r'href="(/plan/[a-z0-9]+)[/"]', client.get(f"{base}/").text).group(1)


def lua_script(folder: Path, name: str, *, cookie: str, method: str = "GET", path: str = "/",
               headers: dict | None = None, body: str | None = None) -> Path:
    lines = "\n".join(f'wrk.headers["{key}"] = "{value}"' for key, value in (headers or {}).items())
    if body is None:
        request = f'return wrk.format(nil, "{path}")'
    else:
        request = f'return wrk.format(nil, "{path}", nil, "{body}" .. counter .. "-" .. math.random(1e9))'
    script = folder / f"{name}.lua"
    script.write_text(LUA.format(method=method, cookie=cookie, headers=lines, request=request))
    return script


def run_wrk(bases: list[str], users: int, seconds: int, script: Path) -> dict:
    """Split `users` connections over the instances, run wrk against each at once, and combine the results."""
    threads = 1 if users < 20 else 2
    share = [users // len(bases) + (1 if n < users % len(bases) else 0) for n in range(len(bases))]
    processes = [subprocess.Popen(["wrk", "-t", str(min(threads, count)), "-c", str(count), "-d", f"{seconds}s",
                                   "--timeout", "10s", "-s", str(script), base], stdout=subprocess.PIPE, text=True)
                 for base, count in zip(bases, share, strict=True)]
    results = []
    for process in processes:
        output, _ = process.communicate(timeout=seconds + 60)
        line = next((line for line in output.splitlines() if line.startswith("RESULT ")), None)
        if line is None:
            raise RuntimeError(f"wrk printed no result:\n{output}")
        results.append(json.loads(line[7:]))
    total = sum(r["requests"] for r in results)
    seconds_run = max(r["seconds"] for r in results)
    # Each instance got the same share of users, so the median over all requests lies between the instances'
    # medians; report the request-weighted mean of the medians and the worst p95.
    p50 = sum(r["p50"] * r["requests"] for r in results) / max(total, 1)
    return {"rps": total / seconds_run, "p50_ms": p50 / 1000, "p95_ms": max(r["p95"] for r in results) / 1000,
            "non2xx": sum(r["non2xx"] for r in results), "errors": sum(r["socket_errors"] for r in results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help="two instances on PostgreSQL + Redis")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--users", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 1)),
                        help="gunicorn workers per instance (default WEB_CONCURRENCY or 1, as gunicorn.conf.py)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: apt-get install -y wrk")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = redis = None
        env = {"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "bench-secret", "SESSION_COOKIE_SECURE": "0",
               "LOG_LEVEL": "WARNING", "RATELIMIT_ENABLED": "0", "LIVE_HEARTBEAT_SECONDS": "15"}
        if args.postgres:
            database, redis = PostgresServer(durable=True).start(), RedisServer().start()
            env |= {"DATABASE_URL": database.create_database("load"), "REDIS_URL": redis.url}
            instances = [AppServer(env), AppServer(env)]
        else:
            env["DATABASE_URL"] = f"sqlite:///{folder}/load.db"
            instances = [AppServer(env)]
        bare_processes = []
        try:
            instances[0].flask("db", "upgrade")
            instances[0].flask("demo", "seed")
            for instance in instances:
                instance.start(production_args(args.workers))
            bares = [start_bare(args.workers) for _ in instances]
            bare_processes = [process for process, _ in bares]
            bases = [instance.url for instance in instances]
            client, token = sign_in(bases[0], "sanne")
            cookie = "; ".join(f"{c.name}={c.value}" for c in client.cookies)
            plan = plan_path(client, bases[0])
            scripts = {
                "bare endpoint": (lua_script(folder, "bare", cookie=""), [url for _, url in bares]),
                "plan page (Sanne)": (lua_script(folder, "plan", cookie=cookie, path=plan), bases),
                "catalog search (2 filters)": (lua_script(folder, "search", cookie=cookie, path=SEARCH), bases),
                "htmx save: add a worry": (lua_script(
                    folder, "save", cookie=cookie, method="POST", path=f"{plan}/onderdelen/worry",
                    headers={"HX-Request": "true", "X-CSRFToken": token,
                             "Content-Type": "application/x-www-form-urlencoded"},
                    body=f"csrf_token={token}&text=Tom+vergeet+zijn+gymtas+"), bases),
            }
            label = "PostgreSQL, 2 instances + Redis" if args.postgres else "SQLite, 1 instance"
            print(f"{label}; {args.workers} workers × {os.environ.get('GUNICORN_THREADS', 300)} threads per instance; "
                  f"{args.seconds} s per run; load {Path('/proc/loadavg').read_text().split()[0]}")
            for users in args.users:
                floor = None
                for name, (script, targets) in scripts.items():
                    run_wrk(targets, users, 2, script)  # warm-up
                    result = run_wrk(targets, users, args.seconds, script)
                    floor = floor or result
                    print(f"{users:>3} users  {name:<28} {result['rps']:8.1f} req/s  median {result['p50_ms']:7.2f} ms"
                          f"  p95 {result['p95_ms']:7.2f} ms  ratio to bare (median) "
                          f"{result['p50_ms'] / floor['p50_ms']:5.1f}×  non-2xx {result['non2xx']}"
                          f"  socket errors {result['errors']}")
                    time.sleep(1)
        finally:
            for process in bare_processes:
                process.terminate()
            for instance in instances:
                instance.stop()
            if redis:
                redis.stop()
            if database:
                database.stop()


if __name__ == "__main__":
    main()
