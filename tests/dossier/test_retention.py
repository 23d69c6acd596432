"""Retention (issue 22, point 1; Jeugdwet 7.3.8 lid 3), on SQLite and PostgreSQL: dossiers go 20 years after their
last change, the access log's entries after 5 years behind a signed checkpoint, and `flask audit verify` passes
before and after. A run stopped half-way leaves nothing half-done; the next run finishes it. The municipality keeps
anonymous counts only."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.audit.models import AccessLogCheckpoint, AccessLogEntry
from app.audit.services import verify
from app.core.clock import utcnow
from app.dossier.models import JobReport, RetainedFigure
from app.dossier.retention import due_families, expire
from app.extensions import db
from app.identity.models import Family
from app.outbox.models import OutboxEvent
from app.outbox.schemas import validator
from app.plans.models import ItemVersion, Plan, PlanItem
from tests.conftest import family_id

YEARS = 365.25 * 24 * 3600


def later(years: float):
    return utcnow() + timedelta(seconds=years * YEARS)


def keep_demo_family_alive(app, until_years: float) -> str:
    """Give the demo family a change `until_years` from now, so it is not past its term when the job runs."""
    demo = family_id(app)
    with app.app_context():
        plan = db.session.exec(select(Plan).where(Plan.family_id == demo)).one()
        item = db.session.exec(select(PlanItem).where(PlanItem.plan_id == plan.id)).first()
        db.session.add(ItemVersion(item_id=item.id, plan_id=plan.id, version=999, change="update",
                                   author_id=item.author_id, typed_by_id=item.author_id,
                                   changed_at=later(until_years), data={}))
        db.session.commit()
    return demo


def test_past_their_term_dossiers_go_the_log_is_pruned_and_it_all_still_verifies(any_plan_app):
    demo = keep_demo_family_alive(any_plan_app, 20.5)
    with any_plan_app.app_context():
        assert verify(db.session) == []
        families = db.session.exec(select(Family.id)).all()
        texts = {row[0] for row in db.session.execute(sa.select(PlanItem.text).join(Plan).where(
            Plan.family_id != demo))}
        entries_before = db.session.exec(select(sa.func.count()).select_from(AccessLogEntry)).one()
        report = expire(db.new_session, now=later(21))
        assert report.finished_at is not None
        assert report.families_due == report.families_destroyed == len(families) - 1
        assert db.session.exec(select(Family.id)).all() == [demo]
        left = {row[0] for row in db.session.execute(sa.select(PlanItem.text))}
        assert not (texts - {""}) & left  # the others' words are gone; the demo family's stay
        assert report.log_entries_pruned >= entries_before  # everything before `now - 5 years`
        assert db.session.exec(select(sa.func.count()).select_from(AccessLogCheckpoint)).one() > 0
        assert verify(db.session) == []
        figures = {figure.name: figure.count for figure in db.session.exec(select(RetainedFigure)).all()
                   if figure.name == "families"}
        assert sum(figures.values()) == len(families) - 1  # only counts survive: no ids, no names
        events = db.session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "dossier.destroyed")).all()
        assert len(events) == len(families) - 1
        for event in events:
            validator("dossier.destroyed").validate(event.payload)
            assert event.payload["reason"] == "retention"


def test_the_periods_are_settings(plan_app):
    with plan_app.app_context():
        assert due_families(db.session, later(19.9)) == []
        plan_app.config["DOSSIER_RETENTION_YEARS"] = 5
        assert len(due_families(db.session, later(5.1))) == db.session.exec(
            select(sa.func.count()).select_from(Family)).one()


def test_a_run_stopped_half_way_is_finished_by_the_next(any_plan_app):
    class Stop(Exception):
        pass

    def two_steps_then_stop(steps):
        for number, step in enumerate(steps):
            if number == 2:
                raise Stop
            yield step

    with any_plan_app.app_context():
        count = db.session.exec(select(sa.func.count()).select_from(Family)).one()
        with pytest.raises(Stop):
            expire(db.new_session, now=later(21), progress=two_steps_then_stop)
        assert db.session.exec(select(sa.func.count()).select_from(Family)).one() == count - 2
        assert verify(db.session) == []
        stopped = db.session.exec(select(JobReport)).one()
        assert stopped.finished_at is None  # the report says so
        report = expire(db.new_session, now=later(21))
        assert report.families_destroyed == count - 2
        assert db.session.exec(select(sa.func.count()).select_from(Family)).one() == 0
        assert db.session.exec(select(sa.func.count()).select_from(PlanItem)).one() == 0
        assert verify(db.session) == []


def test_a_moved_or_removed_checkpoint_is_seen(plan_app):
    with plan_app.app_context():
        expire(db.new_session, now=later(6))  # no dossier is due; the log's entries all are
        assert verify(db.session) == []
        point = db.session.exec(select(AccessLogCheckpoint).where(AccessLogCheckpoint.chain != "system")).first()
        point.seq += 1
        db.session.commit()
        assert any(problem.problem == "checkpoint signature does not match" for problem in verify(db.session))
        db.session.delete(point)
        db.session.commit()
        assert verify(db.session) != []


def test_the_command_reports_what_it_did_and_the_daily_round_runs_it(plan_app):
    runner = plan_app.test_cli_runner()
    done = runner.invoke(args=["dossier", "expire"])
    assert done.exit_code == 0, done.output
    assert "Dossiers past their term: 0; destroyed: 0" in done.output
    assert runner.invoke(args=["audit", "verify"]).output.strip() == "Access log intact."
    daily = runner.invoke(args=["notifications", "run", "--once", "--at", "00:00"])
    assert daily.exit_code == 0, daily.output
    with plan_app.app_context():
        assert db.session.exec(select(sa.func.count()).select_from(JobReport)).one() == 2
