"""Fixtures for the plan: the demo family's plan with its content, and contexts per persona.

As in every package: a fixture whose name starts with `any_` runs its tests on SQLite and again on PostgreSQL, the
others on SQLite only. A test asks for `any_plan_app` when what it checks depends on the database (versions and
raced saves, the outbox's order, a rolled-back transaction, stored text and dates); see docs/decisions.md, "Which
tests run on PostgreSQL"."""

import pytest
from sqlmodel import select

from app.demo.services import demo_people
from app.extensions import db
from app.identity.models import Person
from app.plans.context import plan_context
from app.plans.models import Plan, PlanItem
from tests.conftest import database_url, family_id, make_app, sign_in


@pytest.fixture
def plan_app(tmp_path):
    """The app on SQLite with the demo plan filled in."""
    flask_app = make_app(f"sqlite:///{tmp_path / 'plan.db'}", with_plan=True, MAIL_DIR=str(tmp_path / "mail"))
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_plan_app(request, tmp_path):
    """The app with the demo plan, on SQLite and on PostgreSQL."""
    url = database_url(request, tmp_path, "plan")
    flask_app = make_app(url, with_plan=True, MAIL_DIR=str(tmp_path / "mail"))
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


class PlanWorld:
    """Helpers to reach the demo plan as one persona inside a request context."""

    def __init__(self, app):
        self.app = app
        with app.app_context():
            self.people = {key: p.id for key, p in demo_people(db.session).items()}
            self.plan_id = db.session.exec(select(Plan).where(Plan.family_id == family_id(app))).one().id

    def ctx(self, key: str):
        return plan_context(db.session, person=db.session.get(Person, self.people[key]), plan_id=self.plan_id)

    def item(self, kind: str, **where) -> PlanItem:
        statement = select(PlanItem).where(PlanItem.plan_id == self.plan_id, PlanItem.kind == kind,
                                           PlanItem.deleted_at.is_(None))
        for key, value in where.items():
            statement = statement.where(getattr(PlanItem, key) == value)
        return db.session.exec(statement.order_by(PlanItem.created_at)).first()


def signed_in_world(app, key: str):
    """The demo plan's world and a client signed in as this demo persona (through the demo sign-in form)."""
    world, client = PlanWorld(app), app.test_client()
    sign_in(client, key)
    return world, client
