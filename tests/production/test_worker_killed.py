"""An app worker killed with SIGKILL during saves (issue 9, point 3): the real app under gunicorn on PostgreSQL,
a phone saving plan items with the plain form (optimistic concurrency by version number), and the test killing
the worker process (not the master, which starts a new one).

Nothing is ever half-written (the item, its version row and its access-log entry commit together or not at all),
and a save whose answer was lost can be sent again: it is saved once, never twice, and never answered with a 5xx.
"""

import socket
import threading
import time
from collections import Counter

import pytest
import requests

from app import create_app
from app.audit.services import verify
from app.extensions import db
from tests.production.support import (
    Visitor,
    app_env,
    copy_database,
    kill_worker,
    libpq,
    new_worker,
    sql,
    wait_until,
    worker_pids,
)
from tests.support.servers import AppServer


@pytest.fixture(scope="module")
def database(postgres, seeded_template) -> str:
    return copy_database(postgres, seeded_template, "kill")


@pytest.fixture(scope="module")
def server(database):
    """The app as production runs it: gunicorn with the project's config (one gthread worker, many threads)."""
    app = AppServer(app_env(database)).start(("--config", "gunicorn.conf.py"))
    yield app
    app.stop()


@pytest.fixture(scope="module")
def mark(server) -> Visitor:
    """The youth care professional: he may change every item of the demo plan."""
    return Visitor(server, "mark")


@pytest.fixture(scope="module")
def free_items(mark):
    """Items of the plan handed out to the tests one by one (each test changes only its own)."""
    return iter([item_id for kind, item_id, _version in mark.items() if kind in ("strength", "worry", "goal")])


def history(database: str, item_id: str) -> list[tuple[int, str, str]]:
    """(version, change, text) of each version row of an item, oldest first."""
    return sql(database, "SELECT version, change, data->>'text' FROM item_version WHERE item_id = %s ORDER BY id",
               item_id)


def stored(database: str, item_id: str) -> tuple[int, str]:
    return sql(database, "SELECT version, text FROM plan_item WHERE id = %s", item_id)[0]


def access_log_intact(database: str) -> list:
    flask_app = create_app({"ENV_NAME": "test", "DATABASE_URL": database})
    try:
        with flask_app.app_context(), db.new_session() as session:
            return verify(session)
    finally:
        with flask_app.app_context():
            db.engine.dispose()


def assert_consistent(database: str, item_id: str, sent: set[str]) -> list[str]:
    """Each version row complete, numbered 1, 2, 3 ... without a gap or a double; the item is its last version;
    every text since the start is one that was sent, and none was saved twice. Return the saved texts."""
    rows = history(database, item_id)
    assert [version for version, _change, _text in rows] == list(range(1, len(rows) + 1)), rows
    assert all(text for _version, _change, text in rows), rows
    version, text = stored(database, item_id)
    assert (version, text) == (rows[-1][0], rows[-1][2])
    ours = [text for _version, change, text in rows if change == "update" and text in sent]
    assert len(ours) == len(set(ours)), f"a save was stored twice: {Counter(ours).most_common(3)}"
    assert text in sent, f"{text!r} is not one of the texts that were sent"
    return ours


def test_a_worker_killed_in_the_middle_of_a_save_leaves_nothing_half_written(server, database, mark, free_items):
    item_id = next(free_items)
    token, version = mark.edit_form(item_id)
    before = history(database, item_id)
    entries_before = sql(database, "SELECT count(*) FROM access_log")[0][0]
    text = "Tom fietst zelf naar school (bewaard na de storing)"
    answers: list = []

    with psycopg_lock(database, "SELECT id FROM plan WHERE id = (SELECT plan_id FROM plan_item WHERE id = %s) "
                      "FOR UPDATE", item_id):
        # The save has claimed the next version number and waits for the plan row we hold: half-way.
        saving = threading.Thread(target=_post, args=(mark, item_id, token, version, text, answers))
        saving.start()
        wait_until(lambda: _waiting_on_lock(database), message="the save to wait half-way")
        killed = kill_worker(server)
        saving.join(15)
        assert isinstance(answers[0], requests.ConnectionError), answers  # the answer was lost with the worker
    new_worker(server, killed)
    wait_until(lambda: not _waiting_on_lock(database) and not _open_transactions(database),
               message="PostgreSQL to roll back the killed worker's transaction")
    assert history(database, item_id) == before, "a half-written version survived the kill"
    assert stored(database, item_id)[0] == version
    assert sql(database, "SELECT count(*) FROM access_log")[0][0] == entries_before

    # The phone sends the save again: it is saved now, once; sent a third time it changes nothing.
    assert mark.save(item_id, token=token, version=version, text=text).status_code == 303
    assert mark.save(item_id, token=token, version=version, text=text).status_code == 303
    assert history(database, item_id) == [*before, (version + 1, "update", text)]
    assert stored(database, item_id) == (version + 1, text)
    assert access_log_intact(database) == []


def test_a_save_whose_answer_was_lost_is_stored_once_when_sent_again(server, database, mark, free_items):
    item_id = next(free_items)
    token, version = mark.edit_form(item_id)
    text = "Sanne belt de school elke vrijdag"
    send_and_hang_up(mark, item_id, token=token, version=version, text=text)  # the phone loses its connection
    wait_until(lambda: stored(database, item_id) == (version + 1, text), message="the save to be stored")
    again = mark.save(item_id, token=token, version=version, text=text)  # the phone sends it again
    assert again.status_code == 303
    assert [row[0] for row in history(database, item_id)][-1] == version + 1
    assert stored(database, item_id) == (version + 1, text)

    # Someone else saved in between: sending it again shows the conflict, with both texts, and stores nothing.
    sanne = Visitor(server, "sanne")
    sanne_token, _ = sanne.edit_form(item_id)
    assert sanne.save(item_id, token=sanne_token, version=version + 1, text="Erik belt de school").status_code == 303
    conflict = mark.save(item_id, token=token, version=version, text=text)
    assert conflict.status_code == 422
    assert text in conflict.text  # still in the form: nothing the phone sent is lost
    assert "Erik belt de school" in conflict.text
    assert stored(database, item_id) == (version + 2, "Erik belt de school")
    assert_consistent(database, item_id, {text, "Erik belt de school"})


def test_saving_in_a_loop_while_the_worker_is_killed_again_and_again(server, database, mark, free_items):
    """Four phones save their own items as fast as they can; the worker is killed four times under them."""
    own = [[next(free_items), next(free_items)] for _phone in range(4)]
    state = Saves()
    stop = threading.Event()
    phones = [threading.Thread(target=_phone, args=(mark, items, n, state, stop)) for n, items in enumerate(own)]
    for phone in phones:
        phone.start()
    try:
        for _kill in range(4):
            wait_until(lambda goal=state.saved + 8: state.saved >= goal, timeout=30, message="saves between kills")
            wait_until(lambda: state.in_flight >= 2, timeout=10, every=0.002, message="saves in flight")
            new_worker(server, kill_worker(server))
        wait_until(lambda goal=state.saved + 8: state.saved >= goal, timeout=30, message="saves after the kills")
    finally:
        stop.set()
        for phone in phones:
            phone.join(30)
    assert not state.problems, state.problems[:5]
    assert state.lost >= 1, "no answer was lost: the kills did not hit a save"
    for items in own:
        for item_id in items:
            saved = assert_consistent(database, item_id, state.sent[item_id])
            assert state.acknowledged[item_id] <= set(saved), "a save answered 303 is not in the history"
    assert len(worker_pids(server)) == 1
    assert access_log_intact(database) == []


class Saves:
    """What the phones sent, what the server confirmed, and what went wrong."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: dict[str, set[str]] = {}
        self.acknowledged: dict[str, set[str]] = {}
        self.saved = self.lost = self.in_flight = 0
        self.problems: list[str] = []


def _phone(visitor: Visitor, items: list[str], n: int, state: Saves, stop: threading.Event) -> None:
    phone = requests.Session()
    phone.cookies.update(visitor.http.cookies)
    me = _Clone(visitor, phone)
    forms = {item_id: me.edit_form(item_id) for item_id in items}
    versions = {item_id: version for item_id, (_token, version) in forms.items()}
    for item_id in items:
        state.sent[item_id], state.acknowledged[item_id] = set(), set()
    round_ = 0
    while not stop.is_set():
        round_ += 1
        for item_id in items:
            text = f"Telefoon {n}, ronde {round_}: {item_id[:6]}"
            state.sent[item_id].add(text)
            status = _save_until_answered(me, item_id, forms[item_id][0], versions[item_id], text, state)
            if status != 303:
                state.problems.append(f"{item_id} v{versions[item_id]} {text!r}: {status}")
                return
            versions[item_id] += 1
            state.acknowledged[item_id].add(text)
            with state.lock:
                state.saved += 1


def _save_until_answered(me, item_id, token, version, text, state: Saves) -> int | str:
    """Send a save; when the answer is lost (the worker died), send exactly the same again."""
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        with state.lock:
            state.in_flight += 1
        try:
            return me.save(item_id, token=token, version=version, text=text, timeout=30).status_code
        except requests.ConnectionError:
            with state.lock:
                state.lost += 1
            time.sleep(0.05)
        finally:
            with state.lock:
                state.in_flight -= 1
    return "no answer within 40 s"


class _Clone(Visitor):
    """The same signed-in person on another connection (one phone per thread)."""

    def __init__(self, visitor: Visitor, http: requests.Session) -> None:
        self.server, self.http, self.plan = visitor.server, http, visitor.plan


def send_and_hang_up(visitor: Visitor, item_id: str, *, token: str, version: int, text: str) -> None:
    """Send a save and close the connection at once, without waiting for the answer."""
    url = visitor.url(f"{visitor.plan}/onderdelen/{item_id}/bewerken")
    request = visitor.http.prepare_request(requests.Request(
        "POST", url, data={"csrf_token": token, "version": str(version), "text": text}))
    head = "".join(f"{name}: {value}\r\n" for name, value in request.headers.items())
    path = url.split(visitor.server.url, 1)[1]
    raw = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{visitor.server.port}\r\n{head}\r\n{request.body}".encode()
    with socket.create_connection(("127.0.0.1", visitor.server.port), timeout=5) as conn:
        conn.sendall(raw)


def _post(visitor, item_id, token, version, text, answers) -> None:
    try:
        answers.append(visitor.save(item_id, token=token, version=version, text=text))
    except requests.RequestException as error:
        answers.append(error)


class psycopg_lock:  # noqa: N801 - used as a context manager, reads like `with`
    """Hold a row lock (SELECT ... FOR UPDATE) in an open transaction for the `with` block."""

    def __init__(self, database: str, query: str, *params) -> None:
        import psycopg

        self.conn = psycopg.connect(libpq(database))
        self.query, self.params = query, params

    def __enter__(self):
        assert self.conn.execute(self.query, self.params).fetchall()
        return self

    def __exit__(self, *_exc) -> None:
        self.conn.rollback()
        self.conn.close()


def _waiting_on_lock(database: str) -> bool:
    return bool(sql(database, "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                              "AND wait_event_type = 'Lock'"))


def _open_transactions(database: str) -> bool:
    return bool(sql(database, "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                              "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%%'"))
