"""Throwaway servers for the tests: PostgreSQL and Redis from the installed binaries, and the app itself."""

import contextlib
import glob
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def serve_in_thread(server) -> threading.Thread:
    """Serve a test's in-process HTTP server (werkzeug's or the standard library's) from a daemon thread. It looks
    for a `shutdown()` every 20 ms instead of the default half second, which each stop would otherwise wait."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    return thread


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bindir() -> Path:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    if candidates:
        return Path(candidates[-1])
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    raise RuntimeError("PostgreSQL server binaries not found: run scripts/test.sh, which installs them.")


class PostgresServer:
    """A PostgreSQL cluster in a temporary folder, on its own port, gone after stop(). For the tests it skips the
    waits for the disk (fsync, synchronous_commit and full-page writes off: a crash loses a throwaway cluster);
    `durable=True`, for the benches, keeps PostgreSQL's own defaults, as production runs it."""

    def __init__(self, durable: bool = False) -> None:
        self.durable = durable
        self.bindir = _pg_bindir()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="onsplan-pg-"))
        self.data = self.dir / "data"
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self) -> "PostgresServer":
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8")
        fast = "" if self.durable else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 {fast}"
                   "-c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class RedisServer:
    """A Redis server without persistence on its own port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server not found: run scripts/test.sh, which installs it.")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    APP_SERVER_DB = 15  # the session's app server (SeededServer) keeps this database to itself

    def fresh_url(self) -> str:
        """A Redis database of its own for one test (rate-limit counters must not leak between tests)."""
        import redis

        RedisServer._next_db = getattr(RedisServer, "_next_db", 0) + 1
        url = f"redis://127.0.0.1:{self.port}/{RedisServer._next_db % self.APP_SERVER_DB}"
        redis.Redis.from_url(url).flushdb()
        return url

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)


def compile_translations() -> None:
    """Compile the catalogues for a server (a subprocess) when a .mo file is missing or older than its .po file."""
    catalogs = sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))
    assert catalogs, "no translation catalogues found under translations/"
    stale = [po for po in catalogs
             if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    if stale:
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-d", "translations"],
                       cwd=ROOT, check=True, capture_output=True, timeout=120)


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on port {port}")


class AppServer:
    """The real app under gunicorn (the Procfile's worker class), on its own port and database."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.env = {**os.environ, **env}
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def flask(self, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=self.env,
                       check=True, capture_output=True, timeout=120)

    def start(self, gunicorn_args: tuple[str, ...] | None = None, *, output: Path | None = None) -> "AppServer":
        """Start gunicorn: one worker with 16 threads, or the given arguments (e.g. the production config); its
        stdout and stderr go to `output` when given."""
        args = gunicorn_args or ("--worker-class", "gthread", "--threads", "16", "--workers", "1",
                                 "--no-control-socket", "--log-level", "warning")
        with open(output, "ab") if output else contextlib.nullcontext() as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "app.wsgi:app", "--bind", f"127.0.0.1:{self.port}", *args],
                cwd=ROOT, env=self.env, start_new_session=True,  # its own process group: stop() ends the workers too
                stdout=log, stderr=subprocess.STDOUT if log else None,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the app did not start")

    def stop(self) -> None:
        """Quick shutdown (SIGINT): open live streams must not hold the test up. Then whatever is left of the
        process group goes too, so a worker whose master was killed (by a test, or after the wait) never lingers."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)


class OperatorSeed:
    """The demo world made once the way an operator makes it (`flask db upgrade`, `flask demo seed`) in a SQLite
    file, with the mails and complaint files the seed writes. `copy_to` gives a server a copy of its own in
    milliseconds, where a seed costs seconds (tests/conftest.py `operator_seed`, one per test process)."""

    FOLDERS = ("MAIL_DIR", "COMPLAINT_FILES_DIR")

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db_file = folder / "app.db"

    def make(self) -> "OperatorSeed":
        seeder = AppServer({"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "operator-seed-secret",
                            "DATABASE_URL": f"sqlite:///{self.db_file}", "LOG_JSON": "0",
                            **{name: str(self.folder / name) for name in self.FOLDERS}})
        seeder.flask("db", "upgrade")
        seeder.flask("demo", "seed")
        with closing(sqlite3.connect(self.db_file)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the one file that is copied
        for name in self.FOLDERS:
            (self.folder / name).mkdir(exist_ok=True)
        return self

    def copy_to(self, folder: Path) -> dict[str, str]:
        """Copy the world into `folder` (a new one, or one a server uses: see restore) and return the settings that
        point a server at the copy: DATABASE_URL, MAIL_DIR and COMPLAINT_FILES_DIR."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "app.db"
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(self.db_file, target)
        self._copy_folders(folder)
        return {"DATABASE_URL": f"sqlite:///{target}", **{name: str(folder / name) for name in self.FOLDERS}}

    def restore(self, folder: Path) -> None:
        """Put the world back into a copy a running server has open: SQLite's backup API writes the seed into the
        live database (the server's connections wait for it, then read the new content); the folders are replaced."""
        with closing(sqlite3.connect(self.db_file)) as seeded, \
                closing(sqlite3.connect(folder / "app.db", timeout=30)) as live:
            seeded.backup(live)
        self._copy_folders(folder)

    def _copy_folders(self, folder: Path) -> None:
        for name in self.FOLDERS:
            shutil.rmtree(folder / name, ignore_errors=True)
            shutil.copytree(self.folder / name, folder / name)


class SeededServer(AppServer):
    """The app under gunicorn on a copy of the operator's demo world (OperatorSeed); reset() puts the world back as
    it was seeded (database, demo mailbox, complaint files, and the rate-limit counters and presence it keeps in
    Redis) in milliseconds, so no story builds on another's changes.

    The server keeps running through a reset: its connections read the restored file, and a browser's saved
    sign-in stays valid (a session names a person and a session version, both as seeded).
    """

    def __init__(self, folder: Path, seed: OperatorSeed, env: dict[str, str] | None = None, *,
                 redis_url: str | None = None) -> None:
        self.folder = folder
        self.seed = seed
        self.redis_url = redis_url
        super().__init__({
            "APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "seeded-server-secret",
            "SESSION_COOKIE_SECURE": "0", "LOG_JSON": "0",
            # A plan page holds one of gunicorn's 16 threads for its live stream; the server only notices a page
            # has gone when its next ping fails, so ping often and let the tests open many plan pages in a row.
            "LIVE_HEARTBEAT_SECONDS": "2",
            **({"REDIS_URL": redis_url} if redis_url else {}),
            **seed.copy_to(folder), **(env or {})})

    def reset(self) -> None:
        """Put the world back as seeded (OperatorSeed.restore) and empty the server's Redis database."""
        self.seed.restore(self.folder)
        if self.redis_url:
            import redis

            redis.Redis.from_url(self.redis_url).flushdb()
