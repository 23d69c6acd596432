"""Memory with open live-update streams (issue 9 budget: one app instance holding 200 streams stays under 200 MB RSS).

    python bench/streams.py [--postgres] [--streams 200]

Starts one app instance with the production config (gunicorn.conf.py: WEB_CONCURRENCY workers × GUNICORN_THREADS
threads, gthread), opens N server-sent-event streams on the demo plan as signed-in people would (raw sockets, one
per stream), and reports the memory of the instance's processes (master + workers): RSS summed, and PSS summed
(pages the workers share with the master counted once, closer to what the machine really spends). Then one change
to the plan is made and the bench counts how many streams got the event and how long the last one took; and the
plan page is timed with the streams open against the same page with none open. With --postgres: PostgreSQL and
Redis (the fan-out of docs/deploy.md); without: SQLite and the in-process fan-out.
"""

import argparse
import os
import re
import selectors
import socket
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, seeded_app, stderr_to  # noqa: E402
from tests.support.servers import RedisServer  # noqa: E402


def process_tree(root: int) -> list[int]:
    """The pid and all descendants' pids (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def memory_mb(root: int) -> tuple[float, float, int]:
    """RSS and PSS of the process tree in MB, and the number of processes."""
    rss = pss = 0
    pids = process_tree(root)
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss / 1024, pss / 1024, len(pids)


def open_streams(port: int, path: str, cookie: str, count: int) -> list[socket.socket]:
    """Open `count` event streams and wait until each has its first bytes (the `retry:` line)."""
    streams = []
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
               "Accept: text/event-stream\r\n\r\n").encode()
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        sock.sendall(request)
        streams.append(sock)
    for sock in streams:
        head = b""
        while b"retry:" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                raise RuntimeError(f"a stream closed before it started: {head[:300]!r}")
            head += chunk
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"a stream was refused: {head[:300]!r}")
        sock.setblocking(False)
    return streams


def drain(streams: list[socket.socket]) -> int:
    """Read what is waiting on every stream; return how many the server has closed."""
    closed = 0
    for sock in streams:
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    closed += 1
                    break
        except BlockingIOError:
            pass
    return closed


def fan_out(streams: list[socket.socket], change, timeout: float = 10) -> tuple[int, float]:
    """Make the change; return how many streams received an `event:`/`data:` line and the seconds to the last."""
    closed = drain(streams)
    if closed:
        print(f"{closed} streams were closed by the server before the change")
    selector = selectors.DefaultSelector()
    for sock in streams:
        selector.register(sock, selectors.EVENT_READ)
    seen: set[int] = set()
    started = time.perf_counter()
    change()
    last = 0.0
    while len(seen) < len(streams) and time.perf_counter() - started < timeout:
        for key, _ in selector.select(timeout=0.5):
            sock = key.fileobj
            try:
                data = sock.recv(65536)
            except BlockingIOError:
                continue
            if b"data:" in data and sock.fileno() not in seen:
                seen.add(sock.fileno())
                last = time.perf_counter() - started
    selector.close()
    return len(seen), last


def time_page(client: requests.Session, url: str, count: int = 30) -> list[float]:
    for _ in range(5):
        client.get(url, timeout=30).raise_for_status()
    walls = []
    for _ in range(count):
        started = time.perf_counter()
        client.get(url, timeout=30).raise_for_status()
        walls.append((time.perf_counter() - started) * 1000)
    return walls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL and Redis fan-out")
    parser.add_argument("--streams", type=int, default=200)
    args = parser.parse_args()
    redis = RedisServer().start() if args.postgres else None
    try:
        with seeded_app(args.postgres) as (server, _url, log, label):
            if redis:
                server.env["REDIS_URL"] = redis.url
            server.env["LOG_LEVEL"] = "WARNING"
            with stderr_to(log):
                server.start(("--config", str(ROOT / "gunicorn.conf.py"), "--log-level", "warning"))
            client = requests.Session()
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"{server.url}/demo").text).group(1)
            client.post(f"{server.url}/demo/inloggen/sanne", data={"csrf_token": token}).raise_for_status()
            home = client.get(f"{server.url}/").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
            plan = re.search(r'href="(/plan/[a-z0-9]+)[/"]', home).group(1)
            cookie = "; ".join(f"{c.name}={c.value}" for c in client.cookies)
            workers = os.environ.get("WEB_CONCURRENCY", "1")
            threads = os.environ.get("GUNICORN_THREADS", "300")
            print(f"{label}{' + Redis' if redis else ''}; one instance: {workers} workers × {threads} threads")

            before = time_page(client, f"{server.url}{plan}")
            idle_rss, idle_pss, processes = memory_mb(server.process.pid)
            print(f"no streams open:   RSS {idle_rss:6.1f} MB   PSS {idle_pss:6.1f} MB   ({processes} processes)")
            started = time.perf_counter()
            streams = open_streams(server.port, f"{plan}/live", cookie, args.streams)
            print(f"{len(streams)} streams open in {time.perf_counter() - started:.1f} s")
            time.sleep(3)
            rss, pss, processes = memory_mb(server.process.pid)
            print(f"{len(streams)} streams open: RSS {rss:6.1f} MB   PSS {pss:6.1f} MB   ({processes} processes)   "
                  f"budget RSS < 200 MB: {'met' if rss < 200 else 'MISSED'}")

            def add_worry() -> None:
                client.post(f"{server.url}{plan}/onderdelen/worry", data={"csrf_token": token, "text": "Meting"},
                            headers={"HX-Request": "true", "X-CSRFToken": token}, timeout=30).raise_for_status()

            got, last = fan_out(streams, add_worry)
            print(f"one change: {got} of {len(streams)} streams got it, the last after {last * 1000:.0f} ms")
            if got < len(streams):
                lines = [line for line in log.read_text(errors="replace").splitlines() if "WARNING" in line
                         or "ERROR" in line or "Traceback" in line]
                print("the app's log:", *lines[-15:], sep="\n  ")
            during = time_page(client, f"{server.url}{plan}")
            print(f"plan page median: {statistics.median(before):.1f} ms with no streams, "
                  f"{statistics.median(during):.1f} ms with {len(streams)} open "
                  f"({statistics.median(during) / statistics.median(before):.2f}×)")
            rss, pss, _ = memory_mb(server.process.pid)
            print(f"after the change and 35 page views: RSS {rss:6.1f} MB   PSS {pss:6.1f} MB")
            for sock in streams:
                sock.close()
    finally:
        if redis:
            redis.stop()


if __name__ == "__main__":
    main()
