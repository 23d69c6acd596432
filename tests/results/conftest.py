"""Results fixtures: the demo plan (SQLite and PostgreSQL) with Tom's goal whose help has ended, ready to judge."""

import pytest
from sqlmodel import select

from app.catalog.models import Assignment
from app.extensions import db
from app.identity.models import Person
from app.results.trajectory import trajectory
from tests.plans.conftest import PlanWorld, any_plan_app, plan_app  # noqa: F401


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


@pytest.fixture
def world(any_plan_app):  # noqa: F811
    return ResultWorld(any_plan_app)


@pytest.fixture
def sqlite_world(plan_app):  # noqa: F811
    return ResultWorld(plan_app)
