"""Consent follows the age rules; records are append-only and shown to the person.

Each test makes one family with youths on both sides of each age boundary (11 and 12, 15 and 16), two parents with
custody, one without, a network member and the professional.
"""

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.extensions import db
from app.identity.models import ConsentRecord
from tests import factories
from tests.conftest import csrf_token, sign_in_person


@dataclass
class Family:
    """The family's ids: `youth[age]`, the parents with custody, the one without, network and professional."""

    app: object
    id: str
    plan_id: str
    youth: dict[int, str]
    names: dict[str, str]
    parent: str
    other_parent: str
    parent_without_custody: str
    network: str
    professional: str


@pytest.fixture
def family(bare_app) -> Family:
    with bare_app.test_request_context(), db.new_session() as session:
        world = factories.family(session, youth_ages=[11, 12, 15, 16], custody=[True, True, False], network=1)
    return Family(bare_app, world.family.id, world.plan.id, {y.age: y.id for y in world.youths},
                  {p.id: p.given_name for p in world.members}, world.parents[0].id, world.parents[1].id,
                  world.parents[2].id, world.network[0].id, world.professional.id)


def as_(family: Family, person_id: str):
    client = family.app.test_client()
    sign_in_person(client, person_id)
    return client


def decide(client, family: Family, youth_id: str, **data):
    token = csrf_token(client, "/toestemming")
    form = {"csrf_token": token, **{f"c-{youth_id}-{k}": v for k, v in data.items()}}
    return client.post(f"/toestemming/{family.id}/{youth_id}", data=form)


def asked_about(client, family: Family) -> set[str]:
    """The youths whose help the consent page asks this person about (by the form each question posts to)."""
    html = client.get("/toestemming").get_data(as_text=True)
    return {youth for youth in family.youth.values() if f'action="/toestemming/{family.id}/{youth}"' in html}


def test_parent_with_custody_is_asked_for_children_under_16_only(family):
    client = as_(family, family.parent)
    html = client.get("/toestemming").get_data(as_text=True)
    for age in (11, 12, 15):
        assert f"Hulp voor {family.names[family.youth[age]]}</h3>" in html, age
    assert f"Hulp voor {family.names[family.youth[16]]}</h3>" not in html
    assert asked_about(client, family) == {family.youth[11], family.youth[12], family.youth[15]}
    assert asked_about(as_(family, family.parent_without_custody), family) == set()


def test_youths_of_12_to_15_are_asked_for_themselves_and_a_child_of_11_is_not_asked(family):
    for age in (12, 15):
        client = as_(family, family.youth[age])
        assert f"Hulp voor {family.names[family.youth[age]]}</h3>" in client.get("/toestemming").get_data(as_text=True)
        assert asked_about(client, family) == {family.youth[age]}, age
    client = as_(family, family.youth[11])
    html = client.get("/toestemming").get_data(as_text=True)
    assert "Hulp voor" not in html
    assert "Op dit moment is jouw toestemming niet nodig." in html


def test_youth_of_16_decides_alone(family):
    youth = as_(family, family.youth[16])
    assert f"Hulp voor {family.names[family.youth[16]]}</h3>" in youth.get("/toestemming").get_data(as_text=True)
    assert asked_about(youth, family) == {family.youth[16]}
    assert decide(youth, family, family.youth[16], decision="given").status_code == 303
    parent = as_(family, family.parent)
    assert decide(parent, family, family.youth[16], decision="given").status_code == 403
    assert decide(parent, family, family.youth[15], decision="given").status_code == 303  # under 16: they may


def test_refusing_needs_a_reason_and_keeps_what_was_typed(family):
    client = as_(family, family.other_parent)
    response = decide(client, family, family.youth[15], decision="refused", reason="   ")
    assert response.status_code == 422
    assert "Vertel kort waarom." in response.get_data(as_text=True)
    response = decide(client, family, family.youth[15], decision="refused",
                      reason="Eerst praten met Tom 🙂 <b>echt</b>")
    assert response.status_code == 303
    html = client.get("/toestemming").get_data(as_text=True)
    assert "Eerst praten met Tom 🙂 &lt;b&gt;echt&lt;/b&gt;" in html


def test_withdrawal_is_a_new_record_and_history_keeps_both(family):
    client = as_(family, family.youth[15])
    decide(client, family, family.youth[15], decision="given")
    decide(client, family, family.youth[15], decision="refused", reason="Ik wil eerst een ander gesprek")
    html = client.get("/toestemming").get_data(as_text=True)
    assert html.count("ja, akkoord") == 1
    assert html.count("toestemming ingetrokken") >= 1
    with family.app.app_context(), db.engine.connect() as conn, pytest.raises(sa.exc.DatabaseError):
        conn.execute(sa.text("DELETE FROM consent_record"))


def test_network_member_professional_parent_without_custody_and_children_cannot_consent(family):
    for who in (family.network, family.professional, family.parent_without_custody, family.youth[11],
                family.youth[15]):  # a youth of 15 consents for themselves, not for a sibling of 12
        client = as_(family, who)
        assert decide(client, family, family.youth[12], decision="given").status_code == 403, family.names[who]
    with family.app.app_context():
        assert db.session.exec(select(ConsentRecord)).all() == []


def test_youth_of_16_is_asked_once_what_parents_may_keep_seeing(family):
    client = as_(family, family.youth[16])
    home = client.get("/").get_data(as_text=True)
    assert "Je bent 16: jij beslist" in home
    page = client.get(f"/toestemming/zestien/{family.id}")
    assert page.status_code == 200
    token = csrf_token(client, f"/toestemming/zestien/{family.id}")
    response = client.post(f"/toestemming/zestien/{family.id}", data={"csrf_token": token})
    assert response.status_code == 303
    assert "Je bent 16: jij beslist" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/toestemming/zestien/{family.id}").status_code == 404  # asked once


def test_sharing_an_item_the_page_did_not_offer_saves_nothing_and_says_why(family):
    from app.identity.hooks import items_about
    from app.identity.models import Person
    from app.plans.models import Plan

    with family.app.test_request_context(), db.new_session() as session:
        plan, author = session.get(Plan, family.plan_id), session.get(Person, family.professional)
        factories.item(session, plan=plan, author=author, kind="goal", youth_id=family.youth[16])
        younger = factories.item(session, plan=plan, author=author, kind="goal", youth_id=family.youth[15])
        hers = items_about(session, family.youth[16])[0][0]
    client = as_(family, family.youth[16])
    token = csrf_token(client, f"/toestemming/zestien/{family.id}")
    response = client.post(f"/toestemming/zestien/{family.id}",
                           data={"csrf_token": token, "share": [hers, younger.id]})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Iets wat je koos staat niet meer in deze lijst." in page
    assert f'value="{hers}" id="share-{hers}" checked' in page  # her own choice is kept
    assert client.get(f"/toestemming/zestien/{family.id}").status_code == 200  # still to be answered


def test_younger_youths_and_parents_are_not_asked_the_sixteen_question(family):
    for who in (family.youth[15], family.youth[12], family.parent):
        client = as_(family, who)
        assert "Je bent 16: jij beslist" not in client.get("/").get_data(as_text=True)
        assert client.get(f"/toestemming/zestien/{family.id}").status_code == 404, family.names[who]


def test_saying_no_after_yes_is_recorded_as_a_withdrawal(family):
    client = as_(family, family.parent)
    decide(client, family, family.youth[11], decision="given")
    decide(client, family, family.youth[11], decision="refused", reason="We wachten tot na de zomer")
    html = client.get("/toestemming").get_data(as_text=True)
    assert "toestemming ingetrokken" in html
    with family.app.app_context():
        decisions = db.session.exec(select(ConsentRecord.decision).where(ConsentRecord.youth_id == family.youth[11])
                                    .order_by(ConsentRecord.id)).all()
    assert decisions == ["given", "withdrawn"]


def test_reading_the_consent_page_is_in_the_access_log(family):
    as_(family, family.parent).get("/toestemming")
    with family.app.app_context():
        entries = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "consent.view")).all()
    assert sorted(e.youth_id for e in entries) == sorted(family.youth[age] for age in (11, 12, 15))  # 16: alone
    assert {e.actor_id for e in entries} == {family.parent}
