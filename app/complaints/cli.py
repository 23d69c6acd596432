"""`flask complaints report`: the monthly complaint figures per municipality into the outbox."""

from datetime import date

import click
from flask import Blueprint

from app.complaints.report import emit_month, previous_month
from app.core.clock import today
from app.extensions import db

cli = Blueprint("complaints_cli", __name__, cli_group="complaints")


@cli.cli.command("report")
@click.option("--month", default="", help="YYYY-MM; the previous month when left out.")
def report(month: str) -> None:
    """Send last month's (or the given month's) complaint figures to the municipality, without personal data."""
    try:
        first = date.fromisoformat(f"{month}-01") if month else previous_month(today())
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM, e.g. 2026-11", param_hint="--month") from error
    with db.new_session() as session:
        count = emit_month(session, month=first)
    click.echo(f"{count} municipalities reported for {first:%Y-%m}.")
