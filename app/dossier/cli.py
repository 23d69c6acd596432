"""`flask dossier expire`: the retention job (Jeugdwet 7.3.8 lid 3), with a progress bar and a report."""

import click
from flask import Blueprint

from app.dossier.retention import expire
from app.extensions import db

cli = Blueprint("dossier_cli", __name__, cli_group="dossier")


def run_expiry(show_progress: bool = False):
    """Destroy the dossiers past their term and prune the access log; return the job's report."""
    if not show_progress:
        return expire(db.new_session)

    def bar(steps):
        with click.progressbar(steps, label="Dossiers and log chains", show_pos=True) as shown:
            yield from shown

    return expire(db.new_session, progress=bar)


@cli.cli.command("expire")
def expire_command() -> None:
    """Destroy every dossier 20 years after its last change, prune access-log entries older than 5 years behind a
    signed checkpoint, and remove attachment files no row names (periods: DOSSIER_RETENTION_YEARS,
    ACCESS_LOG_RETENTION_YEARS). Safe to stop and run again: what was done stays done."""
    report = run_expiry(show_progress=True)
    click.echo(f"Dossiers past their term: {report.families_due}; destroyed: {report.families_destroyed} "
               f"({report.rows_destroyed} rows); access-log entries pruned: {report.log_entries_pruned}; "
               f"orphaned files removed: {report.files_removed}.")
