"""The test factories make what they say, through the real services (so the app's rules hold for their data)."""

import pytest
from sqlmodel import SQLModel, select

import app.models  # noqa: F401  (every table)
from app import create_app
from app.catalog.models import Assignment
from app.extensions import db
from app.identity.models import Membership
from app.identity.policy import Role
from app.plans.context import plan_context
from tests import factories


@pytest.fixture(scope="module")
def app():
    flask_app = create_app({"ENV_NAME": "test", "DATABASE_URL": "sqlite://"})
    with flask_app.app_context():
        SQLModel.metadata.create_all(db.engine)
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


def test_a_family_with_members_of_given_ages_and_roles(app):
    with app.test_request_context(), db.new_session() as session:
        world = factories.family(session, youth_ages=[0, 14, 23], custody=[True, False], network=1)
        roles = {(m.person_id, m.role, m.has_custody) for m in session.exec(
            select(Membership).where(Membership.family_id == world.family.id)).all()}
        ctx = plan_context(session, person=world.youths[1], plan_id=world.plan.id)

    assert [youth.age for youth in world.youths] == [0, 14, 23]
    assert roles == {(world.parents[0].id, "parent", True), (world.parents[1].id, "parent", False),
                     *((youth.id, "youth", False) for youth in world.youths),
                     (world.network[0].id, "network", False), (world.professional.id, "professional", False)}
    assert ctx.actor.role is Role.YOUTH
    assert ctx.actor.age == 14


def test_a_goal_with_actions_assigned_to_a_provider(app):
    with app.test_request_context(), db.new_session() as session:
        world = factories.family(session, youth_ages=[9])
        goal, actions = factories.goal_with_actions(session, plan=world.plan, author=world.professional,
                                                    youth=world.youths[0], owners=[world.parents[0]])
        organisation, offer = factories.provider(session)
        assignment = factories.assign(session, plan=world.plan, goal=goal, offer=offer, chosen_by=world.parents[0],
                                      professional_person=world.professional)
        staff = factories.staff(session, organisation=organisation, role="provider_staff")
        ctx = plan_context(session, person=staff, plan_id=world.plan.id)
        stored = session.get(Assignment, assignment.id)

    assert [action.goal_id for action in actions] == [goal.id]
    assert actions[0].youth_id == world.youths[0].id  # a task is about its goal's young person
    assert stored.status == "assigned"
    assert stored.organisation_id == organisation.id
    assert ctx.actor.role is Role.PROVIDER_STAFF


@pytest.mark.parametrize("where", ["memory", "file"])
def test_an_empty_app_has_every_table_and_trigger_and_no_rows(app, tmp_path, where):
    def schema(flask_app):
        with flask_app.app_context(), db.engine.connect() as conn:
            return sorted(conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master").all())

    empty = factories.empty_app("sqlite://" if where == "memory" else f"sqlite:///{tmp_path / 'empty.db'}")
    assert schema(empty) == schema(app)  # as create_all makes them
    with empty.app_context(), db.new_session() as session:
        assert session.exec(select(Membership)).all() == []
        assert factories.person(session, age=9).age == 9
