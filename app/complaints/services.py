"""Filing a complaint and the complainant's side: routing by regime, idempotent filing, messages, satisfaction.

Access: only the complainant sees their complaint (not their parents or other family members: a complaint is
confidential). Each read and change is logged in the complaint's own chain of the access log (`family_id` holds
the complaint id), so it never shows in the family's shared log.
"""

import re
import secrets
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, select

from app.audit.services import AuditActor, entries_between, record
from app.catalog.models import Assignment, Provider
from app.complaints import deadlines, mails
from app.complaints.events import emit_filed
from app.complaints.models import Complaint, ComplaintAttachment, ComplaintEvent, ComplaintMessage, ComplaintPart
from app.complaints.vocab import ACKNOWLEDGE_PENDING, DONE_DECIDING
from app.core.clock import today, utcnow
from app.core.errors import NotFound, ValidationFailed
from app.identity.models import Family, Membership, Organisation, Person, StaffMembership
from app.notifications import providers as provider_news

CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{8,40}")
MAX_TEXT = 5000
MAX_MESSAGE = 2000
FAMILY_ROLES = ("youth", "parent", "network")
_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O or 1/I/L: read out over the phone without mistakes


@dataclass
class FilingChoices:
    """What this family member can complain about: providers the family had, and people who worked with it."""

    family: Family
    membership: Membership
    providers: list[Provider] = field(default_factory=list)
    people: list[tuple[Person, str]] = field(default_factory=list)  # (person, organisation name)
    helpers: dict[str, set[str]] = field(default_factory=dict)  # organisation id: staff who recorded the care

    def term_weeks(self, provider: Provider | None = None) -> int:
        """The weeks until the answer: the provider's regulation or the Wkkgz; the municipality's without one."""
        if provider is None:
            return deadlines.term_weeks("awb")
        return deadlines.term_weeks(provider.complaint_regime, provider_weeks=provider.complaint_term_weeks)


def filing_choices(session: Session, *, person: Person) -> FilingChoices | None:
    """The person's family (as youth, parent or network) and its providers; None for someone without a family."""
    row = session.exec(select(Membership, Family).join(Family).where(
        Membership.person_id == person.id, Membership.role.in_(FAMILY_ROLES)).order_by(Membership.id)).first()
    if row is None:
        return None
    membership, family = row
    assignments = session.exec(select(Assignment).where(Assignment.family_id == family.id,
                                                        Assignment.status == "assigned")).all()
    org_ids = {a.organisation_id for a in assignments}
    providers = session.exec(select(Provider).where(Provider.organisation_id.in_(org_ids))
                             .order_by(Provider.name)).all() if org_ids else []
    helpers: dict[str, set[str]] = {}
    for a in assignments:
        helpers.setdefault(a.organisation_id, set()).update(
            pid for pid in (a.care_started_by_id, a.care_stopped_by_id) if pid)
    return FilingChoices(family, membership, list(providers), _people_who_helped(session, family.id, assignments),
                         helpers)


def _people_who_helped(session: Session, family_id: str, assignments: list[Assignment]) -> list[tuple[Person, str]]:
    """Provider staff who recorded the family's care, and the family's professionals: who a complaint may be about."""
    ids = {pid for a in assignments for pid in (a.care_started_by_id, a.care_stopped_by_id) if pid}
    ids |= set(session.exec(select(Membership.person_id).where(Membership.family_id == family_id,
                                                               Membership.role == "professional")).all())
    if not ids:
        return []
    rows = session.exec(select(Person, Organisation).join(StaffMembership, StaffMembership.person_id == Person.id)
                        .join(Organisation, Organisation.id == StaffMembership.organisation_id)
                        .where(Person.id.in_(ids), StaffMembership.role.in_(("provider_staff", "professional")))
                        .order_by(Person.given_name)).all()
    return list({person.id: (person, org.name) for person, org in rows}.values())


@dataclass(frozen=True)
class Target:
    """Where one part of a complaint goes: the organisation, its regime, and who it is about."""

    subject: str
    organisation_id: str
    regime: str
    provider_id: int | None = None
    complained_about_id: str | None = None
    term_weeks: int | None = None
    involved_id: str | None = None


def route(session: Session, *, choices: FilingChoices, about: list[str], about_person_id: str = "") -> list[Target]:
    """Each chosen subject's organisation and regime, or the reason it cannot go anywhere. A decision (beschikking)
    is objected to, not complained about: alone it is refused with the way to object; next to other subjects it
    is left out and the others are filed."""
    if not about:
        raise ValidationFailed([("about", _("Choose who or what your complaint is about."))])
    if all(choice == "decision" for choice in about):
        raise ValidationFailed([("about", _("Do you disagree with a decision of the municipality, such as the "
                                            "family plan? That is not a complaint but an objection (bezwaar). "
                                            "Read below how to object."))])
    helpers = {person.id for person, _org in choices.people}
    if about_person_id and about_person_id not in helpers:  # only someone the form offered
        raise ValidationFailed([("about_person", _("Choose someone from the list."))])
    about_person = about_person_id or None
    targets = []
    for choice in dict.fromkeys(c for c in about if c != "decision"):
        if choice.startswith("provider:"):
            targets.append(_provider_target(session, choices, choice.removeprefix("provider:"), about_person))
        elif choice in ("professional", "municipality", "app"):
            targets.append(municipality_target(session, choices.family, choice, about_person))
        else:
            raise ValidationFailed([("about", _("Choose who or what your complaint is about."))])
    return targets


def _provider_target(session: Session, choices: FilingChoices, provider_id: str, about_person: str | None) -> Target:
    provider = next((p for p in choices.providers if str(p.id) == provider_id), None)
    if provider is None:
        raise ValidationFailed([("about", _("You can only complain here about a care provider that helps or helped "
                                            "your family. For another provider, use its own complaint procedure."))])
    colleagues = set(session.exec(select(StaffMembership.person_id).where(
        StaffMembership.organisation_id == provider.organisation_id)).all())
    about_person = about_person if about_person in colleagues else None
    helpers = choices.helpers.get(provider.organisation_id, set()) & colleagues
    involved = next(iter(helpers)) if about_person is None and len(helpers) == 1 else None
    term = provider.complaint_term_weeks if provider.complaint_regime == "jeugdwet" else None
    return Target("provider", provider.organisation_id, provider.complaint_regime, provider.id, about_person,
                  term, involved)


def municipality_target(session: Session, family: Family, subject: str, about_person: str | None) -> Target:
    """The municipality handles complaints about itself, its professionals and its app (Awb title 9.1)."""
    organisation = session.exec(
        select(Organisation).join(StaffMembership, StaffMembership.organisation_id == Organisation.id)
        .where(Organisation.kind == "municipality", Organisation.municipality_id == family.municipality_id,
               StaffMembership.role == "municipality_staff").order_by(Organisation.name)).first()
    if organisation is None:
        raise ValidationFailed([("about", _("Your municipality cannot receive complaints in Ons Plan yet. Call the "
                                            "AKJ confidential adviser: 088-555 1000."))])
    about = None
    if subject == "professional":
        professionals = session.exec(select(Membership.person_id).where(
            Membership.family_id == family.id, Membership.role == "professional")).all()
        about = about_person if about_person in professionals else (professionals[0] if professionals else None)
    return Target(subject, organisation.id, "awb", None, about)


def file_complaint(session: Session, *, person: Person, about: list[str], text: str, wish: str = "",
                   about_person_id: str = "", shares_identity: bool = False, client_id: str = "") -> Complaint:
    """Store a complaint with one part per organisation; the same client id sent again returns the first one."""
    choices = filing_choices(session, person=person)
    if choices is None:
        raise NotFound("family")
    if not CLIENT_ID.fullmatch(client_id or ""):
        client_id = secrets.token_hex(16)
    if (earlier := _filed_with(session, person.id, client_id)) is not None:
        return earlier
    text, wish = (text or "").strip(), (wish or "").strip()
    problems = [] if text else [("text", _("Write what happened. A few sentences are enough."))]
    if len(text) > MAX_TEXT or len(wish) > MAX_TEXT:
        problems.append(("text", _("Please keep it under %(max)d characters.", max=MAX_TEXT)))
    try:
        targets = route(session, choices=choices, about=about, about_person_id=about_person_id)
    except ValidationFailed as failed:
        problems = failed.reasons + problems
    if problems:
        raise ValidationFailed(problems)
    complaint = Complaint(number=_new_number(), family_id=choices.family.id, complainant_id=person.id,
                          client_id=client_id, text=text, wish=wish, shares_identity=shares_identity,
                          language=person.language)
    try:
        with session.begin_nested():
            session.add(complaint)
            session.flush()
    except sa.exc.IntegrityError:  # the same client id sent twice at once: the other request stored it
        return _filed_with(session, person.id, client_id) or file_complaint(
            session, person=person, about=about, text=text, wish=wish, about_person_id=about_person_id,
            shares_identity=shares_identity, client_id=secrets.token_hex(16))
    parts = [_add_part(session, complaint, target, person.id) for target in targets]
    emit_filed(session, complaint, parts)
    for part in parts:
        _tell_handlers(session, complaint, part)
    log(session, complaint, person, "complaint.create", "create")
    mails.send_after_commit(session, complaint.id, "received")
    return complaint


def _filed_with(session: Session, person_id: str, client_id: str) -> Complaint | None:
    return session.exec(select(Complaint).where(Complaint.complainant_id == person_id,
                                                Complaint.client_id == client_id)).first()


def _new_number() -> str:
    return f"{today().year}-" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(6))


def _add_part(session: Session, complaint: Complaint, target: Target, actor_id: str) -> ComplaintPart:
    received = today()
    part = ComplaintPart(complaint_id=complaint.id, subject=target.subject, provider_id=target.provider_id,
                         organisation_id=target.organisation_id, regime=target.regime,
                         complained_about_id=target.complained_about_id, involved_id=target.involved_id,
                         term_weeks=target.term_weeks, received_on=received, term_started_on=received,
                         acknowledge_by=deadlines.acknowledge_by(received),
                         decide_by=deadlines.decide_by(received, target.regime, provider_weeks=target.term_weeks))
    session.add(part)
    session.flush()
    add_event(session, part, "received", actor_id)
    return part


def excluded(part: ComplaintPart, handler_ids: set[str]) -> set[str]:
    """Who may not handle the part: the person complained about, and the family's helper while a colleague can."""
    out = {part.complained_about_id} - {None}
    if part.involved_id and handler_ids - out - {part.involved_id}:
        out.add(part.involved_id)
    return out


def _tell_handlers(session: Session, complaint: Complaint, part: ComplaintPart) -> None:
    """Tell the provider's staff who may handle the part (not the person it is about) that it was filed."""
    if part.subject != "provider":
        return
    staff = set(session.exec(select(StaffMembership.person_id).where(
        StaffMembership.organisation_id == part.organisation_id, StaffMembership.role == "provider_staff")).all())
    provider_news.complaint_filed(session, family_id=complaint.family_id, organisation_id=part.organisation_id,
                                  part_id=part.id, person_ids=staff - excluded(part, staff))


def add_event(session: Session, part: ComplaintPart, kind: str, actor_id: str | None, note: str = "") -> None:
    """Add a step to the part's timeline."""
    session.add(ComplaintEvent(part_id=part.id, kind=kind, actor_id=actor_id, note=note[:1000]))
    session.flush()


def attachments_of(session: Session, complaint_id: str) -> list[ComplaintAttachment]:
    """The complaint's files, oldest first."""
    return list(session.exec(select(ComplaintAttachment).where(ComplaintAttachment.complaint_id == complaint_id)
                             .order_by(ComplaintAttachment.created_at)).all())


def log(session: Session, complaint: Complaint, person: Person, event: str, action: str, *, role: str = "",
        object_id: str = "", detail: str = "") -> None:
    """Record a read or change of this complaint in its own access-log chain."""
    record(session, event=event, action=action, actor=AuditActor(person.id, role or "complainant"),
           family_id=complaint.id, object_type="complaint", object_id=object_id or complaint.id, detail=detail)


# Deadlines as both sides see them


@dataclass(frozen=True)
class Late:
    """Which of a part's dates are missed: the start, the judgement, the provider's reaction."""

    acknowledge: bool
    decide: bool
    reaction: bool


def lateness(part: ComplaintPart, day: date | None = None) -> Late:
    """What is late on `day` (today): a start still owed after a reopen or forward counts too."""
    day = day or today()
    return Late(deadlines.is_overdue(part.acknowledge_by, day, done=part.status not in ACKNOWLEDGE_PENDING),
                deadlines.is_overdue(part.decide_by, day, done=part.status in DONE_DECIDING),
                deadlines.is_late(part.reaction_by, day, done_on=part.reaction_on))


def term_weeks(part: ComplaintPart) -> int:
    """The part's term in weeks, before any extension."""
    return deadlines.term_weeks(part.regime, committee=part.has_committee, provider_weeks=part.term_weeks)


# The complainant's view


@dataclass
class ComplaintView:
    """A complaint as its complainant sees it."""

    complaint: Complaint
    parts: list[ComplaintPart]
    events: dict[str, list[ComplaintEvent]]
    messages: dict[str, list[ComplaintMessage]]
    attachments: list
    organisations: dict[str, Organisation]
    providers: dict[int, Provider]
    names: dict[str, str]
    access: list  # who read or changed it (the complaint's own chain of the access log)
    late: dict[str, Late] = field(default_factory=dict)
    terms: dict[str, int] = field(default_factory=dict)  # weeks per part, before any extension


def own_complaint(session: Session, *, person: Person, complaint_id: str, log_read: bool = True) -> Complaint:
    """The person's own complaint, or NotFound (also for everyone else's)."""
    complaint = session.get(Complaint, complaint_id) if complaint_id else None
    if complaint is None or complaint.complainant_id != person.id:
        raise NotFound(complaint_id or "complaint")
    if log_read:
        log(session, complaint, person, "complaint.view", "read")
    return complaint


def my_complaints(session: Session, *, person: Person) -> list[Complaint]:
    """The person's own complaints, newest first (numbers and dates only: the list is not logged per complaint)."""
    return list(session.exec(select(Complaint).where(Complaint.complainant_id == person.id)
                             .order_by(Complaint.created_at.desc())).all())


def complaint_view(session: Session, complaint: Complaint, *, for_handler_part: str | None = None) -> ComplaintView:
    """Everything about a complaint in a few queries (a handler gets only their part's events and messages)."""
    parts = session.exec(select(ComplaintPart).where(ComplaintPart.complaint_id == complaint.id)
                         .order_by(ComplaintPart.id)).all()
    if for_handler_part:
        parts = [p for p in parts if p.id == for_handler_part]
    ids = [p.id for p in parts]
    events, messages = {pid: [] for pid in ids}, {pid: [] for pid in ids}
    for event in session.exec(select(ComplaintEvent).where(ComplaintEvent.part_id.in_(ids))
                              .order_by(ComplaintEvent.id)).all():
        events[event.part_id].append(event)
    for message in session.exec(select(ComplaintMessage).where(ComplaintMessage.part_id.in_(ids))
                                .order_by(ComplaintMessage.id)).all():
        messages[message.part_id].append(message)
    organisations = {o.id: o for o in session.exec(select(Organisation).where(
        Organisation.id.in_({p.organisation_id for p in parts})))}
    providers = {p.id: p for p in session.exec(select(Provider).where(
        Provider.id.in_({p.provider_id for p in parts if p.provider_id})))}
    person_ids = {complaint.complainant_id} | {m.author_id for ms in messages.values() for m in ms} | {
        p.handler_id for p in parts if p.handler_id} | {p.complained_about_id for p in parts if p.complained_about_id}
    names = {p.id: p.name for p in session.exec(select(Person).where(Person.id.in_(person_ids)))}
    access = [] if for_handler_part else entries_between(
        session, family_ids=[complaint.id], start=complaint.created_at.replace(year=2000), end=utcnow(), limit=100)
    return ComplaintView(complaint, list(parts), events, messages, attachments_of(session, complaint.id),
                         organisations, providers, names, access, {p.id: lateness(p) for p in parts},
                         {p.id: term_weeks(p) for p in parts})


def part_of(session: Session, complaint: Complaint, part_id: str) -> ComplaintPart:
    """One part of the complaint, or NotFound."""
    part = session.get(ComplaintPart, part_id) if part_id else None
    if part is None or part.complaint_id != complaint.id:
        raise NotFound(part_id or "part")
    return part


def add_message(session: Session, *, part: ComplaintPart, person: Person, text: str, from_handler: bool,
                complaint: Complaint) -> ComplaintMessage:
    """Add a message to a part's conversation (it is not e-mailed: the e-mail says only that there is news)."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed([("text", _("Write your message first."))])
    if len(text) > MAX_MESSAGE:
        raise ValidationFailed([("text", _("Please keep it under %(max)d characters.", max=MAX_MESSAGE))])
    message = ComplaintMessage(part_id=part.id, author_id=person.id, from_handler=from_handler, text=text)
    session.add(message)
    session.flush()
    log(session, complaint, person, "complaint.message", "create", role="handler" if from_handler else "",
        object_id=part.id)
    if from_handler:
        mails.send_after_commit(session, complaint.id, "news")
    return message


def answer_satisfaction(session: Session, *, person: Person, complaint: Complaint, part_id: str,
                        answer: str) -> ComplaintPart:
    """After closure: satisfied, or not (reopen the part, or see the next step outside)."""
    part = part_of(session, complaint, part_id)
    if part.satisfied is not None:
        raise ValidationFailed([("answer", _("You answered this already."))])
    if part.status != "closed":
        raise ValidationFailed([("answer", _("You can answer this once the complaint is closed."))])
    if answer not in ("yes", "reopen", "next"):
        raise ValidationFailed([("answer", _("Choose one of the options."))])
    part.satisfied, part.updated_at = answer == "yes", utcnow()
    add_event(session, part, "satisfied" if answer == "yes" else "not_satisfied", person.id)
    if answer == "reopen":
        _reopen(session, part, person.id)
    session.add(part)
    session.flush()
    log(session, complaint, person, "complaint.reopen" if answer == "reopen" else "complaint.satisfaction",
        "update", object_id=part.id)
    return part


def _reopen(session: Session, part: ComplaintPart, actor_id: str) -> None:
    """Start the part again with a fresh term; the earlier judgement stays in the timeline."""
    started = today()
    note = part.outcome
    part.status, part.satisfied, part.reopen_count = "reopened", None, part.reopen_count + 1
    part.outcome, part.judged_on, part.reaction_by, part.closed_on = "", None, None, None
    part.reaction_on, part.reaction = None, ""  # the earlier reaction stays in the timeline
    part.term_started_on, part.extension_days, part.extension_reason = started, 0, ""
    part.acknowledge_by = deadlines.acknowledge_by(started)
    part.decide_by = deadlines.decide_by(started, part.regime, committee=part.has_committee,
                                         provider_weeks=part.term_weeks)
    add_event(session, part, "reopened", actor_id, note)
