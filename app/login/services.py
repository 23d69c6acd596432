"""Signing in with an OpenID Connect identity: a known (issuer, subject), or a first time with an invitation."""

from flask_babel import gettext as _
from sqlmodel import Session, select

from app.audit.services import AuditActor, record
from app.core.clock import utcnow
from app.core.errors import DomainError
from app.identity.models import Invitation, LoginIdentity, Person
from app.invitations.services import redeem_invitation


class UnknownIdentity(DomainError):
    """Nobody is linked to this identity and there is no invitation to accept."""

    def __init__(self) -> None:
        super().__init__(_("We do not know you yet. For your family plan you need an invitation from your youth "
                           "care professional. Do you work for the municipality or a care provider? Then ask your "
                           "functional manager for an invitation."))


def person_for_identity(session: Session, *, provider: str, issuer: str, subject: str,
                        invitation: Invitation | None = None) -> Person:
    """Find the person linked to this identity, or make them from the invitation they are accepting."""
    link = session.exec(select(LoginIdentity).where(LoginIdentity.issuer == issuer,
                                                    LoginIdentity.subject == subject)).first()
    if link is not None:
        person = session.get(Person, link.person_id)
        link.last_login_at = utcnow()
        session.add(link)
        if invitation is not None:
            redeem_invitation(session, invitation=invitation, person=person)
    elif invitation is not None:
        person = redeem_invitation(session, invitation=invitation,
                                   identity={"provider": provider, "issuer": issuer, "subject": subject})
    else:
        record(session, event="login", action="execute", actor=AuditActor(None), outcome="refused",
               detail=f"unknown identity at {provider}")
        raise UnknownIdentity()
    record(session, event="login", action="execute", actor=AuditActor(person.id), detail=provider)
    return person
