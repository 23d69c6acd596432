"""`flask audit verify`: recompute every hash chain of the access log."""

import click
from flask import Blueprint

from app.audit.services import verify
from app.extensions import db

cli = Blueprint("audit_cli", __name__, cli_group="audit")


@cli.cli.command("verify")
def verify_command() -> None:
    """Check that no access-log entry was changed, removed or inserted; exit 1 when one was."""
    with db.new_session() as session:
        problems = verify(session)
    if problems:
        for problem in problems:
            click.echo(f"chain {problem.chain} entry {problem.seq}: {problem.problem}", err=True)
        raise SystemExit(1)
    click.echo("Access log intact.")
