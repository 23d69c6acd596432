"""Accepting an invitation: by code or link, then signing in (or, in demo mode, as a new demo person)."""

from flask import Blueprint, Response, abort, current_app, g, request, session, url_for
from flask_babel import gettext as _

from app.core.clock import utcnow
from app.core.errors import ValidationFailed
from app.extensions import db, limiter
from app.identity.auth import sign_in
from app.identity.models import Family, Invitation, InvitationState, Organisation, Person
from app.invitations import services as invitations
from app.invitations.forms import CodeForm
from app.web.i18n import valid_language
from app.web.render import render, see_other

bp = Blueprint("invitations", __name__, url_prefix="/uitnodiging")
GUESS_LIMIT = "10 per minute;50 per day"


@bp.get("")
def enter_code() -> Response:
    """Ask for the code from the invitation."""
    return render("invitations/invitation_code.html", form=CodeForm())


@bp.post("")
@limiter.limit(GUESS_LIMIT)
def check_code() -> Response:
    """Look up an invitation by its code (rate limited against guessing)."""
    form = CodeForm()
    if form.validate():
        try:
            invitation = invitations.find_open_invitation(db.session, code=form.code.data)
            session["pending_invitation"] = invitation.id
            return see_other(url_for("invitations.accept_page"))
        except ValidationFailed as failed:
            form.apply_errors(failed.reasons)
    return render("invitations/invitation_code.html", block="code_form", form=form, status=422)


@bp.get("/<token>")
@limiter.limit(GUESS_LIMIT)
def open_link(token: str) -> Response:
    """Open the link from the invitation e-mail."""
    try:
        invitation = invitations.find_open_invitation(db.session, token=token)
    except ValidationFailed as failed:
        form = CodeForm()
        form.apply_errors(failed.reasons)
        return render("invitations/invitation_code.html", form=form, status=404)
    session["pending_invitation"] = invitation.id
    # The link was made for this person in their language: it wins over an earlier choice on this device (and the
    # browser's language); the language buttons on the accept page, or a `?lang=` on the link, choose another.
    session["lang"] = valid_language(request.args.get("lang")) or invitation.language
    return see_other(url_for("invitations.accept_page"))


def _pending() -> Invitation:
    invitation = db.session.get(Invitation, session.get("pending_invitation") or "")
    if invitation is None:
        abort(404)
    if invitation.state(utcnow()) is not InvitationState.OPEN:
        session.pop("pending_invitation", None)
        raise ValidationFailed([("code", _("This invitation has already been used or is no longer valid."))])
    return invitation


@bp.errorhandler(ValidationFailed)
def invitation_no_longer_valid(failed: ValidationFailed) -> Response:
    """Show the code page with the reason when an invitation cannot be used (any more)."""
    form = CodeForm()
    form.apply_errors(failed.reasons)
    return render("invitations/invitation_code.html", form=form, status=410)


@bp.get("/accepteren")
def accept_page() -> Response:
    """Show who invites you into which family, and how to accept."""
    invitation = _pending()
    family = db.session.get(Family, invitation.family_id) if invitation.family_id else None
    organisation = db.session.get(Organisation, invitation.organisation_id) if invitation.organisation_id else None
    inviter = db.session.get(Person, invitation.invited_by_id) if invitation.invited_by_id else None
    providers = current_app.config.get("OIDC", {})
    return render("invitations/invitation_accept.html", invitation=invitation, family=family,
                  organisation=organisation, inviter=inviter, providers=providers)


@bp.post("/accepteren")
def accept() -> Response:
    """Accept with the account you are signed in with."""
    invitation = _pending()
    if g.person is None:
        return see_other(url_for("invitations.accept_page"))
    invitations.redeem_invitation(db.session, invitation=invitation, person=g.person)
    db.session.commit()
    session.pop("pending_invitation", None)
    if invitation.family_id is None:
        return see_other(url_for("home.index"))
    return see_other(url_for("families.show", family_id=invitation.family_id))


@bp.post("/accepteren-demo")
def accept_as_demo_person() -> Response:
    """Demo only: accept as a new person without a DigiD login, to see the whole journey."""
    if not current_app.config.get("DEMO"):
        abort(404)
    invitation = _pending()
    person = invitations.redeem_invitation(db.session, invitation=invitation)
    db.session.commit()
    session.pop("pending_invitation", None)
    sign_in(person, provider="demo")
    return see_other(url_for("home.index"))
