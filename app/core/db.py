"""The database: one engine per app, one session per request, UTC timestamps."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy import event
from sqlmodel import Session, SQLModel


class UTCDateTime(sa.types.TypeDecorator):
    """Store aware datetimes as UTC and hand them back aware, on SQLite as on PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use app.core.clock.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # With WAL, NORMAL syncs at checkpoints instead of at every commit: the file cannot be corrupted, but a power cut
    # may lose the last moments. Fine for the embedded default; production runs on PostgreSQL (docs/decisions.md).
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A deleted row's bytes are overwritten, not left in free pages: a destroyed dossier is gone from the file too.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_engine(url: str) -> sa.Engine:
    """Create an engine with settings that suit the backend."""
    if not url.startswith("sqlite"):
        # LIFO: a request takes the connection used last, whose statements psycopg has already prepared (after 5
        # runs on that connection) and whose caches are warm; first-in-first-out rotated every request through all
        # ten, so a search was planned again on each of them (2 ms of planning for the catalog's ranking query).
        return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, pool_timeout=5,
                                pool_use_lifo=True, connect_args={"connect_timeout": 3})
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    if in_memory:
        engine = sa.create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=sa.pool.StaticPool)
    else:
        database = sa.engine.make_url(url).database
        if database:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
    # Before the first connection: one opened earlier would go back to the pool without the pragmas (no foreign keys).
    event.listen(engine, "connect", _sqlite_pragmas)
    if not in_memory:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")  # stored in the database file: once is enough
    return engine


class Database:
    """Holds each app's engine; hands out the request's session through `db.session`."""

    def init_app(self, app: Flask) -> None:
        """Create the engine from DATABASE_URL and close sessions after each request."""
        app.extensions["db_engine"] = make_engine(app.config["DATABASE_URL"])
        app.teardown_appcontext(self._close)

    @property
    def engine(self) -> sa.Engine:
        """Return the current app's engine."""
        return current_app.extensions["db_engine"]

    @property
    def session(self) -> Session:
        """Return the session of the current app context, opening one on first use."""
        if "db_session" not in g:
            g.db_session = Session(self.engine, expire_on_commit=False)
        return g.db_session

    def _close(self, exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()

    @contextmanager
    def new_session(self) -> Iterator[Session]:
        """Open a session outside a request (CLI, workers); commit on success."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session
            session.commit()

    def ping(self) -> bool:
        """Return True when the database answers a trivial query."""
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.SQLAlchemyError:
            return False


def dialect_insert(session: Session, model):
    """An INSERT that knows ON CONFLICT for the session's database (SQLite and PostgreSQL spell it alike)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


# Deterministic constraint names, the same on SQLite and PostgreSQL (Alembic needs them to alter later).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def append_only_sql(table: str, dialect: str) -> list[str]:
    """SQL for triggers that refuse UPDATE and DELETE on an append-only table (used by migrations too)."""
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END" for verb in ("update", "delete")]
    if dialect == "postgresql":
        return [f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$ BEGIN "
                f"RAISE EXCEPTION '{table} is append-only'; END $$ LANGUAGE plpgsql",
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"]
    return []


DESTRUCTION_PERMIT = sa.Table("destruction_permit", SQLModel.metadata,
                              sa.Column("id", sa.Integer, primary_key=True))
"""A row here, inserted and removed inside one transaction (never committed), lets that transaction delete rows of
the append-only tables: the destruction of a dossier and the pruning of old access-log entries. Updates stay refused."""


def erasable_append_only_sql(table: str, dialect: str) -> list[str]:
    """SQL for triggers that refuse UPDATE always, and DELETE unless the transaction holds a destruction permit."""
    refuse = f"'{table} is append-only'"
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, {refuse}); END",
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"WHEN NOT EXISTS (SELECT 1 FROM destruction_permit) BEGIN SELECT RAISE(ABORT, {refuse}); END"]
    if dialect == "postgresql":
        return [f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$ BEGIN "
                f"IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM destruction_permit) THEN RETURN OLD; END IF; "
                f"RAISE EXCEPTION {refuse}; END $$ LANGUAGE plpgsql",
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"]
    return []


@contextmanager
def destruction_permit(session: Session) -> Iterator[None]:
    """Let this transaction delete rows of the append-only tables while inside the block (nobody else ever sees the
    permit: it is removed before the transaction can commit)."""
    session.execute(DESTRUCTION_PERMIT.insert().values(id=1))
    try:
        yield
    finally:
        session.execute(DESTRUCTION_PERMIT.delete())


def protect_append_only(table: sa.Table) -> None:
    """Attach the append-only triggers so create_all (tests) makes them just like the migrations."""
    for dialect in ("sqlite", "postgresql"):
        for statement in erasable_append_only_sql(table.name, dialect):
            sa.event.listen(table, "after_create", sa.DDL(statement.replace("%", "%%")).execute_if(dialect=dialect))


_UNMANAGED: dict[str, set[str]] = {"table_prefix": set(), "column": set(), "index": set()}


def leave_out_of_migrations(*, table_prefix: str = "", column: str = "", index: str = "") -> None:
    """Register schema objects made with raw SQL (FTS tables, generated columns) that Alembic must not compare."""
    for kind, name in (("table_prefix", table_prefix), ("column", column), ("index", index)):
        if name:
            _UNMANAGED[kind].add(name)


def include_in_migrations(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's include_name hook: skip the raw-SQL objects registered with leave_out_of_migrations."""
    if name is None:
        return True
    if type_ == "table":
        return not any(name.startswith(prefix) for prefix in _UNMANAGED["table_prefix"])
    if type_ == "column":
        return f"{parent_names.get('table_name')}.{name}" not in _UNMANAGED["column"]
    if type_ == "index":
        return name not in _UNMANAGED["index"]
    return True
