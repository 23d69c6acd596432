"""Identity rules; what the database itself guards (constraints, time zones) on SQLite and on PostgreSQL."""

import pytest
import sqlalchemy as sa

from app.core.errors import ValidationFailed
from app.extensions import db
from app.home.queries import home_overview
from app.identity import services
from app.identity.models import Membership, Person
from tests import factories


def test_home_overview_lists_families_and_organisations(bare_app):
    with bare_app.test_request_context(), db.new_session() as session:
        team = factories.organisation(session, name="Gebiedsteam Noord")
        professional = factories.professional(session, team=team)
        mine, _plan = factories.open_family(session, by=professional, name="Gezin Bouma")
        factories.family(session, youth_ages=[10])  # another professional's family
        overview = home_overview(session, person=professional)
        assert [m.family.id for m in overview.memberships] == [mine.id]
        assert [m.family.name for m in overview.memberships] == ["Gezin Bouma"]
        assert [m.role for m in overview.memberships] == ["professional"]
        assert [s.organisation.name for s in overview.staff_memberships] == ["Gebiedsteam Noord"]


def test_update_profile_cleans_the_name(any_bare_app):
    """On both databases: the cleaned name (Frysk, no NUL) is stored."""
    with any_bare_app.app_context(), db.new_session() as session:
        person = factories.person(session, given_name="Tom", age=14)
        services.update_profile(session, person=person, given_name=" Tôm\u0000\u200b  de\tGrutte ", language="fy")
        session.commit()
        session.expire_all()
        stored = session.get(Person, person.id)
        assert stored.given_name == "Tôm de Grutte"
        assert stored.language == "fy"


def test_update_profile_refuses_empty_name_and_unknown_language(bare_app):
    with bare_app.test_request_context(), db.new_session() as session:
        person = factories.person(session, given_name="Tom", age=14)
        with pytest.raises(ValidationFailed) as failed:
            services.update_profile(session, person=person, given_name=" ", language="de")
        assert [field for field, _ in failed.value.reasons] == ["given_name", "language"]


def test_database_refuses_custody_for_a_non_parent(any_bare_app):
    with any_bare_app.test_request_context(), db.new_session() as session:
        world = factories.family(session, youth_ages=[14])
        session.commit()
        family, youth = world.family, world.youths[0]
        person = Person(given_name="Buurvrouw")
        session.add(person)
        session.flush()
        session.add(Membership(family_id=family.id, person_id=person.id, role="network", has_custody=True))
        with pytest.raises(sa.exc.IntegrityError):
            session.flush()
        session.rollback()
        session.add(Membership(family_id=family.id, person_id=youth.id, role="youth"))
        with pytest.raises(sa.exc.IntegrityError):  # one membership per family
            session.flush()
        session.rollback()


def test_database_refuses_unknown_language(any_bare_app):
    with any_bare_app.app_context(), db.new_session() as session:
        session.add(Person(given_name="X", language="de"))
        with pytest.raises(sa.exc.IntegrityError):
            session.flush()
        session.rollback()


def test_timestamps_come_back_in_utc(any_bare_app):
    with any_bare_app.app_context(), db.new_session() as session:
        person = factories.person(session)
        session.commit()
        session.expire_all()
        fresh = session.get(Person, person.id)
        assert fresh.created_at.utcoffset().total_seconds() == 0
