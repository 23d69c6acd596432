"""`flask db ...`: Alembic migrations against the app's own DATABASE_URL."""

from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Blueprint, current_app

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"

cli = Blueprint("db_cli", __name__, cli_group="db")


def alembic_config(url: str | None = None) -> "AlembicConfig":
    """Return an Alembic config for the migrations folder and a database URL (Alembic is imported here, not by the
    web app: it brings Mako and Pygments, some 30 MB per process)."""
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", (url or current_app.config["DATABASE_URL"]).replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database schema up to `revision`."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


@cli.cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    upgrade(revision=revision)
    click.echo("Database is up to date.")


@cli.cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Undo migrations down to REVISION."""
    from alembic import command

    command.downgrade(alembic_config(), revision)


@cli.cli.command("revision")
@click.option("-m", "--message", required=True)
def revision_command(message: str) -> None:
    """Generate a migration from the difference between the models and the database."""
    from alembic import command

    command.revision(alembic_config(), message=message, autogenerate=True)


@cli.cli.command("check")
def check_command() -> None:
    """Fail when the models and the migrations disagree."""
    from alembic import command

    command.check(alembic_config())
    click.echo("Models and migrations agree.")
