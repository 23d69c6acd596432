"""Ten thousand open plan pages held by nginx (issue 23, point 1): the production shape of docs/deploy.md — the
guide's nginx block with nchan (2 worker processes), two app instances (gunicorn.conf.py), PostgreSQL (durable) and
Redis — with 2,000 families, each member's plan page open in a browser of their own.

    python bench/live_nginx.py [--families 2000] [--per-plan 5] [--steps 2500,5000,7500,10000]

The demo family is cloned to `--families` families (bench/scale.py's generator); every member gets a signed
session. Pages are opened through nginx over TLS at a measured pace, as browsers do after a page load (each open is
one permission check in the app, which then hands the page to nginx). At each step it measures, against the same
measurements with no page open (same run):
- `/healthz` through nginx: median and p95 of 100 requests (target p95 < 100 ms);
- the plan page through nginx as Sanne: median of 30 (target within 1.5× of idle);
- one change on every plan at once (2,000 changes, published by the app's own code as an instance does after a
  save): the seconds until every open page has heard it (target < 2 s); and one change on one plan;
- memory of the whole stack: RSS and PSS of nginx, both instances, Redis and PostgreSQL (target < 1.5 GB, judged
  on PSS: RSS counts the pages forked workers and PostgreSQL's backends share once per process).
It prints which target fails first, and at how many open pages. The bare endpoint (bench/bare_app.py under the same
gunicorn settings, no nginx) is the floor. The client is one asyncio process (at most ~19,000 sockets here).
"""

import argparse
import asyncio
import json
import os
import re
import secrets
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, start_bare, time_requests  # noqa: E402
from bench.scale import grow  # noqa: E402
from bench.streams import memory_mb  # noqa: E402
from tests.support.nginx import Nginx  # noqa: E402
from tests.support.servers import AppServer, PostgresServer, RedisServer  # noqa: E402

SECRET = "bench-secret"
MARK = "bench-fan-out"


def sessions(app, url: str, families: int, per_plan: int) -> list[tuple[str, str]]:
    """(plan path, session cookie) for `per_plan` members of each family: signed as the app signs a sign-in."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT plan.id, membership.person_id FROM plan JOIN membership ON membership.family_id = plan.family_id "
            "WHERE membership.role <> 'professional' ORDER BY plan.id, membership.person_id")).all()
    engine.dispose()
    members: dict[str, list[str]] = {}
    for plan_id, person_id in rows:
        members.setdefault(plan_id, []).append(person_id)
    serializer = app.session_interface.get_signing_serializer(app)
    name = app.config["SESSION_COOKIE_NAME"]
    chosen = [(plan_id, people[:per_plan]) for plan_id, people in members.items() if len(people) >= per_plan]
    chosen = chosen[:families]  # (the demo's other families are smaller than the clones)
    pages = []
    for plan_id, people in chosen:
        for person_id in people:
            value = serializer.dumps({"person_id": person_id, "version": 0, "provider": "demo",
                                      "seen": int(time.time()), "idle_limit": 4 * 3600,
                                      "sid": secrets.token_urlsafe(24), "_permanent": True})
            pages.append((f"/plan/{plan_id}", f"{name}={value}"))
    return pages


class Pages:
    """Open plan pages, each an asyncio TLS connection reading its stream; counts who heard the marked change."""

    def __init__(self, port: int, certificate: str) -> None:
        self.port, self.tls = port, ssl.create_default_context(cafile=certificate)
        self.writers: list[asyncio.StreamWriter] = []
        self.heard: dict[int, float] = {}
        self.round = 0
        self.refused = 0

    async def open(self, path: str, cookie: str, number: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port, ssl=self.tls,
                                                       server_hostname="127.0.0.1")
        writer.write(f"GET {path}/live?drawn={int(time.time() * 1000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     f"Cookie: {cookie}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n".encode())
        status = await reader.readline()
        if b" 200 " not in status:
            self.refused += 1
            writer.close()
            return
        self.writers.append(writer)
        asyncio.get_running_loop().create_task(self._listen(reader, number))

    async def _listen(self, reader: asyncio.StreamReader, number: int) -> None:
        try:
            while line := await reader.readline():
                if line.startswith(b"data:") and MARK.encode() in line:
                    self.heard[number] = time.time()  # the publisher is another process
        except (ConnectionError, OSError):
            pass


def run_loop(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    loop.run_forever()


def open_pages(loop, pages: Pages, wanted: list[tuple[str, str]], first: int, pace: int) -> float:
    """Open the pages `wanted` (numbered from `first`), `pace` at a time; return the seconds it took."""
    async def opening() -> None:
        limit = asyncio.Semaphore(pace)

        async def one(n: int, path: str, cookie: str) -> None:
            async with limit:
                await pages.open(path, cookie, n)

        await asyncio.gather(*(one(first + n, path, cookie) for n, (path, cookie) in enumerate(wanted)))

    started = time.perf_counter()
    asyncio.run_coroutine_threadsafe(opening(), loop).result()
    return time.perf_counter() - started


def stack_memory(pids: dict[str, int]) -> tuple[float, float]:
    rss = pss = 0.0
    for pid in pids.values():
        one_rss, one_pss, _ = memory_mb(pid)
        rss, pss = rss + one_rss, pss + one_pss
    return rss, pss


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


PUBLISHER = """
import json, sys, time
from concurrent.futures import ThreadPoolExecutor
from app import create_app
from app.plans import live
app = create_app()
plans, message = json.loads(sys.stdin.read())
def publish(plan_id):
    with app.app_context():
        live.publish(plan_id, message, redis_url=app.config["REDIS_URL"])
with app.app_context():
    live.publish(plans[0], {"type": "presence"}, redis_url=app.config["REDIS_URL"])  # connections warm
print(time.time(), flush=True)
with ThreadPoolExecutor(8) as pool:
    list(pool.map(publish, plans))
print(time.time(), flush=True)
"""


def fan_out(env: dict, plans: list[str], pages: Pages, expected: int, round_no: int) -> tuple[int, float, float]:
    """One change on each of these plans at once, published as the instances do after a save (app.plans.live.publish,
    8 threads, in two processes of their own: half the plans each); return how many open pages heard it, the seconds
    from the first publish until the last page heard it, and the seconds publishing took."""
    pages.heard.clear()
    message = {"type": "agreement", "event_id": None, "about": "plan", "to": "everyone", "mark": f"{MARK}-{round_no}"}
    halves = [plans[0::2], plans[1::2]] if len(plans) > 1 else [plans]  # the changes come through both instances
    publishers = [subprocess.Popen([sys.executable, "-c", PUBLISHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   text=True, cwd=ROOT, env={**os.environ, **env}) for _half in halves]
    times = []
    for publisher, half in zip(publishers, halves, strict=True):
        publisher.stdin.write(json.dumps([half, message]))
        publisher.stdin.close()
    for publisher in publishers:
        out = publisher.stdout.read()
        assert publisher.wait(120) == 0, "a publisher failed"
        times.append([float(line) for line in out.split()])
    started, finished = min(start for start, _end in times), max(end for _start, end in times)
    deadline = time.time() + 20
    while len(pages.heard) < expected and time.time() < deadline:
        time.sleep(0.02)
    last = max(pages.heard.values(), default=started) - started
    return len(pages.heard), last, finished - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, default=2000)
    parser.add_argument("--per-plan", type=int, default=5)
    parser.add_argument("--steps", default="2500,5000,7500,10000")
    parser.add_argument("--pace", type=int, default=32, help="pages opening at the same time")
    args = parser.parse_args()
    steps = [int(step) for step in args.steps.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="live-nginx-"))
    postgres, redis = PostgresServer(durable=True).start(), RedisServer().start()
    bare, bare_url = start_bare()
    instances: list[AppServer] = []
    nginx = None
    loop = asyncio.new_event_loop()
    threading.Thread(target=run_loop, args=(loop,), daemon=True).start()
    try:
        url = postgres.create_database("bench")
        base = {"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": SECRET, "DATABASE_URL": url,
                "SESSION_COOKIE_SECURE": "1", "LOG_LEVEL": "WARNING", "PROXY_HOPS": "1",
                "RATELIMIT_ENABLED": "0"}  # every page comes from one address here; the per-person limit is tested
        seeder = AppServer(base)
        seeder.flask("db", "upgrade")
        seeder.flask("demo", "seed")
        print(f"cloning the demo family to {args.families} families ...", flush=True)
        grow(url, args.families)
        instances = [AppServer(base), AppServer(base)]
        nginx = Nginx(folder, (instances[0].port, instances[1].port),
                      redis_url=f"{redis.url.rsplit('/', 1)[0]}/1", workers=2, connections=9000)
        live_env = {"REDIS_URL": f"{redis.url.rsplit('/', 1)[0]}/0", "LIVE_NCHAN_URL": nginx.publisher}
        for server in instances:
            server.env.update(live_env)
            server.start(("--config", str(ROOT / "gunicorn.conf.py")), output=folder / f"app-{server.port}.log")
        nginx.start()
        app_env = {**base, **live_env}
        os.environ.update(app_env)
        from app import create_app

        app = create_app()
        pages_wanted = sessions(app, url, args.families, args.per_plan)

        def pages_on(plan_id: str) -> list:
            return [path for path, _cookie in pages_wanted[:opened] if path.endswith(plan_id)]

        plans = sorted({path.rsplit("/", 1)[1] for path, _cookie in pages_wanted})
        print(f"{len(pages_wanted)} pages over {len(plans)} plans; nginx: 2 workers; 2 instances "
              f"({os.environ.get('WEB_CONCURRENCY', '1')} worker × {os.environ.get('GUNICORN_THREADS', '300')} "
              f"threads each)", flush=True)

        http = requests.Session()
        http.verify, http.trust_env = str(nginx.certificate), False
        page = http.get(f"{nginx.url}/demo", timeout=15).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        http.post(f"{nginx.url}/demo/inloggen/sanne", data={"csrf_token": token}, headers={"Referer": nginx.url},
                  timeout=15).raise_for_status()
        sanne_plan = re.search(r'href="(/plan/\w+)[/"]', http.get(f"{nginx.url}/", timeout=15).text).group(1)
        floor = statistics.median(time_requests(requests.Session(), f"{bare_url}/", 100))
        time_requests(http, f"{nginx.url}{sanne_plan}", 10)
        idle_health = time_requests(http, f"{nginx.url}/healthz", 100)
        idle_plan = time_requests(http, f"{nginx.url}{sanne_plan}", 30)
        postmaster = int((postgres.data / "postmaster.pid").read_text().split()[0])
        pids = {"nginx": nginx.process.pid, "postgres": postmaster, "redis": redis.process.pid,
                **{f"app-{n}": server.process.pid for n, server in enumerate(instances)}}
        idle_rss, idle_pss = stack_memory(pids)
        print(f"bare endpoint median {floor:.2f} ms")
        print(f"{'open pages':>10} | {'healthz med/p95 ms':>18} | {'plan page ms (×idle)':>20} | "
              f"{'all plans changed':>22} | {'one plan':>10} | {'stack RSS / PSS MB':>18}")
        print(f"{0:>10} | {statistics.median(idle_health):7.2f} / {p95(idle_health):7.2f} | "
              f"{statistics.median(idle_plan):8.2f} (1.00×)      | {'—':>22} | {'—':>10} | "
              f"{idle_rss:7.0f} / {idle_pss:7.0f}", flush=True)
        pages = Pages(nginx.https_port, str(nginx.certificate))
        opened, first_failure = 0, None
        for round_no, step in enumerate(steps, 1):
            wanted = pages_wanted[opened:step]
            seconds = open_pages(loop, pages, wanted, opened, args.pace)
            opened = step
            time.sleep(3)
            health = time_requests(http, f"{nginx.url}/healthz", 100)
            plan_page = time_requests(http, f"{nginx.url}{sanne_plan}", 30)
            open_plans = sorted({path.rsplit("/", 1)[1] for path, _cookie in pages_wanted[:opened]})
            got, last, publishing = fan_out(app_env, open_plans, pages, len(pages.writers), round_no)
            one_got, one_last, _ = fan_out(app_env, open_plans[:1], pages, len(pages_on(open_plans[0])),
                                           round_no * 100)
            rss, pss = stack_memory(pids)
            ratio = statistics.median(plan_page) / statistics.median(idle_plan)
            print(f"{len(pages.writers):>10} | {statistics.median(health):7.2f} / {p95(health):7.2f} | "
                  f"{statistics.median(plan_page):8.2f} ({ratio:4.2f}×)      | {got:>6} in {last:5.2f} s "
                  f"({publishing:4.2f}) | "
                  f"{one_last * 1000:6.0f} ms | {rss:7.0f} / {pss:7.0f}   (opened in {seconds:.0f} s, "
                  f"{pages.refused} refused)", flush=True)
            failed = [name for name, bad in (("healthz p95 >= 100 ms", p95(health) >= 100),
                                             ("plan page > 1.5× idle", ratio > 1.5),
                                             ("a change took >= 2 s or missed a page",
                                              last >= 2 or got < len(pages.writers)),
                                             ("one plan's change missed a page",
                                              one_got < len(pages_on(open_plans[0]))),
                                             ("stack memory (PSS) >= 1.5 GB", pss >= 1536),
                                             ("pages refused", pages.refused > 0)) if bad]
            if failed and first_failure is None:
                first_failure = (len(pages.writers), failed)
        print(f"first target missed: {first_failure[1]} at {first_failure[0]} open pages" if first_failure
              else f"every target met up to {len(pages.writers)} open pages")
    finally:
        loop.call_soon_threadsafe(loop.stop)
        if nginx is not None:
            nginx.stop()
        for server in instances:
            server.stop()
        bare.terminate()
        redis.stop()
        postgres.stop()


if __name__ == "__main__":
    main()
