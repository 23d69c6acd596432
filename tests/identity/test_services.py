"""Identity rules, on SQLite and on PostgreSQL."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.core.errors import ValidationFailed
from app.extensions import db
from app.identity import services
from app.identity.models import Family, Membership, Person


def test_home_overview_lists_families_and_organisations(any_app):
    with any_app.app_context(), db.new_session() as session:
        mark = session.exec(select(Person).where(Person.demo_key == "mark")).one()
        overview = services.home_overview(session, person=mark)
        assert [m.family.name for m in overview.memberships] == ["De Boer-Hoekstra"]
        assert [m.role for m in overview.memberships] == ["professional"]
        assert [s.organisation.name for s in overview.staff_memberships] == ["Gebiedsteam Leeuwarden-Noord"]


def test_update_profile_cleans_the_name(any_app):
    with any_app.app_context(), db.new_session() as session:
        tom = session.exec(select(Person).where(Person.demo_key == "tom")).one()
        services.update_profile(session, person=tom, given_name=" Tôm\u0000\u200b  de\tGrutte ", language="fy")
        session.flush()
        assert tom.given_name == "Tôm de Grutte"
        assert tom.language == "fy"


def test_update_profile_refuses_empty_name_and_unknown_language(any_app):
    with any_app.test_request_context(), db.new_session() as session:
        tom = session.exec(select(Person).where(Person.demo_key == "tom")).one()
        with pytest.raises(ValidationFailed) as failed:
            services.update_profile(session, person=tom, given_name=" ", language="de")
        assert [field for field, _ in failed.value.reasons] == ["given_name", "language"]


def test_database_refuses_custody_for_a_non_parent(any_app):
    with any_app.app_context(), db.new_session() as session:
        family = session.exec(select(Family)).first()
        tom = session.exec(select(Person).where(Person.demo_key == "tom")).one()
        person = Person(given_name="Buurvrouw")
        session.add(person)
        session.flush()
        session.add(Membership(family_id=family.id, person_id=person.id, role="network", has_custody=True))
        with pytest.raises(sa.exc.IntegrityError):
            session.flush()
        session.rollback()
        session.add(Membership(family_id=family.id, person_id=tom.id, role="youth"))
        with pytest.raises(sa.exc.IntegrityError):  # one membership per family
            session.flush()
        session.rollback()


def test_database_refuses_unknown_language(any_app):
    with any_app.app_context(), db.new_session() as session:
        session.add(Person(given_name="X", language="de"))
        with pytest.raises(sa.exc.IntegrityError):
            session.flush()
        session.rollback()


def test_timestamps_come_back_in_utc(any_app):
    with any_app.app_context(), db.new_session() as session:
        person = session.exec(select(Person).where(Person.demo_key == "sanne")).one()
        session.expire_all()
        fresh = session.get(Person, person.id)
        assert fresh.created_at.utcoffset().total_seconds() == 0
