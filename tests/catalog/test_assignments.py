"""Choosing help for a goal: who may choose, the professional confirms, the request goes out, the answer comes in."""

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from app.catalog import assignments
from app.catalog.models import Assignment, Offer, ProviderContract
from app.core.clock import today
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.identity.hooks import assignment_organisations, plan_assignments, provider_family_ids
from app.identity.models import Family, Person
from app.identity.policy import can_view
from app.outbox.models import OutboxEvent
from app.plans.context import plan_context
from tests.catalog.conftest import fitting_offer
from tests.conftest import csrf_token, demo_id, family_id, sign_in
from tests.plans.conftest import PlanWorld


@pytest.fixture
def world(plan_app):
    """The demo plan on SQLite."""
    return PlanWorld(plan_app)


@pytest.fixture
def any_world(any_plan_app):
    """The demo plan on SQLite and on PostgreSQL (for the request that goes out through the outbox)."""
    return PlanWorld(any_plan_app)


def school_goal(world):
    return world.item("goal", domain="school")


def test_tom_chooses_help_for_his_goal_and_mark_confirms_it(any_world):
    app = any_world.app
    with app.test_request_context():
        goal, offer_id = school_goal(any_world), fitting_offer(app, age=14)
        chosen = assignments.choose_offer(db.session, ctx=any_world.ctx("tom"), goal_id=goal.id, offer_id=offer_id)
        assert (chosen.status, chosen.chosen_by_id, chosen.offer_id) == ("chosen", any_world.people["tom"], offer_id)
        requests = select(OutboxEvent).where(OutboxEvent.event_type == "assignment.requested")
        before = len(db.session.exec(requests).all())  # the demo's request for Noor's goal
        start = today() + timedelta(days=14)
        confirmed = assignments.confirm(db.session, ctx=any_world.ctx("mark"), goal_id=goal.id, requested_start=start)
        db.session.commit()
        assert (confirmed.status, confirmed.confirmed_by_id) == ("requested", any_world.people["mark"])
        events = db.session.exec(requests.order_by(OutboxEvent.id)).all()
        assert len(events) == before + 1
        event = events[-1]
        payload = event.payload
        assert payload["reference"] == confirmed.reference
        assert len(payload["reference"]) <= 36
        assert payload["goal_id"] == goal.id
        assert payload["requested_start"] == start.isoformat()
        assert payload["youth"] == {"reference": any_world.people["tom"], "age_band": "12-15"}
        assert payload["product"]["category"] == db.session.get(Offer, offer_id).product_category
        assert payload["referrer"] == {"type": "01"}
        text = json.dumps(payload, ensure_ascii=False)
        for person in db.session.exec(select(Person)).all():  # references only: no names, no birth dates
            assert person.name not in text
            assert not person.birthdate or person.birthdate.isoformat() not in text
        assert goal.text not in text


def test_choosing_again_replaces_the_choice_until_it_is_confirmed(world):
    app = world.app
    with app.test_request_context():
        goal = school_goal(world)
        first, second = fitting_offer(app, age=14), None
        family = db.session.get(Family, family_id(app))
        second = db.session.exec(select(Offer.id).join(ProviderContract, ProviderContract.provider_id ==
                                                       Offer.provider_id)
                                 .where(ProviderContract.municipality_id == family.municipality_id,
                                        Offer.age_min <= 14, Offer.age_max >= 14, Offer.id != first)
                                 .order_by(Offer.id)).first()
        one = assignments.choose_offer(db.session, ctx=world.ctx("tom"), goal_id=goal.id, offer_id=first)
        two = assignments.choose_offer(db.session, ctx=world.ctx("sanne"), goal_id=goal.id, offer_id=second)
        assert two.id == one.id
        assert two.offer_id == second
        assert two.chosen_by_id == world.people["sanne"]
        assignments.confirm(db.session, ctx=world.ctx("mark"), goal_id=goal.id, requested_start=None)
        with pytest.raises(ValidationFailed) as refused:
            assignments.choose_offer(db.session, ctx=world.ctx("tom"), goal_id=goal.id, offer_id=first)
        assert refused.value.reasons[0][0] == "offer"
        with pytest.raises(ValidationFailed):  # confirming twice: nothing is waiting any more
            assignments.confirm(db.session, ctx=world.ctx("mark"), goal_id=goal.id, requested_start=None)
        assert len(db.session.exec(select(Assignment).where(Assignment.goal_id == goal.id)).all()) == 1


def test_only_those_whose_consent_the_goal_needs_may_choose(world):
    app = world.app
    with app.test_request_context():
        school, offer_id = school_goal(world), fitting_offer(app, age=14)
        for key in ("noor", "lisa", "fenna"):  # Tom's goal is not theirs to see
            with pytest.raises(NotFound):
                assignments.choose_offer(db.session, ctx=world.ctx(key), goal_id=school.id, offer_id=offer_id)
        with pytest.raises(NotAllowed):  # the professional confirms; the family chooses
            assignments.choose_offer(db.session, ctx=world.ctx("mark"), goal_id=school.id, offer_id=offer_id)
        lisa_goal = world.item("goal", youth_id=world.people["lisa"])
        lisa_offer = fitting_offer(app, age=16)
        with pytest.raises(NotFound):  # Lisa (16) keeps this goal from her parents
            assignments.choose_offer(db.session, ctx=world.ctx("sanne"), goal_id=lisa_goal.id, offer_id=lisa_offer)
        assert assignments.choose_offer(db.session, ctx=world.ctx("lisa"), goal_id=lisa_goal.id,
                                        offer_id=lisa_offer).status == "chosen"
        noor_goal = world.item("goal", youth_id=world.people["noor"])
        noor_offer = fitting_offer(app, age=9)
        with pytest.raises(NotAllowed):  # under 12: heard, but the parents with custody decide
            assignments.choose_offer(db.session, ctx=world.ctx("noor"), goal_id=noor_goal.id, offer_id=noor_offer)
        assert assignments.may_choose(world.ctx("erik"), noor_goal)
        with pytest.raises(ValidationFailed):  # Erik chose for it in the demo, and it is assigned now
            assignments.choose_offer(db.session, ctx=world.ctx("erik"), goal_id=noor_goal.id, offer_id=noor_offer)


def test_an_uncontracted_provider_a_wrong_age_or_a_past_start_is_refused_with_a_reason(world):
    app = world.app
    with app.test_request_context():
        goal = school_goal(world)
        for offer_id in (fitting_offer(app, age=14, contracted=False), _offer_not_for(app, age=14)):
            with pytest.raises(ValidationFailed) as refused:
                assignments.choose_offer(db.session, ctx=world.ctx("tom"), goal_id=goal.id, offer_id=offer_id)
            assert refused.value.reasons[0][0] == "offer"
        with pytest.raises(NotFound):
            assignments.choose_offer(db.session, ctx=world.ctx("tom"), goal_id=goal.id, offer_id=987654)
        assignments.choose_offer(db.session, ctx=world.ctx("tom"), goal_id=goal.id, offer_id=fitting_offer(app, age=14))
        for start in (today() - timedelta(days=1), today() + timedelta(days=400)):
            with pytest.raises(ValidationFailed) as refused:
                assignments.confirm(db.session, ctx=world.ctx("mark"), goal_id=goal.id, requested_start=start)
            assert refused.value.reasons[0][0] == "requested_start"
        with pytest.raises(NotAllowed):
            assignments.confirm(db.session, ctx=world.ctx("sanne"), goal_id=goal.id, requested_start=None)


def _offer_not_for(app, *, age: int) -> int:
    family = db.session.get(Family, family_id(app))
    return db.session.exec(select(Offer.id).join(ProviderContract, ProviderContract.provider_id == Offer.provider_id)
                           .where(ProviderContract.municipality_id == family.municipality_id,
                                  Offer.age_max < age).order_by(Offer.id)).first()


def organisations_of(plan_id: str) -> dict[str, set[str]]:
    return assignment_organisations(plan_assignments(db.session, plan_id))


def test_once_assigned_the_providers_staff_see_that_goal_and_nothing_else(world):
    app = world.app
    karin = demo_id(app, "karin")
    with app.test_request_context():
        goal = school_goal(world)
        offer_id = fitting_offer(app, age=14, organisation_of=karin)
        assignments.choose_offer(db.session, ctx=world.ctx("tom"), goal_id=goal.id, offer_id=offer_id)
        request = assignments.confirm(db.session, ctx=world.ctx("mark"), goal_id=goal.id, requested_start=None)
        organisation = request.organisation_id
        # a request is not an assignment (the demo's ended help for Tom's other goal is, so the family is known)
        assert goal.id not in organisations_of(world.plan_id)
        assignments.record_decision(db.session, reference=request.reference, decision="examining")
        assert goal.id not in organisations_of(world.plan_id)
        assigned = assignments.record_decision(db.session, reference=request.reference, decision="assigned",
                                               number=123456789, start=today(), end=today() + timedelta(days=180))
        db.session.commit()
        assert (assigned.status, assigned.assignment_number) == ("assigned", 123456789)
        assert family_id(app) in provider_family_ids(db.session, organisation)
        assert organisations_of(world.plan_id)[goal.id] == {organisation}
        ctx = plan_context(db.session, person=db.session.get(Person, karin), plan_id=world.plan_id)
        assert can_view(ctx.actor, ctx.policy_item(goal))
        other_goal = world.item("goal", youth_id=world.people["noor"])
        assert not can_view(ctx.actor, ctx.policy_item(other_goal))


def test_the_municipalitys_answer_is_checked(world):
    app = world.app
    with app.test_request_context():
        goal = school_goal(world)
        assignments.choose_offer(db.session, ctx=world.ctx("tom"), goal_id=goal.id, offer_id=fitting_offer(app, age=14))
        reference = assignments.confirm(db.session, ctx=world.ctx("mark"), goal_id=goal.id,
                                        requested_start=None).reference
        bad = [dict(decision="assigned", number=None, start=today()), dict(decision="assigned", number=10**9,
                                                                             start=today()),
               dict(decision="assigned", number=5, start=None), dict(decision="assigned", number=5, start=today(),
                                                                   end=today() - timedelta(days=1)),
               dict(decision="refused", reason="0"), dict(decision="maybe")]
        for answer in bad:
            with pytest.raises(ValidationFailed):
                assignments.record_decision(db.session, reference=reference, **answer)
        with pytest.raises(NotFound):
            assignments.record_decision(db.session, reference="no-such-request", decision="examining")
        refused = assignments.record_decision(db.session, reference=reference, decision="refused", reason="3")
        assert (refused.status, refused.refusal_reason) == ("refused", "3")
        # after a refusal the family may choose again: a new request
        again = assignments.choose_offer(db.session, ctx=world.ctx("sanne"), goal_id=goal.id,
                                         offer_id=fitting_offer(app, age=14))
        assert again.id != refused.id
        assert again.status == "chosen"


def test_the_journey_over_http_in_frysk_and_dutch(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        goal_id, offer_id = school_goal(world).id, fitting_offer(plan_app, age=14)
    client = plan_app.test_client()
    sign_in(client, "sanne")  # Sanne reads Frysk
    page = client.get(f"/catalogus?doel={goal_id}").get_data(as_text=True)
    assert "Tom gaat weer met plezier naar school" in page
    assert 'name="leeftijd"' in page
    assert 'value="14"' in page
    assert goal_id not in client.get("/catalogus").headers.get("Location", "")
    offer_page = client.get(f"/catalogus/aanbod/{offer_id}").get_data(as_text=True)
    assert f'action="/catalogus/aanbod/{offer_id}/kiezen"' in offer_page
    response = client.post(f"/catalogus/aanbod/{offer_id}/kiezen",
                           data={"csrf_token": csrf_token(client), "goal_id": goal_id})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#help-{goal_id}")
    plan_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Keazen" in plan_page  # the state in Frysk
    sign_in(client, "mark")
    plan_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"/catalogus/doel/{goal_id}/bevestigen" in plan_page
    token = csrf_token(client)
    refused = client.post(f"/catalogus/doel/{goal_id}/bevestigen", data={"csrf_token": token,
                                                                        "requested_start": "1900-01-01"})
    assert refused.status_code == 422
    assert 'value="1900-01-01"' in refused.get_data(as_text=True)  # what he typed stays
    done = client.post(f"/catalogus/doel/{goal_id}/bevestigen", data={"csrf_token": token, "requested_start": ""})
    assert done.status_code == 303
    plan_page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Aangevraagd" in plan_page
    sign_in(client, "erik")
    assert "Aangevraagd" in client.get(done.headers["Location"]).get_data(as_text=True)
