"""One's own statement on a part of the plan (issue 22, point 3; Jeugdwet 7.3.8 lid 2).

The betrokkene (by the age rules: parents with custody for a child under 12, the youth and those parents from 12 to
15, the youth alone from 16) adds a statement beside any item they may see. It is shown wherever the item is (the
plan, the print, FHIR), nobody else can change it, it survives later edits of the item, it asks nobody to agree
again, and a hidden item answers like a missing one.
"""

import pytest
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.extensions import db
from app.identity.policy import Actor, Item, Role, Youth, can_make_statement
from app.plans.models import Plan, PlanItem
from tests.conftest import csrf_token
from tests.plans.conftest import signed_in_world

STATEMENT = "Ik bin it hjir net mei iens: Tom sit net sa lang op syn tillefoan as hjir stiet. ôâûê 🙂"


def state(client, world, about: str, text: str):
    plan = f"/plan/{world.plan_id}"
    return client.post(f"{plan}/onderdelen/statement?bij={about}",
                       data={"csrf_token": csrf_token(client, plan), "reply_to_id": about, "text": text})


def toms_worry(world) -> PlanItem:
    return world.item("worry", youth_id=world.people["tom"], author_id=world.people["sanne"])


def plan_state(app, world) -> tuple[str, int]:
    with app.app_context():
        plan = db.session.get(Plan, world.plan_id)
        return plan.status, plan.content_version


def test_sanne_states_her_view_beside_a_worry_about_tom(any_plan_app):
    world, sanne = signed_in_world(any_plan_app, "sanne")
    with any_plan_app.app_context():
        worry = toms_worry(world)
    before = plan_state(any_plan_app, world)
    form = sanne.get(f"/plan/{world.plan_id}/onderdelen/{worry.id}/verklaring")
    assert form.status_code == 200
    assert "Dyn eigen ferklearring" in form.get_data(as_text=True)  # the form, in her language
    assert state(sanne, world, worry.id, STATEMENT).status_code == 303
    with any_plan_app.app_context():
        said = db.session.exec(select(PlanItem).where(PlanItem.kind == "statement")).one()
        logged = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.object_id == said.id)).one()
    assert (said.author_id, said.reply_to_id, said.youth_id, said.text) == (world.people["sanne"], worry.id,
                                                                             world.people["tom"], STATEMENT)
    assert logged.event == "item.create"
    assert plan_state(any_plan_app, world) == before  # a statement asks nobody to agree again
    for key in ("mark", "tom", "erik"):
        _, client = signed_in_world(any_plan_app, key)
        page = client.get(f"/plan/{world.plan_id}").get_data(as_text=True)
        worry_at = page.index(f'id="item-{worry.id}"')
        next_item = page.find('<article class="item item--worry', worry_at + 1)
        assert STATEMENT in page[worry_at:next_item if next_item > 0 else None], key  # drawn inside the worry


@pytest.mark.parametrize(("actor", "facts", "may"), [
    # about Noor (9): her parents with custody, not Noor, not her brother
    (Actor("sanne", Role.PARENT, has_custody=True), Item("worry", youth=Youth("noor", 9)), True),
    (Actor("noor", Role.YOUTH, age=9), Item("worry", youth=Youth("noor", 9)), False),
    (Actor("tom", Role.YOUTH, age=14), Item("worry", youth=Youth("noor", 9)), False),
    # about Tom (14): Tom and his parents with custody
    (Actor("tom", Role.YOUTH, age=14), Item("goal", youth=Youth("tom", 14)), True),
    (Actor("sanne", Role.PARENT, has_custody=True), Item("goal", youth=Youth("tom", 14)), True),
    (Actor("pieter", Role.PARENT, has_custody=False, age=40), Item("goal", youth=Youth("tom", 14),
                                                                    released_to_non_custody=True), False),
    # about Lisa (16): Lisa alone, even when she shares it with her parents
    (Actor("lisa", Role.YOUTH, age=16), Item("worry", youth=Youth("lisa", 16)), True),
    (Actor("sanne", Role.PARENT, has_custody=True), Item("worry", youth=Youth("lisa", 16), shared_with_parents=True),
     False),
    # the whole family: parents with custody and youths from 12; not the professional, network or provider
    (Actor("sanne", Role.PARENT, has_custody=True), Item("strength"), True),
    (Actor("tom", Role.YOUTH, age=14), Item("strength"), True),
    (Actor("noor", Role.YOUTH, age=9), Item("strength"), False),
    (Actor("mark", Role.PROFESSIONAL), Item("strength"), False),
    (Actor("fenna", Role.NETWORK), Item("action", assignee_ids=frozenset({"fenna"})), False),
    (Actor(None, Role.PROVIDER_STAFF, organisation_id="o"), Item("goal", organisation_ids=frozenset({"o"})), False),
    # never on a statement
    (Actor("sanne", Role.PARENT, has_custody=True), Item("statement"), False),
])
def test_who_may_state_follows_the_age_rules(actor, facts, may):
    assert can_make_statement(actor, facts) is may


def test_nobody_else_changes_it_and_it_survives_an_edit_of_the_item(plan_app):
    world, sanne = signed_in_world(plan_app, "sanne")
    with plan_app.app_context():
        worry = toms_worry(world)
    assert state(sanne, world, worry.id, STATEMENT).status_code == 303
    with plan_app.app_context():
        said = db.session.exec(select(PlanItem).where(PlanItem.kind == "statement")).one()
    plan = f"/plan/{world.plan_id}"
    _, mark = signed_in_world(plan_app, "mark")
    edit = mark.post(f"{plan}/onderdelen/{said.id}/bewerken",
                     data={"csrf_token": csrf_token(mark, plan), "version": "1", "text": "Anders"})
    assert edit.status_code in (403, 404)
    changed = mark.post(f"{plan}/onderdelen/{worry.id}/bewerken", data={
        "csrf_token": csrf_token(mark, plan), "version": str(worry.version), "text": "Tom is faak op syn tillefoan.",
        "youth_id": world.people["tom"]})
    assert changed.status_code == 303
    with plan_app.app_context():
        kept = db.session.get(PlanItem, said.id)
    assert (kept.text, kept.reply_to_id, kept.version) == (STATEMENT, worry.id, 1)
    assert STATEMENT in mark.get(plan).get_data(as_text=True)


def test_bad_input_is_refused_with_a_message_and_kept(plan_app):
    world, sanne = signed_in_world(plan_app, "sanne")
    with plan_app.app_context():
        worry = toms_worry(world)
        lisas = world.item("worry", youth_id=world.people["lisa"])  # hidden from her parents
    huge = "ô" * 100_000
    answer = state(sanne, world, worry.id, huge)
    assert answer.status_code == 422
    assert "Brûk maksimaal 10000 tekens." in answer.get_data(as_text=True)
    assert huge in answer.get_data(as_text=True)  # what she typed comes back in the form
    hostile = state(sanne, world, worry.id, "<script>alert(1)</script>")
    assert hostile.status_code == 303
    page = sanne.get(f"/plan/{world.plan_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # a part hidden from her answers like one that is not there: she learns nothing about it
    hidden = state(sanne, world, lisas.id, STATEMENT)
    missing = state(sanne, world, "x" * 20, STATEMENT)
    assert hidden.status_code == missing.status_code == 422
    assert "Dit diel fan it plan is der net mear." in hidden.get_data(as_text=True)
    with plan_app.app_context():
        said = db.session.exec(select(PlanItem).where(PlanItem.kind == "statement")).all()
    assert len(said) == 1  # only the hostile-looking one, saved as text
    on_statement = state(sanne, world, said[0].id, STATEMENT)
    assert on_statement.status_code == 422


def test_the_form_is_only_for_the_betrokkene(plan_app):
    world, _ = signed_in_world(plan_app, "sanne")
    with plan_app.app_context():
        worry = toms_worry(world)
    for key, status in (("sanne", 200), ("tom", 200), ("mark", 404), ("fenna", 404), ("lisa", 404), ("noor", 404)):
        _, client = signed_in_world(plan_app, key)
        assert client.get(f"/plan/{world.plan_id}/onderdelen/{worry.id}/verklaring").status_code == status, key


def test_it_is_printed_and_exported_beside_its_item(plan_app):
    world, sanne = signed_in_world(plan_app, "sanne")
    with plan_app.app_context():
        worry = toms_worry(world)
    assert state(sanne, world, worry.id, STATEMENT).status_code == 303
    printed = sanne.get(f"/plan/{world.plan_id}/afdrukken").get_data(as_text=True)
    assert STATEMENT in printed
    assert "Eigen ferklearring" in printed
    bundle = sanne.get(f"/plan/{world.plan_id}/plan.fhir.json").get_json()
    [care_plan] = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"]
    notes = [note["text"] for note in care_plan["note"]]
    assert any(STATEMENT in text and worry.text[:40] in text for text in notes)


def test_tom_states_on_his_goal_and_sees_it_in_his_own_view(plan_app):
    world, tom = signed_in_world(plan_app, "tom")
    with plan_app.app_context():
        goal = world.item("goal", youth_id=world.people["tom"], domain="school")
    words = "Ik wil eerst zelf met de mentor praten, dan pas bijles."
    assert state(tom, world, goal.id, words).status_code == 303
    mine = tom.get(f"/plan/{world.plan_id}/mijn").get_data(as_text=True)
    assert words in mine
    assert "Eigen verklaring" in mine
