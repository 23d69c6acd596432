"""Families as professionals and members see them: creating one, its members and invitations."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from app.audit.services import AuditActor, record, record_refusal
from app.core.errors import NotAllowed, ValidationFailed
from app.identity.access import FamilyAccess, family_access, family_members
from app.identity.models import Family, Invitation, Membership, Person, StaffMembership
from app.identity.policy import Role, can_read_access_log
from app.identity.services import clean_name
from app.invitations.services import list_invitations
from app.plans.models import Plan

SEES_FAMILY_DETAILS = (Role.PROFESSIONAL, Role.PARENT)


@dataclass(frozen=True)
class FamilyPage:
    """What one person sees of a family."""

    access: FamilyAccess
    members: list[tuple[Membership, Person]]
    invitations: list[Invitation]
    shows_ages: bool
    shows_access_log: bool  # the "who viewed or changed our data" link, only for those who may open it
    plan_id: str | None = None  # the way from the family to its plan


def families_of(session: Session, *, person: Person) -> list[Family]:
    """Return the families a person is a member of (a professional's caseload), by name."""
    statement = (select(Family).join(Membership).where(Membership.person_id == person.id)
                 .order_by(Family.name))
    return list(session.exec(statement).all())


def create_family(session: Session, *, person: Person, name: str) -> Family:
    """Open a family and its plan; the professional who opens it becomes its professional."""
    staff = session.exec(select(StaffMembership).where(StaffMembership.person_id == person.id,
                                                       StaffMembership.role == "professional")).first()
    if staff is None or staff.organisation.municipality_id is None:
        raise NotAllowed("only a professional of a municipality opens a family")
    name = clean_name(name)
    if not name:
        raise ValidationFailed([("name", _("Fill in the family name."))])
    if len(name) > 200:
        raise ValidationFailed([("name", _("Use at most %(max)d characters.", max=200))])
    family = Family(name=name, municipality_id=staff.organisation.municipality_id)
    session.add(family)
    session.flush()
    session.add(Plan(family_id=family.id))
    session.add(Membership(family_id=family.id, person_id=person.id, role="professional"))
    session.flush()
    record(session, event="family.create", action="create", actor=AuditActor(person.id, "professional"),
           family_id=family.id, object_type="family", object_id=family.id)
    return family


def family_page(session: Session, *, person: Person | None, family_id: str) -> FamilyPage:
    """Return the family as this person may see it, and log the read."""
    access = family_access(session, person=person, family_id=family_id)
    actor = access.actor
    if actor.role is Role.PARENT and not actor.has_custody or actor.role in (Role.NETWORK, Role.PROVIDER_STAFF):
        members = [row for row in family_members(session, family_id)
                   if row[0].role == "professional" or row[1].id == actor.person_id]
    else:
        members = family_members(session, family_id)
    invitations = list_invitations(session, family_id=family_id) if actor.role is Role.PROFESSIONAL else []
    record(session, event="family.view", action="read", actor=AuditActor(actor.person_id, actor.role),
           family_id=family_id, object_type="family", object_id=family_id)
    shows_ages = actor.role is Role.PROFESSIONAL or (actor.role is Role.PARENT and actor.has_custody)
    plan_id = session.exec(select(Plan.id).where(Plan.family_id == family_id)).first()
    return FamilyPage(access, members, invitations, shows_ages, can_read_access_log(actor), plan_id)


def professional_access(session: Session, *, person: Person | None, family_id: str) -> FamilyAccess:
    """Return the access of the family's own professional, or raise NotAllowed for other members."""
    access = family_access(session, person=person, family_id=family_id)
    if access.actor.role is not Role.PROFESSIONAL:
        record_refusal(event="family.professional_only", actor=AuditActor(access.actor.person_id, access.actor.role),
                       family_id=family_id)
        raise NotAllowed(family_id)
    return access
