"""Register outbox events in the ZRC (`flask zgw run`), in order per plan and per complaint, each exactly once.

Apart from the delivery to SYNC_ENDPOINT: the ZGW adapter keeps its own state per event (`zgw_registration`), so
a ZRC that is down or refuses an event never holds back the municipality's event API, nor the other way round. The
rules are the sync worker's: an event is due when it is not registered yet, its next attempt has come, and every
earlier event of its plan is registered (or skipped); a failure waits with exponential backoff and jitter; a refusal
of the request itself (a 4xx other than 401, 408, 425, 429) or the last attempt makes it dead, and it holds its
plan's later events back until `flask zgw retry`.

Idempotent: before creating a Zaak the worker looks in `zgw_zaak`, then asks the ZRC for a Zaak with our
identificatie (a Zaak made by an attempt whose answer was lost); before setting a Status it looks for the same
Status (statustype, moment, toelichting) on the Zaak; the one Resultaat is updated in place. A Zaak's row is
committed as soon as the ZRC made it; everything else is written after the HTTP calls, in one short transaction
per event (on SQLite no write lock is held while the ZRC answers).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from app.core.clock import utcnow
from app.outbox.models import OutboxEvent
from app.sync.worker import backoff_seconds
from app.zgw import mapping
from app.zgw.client import ZrcClient, ZrcError
from app.zgw.models import ZgwRegistration, ZgwZaak

DONE = ("registered", "skipped")


@dataclass
class Outcome:
    """What one attempt at an event came to."""

    status: str  # registered, skipped, failed
    url: str = ""
    note: str = ""
    permanent: bool = False
    at: datetime = field(default_factory=utcnow)


@dataclass
class Round:
    """What one batch did."""

    registered: int = 0
    skipped: int = 0
    failed: int = 0
    dead: int = 0


def claim(session: Session, *, limit: int, now: datetime | None = None) -> list[OutboxEvent]:
    """The due heads: per plan or complaint the first event not registered yet, if its attempt is due; oldest first."""
    now = now or utcnow()
    earlier, earlier_done = aliased(OutboxEvent), aliased(ZgwRegistration)
    blocked = (sa.select(earlier.id).outerjoin(earlier_done, earlier_done.event_id == earlier.id)
               .where(earlier.aggregate_id == OutboxEvent.aggregate_id, earlier.sequence < OutboxEvent.sequence,
                      earlier.event_type.in_(mapping.EVENT_TYPES),
                      sa.or_(earlier_done.event_id.is_(None), earlier_done.status.not_in(DONE)))
               .exists())
    due = sa.or_(ZgwRegistration.event_id.is_(None),
                 sa.and_(ZgwRegistration.status == "pending",
                         sa.or_(ZgwRegistration.next_attempt_at.is_(None), ZgwRegistration.next_attempt_at <= now)))
    query = (select(OutboxEvent).outerjoin(ZgwRegistration, ZgwRegistration.event_id == OutboxEvent.id)
             .where(OutboxEvent.event_type.in_(mapping.EVENT_TYPES), due, ~blocked)
             .order_by(OutboxEvent.id).limit(limit))
    return list(session.exec(query).all())


def register_batch(session: Session, client: ZrcClient, settings: dict) -> Round:
    """Register the due heads one by one, each outcome committed at once."""
    result = Round()
    events = claim(session, limit=settings["batch"])
    session.commit()  # end the read: nothing is held while the ZRC answers
    for event in events:
        outcome = attempt(session, client, settings, event)
        row = record(session, event, outcome, settings)
        session.commit()
        if outcome.status == "failed":
            result.failed += 1
            result.dead += row.status == "dead"
        else:
            setattr(result, outcome.status, getattr(result, outcome.status) + 1)
    return result


def attempt(session: Session, client: ZrcClient, settings: dict, event: OutboxEvent) -> Outcome:
    """Try to register one event; a refusal or an unreachable ZRC is an outcome, not an exception."""
    try:
        return register(session, client, settings, event)
    except ZrcError as error:
        return Outcome("failed", note=str(error)[:300], permanent=error.permanent)
    except mapping.MappingError as error:
        return Outcome("failed", note=str(error)[:300], permanent=True)


def register(session: Session, client: ZrcClient, settings: dict, event: OutboxEvent) -> Outcome:
    """Make sure the event's Zaak exists, then set its Status or its Resultaat."""
    plan = mapping.registration(event.event_type, event.payload, settings)
    if isinstance(plan, mapping.Skip):
        return Outcome("skipped", note=plan.reason[:300])
    audit = f"Ons Plan {event.event_type} {event.idempotency_key}"
    zaak = ensure_zaak(session, client, plan, audit=audit)
    url = zaak.url
    if plan.status is not None:
        url = ensure_status(client, {"zaak": zaak.url, **plan.status}, audit=audit)
    if plan.verdict is not None:
        url = ensure_resultaat(session, client, settings, zaak, plan.verdict, audit=audit) or url
    return Outcome("registered", url=url)


def ensure_zaak(session: Session, client: ZrcClient, plan: mapping.Registration, *, audit: str) -> ZgwZaak:
    """The subject's Zaak: from our table, else the one the ZRC has with our identificatie, else a new one."""
    row = session.exec(select(ZgwZaak).where(ZgwZaak.subject_type == plan.subject_type,
                                             ZgwZaak.subject_id == plan.subject_id)).first()
    if row is not None:
        return row
    body = plan.zaak
    found = client.find("zaken", {key: body[key] for key in ("identificatie", "bronorganisatie") if body.get(key)})
    zaak = found[0] if found else client.create("zaken", body, audit=audit)
    row = ZgwZaak(subject_type=plan.subject_type, subject_id=plan.subject_id, identificatie=body["identificatie"],
                  url=zaak["url"])
    session.add(row)
    session.commit()  # at once: what follows may fail, and the retry must not make a second Zaak
    return row


def ensure_status(client: ZrcClient, body: dict, *, audit: str) -> str:
    """Set the Status unless an earlier attempt did (same statustype, moment and toelichting); return its URL."""
    for status in client.find("statussen", {key: body[key] for key in ("zaak", "statustype") if body.get(key)}):
        if (_same_moment(status.get("datumStatusGezet"), body.get("datumStatusGezet"))
                and status.get("statustoelichting", "") == body.get("statustoelichting", "")):
            return status["url"]
    return client.create("statussen", body, audit=audit)["url"]


def ensure_resultaat(session: Session, client: ZrcClient, settings: dict, zaak: ZgwZaak, verdict: tuple[str, str],
                     *, audit: str) -> str:
    """Add the goal's verdict to the plan's and bring the Zaak's one Resultaat in line with them."""
    goal_id, value = verdict
    verdicts = {**zaak.verdicts, goal_id: value}
    body = mapping.resultaat_request(settings, zaak.url, verdicts)
    wanted = {key: body.get(key) for key in ("resultaattype", "toelichting")} if body else {}
    url = zaak.resultaat_url
    if body and not (url and zaak.resultaat_sent == wanted):
        url = url or next((r["url"] for r in client.find("resultaten", {"zaak": zaak.url})), "")
        url = (client.update(url, body, audit=audit) if url else client.create("resultaten", body, audit=audit))["url"]
        zaak.resultaat_url, zaak.resultaat_sent = url, wanted
    zaak.verdicts, zaak.updated_at = verdicts, utcnow()  # (a new dict: the JSON column sees the change)
    session.add(zaak)
    return url


def _same_moment(value: str | None, wanted: str | None) -> bool:
    """The same moment to the second (a ZRC may write it with another offset or precision)."""
    try:
        moment, expected = datetime.fromisoformat(value or ""), datetime.fromisoformat(wanted or "")
    except ValueError:
        return False
    if moment.tzinfo is None or expected.tzinfo is None:  # a ZRC that answers without an offset: compare as given
        moment, expected = moment.replace(tzinfo=None), expected.replace(tzinfo=None)
    return abs((moment - expected).total_seconds()) < 1


def record(session: Session, event: OutboxEvent, outcome: Outcome, settings: dict) -> ZgwRegistration:
    """Write the attempt: registered or skipped, or wait (backoff) and try again, or dead after the last attempt."""
    row = session.get(ZgwRegistration, event.id) or ZgwRegistration(event_id=event.id)
    row.attempts += 1
    row.last_attempt_at = outcome.at
    if outcome.status in DONE:
        row.status, row.url, row.note, row.registered_at, row.next_attempt_at = (
            outcome.status, outcome.url, outcome.note, outcome.at, None)
    elif outcome.permanent or row.attempts >= settings["max_attempts"]:
        row.status, row.note, row.next_attempt_at = "dead", outcome.note, None
    else:
        wait = backoff_seconds(row.attempts, base=settings["backoff_base"], cap=settings["backoff_max"])
        row.status, row.note, row.next_attempt_at = "pending", outcome.note, outcome.at + timedelta(seconds=wait)
    session.add(row)
    return row


def retry(session: Session, *, event_id: int) -> ZgwRegistration | None:
    """Make a dead registration pending again, from attempt one; None when the event is not dead in the ZRC."""
    row = session.get(ZgwRegistration, event_id)
    if row is None or row.status != "dead":
        return None
    row.status, row.attempts, row.next_attempt_at = "pending", 0, None
    session.add(row)
    session.flush()
    return row


def counts(session: Session) -> dict[str, int]:
    """How many events are registered, skipped, pending (incl. never tried) and dead."""
    rows = dict(session.exec(select(ZgwRegistration.status, sa.func.count()).group_by(ZgwRegistration.status)).all())
    untried = session.exec(select(sa.func.count()).select_from(OutboxEvent)
                           .outerjoin(ZgwRegistration, ZgwRegistration.event_id == OutboxEvent.id)
                           .where(OutboxEvent.event_type.in_(mapping.EVENT_TYPES),
                                  ZgwRegistration.event_id.is_(None))).one()
    return {"registered": rows.get("registered", 0), "skipped": rows.get("skipped", 0),
            "pending": rows.get("pending", 0) + untried, "dead": rows.get("dead", 0)}
