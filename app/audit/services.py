"""Write and check the access log: one hash chain per family (and one for the system)."""

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlmodel import Session, select

from app.audit.models import AccessLogChain, AccessLogCheckpoint, AccessLogEntry
from app.core.clock import utcnow
from app.core.db import destruction_permit, dialect_insert
from app.extensions import db

GENESIS = "0" * 64
SYSTEM_CHAIN = "system"
HASHED_FIELDS = ("created_at", "event", "action", "outcome", "actor_id", "actor_role", "on_behalf_of_id",
                 "family_id", "youth_id", "object_type", "object_id", "detail", "chain", "seq", "prev_hash")


@dataclass(frozen=True)
class AuditActor:
    """Who acted, in which role, and for whom (a kitchen-table speaker, or a parent for a child)."""

    person_id: str | None
    role: str = "none"
    on_behalf_of_id: str | None = None


def entry_hash(entry: AccessLogEntry) -> str:
    """Return the SHA-256 of the entry's fields (the previous hash included)."""
    return _hash({name: getattr(entry, name) for name in HASHED_FIELDS})


def _hash(fields: dict) -> str:
    values = {name: fields[name] for name in HASHED_FIELDS}
    values["created_at"] = values["created_at"].isoformat(timespec="microseconds")
    return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def record(session: Session, *, event: str, action: str, actor: AuditActor, family_id: str | None = None,
           youth_id: str | None = None, object_type: str = "", object_id: str = "", outcome: str = "success",
           detail: str = "") -> AccessLogEntry:
    """Append one entry to its chain, in the caller's transaction (it commits with the change it logs)."""
    chain = family_id or SYSTEM_CHAIN
    head = _lock_head(session, chain)
    entry = AccessLogEntry(
        created_at=utcnow(), event=event, action=action, outcome=outcome, actor_id=actor.person_id,
        actor_role=actor.role, on_behalf_of_id=actor.on_behalf_of_id, family_id=family_id, youth_id=youth_id,
        object_type=object_type, object_id=str(object_id)[:40], detail=detail[:500], chain=chain,
        seq=head.seq, prev_hash=head.last_hash,
    )
    entry.hash = entry_hash(entry)
    session.execute(sa.update(AccessLogChain).where(AccessLogChain.chain == chain).values(last_hash=entry.hash)
                    .execution_options(synchronize_session=False))
    session.add(entry)
    session.flush()
    return entry


def record_at_commit(session: Session, **entry) -> None:
    """Like `record`, but written just before the transaction commits (same transaction, same chain): a page that
    renders before it commits does not hold the family's chain row while it renders, so people reading the same
    family's plan at once do not wait for each other (bench/load.py)."""
    pending = session.info.setdefault("audit_at_commit", [])
    if not pending:
        def _write(this: Session) -> None:
            record_many(this, this.info.pop("audit_at_commit", []))

        def _forget(this: Session, *_args) -> None:
            this.info.pop("audit_at_commit", None)

        sa.event.listen(session, "before_commit", _write, once=True)
        sa.event.listen(session, "after_rollback", _forget, once=True)
    pending.append(entry)


def record_many(session: Session, entries: list[dict]) -> None:
    """Append several entries (each as `record`'s keyword arguments) in a fixed number of statements, however many
    there are: a list page logs one read per family it shows. One entry is written by `record`."""
    if len(entries) < 2:
        for entry in entries:
            record(session, **entry)
        return
    chains = [entry.get("family_id") or SYSTEM_CHAIN for entry in entries]
    heads = _lock_heads(session, sorted(set(chains)))
    now, rows = utcnow(), []
    for chain, entry in zip(chains, entries, strict=True):
        actor, head = entry["actor"], heads[chain]
        row = {"created_at": now, "event": entry["event"], "action": entry["action"],
               "outcome": entry.get("outcome", "success"), "actor_id": actor.person_id, "actor_role": actor.role,
               "on_behalf_of_id": actor.on_behalf_of_id, "family_id": entry.get("family_id"),
               "youth_id": entry.get("youth_id"), "object_type": entry.get("object_type", ""),
               "object_id": str(entry.get("object_id", ""))[:40], "detail": entry.get("detail", "")[:500],
               "chain": chain, "seq": head.seq + 1, "prev_hash": head.last_hash}
        row["hash"] = _hash(row)
        heads[chain] = _Head(row["seq"], row["hash"])
        rows.append(row)
    table = AccessLogChain.__table__
    session.execute(table.update().where(table.c.chain == sa.bindparam("b_chain"))
                    .values(seq=sa.bindparam("b_seq"), last_hash=sa.bindparam("b_hash")),
                    [{"b_chain": chain, "b_seq": head.seq, "b_hash": head.last_hash} for chain, head in heads.items()])
    session.execute(sa.insert(AccessLogEntry.__table__), rows)


def _lock_heads(session: Session, chains: list[str]) -> dict[str, "_Head"]:
    """The heads of these chains (made when new), locked in the order of their names so that two writers that
    share chains never deadlock (PostgreSQL: FOR UPDATE; SQLite: the INSERT took the database's write lock)."""
    table = AccessLogChain.__table__
    session.execute(dialect_insert(session, table).on_conflict_do_nothing(),
                    [{"chain": chain, "seq": 0, "last_hash": GENESIS} for chain in chains])
    found = session.execute(sa.select(table.c.chain, table.c.seq, table.c.last_hash)
                            .where(table.c.chain.in_(chains)).order_by(table.c.chain).with_for_update())
    return {row.chain: _Head(row.seq, row.last_hash) for row in found}


@dataclass(frozen=True)
class _Head:
    seq: int
    last_hash: str


def _lock_head(session: Session, chain: str) -> _Head:
    """Take the chain's next number for this transaction (row lock on PostgreSQL, write lock on SQLite): one
    UPDATE ... RETURNING gives the new number and the hash to chain on."""
    bump = (sa.update(AccessLogChain).where(AccessLogChain.chain == chain).values(seq=AccessLogChain.seq + 1)
            .returning(AccessLogChain.seq, AccessLogChain.last_hash).execution_options(synchronize_session=False))
    row = session.execute(bump).first()
    if row is None:
        session.execute(_insert_ignore(session, chain))
        row = session.execute(bump).first()
    return _Head(row.seq, row.last_hash)


def _insert_ignore(session: Session, chain: str):
    insert = dialect_insert(session, AccessLogChain).values(chain=chain, seq=0, last_hash=GENESIS)
    return insert.on_conflict_do_nothing()


@dataclass(frozen=True)
class ChainProblem:
    """Where a chain does not add up."""

    chain: str
    seq: int
    problem: str


MAX_PROBLEMS = 1000  # a wholly rewritten log would otherwise fill memory with its problems


def verify(session: Session, *, batch: int = 5000) -> list[ChainProblem]:
    """Recompute every chain; return the problems (empty when nothing was changed, removed or added). A pruned
    chain starts after its signed checkpoint. The log is read as a stream in (chain, seq) order, `batch` rows at a
    time, so memory stays the same however long it is (bench/audit.py); only the chains' heads are held."""
    heads = {head.chain: head for head in session.exec(select(AccessLogChain)).all()}
    starts = {point.chain: point for point in session.exec(select(AccessLogCheckpoint)).all()}
    table = AccessLogEntry.__table__
    # (the options go on the statement: set on the connection they would stay for the request's later statements)
    rows = session.connection().execute(sa.select(*(table.c[name] for name in (*HASHED_FIELDS, "hash")))
                                        .order_by(table.c.chain, table.c.seq)
                                        .execution_options(stream_results=True, yield_per=batch))
    found = _Found()
    walk: _ChainWalk | None = None
    for row in rows:
        if walk is None or row.chain != walk.chain:
            if walk is not None:
                found.extend(walk.finish(heads.get(walk.chain)))
            walk = _ChainWalk(row.chain, starts.get(row.chain))
            found.chains.add(row.chain)
        found.extend(walk.step(row._mapping))
    if walk is not None:
        found.extend(walk.finish(heads.get(walk.chain)))
    for chain in sorted(set(heads) - found.chains):  # a head whose entries are all gone (or were all pruned)
        found.extend(_ChainWalk(chain, starts.get(chain)).finish(heads[chain]))
    return found.problems()


class _Found:
    """The problems found so far (at most MAX_PROBLEMS kept, the rest counted) and the chains walked."""

    def __init__(self) -> None:
        self.kept: list[ChainProblem] = []
        self.more = 0
        self.chains: set[str] = set()

    def extend(self, problems: list[ChainProblem]) -> None:
        for problem in problems:
            if len(self.kept) < MAX_PROBLEMS:
                self.kept.append(problem)
            else:
                self.more += 1

    def problems(self) -> list[ChainProblem]:
        return self.kept + ([ChainProblem("*", 0, f"{self.more} more problems")] if self.more else [])


class _ChainWalk:
    """One chain read entry by entry: the number and hash each next entry must have."""

    def __init__(self, chain: str, start: AccessLogCheckpoint | None) -> None:
        self.chain, self.previous, self.expected_seq = chain, GENESIS, 1
        self.opening: list[ChainProblem] = []
        if start is not None:
            if not hmac.compare_digest(start.signature, checkpoint_signature(start)):
                self.opening.append(ChainProblem(chain, start.seq, "checkpoint signature does not match"))
            self.previous, self.expected_seq = start.hash, start.seq + 1

    def step(self, entry) -> list[ChainProblem]:
        problems, self.opening = self.opening, []
        if entry["seq"] != self.expected_seq:
            problems.append(ChainProblem(self.chain, entry["seq"], f"missing entries before {entry['seq']}"))
        if entry["prev_hash"] != self.previous:
            problems.append(ChainProblem(self.chain, entry["seq"], "previous hash does not match"))
        if _hash(entry) != entry["hash"]:
            problems.append(ChainProblem(self.chain, entry["seq"], "entry was changed"))
        self.previous, self.expected_seq = entry["hash"], entry["seq"] + 1
        return problems

    def finish(self, head: AccessLogChain | None) -> list[ChainProblem]:
        problems, self.opening = self.opening, []
        if head is None:
            problems.append(ChainProblem(self.chain, 0, "chain head is missing"))
        elif head.last_hash != self.previous or head.seq != self.expected_seq - 1:
            problems.append(ChainProblem(self.chain, head.seq, "latest entries were removed"))
        return problems


def objects_changed_since(session: Session, *, family_id: str, events: Iterable[str], since: datetime) -> list[str]:
    """The ids of the family's objects that had one of these events after `since`, oldest first, once each."""
    return list(dict.fromkeys(object_id for object_id, _event in events_since(
        session, family_id=family_id, events=events, since=since)))


def events_since(session: Session, *, family_id: str, events: Iterable[str],
                 since: datetime) -> list[tuple[str, str]]:
    """(object id, event) of the family's entries with one of these events after `since`, oldest first."""
    return [tuple(row) for row in session.exec(select(AccessLogEntry.object_id, AccessLogEntry.event).where(
        AccessLogEntry.family_id == family_id, AccessLogEntry.created_at > since,
        AccessLogEntry.event.in_(list(events))).order_by(AccessLogEntry.id)).all()]


def first_event_at(session: Session, *, family_id: str, event: str, object_id: str) -> datetime | None:
    """When this event first happened to this object of the family (None: never)."""
    return session.exec(select(AccessLogEntry.created_at).where(
        AccessLogEntry.family_id == family_id, AccessLogEntry.event == event,
        AccessLogEntry.object_id == object_id).order_by(AccessLogEntry.id).limit(1)).first()


def entries_between(session: Session, *, family_ids: list[str], start: datetime, end: datetime,
                    limit: int = 500) -> list[AccessLogEntry]:
    """Return the entries of these families in a period, newest first."""
    if not family_ids:
        return []
    statement = (
        select(AccessLogEntry)
        .where(AccessLogEntry.family_id.in_(family_ids), AccessLogEntry.created_at >= start,
               AccessLogEntry.created_at < end)
        .order_by(AccessLogEntry.created_at.desc(), AccessLogEntry.id.desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())


def record_refusal(*, event: str, actor: AuditActor, family_id: str | None = None, youth_id: str | None = None,
                   object_type: str = "", object_id: str = "", detail: str = "") -> None:
    """Log a refused attempt in its own transaction, so it survives the rollback of the refused request."""
    with db.new_session() as session:
        record(session, event=event, action="execute", actor=actor, family_id=family_id, youth_id=youth_id,
               object_type=object_type, object_id=object_id, outcome="refused", detail=detail)


def _checkpoint_key() -> bytes:
    configured = current_app.config.get("AUDIT_CHECKPOINT_KEY")
    if configured:
        return configured.encode()
    return hmac.new(str(current_app.config["SECRET_KEY"]).encode(), b"access-log-checkpoint", hashlib.sha256).digest()


def checkpoint_signature(point: AccessLogCheckpoint) -> str:
    """HMAC-SHA256 over where the chain now starts: who moves the start, or removes it, is seen by `verify`."""
    message = json.dumps([point.chain, point.seq, point.hash, point.pruned_before.isoformat(timespec="microseconds")])
    return hmac.new(_checkpoint_key(), message.encode(), hashlib.sha256).hexdigest()


def prune(session: Session, *, chain: str, before: datetime) -> int:
    """Remove the chain's entries older than `before` (the access log is kept 5 years), in the caller's
    transaction, and sign where the chain now starts; return how many went. The chain still verifies."""
    last = session.exec(select(AccessLogEntry).where(AccessLogEntry.chain == chain, AccessLogEntry.created_at < before)
                        .order_by(AccessLogEntry.seq.desc()).limit(1)).first()
    if last is None:
        return 0
    point = session.get(AccessLogCheckpoint, chain) or AccessLogCheckpoint(chain=chain, seq=0, hash=GENESIS,
                                                                            pruned_before=before, signature="")
    point.seq, point.hash, point.pruned_before, point.created_at = last.seq, last.hash, before, utcnow()
    point.signature = checkpoint_signature(point)
    session.add(point)
    with destruction_permit(session):
        gone = session.execute(sa.delete(AccessLogEntry).where(AccessLogEntry.chain == chain,
                                                               AccessLogEntry.seq <= last.seq)
                               .execution_options(synchronize_session=False)).rowcount
    return gone


def chains_with_entries_before(session: Session, before: datetime) -> list[str]:
    """The chains that have entries older than this moment."""
    return list(session.exec(select(AccessLogEntry.chain).where(AccessLogEntry.created_at < before)
                             .distinct().order_by(AccessLogEntry.chain)).all())
