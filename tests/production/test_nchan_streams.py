"""Open plan pages held by nginx (nchan) instead of app threads (issue 23, point 1), set up as docs/deploy.md says:
two instances with `LIVE_NCHAN_URL`, the guide's own nginx block (its publisher, its internal subscriber location
and the hook that tells the app a page closed) and Redis. Each person's pages hear only what they may see; more open
pages than the instances have threads leave pages and /healthz answering; a flood is refused; losing access closes
the page; after nginx restarts, pages reconnect and catch up.
"""

import contextlib
import json
import re
import socket
import ssl
import threading
import time

import pytest
import requests

from tests.production.support import Visitor, app_env, copy_database, sql, token_in
from tests.support.nginx import Nginx
from tests.support.servers import AppServer

pytestmark = pytest.mark.postgres

THREADS = 3  # per instance: far fewer than the pages held open below
PRODUCTION = ("--config", "gunicorn.conf.py")


class Page:
    """One open plan page's live stream through nginx, as the browser's EventSource holds it (its own TLS
    connection, read in a thread): the status, and the events as (name, id, data)."""

    def __init__(self, person: Visitor, *, last_event_id: str = "") -> None:
        """Open the stream as the page does (`drawn`: now), or as EventSource reconnects (`Last-Event-ID`)."""
        nginx = person.server
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in person.http.cookies)
        path = f"{person.plan}/live?drawn={int(time.time() * 1000)}"
        extra = f"Last-Event-ID: {last_event_id}\r\n" if last_event_id else ""
        tls = ssl.create_default_context(cafile=str(nginx.certificate))
        self.sock = tls.wrap_socket(socket.create_connection(("127.0.0.1", nginx.https_port), timeout=60),
                                    server_hostname="127.0.0.1")
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{nginx.https_port}\r\nCookie: {cookies}\r\n"
                          f"Accept: text/event-stream\r\n{extra}Connection: close\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            assert chunk, f"the stream closed before its headers: {head!r}"
            head += chunk
        head, self._rest = head.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {name.lower(): value for name, _sep, value in (line.partition(": ") for line in lines[1:])}
        self.events: list[tuple[str, str, dict]] = []
        self.ended = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer, name, event_id = self._rest, "message", ""
        try:
            while True:
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    text = line.decode().rstrip("\r")
                    if text.startswith("event: "):
                        name = text[7:]
                    elif text.startswith("id: "):
                        event_id = text[4:]
                    elif text.startswith("data: "):
                        self.events.append((name, event_id, json.loads(text[6:])))
                        name = "message"
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                buffer += chunk
        except (OSError, ValueError):
            pass
        self.ended.set()

    def heard(self, name: str) -> list[dict]:
        return [data for event, _id, data in self.events if event == name]

    def wait_for(self, predicate, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while not predicate():
            assert time.monotonic() < deadline, f"waited in vain; heard {self.events}"
            time.sleep(0.05)

    def close(self) -> None:
        """Close as a browser tab does."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.ended.wait(5)


@pytest.fixture(scope="module")
def stack(postgres, redis_server, seeded_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nchan")
    database = copy_database(postgres, seeded_template, "nchan")
    nginx_redis, app_redis = redis_server.fresh_url(), redis_server.fresh_url()
    instances = [AppServer({}), AppServer({})]
    nginx = Nginx(folder, (instances[0].port, instances[1].port), redis_url=nginx_redis)
    env = app_env(database, REDIS_URL=app_redis, PROXY_HOPS="1", SESSION_COOKIE_SECURE="1",
                  LIVE_NCHAN_URL=nginx.publisher, GUNICORN_THREADS=str(THREADS), WEB_CONCURRENCY="1",
                  LIVE_ACCESS_RECHECK_SECONDS="2")
    for server in instances:
        server.env.update(env)
        server.start(PRODUCTION, output=folder / f"instance-{server.port}.log")
    nginx.start()
    yield {"database": database, "nginx": nginx, "instances": instances, "folder": folder}
    nginx.stop()
    for server in instances:
        server.stop()


def person(stack, key: str) -> Visitor:
    nginx = stack["nginx"]
    return Visitor(nginx, key, verify=str(nginx.certificate))


def write_worry(visitor: Visitor, text: str) -> None:
    """A new worry through the plain form (no JavaScript), as the person types it."""
    page = visitor.http.get(visitor.url(visitor.plan), timeout=15)
    answer = visitor.http.post(visitor.url(f"{visitor.plan}/onderdelen/worry"), allow_redirects=False, timeout=15,
                               data={"csrf_token": token_in(page.text), "text": text})
    assert answer.status_code == 303, answer.status_code


def test_pages_held_by_nginx_hear_only_what_their_reader_may_see_and_hold_no_app_thread(stack):
    sanne, mark, lisa = person(stack, "sanne"), person(stack, "mark"), person(stack, "lisa")
    # far more open pages than the two instances have threads (2 x 3): nginx holds them, not the app
    pages = {who.plan + key: [Page(who) for _ in range(5)] for key, who in (("s", sanne), ("m", mark), ("l", lisa))}
    try:
        assert all(page.status == 200 for held in pages.values() for page in held)
        started = time.monotonic()
        for _ in range(5):
            assert requests.get(f"{stack['instances'][0].url}/healthz", timeout=5).status_code == 200
            assert sanne.http.get(sanne.url(sanne.plan), timeout=5).status_code == 200
        assert time.monotonic() - started < 10
        sannes, marks, lisas = pages[sanne.plan + "s"], pages[mark.plan + "m"], pages[lisa.plan + "l"]
        for page in sannes + marks + lisas:
            page.wait_for(lambda page=page: page.heard("ready"))

        write_worry(lisa, "Ik slaap slecht sinds de verhuizing 🌙")  # Lisa is 16: private until she shares it
        for page in lisas:
            page.wait_for(lambda page=page: page.heard("item"))
        news = lisas[0].heard("item")[-1]
        assert set(news) <= {"type", "item", "kind", "version", "event_id", "by", "into"}, news  # ids, no words
        assert "slaap" not in json.dumps(lisas[0].events)
        write_worry(sanne, "Wy sliepe min — ús soarch ✓")  # everyone in the family may see this one
        for page in sannes + lisas:
            page.wait_for(lambda page=page: len(page.heard("item")) >= (2 if page in lisas else 1))
        time.sleep(1)
        lisas_item = news["item"]
        for page in sannes:  # Sanne never learns Lisa's private worry exists
            assert lisas_item not in json.dumps(page.events)
    finally:
        for held in pages.values():
            for page in held:
                page.close()


def test_a_flood_of_pages_is_refused_politely_and_closed_pages_are_forgotten(stack):
    erik = person(stack, "erik")
    mine = [Page(erik) for _ in range(6)]
    try:
        assert [page.status for page in mine] == [200] * 6
        other_browser = person(stack, "erik")
        refused = Page(other_browser)
        assert refused.status == 429
        assert int(refused.headers["retry-after"]) >= 30  # the page shows live updates paused, and asks again later
        mine[0].close()
        mine[1].close()
        time.sleep(1.5)  # nginx tells the app both pages closed: their places are free again
        again = Page(other_browser)
        assert again.status == 200
        again.close()
    finally:
        for page in mine:
            page.close()


def test_a_page_for_a_plan_the_person_may_not_see_is_refused(stack):
    sanne = person(stack, "sanne")
    others = sql(stack["database"], "SELECT plan.id FROM plan WHERE plan.family_id NOT IN "
                 "(SELECT family_id FROM membership JOIN person ON person.id = membership.person_id "
                 "WHERE person.demo_key = 'sanne') LIMIT 1")
    plan_id = others[0][0] if others else "0" * 20
    answer = sanne.http.get(sanne.url(f"/plan/{plan_id}/live"), timeout=10, headers={"Accept": "text/event-stream"})
    assert answer.status_code == 404
    assert "X-Accel-Redirect" not in answer.headers
    assert "gesloten" not in answer.text


def test_who_signs_out_everywhere_or_is_taken_out_of_the_family_hears_nothing_more(stack):
    erik, mark = person(stack, "erik"), person(stack, "mark")
    page = Page(erik)
    page.wait_for(lambda: page.heard("ready"))
    home = erik.http.get(erik.url("/profiel"), timeout=10)
    form = re.search(r'action="([^"]*/uitloggen/overal)"', home.text)
    assert form, "the profile offers to sign out everywhere"
    erik.http.post(erik.url(form.group(1)), data={"csrf_token": token_in(home.text)}, timeout=10)
    assert page.ended.wait(5), "the page's stream stayed open after signing out everywhere"

    fenna = person(stack, "fenna")  # taken out of the family in the database: the sweep closes her page
    held = Page(fenna)
    held.wait_for(lambda: held.heard("ready"))
    sql(stack["database"], "DELETE FROM membership WHERE person_id = (SELECT id FROM person WHERE demo_key = "
        "'fenna')")
    write_worry(mark, "Nieuwe zorg na het huisbezoek")
    assert held.ended.wait(10), "Fenna's page stayed open after she was taken out of the family"
    assert held.heard("item") == []


def test_after_nginx_restarts_pages_reconnect_and_catch_up(stack):
    sanne, mark = person(stack, "sanne"), person(stack, "mark")
    page = Page(sanne)
    page.wait_for(lambda: page.heard("ready"))
    last_id = page.events[-1][1]
    page.close()
    nginx = stack["nginx"]
    nginx.stop()
    nginx.start()
    write_worry(mark, "Na de herstart: afspraak met school")  # while the page was away
    reader = Page(sanne, last_event_id=last_id)
    assert reader.status == 200
    reader.wait_for(lambda: reader.heard("item"))
    reader.close()
