"""`flask zgw run|status|retry`: register the outbox in the municipality's Zaken API (optional, ZGW_ZRC_URL)."""

import time

import click
from flask import Blueprint, current_app

from app.core.logs import Refusal, say, service
from app.core.stopping import StopRequest
from app.extensions import db
from app.sync import worker as sync_worker
from app.zgw import mapping, worker
from app.zgw.client import ZrcClient

cli = Blueprint("zgw_cli", __name__, cli_group="zgw")
LOCK = "zgw"


@cli.cli.command("run")
@click.option("--once", is_flag=True, help="Register what is due now, then stop (for tests, or to run from cron).")
@service("zgw")
def run(once: bool) -> None:
    """Register plans and complaints as Zaken in the ZRC (ZGW_ZRC_URL) until stopped; one worker at a time."""
    settings = current_app.config["ZGW"]
    if not settings["zrc_url"]:
        raise Refusal("ZGW_ZRC_URL is not set: the ZGW adapter is off.", worker="zgw")
    if problems := mapping.settings_problems(settings):
        raise Refusal("The ZGW settings are not complete: " + "; ".join(problems), worker="zgw")
    stop, holder, client = StopRequest(), sync_worker.holder_name(), ZrcClient(settings)
    with db.new_session() as session:
        other = sync_worker.acquire_lock(session, holder=holder, stale_after=settings["lock_stale"], name=LOCK)
        if other:
            raise Refusal(f"Another ZGW worker runs ({other}); one at a time.", worker="zgw")
        try:
            _loop(session, client, settings, stop=stop, once=once, holder=holder)
        finally:
            session.rollback()
            sync_worker.release_lock(session, holder=holder, name=LOCK)


def _loop(session, client, settings, *, stop, once, holder) -> None:
    beat = time.monotonic()
    while not stop.requested:
        done = worker.register_batch(session, client, settings)
        if done.registered or done.skipped or done.failed:
            say("zgw", f"zgw: {done.registered} registered, {done.skipped} skipped, {done.failed} failed "
                f"({done.dead} dead)", registered=done.registered, skipped=done.skipped, failed=done.failed,
                dead=done.dead)
        if time.monotonic() - beat > min(5.0, settings["lock_stale"] / 3):
            if not sync_worker.heartbeat(session, holder=holder, name=LOCK):
                raise Refusal("Another ZGW worker took over the lock; stopping.", worker="zgw")
            beat = time.monotonic()
        progressed = done.registered or done.skipped
        if once and not progressed:
            return
        if not progressed and not done.failed:
            time.sleep(settings["idle"])


@cli.cli.command("status")
def status() -> None:
    """Count the events per ZRC registration status."""
    with db.new_session() as session:
        numbers = worker.counts(session)
    click.echo(" · ".join(f"{name} {count}" for name, count in numbers.items()))


@cli.cli.command("retry")
@click.argument("event_id", type=int)
def retry(event_id: int) -> None:
    """Register a dead event again (from attempt one); its plan's later events follow it."""
    with db.new_session() as session:
        if worker.retry(session, event_id=event_id) is None:
            raise click.ClickException(f"Event {event_id} is not dead in the ZRC registration.")
    click.echo(f"Event {event_id} is pending again for the ZRC.")
