"""Consent records: who agreed to help for which youth, when, and withdrawals; append-only."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, or_, select

from app.audit.services import AuditActor, record
from app.core.errors import NotAllowed, ValidationFailed
from app.families.services import families_of
from app.identity.access import family_access, family_members, policy_members
from app.identity.hooks import items_about
from app.identity.models import ConsentRecord, Family, Person
from app.identity.policy import Youth, required_for_youth

DECISIONS = ("given", "refused", "withdrawn")


@dataclass(frozen=True)
class ConsentQuestion:
    """A consent this person is asked for: help for one youth of one family, with the latest decision."""

    family: Family
    youth: Person
    latest: ConsentRecord | None


def open_questions(session: Session, *, person: Person) -> list[ConsentQuestion]:
    """Return, per family and youth, the consents the age rules ask of this person today."""
    questions = []
    for family in families_of(session, person=person):
        rows = family_members(session, family.id)
        members = policy_members(rows)
        for membership, youth in rows:
            if membership.role != "youth" or youth.age is None:
                continue
            if person.id in required_for_youth(Youth(youth.id, youth.age), members):
                questions.append(ConsentQuestion(family, youth, _latest(session, person.id, family.id, youth.id)))
    return questions


def _latest(session: Session, person_id: str, family_id: str, youth_id: str) -> ConsentRecord | None:
    return session.exec(
        select(ConsentRecord).where(ConsentRecord.person_id == person_id, ConsentRecord.family_id == family_id,
                                    ConsentRecord.youth_id == youth_id, ConsentRecord.scope == "help")
        .order_by(ConsentRecord.created_at.desc(), ConsentRecord.id.desc())
    ).first()


def decide(session: Session, *, person: Person, family_id: str, youth_id: str, decision: str,
           reason: str = "") -> ConsentRecord:
    """Record a decision on help for a youth; only someone whose consent the age rules require may."""
    access = family_access(session, person=person, family_id=family_id)
    rows = family_members(session, family_id)
    youth = next((p for m, p in rows if p.id == youth_id and m.role == "youth"), None)
    if youth is None or youth.age is None:
        raise NotAllowed(youth_id)
    if person.id not in required_for_youth(Youth(youth.id, youth.age), policy_members(rows)):
        raise NotAllowed(youth_id)
    reason = " ".join((reason or "").split())
    if decision not in DECISIONS:
        raise ValidationFailed([("decision", _("Choose yes or no."))])
    if decision in ("refused", "withdrawn") and not reason:
        raise ValidationFailed([("reason", _("Tell us briefly why. Your professional reads this."))])
    if len(reason) > 2000:
        raise ValidationFailed([("reason", _("Use at most %(max)d characters.", max=2000))])
    latest = _latest(session, person.id, family_id, youth_id)
    if decision == "refused" and latest is not None and latest.decision == "given":
        decision = "withdrawn"  # saying no after yes withdraws the consent given before
    entry = ConsentRecord(person_id=person.id, family_id=family_id, youth_id=youth_id, scope="help",
                          decision=decision, reason=reason, recorded_by_id=person.id)
    session.add(entry)
    session.flush()
    record(session, event=f"consent.{decision}", action="create",
           actor=AuditActor(person.id, access.actor.role), family_id=family_id, youth_id=youth_id,
           object_type="consent", object_id=str(entry.id))
    return entry


def history(session: Session, *, person: Person) -> list[ConsentRecord]:
    """Return the decisions this person made and those about them, newest first."""
    return list(session.exec(
        select(ConsentRecord).where(or_(ConsentRecord.person_id == person.id, ConsentRecord.youth_id == person.id))
        .order_by(ConsentRecord.created_at.desc(), ConsentRecord.id.desc())
    ).all())


SIXTEEN_REVIEW = "sixteen_review"


def needs_sixteen_review(session: Session, *, person: Person) -> list[Family]:
    """Families in which this youth (16+) has not yet said which existing items parents may keep seeing."""
    if person.age is None or person.age < 16:
        return []
    pending = []
    for family in families_of(session, person=person):
        done = session.exec(select(ConsentRecord).where(
            ConsentRecord.person_id == person.id, ConsentRecord.family_id == family.id,
            ConsentRecord.scope == SIXTEEN_REVIEW)).first()
        rows = family_members(session, family.id)
        membership_is_youth = any(m.role == "youth" and p.id == person.id for m, p in rows)
        if done is None and membership_is_youth:
            pending.append(family)
    return pending


def record_sixteen_review(session: Session, *, person: Person, family_id: str, shared_item_ids: set[str]) -> None:
    """Store the youth's answer once: which existing items parents may keep seeing (the others become private)."""
    if family_id not in {f.id for f in needs_sixteen_review(session, person=person)}:
        raise NotAllowed(family_id)
    about = items_about(session, person.id)
    if not shared_item_ids <= {item_id for item_id, _title, _item in about}:  # only what the page offered
        raise ValidationFailed([("share", _("Something you chose is no longer in this list. Look at the list "
                                            "again and save your choice."))])
    for item_id, _title, item in about:
        decision = "given" if item_id in shared_item_ids else "refused"
        item.shared_with_parents = item_id in shared_item_ids
        session.add(item)
        session.add(ConsentRecord(person_id=person.id, family_id=family_id, youth_id=person.id,
                                  scope="share_with_parents", subject_id=item_id, decision=decision,
                                  recorded_by_id=person.id))
    session.add(ConsentRecord(person_id=person.id, family_id=family_id, youth_id=person.id, scope=SIXTEEN_REVIEW,
                              decision="given", recorded_by_id=person.id))
    session.flush()
    record(session, event="consent.sixteen_review", action="create", actor=AuditActor(person.id, "youth"),
           family_id=family_id, youth_id=person.id, object_type="consent")


def log_view(session: Session, *, person: Person, questions: list[ConsentQuestion]) -> None:
    """Record in each family's access log that this person read the consent questions about its youths."""
    for question in questions:
        record(session, event="consent.view", action="read", actor=AuditActor(person.id),
               family_id=question.family.id, youth_id=question.youth.id, object_type="consent")
