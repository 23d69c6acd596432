"""`flask demo seed`: fill the database with the demo family."""

import click
from flask import Blueprint, current_app

from app.demo.services import seed_demo
from app.extensions import db
from app.ratings.invitations import invite_due

cli = Blueprint("demo_cli", __name__, cli_group="demo")


@cli.cli.command("seed")
def seed() -> None:
    """Create or refresh the demo family (needs DEMO=1)."""
    if not current_app.config.get("DEMO"):
        raise click.ClickException("Demo data is only seeded with DEMO=1.")
    with db.new_session() as session:
        people = seed_demo(session)
        invite_due(session)  # what the daily job would do: Tom's help ended, so Tom, Sanne and Erik are asked to rate
    click.echo(f"Demo family ready: {', '.join(sorted(people))}")
