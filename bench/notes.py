"""How fast a provider's progress note reaches the family's open plan (issue 20: under 1 s), against a family
member's own add in the same run.

    python bench/notes.py [--count 30] [--postgres]

The demo app under gunicorn (the tests' AppServer). Sanne has the plan open: her live stream (`/plan/<id>/live`,
the page's server-sent events) is read in a thread. Then, one after the other:

* (a) Karin (provider staff of Kompas) posts a progress note on Tom's goal that Kompas helps with (the plain form);
* (b) the baseline: Erik (a parent) posts a worry (the plain form), the path every live update of the plan takes.

Each time is from just before the POST is sent until Sanne's stream delivers the item's news: the save, the commit,
the publish and the stream. Medians and p95 of each, and (a) as a ratio of (b). Numbers vary between machines and
runs: compare the ratio.
"""

import argparse
import contextlib
import json
import queue
import re
import sqlite3
import statistics
import sys
import threading
import time
from pathlib import Path

import requests
import urllib3

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import seeded_app, signed_in  # noqa: E402

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def listen(http: requests.Session, url: str, news: queue.Queue, stop: threading.Event) -> None:
    """Read the stream; put (arrival time, message) for each item's news (until the server stops)."""
    with contextlib.suppress(requests.RequestException, urllib3.exceptions.HTTPError), \
            http.get(url, stream=True, timeout=(5, 60)) as stream:
        event = ""
        for line in stream.iter_lines(decode_unicode=True):
            if stop.is_set():
                return
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "item":
                news.put((time.perf_counter(), json.loads(line[6:])))


def timed_posts(http: requests.Session, base: str, page: str, post: str, data: dict, news: queue.Queue, kind: str,
                count: int) -> list[float]:
    """Post `count` items (a fresh token from the page each time, not timed); return each one's time to the stream."""
    timings = []
    for n in range(count):
        token = TOKEN.search(http.get(f"{base}{page}", timeout=15).text).group(1)
        while not news.empty():
            news.get_nowait()
        started = time.perf_counter()
        answer = http.post(f"{base}{post}", data={**data, "csrf_token": token, "text": f"{data['text']} {n}"},
                           allow_redirects=False, timeout=15)
        assert answer.status_code == 303, answer.status_code
        while True:
            arrived, message = news.get(timeout=10)
            if message.get("kind") == kind:
                timings.append((arrived - started) * 1000)
                break
    return timings


def summary(name: str, timings: list[float], floor: float | None = None) -> str:
    ordered = sorted(timings)
    median, p95 = statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]
    ratio = f", {median / floor:.2f}× the baseline" if floor else ""
    return f"{name}: median {median:.0f} ms, p95 {p95:.0f} ms (n={len(ordered)}){ratio}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with seeded_app(args.postgres) as (server, url, _log, database):
        server.start()
        base = server.url
        if url.startswith("sqlite"):
            with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
                plan_id, goal_id = conn.execute(
                    "SELECT a.plan_id, a.goal_id FROM assignment a JOIN family f ON f.id = a.family_id "
                    "JOIN organisation o ON o.id = a.organisation_id WHERE f.name = 'De Boer-Hoekstra' "
                    "AND o.name LIKE 'Kompas%' AND a.status = 'assigned'").fetchone()
        else:
            import psycopg

            with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
                plan_id, goal_id = conn.execute(
                    "SELECT a.plan_id, a.goal_id FROM assignment a JOIN family f ON f.id = a.family_id "
                    "JOIN organisation o ON o.id = a.organisation_id WHERE f.name = 'De Boer-Hoekstra' "
                    "AND o.name LIKE 'Kompas%%' AND a.status = 'assigned'").fetchone()
        sanne, karin, erik = (signed_in(base, key) for key in ("sanne", "karin", "erik"))
        news, stop = queue.Queue(), threading.Event()
        threading.Thread(target=listen, args=(sanne, f"{base}/plan/{plan_id}/live", news, stop), daemon=True).start()
        time.sleep(1)  # the stream is open and subscribed
        plan = f"/plan/{plan_id}"
        note = (plan, f"{plan}/onderdelen/note?bij={goal_id}", {"goal_id": goal_id, "text": "Voortgang"})
        timed_posts(karin, base, *note, news, "note", 3)  # warm-up
        notes = timed_posts(karin, base, *note, news, "note", args.count)
        worries = timed_posts(erik, base, plan, f"{plan}/onderdelen/worry", {"text": "Zorg"}, news, "worry",
                              args.count)
        stop.set()
        baseline = statistics.median(worries)
        print(f"\nA progress note reaching the family's open plan ({database}, one instance, no Redis)")
        print(summary("(b) baseline: a parent's worry", worries))
        print(summary("(a) Karin's progress note", notes, baseline))
        met = statistics.median(notes) < 1000
        print(f"budget: median under 1000 ms: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
