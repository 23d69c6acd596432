"""Holes a hostile tester found in changing the plan, each posted the way the tester did (a signed-in person, a valid
CSRF token, a hand-made form): moving a youth's item to a sibling, untrusted goal ids, a network member rewriting
her task, and what assigned provider staff see."""

import re
import uuid

import pytest
from sqlmodel import select

from app.extensions import db
from app.identity.models import Family
from app.plans import services
from app.plans.models import ItemVersion, Plan, PlanItem
from tests.conftest import CSRF_FIELD, make_app, sign_in_person
from tests.plans.conftest import PlanWorld

SIGNED_TOKEN = re.compile(r'(name="csrf_token" value="|"X-CSRFToken": ")[^"]+')


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One demo plan for the module; every test adds the items it changes, so the tests do not meet."""
    path = tmp_path_factory.mktemp("holes")
    flask_app = make_app(f"sqlite:///{path / 'plan.db'}", with_plan=True, MAIL_DIR=str(path / "mail"))
    yield PlanWorld(flask_app)
    with flask_app.app_context():
        db.engine.dispose()


def _client(world: PlanWorld, key: str):
    client = world.app.test_client()
    sign_in_person(client, world.people[key])
    return client


def _token(client, world: PlanWorld) -> str:
    return CSRF_FIELD.search(client.get(f"/plan/{world.plan_id}").get_data(as_text=True)).group(1)


def _add(world: PlanWorld, key: str, kind: str, **fields) -> str:
    """Add an item as one persona through the service (the situation a test is about, not what it tests)."""
    with world.app.test_request_context():
        ctx = world.ctx(key)
        item = services.create_item(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), kind=kind,
                                    fields={"text": f"{kind} {uuid.uuid4().hex[:6]}", **fields})
        db.session.commit()
        return item.id


def _row(world: PlanWorld, item_id: str) -> dict:
    with world.app.app_context():
        item = db.session.get(PlanItem, item_id)
        versions = len(db.session.exec(select(ItemVersion).where(ItemVersion.item_id == item_id)).all())
        return item.snapshot() | {"version": item.version, "versions": versions}


def _edit(world: PlanWorld, key: str, item_id: str, **fields):
    client = _client(world, key)
    data = {"csrf_token": _token(client, world), "version": _row(world, item_id)["version"], **fields}
    return client.post(f"/plan/{world.plan_id}/onderdelen/{item_id}/bewerken", data=data)


# 1. A parent can re-point a youth's own item to a sibling.

def test_a_parent_cannot_move_toms_worry_to_lisa(world):
    worry = _add(world, "tom", "worry", youth_id=world.people["tom"])
    before = _row(world, worry)
    response = _edit(world, "sanne", worry, text=before["text"], youth_id=world.people["lisa"])
    assert response.status_code == 422
    assert "Do kinst net feroarje oer wa" in response.get_data(as_text=True)  # in Sanne's Frysk
    assert _row(world, worry) == before
    tom, lisa = _client(world, "tom"), _client(world, "lisa")
    assert tom.get(f"/plan/{world.plan_id}/onderdelen/{worry}").status_code == 200
    assert lisa.get(f"/plan/{world.plan_id}/onderdelen/{worry}").status_code == 404


def test_a_parent_cannot_move_what_tom_wrote_for_the_family_to_one_child(world):
    strength = _add(world, "tom", "strength")
    before = _row(world, strength)
    response = _edit(world, "sanne", strength, text=before["text"], youth_id=world.people["noor"])
    assert response.status_code == 422
    assert _row(world, strength) == before


def test_the_youth_who_wrote_it_may_say_whom_it_is_about(world):
    strength = _add(world, "tom", "strength")
    response = _edit(world, "tom", strength, text=_row(world, strength)["text"], youth_id=world.people["tom"])
    assert response.status_code == 303
    assert _row(world, strength)["youth_id"] == world.people["tom"]


def test_nobody_moves_an_item_out_of_their_own_sight(world):
    worry = _add(world, "sanne", "worry", youth_id=world.people["tom"])
    before = _row(world, worry)
    response = _edit(world, "sanne", worry, text=before["text"], youth_id=world.people["lisa"])  # Lisa is 16
    assert response.status_code == 422
    assert _row(world, worry) == before


def test_a_parent_may_correct_whom_her_own_worry_is_about(world):
    worry = _add(world, "sanne", "worry", youth_id=world.people["tom"])
    response = _edit(world, "sanne", worry, text=_row(world, worry)["text"], youth_id=world.people["noor"])
    assert response.status_code == 303
    assert _row(world, worry)["youth_id"] == world.people["noor"]


# 2. goal_id is never validated.

def _other_family_goal(world: PlanWorld) -> str:
    """A goal in another family's plan (the demo's second family gets one here)."""
    with world.app.test_request_context():
        other = db.session.exec(select(Plan).join(Family).where(Plan.id != world.plan_id)).first()
        goal = PlanItem(plan_id=other.id, kind="goal", text="Ander gezin", domain="school",
                        author_id=world.people["mark"], typed_by_id=world.people["mark"], position=1)
        db.session.add(goal)
        db.session.commit()
        return goal.id


@pytest.mark.parametrize("case", ["made_up", "malformed", "other_family", "hidden", "deleted", "not_a_goal"])
def test_a_task_only_serves_a_goal_the_person_may_see(world, case):
    if case == "made_up":
        goal_id = "z" * 20
    elif case == "malformed":
        goal_id = "'; DELETE FROM plan_item; --"
    elif case == "other_family":
        goal_id = _other_family_goal(world)
    elif case == "hidden":  # Lisa's goal, not shared with her parents
        goal_id = _add(world, "lisa", "goal", domain="health", youth_id=world.people["lisa"])
    elif case == "deleted":
        goal_id = _add(world, "sanne", "goal", domain="school", youth_id=world.people["tom"])
        with world.app.test_request_context():
            ctx = world.ctx("sanne")
            services.delete_item(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), item_id=goal_id,
                                 expected_version=1)
            db.session.commit()
    else:
        goal_id = _add(world, "sanne", "strength")
    client = _client(world, "sanne")
    token = _token(client, world)
    with world.app.app_context():
        count = len(db.session.exec(select(PlanItem)).all())
    added = client.post(f"/plan/{world.plan_id}/onderdelen/action",
                        data={"csrf_token": token, "text": "Boodschappen", "goal_id": goal_id})
    assert added.status_code == 422
    assert "Kies in doel út de list." in added.get_data(as_text=True)
    with world.app.app_context():
        assert len(db.session.exec(select(PlanItem)).all()) == count
    task = _add(world, "sanne", "action")
    before = _row(world, task)
    edited = _edit(world, "sanne", task, text=before["text"], goal_id=goal_id)
    assert edited.status_code == 422
    assert "Kies in doel út de list." in edited.get_data(as_text=True)
    assert _row(world, task) == before


def test_the_answer_for_a_hidden_goal_is_the_answer_for_a_made_up_one(world):
    hidden = _add(world, "lisa", "goal", domain="health", youth_id=world.people["lisa"])
    client = _client(world, "sanne")
    token = _token(client, world)
    answers = [client.post(f"/plan/{world.plan_id}/onderdelen/action",
                           data={"csrf_token": token, "text": "Boodschappen", "goal_id": goal_id})
               for goal_id in (hidden, "q" * 20)]
    assert [a.status_code for a in answers] == [422, 422]
    bodies = [SIGNED_TOKEN.sub(r"\1TOKEN", a.get_data(as_text=True)).replace(hidden, "ID").replace("q" * 20, "ID")
              for a in answers]
    assert bodies[0] == bodies[1]  # the CSRF token aside: it is signed with the second it was made in


def test_a_task_may_serve_a_goal_the_person_sees(world):
    goal = _add(world, "sanne", "goal", domain="school", youth_id=world.people["tom"])
    task = _add(world, "sanne", "action")
    response = _edit(world, "sanne", task, text=_row(world, task)["text"], goal_id=goal)
    assert response.status_code == 303
    assert _row(world, task)["goal_id"] == goal
    assert _row(world, task)["youth_id"] == world.people["tom"]


# 5. A network member can do more than tick off her task.

def _fennas_task(world: PlanWorld) -> str:
    return _add(world, "mark", "action", owner_id=world.people["fenna"])


def test_oma_fenna_cannot_rewrite_or_give_away_her_task(world):
    task = _fennas_task(world)
    before = _row(world, task)
    for fields in ({"text": "Iets anders"}, {"text": before["text"], "owner_id": world.people["sanne"]},
                   {"delete": "1"}):
        assert _edit(world, "fenna", task, **fields).status_code == 403
        assert _row(world, task) == before
    fenna = _client(world, "fenna")
    assert fenna.get(f"/plan/{world.plan_id}/onderdelen/{task}/bewerken").status_code == 403
    page = fenna.get(f"/plan/{world.plan_id}").get_data(as_text=True)
    assert f"/onderdelen/{task}/bewerken" not in page  # no edit link for her
    assert f"/onderdelen/{task}/klaar" in page  # but the tick box


def test_oma_fenna_ticks_her_task_off_and_on(world):
    task = _fennas_task(world)
    fenna = _client(world, "fenna")
    token = _token(fenna, world)
    assert fenna.post(f"/plan/{world.plan_id}/onderdelen/{task}/klaar",
                      data={"csrf_token": token, "done": "1"}).status_code == 303
    assert _row(world, task)["is_done"] is True
    fenna.post(f"/plan/{world.plan_id}/onderdelen/{task}/klaar", data={"csrf_token": token, "done": "0"})
    assert _row(world, task)["is_done"] is False
    others = _add(world, "mark", "action", owner_id=world.people["sanne"])
    assert fenna.post(f"/plan/{world.plan_id}/onderdelen/{others}/klaar",
                      data={"csrf_token": token, "done": "1"}).status_code == 404


# 8. Links that lead nowhere, and what provider staff see.

def test_oma_fenna_is_not_shown_a_link_to_the_access_log(world):
    with world.app.app_context():
        family_id = db.session.get(Plan, world.plan_id).family_id
    link = f"/gezinnen/{family_id}/wie-heeft-gekeken"
    for key, shown in (("fenna", False), ("karin", False), ("sanne", True), ("tom", True),
                       ("mark", True)):
        client = _client(world, key)
        page = client.get(f"/gezinnen/{family_id}").get_data(as_text=True)
        assert (link in page) is shown, key
        assert client.get(link).status_code == (200 if shown else 404), key


def test_provider_staff_see_the_assigned_goal_but_not_the_tasks_under_it(world):
    karin = _client(world, "karin")
    with world.app.test_request_context():
        ctx = world.ctx("karin")
        goals = [goal_id for goal_id, orgs in ctx.goal_organisations.items() if ctx.actor.organisation_id in orgs]
        assert goals, "the demo assigns one of Tom's goals to Karin's organisation"
        tasks = db.session.exec(select(PlanItem).where(PlanItem.goal_id.in_(goals),
                                                       PlanItem.deleted_at.is_(None))).all()
        goal_texts = [db.session.get(PlanItem, goal_id).text for goal_id in goals]
    task = _add(world, "mark", "action", goal_id=goals[0], owner_id=world.people["tom"])
    page = karin.get(f"/plan/{world.plan_id}").get_data(as_text=True)
    assert all(text in page for text in goal_texts)
    with world.app.app_context():
        task_text = db.session.get(PlanItem, task).text
    assert task_text not in page
    assert all(t.text not in page for t in tasks)
    assert karin.get(f"/plan/{world.plan_id}/onderdelen/{task}").status_code == 404


def test_agreeing_to_a_hidden_goal_answers_like_a_goal_that_does_not_exist(world):
    hidden = _add(world, "lisa", "goal", domain="health", youth_id=world.people["lisa"])
    with world.app.test_request_context():
        plan = db.session.get(Plan, world.plan_id)
        plan.status = "agreeing"
        db.session.commit()
    client = _client(world, "sanne")
    token = _token(client, world)
    answers = [client.post(f"/plan/{world.plan_id}/akkoord",
                           data={"csrf_token": token, "goal_id": goal_id, "decision": "agree"}).status_code
               for goal_id in (hidden, "q" * 20)]
    assert answers == [404, 404]
