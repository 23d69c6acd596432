"""`flask notifications due|digest|send`: the daily reminders, the professionals' digest, and retries."""

import click
from flask import Blueprint

from app.extensions import db
from app.notifications import mails, services

cli = Blueprint("notifications_cli", __name__, cli_group="notifications")


@cli.cli.command("due")
def due() -> None:
    """Remind owners of actions due tomorrow, today or late (run once a day; a second run adds nothing)."""
    with db.new_session() as session:
        made = services.actions_due(session)
    click.echo(f"{len(made)} reminders.")


@cli.cli.command("digest")
def digest() -> None:
    """Send each professional one summary of what happened since the last one (run once a day)."""
    with db.new_session() as session:
        sent = mails.send_digests(session)
    click.echo(f"{sent} digests sent.")


@cli.cli.command("send")
def send() -> None:
    """Send the notification e-mails that could not be sent before (for example when the mail server was away)."""
    with db.new_session() as session:
        sent = mails.send_pending(session)
    click.echo(f"{sent} e-mails sent.")
