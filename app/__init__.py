"""Ons Plan: create_app builds the Flask application.

The factory imports the features inside its functions: Python runs this file before any module of the package, so
features imported at its top would each import all the others (docs/architecture.md)."""

from importlib import import_module

from flask import Flask, g
from flask_babel import format_date, format_datetime, format_decimal, get_locale, ngettext

from app.config import load_config
from app.extensions import babel, csrf, db, htmx, limiter


def create_app(config: object | dict | None = None) -> Flask:
    """Create the app from a Config class, a dict of overrides, or the environment."""
    app = Flask(__name__, instance_relative_config=True)
    settings = load_config(config)
    app.config.from_object(settings)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 31_536_000  # static URLs carry a content hash
    if app.config.get("PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)

    from app.web.compression import install_compression
    from app.web.render import install_redirects
    from app.web.security import configure_logging, install_security

    configure_logging(app)
    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)

    from app.login import oidc

    oidc.init_app(app)  # before install_security: it adds the sign-in services to the CSP's form-action

    from app.web.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)
    install_security(app)
    install_compression(app)  # runs before the security hook, so the logged duration includes compressing
    install_redirects(app)  # runs before both: the log shows the answer as sent (204 + HX-Redirect for htmx)
    limiter.init_app(app)  # after the security hook's timer: a call refused by a blueprint limit is logged in full
    _install_hooks()
    _register_blueprints(app)
    _register_request_hooks(app)
    _register_template_globals(app)

    from app.web.errors import register_error_handlers

    register_error_handlers(app)
    return app


def _install_hooks() -> None:
    """Answer the questions lower packages ask of features above them (their `hooks.py`)."""
    from app.catalog import hooks as catalog_hooks
    from app.catalog.assignments import goal_organisations, plan_assignments, provider_family_ids
    from app.dossier.cli import run_expiry
    from app.identity import hooks as identity_hooks
    from app.notifications import hooks as notification_hooks
    from app.notifications.models import Topic
    from app.plans.services import items_about
    from app.ratings import figures, invitations, notes

    identity_hooks.install({"provider_family_ids": provider_family_ids, "plan_assignments": plan_assignments,
                            "goal_organisations": goal_organisations, "items_about": items_about})
    catalog_hooks.install({"offer_figures": figures.offer_figures, "provider_figures": figures.provider_figures,
                           "best_rated_first": figures.best_rated_first})
    notification_hooks.install({"topic_words": {Topic.RATING_ASKED: notes, Topic.RATING_CHECKED: notes},
                                "invite_raters": invitations.invite_due, "expire_dossiers": run_expiry})


# Each feature package has routes.py with one blueprint `bp` named like the package; some add commands (`cli`).
FEATURES = ("web", "home", "identity", "login", "invitations", "families", "consent", "plans", "overview",
            "caseload", "export", "notifications", "catalog", "results", "ratings", "complaints", "children",
            "dossier", "monitor", "sync", "api", "admin", "demo")
COMMANDS = ("core.migrate", "web.translate", "admin.cli", "audit.cli", "catalog.cli", "complaints.cli", "demo.cli",
            "dossier.cli", "notifications.cli", "ratings.cli", "simulator.cli", "sync.cli", "zgw.cli")


def _register_blueprints(app: Flask) -> None:
    for feature in FEATURES:
        app.register_blueprint(import_module(f"app.{feature}.routes").bp)
    for module in COMMANDS:
        app.register_blueprint(import_module(f"app.{module}").cli)


def _register_request_hooks(app: Flask) -> None:
    from app.identity.auth import load_current_person

    app.before_request(load_current_person)


def _register_template_globals(app: Flask) -> None:
    from app.children.queries import TEMPLATE_GLOBALS as CHILDREN_GLOBALS
    from app.core.clock import utcnow
    from app.identity.policy import TEMPLATE_GLOBALS as POLICY_GLOBALS
    from app.plans.queries import TEMPLATE_GLOBALS as PLAN_GLOBALS
    from app.web.dates import TEMPLATE_GLOBALS as DATE_GLOBALS
    from app.web.i18n import AUTONYMS
    from app.web.labels import TEMPLATE_GLOBALS
    from app.web.offline import copy_key, queue_key
    from app.web.pwa import asset_url
    from app.web.security import current_path

    app.jinja_env.globals.update(
        asset_url=asset_url,
        autonyms=AUTONYMS,
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
        get_locale=get_locale,
        ngettext=ngettext,
        offline_copy_key=copy_key,
        offline_queue_key=queue_key,
        **TEMPLATE_GLOBALS,
        **DATE_GLOBALS,
        **POLICY_GLOBALS,
        **PLAN_GLOBALS,
        **CHILDREN_GLOBALS,
    )

    @app.context_processor
    def _language_context() -> dict:
        return {"current_lang": str(get_locale()), "here_without_lang": current_path(), "person": g.get("person"),
                "now": utcnow()}
