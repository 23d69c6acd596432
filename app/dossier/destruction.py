"""Destroy for real: rows and everything that hangs under them, versions, the append-only rows about them, and the
attachment files (Jeugdwet 7.3.9 on request, 7.3.8 lid 3 after the retention period).

What hangs under a row is found from the schema's foreign keys, so a table added later is destroyed with its parent
without anyone listing it here. A person is never destroyed through a row that names them (an author, an owner):
only the family's own members, when nothing but their account is left.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from app.complaints.files import folder as attachment_folder
from app.core.after_commit import run_after_commit
from app.core.db import destruction_permit

ACCOUNT_TABLES = ("login_identity", "notification_preference")  # a person's own account, gone with the person
NOT_CASCADED = {"person", "municipality", "organisation", "provider", "offer", "provider_location"}


@dataclass
class Destroyed:
    """What a destruction removed: rows per table, and the attachment files it will remove after the commit."""

    rows: Counter = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def destroy_items(session: Session, item_ids: list[str]) -> Destroyed:
    """Destroy these plan items with what hangs under them (tasks and notes of a goal, reactions and statements,
    versions, agreements, notices, the help chosen for a goal with its verdicts and ratings)."""
    return _destroy(session, "plan_item", item_ids)


def destroy_family(session: Session, family_id: str) -> Destroyed:
    """Destroy a family's whole dossier: the plan and all in it, complaints, consents, invitations, memberships,
    help and ratings; then the members who have nothing left but their account."""
    members = [row[0] for row in session.execute(sa.text("SELECT person_id FROM membership WHERE family_id = :f"),
                                                 {"f": family_id})]
    destroyed = _destroy(session, "family", [family_id])
    _forget_people(session, members, destroyed)
    return destroyed


def _destroy(session: Session, table_name: str, ids: list[str]) -> Destroyed:
    destroyed = Destroyed()
    with destruction_permit(session):
        _delete(session, SQLModel.metadata.tables[table_name], set(ids), destroyed)
    _remove_files_after_commit(session, destroyed.files)
    return destroyed


def _referrers(table: sa.Table) -> list[tuple[sa.Table, sa.Column]]:
    """(table, column) of every foreign key that points at this table's primary key."""
    found = []
    for other in SQLModel.metadata.sorted_tables:
        for key in other.foreign_keys:
            if key.column.table is table:
                found.append((other, key.parent))
    return found


def _delete(session: Session, table: sa.Table, ids: set, destroyed: Destroyed) -> None:
    """Delete the rows with these primary keys, after everything that points at them (depth first)."""
    if not ids:
        return
    (pk,) = table.primary_key.columns
    ids = set(ids)
    for child, column in _referrers(table):
        if child.name in NOT_CASCADED:
            continue
        _delete_where(session, child, column, ids, destroyed, itself=child is table)
    if table.name == "complaint_attachment":
        destroyed.files += [row[0] for row in session.execute(
            sa.select(table.c.storage_name).where(pk.in_(ids)))]
    for chunk in _chunks(sorted(ids)):
        result = session.execute(table.delete().where(pk.in_(chunk)))
        destroyed.rows[table.name] += result.rowcount


def _delete_where(session: Session, table: sa.Table, column: sa.Column, parent_ids: set, destroyed: Destroyed,
                  itself: bool) -> None:
    """Delete the rows of `table` whose `column` names one of the parent rows (`itself`: the key points at its own
    table, as a task at its goal; the parents are being destroyed already)."""
    pk_columns = list(table.primary_key.columns)
    if len(pk_columns) != 1:  # a link table (plan_visit): nothing points at it
        for chunk in _chunks(sorted(parent_ids)):
            destroyed.rows[table.name] += session.execute(table.delete().where(column.in_(chunk))).rowcount
        return
    (pk,) = pk_columns
    child_ids: set = set()
    for chunk in _chunks(sorted(parent_ids)):
        child_ids |= {row[0] for row in session.execute(sa.select(pk).where(column.in_(chunk)))}
    _delete(session, table, child_ids - parent_ids if itself else child_ids, destroyed)


def _chunks(ids: list, size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _forget_people(session: Session, person_ids: list[str], destroyed: Destroyed) -> None:
    """Destroy former members with nothing left but their account (no other family, no work, no row naming them)."""
    person = SQLModel.metadata.tables["person"]
    references = [(child, column) for child, column in _referrers(person) if child.name not in ACCOUNT_TABLES]
    alone = [person_id for person_id in person_ids
             if not any(session.execute(sa.select(sa.literal(1)).where(column == person_id).limit(1)).first()
                        for _child, column in references)]
    for name in ACCOUNT_TABLES:
        table = SQLModel.metadata.tables[name]
        destroyed.rows[name] += session.execute(table.delete().where(table.c.person_id.in_(alone))).rowcount
    destroyed.rows["person"] += session.execute(person.delete().where(person.c.id.in_(alone))).rowcount


def _remove_files_after_commit(session: Session, names: list[str]) -> None:
    if names:
        base = attachment_folder()
        run_after_commit(session, "destroyed-files", names, lambda batches: _unlink(base, batches))


def _unlink(base: Path, batches: list[list[str]]) -> None:
    for names in batches:
        for name in names:
            (base / name).unlink(missing_ok=True)


def orphan_files(session: Session) -> list[Path]:
    """Attachment files that no row names (left by a destruction stopped between its commit and the removal)."""
    base = attachment_folder()
    if not base.is_dir():
        return []
    named = {row[0] for row in session.execute(sa.text("SELECT storage_name FROM complaint_attachment"))}
    return [path for path in base.iterdir() if path.is_file() and path.name not in named]
