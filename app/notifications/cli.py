"""`flask notifications due|digest|send|run`: the daily reminders, the professionals' digest, retries, and the
process that runs them on time."""

import time

import click
from flask import Blueprint

from app.core.clock import AMSTERDAM, utcnow
from app.core.logs import say, service
from app.extensions import db
from app.notifications import hooks, mails, services

cli = Blueprint("notifications_cli", __name__, cli_group="notifications")


@cli.cli.command("due")
def due() -> None:
    """Remind owners of actions due tomorrow, today or late (run once a day; a second run adds nothing)."""
    with db.new_session() as session:
        made = services.actions_due(session)
    click.echo(f"{len(made)} reminders.")


@cli.cli.command("digest")
def digest() -> None:
    """Send each professional and provider staff member one summary of what happened since the last one (run once
    a day)."""
    with db.new_session() as session:
        sent = mails.send_digests(session)
    click.echo(f"{sent} digests sent.")


@cli.cli.command("send")
def send() -> None:
    """Send the notification e-mails that could not be sent before (for example when the mail server was away)."""
    with db.new_session() as session:
        sent = mails.send_pending(session)
    click.echo(f"{sent} e-mails sent.")


@cli.cli.command("run")
@click.option("--at", "daily_at", default="07:00", show_default=True,
              help="Local time (Europe/Amsterdam) of the daily reminders and digest.")
@click.option("--every", default=300, show_default=True, help="Seconds between rounds (unsent e-mails are retried).")
@click.option("--once", is_flag=True, help="One round, then stop (for tests, or to run from cron).")
@service("notify")
def run(daily_at: str, every: int, once: bool) -> None:
    """Keep notifications going (the Procfile's `notify:` process): retry unsent e-mails every few minutes, and once
    a day, from --at on, make the reminders and send the professionals' digest."""
    hour, minute = (int(part) for part in daily_at.split(":"))
    last_daily = None
    while True:
        now = utcnow().astimezone(AMSTERDAM)
        with db.new_session() as session:
            sent = mails.send_pending(session)
            if (now.hour, now.minute) >= (hour, minute) and last_daily != now.date():
                made = services.actions_due(session)
                hooks.invite_raters(session)  # everyone whose help ended or lasted 3 months is asked to rate it
                session.commit()
                digests = mails.send_digests(session)
                hooks.expire_dossiers()  # the retention job: dossiers past their term, the access log's old entries
                last_daily = now.date()
                say("notify", f"{now:%Y-%m-%d %H:%M}: {len(made)} reminders, {digests} digests.",
                    reminders=len(made), digests=digests)
        if sent:
            say("notify", f"{now:%Y-%m-%d %H:%M}: {sent} e-mails sent.", sent=sent)
        if once:
            return
        time.sleep(every)
