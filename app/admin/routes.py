"""Running Ons Plan: the organisations a functional manager looks after, their staff, and the access log check."""

from flask import Blueprint, Response, flash, g, request, session, url_for
from flask_babel import gettext as _

from app.admin import services
from app.admin.forms import OrganisationForm, StaffInviteForm, ThesaurusForm
from app.catalog import thesaurus
from app.core.errors import NotAllowed, ValidationFailed
from app.extensions import db
from app.identity.auth import login_required
from app.identity.models import Organisation
from app.invitations.mails import send_invitation
from app.web.labels import role_label
from app.web.render import render, see_other

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.get("")
@login_required
def index() -> Response:
    """The organisations this person manages (others go to their home page)."""
    found = services.manager(db.session, person=g.person)
    if not found.manages_anything:
        return see_other(url_for("home.index"))
    organisations = services.managed_organisations(db.session, person=g.person)
    return render("admin/index.html", organisations=organisations, adds_organisations=bool(found.municipality_ids),
                  audits=services.may_audit(db.session, person=g.person),
                  edits_search_words=thesaurus.may_edit(db.session, person=g.person))


@bp.route("/organisaties/nieuw", methods=["GET", "POST"])
@login_required
def new_organisation() -> Response:
    """A functional manager adds a care provider or a team of the municipality."""
    form = OrganisationForm()
    adds = bool(services.manager(db.session, person=g.person).municipality_ids)
    if form.is_submitted() and not adds:
        raise NotAllowed("only a functional manager adds organisations")
    if form.is_submitted():
        if form.validate():
            try:
                organisation = services.add_organisation(db.session, person=g.person, name=form.name.data,
                                                         kind=form.kind.data, agb_code=form.agb_code.data or "",
                                                         kvk_number=form.kvk_number.data or "")
                db.session.commit()
                return see_other(url_for("admin.organisation", organisation_id=organisation.id))
            except ValidationFailed as failed:
                db.session.rollback()
                form.apply_errors(failed.reasons)
        return render("admin/organisation_new.html", block="organisation_form", form=form, status=422)
    if not adds:
        return see_other(url_for("admin.index"))
    return render("admin/organisation_new.html", form=form)


@bp.get("/organisaties/<organisation_id>")
@login_required
def organisation(organisation_id: str) -> Response:
    """An organisation's staff and open invitations, with the invitation just made (shown once)."""
    page = services.organisation_page(db.session, person=g.person, organisation_id=organisation_id)
    return render("admin/organisation.html", page=page, new_invitation=session.pop("new_staff_invitation", None))


@bp.route("/organisaties/<organisation_id>/uitnodigen", methods=["GET", "POST"])
@login_required
def invite(organisation_id: str) -> Response:
    """Invite someone to work at the organisation; the code is shown once and mailed."""
    page = services.organisation_page(db.session, person=g.person, organisation_id=organisation_id)
    form = StaffInviteForm()
    form.role.choices = [(role.value, _first_up(role_label(role.value))) for role in page.roles]
    if form.is_submitted():
        if form.validate():
            try:
                made = services.invite_staff(db.session, person=g.person, organisation_id=organisation_id,
                                             role=form.role.data, given_name=form.given_name.data,
                                             family_name=form.family_name.data or "", email=form.email.data,
                                             language=form.language.data)
                db.session.commit()
                link = url_for("invitations.open_link", token=made.token, _external=True)
                mailed = send_invitation(made.invitation, code=made.code, link=link,
                                         organisation=db.session.get(Organisation, organisation_id))
                session["new_staff_invitation"] = {"name": made.invitation.name, "code": made.code, "link": link,
                                                   "mailed_to": made.invitation.email if mailed else None}
                return see_other(url_for("admin.organisation", organisation_id=organisation_id))
            except ValidationFailed as failed:
                db.session.rollback()
                form.apply_errors(failed.reasons)
        return render("admin/invite.html", block="invite_form", form=form, page=page, status=422)
    return render("admin/invite.html", form=form, page=page)


@bp.get("/medewerkers/<int:membership_id>/verwijderen")
@login_required
def confirm_remove(membership_id: int) -> Response:
    """Ask before ending someone's role (what it means for them is said on the page)."""
    ending = services.role_to_end(db.session, person=g.person, membership_id=membership_id)
    return render("admin/remove.html", ending=ending)


@bp.post("/medewerkers/<int:membership_id>/verwijderen")
@login_required
def remove(membership_id: int) -> Response:
    """End someone's role at an organisation (their sessions end with it)."""
    try:
        membership = services.remove_staff(db.session, person=g.person, membership_id=membership_id)
    except ValidationFailed as failed:
        db.session.rollback()
        flash(failed.reasons[0][1], "error")
        return see_other(url_for("admin.index"))
    db.session.commit()
    flash(_("The role has ended. Their sessions have ended too."), "success")
    return see_other(url_for("admin.organisation", organisation_id=membership.organisation_id))


@bp.get("/toegangslog")
@login_required
def access_log_check() -> Response:
    """The access log's integrity, recomputed now, for auditors."""
    if not services.may_audit(db.session, person=g.person):
        return see_other(url_for("home.index"))
    check = services.check_access_log(db.session, person=g.person)
    db.session.commit()
    return render("admin/access_log_check.html", check=check)


@bp.route("/zoekwoorden", methods=["GET", "POST"])
@login_required
def search_words() -> Response:
    """The catalog search's words (the thesaurus): its newest version to change, saved as a new version, and the
    versions before it, with who saved them and why."""
    if not thesaurus.may_edit(db.session, person=g.person):
        raise NotAllowed("only a functional manager changes the thesaurus")
    number, text = thesaurus.current_text(db.session)
    opened = request.args.get("versie", "")  # an earlier version, to save again (going back to it)
    older = thesaurus.version_text(db.session, number=int(opened)) if opened.isdigit() and len(opened) < 9 else None
    form = ThesaurusForm(data={"text": older if older is not None else text})
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                saved = thesaurus.save(db.session, actor=g.person, text=form.text.data, note=form.note.data)
                db.session.commit()
                flash(_("Version %(number)d is saved. Searches use it within a minute.", number=saved.number),
                      "success")
                return see_other(url_for("admin.search_words"))
            except ValidationFailed as failed:
                db.session.rollback()
                form.apply_errors(failed.reasons)
        status = 422
    return render("admin/search_words.html", block="search_words_form" if status == 422 else None, form=form,
                  number=number, opened=int(opened) if older is not None else None,
                  versions=thesaurus.history(db.session), status=status)


def _first_up(label: str) -> str:
    return label[:1].upper() + label[1:]
