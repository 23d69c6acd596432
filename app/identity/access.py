"""Who a person is to a family: the policy's Actor, or NotFound (another family's ids answer 404)."""

from dataclasses import dataclass

from sqlmodel import Session, select

from app.audit.services import AuditActor, record_refusal
from app.core.errors import NotFound
from app.identity import hooks
from app.identity.models import Family, Membership, Person, StaffMembership
from app.identity.policy import Actor, Member, Role


@dataclass(frozen=True)
class FamilyAccess:
    """A family as one person may reach it."""

    family: Family
    actor: Actor
    membership: Membership | None


def provider_families(session: Session, organisation_id: str) -> set[str]:
    """Families with a goal assigned to this provider (the catalog's assignments answer, app.identity.hooks)."""
    return hooks.provider_family_ids(session, organisation_id)


def family_access(session: Session, *, person: Person | None, family_id: str,
                  members: list[tuple[Membership, Person]] | None = None) -> FamilyAccess:
    """Return the person's way into the family, or raise NotFound whether it exists or not.

    `members` are the family's memberships when the caller loaded them already (saves a query)."""
    if person is None:
        raise NotFound(family_id)
    family = session.get(Family, family_id)
    if family is None:
        raise NotFound(family_id)
    if members is not None:
        membership = next((m for m, p in members if p.id == person.id), None)
    else:
        membership = session.exec(
            select(Membership).where(Membership.family_id == family_id, Membership.person_id == person.id)
        ).first()
    if membership is not None:
        actor = Actor(person.id, Role(membership.role), has_custody=membership.has_custody, age=person.age)
        return FamilyAccess(family, actor, membership)
    staff_roles_ = session.exec(select(StaffMembership).where(StaffMembership.person_id == person.id)).all()
    for staff in staff_roles_:
        if staff.role == "provider_staff" and family_id in provider_families(session, staff.organisation_id):
            return FamilyAccess(family, Actor(person.id, Role.PROVIDER_STAFF, organisation_id=staff.organisation_id),
                                None)
    role = staff_roles_[0].role if staff_roles_ else "none"
    record_refusal(event="family.no_access", actor=AuditActor(person.id, role), family_id=family_id)
    raise NotFound(family_id)  # the same answer as for a family that does not exist


def family_members(session: Session, family_id: str) -> list[tuple[Membership, Person]]:
    """Return the family's memberships with their people, professionals last, then by name."""
    rows = session.exec(
        select(Membership, Person).join(Person).where(Membership.family_id == family_id)
        .order_by(Person.given_name)
    ).all()
    order = {"parent": 0, "youth": 1, "network": 2, "professional": 3}
    return sorted(rows, key=lambda row: order.get(row[0].role, 9))


def policy_members(rows: list[tuple[Membership, Person]]) -> list[Member]:
    """Turn memberships into the policy's Members (with today's ages)."""
    return [Member(person.id, Role(m.role), has_custody=m.has_custody, age=person.age) for m, person in rows]


def staff_roles(session: Session, person_id: str) -> list[StaffMembership]:
    """Return the person's roles in organisations."""
    return list(session.exec(select(StaffMembership).where(StaffMembership.person_id == person_id)).all())


def is_professional(session: Session, person: Person) -> bool:
    """True when the person works as a jeugdprofessional."""
    return any(s.role == "professional" for s in staff_roles(session, person.id))
