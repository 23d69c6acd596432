"""`flask municipality simulate|partial-release`: run the simulated backoffice next to the app (demo mode,
development, tests), and set what "deels behaald" means for the second 50%."""

import os
from urllib.parse import urlsplit

import click
from flask import Blueprint, current_app
from werkzeug.serving import WSGIRequestHandler, run_simple

from app.config import SIMULATOR_URL
from app.core.errors import NotFound
from app.extensions import db
from app.results.municipality import set_partial_release
from app.simulator.backoffice import FAULTS, SimulatorSettings, create_simulator

cli = Blueprint("simulator_cli", __name__, cli_group="municipality")


class _KeepAlive(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"  # the worker keeps one connection open instead of one per event

    def log_request(self, *args, **kwargs) -> None:
        if os.environ.get("SIMULATOR_LOG_REQUESTS"):
            super().log_request(*args, **kwargs)


@cli.cli.command("simulate")
@click.option("--host", default=None, help="Default: SIMULATOR_URL's host (127.0.0.1).")
@click.option("--port", default=None, type=int, help="Default: SIMULATOR_URL's port (5001).")
@click.option("--fail", type=click.Choice(FAULTS), default=None,
              help="down: 503 to every event; 500: answer 500; slow: answer after --slow-seconds; timeout: accept, "
                   "then do not answer for --timeout-seconds; duplicates: send every decision twice.")
@click.option("--decide-after", default=5.0, show_default=True, type=float,
              help="Seconds before an assignment request is answered through our API (negative: never).")
@click.option("--app-url", default=None, help="Where Ons Plan runs (default SITE_URL or http://127.0.0.1:5000).")
@click.option("--api-audience", default=None, help="The audience our API expects (default API_AUDIENCE).")
@click.option("--trust-issuer", default=None,
              help="Also accept JWT access tokens of this OpenID provider (its JWKS from its discovery document).")
@click.option("--audience", default=None, help="The audience event tokens must carry (default <own URL>/events).")
@click.option("--slow-seconds", default=2.0, show_default=True, type=float)
@click.option("--timeout-seconds", default=60.0, show_default=True, type=float)
@click.option("--token-ttl", default=300, show_default=True, type=int, help="Lifetime of the tokens /token issues.")
def simulate(host: str | None, port: int | None, fail: str | None, decide_after: float, app_url: str | None,
             api_audience: str | None, trust_issuer: str | None, audience: str | None, slow_seconds: float,
             timeout_seconds: float, token_ttl: int) -> None:
    """Run the municipality's backoffice simulator: POST /events, POST /token, /.well-known/jwks.json."""
    config = current_app.config
    sync = config["SYNC"]
    own = urlsplit(config.get("SIMULATOR_URL") or SIMULATOR_URL)  # where the app expects us (issuer, keys, events)
    host, port = host or own.hostname or "127.0.0.1", port or own.port or 5001
    app_url = app_url or config.get("SITE_URL") or "http://127.0.0.1:5000"
    settings = SimulatorSettings(
        issuer=f"http://{host}:{port}", app_url=app_url,
        api_audience=api_audience or config.get("API_AUDIENCE") or f"{app_url.rstrip('/')}/api/v1",
        clients={sync["client_id"]: sync["client_secret"]} if sync["client_id"] else {},
        events_audience=audience or "", trusted_issuer=trust_issuer, fail=fail or "", slow_seconds=slow_seconds,
        timeout_seconds=timeout_seconds, decide_after=decide_after if decide_after >= 0 else None,
        token_ttl=token_ttl)
    click.echo(f"Municipality simulator at {settings.issuer} (events {settings.issuer}/events, fail: {fail or 'no'}, "
               f"decisions to {app_url})", err=True)
    expected = (config.get("API_ISSUER") or "").rstrip("/")
    if expected and expected != settings.issuer:  # the app would refuse every decision (503 or 401)
        click.echo(f"Warning: Ons Plan expects tokens from API_ISSUER={expected}, not {settings.issuer}: set "
                   f"SIMULATOR_URL={settings.issuer} for the app too (or API_ISSUER and API_JWKS_URL).", err=True)
    run_simple(host, port, create_simulator(settings), threaded=True, request_handler=_KeepAlive)


@cli.cli.command("partial-release")
@click.argument("cbs_code")
@click.argument("setting", type=click.Choice(["on", "off"]))
def partial_release(cbs_code: str, setting: str) -> None:
    """Whether a family verdict of "deels behaald" releases the second 50% in this municipality (default: off)."""
    with db.new_session() as session:
        try:
            municipality = set_partial_release(session, cbs_code=cbs_code, releases=setting == "on")
        except NotFound:
            raise click.ClickException(f"No municipality with CBS code {cbs_code}.") from None
        session.commit()
        click.echo(f"{municipality.name} ({municipality.cbs_code}): 'deels behaald' "
                   f"{'releases' if setting == 'on' else 'does not release'} the second 50%.")
