"""Invitations: a link and a short code a professional gives a family member, or a manager gives new staff; single
use, 7 days."""

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlmodel import Session, select

from app.audit.services import AuditActor, record
from app.core.clock import age_on, today, utcnow
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.identity.models import (
    STAFF_ROLES,
    Invitation,
    InvitationState,
    LoginIdentity,
    Membership,
    Person,
    StaffMembership,
)
from app.identity.policy import Actor, Role
from app.identity.services import LANGUAGES, clean_name

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B: easy to read aloud
CODE_LENGTH = 8
VALID_FOR = timedelta(days=7)
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


@dataclass(frozen=True)
class NewInvitation:
    """A freshly made invitation with its secrets, shown once and mailed, never stored in clear."""

    invitation: Invitation
    code: str
    token: str


def _digest(value: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.encode(), "sha256").hexdigest()


def normalise_code(code: str) -> str:
    """Upper-case, drop spaces and dashes; the code is typed from a phone or read aloud."""
    return re.sub(r"[\s\-]", "", (code or "").upper())


def format_code(code: str) -> str:
    """Show a code in two groups of four: ABCD-EFGH."""
    return f"{code[:4]}-{code[4:]}"


def create_invitation(session: Session, *, actor: Actor, family_id: str, role: str, has_custody: bool,
                      given_name: str, family_name: str, birthdate: date | None, email: str | None,
                      language: str) -> NewInvitation:
    """Invite a person into the family with a role; only the family's professional may."""
    if actor.role is not Role.PROFESSIONAL:
        raise NotAllowed("only the professional invites")
    fields = _validated(role, has_custody, given_name, family_name, birthdate, email, language)
    made = _mint(session, family_id=family_id, invited_by_id=actor.person_id, **fields)
    record(session, event="invitation.create", action="create", actor=AuditActor(actor.person_id, actor.role),
           family_id=family_id, object_type="invitation", object_id=made.invitation.id, detail=role)
    return made


def create_staff_invitation(session: Session, *, invited_by_id: str | None, organisation_id: str, role: str,
                            given_name: str, family_name: str, email: str | None, language: str) -> NewInvitation:
    """Invite a person into an organisation as staff. The caller has checked who may and writes the audit entry,
    with the role it acted in (app/admin/services.py); `invited_by_id` None: `flask admin bootstrap`."""
    fields = _validated(role, False, given_name, family_name, None, email, language, roles=STAFF_ROLES)
    return _mint(session, organisation_id=organisation_id, invited_by_id=invited_by_id, **fields)


def _mint(session: Session, **fields) -> NewInvitation:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = Invitation(code_hash=_digest(code), token_hash=_digest(token), created_at=now,
                            expires_at=now + VALID_FOR, **fields)
    session.add(invitation)
    session.flush()
    return NewInvitation(invitation, format_code(code), token)


def _validated(role, has_custody, given_name, family_name, birthdate, email, language,
               roles: tuple[str, ...] = ("youth", "parent", "network")) -> dict:
    reasons = []
    if role not in roles:
        reasons.append(("role", _("Choose a role.")))
    name = clean_name(given_name)
    if not name:
        reasons.append(("given_name", _("Fill in the first name.")))
    elif len(name) > 100:
        reasons.append(("given_name", _("Use at most %(max)d characters.", max=100)))
    surname = clean_name(family_name)
    if len(surname) > 100:
        reasons.append(("family_name", _("Use at most %(max)d characters.", max=100)))
    if role == "youth":
        reasons.extend(_birthdate_problems(birthdate))
    email = (email or "").strip() or None
    if email and (len(email) > 254 or not EMAIL.match(email)):
        reasons.append(("email", _("This is not an e-mail address. Example: naam@voorbeeld.nl")))
    if language not in LANGUAGES:
        reasons.append(("language", _("Choose a language.")))
    if reasons:
        raise ValidationFailed(reasons)
    return {"role": role, "has_custody": bool(has_custody) and role == "parent", "given_name": name,
            "family_name": surname, "birthdate": birthdate if role == "youth" else None, "email": email,
            "language": language}


def _birthdate_problems(birthdate: date | None) -> list[tuple[str, str]]:
    if birthdate is None:
        return [("birthdate", _("Fill in the date of birth of the young person."))]
    if birthdate > today():
        return [("birthdate", _("The date of birth cannot be in the future."))]
    if birthdate.year < 1900 or age_on(birthdate, today()) > 23:
        return [("birthdate", _("Youth care is for young people up to 23. Check the date of birth."))]
    return []


def find_open_invitation(session: Session, *, code: str | None = None, token: str | None = None) -> Invitation:
    """Return the open invitation for a code or link token; the same message for every kind of miss."""
    wrong = ValidationFailed([("code", _("This code is not right or no longer valid. Check it, or ask your "
                                         "youth care professional for a new one."))])
    if code is not None:
        value = normalise_code(code)
        if len(value) != CODE_LENGTH or set(value) - set(CODE_ALPHABET):
            raise wrong
        digest, column = _digest(value), Invitation.code_hash
    elif token:
        digest, column = _digest(token[:100]), Invitation.token_hash
    else:
        raise wrong
    invitation = session.exec(select(Invitation).where(column == digest)).first()
    stored = invitation.code_hash if invitation and code is not None else (invitation.token_hash if invitation else "")
    if invitation is None or not hmac.compare_digest(stored, digest):
        raise wrong
    if invitation.state(utcnow()) is not InvitationState.OPEN:
        raise wrong
    return invitation


def invitation_to_revoke(session: Session, *, actor: Actor, family_id: str, invitation_id: str) -> Invitation | None:
    """The family's invitation the professional asks to withdraw, or None when it is no longer open."""
    if actor.role is not Role.PROFESSIONAL:
        raise NotAllowed("only the professional revokes")
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.family_id != family_id:
        raise NotFound(invitation_id)
    return invitation if invitation.state(utcnow()) is InvitationState.OPEN else None


def revoke_invitation(session: Session, *, actor: Actor, family_id: str, invitation_id: str) -> Invitation:
    """Withdraw an open invitation of this family."""
    if actor.role is not Role.PROFESSIONAL:
        raise NotAllowed("only the professional revokes")
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.family_id != family_id:
        raise NotFound(invitation_id)
    if invitation.state(utcnow()) is InvitationState.OPEN:
        invitation.revoked_at = utcnow()
        session.add(invitation)
        record(session, event="invitation.revoke", action="update", actor=AuditActor(actor.person_id, actor.role),
               family_id=family_id, object_type="invitation", object_id=invitation.id)
    return invitation


def list_invitations(session: Session, *, family_id: str) -> list[Invitation]:
    """Return the family's invitations, newest first."""
    return list(session.exec(select(Invitation).where(Invitation.family_id == family_id)
                             .order_by(Invitation.created_at.desc())).all())


def redeem_invitation(session: Session, *, invitation: Invitation, person: Person | None = None,
                      identity: dict | None = None) -> Person:
    """Accept an invitation: join the family (or the organisation) as the invited role, binding the first identity
    that redeems it.

    `person` is the signed-in person (they join with their existing account); otherwise a person is made from
    the invitation and, when `identity` (provider, issuer, subject) is given, linked to it.
    """
    if invitation.state(utcnow()) is not InvitationState.OPEN:
        raise ValidationFailed([("code", _("This invitation has already been used or is no longer valid."))])
    if person is None:
        person = Person(given_name=invitation.given_name, family_name=invitation.family_name,
                        birthdate=invitation.birthdate, email=invitation.email, language=invitation.language)
        session.add(person)
        session.flush()
    if identity is not None:
        session.add(LoginIdentity(person_id=person.id, last_login_at=utcnow(), **identity))
    if invitation.organisation_id is not None:
        return _join_staff(session, invitation, person)
    already = session.exec(select(Membership).where(Membership.family_id == invitation.family_id,
                                                    Membership.person_id == person.id)).first()
    if already is None:
        if invitation.role == "youth" and person.birthdate is None:
            person.birthdate = invitation.birthdate
        session.add(Membership(family_id=invitation.family_id, person_id=person.id, role=invitation.role,
                               has_custody=invitation.has_custody))
    _mark_redeemed(session, invitation, person)
    record(session, event="invitation.redeem", action="update", actor=AuditActor(person.id, invitation.role),
           family_id=invitation.family_id, youth_id=person.id if invitation.role == "youth" else None,
           object_type="invitation", object_id=invitation.id)
    return person


def _join_staff(session: Session, invitation: Invitation, person: Person) -> Person:
    already = session.exec(select(StaffMembership).where(StaffMembership.organisation_id == invitation.organisation_id,
                                                         StaffMembership.person_id == person.id,
                                                         StaffMembership.role == invitation.role)).first()
    if already is None:
        session.add(StaffMembership(organisation_id=invitation.organisation_id, person_id=person.id,
                                    role=invitation.role))
    _mark_redeemed(session, invitation, person)
    record(session, event="staff.join", action="update", actor=AuditActor(person.id, invitation.role),
           object_type="invitation", object_id=invitation.id,
           detail=f"{invitation.role} in {invitation.organisation_id}")
    return person


def _mark_redeemed(session: Session, invitation: Invitation, person: Person) -> None:
    invitation.redeemed_at = utcnow()
    invitation.redeemed_by_id = person.id
    session.add(invitation)
    session.flush()
