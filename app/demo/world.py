"""The demo world's names, and the get-or-create steps that each module seeding it uses."""

from sqlmodel import Session, select

from app.core.clock import years_ago
from app.identity.models import Family, Membership, Municipality, Organisation, Person, StaffMembership
from app.plans.models import Plan

MUNICIPALITIES = {"0080": "Leeuwarden", "0090": "Smallingerland"}
ORGANISATIONS = {
    "team": ("Gebiedsteam Leeuwarden-Noord", "municipality"),
    "backoffice": ("Gemeente Leeuwarden, team jeugd", "municipality"),
    "provider": ("Kompas Jeugdhulp Fryslân", "provider"),
}
FAMILY_NAME = "De Boer-Hoekstra"


def municipality(session: Session, code: str, name: str) -> Municipality:
    """The municipality with this CBS code, made when missing."""
    found = session.exec(select(Municipality).where(Municipality.cbs_code == code)).first()
    if found is None:
        found = Municipality(cbs_code=code, name=name)
        session.add(found)
        session.flush()
    return found


def organisation(session: Session, name: str, kind: str, municipality: Municipality) -> Organisation:
    """The organisation with this name, made when missing."""
    found = session.exec(select(Organisation).where(Organisation.name == name)).first()
    if found is None:
        found = Organisation(name=name, kind=kind, municipality_id=municipality.id)
        session.add(found)
        session.flush()
    return found


def staff(session: Session, organisation: Organisation, person: Person, role: str) -> None:
    """Make the person staff of the organisation in this role, unless they are already."""
    found = session.exec(
        select(StaffMembership).where(StaffMembership.organisation_id == organisation.id,
                                      StaffMembership.person_id == person.id, StaffMembership.role == role)
    ).first()
    if found is None:
        session.add(StaffMembership(organisation_id=organisation.id, person_id=person.id, role=role))


def small_family(session: Session, mark: Person, municipality_id: int, surname: str, parent_name: str,
                 youth_name: str, age: int) -> tuple[Family, Plan, Person, Person]:
    """A family of one parent (with custody) and one youth, Mark as its professional, and its empty plan."""
    family = Family(name=f"Gezin {surname}", municipality_id=municipality_id)
    parent = Person(given_name=parent_name, family_name=surname, language="nl")
    youth = Person(given_name=youth_name, family_name=surname, language="nl", birthdate=years_ago(age, days_extra=90))
    session.add_all([family, parent, youth])
    session.flush()
    plan = Plan(family_id=family.id)
    session.add(plan)
    session.add_all([Membership(family_id=family.id, person_id=mark.id, role="professional"),
                     Membership(family_id=family.id, person_id=parent.id, role="parent", has_custody=True),
                     Membership(family_id=family.id, person_id=youth.id, role="youth")])
    session.flush()
    return family, plan, parent, youth
