"""The ZGW worker's rules: order per plan, a dead event holds its plan back until `flask zgw retry`, backoff and
dead after the last attempt, skipped events, its own state apart from the sync worker's, the CLI and its lock."""

from datetime import timedelta

from sqlmodel import select

from app.core.clock import utcnow
from app.extensions import db
from app.outbox.models import OutboxEvent, SyncWorkerLock
from app.sync import worker as sync_worker
from app.zgw import worker
from tests.zgw.support import (
    RSIN,
    assignment_requested,
    care_started,
    emit,
    make_due,
    plan_fixed,
    register_all,
    registrations,
    settings_for,
)

ZERO = {"provider": 0, "professional": 0, "municipality": 0, "app": 0}
MONTHLY = {"municipality_code": "0080", "month": "2026-10", "generated_at": "2026-11-01T02:00:00+00:00",
           "received": ZERO, "regimes": {"jeugdwet": 0, "wkkgz": 0, "awb": 0}, "judged": 0, "judged_on_time": 0,
           "on_time_share": None, "outcomes": {"founded": 0, "partly_founded": 0, "unfounded": 0}, "closed": 0,
           "reopened": 0, "satisfied": {"yes": 0, "no": 0}, "open_overdue_at_month_end": 0}


def _requests_about(zrc, text: str) -> list:
    return [s for s in zrc.seen if text in str(s.query) or text in str(s.body)]


def test_a_dead_event_holds_its_plan_back_but_not_other_plans_until_retried(any_zgw_app, zrc, settings):
    bad = [emit(any_zgw_app, "plan.fixed", plan_fixed("plan-bad")),
           emit(any_zgw_app, "assignment.requested", assignment_requested("plan-bad"))]
    good = [emit(any_zgw_app, "plan.fixed", plan_fixed("plan-good")),
            emit(any_zgw_app, "care.started", care_started("plan-good"))]
    zrc.fail_next("POST", "zaken", status=400)  # plan-bad's Zaak is refused: permanent
    register_all(any_zgw_app, settings)

    done = registrations(any_zgw_app)
    assert done[bad[0]].status == "dead"
    assert done[bad[0]].attempts == 1
    assert bad[1] not in done  # never tried: it waits behind the dead one
    assert [done[i].status for i in good] == ["registered", "registered"]
    assert [s.method for s in _requests_about(zrc, "plan-bad")] == ["GET", "POST"]
    with any_zgw_app.app_context(), db.new_session() as session:
        assert worker.counts(session) == {"registered": 2, "skipped": 0, "pending": 1, "dead": 1}

    any_zgw_app.config["ZGW"] = settings
    runner = any_zgw_app.test_cli_runner()
    again = runner.invoke(args=["zgw", "retry", str(bad[0])])
    assert again.exit_code == 0, again.output
    assert runner.invoke(args=["zgw", "retry", str(good[0])]).exit_code == 1  # not dead: refused
    run = runner.invoke(args=["zgw", "run", "--once"])
    assert run.exit_code == 0, run.output
    assert run.output.splitlines() == ["zgw: 1 registered, 0 skipped, 0 failed (0 dead)"] * 2  # one step per round
    done = registrations(any_zgw_app)
    assert {done[i].status for i in bad + good} == {"registered"}
    assert len(zrc.zaken) == 2
    status = runner.invoke(args=["zgw", "status"])
    assert status.output.strip() == "registered 4 · skipped 0 · pending 0 · dead 0"


def test_an_unreachable_zrc_is_tried_again_with_backoff_then_the_event_is_dead(lite_app, zrc, settings):
    event_id = emit(lite_app, "plan.fixed", plan_fixed("plan-down"))
    for _ in range(3):
        zrc.fail_next("GET", "zaken", status=503)
    before = utcnow()
    register_all(lite_app, settings)
    row = registrations(lite_app)[event_id]
    assert (row.status, row.attempts) == ("pending", 1)
    assert "503" in row.note
    assert before + timedelta(seconds=29) < row.next_attempt_at < before + timedelta(seconds=61)  # 60 s ± jitter
    register_all(lite_app, settings)
    assert registrations(lite_app)[event_id].attempts == 1  # not due yet: not tried

    make_due(lite_app)
    register_all(lite_app, settings)
    assert registrations(lite_app)[event_id].attempts == 2
    make_due(lite_app)
    register_all(lite_app, settings)
    row = registrations(lite_app)[event_id]
    assert (row.status, row.attempts, row.next_attempt_at) == ("dead", 3, None)  # ZGW_MAX_ATTEMPTS=3
    assert zrc.zaken == {}


def test_events_of_a_municipality_without_rsin_are_skipped_and_monthly_figures_not_looked_at(lite_app, zrc):
    regional = settings_for(zrc.url, ZGW_BRONORGANISATIE=f'{{"0086": "{RSIN}"}}')
    skipped = emit(lite_app, "plan.fixed", plan_fixed("plan-elsewhere"))
    monthly = emit(lite_app, "complaints.monthly", MONTHLY, aggregate_type="complaints",
                   aggregate_id="complaints:0080")
    register_all(lite_app, regional)
    done = registrations(lite_app)
    assert list(done) == [skipped]  # the monthly figures are not the ZRC's: not even a row
    assert monthly not in done
    assert done[skipped].status == "skipped"
    assert "0080" in done[skipped].note
    assert zrc.seen == []
    with lite_app.app_context(), db.new_session() as session:
        assert worker.counts(session) == {"registered": 0, "skipped": 1, "pending": 0, "dead": 0}


def test_the_zrc_registration_does_not_depend_on_the_event_api(lite_app, zrc, settings):
    event_id = emit(lite_app, "plan.fixed", plan_fixed("plan-apart"))
    with lite_app.app_context(), db.new_session() as session:
        event = session.get(OutboxEvent, event_id)
        event.status, event.attempts = "dead", 20  # the municipality's event API refused it
        session.add(event)
    register_all(lite_app, settings)
    assert registrations(lite_app)[event_id].status == "registered"
    with lite_app.app_context(), db.new_session() as session:
        assert session.get(OutboxEvent, event_id).status == "dead"  # the sync worker's state is left alone
    assert len(zrc.zaken) == 1


def test_flask_zgw_run_refuses_without_url_or_with_incomplete_settings(lite_app, zrc):
    runner = lite_app.test_cli_runner()
    lite_app.config["ZGW"] = settings_for("", ZGW_ZRC_URL="")
    off = runner.invoke(args=["zgw", "run", "--once"])
    assert off.exit_code == 1
    assert "ZGW_ZRC_URL is not set" in off.output
    lite_app.config["ZGW"] = settings_for(zrc.url, ZGW_BRONORGANISATIE="123456789", ZGW_SECRET="short")
    incomplete = runner.invoke(args=["zgw", "run", "--once"])
    assert incomplete.exit_code == 1
    assert "'123456789' (*) is not a valid RSIN" in incomplete.output
    assert "ZGW_SECRET" in incomplete.output
    assert zrc.seen == []


def test_only_one_zgw_worker_runs_and_the_sync_workers_lock_is_its_own(lite_app, zrc, settings):
    lite_app.config["ZGW"] = settings
    with lite_app.app_context(), db.new_session() as session:
        assert sync_worker.acquire_lock(session, holder="elsewhere:1", stale_after=60, name="zgw") is None
        assert sync_worker.acquire_lock(session, holder="here:2", stale_after=60) is None  # "outbox": another lock
    refused = lite_app.test_cli_runner().invoke(args=["zgw", "run", "--once"])
    assert refused.exit_code == 1
    assert "Another ZGW worker runs (elsewhere:1)" in refused.output
    with lite_app.app_context(), db.new_session() as session:
        sync_worker.release_lock(session, holder="elsewhere:1", name="zgw")
    emit(lite_app, "plan.fixed", plan_fixed("plan-cli"))
    ran = lite_app.test_cli_runner().invoke(args=["zgw", "run", "--once"])
    assert ran.exit_code == 0, ran.output
    assert "1 registered" in ran.output
    with lite_app.app_context(), db.new_session() as session:
        assert [lock.name for lock in session.exec(select(SyncWorkerLock)).all()] == ["outbox"]  # zgw released
