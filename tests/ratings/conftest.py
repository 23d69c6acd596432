"""Ratings fixtures: one made family whose help ended (`help_world`), for the rules of who rates and what; the demo
(Tom's ended help at Kompas, four rated families) for the figures that need five rated trajectories."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.catalog.models import Assignment, Provider
from app.core.clock import today
from app.demo.services import demo_people
from app.extensions import db
from app.identity.models import Person
from tests import factories
from tests.conftest import database_url
from tests.plans.conftest import any_plan_app, plan_app  # noqa: F401,F811  (the demo plan on both databases)


class HelpWorld:
    """A family made for the test (tests/factories.py) whose help for the goal about its 12-year-old ended
    yesterday, after the daily job invited the raters. `people` by what they are to that help:

    youth (12, the goal is about them), parent and other_parent (custody; parent reads Frysk), child (11) and
    sixteen (16): siblings who do not see the goal, parent_without_custody, network, professional, provider_staff
    (of the provider that gave the help), editor and municipality_staff (the municipality's redactie and back office).
    """

    rater = "parent"  # who rates in the tests unless they name someone else

    def __init__(self, app):
        from app.ratings.invitations import invite_due

        self.app = app
        with app.test_request_context(), db.new_session() as session:
            professional = factories.professional(session)
            family, plan = factories.open_family(session, by=professional)

            def join(role, **fields):
                return factories.join(session, family=family, invited_by=professional, role=role, **fields)

            people = {"parent": join("parent", has_custody=True, given_name="Sanne", language="fy"),
                      "other_parent": join("parent", has_custody=True, given_name="Erik"),
                      "parent_without_custody": join("parent", given_name="Pieter"),
                      "youth": join("youth", age=12, given_name="Tom"), "child": join("youth", age=11),
                      "sixteen": join("youth", age=16), "network": join("network"), "professional": professional}
            goal, _actions = factories.goal_with_actions(session, plan=plan, author=professional,
                                                         youth=people["youth"])
            organisation, offer = factories.provider(session)
            assignment = factories.assign(session, plan=plan, goal=goal, offer=offer, chosen_by=people["parent"],
                                          professional_person=professional, start=today() - timedelta(days=90))
            factories.care(session, assignment=assignment, started_on=today() - timedelta(days=60),
                           stopped_on=today() - timedelta(days=1))
            people["provider_staff"] = factories.staff(session, organisation=organisation, role="provider_staff")
            redactie = factories.organisation(session, municipality_id=family.municipality_id)
            people["editor"] = factories.staff(session, organisation=redactie, role="editor")
            people["municipality_staff"] = factories.staff(session, organisation=redactie, role="municipality_staff")
            invite_due(session)  # what the daily job does
            self.people = {key: person.id for key, person in people.items()}
            self.family_id, self.plan_id, self.goal_id = family.id, plan.id, goal.id
            self.help, self.offer, self.provider = assignment.id, offer.id, offer.provider_id

    def person(self, key: str) -> Person:
        return db.session.get(Person, self.people[key])


@pytest.fixture
def help_world(tmp_path):
    """The family whose help ended (made once per process, copied per test)."""
    with factories.built_world(HelpWorld, MAIL_DIR=str(tmp_path / "mail")) as made:
        yield made


@pytest.fixture(params=["sqlite", "postgresql"])
def any_help_world(request, tmp_path):
    """The same on SQLite and on PostgreSQL: for what the database itself guards."""
    with factories.built_world(HelpWorld, database_url(request, tmp_path, "help"),
                               MAIL_DIR=str(tmp_path / "mail")) as made:
        yield made


class RatingWorld:
    """Ids of the demo and a few helpers, used inside a request context."""

    def __init__(self, app):
        self.app = app
        with app.test_request_context(), db.new_session() as session:
            from app.ratings.invitations import invite_due

            invite_due(session)  # what `flask demo seed` and the daily job do
        with app.app_context():
            self.people = {key: p.id for key, p in demo_people(db.session).items()}
            self.kompas = db.session.exec(select(Provider).where(Provider.external_id == "demo-p000")).one().id
            tom = db.session.exec(select(Assignment).join(Provider, Provider.organisation_id ==
                                                          Assignment.organisation_id)
                                  .where(Provider.id == self.kompas, Assignment.family_id == self.family_of("tom"))
                                  ).one()
            self.tom_help, self.offer = tom.id, tom.offer_id
            self.help, self.rater = self.tom_help, "sanne"  # what the tests rate, and who, unless they say

    def family_of(self, key: str) -> str:
        from app.identity.models import Membership

        return db.session.exec(select(Membership.family_id).where(Membership.person_id == self.people[key])).first()

    def person(self, key: str) -> Person:
        return db.session.get(Person, self.people[key])


GOOD = {"overall": "8", "heard": "9", "decided": "7", "reachable": "6", "result": "8",
        "professional_score": "9", "text": "De begelieder harke goed nei ús. Tige tank!"}


@pytest.fixture
def world(any_plan_app):  # noqa: F811
    return RatingWorld(any_plan_app)


@pytest.fixture
def sqlite_world(plan_app):  # noqa: F811
    return RatingWorld(plan_app)


@pytest.fixture
def postgres_world(postgres, tmp_path):
    """The demo on PostgreSQL only: for races that need two real concurrent transactions."""
    import uuid

    from tests.conftest import make_app

    url = postgres.create_database(f"r_{uuid.uuid4().hex[:12]}")
    flask_app = make_app(url, with_plan=True, MAIL_DIR=str(tmp_path / "mail"))
    yield RatingWorld(flask_app)
    with flask_app.app_context():
        db.engine.dispose()
