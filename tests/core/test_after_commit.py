"""run_after_commit acts once on the real commit, never on a savepoint's release, and forgets on a rollback."""

import sqlalchemy as sa
from sqlmodel import Session

from app.core.after_commit import run_after_commit


def test_only_the_outermost_commit_runs_the_queued_work_once():
    engine = sa.create_engine("sqlite://")
    done: list[list] = []
    with Session(engine) as session:
        session.execute(sa.text("SELECT 1"))
        run_after_commit(session, "mails", 1, done.append)
        with session.begin_nested():  # SQLAlchemy calls after_commit when a savepoint is released
            run_after_commit(session, "mails", 2, done.append)
        assert done == []
        session.commit()
        assert done == [[1, 2]]
        session.execute(sa.text("SELECT 1"))
        run_after_commit(session, "mails", 3, done.append)
        session.rollback()
        session.commit()
        assert done == [[1, 2]]  # the rolled-back work is forgotten
        session.execute(sa.text("SELECT 1"))
        run_after_commit(session, "mails", 4, done.append)
        session.commit()
        assert done == [[1, 2], [4]]  # the hooks stay, once per key
