"""Redis gone (issue 9, point 3): the real app under gunicorn on PostgreSQL with REDIS_URL set (live updates and
rate-limit counters), and a Redis server the test kills with SIGKILL and starts again.

Nothing but live updates notices: signing in (rate limited), pages and saves work, /healthz stays 200 and says
"degraded"; open live streams say "paused" (the page shows a reload hint, see tests/browser/test_production_faults.py)
and, once Redis is back, streams are "ready" again and catch up on what changed in between.
"""

import html
import json
import re
import threading
import time

import pytest
import requests

from tests.production.support import SilentPort, Visitor, app_env, timed, wait_until
from tests.support.servers import AppServer, RedisServer, free_port

SLOW = 2.5  # seconds: a request that waited for Redis's 1 s timeout (and a busy machine) stays under it


class Stream:
    """An open live stream of the plan page, read in a thread: its events as dicts, in order."""

    def __init__(self, visitor: Visitor, path: str) -> None:
        self.events: list[dict] = []
        self.ended = threading.Event()
        self.response = visitor.http.get(visitor.url(path), stream=True, timeout=30)
        assert self.response.status_code == 200
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        event: dict = {}
        try:
            for line in self.response.iter_lines(chunk_size=1, decode_unicode=True):
                if line.startswith(("id: ", "event: ", "retry: ")):
                    name, value = line.split(": ", 1)
                    event[name] = value
                elif line.startswith("data: "):
                    event["data"] = json.loads(line[6:])
                elif line == "" and event:
                    self.events.append(event)
                    event = {}
        except (requests.RequestException, AttributeError, ValueError):
            pass  # closed by the test
        finally:
            self.ended.set()

    def wait_for(self, name: str, timeout: float = 10, **data) -> dict:
        def found():
            return next((e for e in self.events if e.get("event") == name
                         and all(e.get("data", {}).get(k) == v for k, v in data.items())), None)

        return wait_until(found, timeout=timeout, message=f"a {name!r} event in {self.events}")

    def close(self) -> None:
        self.response.close()


@pytest.fixture
def redis():
    server = RedisServer().start()
    yield server
    server.stop()


def health(server: AppServer) -> tuple[int, dict]:
    response = requests.get(f"{server.url}/healthz", timeout=10)
    return response.status_code, response.json()


def test_redis_gone_only_pauses_live_updates_which_resume_when_it_is_back(fresh_copy, redis):
    server = AppServer(app_env(fresh_copy("redis"), REDIS_URL=redis.url, LIVE_HEARTBEAT_SECONDS="1")).start()
    try:
        sanne, erik = Visitor(server, "sanne"), Visitor(server, "erik")
        assert health(server) == (200, {"status": "ok", "database": "ok", "redis": "ok"})
        live = stream_path(sanne)  # the page's stream, which catches up from the page's last change
        open_page = Stream(sanne, live)
        open_page.wait_for("ready")
        worry = next(item_id for kind, item_id, _version in erik.items() if kind == "worry")

        redis.process.kill()  # SIGKILL: no goodbye to anyone
        redis.process.wait(5)
        paused = open_page.wait_for("paused", timeout=15)  # the open page hears it within a heartbeat or two
        assert open_page.ended.wait(5), "a paused stream must end (the page asks again later)"
        assert open_page.events[-2:] == [{"retry": "5000"}, paused]

        started = time.monotonic()
        assert health(server) == (200, {"status": "degraded", "database": "ok", "redis": "down"})
        assert time.monotonic() - started < 3
        tom = Visitor(server, "tom")  # the demo sign-in is rate limited: the counter falls back to memory
        assert tom.http.get(tom.url(tom.plan), timeout=15).status_code == 200
        token, version = erik.edit_form(worry)
        saved = erik.save(worry, token=token, version=version, text="Tom slaapt slecht (bewaard zonder Redis)")
        assert saved.status_code == 303
        page = sanne.http.get(sanne.url(sanne.plan), timeout=15)
        assert page.status_code == 200
        assert "Tom slaapt slecht (bewaard zonder Redis)" in page.text
        assert sanne.http.get(sanne.url(f"{sanne.plan}/aanwezig"), timeout=15).status_code == 200
        reconnect = Stream(sanne, live)  # the page asks again: still paused
        reconnect.wait_for("paused")
        assert reconnect.ended.wait(5)

        redis.start()  # the same port, empty: nothing was kept
        wait_until(lambda: health(server) == (200, {"status": "ok", "database": "ok", "redis": "ok"}),
                   message="/healthz to see Redis back")
        back = Stream(sanne, live)
        caught_up = back.wait_for("item", item=worry)  # the change made while Redis was away
        assert caught_up["data"]["version"] == version + 1
        back.wait_for("ready")
        token, version = erik.edit_form(worry)
        assert erik.save(worry, token=token, version=version, text="Tom slaapt weer beter").status_code == 303
        back.wait_for("item", item=worry, version=version + 1)  # live again
        back.close()
    finally:
        server.stop()


def stream_path(visitor: Visitor) -> str:
    page = visitor.http.get(visitor.url(visitor.plan), timeout=15).text
    return html.unescape(re.search(r'data-stream="([^"]+)"', page).group(1))


def test_a_redis_that_hangs_slows_nothing_down(fresh_copy):
    """Redis takes connections but never answers (a stuck server, a dropped route): no request waits for it for long
    (before: /healthz took 5 s, longer than a load balancer waits, and every save 5 s more)."""
    port = free_port()
    with SilentPort(port):
        server = AppServer(app_env(fresh_copy("hung"), REDIS_URL=f"redis://127.0.0.1:{port}/0")).start()
        try:
            report, seconds = timed(lambda: health(server))
            assert report == (200, {"status": "degraded", "database": "ok", "redis": "down"})
            assert seconds < 1.5, f"/healthz took {seconds:.1f} s"
            erik = Visitor(server, "erik")  # the rate-limited sign-in falls back to counting in memory
            worry = next(item_id for kind, item_id, _version in erik.items() if kind == "worry")
            for n in range(3):
                token, version = erik.edit_form(worry)
                saved, seconds = timed(erik.save, worry, token=token, version=version, text=f"Tekst {n}")
                assert saved.status_code == 303
                assert seconds < SLOW, f"save {n} took {seconds:.1f} s"
            presence, seconds = timed(lambda: erik.http.get(erik.url(f"{erik.plan}/aanwezig"), timeout=15))
            assert presence.status_code == 200
            assert seconds < SLOW
            Stream(erik, stream_path(erik)).wait_for("paused", timeout=SLOW + 2)
        finally:
            server.stop()
