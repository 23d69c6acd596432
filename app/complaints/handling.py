"""The handler's side: the queue with deadlines, assigning, status, extension, judgement, closing and the
provider's reaction.

Handlers are the staff of the part's organisation in the role that handles complaints there (provider staff for a
provider, municipality staff for the municipality), never the person complained about (Jeugdwet 4.2.1 lid 2b).
When the complainant named nobody, the one staff member who gives the family's help there (`involved_id`) is left
out too, as long as a colleague can handle it (docs/decisions.md).
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from app.complaints import deadlines, mails
from app.complaints.models import Complaint, ComplaintPart
from app.complaints.services import Late, add_event, excluded, lateness, log, municipality_target
from app.complaints.vocab import DONE_DECIDING, OUTCOMES
from app.core.clock import today, utcnow
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.identity.models import Family, Person, StaffMembership

HANDLER_ROLES = {"provider": ("provider_staff",), "professional": ("municipality_staff",),
                 "municipality": ("municipality_staff",), "app": ("municipality_staff",)}
HANDLER_STAFF = ("provider_staff", "municipality_staff")
MAX_NOTE = 200


def handler_organisations(session: Session, person: Person) -> dict[str, str]:
    """The organisations where this person may handle complaints, with their role there."""
    rows = session.exec(select(StaffMembership).where(StaffMembership.person_id == person.id,
                                                      StaffMembership.role.in_(HANDLER_STAFF))).all()
    return {row.organisation_id: row.role for row in rows}


def _handler_ids(session: Session, organisation_ids: list[str]) -> dict[tuple[str, str], set[str]]:
    """Per (organisation, role): the staff who may handle complaints there."""
    rows = session.exec(select(StaffMembership).where(StaffMembership.organisation_id.in_(organisation_ids),
                                                      StaffMembership.role.in_(HANDLER_STAFF))).all()
    found: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        found.setdefault((row.organisation_id, row.role), set()).add(row.person_id)
    return found


def may_handle(roles: dict[str, str], person_id: str, part: ComplaintPart,
               handlers: dict[tuple[str, str], set[str]]) -> bool:
    """Staff of the part's organisation in the handling role, and not excluded from this part."""
    role = roles.get(part.organisation_id)
    return (role in HANDLER_ROLES[part.subject]
            and person_id not in excluded(part, handlers.get((part.organisation_id, role), set())))


@dataclass
class QueueLine:
    """One part in the queue: its number, subject, status and deadlines (no names, no text)."""

    part: ComplaintPart
    number: str
    late: Late


def _needs_work(part: ComplaintPart) -> bool:
    return part.status != "closed" or (part.reaction_by is not None and part.reaction_on is None)


def queue(session: Session, *, person: Person) -> list[QueueLine]:
    """The parts this person may handle, those with work first by deadline; seeing them is logged per complaint."""
    roles = handler_organisations(session, person)
    if not roles:
        raise NotAllowed("complaints")
    rows = session.exec(select(ComplaintPart, Complaint).join(Complaint)
                        .where(ComplaintPart.organisation_id.in_(list(roles)))
                        .order_by(ComplaintPart.decide_by, ComplaintPart.id)).all()
    handlers = _handler_ids(session, list(roles))
    lines = []
    for part, complaint in sorted(rows, key=lambda row: not _needs_work(row[0])):
        if not may_handle(roles, person.id, part, handlers):
            continue
        lines.append(QueueLine(part, complaint.number, lateness(part)))
        log(session, complaint, person, "complaint.queue", "read", role=roles[part.organisation_id],
            object_id=part.id)
    return lines


def waiting_count(session: Session, *, person: Person) -> int:
    """How many parts in this person's queue still need work (a number on their work list; no complaint is read)."""
    roles = handler_organisations(session, person)
    if not roles:
        return 0
    parts = session.exec(select(ComplaintPart).where(ComplaintPart.organisation_id.in_(list(roles)))).all()
    handlers = _handler_ids(session, list(roles))
    return sum(1 for part in parts if _needs_work(part) and may_handle(roles, person.id, part, handlers))


@dataclass
class Handled:
    """A part as its handler sees it: with the complaint, and the colleagues who may take it over."""

    part: ComplaintPart
    complaint: Complaint
    role: str
    colleagues: list[Person]
    involved: bool = False  # the handler gives the family's help and nobody else can handle it


def handled_part(session: Session, *, person: Person, part_id: str, log_read: bool = True) -> Handled:
    """A part this person may handle, or NotFound (the same for one about them, or of another organisation)."""
    roles = handler_organisations(session, person)
    part = session.get(ComplaintPart, part_id) if part_id else None
    handlers = _handler_ids(session, [part.organisation_id]) if part is not None else {}
    if part is None or not may_handle(roles, person.id, part, handlers):
        raise NotFound(part_id or "part")
    complaint = session.get(Complaint, part.complaint_id)
    if log_read:
        log(session, complaint, person, "complaint.view", "read", role=roles[part.organisation_id],
            object_id=part.id)
    colleagues = session.exec(select(Person).join(StaffMembership, StaffMembership.person_id == Person.id).where(
        StaffMembership.organisation_id == part.organisation_id,
        StaffMembership.role.in_(HANDLER_ROLES[part.subject])).order_by(Person.given_name)).all()
    out = excluded(part, {c.id for c in colleagues})
    return Handled(part, complaint, roles[part.organisation_id], [c for c in colleagues if c.id not in out],
                   involved=part.involved_id == person.id)


def assign(session: Session, *, person: Person, handled: Handled, handler_id: str) -> ComplaintPart:
    """Give the part to a colleague (or yourself) who may handle it."""
    chosen = next((c for c in handled.colleagues if c.id == handler_id), None)
    if chosen is None:
        raise ValidationFailed([("handler_id", _("Choose a colleague who may handle this complaint."))])
    part = handled.part
    part.handler_id = chosen.id
    if part.status in ("received", "reopened", "forwarded"):
        part.status = "in_progress"
        add_event(session, part, "in_progress", person.id)
    add_event(session, part, "assigned", person.id)
    return _save(session, person, handled, "complaint.assign")


def set_status(session: Session, *, person: Person, handled: Handled, status: str, note: str = "") -> ComplaintPart:
    """Mark the part as being handled, or a conversation as planned (with its date and place as a note)."""
    part = handled.part
    if status not in ("in_progress", "meeting_planned") or part.status in DONE_DECIDING:
        raise ValidationFailed([("status", _("Choose one of the options."))])
    note = (note or "").strip()
    if status == "meeting_planned" and not note:
        raise ValidationFailed([("note", _("Write when and where the conversation is."))])
    part.status = status
    add_event(session, part, status, person.id, note[:MAX_NOTE])
    return _save(session, person, handled, "complaint.status", notify=status == "meeting_planned")


def extend(session: Session, *, person: Person, handled: Handled, kind: str, days: int | None,
           reason: str) -> ComplaintPart:
    """Extend the term (a reason, at most 4 weeks; once under the Awb and the Wkkgz) or, under the Awb, take the
    advisory committee's 10 weeks; the complainant is told."""
    part, reason = handled.part, (reason or "").strip()
    if part.status in DONE_DECIDING:
        raise ValidationFailed([("kind", _("The judgement is given: the deadline no longer changes."))])
    if len(reason) < 10:
        raise ValidationFailed([("reason", _("Explain the reason in a sentence: the complainant reads it."))])
    if kind == "committee":
        if part.regime != "awb" or part.has_committee:
            raise ValidationFailed([("kind", _("An advisory committee is only possible once, for a complaint "
                                               "about the municipality."))])
        part.has_committee = True
    elif kind == "extension":
        if part.extension_days and part.regime != "jeugdwet":
            raise ValidationFailed([("kind", _("The deadline can be extended only once. Ask the complainant "
                                               "for written consent to take longer."))])
        if not days or days < 1 or part.extension_days + days > deadlines.MAX_EXTENSION_DAYS:
            raise ValidationFailed([("days", _("An extension is at most 4 weeks (28 days) in total."))])
        part.extension_days += days
        part.extension_reason = reason[:1000]
    else:
        raise ValidationFailed([("kind", _("Choose one of the options."))])
    part.decide_by = deadlines.decide_by(part.term_started_on, part.regime, committee=part.has_committee,
                                         extension_days=part.extension_days, provider_weeks=part.term_weeks)
    add_event(session, part, "committee" if kind == "committee" else "extended", person.id, reason)
    return _save(session, person, handled, "complaint.extend", notify=True)


def judge(session: Session, *, person: Person, handled: Handled, outcome: str, judgement: str) -> ComplaintPart:
    """Record the written, reasoned judgement; under the Jeugdwet the provider's reaction is due a month later."""
    part, judgement = handled.part, (judgement or "").strip()
    problems = [] if outcome in OUTCOMES else [("outcome", _("Choose the judgement."))]
    if not judgement:
        problems.append(("judgement", _("Explain the judgement: the complainant reads the reasons.")))
    if part.status == "closed":
        problems.append(("outcome", _("The complaint is closed.")))
    if problems:
        raise ValidationFailed(problems)
    part.outcome, part.judgement, part.judged_on, part.status = outcome, judgement[:5000], today(), "judgement"
    part.reaction_by = deadlines.reaction_by(part.judged_on) if part.regime == "jeugdwet" else None
    add_event(session, part, "judgement", person.id, outcome)
    return _save(session, person, handled, "complaint.judge", notify=True)


def close(session: Session, *, person: Person, handled: Handled) -> ComplaintPart:
    """Close the part; only after a judgement. The complainant is then asked whether they are satisfied."""
    part = handled.part
    if not part.outcome or part.status != "judgement":
        raise ValidationFailed([("outcome", _("Record the judgement before you close the complaint."))])
    part.status, part.closed_on = "closed", today()
    add_event(session, part, "closed", person.id)
    return _save(session, person, handled, "complaint.close", notify=True)


def react(session: Session, *, person: Person, handled: Handled, reaction: str) -> ComplaintPart:
    """Record the provider's written reaction to the committee's judgement: which measures it takes, or why none
    (Jeugdwet 4.2.1 lid 5; due one month after the judgement). The complainant is told."""
    part, reaction = handled.part, (reaction or "").strip()
    if part.reaction_by is None or part.status not in DONE_DECIDING:
        raise ValidationFailed([("reaction", _("A reaction follows the complaints committee's judgement. Record "
                                               "the judgement first."))])
    if part.reaction_on is not None:
        raise ValidationFailed([("reaction", _("The reaction is recorded already."))])
    if len(reaction) < 10:
        raise ValidationFailed([("reaction", _("Write which measures your organisation takes, or why none: the "
                                               "complainant reads it."))])
    part.reaction, part.reaction_on = reaction[:5000], today()
    add_event(session, part, "reaction", person.id)
    return _save(session, person, handled, "complaint.react", notify=True)


def forward(session: Session, *, person: Person, handled: Handled, reason: str) -> ComplaintPart:
    """Pass a provider's part on to the municipality (it is about the municipality's decision or its
    professional); the municipality's term starts the day it receives it, and the complainant is told."""
    part, reason = handled.part, (reason or "").strip()
    if part.subject != "provider" or part.status in DONE_DECIDING:
        raise ValidationFailed([("reason", _("Only an open complaint about a care provider can be passed on to "
                                             "the municipality."))])
    if len(reason) < 10:
        raise ValidationFailed([("reason", _("Explain the reason in a sentence: the complainant reads it."))])
    target = municipality_target(session, session.get(Family, handled.complaint.family_id), "municipality", None)
    started = today()
    part.subject, part.organisation_id, part.regime = "municipality", target.organisation_id, "awb"
    part.handler_id, part.term_weeks, part.involved_id = None, None, None
    part.status, part.term_started_on, part.extension_days, part.extension_reason = "forwarded", started, 0, ""
    part.acknowledge_by, part.decide_by = deadlines.acknowledge_by(started), deadlines.decide_by(started, "awb")
    add_event(session, part, "forwarded", person.id, reason)
    return _save(session, person, handled, "complaint.forward", notify=True)


def _save(session: Session, person: Person, handled: Handled, event: str, notify: bool = False) -> ComplaintPart:
    handled.part.updated_at = utcnow()
    session.add(handled.part)
    session.flush()
    log(session, handled.complaint, person, event, "update", role=handled.role, object_id=handled.part.id)
    if notify:
        mails.send_after_commit(session, handled.complaint.id, "news")
    return handled.part
