"""The national outcome items: one youth (12+) and one parent answer per ended care; scores 1-10 only."""

import pytest
from sqlmodel import select

from app.catalog.models import Assignment
from app.core.errors import NotAllowed, ValidationFailed
from app.extensions import db
from app.results.models import OutcomeAnswer
from app.results.outcomes import answer_outcome, informant


def answer(world, key, usefulness=8, independence="04"):
    row = answer_outcome(db.session, trajectory=world.t(key), usefulness=usefulness, independence=independence)
    db.session.commit()
    return row


def test_the_youth_and_one_parent_answer_and_it_is_recorded_who(world):
    with world.app.test_request_context():
        assert {k: informant(world.t(k)) for k in ("youth", "parent", "professional", "provider_staff")} == {
            "youth": "youth", "parent": "parent", "professional": None, "provider_staff": None}
        answer(world, "youth", 9, "04")
        answer(world, "parent", 7, "03")
        answer(world, "parent", 8, "03")  # she may change her answer
        rows = db.session.exec(select(OutcomeAnswer).where(OutcomeAnswer.assignment_id == world.assignment_id)
                               .order_by(OutcomeAnswer.id)).all()
        assert [(r.informant, r.person_id, r.usefulness) for r in rows] == [
            ("youth", world.people["youth"], 9), ("parent", world.people["parent"], 8)]
        with pytest.raises(ValidationFailed) as refused:  # CBS: one measurement per informant type
            answer(world, "other_parent", 5, "01")
        assert world.NAMES["parent"] in refused.value.reasons[0][1]  # who answered already
        child_goal, _assignment = world.ended_help("child")
        assert informant(world.t("child", child_goal)) is None  # under 12: a parent answers


@pytest.mark.parametrize(("usefulness", "independence", "field"), [
    (0, "04", "usefulness"), (11, "04", "usefulness"), (None, "04", "usefulness"), (5, "05", "independence"),
    (5, "", "independence")])
def test_bad_scores_are_refused(world, usefulness, independence, field):
    with world.app.test_request_context():
        with pytest.raises(ValidationFailed) as refused:
            answer(world, "youth", usefulness, independence)
        assert field in {f for f, _ in refused.value.reasons}


def test_the_database_refuses_a_score_of_eleven_too(world):
    import sqlalchemy as sa

    with world.app.test_request_context():
        db.session.add(OutcomeAnswer(assignment_id=world.assignment_id, person_id=world.people["youth"],
                                     informant="youth", usefulness=11, independence="04"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()


def test_staff_do_not_answer_and_nobody_answers_before_the_end(world):
    with world.app.test_request_context():
        for key in ("professional", "provider_staff"):
            with pytest.raises(NotAllowed):
                answer(world, key)
        assignment = db.session.get(Assignment, world.assignment_id)
        assignment.care_stopped_on = None
        db.session.commit()
        with pytest.raises(ValidationFailed):
            answer(world, "youth")
