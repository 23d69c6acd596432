"""Create (or refresh) the demo family so the quick start shows real people."""

from sqlmodel import Session, select

from app.core.clock import years_ago
from app.core.errors import NotFound
from app.demo.catalog import seed_assignments, seed_catalog
from app.demo.personas import PERSONAS, Persona
from app.demo.plan_content import seed_caseload, seed_plan
from app.demo.provider_work import seed_provider_work
from app.demo.ratings import seed_ratings
from app.demo.results import seed_results
from app.demo.world import FAMILY_NAME, MUNICIPALITIES, ORGANISATIONS, municipality, organisation, staff
from app.identity.models import Family, Membership, Person
from app.notifications.services import actions_due
from app.plans.models import Plan


def seed_demo(session: Session, *, with_plan: bool = True) -> dict[str, Person]:
    """Create the demo family, its people and organisations; refresh birth dates so ages stay true."""
    municipalities = {code: municipality(session, code, name) for code, name in MUNICIPALITIES.items()}
    leeuwarden = municipalities["0080"]
    organisations = {key: organisation(session, name, kind, leeuwarden) for key, (name, kind) in
                     ORGANISATIONS.items()}
    family = session.exec(select(Family).where(Family.name == FAMILY_NAME)).first()
    if family is None:
        family = Family(name=FAMILY_NAME, municipality_id=leeuwarden.id)
        session.add(family)
        session.flush()
        session.add(Plan(family_id=family.id))
    people = {}
    for persona in PERSONAS:
        person = _person(session, persona)
        people[persona.key] = person
        if persona.role:
            _membership(session, family, person, persona)
        if persona.staff_role:
            staff(session, organisations[persona.organisation], person, persona.staff_role)
    # Jeroen is also the municipality's functional manager: he decides who works in Ons Plan (/beheer).
    staff(session, organisations["backoffice"], people["jeroen"], "functional_manager")
    session.flush()
    if with_plan:
        plan_id = session.exec(select(Plan.id).where(Plan.family_id == family.id)).one()
        seed_plan(session, people, plan_id)
        seed_caseload(session, people["mark"], leeuwarden.id)
        seed_catalog(session)
        seed_assignments(session, people, plan_id)
        seed_results(session, people, plan_id)
        seed_ratings(session, people)
        seed_provider_work(session, people)
        actions_due(session)  # today's reminders (the plan's changes already notified the family)
    return people


def demo_person(session: Session, key: str) -> Person:
    """Return the demo person with this persona key."""
    person = session.exec(select(Person).where(Person.demo_key == key)).first()
    if person is None:
        raise NotFound(key)
    return person


def demo_people(session: Session) -> dict[str, Person]:
    """Return the seeded demo people by persona key."""
    rows = session.exec(select(Person).where(Person.demo_key.is_not(None))).all()
    return {person.demo_key: person for person in rows}


def _person(session: Session, persona: Persona) -> Person:
    person = session.exec(select(Person).where(Person.demo_key == persona.key)).first()
    if person is None:
        person = Person(demo_key=persona.key, given_name=persona.given_name, family_name=persona.family_name,
                        language=persona.language, email=f"{persona.key}@demo.onsplan.invalid")
    if persona.age is not None and persona.role:
        person.birthdate = years_ago(persona.age, days_extra=persona.days_past_birthday)
    session.add(person)
    session.flush()
    return person


def _membership(session: Session, family: Family, person: Person, persona: Persona) -> None:
    found = session.exec(
        select(Membership).where(Membership.family_id == family.id, Membership.person_id == person.id)
    ).first()
    if found is None:
        session.add(Membership(family_id=family.id, person_id=person.id, role=persona.role,
                               has_custody=persona.has_custody))


