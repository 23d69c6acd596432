"""Small factories for tests: a family with members of given ages and roles, plan items, a provider with an offer,
an assignment. Plain functions that take the session first and return model objects; they write through the real
services where there is one (opening a family, inviting and joining, adding an item, choosing help), so the same
rules apply as in the app. Call them inside an app context (`app.test_request_context()`); the caller commits.

Unlike the demo seed they make only what a test asks for, so a test can make a fresh family per example; start
from `empty_app()` for a database that holds nothing else.
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import count
from typing import TypeVar

from flask import Flask
from sqlmodel import Session, select

from app.catalog import assignments
from app.catalog.models import Assignment, Location, Offer, Provider, ProviderContract
from app.core.clock import today, years_ago
from app.families.services import create_family
from app.identity.models import Family, Municipality, Organisation, Person, StaffMembership
from app.identity.policy import Actor, Role
from app.invitations.services import create_invitation, redeem_invitation
from app.plans import services
from app.plans.context import PlanContext, plan_context
from app.plans.models import Plan, PlanItem, PlanVisit
from tests.support.seeded import built_app, seeded_app

_numbers = count(1)
DAYS_PAST_BIRTHDAY = 40  # ages stay the same while a test runs, whatever the date


def _n() -> int:
    return next(_numbers)


def empty_app(database_url: str = "sqlite://", **config) -> Flask:
    """The app on a database with its tables and no rows (not even the demo family): the test makes what it checks.
    The tables are made once per process and database server and copied in (tests/support/seeded.py)."""
    return seeded_app(database_url, with_plan=False, overrides=config, demo=False)


World = TypeVar("World")


@contextmanager
def built_world(world_class: type[World], database_url: str = "sqlite://", **config) -> Iterator[World]:
    """A `world_class(app)` on a fresh copy of what it made on empty tables. The class makes its family with these
    factories once per process, database server and settings (tests/support/seeded.built_app); each test gets a
    copy of the database and of the world's plain values (ids, names), never database objects. The app's engine is
    closed afterwards."""

    def build(flask_app: Flask) -> dict:
        return {key: value for key, value in vars(world_class(flask_app)).items() if key != "app"}

    flask_app, state = built_app(database_url, build, name=f"{world_class.__module__}.{world_class.__qualname__}",
                                 overrides=config)
    world = world_class.__new__(world_class)
    vars(world).update(copy.deepcopy(state), app=flask_app)
    try:
        yield world
    finally:
        from app.extensions import db

        with flask_app.app_context():
            db.engine.dispose()


def municipality(session: Session, *, cbs_code: str = "0080", name: str = "Leeuwarden") -> Municipality:
    """Return the municipality with this CBS code, made if missing."""
    found = session.exec(select(Municipality).where(Municipality.cbs_code == cbs_code)).first()
    if found is None:
        found = Municipality(cbs_code=cbs_code, name=name)
        session.add(found)
        session.flush()
    return found


def organisation(session: Session, *, kind: str = "municipality", name: str | None = None,
                 municipality_id: int | None = None) -> Organisation:
    """Make a municipality team or a provider organisation."""
    if municipality_id is None:
        municipality_id = municipality(session).id
    found = Organisation(name=name or f"Organisatie {_n()}", kind=kind, municipality_id=municipality_id)
    session.add(found)
    session.flush()
    return found


def person(session: Session, *, given_name: str | None = None, age: int | None = None,
           language: str = "nl") -> Person:
    """Make a person (with a birth date when an age is given)."""
    made = Person(given_name=given_name or f"Persoon{_n()}", family_name="Test", language=language,
                  birthdate=years_ago(age, days_extra=DAYS_PAST_BIRTHDAY) if age is not None else None)
    session.add(made)
    session.flush()
    return made


def staff(session: Session, *, organisation: Organisation, role: str, given_name: str | None = None) -> Person:
    """Make a person who works in an organisation: professional, provider_staff, municipality_staff or editor."""
    made = person(session, given_name=given_name)
    session.add(StaffMembership(organisation_id=organisation.id, person_id=made.id, role=role))
    session.flush()
    return made


def professional(session: Session, *, team: Organisation | None = None, given_name: str | None = None) -> Person:
    """Make a jeugdprofessional of a municipality team (a new team when none is given)."""
    return staff(session, organisation=team or organisation(session), role="professional",
                 given_name=given_name or f"Prof{_n()}")


def open_family(session: Session, *, by: Person, name: str | None = None) -> tuple[Family, Plan]:
    """Open a family and its empty plan, as the professional does; they become its professional."""
    family = create_family(session, person=by, name=name or f"Gezin {_n()}")
    plan = session.exec(select(Plan).where(Plan.family_id == family.id)).one()
    return family, plan


def join(session: Session, *, family: Family, invited_by: Person, role: str, age: int | None = None,
         has_custody: bool = False, given_name: str | None = None, language: str = "nl") -> Person:
    """Invite someone into the family with a role and accept the invitation (youths need an age)."""
    birthdate = years_ago(age, days_extra=DAYS_PAST_BIRTHDAY) if age is not None else None
    invitation = create_invitation(
        session, actor=Actor(invited_by.id, Role.PROFESSIONAL), family_id=family.id, role=role,
        has_custody=has_custody, given_name=given_name or f"{role.capitalize()}{_n()}", family_name="Test",
        birthdate=birthdate, email=None, language=language)
    return redeem_invitation(session, invitation=invitation.invitation)


@dataclass
class FamilyWorld:
    """A family made by `family`: its plan and people by role."""

    family: Family
    plan: Plan
    professional: Person
    parents: list[Person] = field(default_factory=list)
    youths: list[Person] = field(default_factory=list)
    network: list[Person] = field(default_factory=list)

    @property
    def members(self) -> list[Person]:
        return [*self.parents, *self.youths, *self.network, self.professional]


def family(session: Session, *, youth_ages: list[int], custody: list[bool] = (True,), network: int = 0,
           professional_person: Person | None = None) -> FamilyWorld:
    """Make a family: one parent per entry of `custody` (with custody or not), a youth per age, network members."""
    prof = professional_person or professional(session)
    made, plan = open_family(session, by=prof)
    world = FamilyWorld(made, plan, prof)
    for has_custody in custody:
        world.parents.append(join(session, family=made, invited_by=prof, role="parent", has_custody=has_custody))
    for age in youth_ages:
        world.youths.append(join(session, family=made, invited_by=prof, role="youth", age=age))
    for _ in range(network):
        world.network.append(join(session, family=made, invited_by=prof, role="network"))
    return world


def context(session: Session, *, person: Person, plan: Plan) -> PlanContext:
    """The plan as this person reaches it (raises NotFound when they may not)."""
    return plan_context(session, person=person, plan_id=plan.id)


def item(session: Session, *, plan: Plan, author: Person, kind: str, text: str | None = None,
         typed_by: Person | None = None, **fields) -> PlanItem:
    """Add an item through the plan's own service (its permission and age rules apply); `typed_by` is the
    professional typing for the author at the kitchen table."""
    ctx = context(session, person=typed_by or author, plan=plan)
    speaker = services.speaker_for(ctx, author.id)
    values = {"text": text or f"{kind} {_n()}", **fields}
    if kind == "goal":
        values.setdefault("domain", "school")
    if kind == "evaluation":
        values.setdefault("due_date", today() + timedelta(days=30))
    return services.create_item(session, ctx=ctx, speaker=speaker, kind=kind, fields=values)


def goal_with_actions(session: Session, *, plan: Plan, author: Person, youth: Person | None = None,
                      owners: list[Person] = ()) -> tuple[PlanItem, list[PlanItem]]:
    """A goal (about `youth`, or the whole family) with one action per owner."""
    goal = item(session, plan=plan, author=author, kind="goal", youth_id=youth.id if youth else None,
                result="Het gaat beter")
    actions = [item(session, plan=plan, author=author, kind="action", owner_id=owner.id, goal_id=goal.id)
               for owner in owners]
    return goal, actions


def provider(session: Session, *, municipalities: list[Municipality] | None = None, age_min: int = 0,
             age_max: int = 23) -> tuple[Organisation, Offer]:
    """A provider organisation in the catalog with one offer, contracted by these municipalities."""
    number = _n()
    contracted = municipalities or [municipality(session)]
    org = organisation(session, kind="provider", name=f"Aanbieder {number}", municipality_id=contracted[0].id)
    found = Provider(external_id=f"test-p{number}-{org.id}", organisation_id=org.id, name=org.name,
                     agb_code=f"97{number % 1_000_000:06d}")
    session.add(found)
    session.flush()
    location = Location(provider_id=found.id, address=f"Tuinen {number}", postcode="8911 KD", city="Leeuwarden",
                        municipality_id=contracted[0].id, latitude=53.2, longitude=5.8)
    session.add(location)
    session.add_all(ProviderContract(provider_id=found.id, municipality_id=m.id) for m in contracted)
    session.flush()
    offer = Offer(external_id=f"test-o{number}-{org.id}", provider_id=found.id, location_id=location.id,
                  name=f"Hulp {number}", description_nl="Hulp thuis.", product_category="45", form="home",
                  age_min=age_min, age_max=age_max, waiting_weeks=2)
    session.add(offer)
    session.flush()
    return org, offer


def assign(session: Session, *, plan: Plan, goal: PlanItem, offer: Offer, chosen_by: Person,
           professional_person: Person, number: int | None = None, start: date | None = None) -> Assignment:
    """Help for a goal, chosen by a family member who may choose, confirmed by the professional and assigned by
    the municipality (so the provider's staff reach the goal) from `start` (default: the start asked for, a week
    from today; earlier for help that has already begun)."""
    assignments.choose_offer(session, ctx=context(session, person=chosen_by, plan=plan), goal_id=goal.id,
                             offer_id=offer.id)
    requested_start = today() + timedelta(days=7)
    requested = assignments.confirm(session, ctx=context(session, person=professional_person, plan=plan),
                                    goal_id=goal.id, requested_start=requested_start)
    start = start or requested_start
    return assignments.record_decision(session, reference=requested.reference, decision="assigned",
                                       number=number or 1_000_000 + _n(), start=start, end=start + timedelta(days=90))


def care(session: Session, *, assignment: Assignment, started_on: date, stopped_on: date | None = None,
         reason: str = "31") -> Assignment:
    """Say the provider's care started on a day (and stopped on another, with its JZ588 reason: 31 as planned)."""
    assignment.care_started_on, assignment.care_stopped_on = started_on, stopped_on
    assignment.stop_reason = reason if stopped_on else ""
    session.add(assignment)
    session.flush()
    return assignment


def visited(session: Session, *, person: Person, plan: Plan, at: datetime) -> PlanVisit:
    """Say the person last opened the plan at `at` (so "changes since your last visit" lists what came after)."""
    visit = session.get(PlanVisit, (person.id, plan.id)) or PlanVisit(person_id=person.id, plan_id=plan.id)
    visit.previous_at, visit.last_at = None, at
    session.add(visit)
    session.flush()
    return visit
