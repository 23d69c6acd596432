"""Ratings fixtures: the demo (Tom's ended help at Kompas, four rated families) on SQLite and PostgreSQL."""

import pytest
from sqlmodel import select

from app.catalog.models import Assignment, Provider
from app.demo.services import demo_people
from app.extensions import db
from app.identity.models import Person
from tests.plans.conftest import any_plan_app, plan_app  # noqa: F401,F811  (the demo plan on both databases)


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
