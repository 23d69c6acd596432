"""What the home page reads."""

from dataclasses import dataclass, field

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.identity.models import Family, Membership, Person, StaffMembership
from app.plans.models import Plan


@dataclass(frozen=True)
class HomeOverview:
    """What a signed-in person's home page shows: their families and organisations."""

    person: Person
    memberships: list[Membership]
    staff_memberships: list[StaffMembership]
    plans: dict = field(default_factory=dict)  # family id -> Plan


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
