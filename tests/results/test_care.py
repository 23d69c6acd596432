"""The provider records the start and the end of care; the outbox tells the municipality; uitval from JZ588."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.catalog.models import Assignment
from app.catalog.vocab import DROPOUT_REASONS, is_dropout
from app.core.clock import today
from app.core.errors import NotAllowed, ValidationFailed
from app.extensions import db
from app.outbox.models import OutboxEvent
from app.outbox.schemas import validator
from app.results import care
from app.results.vocab import STOP_REASONS


def reopen(world) -> Assignment:
    """The help as if it had just been assigned (not started, not stopped)."""
    assignment = db.session.get(Assignment, world.assignment_id)
    assignment.care_started_on = assignment.care_stopped_on = None
    assignment.stop_reason = ""
    db.session.commit()
    return assignment


def events(kind, world):
    return db.session.exec(select(OutboxEvent).where(OutboxEvent.event_type == kind,
                                                     OutboxEvent.aggregate_id == world.plan_id)
                           .order_by(OutboxEvent.id)).all()


def test_the_demo_help_started_and_ended_as_planned(demo_world):
    world = demo_world
    with world.app.test_request_context():
        assignment = db.session.get(Assignment, world.assignment_id)
        assert assignment.care_started_on < assignment.care_stopped_on <= today()
        assert (assignment.stop_reason, assignment.dropped_out) == ("31", False)
        for kind in ("care.started", "care.stopped"):
            [event] = events(kind, world)
            validator(kind).validate(event.payload)
            assert event.payload["reference"] == assignment.reference


def test_the_provider_records_start_and_an_early_stop_by_the_family_which_is_uitval(world):
    with world.app.test_request_context():
        reopen(world)
        start = today() - timedelta(days=30)
        care.start_care(db.session, trajectory=world.t("provider_staff"), started_on=start)
        db.session.commit()
        assert events("care.started", world)[-1].payload["started_on"] == start.isoformat()
        care.stop_care(db.session, trajectory=world.t("provider_staff"), stopped_on=today(), reason="32")
        db.session.commit()
        payload = events("care.stopped", world)[-1].payload
        assert (payload["stop_reason"], payload["dropped_out"]) == ("32", True)
        assert db.session.get(Assignment, world.assignment_id).dropped_out


@pytest.mark.parametrize("key", ["youth", "parent", "professional"])
def test_only_the_assigned_provider_records_care(world, key):
    with world.app.test_request_context():
        reopen(world)
        with pytest.raises(NotAllowed):
            care.start_care(db.session, trajectory=world.t(key), started_on=today())


def test_bad_care_dates_and_reasons_are_refused(world):
    with world.app.test_request_context():
        assignment = reopen(world)
        karin = world.t("provider_staff")
        with pytest.raises(ValidationFailed):
            care.stop_care(db.session, trajectory=karin, stopped_on=today(), reason="31")  # not started
        for bad in (None, today() + timedelta(days=1), assignment.assigned_start - timedelta(days=1)):
            with pytest.raises(ValidationFailed) as refused:
                care.start_care(db.session, trajectory=karin, started_on=bad)
            assert refused.value.reasons[0][0] == "started_on"
        care.start_care(db.session, trajectory=karin, started_on=today() - timedelta(days=10))
        with pytest.raises(ValidationFailed):
            care.start_care(db.session, trajectory=karin, started_on=today())  # once
        with pytest.raises(ValidationFailed) as refused:
            care.stop_care(db.session, trajectory=karin, stopped_on=today() - timedelta(days=11), reason="99")
        assert {field for field, _ in refused.value.reasons} == {"stopped_on", "reason"}


def test_uitval_is_an_early_one_sided_end():
    assert set(STOP_REASONS) >= DROPOUT_REASONS
    assert [code for code in STOP_REASONS if is_dropout(code)] == ["32", "33"]
    assert not is_dropout("34")
    assert not is_dropout("31")
    assert not is_dropout("")
