"""Signing in and out with OpenID Connect: the sign-in page, the trip to the sign-in service and the way back."""

import logging

from flask import Blueprint, Response, abort, flash, g, session, url_for
from flask_babel import gettext as _

from app.core.errors import ValidationFailed
from app.extensions import db, limiter
from app.identity import services as identity
from app.identity.auth import login_required, sign_in
from app.identity.auth import sign_out as end_session
from app.identity.models import Invitation
from app.login import oidc
from app.login.services import UnknownIdentity, person_for_identity
from app.web.errors import error_response
from app.web.render import render, see_other

bp = Blueprint("login", __name__)
log = logging.getLogger("onsplan.login")


@bp.get("/inloggen")
def index() -> Response:
    """List the ways to sign in: one button per sign-in service."""
    return render("login/login.html", providers=oidc.providers())


@bp.get("/inloggen/<name>")
@limiter.limit("20 per minute")
def start(name: str) -> Response:
    """Send the visitor to the sign-in service (code flow with PKCE, state and nonce)."""
    if oidc.client(name) is None:
        abort(404)
    try:
        return oidc.authorize_redirect(name, url_for("login.callback", name=name, _external=True))
    except oidc.ServiceUnavailable as error:
        return _unavailable(name, error)


@bp.get("/inloggen/<name>/terug")
@limiter.limit("20 per minute")
def callback(name: str) -> Response:
    """Check the sign-in service's answer, find (or, with an invitation, make) the person and start the session."""
    if oidc.client(name) is None:
        abort(404)
    try:
        login = oidc.finish_login(name)
    except oidc.ServiceUnavailable as error:
        return _unavailable(name, error)
    except oidc.LoginFailed as failed:
        log.warning("sign-in refused: provider=%s reason=%s", name, failed.reason)
        return _refused(400, _refusal_message(failed.reason))
    try:
        person = person_for_identity(db.session, provider=name, issuer=login.issuer, subject=login.subject,
                                     invitation=_pending_invitation())
    except UnknownIdentity as unknown:
        db.session.commit()  # keeps the audit entry of the refused sign-in
        log.info("sign-in refused: provider=%s reason=unknown_identity", name)
        return _refused(403, str(unknown), invitation=True)
    except ValidationFailed as failed:
        db.session.rollback()
        session.pop("pending_invitation", None)
        return _refused(400, failed.reasons[0][1], invitation=True)
    db.session.commit()
    sign_in(person, provider=name, id_token=login.id_token)  # a fresh session: the invitation is used up
    return see_other(url_for("home.index"))


@bp.post("/uitloggen")
def sign_out() -> Response:
    """End the session and go back to the start page, through the sign-in service's logout when it has one."""
    return _signed_out(end_session(), _("You are signed out."))


@bp.post("/uitloggen/overal")
@login_required
def sign_out_everywhere() -> Response:
    """End every session of this person, on every device, and this one too."""
    identity.end_all_sessions(db.session, person=g.person)
    db.session.commit()
    return _signed_out(end_session(), _("You are signed out on all your devices."))


def _signed_out(ended: dict, message: str) -> Response:
    """Go home through the sign-in service's logout when it has one. When that service does not answer, the
    session here has ended all the same, and the start page says so instead of the browser showing an error."""
    flash(message, "success")
    try:
        target = oidc.logout_url(ended["provider"], ended["id_token"], url_for("home.index", _external=True))
    except oidc.ServiceUnavailable as error:
        log.warning("provider logout unavailable: provider=%s error=%s", ended["provider"], error)
        flash(_("The sign-in service is not available right now, so you may still be signed in there. "
                "Close your browser to be safe."), "info")
        target = None
    response = see_other(target or url_for("home.index"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'  # no cached pages or drafts outlive the session
    return response


def _pending_invitation() -> Invitation | None:
    """Return the invitation the visitor opened before signing in (put in the session by the invitation page)."""
    invitation_id = session.get("pending_invitation")
    return db.session.get(Invitation, invitation_id) if invitation_id else None


def _refusal_message(reason: str) -> str:
    if reason in ("mismatching_state", "invalid_grant", "missing_iss", "issuer_mismatch"):
        return _("This sign-in link is no longer valid. Please start again.")
    if reason.startswith("id_token_") or reason == "missing_id_token":
        return _("We could not check who you are with the sign-in service. Please start again.")
    return _("The sign-in service did not sign you in. Please start again.")


def _refused(status: int, detail: str, *, invitation: bool = False) -> Response:
    response = render("login/login_failed.html", status=status, code=status, title=_("Signing in did not work"),
                      detail=detail, show_invitation=invitation, here_without_lang=url_for("login.index"))
    response.headers["Cache-Control"] = "no-store"
    return response


def _unavailable(name: str, error: Exception) -> Response:
    log.error("sign-in service unreachable: provider=%s error=%s", name, error)
    return error_response(503, _("The sign-in service is not available"),
                          _("We cannot reach the sign-in service right now. Try again in a few minutes."))
