"""Helpers for the production fault tests: the app under gunicorn on a seeded PostgreSQL database, a signed-in
HTTP client, the gunicorn worker process, and polling with deadlines."""

import os
import re
import signal
import socket
import time
import uuid
from pathlib import Path

import psycopg
import requests

from tests.support.servers import AppServer, PostgresServer
from tests.sync.support import wait_until

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
ITEM = re.compile(r'<article class="item item--(\w+)[^"]*" id="item-(\w+)" data-version="(\d+)"')
VERSION = re.compile(r'name="version" type="hidden" value="(\d*)"|type="hidden" name="version" value="(\d*)"')
SECRET = "production-test-secret"


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a demo app on this database (what an operator's .env would hold, with demo on)."""
    return {"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": SECRET, "DATABASE_URL": database_url,
            "SESSION_COOKIE_SECURE": "0", "LOG_JSON": "0", "LOG_LEVEL": "WARNING", **extra}


def libpq(database_url: str) -> str:
    """The libpq form of a SQLAlchemy PostgreSQL URL (psql, pg_dump and psycopg take it)."""
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def copy_database(server: PostgresServer, template: str, prefix: str) -> str:
    """Make a new database from a template database (about 0.1 s) and return its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"host=127.0.0.1 port={server.port} user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return server.url(name)


def sql(database_url: str, query: str, *params) -> list[tuple]:
    """Run one query on its own connection and return its rows."""
    with psycopg.connect(libpq(database_url), autocommit=True, connect_timeout=5) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def timed(call, *args, **kwargs):
    """Call and return (its result, the seconds it took)."""
    started = time.monotonic()
    result = call(*args, **kwargs)
    return result, time.monotonic() - started


def worker_pids(server: AppServer) -> list[int]:
    """The gunicorn workers of a server (the children of its master process)."""
    pid = server.process.pid
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return []
    return [int(child) for child in children]


def kill_worker(server: AppServer) -> int:
    """SIGKILL the (only) worker, not the master; return the killed pid."""
    pids = wait_until(lambda: worker_pids(server), message="a gunicorn worker")
    assert len(pids) == 1, pids
    os.kill(pids[0], signal.SIGKILL)
    return pids[0]


def new_worker(server: AppServer, killed: int, timeout: float = 30) -> int:
    """Wait until the master has started a worker in place of the killed one, and the app answers again."""
    def replaced():
        pids = [pid for pid in worker_pids(server) if pid != killed]
        return pids[0] if pids and not Path(f"/proc/{killed}").exists() else None

    pid = wait_until(replaced, timeout=timeout, message="the master to start a new worker")
    wait_until(lambda: _healthy(server), timeout=timeout, message="the new worker to answer")
    return pid


def _healthy(server: AppServer) -> bool:
    try:
        return requests.get(f"{server.url}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


class Visitor:
    """A person with a phone: an HTTP session signed in through the demo sign-in form, in their language."""

    def __init__(self, server: AppServer, key: str, language: str = "nl", *, verify: bool | str = True) -> None:
        self.server = server  # or anything with the `url` to reach the app at (nginx in front of it)
        self.http = requests.Session()
        if verify is not True:  # the CA of a throwaway certificate (the environment's CA bundle would win over it)
            self.http.verify, self.http.trust_env = verify, False
        self.http.headers["Accept-Language"] = language
        self.http.headers["Referer"] = f"{server.url}/"  # as a browser sends it: over https the CSRF check wants it
        page = self.http.get(f"{server.url}/demo", timeout=15)
        response = self.http.post(f"{server.url}/demo/inloggen/{key}", data={"csrf_token": token_in(page.text)},
                                  allow_redirects=False, timeout=15)
        assert response.status_code == 303, response.status_code
        home = self.http.get(f"{server.url}/", timeout=15).text
        self.plan = re.search(r'href="(/plan/\w+)[/"]', home).group(1)  # a youth's button opens their own view

    def url(self, path: str) -> str:
        return f"{self.server.url}{path}"

    def items(self) -> list[tuple[str, str, int]]:
        """(kind, id, version) of every item on the plan page."""
        page = self.http.get(self.url(self.plan), timeout=15)
        assert page.status_code == 200, page.status_code
        return [(kind, item_id, int(version)) for kind, item_id, version in ITEM.findall(page.text)]

    def edit_form(self, item_id: str) -> tuple[str, int]:
        """Open an item's edit form: its CSRF token and the version it was opened at."""
        page = self.http.get(self.url(f"{self.plan}/onderdelen/{item_id}/bewerken"), timeout=15)
        assert page.status_code == 200, page.status_code
        return token_in(page.text), version_in(page.text)

    def save(self, item_id: str, *, token: str, version: int, text: str, timeout: float = 20) -> requests.Response:
        """The plain-form save of an item edit (no JavaScript): 303 when saved, 422 with both texts on a conflict."""
        return self.http.post(self.url(f"{self.plan}/onderdelen/{item_id}/bewerken"),
                              data={"csrf_token": token, "version": str(version), "text": text},
                              allow_redirects=False, timeout=timeout)


def version_in(html: str) -> int:
    """The version an edit form was opened at."""
    found = VERSION.search(html)
    assert found, "no version field in the edit form"
    return int(found.group(1) or found.group(2))


def token_in(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def stop_postgres(server: PostgresServer) -> None:
    """Stop the PostgreSQL server (fast shutdown: open connections are cut), keeping its data."""
    server._run("pg_ctl", "-D", str(server.data), "-m", "fast", "-w", "stop")


def start_postgres(server: PostgresServer) -> None:
    """Start a stopped PostgreSQL server again on the same port and data."""
    options = f"-p {server.port} -k {server.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
    server._run("pg_ctl", "-D", str(server.data), "-o", options, "-l", str(server.dir / "log"), "-w", "start")


class SilentPort:
    """Something on a port that takes connections and never answers (a server that hangs, a dropped route)."""

    def __init__(self, port: int) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(64)  # the kernel completes the handshake; nobody ever reads

    def __enter__(self) -> "SilentPort":
        return self

    def __exit__(self, *_exc) -> None:
        self.sock.close()
