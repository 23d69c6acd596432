"""The plan's rules: who writes what, nothing typed is lost, history, age rules per item, agreement and fixing."""

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.notifications.models import Notification
from app.outbox.models import OutboxEvent
from app.outbox.schemas import validator
from app.plans import agreement, queries, services
from app.plans.models import ItemVersion, PlanStatus
from app.plans.services import StaleEdit
from tests.plans.conftest import PlanWorld


def test_kitchen_table_contribution_is_the_speakers_and_typed_by_the_professional(any_plan_app):
    world = PlanWorld(any_plan_app)
    with any_plan_app.test_request_context():
        ctx = world.ctx("mark")
        speaker = services.speaker_for(ctx, world.people["tom"])
        item = services.create_item(db.session, ctx=ctx, speaker=speaker, kind="worry",
                                    fields={"text": "Ik mis mijn vrienden 🙂 ôâûê", "youth_id": world.people["tom"]})
        db.session.commit()
        expected = (world.people["tom"], world.people["mark"], 14)
        assert (item.author_id, item.typed_by_id, item.author_youth_age) == expected
        entry = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.object_id == item.id)).one()
        assert (entry.actor_id, entry.on_behalf_of_id) == (world.people["mark"], world.people["tom"])


def test_only_the_professional_sets_the_speaker(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        ctx = world.ctx("sanne")
        speaker = services.speaker_for(ctx, world.people["tom"])
        assert speaker.author.person_id == world.people["sanne"]


@pytest.mark.parametrize(("key", "kind"), [("fenna", "goal"), ("noor", "goal"), ("noor", "action"), ("sanne", "safety"),
                                           ("lisa", "evaluation")])
def test_who_may_not_add_what(plan_app, key, kind):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        ctx = world.ctx(key)
        with pytest.raises(NotAllowed):
            services.create_item(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), kind=kind,
                                 fields={"text": "x", "domain": "school"})


def test_a_child_adds_own_words(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        ctx = world.ctx("noor")
        item = services.create_item(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), kind="own_words",
                                    fields={"text": "Ik wil op turnen 🤸"})
        assert item.youth_id == world.people["noor"]


@pytest.mark.parametrize(("kind", "fields", "field", "message"), [
    ("goal", {"text": "   ", "domain": "school"}, "text", "Write down the goal."),
    ("goal", {"text": "Doel", "domain": ""}, "domain", "Choose the part of life"),
    ("worry", {"text": "x" * 100_000}, "text", "at most 10000 characters"),
    ("action", {"text": "Bellen", "due_date": date(1900, 1, 1)}, "due_date", "Choose a date from last year"),
    ("action", {"text": "Bellen", "owner_id": "somebody-else"}, "owner_id", "Choose someone from the list."),
])
def test_bad_input_is_refused_with_a_reason(plan_app, kind, fields, field, message):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context(headers={"Accept-Language": "en"}):
        ctx = world.ctx("mark")
        with pytest.raises(ValidationFailed) as failed:
            services.create_item(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), kind=kind, fields=fields)
        reasons = dict(failed.value.reasons)
        assert field in reasons
        assert message in reasons[field]


def test_two_saves_of_the_same_version_keep_both_texts(any_plan_app):
    world = PlanWorld(any_plan_app)
    with any_plan_app.test_request_context():
        worry = world.item("worry", author_id=world.people["erik"])
        version = worry.version
        sanne, erik = world.ctx("sanne"), world.ctx("erik")
        services.update_item(db.session, ctx=sanne, speaker=services.speaker_for(sanne, None), item_id=worry.id,
                             expected_version=version, fields={"text": "Sanne's tekst", "youth_id": None})
        db.session.commit()
        with pytest.raises(StaleEdit) as stale:
            services.update_item(db.session, ctx=erik, speaker=services.speaker_for(erik, None), item_id=worry.id,
                                 expected_version=version, fields={"text": "Eriks tekst", "youth_id": None})
        assert stale.value.current.text == "Sanne's tekst"
        assert stale.value.typed["text"] == "Eriks tekst"
        db.session.rollback()
        services.update_item(db.session, ctx=erik, speaker=services.speaker_for(erik, None), item_id=worry.id,
                             expected_version=stale.value.current.version,
                             fields={"text": "Sanne's tekst\nEriks tekst", "youth_id": None})
        db.session.commit()
        texts = [v.data["text"] for v in db.session.exec(select(ItemVersion).where(ItemVersion.item_id == worry.id)
                                                         .order_by(ItemVersion.version))]
        assert texts[-2:] == ["Sanne's tekst", "Sanne's tekst\nEriks tekst"]


def test_a_raced_save_with_a_stale_version_in_the_database_is_refused(any_plan_app):
    world = PlanWorld(any_plan_app)
    with any_plan_app.test_request_context():
        worry = world.item("worry", author_id=world.people["erik"])
        ctx = world.ctx("erik")
        with db.engine.begin() as conn:  # another process saved in between our read and our write
            conn.execute(sa.text("UPDATE plan_item SET version = version + 1 WHERE id = :id"), {"id": worry.id})
        with pytest.raises(StaleEdit):
            services.update_item(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), item_id=worry.id,
                                 expected_version=worry.version, fields={"text": "te laat", "youth_id": None})


def test_history_and_restore(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        ctx = world.ctx("mark")
        goal = world.item("goal", youth_id=world.people["tom"], domain="school")
        item, versions = queries.history(db.session, ctx=ctx, item_id=goal.id)
        assert [v.version for v in versions] == [2, 1]
        restored = services.restore_version(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None),
                                            item_id=goal.id, version=1)
        db.session.commit()
        assert restored.version == 3
        assert restored.result == "Tom haalt voor wiskunde minstens een 6."
        assert db.session.exec(select(ItemVersion).where(ItemVersion.item_id == goal.id,
                                                         ItemVersion.version == 3)).one().change == "restore"


def test_parents_do_not_see_what_lisa_16_did_not_share_until_she_shares_it(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        private = world.item("worry", youth_id=world.people["lisa"])
        sanne_view = queries.build(db.session, ctx=world.ctx("sanne"), record_visit=False)
        assert sanne_view.item_view(private.id) is None
        assert not any(v.item.youth_id == world.people["lisa"] for v in sanne_view.sections["goal"])
        services.set_visibility(db.session, ctx=world.ctx("lisa"), item_id=private.id, change="share")
        db.session.commit()
        assert queries.build(db.session, ctx=world.ctx("sanne"), record_visit=False).item_view(private.id) is not None
        with pytest.raises(NotFound):  # a parent cannot reach it by URL either
            services.set_visibility(db.session, ctx=world.ctx("erik"), item_id=world.item(
                "goal", youth_id=world.people["lisa"]).id, change="share")


def test_withholding_from_parents_needs_a_reason_and_hides_the_item(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        worry = world.item("worry", youth_id=world.people["tom"])
        with pytest.raises(ValidationFailed):
            services.set_visibility(db.session, ctx=world.ctx("mark"), item_id=worry.id, change="withhold", reason=" ")
        services.set_visibility(db.session, ctx=world.ctx("mark"), item_id=worry.id, change="withhold",
                                reason="Eerst met Tom bespreken",
                                consulted="Hiske de Vries, gedragswetenschapper", opinion="Eens: eerst met Tom.")
        db.session.commit()
        assert queries.build(db.session, ctx=world.ctx("sanne"), record_visit=False).item_view(worry.id) is None
        assert queries.build(db.session, ctx=world.ctx("tom"), record_visit=False).item_view(worry.id) is not None
        with pytest.raises(NotAllowed):
            services.set_visibility(db.session, ctx=world.ctx("tom"), item_id=worry.id, change="unwithhold")


def test_network_member_sees_only_her_own_task_and_cannot_edit_a_goal(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        fenna = queries.build(db.session, ctx=world.ctx("fenna"), record_visit=False)
        visible = [v.item for views in fenna.sections.values() for v in views]
        assert [i.kind for i in visible] == ["action"]
        assert visible[0].owner_id == world.people["fenna"]
        goal = world.item("goal", youth_id=world.people["noor"])
        with pytest.raises(NotFound):
            services.update_item(db.session, ctx=world.ctx("fenna"),
                                 speaker=services.speaker_for(world.ctx("fenna"), None), item_id=goal.id,
                                 expected_version=goal.version, fields={"text": "x", "domain": "leisure"})


def test_the_plan_is_fixed_when_everyone_required_agrees_and_the_municipality_gets_one_event(any_plan_app):
    world = PlanWorld(any_plan_app)
    with any_plan_app.test_request_context():
        school = world.item("goal", youth_id=world.people["tom"], domain="school")
        switch = world.item("goal", youth_id=world.people["tom"], domain="parenting")
        calls = [("erik", school), ("tom", school), ("erik", switch), ("erik", None), ("tom", None), ("lisa", None)]
        for key, goal in calls:
            ctx = world.ctx("mark")
            agreement.decide(db.session, ctx=ctx, person_id=world.people[key], goal_id=goal.id if goal else None,
                             decision="agree")
            db.session.commit()
        plan = world.ctx("mark").plan
        assert plan.status == PlanStatus.FIXED
        everything = db.session.exec(select(OutboxEvent).where(OutboxEvent.aggregate_id == plan.id)
                                     .order_by(OutboxEvent.sequence)).all()
        events = [e for e in everything if e.event_type == "plan.fixed"]
        assert len(events) == 1
        # after the demo's requests for help and Tom's ended care: one sequence per plan, in order, fixed last
        assert [e.sequence for e in everything] == list(range(1, len(everything) + 1))
        assert [e.event_type for e in everything][:2] == ["assignment.requested", "assignment.requested"]
        assert everything[-1].event_type == "plan.fixed"
        validator("plan.fixed").validate(events[0].payload)
        assert "Tom" not in str(events[0].payload)  # references, no names


def _fix_the_plan(world: "PlanWorld") -> tuple:
    """Everyone required agrees to Tom's two goals and to the plan: it is fixed."""
    school = world.item("goal", youth_id=world.people["tom"], domain="school")
    switch = world.item("goal", youth_id=world.people["tom"], domain="parenting")
    for key, goal in [("erik", school), ("tom", school), ("erik", switch), ("erik", None), ("tom", None),
                      ("lisa", None)]:
        agreement.decide(db.session, ctx=world.ctx("mark"), person_id=world.people[key],
                         goal_id=goal.id if goal else None, decision="agree")
    db.session.commit()
    assert world.ctx("mark").plan.status == PlanStatus.FIXED
    return school, switch


def test_a_change_after_fixing_reopens_agreement_only_for_that_goal(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        school, switch = _fix_the_plan(world)
        ctx = world.ctx("mark")
        services.update_item(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), item_id=switch.id,
                             expected_version=switch.version,
                             fields={"text": switch.text, "result": "Nieuw rooster", "domain": "parenting",
                                  "youth_id": switch.youth_id, "due_date": switch.due_date, "helpers": ""})
        db.session.commit()
        pv = queries.build(db.session, ctx=world.ctx("mark"), record_visit=False)
        assert pv.ctx.plan.status == PlanStatus.AGREEING
        assert not pv.agreement[switch.id].complete
        assert pv.agreement[school.id].complete
        assert pv.agreement[None].complete


def test_the_fixing_event_is_written_in_the_same_transaction_as_the_last_agreement(any_plan_app):
    """If the transaction that fixes the plan is rolled back, there is no event for the municipality either."""
    world = PlanWorld(any_plan_app)
    with any_plan_app.test_request_context():
        school = world.item("goal", youth_id=world.people["tom"], domain="school")
        switch = world.item("goal", youth_id=world.people["tom"], domain="parenting")
        calls = [("erik", school), ("tom", school), ("erik", switch), ("erik", None), ("tom", None)]
        for key, goal in calls:
            agreement.decide(db.session, ctx=world.ctx("mark"), person_id=world.people[key],
                             goal_id=goal.id if goal else None, decision="agree")
        db.session.commit()
        agreement.decide(db.session, ctx=world.ctx("mark"), person_id=world.people["lisa"], goal_id=None,
                         decision="agree")
        assert world.ctx("mark").plan.status == PlanStatus.FIXED  # inside the transaction
        db.session.flush()
        pending = db.session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "plan.fixed")).all()
        assert len(pending) == 1
        db.session.rollback()  # e.g. the connection drops before the commit
        assert db.session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "plan.fixed")).all() == []
        assert world.ctx("mark").plan.status == PlanStatus.AGREEING


def test_ticking_an_action_off_is_progress_and_keeps_the_plan_fixed(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        _fix_the_plan(world)
        task = world.item("action", owner_id=world.people["fenna"])
        ctx = world.ctx("fenna")
        services.set_done(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), item_id=task.id, done=True)
        db.session.commit()
        pv = queries.build(db.session, ctx=world.ctx("mark"), record_visit=False)
        assert pv.ctx.plan.status == PlanStatus.FIXED
        assert all(state.complete or not state.required for state in pv.agreement.values())


def test_taking_a_goal_out_of_a_fixed_plan_asks_everyone_to_agree_to_the_plan_again(plan_app):
    """A goal the whole family sees (one about the family, not one youth; see tests/plans/test_live_privacy.py for a
    goal not everyone may see)."""
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        ctx = world.ctx("mark")
        switch = services.create_item(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), kind="goal",
                                      fields={"text": "Samen eten op zaterdag", "domain": "parenting", "youth_id": None,
                                           "result": "", "helpers": ""})
        for key in ("sanne", "erik", "tom", "lisa"):
            agreement.decide(db.session, ctx=ctx, person_id=world.people[key], goal_id=switch.id, decision="agree")
        school, _switch = _fix_the_plan(world)
        before = db.session.exec(select(sa.func.count(Notification.id))
                                 .where(Notification.topic == "agreement_asked")).one()
        services.delete_item(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), item_id=switch.id,
                             expected_version=switch.version)
        db.session.commit()
        pv = queries.build(db.session, ctx=world.ctx("mark"), record_visit=False)
        assert pv.ctx.plan.status == PlanStatus.AGREEING
        assert not pv.agreement[None].complete  # something to agree on: never stuck waiting for nobody
        assert pv.agreement[school.id].complete
        asked = db.session.exec(select(Notification.person_id).where(Notification.topic == "agreement_asked")
                                .order_by(Notification.id.desc()).limit(10)).all()
        after = db.session.exec(select(sa.func.count(Notification.id))
                                .where(Notification.topic == "agreement_asked")).one()
        assert after > before
        assert world.people["erik"] in asked
        for key in ("sanne", "erik", "tom", "lisa"):
            agreement.decide(db.session, ctx=world.ctx("mark"), person_id=world.people[key], goal_id=None,
                             decision="agree")
        db.session.commit()
        assert world.ctx("mark").plan.status == PlanStatus.FIXED
        fixed = db.session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "plan.fixed",
                                                          OutboxEvent.aggregate_id == world.plan_id)).all()
        assert len(fixed) == 2
        assert fixed[-1].payload["fixed_count"] == 2
        assert switch.id not in {g["goal_id"] for g in fixed[-1].payload["goals"]}


def test_an_evaluation_needs_its_date(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context(headers={"Accept-Language": "nl"}):
        ctx = world.ctx("mark")
        with pytest.raises(ValidationFailed) as failed:
            services.create_item(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), kind="evaluation",
                                 fields={"text": "Samen terugkijken", "due_date": None})
        assert [name for name, _ in failed.value.reasons] == ["due_date"]


def test_disagreeing_needs_a_reason_and_only_required_people_decide(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context(headers={"Accept-Language": "nl"}):
        ctx = world.ctx("mark")
        with pytest.raises(ValidationFailed) as failed:
            agreement.decide(db.session, ctx=ctx, person_id=world.people["sanne"], goal_id=None, decision="disagree")
        assert failed.value.reasons[0][0] == "reason"
        for key in ("noor", "fenna", "mark"):
            with pytest.raises(NotAllowed):
                agreement.decide(db.session, ctx=ctx, person_id=world.people[key], goal_id=None, decision="agree")


def test_plan_page_uses_the_same_number_of_queries_whatever_the_size(plan_app):
    """The whole GET of the plan page, for a parent and for the professional, before and after the plan grows by
    goals, actions under them, edits (history), agreements and an item withheld from the parents."""
    from tests.conftest import sign_in

    world = PlanWorld(plan_app)
    clients = {key: plan_app.test_client() for key in ("sanne", "mark")}
    for key, client in clients.items():
        sign_in(client, key)
    url = f"/plan/{world.plan_id}"
    with plan_app.app_context():
        engine = db.engine

    def count_queries(key: str) -> int:
        clients[key].get(url)  # warm: caches kept per process are not the page's cost
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            assert clients[key].get(url).status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    small = {key: count_queries(key) for key in clients}
    assert all(10 <= count <= 20 for count in small.values()), small
    with plan_app.test_request_context():
        ctx = world.ctx("mark")
        me = services.speaker_for(ctx, None)
        for n in range(15):
            goal = services.create_item(db.session, ctx=ctx, speaker=me, kind="goal",
                                        fields={"text": f"Doel {n}", "domain": "school", "result": "Beter",
                                             "youth_id": world.people["tom"], "helpers": ""})
            for m in range(3):
                services.create_item(db.session, ctx=ctx, speaker=me, kind="action",
                                     fields={"text": f"Taak {n}.{m}", "owner_id": world.people["erik"],
                                          "goal_id": goal.id})
            for m in range(4):
                goal = services.update_item(db.session, ctx=ctx, speaker=me, item_id=goal.id,
                                            expected_version=goal.version,
                                            fields={"text": f"Doel {n} versie {m}", "domain": "school", "result": "",
                                                 "youth_id": world.people["tom"], "helpers": ""})
            agreement.decide(db.session, ctx=ctx, person_id=world.people["erik"], goal_id=goal.id, decision="agree")
            if n % 5 == 0:
                services.set_visibility(db.session, ctx=ctx, item_id=goal.id, change="withhold", reason="Eerst met Tom",
                                        consulted="Hiske de Vries", opinion="Eens")
        db.session.commit()
    assert {key: count_queries(key) for key in clients} == small


def test_the_sixteen_review_lists_lisas_items_and_shares_only_what_she_chose(plan_app):
    from app.consent.services import record_sixteen_review
    from app.identity.hooks import items_about
    from app.identity.models import Person

    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        lisa = db.session.get(Person, world.people["lisa"])
        listed = items_about(db.session, lisa.id)
        texts = [title for _, title, _ in listed]
        assert any(t.startswith("Ik word heel onrustig") for t in texts)
        goal = world.item("goal", youth_id=lisa.id)
        plan = world.ctx("lisa").plan
        record_sixteen_review(db.session, person=lisa, family_id=plan.family_id, shared_item_ids={goal.id})
        db.session.commit()
        sanne = queries.build(db.session, ctx=world.ctx("sanne"), record_visit=False)
        assert sanne.item_view(goal.id) is not None
        assert sanne.item_view(world.item("worry", youth_id=lisa.id).id) is None


def test_a_task_under_a_goal_is_protected_like_the_goal(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        ctx = world.ctx("mark")
        calm = world.item("goal", youth_id=world.people["lisa"])
        task = services.create_item(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), kind="action",
                                    fields={"text": "Ademhalingsoefening voor de toets",
                                            "owner_id": world.people["mark"], "goal_id": calm.id})
        db.session.commit()
        assert task.youth_id == world.people["lisa"]
        assert queries.build(db.session, ctx=world.ctx("sanne"), record_visit=False).item_view(task.id) is None
        school_task = world.item("action", owner_id=world.people["tom"])
        assert school_task.youth_id == world.people["tom"]
        assert queries.build(db.session, ctx=world.ctx("noor"), record_visit=False).item_view(school_task.id) is None
