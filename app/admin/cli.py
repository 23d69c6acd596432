"""`flask admin bootstrap`: the municipality and its first functional manager, on a new installation."""

import click
from flask import Blueprint, url_for

from app.admin import services
from app.core import mail
from app.core.errors import ValidationFailed
from app.extensions import db

cli = Blueprint("admin_cli", __name__, cli_group="admin")


@cli.cli.command("bootstrap")
@click.option("--municipality", "cbs_code", required=True, help="The municipality's CBS code, 4 digits (0080).")
@click.option("--name", "municipality_name", required=True, help="The municipality's name (Leeuwarden).")
@click.option("--manager", "given_name", required=True, help="The functional manager's first name.")
@click.option("--manager-surname", "family_name", default="", help="Their surname.")
@click.option("--email", required=True, help="Their work e-mail address.")
@click.option("--language", default="nl", type=click.Choice(["nl", "fy", "en"]), help="Their language.")
@click.option("--issuer", default=None, help="With --subject: bind their OpenID identity, so they sign in at once.")
@click.option("--subject", default=None, help="Their subject (sub) at that OpenID provider.")
def bootstrap(**options) -> None:
    """Make the municipality and its first functional manager (run again, it makes nothing twice). Without an
    OpenID identity, print a one-time invitation code and link (7 days; a new run withdraws the old one)."""
    with mail.link_context(), db.new_session() as session:  # a request for Babel, and SITE_URL for the link
        try:
            made = services.bootstrap(session, **options)
        except ValidationFailed as failed:
            raise click.UsageError("; ".join(f"{name}: {message}" for name, message in failed.reasons)) from None
        session.commit()
        link = made.link_token and url_for("invitations.open_link", token=made.link_token, _external=True)
        click.echo(f"Municipality {made.municipality.cbs_code} {made.municipality.name}: {made.organisation.name}.")
    if made.code is None:
        click.echo(f"{made.manager_name} is functional manager and signs in with their OpenID identity.")
        return
    click.echo(f"Invitation for {made.manager_name} (functional manager), valid once for 7 days:")
    click.echo(f"  code: {made.code}")
    click.echo(f"  link: {link}")
