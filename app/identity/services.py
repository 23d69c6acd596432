"""Rules about people and their roles; callers pass the session and commit."""

import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.core.errors import ValidationFailed
from app.identity.models import Family, Membership, Person, RevokedSession, StaffMembership
from app.plans.models import Plan

LANGUAGES = ("nl", "fy", "en")


@dataclass(frozen=True)
class HomeOverview:
    """What a signed-in person's home page shows: their families and organisations."""

    person: Person
    memberships: list[Membership]
    staff_memberships: list[StaffMembership]
    plans: dict = field(default_factory=dict)  # family id -> Plan


def get_person(session: Session, person_id: str | None) -> Person | None:
    """Return the person with this id, or None."""
    if not person_id:
        return None
    return session.get(Person, person_id)


def person_and_revocation(session: Session, person_id: str | None, sid: str) -> tuple[Person | None, bool]:
    """The signed-in person and whether their session was signed out elsewhere, in one query (every request)."""
    if not person_id:
        return None, False
    found = session.exec(select(Person, RevokedSession.sid).outerjoin(RevokedSession, RevokedSession.sid == sid)
                         .where(Person.id == person_id)).first()
    return (found[0], found[1] is not None) if found else (None, False)


def home_overview(session: Session, *, person: Person) -> HomeOverview:
    """Collect the families and organisations a person belongs to, in a fixed order."""
    memberships = session.exec(
        select(Membership)
        .where(Membership.person_id == person.id)
        .options(selectinload(Membership.family))
        .join(Family)
        .order_by(Family.name)
    ).all()
    staff = session.exec(
        select(StaffMembership)
        .where(StaffMembership.person_id == person.id)
        .options(selectinload(StaffMembership.organisation))
    ).all()
    family_ids = [m.family_id for m in memberships]
    found = session.exec(select(Plan).where(Plan.family_id.in_(family_ids))).all() if family_ids else []
    plans = {plan.family_id: plan for plan in found}
    return HomeOverview(person=person, memberships=list(memberships), staff_memberships=list(staff), plans=plans)


def update_profile(session: Session, *, person: Person, given_name: str, language: str) -> Person:
    """Change the name others see and the person's language; the name is cleaned, never rejected for its script."""
    name = clean_name(given_name)
    reasons = []
    if not name:
        reasons.append(("given_name", _("Fill in your name.")))
    elif len(name) > 100:
        reasons.append(("given_name", _("Use at most %(max)d characters.", max=100)))
    if language not in LANGUAGES:
        reasons.append(("language", _("Choose a language.")))
    if reasons:
        raise ValidationFailed(reasons)
    person.given_name = name
    person.language = language
    session.add(person)
    session.flush()
    return person


def clean_name(value: str) -> str:
    """Normalise to NFC, drop control characters and squeeze spaces (Frysk ô, â, û, ê and emoji stay)."""
    value = unicodedata.normalize("NFC", value or "")
    value = "".join(" " if ch.isspace() else ch for ch in value)
    value = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C" or ch == "\u200d")
    return " ".join(value.split())


def set_language(session: Session, *, person: Person, language: str) -> None:
    """Store the language a person wants for pages, e-mails and PDFs."""
    if language not in LANGUAGES:
        raise ValidationFailed([("lang", "unknown language")])
    person.language = language
    session.add(person)
    session.flush()


def end_all_sessions(session: Session, *, person: Person) -> None:
    """Make every existing session of this person invalid (they carry the old version number)."""
    person.session_version += 1
    session.add(person)
    session.flush()
