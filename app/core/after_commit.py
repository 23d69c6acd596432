"""Work that must wait until the transaction is really committed (e-mails: nothing is announced that was not stored).

SQLAlchemy calls `after_commit` also when a savepoint is released, so the hooks here ignore those and act only on
the outermost commit; a rollback of the outermost transaction forgets what was queued.
"""

from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import Session


def run_after_commit(session: Session, key: str, item, action: Callable[[list], None]) -> None:
    """Queue `item` under `key`; after the real commit, call `action` once with everything queued under `key`."""
    session.info.setdefault(f"after_commit:{key}", []).append(item)
    if session.info.get(f"after_commit:{key}:listening"):
        return
    session.info[f"after_commit:{key}:listening"] = True

    def _commit(committed: Session) -> None:
        if committed.in_nested_transaction():
            return  # a savepoint was released: wait for the real commit
        items = committed.info.pop(f"after_commit:{key}", [])
        if items:
            action(items)

    def _rollback(rolled_back: Session) -> None:
        if not rolled_back.in_nested_transaction():
            rolled_back.info.pop(f"after_commit:{key}", None)

    sa.event.listen(session, "after_commit", _commit)
    sa.event.listen(session, "after_rollback", _rollback)
