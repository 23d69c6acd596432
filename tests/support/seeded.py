"""The demo world, seeded once per test process and copied for each test that asks for it.

A seed (tables, the demo family, with the plan the catalog import and all) costs seconds; a copy costs milliseconds:
a file copy for a SQLite file, SQLite's backup API for an in-memory database, `CREATE DATABASE … TEMPLATE` on
PostgreSQL. The files the seed writes (demo mails, complaint attachments) are copied along. A seed is kept per
database server, with or without the plan, and per set of settings (the paths a test passes excepted), so a test
gets exactly what seeding would have given it.
"""

import atexit
import itertools
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlmodel import SQLModel

from app import create_app
from app.demo.services import seed_demo
from app.extensions import db

FOLDERS = ("MAIL_DIR", "COMPLAINT_FILES_DIR")  # paths a test passes: they differ per test, the seed does not
_HOME = Path(tempfile.mkdtemp(prefix="onsplan-seeds-"))
atexit.register(shutil.rmtree, _HOME, True)
_numbers = itertools.count()


@dataclass
class Seed:
    """One seeded world: its folder (database file or nothing, mails, files), its PostgreSQL template, if any, and
    what its builder returned (see built_app)."""

    folder: Path
    pg_template: str | None = None
    built: Any = None


_SEEDS: dict[tuple, Seed] = {}


def seeded_app(database_url: str, *, with_plan: bool, overrides: dict, demo: bool = True) -> Flask:
    """An app on `database_url` holding a fresh copy of the demo world (see the module's docstring), or with
    `demo=False` only the tables, for a test that makes everything it checks (tests/factories.py)."""
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and Path(url.database).exists() \
            and Path(url.database).stat().st_size:
        return _seed_in_place(database_url, with_plan, overrides, demo)  # a database with rows already: on top
    seed = _seed_for(url, ("demo" if demo else "empty", with_plan), overrides,
                     lambda: _seed(url, with_plan, overrides, demo))
    return _copy_of(seed, url, database_url, overrides)


def built_app(database_url: str, build: Callable[[Flask], Any], *, name: str, overrides: dict) -> tuple[Flask, Any]:
    """An app on `database_url` holding a fresh copy of what `build` made on empty tables, and what `build` returned
    (plain values such as ids, never database objects). `build` runs once per process, database server, `name` and
    settings: a test class that makes its family with tests/factories.py pays for it once, not per test."""
    url = sa.engine.make_url(database_url)
    seed = _seed_for(url, ("built", name), overrides, lambda: _seed(url, False, overrides, False, build))
    return _copy_of(seed, url, database_url, overrides), seed.built


def _seed_for(url: sa.URL, what: tuple, overrides: dict, make: Callable[[], Seed]) -> Seed:
    settings = tuple(sorted((key, repr(value)) for key, value in overrides.items() if key not in FOLDERS))
    server = "sqlite" if url.get_backend_name() == "sqlite" else f"{url.host}:{url.port}"
    key = (server, *what, settings)
    if key not in _SEEDS:
        _SEEDS[key] = make()
    return _SEEDS[key]


def _copy_of(seed: Seed, url: sa.URL, database_url: str, overrides: dict) -> Flask:
    if seed.pg_template:
        _copy_postgres(url, seed.pg_template)
    elif url.database and url.database != ":memory:":
        _copy_sqlite_file(seed.folder / "db.sqlite", Path(url.database))
    flask_app = create_app({"ENV_NAME": "test", "DATABASE_URL": database_url, **overrides})
    if not seed.pg_template and not (url.database and url.database != ":memory:"):
        _restore_into_memory(flask_app, seed.folder / "db.sqlite")
    for name in FOLDERS:
        target = flask_app.config.get(name)
        if target and (seed.folder / name).is_dir():
            shutil.copytree(seed.folder / name, target, dirs_exist_ok=True)
    return flask_app


def _seed_in_place(database_url: str, with_plan: bool, overrides: dict, demo: bool) -> Flask:
    flask_app = create_app({"ENV_NAME": "test", "DATABASE_URL": database_url, **overrides})
    with flask_app.app_context():
        SQLModel.metadata.create_all(db.engine)
    if demo:
        with flask_app.test_request_context(), db.new_session() as session:
            seed_demo(session, with_plan=with_plan)
    return flask_app


def _seed(url: sa.URL, with_plan: bool, overrides: dict, demo: bool,
          build: Callable[[Flask], Any] | None = None) -> Seed:
    """Seed once (and build on it, when asked): into a SQLite file in a folder of its own, or into a PostgreSQL
    template database."""
    folder = _HOME / f"seed-{next(_numbers)}"
    folder.mkdir()
    paths = {name: str(folder / name) for name in FOLDERS}
    if url.get_backend_name() == "sqlite":
        target = f"sqlite:///{folder / 'db.sqlite'}"
        seed = Seed(folder)
    else:
        name = f"seed_{_HOME.name[-8:].lower()}_{folder.name[5:]}"
        _admin(url, f'CREATE DATABASE "{name}"')
        target = url.set(database=name).render_as_string(hide_password=False)
        seed = Seed(folder, pg_template=name)
    flask_app = _seed_in_place(target, with_plan, overrides | paths, demo)
    if build is not None:
        seed.built = build(flask_app)
    with flask_app.app_context():
        db.engine.dispose()  # a template database must have no connections when it is copied
    if seed.pg_template is None:
        with closing(sqlite3.connect(folder / "db.sqlite")) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the one file that is copied
    return seed


def _copy_sqlite_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(source, target)


def _restore_into_memory(flask_app: Flask, source: Path) -> None:
    """Fill an in-memory database (one shared connection) from the seed with SQLite's backup API."""
    with flask_app.app_context():
        raw = db.engine.raw_connection()
        try:
            with closing(sqlite3.connect(source)) as seeded:
                seeded.backup(raw.driver_connection)
        finally:
            raw.close()


def _copy_postgres(url: sa.URL, template: str) -> None:
    """Replace the (empty) database the test made with a copy of the seeded template."""
    _admin(url, f'DROP DATABASE IF EXISTS "{url.database}"')
    _admin(url, f'CREATE DATABASE "{url.database}" TEMPLATE "{template}"')


def _admin(url: sa.URL, statement: str) -> None:
    import psycopg

    with psycopg.connect(host=url.host, port=url.port, user=url.username or "postgres", dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(statement)
