"""`flask ratings invite|rebuild`: invite every family that is due, and recompute the catalog's figures."""

import click
from flask import Blueprint

from app.extensions import db
from app.ratings import figures, invitations

cli = Blueprint("ratings_cli", __name__, cli_group="ratings")


@cli.cli.command("invite")
def invite() -> None:
    """Invite everyone whose help ended or lasted 3 months (run daily; a second run invites nobody twice)."""
    with db.new_session() as session:
        made = invitations.invite_due(session)
        session.commit()
    click.echo(f"{len(made)} invitations.")


@cli.cli.command("rebuild")
def rebuild() -> None:
    """Recompute every offer's rating figures from the published ratings."""
    with db.new_session() as session:
        rows = figures.rebuild(session)
        session.commit()
    click.echo(f"{rows} offers with published ratings.")
