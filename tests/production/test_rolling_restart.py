"""A rolling restart under load (issue 19, point 2), set up as docs/deploy.md says: two app instances with the
project's gunicorn.conf.py on one PostgreSQL and one Redis, behind nginx with the guide's own site block (TLS,
round robin). While professionals save plan items and read pages through nginx, and an open plan page holds its live
stream, the instances are restarted one after the other the way the guide's Upgrading section does it (SIGTERM,
wait until it stopped, start it, wait for /readyz). Nobody may notice: no failed request, no lost or doubled save,
the 99th percentile under 2 seconds, and each instance stops within seconds although a live stream was open on it.
"""

import statistics
import threading
import time
from dataclasses import dataclass, field

import pytest
import requests

from tests.production.support import Visitor, app_env, copy_database, sql, token_in, version_in
from tests.support.nginx import Nginx
from tests.support.servers import AppServer

pytestmark = pytest.mark.postgres

PRODUCTION = ("--config", "gunicorn.conf.py")  # what the systemd unit in docs/deploy.md runs
WRITERS, READERS = 3, 2
THINK = 0.05  # seconds between one person's requests: a steady mix, not a flood
P99_LIMIT = 2.0
STOP_LIMIT = 8.0  # gunicorn's graceful timeout is 20 s: an instance that waited for its open streams would take that


@dataclass
class Record:
    """What every request of the load got: (what, status or the error's name, seconds)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[tuple[str, str, float]] = field(default_factory=list)
    saved: dict[str, list[str]] = field(default_factory=dict)  # item id -> texts whose save was answered 303
    stream_ends: list[str] = field(default_factory=list)  # the last line of each stream the server ended

    def add(self, what: str, outcome: str, seconds: float) -> None:
        with self.lock:
            self.requests.append((what, outcome, seconds))

    def failures(self) -> list[tuple[str, str, float]]:
        expected = {"read": "200", "edit-form": "200", "save": "303", "stream": "200"}
        return [entry for entry in self.requests if entry[1] != expected[entry[0]]]


def timed_call(record: Record, what: str, call, *args, **kwargs) -> requests.Response | None:
    started = time.monotonic()
    try:
        response = call(*args, **kwargs)
    except requests.RequestException as error:
        record.add(what, type(error).__name__, time.monotonic() - started)
        return None
    record.add(what, str(response.status_code), time.monotonic() - started)
    return response


def write(person: Visitor, item_id: str, record: Record, stop: threading.Event) -> None:
    """Open the item's edit form and save a new text, again and again (the plain form, no JavaScript)."""
    edit = person.url(f"{person.plan}/onderdelen/{item_id}/bewerken")
    record.saved[item_id] = []
    n = 0
    while not stop.is_set():
        form = timed_call(record, "edit-form", person.http.get, edit, timeout=30)
        if form is not None and form.status_code == 200:
            version = version_in(form.text)
            n += 1
            text = f"Rolling {item_id[:6]} {n} — Sanne fytst nei skoalle ✓"
            answer = timed_call(record, "save", person.http.post, edit, allow_redirects=False, timeout=30,
                                data={"csrf_token": token_in(form.text), "version": str(version), "text": text})
            if answer is not None and answer.status_code == 303:
                record.saved[item_id].append(text)
        time.sleep(THINK)


def read(person: Visitor, record: Record, stop: threading.Event) -> None:
    pages = [person.plan, "/"]
    n = 0
    while not stop.is_set():
        page = pages[n % len(pages)]
        timed_call(record, "read", person.http.get, person.url(page), timeout=30)
        n += 1
        time.sleep(THINK)


def hold_stream(person: Visitor, record: Record, stop: threading.Event) -> None:
    """An open plan page's live stream: opened again whenever it ends, as the browser does after `retry`."""
    while not stop.is_set():
        response = timed_call(record, "stream", person.http.get, person.url(f"{person.plan}/live"), stream=True,
                              timeout=(5, 30))
        if response is None or response.status_code != 200:
            time.sleep(0.25)
            continue
        last = ""
        try:
            for line in response.iter_lines(decode_unicode=True):
                last = line or last
                if stop.is_set():
                    break
        except requests.RequestException as error:
            last = type(error).__name__
        finally:
            response.close()
        if not stop.is_set():  # ended by the server, not by the end of the test
            record.stream_ends.append(last)
        time.sleep(0.25)


def restart(server: AppServer, folder) -> float:
    """Restart one instance as `systemctl restart` does: SIGTERM, wait until it stopped, start it again; then wait
    for /readyz as the guide says. Return the seconds it took to stop."""
    started = time.monotonic()
    server.process.terminate()
    server.process.wait(25)  # the unit's TimeoutStopSec
    stopped = time.monotonic() - started
    server.start(PRODUCTION, output=folder / f"instance-{server.port}.log")
    deadline = time.monotonic() + 30
    while requests.get(f"{server.url}/readyz", timeout=5).status_code != 200:
        assert time.monotonic() < deadline, "the instance never became ready"
        time.sleep(0.1)
    return stopped


@pytest.fixture(scope="module")
def stack(postgres, redis_server, seeded_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("rolling")
    database = copy_database(postgres, seeded_template, "roll")
    env = app_env(database, REDIS_URL=redis_server.fresh_url(), PROXY_HOPS="1", SESSION_COOKIE_SECURE="1",
                  LIVE_HEARTBEAT_SECONDS="2")
    instances = [AppServer(env), AppServer(env)]
    for server in instances:
        server.start(PRODUCTION, output=folder / f"instance-{server.port}.log")
    # the instances hold their own streams here (no LIVE_NCHAN_URL): a restart must end them and send them on
    nginx = Nginx(folder, (instances[0].port, instances[1].port), redis_url=redis_server.fresh_url()).start()
    yield database, instances, nginx, folder
    nginx.stop()
    for server in instances:
        server.stop()


def test_restarting_the_instances_one_by_one_under_load_fails_and_loses_nothing(stack):
    database, instances, nginx, folder = stack
    marks = [Visitor(nginx, "mark", verify=str(nginx.certificate)) for _ in range(WRITERS + READERS + 2)]
    items = [item_id for kind, item_id, _version in marks[0].items() if kind in ("strength", "worry")][:WRITERS]
    record, stop = Record(), threading.Event()
    threads = [threading.Thread(target=write, args=(marks[n], items[n], record, stop)) for n in range(WRITERS)]
    threads += [threading.Thread(target=read, args=(marks[WRITERS + n], record, stop)) for n in range(READERS)]
    threads += [threading.Thread(target=hold_stream, args=(marks[-n], record, stop)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        stop_seconds = [restart(server, folder) for server in instances]
        time.sleep(2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(40)

    seconds = sorted(entry[2] for entry in record.requests if entry[0] != "stream")
    p99 = seconds[int(len(seconds) * 0.99) - 1]
    saves = sum(len(texts) for texts in record.saved.values())
    print(f"\nrolling restart through nginx: {len(record.requests)} requests ({saves} saves), median "
          f"{statistics.median(seconds) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {seconds[-1] * 1000:.0f} ms; "
          f"instances stopped in {', '.join(f'{s:.2f} s' for s in stop_seconds)}; "
          f"streams ended with {record.stream_ends}")

    assert record.failures() == []
    assert p99 < P99_LIMIT, p99
    assert max(stop_seconds) < STOP_LIMIT, stop_seconds
    assert saves >= 20 * WRITERS / 2, "the load was too thin to show anything"
    # a live stream ended only when its instance went down, telling the page to come back at once
    assert record.stream_ends, "no instance with an open stream was restarted"
    assert set(record.stream_ends) == {"retry: 250"}, record.stream_ends
    for item_id, texts in record.saved.items():  # every answered save is stored, once, in order
        stored = [text for (text,) in sql(database, "SELECT data->>'text' FROM item_version WHERE item_id = %s "
                                          "AND data->>'text' LIKE 'Rolling %%' ORDER BY id", item_id)]
        assert stored == texts, item_id
    statuses = [line["status"] for line in nginx.access_log()]
    assert statuses
    assert all(status < 500 for status in statuses), sorted(set(statuses))


def test_with_drain_seconds_a_stopping_instance_says_draining_and_serves_before_it_stops_listening(
        postgres, seeded_template, tmp_path):
    """For a load balancer that checks /readyz: after SIGTERM the instance answers, /readyz says `draining`, for
    DRAIN_SECONDS; then it refuses connections and stops."""
    server = AppServer(app_env(copy_database(postgres, seeded_template, "drain"), DRAIN_SECONDS="1.5"))
    server.start(PRODUCTION, output=tmp_path / "instance.log")
    try:
        assert requests.get(f"{server.url}/readyz", timeout=5).json() == {"status": "ready"}
        asked = time.monotonic()
        server.process.terminate()
        time.sleep(0.3)
        ready = requests.get(f"{server.url}/readyz", timeout=5)
        assert (ready.status_code, ready.json()) == (503, {"status": "draining"})
        assert requests.get(f"{server.url}/hulp", timeout=5).status_code == 200  # still serving meanwhile
        server.process.wait(10)
        assert 1.5 <= time.monotonic() - asked < 6
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{server.url}/readyz", timeout=5)
    finally:
        server.stop()
