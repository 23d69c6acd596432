"""Your own profile and signing out (signing in arrives with OpenID Connect; demo sign-in is in app.demo)."""

from flask import Blueprint, Response, flash, g, url_for
from flask_babel import gettext as _

from app.core.errors import ValidationFailed
from app.extensions import db
from app.identity import services
from app.identity.auth import login_required
from app.identity.forms import ProfileForm
from app.web.render import render, respond, see_other

bp = Blueprint("identity", __name__)


@bp.get("/profiel")
@login_required
def edit_profile() -> Response:
    """Show the form to change your name and language."""
    form = ProfileForm(given_name=g.person.given_name, language=g.person.language)
    return render("identity/profile.html", form=form)


@bp.post("/profiel")
@login_required
def update_profile() -> Response:
    """Save your name and language; on a problem show the form again with what you typed."""
    form = ProfileForm()
    if form.validate():
        try:
            old_language = g.person.language
            services.update_profile(db.session, person=g.person, given_name=form.given_name.data,
                                    language=form.language.data)
            db.session.commit()
            return _profile_saved(form, language_changed=old_language != g.person.language)
        except ValidationFailed as failed:
            db.session.rollback()
            form.apply_errors(failed.reasons)
    return render("identity/profile.html", block="profile_form", form=form, status=422)


def _profile_saved(form: ProfileForm, *, language_changed: bool) -> Response:
    if language_changed:  # the whole page speaks the new language, not only the form
        flash(_("Your changes are saved."), "success")
        return see_other(url_for("identity.edit_profile"))
    return respond(url_for("identity.edit_profile"),
                   lambda: render("identity/profile.html", block="profile_form", form=form, saved=True),
                   saved=_("Your changes are saved."))
