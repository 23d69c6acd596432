"""Judging a goal's result: who judges, no anchoring, the family verdict by the age rules, events and history."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.catalog.models import Assignment
from app.core.clock import today
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.identity.models import Family, Municipality
from app.results import services
from app.results.models import FamilyVerdict, ResultVerdict
from app.results.trajectory import Trajectory
from app.sync.models import OutboxEvent
from app.sync.schemas import validator


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


def test_tom_sanne_and_erik_say_achieved_karin_partly_so_the_family_verdict_is_achieved(world):
    with world.app.test_request_context():
        for key, verdict in [("karin", "partly"), ("tom", "achieved"), ("sanne", "achieved")]:
            judge(world, key, verdict)
            assert result_events() == []  # Erik has not judged yet
        assert db.session.get(Assignment, world.assignment_id).result_state == "open"
        judge(world, "erik", "achieved")
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
        judge(world, "tom", "achieved", "Het rooster werkt, ik heb mijn spullen.")
        sanne = services.judging(db.session, trajectory=world.t("sanne"))
        assert sanne.verdicts == []
        assert sanne.history == []
        assert sanne.given_by == {world.people["tom"]}  # she sees that Tom judged, not what he said
        judge(world, "sanne", "partly")
        sanne = services.judging(db.session, trajectory=world.t("sanne"))
        assert {v.verdict for v in sanne.verdicts} == {"achieved", "partly"}
        assert services.judging(db.session, trajectory=world.t("mark")).verdicts == []


def test_differing_verdicts_divide_the_family_until_someone_revises_and_the_history_stays(world):
    with world.app.test_request_context():
        judge(world, "tom", "achieved")
        judge(world, "sanne", "partly", "Tom vergeet nog vaak zijn gymtas.")
        judge(world, "erik", "achieved")
        view = services.judging(db.session, trajectory=world.t("mark"))
        assert view.divided
        assert view.family is None
        assert db.session.get(Assignment, world.assignment_id).result_state == "divided"
        assert result_events() == []
        services.record_conversation(db.session, trajectory=world.t("mark"), moment="end",
                                     text="Samen gekeken: de gymtas is opgelost.")
        judge(world, "sanne", "achieved", "Na het gesprek: het gaat goed.")
        assert result_events()[-1].event_type == "result.achieved"
        rows = db.session.exec(select(ResultVerdict).where(ResultVerdict.person_id == world.people["sanne"])
                               .order_by(ResultVerdict.version)).all()
        assert [(r.verdict, r.version, r.superseded_at is not None) for r in rows] == [
            ("partly", 1, True), ("achieved", 2, False)]
        assert [n.text for n in services.judging(db.session, trajectory=world.t("tom")).notes] == [
            "Samen gekeken: de gymtas is opgelost."]
        assert services.judging(db.session, trajectory=world.t("karin")).notes == []  # not for the provider


def test_provider_and_professional_verdicts_never_override_the_family(world):
    with world.app.test_request_context():
        judge(world, "mark", "achieved")
        judge(world, "karin", "achieved")
        for key in ("tom", "sanne", "erik"):
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
        for key in ("tom", "sanne", "erik"):
            judge(world, key, "partly")
        [event] = result_events()
        validator("result.not_achieved").validate(event.payload)
        assert event.payload["partial_result_releases"] is releases
        assert event.payload["releases_second_payment"] is expected


def test_verdicts_are_final_once_the_family_verdict_is_set_and_only_the_professional_corrects(world):
    with world.app.test_request_context():
        for key in ("tom", "sanne", "erik"):
            judge(world, key, "achieved")
        for key in ("tom", "karin", "mark"):
            with pytest.raises(ValidationFailed) as refused:
                judge(world, key, "not_achieved")
            assert refused.value.reasons[0][0] == "verdict"
            db.session.rollback()
        for key in ("karin", "sanne", "tom"):  # a provider (or anyone else) never sets the family verdict
            with pytest.raises(NotAllowed):
                services.correct(db.session, trajectory=world.t(key), moment="end", verdict="partly", reason="x")
            db.session.rollback()
        with pytest.raises(ValidationFailed) as refused:
            services.correct(db.session, trajectory=world.t("mark"), moment="end", verdict="achieved", reason="")
        assert {field for field, _ in refused.value.reasons} == {"verdict", "reason"}
        db.session.rollback()
        services.correct(db.session, trajectory=world.t("mark"), moment="end", verdict="partly",
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
        judge(world, "tom", "achieved")
        judge(world, "tom", "partly")
        with pytest.raises(NotAllowed):
            services.correct(db.session, trajectory=world.t("karin"), moment="end", verdict="partly", reason="x")
        db.session.rollback()
        family_id = world.t("tom").ctx.plan.family_id
        entries = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event.like("result.%"),
                                                               AccessLogEntry.family_id == family_id)
                                  .order_by(AccessLogEntry.id)).all()
        assert [(e.event, e.action, e.outcome) for e in entries if e.event != "result.view"] == [
            ("result.judge", "create", "success"), ("result.judge", "update", "success"),
            ("result.correct", "execute", "refused")]
        assert entries[0].actor_id == world.people["tom"]
        assert entries[0].youth_id == world.people["tom"]


def test_who_may_judge_tom_s_goal(world):
    with world.app.test_request_context():
        for key in ("noor", "lisa", "fenna", "jeroen"):  # his sisters, the network, the municipality
            with pytest.raises(NotFound):
                world.t(key)
        assert {key: world.t(key).capacity() for key in ("tom", "sanne", "erik", "mark", "karin")} == {
            "tom": "youth", "sanne": "parent", "erik": "parent", "mark": "professional", "karin": "provider"}
        assert world.t("tom").counting == {world.people[k] for k in ("tom", "sanne", "erik")}


def test_the_age_rules_decide_whose_verdict_counts(world):
    with world.app.test_request_context():
        mark = world.t("mark")
        for youth, expected in [("noor", {"sanne", "erik"}), ("lisa", {"lisa"})]:
            goal = world.item("goal", youth_id=world.people[youth])
            assert Trajectory(mark.ctx, goal, mark.assignment).counting == {world.people[k] for k in expected}


def test_a_child_under_12_gives_a_smiley_verdict_that_is_her_voice_not_her_vote(world):
    with world.app.test_request_context():
        noor_goal = world.item("goal", youth_id=world.people["noor"]).id
        assignment = db.session.exec(select(Assignment).where(Assignment.goal_id == noor_goal)).one()
        assignment.care_started_on, assignment.care_stopped_on = today() - timedelta(days=60), today()
        assignment.stop_reason = "31"
        db.session.commit()
        assert world.t("noor", noor_goal).child_voice
        smiley = judge(world, "noor", "not_achieved", "", goal_id=noor_goal)  # no explanation needed
        assert smiley.child_voice
        judge(world, "sanne", "achieved", goal_id=noor_goal)
        judge(world, "erik", "achieved", goal_id=noor_goal)
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
            services.judge(db.session, trajectory=world.t("sanne"), moment="end", verdict=verdict,
                           explanation=explanation)
        assert refused.value.reasons[0][0] == field


def test_hostile_text_frysk_and_emoji_are_kept_as_typed(world):
    with world.app.test_request_context():
        text = "<script>alert('x')</script> Tom hat it goed dien, sûnder gedoe 👍 — Frysk: ûs, fâld, Drachtster"
        assert judge(world, "sanne", "achieved", text).explanation == text


def test_judging_waits_until_the_help_has_ended(world):
    with world.app.test_request_context():
        assignment = db.session.get(Assignment, world.assignment_id)
        assignment.care_stopped_on, assignment.stop_reason = None, ""
        db.session.commit()
        with pytest.raises(ValidationFailed):
            judge(world, "tom", "achieved")
        db.session.rollback()
        evaluation = services.judge(db.session, trajectory=world.t("tom"), moment="evaluation", verdict="partly",
                                    explanation="Halverwege: het gaat beter.")
        assert evaluation.moment == "evaluation"
