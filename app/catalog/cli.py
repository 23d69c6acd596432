"""`flask catalog import FILE`: load providers and offers from CSV or JSON (docs/catalog-import.md)."""

from pathlib import Path

import click
from flask import Blueprint, current_app

from app.catalog.importer import import_catalog, read_file
from app.extensions import db

cli = Blueprint("catalog_cli", __name__, cli_group="catalog")


@cli.cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Create or update the catalog from FILE (.csv or .json); bad rows are listed, good rows still load."""
    with current_app.test_request_context():  # Babel needs a request for its locale: messages in the default (nl)
        rows, errors = read_file(path.read_bytes(), path.name)
        with db.new_session() as session, click.progressbar(length=len(rows), label="Importing") as bar:
            report = import_catalog(session, rows, progress=bar.update)
        report.errors[:0] = errors
        click.echo(f"{report.loaded} of {report.rows} rows loaded: {report.created} offers new, "
                   f"{report.updated} updated, {report.unchanged} unchanged, {report.providers} providers.")
        for error in report.errors:
            click.echo(f"  {error}", err=True)
    if report.errors:
        raise click.exceptions.Exit(1)
