"""SQLite: every connection the engine opens has the pragmas, not only the ones opened after start-up."""

import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from app import create_app

CONNECTIONS = 8


def test_every_connection_enforces_foreign_keys_and_waits_for_locks(tmp_path):
    flask_app = create_app({"ENV_NAME": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'fk.db'}"})
    engine = flask_app.extensions["db_engine"]
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("CREATE TABLE child (id INTEGER PRIMARY KEY, "
                             "parent_id INTEGER NOT NULL REFERENCES parent (id))")
    together = threading.Barrier(CONNECTIONS, timeout=30)
    writing = threading.Lock()

    def use_a_connection(number: int) -> dict:
        with engine.connect() as conn:
            together.wait()  # all connections are out of the pool at once, the one opened first among them
            found = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                     for name in ("foreign_keys", "busy_timeout", "journal_mode", "synchronous")}
            with writing:  # one writer at a time: the point is the foreign key, not lock contention
                try:
                    conn.exec_driver_sql("INSERT INTO child (parent_id) VALUES (?)", (1000 + number,))
                    conn.commit()
                    found["dangling row refused"] = False
                except sa.exc.IntegrityError:
                    conn.rollback()
                    found["dangling row refused"] = True
            together.wait()
            return found

    try:
        with ThreadPoolExecutor(CONNECTIONS) as pool:
            results = list(pool.map(use_a_connection, range(CONNECTIONS)))
        expected = {"foreign_keys": 1, "busy_timeout": 5000, "journal_mode": "wal", "synchronous": 1,
                    "dangling row refused": True}
        assert results == [expected] * CONNECTIONS
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM child").scalar() == 0
    finally:
        engine.dispose()
