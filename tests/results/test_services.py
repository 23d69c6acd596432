"""Judging a goal's result: who judges, no anchoring, the family verdict by the age rules, events and history.

`world` is a family made for the test (tests/results/conftest.py): the help for the goal about its youth of 14
ended yesterday; both parents have custody, the youth's siblings are 11 and 16.
"""


import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.catalog.models import Assignment
from app.core.clock import today
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.identity.models import Family, Municipality, Person
from app.notifications.inbox import describe
from app.notifications.models import Notification
from app.outbox.models import OutboxEvent
from app.outbox.schemas import validator
from app.plans.models import Plan, PlanItem
from app.results import services
from app.results.models import FamilyVerdict, ResultVerdict
from app.results.trajectory import Trajectory
from tests import factories


def judge(world, key, verdict, explanation="Zo zie ik het.", goal_id=None):
    row = services.judge(db.session, trajectory=world.t(key, goal_id), moment="end", verdict=verdict,
                         explanation=explanation)
    db.session.commit()
    return row


def result_events():
    return db.session.exec(select(OutboxEvent).where(OutboxEvent.event_type.like("result.%"),
                                                     OutboxEvent.aggregate_id == PLAN_ID[0])
                           .order_by(OutboxEvent.id)).all()


PLAN_ID = [""]


@pytest.fixture(autouse=True)
def _plan(world):
    PLAN_ID[0] = world.plan_id


def test_youth_and_parents_say_achieved_provider_partly_so_the_family_verdict_is_achieved(world):
    with world.app.test_request_context():
        for key, verdict in [("provider_staff", "partly"), ("youth", "achieved"), ("parent", "achieved")]:
            judge(world, key, verdict)
            assert result_events() == []  # the other parent has not judged yet
        assert db.session.get(Assignment, world.assignment_id).result_state == "open"
        judge(world, "other_parent", "achieved")
        family = db.session.exec(select(FamilyVerdict).where(FamilyVerdict.assignment_id == world.assignment_id)).one()
        assert (family.verdict, family.current, family.moment) == ("achieved", True, "end")
        assert db.session.get(Assignment, world.assignment_id).result_state == "achieved"
        [event] = result_events()
        assert event.event_type == "result.achieved"
        validator("result.achieved").validate(event.payload)
        assert event.payload["releases_second_payment"] is True
        counts = {v["capacity"]: v["counts"] for v in event.payload["verdicts"]}
        assert counts == {"provider": False, "youth": True, "parent": True}
        assert "Zo zie ik het." not in str(event.payload)  # explanations stay in the app


def test_nobody_sees_the_others_verdicts_before_giving_their_own(world):
    with world.app.test_request_context():
        judge(world, "youth", "achieved", "Het rooster werkt, ik heb mijn spullen.")
        sanne = services.judging(db.session, trajectory=world.t("parent"))
        assert sanne.verdicts == []
        assert sanne.history == []
        assert sanne.given_by == {world.people["youth"]}  # she sees that the youth judged, not what he said
        judge(world, "parent", "partly")
        sanne = services.judging(db.session, trajectory=world.t("parent"))
        assert {v.verdict for v in sanne.verdicts} == {"achieved", "partly"}
        assert services.judging(db.session, trajectory=world.t("professional")).verdicts == []


def test_differing_verdicts_divide_the_family_until_someone_revises_and_the_history_stays(world):
    with world.app.test_request_context():
        judge(world, "youth", "achieved")
        judge(world, "parent", "partly", "Tom vergeet nog vaak zijn gymtas.")
        judge(world, "other_parent", "achieved")
        view = services.judging(db.session, trajectory=world.t("professional"))
        assert view.divided
        assert view.family is None
        assert db.session.get(Assignment, world.assignment_id).result_state == "divided"
        assert result_events() == []
        services.record_conversation(db.session, trajectory=world.t("professional"), moment="end",
                                     text="Samen gekeken: de gymtas is opgelost.")
        judge(world, "parent", "achieved", "Na het gesprek: het gaat goed.")
        assert result_events()[-1].event_type == "result.achieved"
        rows = db.session.exec(select(ResultVerdict).where(ResultVerdict.person_id == world.people["parent"])
                               .order_by(ResultVerdict.version)).all()
        assert [(r.verdict, r.version, r.superseded_at is not None) for r in rows] == [
            ("partly", 1, True), ("achieved", 2, False)]
        assert [n.text for n in services.judging(db.session, trajectory=world.t("youth")).notes] == [
            "Samen gekeken: de gymtas is opgelost."]
        assert services.judging(db.session, trajectory=world.t("provider_staff")).notes == []  # not for the provider


def test_provider_and_professional_verdicts_never_override_the_family(world):
    with world.app.test_request_context():
        judge(world, "professional", "achieved")
        judge(world, "provider_staff", "achieved")
        for key in ("youth", "parent", "other_parent"):
            judge(world, key, "not_achieved")
        [event] = result_events()
        assert (event.event_type, event.payload["family_verdict"]) == ("result.not_achieved", "not_achieved")
        assert event.payload["releases_second_payment"] is False


@pytest.mark.parametrize(("releases", "expected"), [(False, False), (True, True)])
def test_partly_releases_the_second_half_only_when_the_municipality_says_so(world, releases, expected):
    with world.app.test_request_context():
        municipality = db.session.get(Municipality, db.session.get(
            Family, db.session.get(Assignment, world.assignment_id).family_id).municipality_id)
        municipality.partial_result_releases = releases
        db.session.commit()
        for key in ("youth", "parent", "other_parent"):
            judge(world, key, "partly")
        [event] = result_events()
        validator("result.not_achieved").validate(event.payload)
        assert event.payload["partial_result_releases"] is releases
        assert event.payload["releases_second_payment"] is expected


def test_the_family_s_verdicts_are_final_once_the_family_verdict_is_set_and_only_the_professional_corrects(world):
    with world.app.test_request_context():
        for key in ("youth", "parent", "other_parent"):
            judge(world, key, "achieved")
        for key in ("youth", "parent"):  # the family's own verdicts are final (the provider's and professional's:
            # below)
            with pytest.raises(ValidationFailed) as refused:
                judge(world, key, "not_achieved")
            assert refused.value.reasons[0][0] == "verdict"
            db.session.rollback()
        for key in ("provider_staff", "parent", "youth"):  # a provider (or anyone else) never sets the family verdict
            with pytest.raises(NotAllowed):
                services.correct(db.session, trajectory=world.t(key), moment="end", verdict="partly", reason="x")
            db.session.rollback()
        with pytest.raises(ValidationFailed) as refused:
            services.correct(db.session, trajectory=world.t("professional"), moment="end", verdict="achieved",
                             reason="")
        assert {field for field, _ in refused.value.reasons} == {"verdict", "reason"}
        db.session.rollback()
        services.correct(db.session, trajectory=world.t("professional"), moment="end", verdict="partly",
                         reason="Erik gaf per ongeluk het verkeerde antwoord.")
        db.session.commit()
        rows = db.session.exec(select(FamilyVerdict).where(FamilyVerdict.assignment_id == world.assignment_id)
                               .order_by(FamilyVerdict.id)).all()
        assert [(r.verdict, r.current) for r in rows] == [("achieved", False), ("partly", True)]
        assert rows[1].corrected_from_id == rows[0].id
        event = result_events()[-1]
        assert (event.event_type, event.payload["corrects"]) == ("result.not_achieved", "achieved")
        assert db.session.get(Assignment, world.assignment_id).result_state == "partly"


def test_every_verdict_change_and_refusal_is_in_the_access_log(world):
    with world.app.test_request_context():
        judge(world, "youth", "achieved")
        judge(world, "youth", "partly")
        with pytest.raises(NotAllowed):
            services.correct(db.session, trajectory=world.t("provider_staff"), moment="end", verdict="partly",
                             reason="x")
        db.session.rollback()
        family_id = world.t("youth").ctx.plan.family_id
        entries = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event.like("result.%"),
                                                               AccessLogEntry.family_id == family_id)
                                  .order_by(AccessLogEntry.id)).all()
        assert [(e.event, e.action, e.outcome) for e in entries if e.event != "result.view"] == [
            ("result.judge", "create", "success"), ("result.judge", "update", "success"),
            ("result.correct", "execute", "refused")]
        assert entries[0].actor_id == world.people["youth"]
        assert entries[0].youth_id == world.people["youth"]


def test_who_may_judge_the_goal_of_a_youth_of_14(world):
    with world.app.test_request_context():
        for key in ("child", "sixteen", "network", "municipality_staff",  # siblings, network, the municipality
                    "parent_without_custody"):
            with pytest.raises(NotFound):
                world.t(key)
        capacities = {"youth": "youth", "parent": "parent", "other_parent": "parent", "professional": "professional",
                      "provider_staff": "provider"}
        assert {key: world.t(key).capacity() for key in capacities} == capacities
        assert world.t("youth").counting == {world.people[k] for k in ("youth", "parent", "other_parent")}


def test_the_age_rules_decide_whose_verdict_counts(world):
    with world.app.test_request_context(), db.new_session() as session:  # youths on both sides of 12 and of 16
        professional = session.get(Person, world.people["professional"])
        for age in (12, 15):
            world.people[f"youth_{age}"] = factories.join(session, family=session.get(Family, world.family_id),
                                                          invited_by=professional, role="youth", age=age).id
    with world.app.test_request_context():
        mark = world.t("professional")
        plan, author = db.session.get(Plan, world.plan_id), db.session.get(Person, world.people["professional"])
        for youth, expected in [("child", {"parent", "other_parent"}),
                                ("youth_12", {"youth_12", "parent", "other_parent"}),
                                ("youth", {"youth", "parent", "other_parent"}),
                                ("youth_15", {"youth_15", "parent", "other_parent"}), ("sixteen", {"sixteen"})]:
            goal = factories.item(db.session, plan=plan, author=author, kind="goal", youth_id=world.people[youth])
            assert Trajectory(mark.ctx, goal, mark.assignment).counting == {world.people[k] for k in expected}, youth


def test_a_child_under_12_gives_a_smiley_verdict_that_is_her_voice_not_her_vote(world):
    with world.app.test_request_context():
        noor_goal, _assignment = world.ended_help("child", stopped_on=today())
        assert world.t("child", noor_goal).child_voice
        smiley = judge(world, "child", "not_achieved", "", goal_id=noor_goal)  # no explanation needed
        assert smiley.child_voice
        judge(world, "parent", "achieved", goal_id=noor_goal)
        judge(world, "other_parent", "achieved", goal_id=noor_goal)
        [event] = result_events()
        assert event.payload["family_verdict"] == "achieved"
        noor = next(v for v in event.payload["verdicts"] if v["capacity"] == "youth")
        assert (noor["child_voice"], noor["counts"]) == (True, False)


@pytest.mark.parametrize(("verdict", "explanation", "field"), [
    ("", "Goed", "verdict"), ("excellent", "Goed", "verdict"), ("achieved'; DROP TABLE result_verdict;--", "x",
                                                                "verdict"),
    ("achieved", "   ", "explanation"), ("achieved", "x" * 2001, "explanation")])
def test_bad_verdicts_are_refused_with_a_reason(world, verdict, explanation, field):
    with world.app.test_request_context():
        with pytest.raises(ValidationFailed) as refused:
            services.judge(db.session, trajectory=world.t("parent"), moment="end", verdict=verdict,
                           explanation=explanation)
        assert refused.value.reasons[0][0] == field


def test_hostile_text_frysk_and_emoji_are_kept_as_typed(world):
    with world.app.test_request_context():
        text = "<script>alert('x')</script> Tom hat it goed dien, sûnder gedoe 👍 — Frysk: ûs, fâld, Drachtster"
        assert judge(world, "parent", "achieved", text).explanation == text


def test_judging_waits_until_the_help_has_ended(world):
    with world.app.test_request_context():
        assignment = db.session.get(Assignment, world.assignment_id)
        assignment.care_stopped_on, assignment.stop_reason = None, ""
        db.session.commit()
        with pytest.raises(ValidationFailed):
            judge(world, "youth", "achieved")
        db.session.rollback()
        evaluation = services.judge(db.session, trajectory=world.t("youth"), moment="evaluation", verdict="partly",
                                    explanation="Halverwege: het gaat beter.")
        assert evaluation.moment == "evaluation"


def test_provider_and_professional_may_judge_after_the_family_verdict_which_never_changes(world):
    with world.app.test_request_context():
        for key in ("youth", "parent", "other_parent"):
            judge(world, key, "achieved")
        [paid] = result_events()
        outbox_before = db.session.exec(select(sa.func.count()).select_from(OutboxEvent)).one()
        assert services.judging(db.session, trajectory=world.t("provider_staff")).may_judge
        assert not services.judging(db.session, trajectory=world.t("youth")).may_judge
        judge(world, "provider_staff", "not_achieved", "Volgens ons is er nog veel te doen.")
        judge(world, "professional", "partly", "Deels: het rooster werkt, de gymtas niet.")
        judge(world, "provider_staff", "partly", "Na overleg: deels.")  # and revise it
        family = db.session.exec(select(FamilyVerdict).where(FamilyVerdict.assignment_id == world.assignment_id)).all()
        assert [(f.verdict, f.current) for f in family] == [("achieved", True)]
        assert db.session.get(Assignment, world.assignment_id).result_state == "achieved"
        assert result_events() == [paid]  # no new payment event
        assert db.session.exec(select(sa.func.count()).select_from(OutboxEvent)).one() == outbox_before
        shown = services.judging(db.session, trajectory=world.t("parent"))
        assert {(v.capacity, v.verdict) for v in shown.verdicts} >= {("provider", "partly"), ("professional", "partly")}
        assert [(v.verdict, v.version) for v in shown.history if v.capacity == "provider"] == [("not_achieved", 1)]
        entries = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "result.judge",
                                                               AccessLogEntry.actor_id ==
                                                               world.people["provider_staff"])
                                  .order_by(AccessLogEntry.id)).all()
        assert [(e.action, e.detail) for e in entries] == [("create", "end:after_family_verdict"),
                                                           ("update", "end:after_family_verdict")]


def test_a_goal_withheld_from_the_parents_gets_its_family_verdict_from_the_youth_alone(world):
    with world.app.test_request_context():
        goal = db.session.get(PlanItem, world.goal_id)
        goal.withheld_from_parents, goal.withheld_reason = True, "Tom wil dit doel voor zichzelf houden."
        db.session.commit()
        tom = world.t("youth")
        assert tom.counting == {world.people["youth"]}  # the parents may not see the goal, so they do not decide
        assert sorted(capacity for _member, capacity in tom.judges()) == ["professional", "youth"]
        for key in ("parent", "other_parent"):
            with pytest.raises(NotFound):
                world.t(key)
        judge(world, "youth", "achieved")
        [event] = result_events()
        assert (event.event_type, event.payload["releases_second_payment"]) == ("result.achieved", True)
        assert [(v["capacity"], v["counts"]) for v in event.payload["verdicts"]] == [("youth", True)]


def test_partial_release_is_off_by_default_and_the_cli_switches_it(world):
    with world.app.test_request_context():
        municipality = db.session.get(Municipality, db.session.get(
            Family, db.session.get(Assignment, world.assignment_id).family_id).municipality_id)
        code = municipality.cbs_code
        assert municipality.partial_result_releases is False
    runner = world.app.test_cli_runner()
    unknown = runner.invoke(args=["municipality", "partial-release", "9999", "on"])
    assert unknown.exit_code != 0
    assert "9999" in unknown.output
    assert runner.invoke(args=["municipality", "partial-release", code, "maybe"]).exit_code != 0
    with world.app.test_request_context():
        for key in ("youth", "parent", "other_parent"):
            judge(world, key, "partly")
        [before] = result_events()
        assert (before.event_type, before.payload["releases_second_payment"]) == ("result.not_achieved", False)
    switched = runner.invoke(args=["municipality", "partial-release", code, "on"])
    assert switched.exit_code == 0, switched.output
    with world.app.test_request_context():
        db.session.expire_all()
        assert db.session.exec(select(Municipality).where(Municipality.cbs_code == code)).one().partial_result_releases
        services.correct(db.session, trajectory=world.t("professional"), moment="end", verdict="achieved",
                         reason="Tijdelijk anders")
        services.correct(db.session, trajectory=world.t("professional"), moment="end", verdict="partly",
                         reason="Toch deels")
        db.session.commit()
        after = result_events()[-1]
        assert (after.event_type, after.payload["partial_result_releases"],
                after.payload["releases_second_payment"]) == ("result.not_achieved", True, True)
        logged = db.session.exec(select(AccessLogEntry).where(
            AccessLogEntry.event == "municipality.partial_release")).one()
        assert (logged.object_id, logged.detail, logged.family_id) == (code, "off->on", None)


def test_the_professional_hears_once_when_the_family_is_divided(world):
    with world.app.test_request_context():
        judge(world, "youth", "achieved")
        judge(world, "parent", "partly")
        assert _divided_notes(world) == []  # the other parent has not judged: not divided yet
        judge(world, "other_parent", "achieved")
        [note] = _divided_notes(world)
        assert (note.person_id, note.item_id, note.detail, note.in_app) == (
            world.people["professional"], world.goal_id, "divided", True)
        assert note.mail == "none"  # the professional's choice for "a goal changes": in the app only (the default)
        judge(world, "other_parent", "not_achieved")  # still divided: no second notification
        assert len(_divided_notes(world)) == 1
        with force_locale("nl"):
            line = describe(note, db.session.get(PlanItem, world.goal_id), "Tom")
        with force_locale("fy"):
            frysk = describe(note, db.session.get(PlanItem, world.goal_id), "Tom")
        assert line.startswith("Het gezin is het niet eens over het resultaat van een doel.")
        assert frysk != line


def _divided_notes(world):
    return db.session.exec(select(Notification).where(Notification.topic == "goal_changed",
                                                      Notification.detail.like("divided%"))).all()


def test_a_correction_is_in_the_access_log_with_the_old_and_new_verdict(world):
    with world.app.test_request_context():
        for key in ("youth", "parent", "other_parent"):
            judge(world, key, "achieved")
        new = services.correct(db.session, trajectory=world.t("professional"), moment="end", verdict="partly",
                               reason="Erik gaf per ongeluk het verkeerde antwoord.")
        db.session.commit()
        entries = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event.in_(
            ("result.family_verdict", "result.correct"))).order_by(AccessLogEntry.id)).all()
        assert [(e.event, e.action, e.actor_id, e.detail) for e in entries] == [
            ("result.family_verdict", "create", world.people["other_parent"], "end:achieved"),
            ("result.correct", "update", world.people["professional"], "end:achieved->partly")]
        assert entries[1].object_id == str(new.id)
        assert entries[1].family_id == world.t("professional").ctx.plan.family_id
        assert entries[1].youth_id == world.people["youth"]
