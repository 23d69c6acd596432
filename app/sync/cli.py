"""`flask sync run|retry|status`: the delivery worker (the Procfile's `worker:` process) and its small tools."""

import sys
import time

import click
from flask import Blueprint, current_app

from app.core.errors import NotFound, ValidationFailed
from app.core.logs import CONFIG_EXIT, Refusal, say, service
from app.core.stopping import StopRequest
from app.extensions import db
from app.sync import services, worker

cli = Blueprint("sync_cli", __name__, cli_group="sync")


@cli.cli.command("run")
@click.option("--once", is_flag=True, help="Deliver what is due now, then stop (for tests, or to run from cron).")
@click.option("--quiet", is_flag=True, help="No progress line, even on a terminal.")
@service("sync")
def run(once: bool, quiet: bool) -> None:
    """Deliver the outbox to the municipality (SYNC_ENDPOINT) until stopped.

    On PostgreSQL several workers may run at once; on SQLite only one (a second one refuses to start).
    """
    settings = current_app.config["SYNC"]
    if problems := worker.settings_problems(settings, production=current_app.config["ENV_NAME"] == "production"):
        raise Refusal(f"The sync worker does not start: {'; '.join(problems)}. Set them in the environment "
                      "(docs/deploy.md), then start it again.", worker="sync", exit_code=CONFIG_EXIT)
    stop, holder = StopRequest(), worker.holder_name()
    single = db.engine.dialect.name == "sqlite"
    deliverer = worker.Deliverer(settings)
    progress = sys.stdout.isatty() and not quiet
    with db.new_session() as session:
        if single:
            other = worker.acquire_lock(session, holder=holder, stale_after=settings["lock_stale"])
            if other:
                raise Refusal(f"Another sync worker runs on this SQLite database ({other}). "
                              "SQLite allows one; use PostgreSQL for several.", worker="sync")
        try:
            _loop(session, deliverer, settings, stop=stop, once=once, progress=progress,
                  holder=holder if single else None)
        finally:
            if single:
                session.rollback()
                worker.release_lock(session, holder=holder)
    if progress:
        click.echo()


def _loop(session, deliverer, settings, *, stop, once, progress, holder) -> None:
    started, total, beat = time.monotonic(), 0, time.monotonic()
    while not stop.requested:
        done = worker.deliver_batch(session, deliverer, settings)
        total += done.delivered
        if progress:
            _progress(session, total, time.monotonic() - started)
        elif done.delivered or done.failed:
            say("sync", f"sync: {done.delivered} delivered, {done.failed} failed ({done.dead} dead)",
                delivered=done.delivered, failed=done.failed, dead=done.dead)
        if holder and time.monotonic() - beat > min(5.0, settings["lock_stale"] / 3):
            if not worker.heartbeat(session, holder=holder):
                raise Refusal("Another worker took over the SQLite lock; stopping.", worker="sync")
            beat = time.monotonic()
        if once and not done.delivered:
            return
        if not done.delivered and not done.failed:
            time.sleep(settings["idle"])


def _progress(session, total: int, seconds: float) -> None:
    numbers = worker.counts(session)
    session.rollback()
    rate = total / seconds if seconds > 0 else 0.0
    click.echo(f"\rsync: {total} delivered this run ({rate:,.0f}/s) · pending {numbers['pending']} · "
               f"dead {numbers['dead']}   ", nl=False)


@cli.cli.command("retry")
@click.argument("event_id", type=int)
def retry(event_id: int) -> None:
    """Send a dead event again (from attempt one)."""
    with current_app.test_request_context(), db.new_session() as session:  # (the refusal's text is translated)
        try:
            event = services.retry_event(session, event_id=event_id)
        except (ValidationFailed, NotFound) as error:
            raise click.ClickException(str(getattr(error, "reasons", [("", f"No event {event_id}.")])[0][1])) from error
        session.commit()
        click.echo(f"Event {event.id} ({event.event_type}) is pending again.")


@cli.cli.command("status")
def status() -> None:
    """Count the events per status."""
    with db.new_session() as session:
        numbers = worker.counts(session)
    click.echo(" · ".join(f"{name} {count}" for name, count in numbers.items()))
