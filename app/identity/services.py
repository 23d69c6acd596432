"""Rules about people and their roles; callers pass the session and commit."""

import unicodedata

from flask_babel import gettext as _
from sqlmodel import Session, select

from app.core.errors import ValidationFailed
from app.identity.models import Person, RevokedSession

LANGUAGES = ("nl", "fy", "en")


def get_person(session: Session, person_id: str | None) -> Person | None:
    """Return the person with this id, or None."""
    if not person_id:
        return None
    return session.get(Person, person_id)


def signed_in_person(session: Session, person_id: str | None, sid: str, version: int | None) -> Person | None:
    """The person whose session this is, while it holds: not signed out elsewhere (this `sid` revoked) nor everywhere
    (an older session `version`). One query: it runs on every request and at each heartbeat of a live stream."""
    if not person_id:
        return None
    found = session.exec(select(Person, RevokedSession.sid).outerjoin(RevokedSession, RevokedSession.sid == sid)
                         .where(Person.id == person_id)).first()
    if found is None or found[1] is not None or found[0].session_version != version:
        return None
    return found[0]


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
