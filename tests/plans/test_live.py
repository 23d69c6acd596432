"""Live updates over real HTTP under gunicorn: a change reaches another open plan in under a second,
a reconnecting page catches up, and Redis carries it across app instances."""

import json
import re
import signal
import sqlite3
import threading
import time

import pytest
import requests
import sqlalchemy as sa

from app.core import health
from app.plans import live
from tests.support.servers import AppServer

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def signed_in(server: AppServer, key: str) -> requests.Session:
    """A demo persona's signed-in HTTP session."""
    http = requests.Session()
    page = http.get(f"{server.url}/demo", timeout=10)
    http.post(f"{server.url}/demo/inloggen/{key}", data={"csrf_token": TOKEN.search(page.text).group(1)},
              timeout=10).raise_for_status()
    return http


def browser(server: AppServer, key: str) -> tuple[requests.Session, str]:
    """A signed-in HTTP session and the demo plan's URL."""
    http = signed_in(server, key)
    home = http.get(f"{server.url}/", timeout=10).text
    return http, re.search(r'href="(/plan/\w+)[/"]', home).group(1)


def read_events(response: requests.Response, found: list, stop: threading.Event) -> None:
    """Collect server-sent events until the test stops or closes the connection."""
    try:
        _read(response, found, stop)
    except (requests.RequestException, AttributeError, ValueError):
        return  # the test closed the stream


def _read(response: requests.Response, found: list, stop: threading.Event) -> None:
    event = {}
    for line in response.iter_lines(chunk_size=1, decode_unicode=True):
        if stop.is_set():
            return
        if line.startswith("id: "):
            event["id"] = line[4:]
        elif line.startswith("event: "):
            event["event"] = line[7:]
        elif line.startswith("data: "):
            event["data"] = json.loads(line[6:])
        elif line == "" and event:
            event["at"] = time.perf_counter()
            found.append(event)
            event = {}


def add_worry(server: AppServer, http: requests.Session, plan: str, text: str) -> float:
    token = TOKEN.search(http.get(f"{server.url}{plan}", timeout=10).text).group(1)
    started = time.perf_counter()
    response = http.post(f"{server.url}{plan}/onderdelen/worry", data={"csrf_token": token, "text": text},
                         allow_redirects=False, timeout=10)
    assert response.status_code == 303
    return started


def wait_for(found: list, predicate, seconds: float = 5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for event in found:
            if predicate(event):
                return event
        time.sleep(0.01)
    raise AssertionError(f"no matching event in {found}")


def start(env_extra: dict, database: str) -> AppServer:
    env = {"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "live-test-secret", "SESSION_COOKIE_SECURE": "0",
           "DATABASE_URL": database, "LOG_LEVEL": "WARNING", "LIVE_HEARTBEAT_SECONDS": "1",
           "LIVE_ACCESS_RECHECK_SECONDS": "1", **env_extra}
    return AppServer(env).start()


@pytest.fixture(scope="module")
def database(tmp_path_factory, operator_seed) -> str:
    """One copy of the demo world (migrated and seeded as an operator does) for the module's servers."""
    return operator_seed.copy_to(tmp_path_factory.mktemp("live"))["DATABASE_URL"]


@pytest.fixture(scope="module")
def one_server(database):
    server = start({}, database)
    yield server
    server.stop()


def test_a_change_reaches_another_open_plan_within_a_second(one_server):
    sanne, plan = browser(one_server, "sanne")
    erik, _ = browser(one_server, "erik")
    found, stop = [], threading.Event()
    stream = sanne.get(f"{one_server.url}{plan}/live", stream=True, timeout=30)
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    threading.Thread(target=read_events, args=(stream, found, stop), daemon=True).start()
    wait_for(found, lambda e: e.get("event") == "presence")
    started = add_worry(one_server, erik, plan, "Live vanuit Drachten")
    event = wait_for(found, lambda e: e.get("event") == "item")
    delay = event["at"] - started
    stop.set()
    stream.close()
    assert delay < 1.0, f"the change took {delay:.3f} s"
    assert "Live vanuit Drachten" not in json.dumps(event)  # ids only, never content
    fragment = sanne.get(f"{one_server.url}{plan}/onderdelen/{event['data']['item']}", headers={"HX-Request": "true"})
    assert "Live vanuit Drachten" in fragment.text


def test_ending_someones_role_ends_their_open_stream(one_server):
    """Karin (Kompas) has the plan open; Jeroen, the functional manager, ends her role at Kompas: her stream closes
    at its next heartbeat (1 s here), so no more news of the family reaches her page."""
    _, plan = browser(one_server, "sanne")  # Karin reaches the plan through her goal, not from a home page link
    karin = signed_in(one_server, "karin")
    jeroen = signed_in(one_server, "jeroen")
    found, stop = [], threading.Event()
    stream = karin.get(f"{one_server.url}{plan}/live", stream=True, timeout=30)
    reader = threading.Thread(target=read_events, args=(stream, found, stop), daemon=True)
    reader.start()
    wait_for(found, lambda e: e.get("event") == "ready")
    overview = jeroen.get(f"{one_server.url}/beheer", timeout=10).text
    kompas = re.search(r'href="(/beheer/organisaties/\w+)">[^<]*Kompas', overview).group(1)
    page = jeroen.get(f"{one_server.url}{kompas}", timeout=10).text
    end = re.search(r'Karin.*?href="(/beheer/medewerkers/\d+/verwijderen)"', page, re.S).group(1)
    question = jeroen.get(f"{one_server.url}{end}", timeout=10).text
    ended = jeroen.post(f"{one_server.url}{end}", data={"csrf_token": TOKEN.search(question).group(1)},
                        allow_redirects=False, timeout=10)
    assert ended.status_code == 303
    reader.join(timeout=5)
    assert not reader.is_alive(), "Karin's stream stayed open after her role ended"
    stream.close()
    assert karin.get(f"{one_server.url}{plan}", allow_redirects=False, timeout=10).status_code == 303  # signed out


def test_taken_out_of_the_family_their_open_stream_ends(one_server, database):
    """Fenna (network) has the plan open; she is taken out of the family: within the access re-check (1 s here,
    40 s in production, so under a minute with the heartbeat) her stream ends, and nothing more reaches it."""
    _, plan = browser(one_server, "sanne")
    fenna, _ = browser(one_server, "fenna")
    found, stop = [], threading.Event()
    stream = fenna.get(f"{one_server.url}{plan}/live", stream=True, timeout=30)
    reader = threading.Thread(target=read_events, args=(stream, found, stop), daemon=True)
    reader.start()
    wait_for(found, lambda e: e.get("event") == "ready")
    path = sa.engine.make_url(database).database
    fenna_only = "person_id = (SELECT id FROM person WHERE given_name = 'Fenna')"
    with sqlite3.connect(path) as conn:
        (row,) = conn.execute(f"SELECT * FROM membership WHERE {fenna_only}").fetchall()
        conn.execute(f"DELETE FROM membership WHERE {fenna_only}")
    try:
        reader.join(timeout=6)
        assert not reader.is_alive(), "Fenna's stream stayed open after she left the family"
    finally:
        stream.close()
        with sqlite3.connect(path) as conn:  # the module's other tests use the same world
            conn.execute(f"INSERT INTO membership VALUES ({', '.join('?' * len(row))})", row)


def test_a_flood_of_streams_from_one_person_is_refused_politely(one_server):
    """Six open plan pages per person. A seventh from the same browser (the plan opened again before the old page's
    connection was seen to close) takes the place of its oldest, which ends at its next heartbeat; one from another
    browser is told to wait (429, Retry-After), which the page shows as live updates paused."""
    sanne, plan = browser(one_server, "sanne")
    phone, _ = browser(one_server, "sanne")  # Sanne signed in on another device too
    streams = []
    try:
        for _ in range(6):
            streams.append(sanne.get(f"{one_server.url}{plan}/live", stream=True, timeout=30))
            assert streams[-1].status_code == 200
        oldest, stop = [], threading.Event()
        reader = threading.Thread(target=read_events, args=(streams[0], oldest, stop), daemon=True)
        reader.start()
        refused = phone.get(f"{one_server.url}{plan}/live", stream=True, timeout=30)
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
        assert refused.text.startswith("retry: ")
        again = sanne.get(f"{one_server.url}{plan}/live", stream=True, timeout=30)
        streams.append(again)
        assert again.status_code == 200
        reader.join(timeout=5)
        assert not reader.is_alive(), "the oldest stream of that browser stayed open"
    finally:
        for stream in streams:
            stream.close()
    time.sleep(2.5)  # closed streams are let go at their next heartbeat (1 s here)
    reopened = phone.get(f"{one_server.url}{plan}/live", stream=True, timeout=30)
    reopened.close()
    assert reopened.status_code == 200
    time.sleep(1.5)  # (and that one too, before the next test opens Sanne's)


def test_a_reconnecting_page_catches_up_on_what_it_missed(one_server):
    sanne, plan = browser(one_server, "sanne")
    erik, _ = browser(one_server, "erik")
    found, stop = [], threading.Event()
    stream = sanne.get(f"{one_server.url}{plan}/live", stream=True, timeout=30)
    threading.Thread(target=read_events, args=(stream, found, stop), daemon=True).start()
    wait_for(found, lambda e: e.get("event") == "presence")
    add_worry(one_server, erik, plan, "Eerste")
    first = wait_for(found, lambda e: e.get("event") == "item")
    stop.set()
    stream.close()  # the connection drops
    add_worry(one_server, erik, plan, "Gemist 1")
    add_worry(one_server, erik, plan, "Gemist 2")
    again, stop2 = [], threading.Event()
    resumed = sanne.get(f"{one_server.url}{plan}/live", stream=True, timeout=30,
                        headers={"Last-Event-ID": first["id"]})
    threading.Thread(target=read_events, args=(resumed, again, stop2), daemon=True).start()
    wait_for(again, lambda e: e.get("event") == "presence")
    caught = [e for e in again if e.get("event") == "item"]
    stop2.set()
    resumed.close()
    assert len(caught) == 2
    assert all(int(e["id"]) > int(first["id"]) for e in caught)


def test_a_reconnecting_page_catches_up_on_agreement_and_on_what_it_may_no_longer_see(one_server):
    """While Sanne's connection is down, Erik agrees to the plan and Mark withholds a worry about Tom (14) from
    the parents: the resumed stream says so, and fetching the item tells Sanne's page to take it away."""
    sanne, plan = browser(one_server, "sanne")
    erik, _ = browser(one_server, "erik")
    mark, _ = browser(one_server, "mark")
    found, stop = [], threading.Event()
    stream = sanne.get(f"{one_server.url}{plan}/live", stream=True, timeout=30)
    threading.Thread(target=read_events, args=(stream, found, stop), daemon=True).start()
    wait_for(found, lambda e: e.get("event") == "presence")
    add_worry(one_server, erik, plan, "Voor het wegvallen")
    first = wait_for(found, lambda e: e.get("event") == "item")
    stop.set()
    stream.close()  # the connection drops

    page = mark.get(f"{one_server.url}{plan}", timeout=10).text
    withheld = re.search(r'href="' + plan + r'/onderdelen/(\w+)/zichtbaarheid"', page).group(1)
    assert sanne.get(f"{one_server.url}{plan}/onderdelen/{withheld}", headers={"HX-Request": "true"},
                     timeout=10).status_code == 200
    response = mark.post(f"{one_server.url}{plan}/onderdelen/{withheld}/zichtbaarheid",
                         data={"csrf_token": TOKEN.search(page).group(1), "change": "withhold",
                               "reason": "Eerst met Tom bespreken", "consulted": "Hiske de Vries",
                               "opinion": "Eens"}, allow_redirects=False, timeout=10)
    assert response.status_code == 303
    token = TOKEN.search(erik.get(f"{one_server.url}{plan}", timeout=10).text).group(1)
    response = erik.post(f"{one_server.url}{plan}/akkoord", data={"csrf_token": token, "decision": "agree"},
                         allow_redirects=False, timeout=10)
    assert response.status_code == 303

    again, stop2 = [], threading.Event()
    resumed = sanne.get(f"{one_server.url}{plan}/live", stream=True, timeout=30,
                        headers={"Last-Event-ID": first["id"]})
    threading.Thread(target=read_events, args=(resumed, again, stop2), daemon=True).start()
    wait_for(again, lambda e: e.get("event") == "presence")
    stop2.set()
    resumed.close()
    hidden = [e for e in again if e.get("event") == "item" and e["data"]["item"] == withheld]
    assert len(hidden) == 1
    assert hidden[0]["data"]["visibility"] is True
    assert [e for e in again if e.get("event") == "agreement"], again
    assert sanne.get(f"{one_server.url}{plan}/onderdelen/{withheld}", headers={"HX-Request": "true"},
                     timeout=10).status_code == 404


def test_redis_carries_changes_between_two_app_instances(redis_server, database):
    redis_url = redis_server.fresh_url()
    first = start({"REDIS_URL": redis_url}, database)
    second = start({"REDIS_URL": redis_url}, database)
    try:
        sanne, plan = browser(first, "sanne")
        erik, _ = browser(second, "erik")
        found, stop = [], threading.Event()
        stream = sanne.get(f"{first.url}{plan}/live", stream=True, timeout=30)
        threading.Thread(target=read_events, args=(stream, found, stop), daemon=True).start()
        wait_for(found, lambda e: e.get("event") == "presence")
        started = add_worry(second, erik, plan, "Via de andere server")
        event = wait_for(found, lambda e: e.get("event") == "item")
        stop.set()
        stream.close()
        assert event["at"] - started < 1.0
        presence = sanne.get(f"{first.url}{plan}/aanwezig", headers={"HX-Request": "true"}).text
        assert isinstance(presence, str)
    finally:
        first.stop()
        second.stop()


@pytest.mark.parametrize("fan_out", ["in-process", "redis"])
def test_closing_one_tab_keeps_the_person_present_in_the_other(fan_out, request):
    from app.plans import live

    redis_url = request.getfixturevalue("redis_server").fresh_url() if fan_out == "redis" else None
    plan = f"plan-{fan_out}"
    live.join(plan, "sanne", redis_url=redis_url, stream="phone")
    live.join(plan, "sanne", redis_url=redis_url, stream="tablet")
    live.join(plan, "erik", redis_url=redis_url, stream="phone")
    assert live.present(plan, redis_url=redis_url) == {"sanne", "erik"}
    live.leave(plan, "sanne", redis_url=redis_url, stream="phone")
    assert live.present(plan, redis_url=redis_url) == {"sanne", "erik"}  # still there on the tablet
    live.leave(plan, "sanne", redis_url=redis_url, stream="tablet")
    assert live.present(plan, redis_url=redis_url) == {"erik"}


def test_a_restart_ends_the_open_streams_at_once_with_a_hint_to_reconnect(database):
    """SIGTERM (systemctl restart): the instance's streams end within a second with a short `retry:`, and the
    instance is gone in seconds, not after gunicorn's graceful timeout (20 s) that an open stream used to hold."""
    server = AppServer({"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "live-test-secret",
                        "SESSION_COOKIE_SECURE": "0", "DATABASE_URL": database, "LOG_LEVEL": "WARNING",
                        "LIVE_HEARTBEAT_SECONDS": "15"})
    server.start(("--config", "gunicorn.conf.py", "--threads", "16"))
    try:
        sanne, plan = browser(server, "sanne")
        stream = sanne.get(f"{server.url}{plan}/live", stream=True, timeout=30)
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(stream.iter_lines(decode_unicode=True)), daemon=True)
        reader.start()
        deadline = time.monotonic() + 5
        while "event: ready" not in lines and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "event: ready" in lines
        asked = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        reader.join(timeout=3)
        assert not reader.is_alive(), "the stream stayed open after SIGTERM"
        assert [line for line in lines if line][-1] == "retry: 250", lines
        server.process.wait(timeout=8)
        assert time.monotonic() - asked < 8
    finally:
        server.stop()


def test_a_stream_that_opens_while_the_process_drains_ends_at_once(monkeypatch):
    """Between SIGTERM and the moment it stops listening an instance may still be asked for a stream: it ends
    at once, so the page reconnects to an instance that stays instead of holding this one up."""
    monkeypatch.setattr(health, "_draining", threading.Event())
    before = live.listen("plan-x", redis_url=None, heartbeat=0.05)
    assert next(before) is None  # an ordinary stream: a ping after the heartbeat
    live.drain()
    assert next(before, "ended") == "ended"
    started = time.monotonic()
    assert list(live.listen("plan-y", redis_url=None, heartbeat=5)) == []
    assert time.monotonic() - started < 1
