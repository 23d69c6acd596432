"""Results fixtures: a family made for the test whose help for a goal has ended, ready to judge (`world`, on SQLite
and PostgreSQL; `sqlite_world`); the demo plan with Tom's ended help (`demo_world`) for what the demo itself shows."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.catalog.models import Assignment, Offer
from app.core.clock import today
from app.extensions import db
from app.identity.models import Person
from app.plans.models import Plan
from app.results.trajectory import trajectory
from tests import factories
from tests.conftest import database_url
from tests.plans.conftest import PlanWorld, any_plan_app  # noqa: F401  (the demo plan on both databases)


class JudgingWorld:
    """A family made with tests/factories.py whose help for the goal about its 14-year-old ended yesterday.

    `people` by what they are: youth (14, the goal is about them), parent (custody, reads Frysk) and other_parent
    (custody), parent_without_custody, child (11) and sixteen (16) (siblings), network, professional, provider_staff
    (of the provider that gave the help) and municipality_staff; `names` their first names.
    """

    NAMES = {"parent": "Anke", "other_parent": "Jelle", "parent_without_custody": "Durk", "youth": "Sietse",
             "child": "Wieke", "sixteen": "Hylke", "network": "Baukje", "professional": "Hiske",
             "provider_staff": "Geertje", "municipality_staff": "Rients"}

    def __init__(self, app):
        self.app = app
        with app.test_request_context(), db.new_session() as session:
            professional = factories.professional(session, given_name=self.NAMES["professional"])
            family, plan = factories.open_family(session, by=professional)

            def join(key, role, **fields):
                return factories.join(session, family=family, invited_by=professional, role=role,
                                      given_name=self.NAMES[key], **fields)

            people = {"parent": join("parent", "parent", has_custody=True, language="fy"),
                      "other_parent": join("other_parent", "parent", has_custody=True),
                      "parent_without_custody": join("parent_without_custody", "parent"),
                      "youth": join("youth", "youth", age=14), "child": join("child", "youth", age=11),
                      "sixteen": join("sixteen", "youth", age=16), "network": join("network", "network"),
                      "professional": professional}
            organisation, offer = factories.provider(session)
            people["provider_staff"] = factories.staff(session, organisation=organisation, role="provider_staff",
                                                       given_name=self.NAMES["provider_staff"])
            back_office = factories.organisation(session, municipality_id=family.municipality_id)
            people["municipality_staff"] = factories.staff(session, organisation=back_office,
                                                           role="municipality_staff",
                                                           given_name=self.NAMES["municipality_staff"])
        self.people = {key: person.id for key, person in people.items()}
        self.names = {person.id: person.given_name for person in people.values()}
        self.family_id, self.plan_id, self.offer_id = family.id, plan.id, offer.id
        self.goal_id, self.assignment_id = self.ended_help("youth")

    def ended_help(self, key: str, *, stopped_on=None, chosen_by: str = "parent") -> tuple[str, int]:
        """A goal about this youth whose help (from the world's provider) started 60 days ago and stopped yesterday
        (or on `stopped_on`), chosen by `chosen_by` (who must see the goal); return the goal's and the assignment's
        ids."""
        with self.app.test_request_context(), db.new_session() as session:
            plan, author = session.get(Plan, self.plan_id), session.get(Person, self.people["professional"])
            goal, _actions = factories.goal_with_actions(session, plan=plan, author=author,
                                                         youth=session.get(Person, self.people[key]))
            assignment = factories.assign(session, plan=plan, goal=goal, offer=session.get(Offer, self.offer_id),
                                          chosen_by=session.get(Person, self.people[chosen_by]),
                                          professional_person=author, start=today() - timedelta(days=90))
            factories.care(session, assignment=assignment, started_on=today() - timedelta(days=60),
                           stopped_on=stopped_on or today() - timedelta(days=1))
            return goal.id, assignment.id

    def t(self, key: str, goal_id: str | None = None):
        """The trajectory of the goal as this person reaches it."""
        return trajectory(db.session, person=db.session.get(Person, self.people[key]), goal_id=goal_id or self.goal_id)


class ResultWorld(PlanWorld):
    """The demo plan with the ended help for Tom's goal about switching homes."""

    def __init__(self, app):
        super().__init__(app)
        with app.app_context():
            ended = db.session.exec(select(Assignment).where(Assignment.plan_id == self.plan_id,
                                                             Assignment.care_stopped_on.is_not(None))).one()
            self.goal_id, self.assignment_id = ended.goal_id, ended.id

    def t(self, key: str, goal_id: str | None = None):
        """The trajectory of the goal as this persona reaches it."""
        return trajectory(db.session, person=db.session.get(Person, self.people[key]), goal_id=goal_id or self.goal_id)


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request, tmp_path):
    """The judging family on SQLite and, in a second run, on PostgreSQL (made once per process, copied per test)."""
    with factories.built_world(JudgingWorld, database_url(request, tmp_path, "judging"),
                               MAIL_DIR=str(tmp_path / "mail")) as made:
        yield made


@pytest.fixture
def sqlite_world(tmp_path):
    with factories.built_world(JudgingWorld, MAIL_DIR=str(tmp_path / "mail")) as made:
        yield made


@pytest.fixture
def demo_world(any_plan_app):  # noqa: F811
    return ResultWorld(any_plan_app)
