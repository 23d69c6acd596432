"""News of help for a goal: the family's choice asks the professional to confirm, and the municipality's answer
through the API reaches, live and as a notification, everyone who may see the goal, and nobody else."""

import json
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from sqlmodel import select

from app.catalog import assignments
from app.core.clock import today
from app.extensions import db
from app.identity.models import Person
from app.notifications import inbox
from app.notifications.models import Notification
from app.plans import live, queries
from app.plans.models import ItemVersion
from tests.api.conftest import new_id, requested
from tests.catalog.conftest import fitting_offer
from tests.plans.conftest import PlanWorld

PERSONAS = ("noor", "tom", "lisa", "sanne", "erik", "fenna", "mark")


def told(app, detail: str, goal_id: str) -> set[str]:
    """The demo personas with a notification of this kind about this goal."""
    world = PlanWorld(app)
    with app.app_context():
        ids = set(db.session.exec(select(Notification.person_id).where(Notification.detail == detail,
                                                                       Notification.item_id == goal_id)).all())
    return {key for key, pid in world.people.items() if pid in ids}


def live_readers(app, world: PlanWorld, messages) -> set[str]:
    """Which personas' open plan pages pass on the help messages published so far (as the stream route does)."""
    bodies = []
    while (body := next(messages)) is not None:
        bodies.append(json.loads(body))
    helps = [body for body in bodies if body.get("type") == "help"]
    assert helps, bodies
    with app.test_request_context():
        readers = {key: queries.reader(db.session, ctx=world.ctx(key)) for key in PERSONAS}
    return {key for key, reader in readers.items()
            if any(queries.for_reader(reader, dict(message)) is not None for message in helps)}


def lisas_withheld_goal_requested(app, world: PlanWorld) -> tuple[str, str]:
    """Lisa (16) withholds her goal from her parents and chooses help for it; return (goal id, offer id)."""
    with app.test_request_context():
        goal = world.item("goal", youth_id=world.people["lisa"])
        goal.withheld_from_parents = True
        db.session.add(goal)
        offer_id = fitting_offer(app, age=16)
        db.session.commit()
        return goal.id, offer_id


def test_the_answer_through_the_api_reaches_who_may_see_the_goal_live_and_as_a_notification(api):
    reference = requested(api.app)  # Tom's school goal, chosen by Tom, confirmed by Mark
    world = PlanWorld(api.app)
    messages = live.listen(world.plan_id, redis_url=None, heartbeat=0.05)
    answer = api.call("POST", f"/assignments/{reference}/decision",
                      {"decision": "assigned", "assignment_number": 2026777, "start": today().isoformat(),
                       "request_id": new_id()})
    assert answer.status_code == 200, answer.get_json()
    with api.app.app_context():
        school = world.item("goal", domain="school").id
    assert told(api.app, "help_assigned", school) == {"tom", "sanne", "erik", "mark"}
    assert live_readers(api.app, world, messages) == {"tom", "sanne", "erik", "mark"}
    messages.close()
    with api.app.test_request_context():
        sanne = db.session.get(Person, world.people["sanne"])
        with force_locale("fy"):
            texts = [v.text for v in inbox.inbox(db.session, person=sanne) if v.notification.detail == "help_assigned"]
            assert texts[0].startswith("De gemeente hat ja sein tsjin de help foar it doel:")
        with force_locale("nl"):
            view_nl = next(v for v in inbox.inbox(db.session, person=sanne)
                           if v.notification.detail == "help_assigned")
            assert view_nl.text.startswith("De gemeente heeft ja gezegd tegen de hulp voor het doel:")
            assert view_nl.anchor.startswith("help-")


def test_help_on_a_goal_hidden_from_the_parents_reaches_only_who_may_see_it(api):
    world = PlanWorld(api.app)
    goal_id, offer_id = lisas_withheld_goal_requested(api.app, world)
    with api.app.app_context():  # the last change a page open now would have seen
        after = db.session.exec(select(sa.func.max(ItemVersion.id)).where(ItemVersion.plan_id == world.plan_id)).one()
    messages = live.listen(world.plan_id, redis_url=None, heartbeat=0.05)
    with api.app.test_request_context():
        assignments.choose_offer(db.session, ctx=world.ctx("lisa"), goal_id=goal_id, offer_id=offer_id)
        db.session.commit()
    assert told(api.app, "help_chosen", goal_id) == {"mark"}  # he confirms; Lisa chose herself
    assert live_readers(api.app, world, messages) == {"lisa", "mark"}
    with api.app.test_request_context():
        reference = assignments.confirm(db.session, ctx=world.ctx("mark"), goal_id=goal_id,
                                        requested_start=today() + timedelta(days=1)).reference
        db.session.commit()
        asked = db.session.exec(select(Notification).where(Notification.item_id == goal_id,
                                                           Notification.detail == "help_chosen")).one()
        assert asked.read_at is not None  # confirmed: nothing waits for Mark any more
    assert live_readers(api.app, world, messages) == {"lisa", "mark"}
    refused = api.call("POST", f"/assignments/{reference}/decision",
                       {"decision": "refused", "refusal_reason": "3", "request_id": new_id()})
    assert refused.status_code == 200, refused.get_json()
    assert told(api.app, "help_refused", goal_id) == {"lisa", "mark"}  # the goal is not Sanne's or Erik's to see
    assert live_readers(api.app, world, messages) == {"lisa", "mark"}
    messages.close()
    with api.app.test_request_context():  # a page that was away (a reconnect) catches up on the same terms
        caught_up = {key for key in PERSONAS if {"type": "help", "goal": goal_id, "event_id": None} in
                     queries.missed_events(db.session, ctx=world.ctx(key), after=str(after))}
    assert caught_up == {"lisa", "mark"}


def test_the_professional_is_asked_to_confirm_in_his_own_language(api):
    world = PlanWorld(api.app)
    with api.app.test_request_context():
        goal = world.item("goal", domain="school")
        assignments.choose_offer(db.session, ctx=world.ctx("erik"), goal_id=goal.id,
                                 offer_id=fitting_offer(api.app, age=14))
        db.session.commit()
        assert told(api.app, "help_chosen", goal.id) == {"mark"}
        mark = db.session.get(Person, world.people["mark"])
        with force_locale("en"):
            note = next(v for v in inbox.inbox(db.session, person=mark) if v.notification.detail == "help_chosen")
        assert note.text.startswith("Erik chose help for a goal. Please confirm the choice:")
        assert note.anchor == f"help-{goal.id}"
