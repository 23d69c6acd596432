"""Families: a professional's list, opening a family, the family page, inviting and revoking."""

from datetime import date, datetime, time, timedelta

from flask import Blueprint, Response, flash, g, request, session, url_for
from flask_babel import gettext as _

from app.core.clock import AMSTERDAM, today
from app.core.errors import NotFound, ValidationFailed
from app.extensions import db
from app.families import queries
from app.families import services as families
from app.families.forms import FamilyForm, PeriodForm
from app.identity.access import family_access, is_professional
from app.identity.auth import login_required
from app.identity.policy import can_read_access_log
from app.invitations import services as invitations
from app.invitations.forms import InviteForm
from app.invitations.mails import send_invitation
from app.web.render import render, see_other

bp = Blueprint("families", __name__, url_prefix="/gezinnen")


@bp.get("")
@login_required
def index() -> Response:
    """List the families of a professional (others go to their home page)."""
    if not is_professional(db.session, g.person):
        return see_other(url_for("home.index"))
    return render("families/families.html", families=families.families_of(db.session, person=g.person))


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new() -> Response:
    """Open a family (and its plan) as its professional."""
    form = FamilyForm()
    if form.is_submitted():
        if form.validate():
            try:
                family = families.create_family(db.session, person=g.person, name=form.name.data)
                db.session.commit()
                return see_other(url_for("families.show", family_id=family.id))
            except ValidationFailed as failed:
                db.session.rollback()
                form.apply_errors(failed.reasons)
        return render("families/family_new.html", block="family_form", form=form, status=422)
    if not is_professional(db.session, g.person):
        return see_other(url_for("home.index"))
    return render("families/family_new.html", form=form)


@bp.get("/<family_id>")
@login_required
def show(family_id: str) -> Response:
    """Show the family: its members and, for the professional, the invitations."""
    page = families.family_page(db.session, person=g.person, family_id=family_id)
    db.session.commit()  # the read is in the access log
    return render("families/family.html", page=page, new_invitation=session.pop("new_invitation", None))


@bp.route("/<family_id>/uitnodigen", methods=["GET", "POST"])
@login_required
def invite(family_id: str) -> Response:
    """Invite a person into the family with a role; the code is shown once and mailed."""
    access = families.professional_access(db.session, person=g.person, family_id=family_id)
    form = InviteForm()
    if form.is_submitted():
        if form.validate():
            try:
                made = invitations.create_invitation(db.session, actor=access.actor, family_id=family_id,
                                                     **_invite_fields(form))
                db.session.commit()
                link = url_for("invitations.open_link", token=made.token, _external=True)
                mailed = send_invitation(made.invitation, code=made.code, link=link, family=access.family)
                session["new_invitation"] = {"name": made.invitation.name, "code": made.code, "link": link,
                                             "mailed_to": made.invitation.email if mailed else None}
                return see_other(url_for("families.show", family_id=family_id))
            except ValidationFailed as failed:
                db.session.rollback()
                form.apply_errors(failed.reasons)
        return render("families/invite.html", block="invite_form", form=form, family=access.family, status=422)
    return render("families/invite.html", form=form, family=access.family)


def _invite_fields(form: InviteForm) -> dict:
    return {"role": form.role.data, "has_custody": form.has_custody.data, "given_name": form.given_name.data,
            "family_name": form.family_name.data or "", "birthdate": form.birthdate.data,
            "email": form.email.data, "language": form.language.data}


@bp.get("/<family_id>/uitnodigingen/<invitation_id>/intrekken")
@login_required
def confirm_revoke(family_id: str, invitation_id: str) -> Response:
    """Ask before withdrawing an invitation (a page without JavaScript, the question in place with htmx)."""
    access = families.professional_access(db.session, person=g.person, family_id=family_id)
    invitation = invitations.invitation_to_revoke(db.session, actor=access.actor, family_id=family_id,
                                                  invitation_id=invitation_id)
    if invitation is None:  # used, expired or withdrawn already: nothing to ask
        return see_other(url_for("families.show", family_id=family_id))
    return render("families/invitation_revoke.html", block="revoke_confirm", family=access.family,
                  invitation=invitation)


@bp.post("/<family_id>/uitnodigingen/<invitation_id>/intrekken")
@login_required
def revoke(family_id: str, invitation_id: str) -> Response:
    """Withdraw an invitation that was not used yet (the answer to the question of confirm_revoke)."""
    access = families.professional_access(db.session, person=g.person, family_id=family_id)
    invitations.revoke_invitation(db.session, actor=access.actor, family_id=family_id, invitation_id=invitation_id)
    db.session.commit()
    flash(_("The invitation is withdrawn. The code and link no longer work."), "success")
    return see_other(url_for("families.show", family_id=family_id))


EARLIEST = date(2015, 1, 1)  # the Jeugdwet: no youth care in this log is older


@bp.get("/<family_id>/wie-heeft-gekeken")
@login_required
def access_log(family_id: str) -> Response:
    """List who viewed or changed the family's data in a period, a page of days at a time, grouped by day and person,
    as far as the age rules let you see."""
    access = family_access(db.session, person=g.person, family_id=family_id)
    if not can_read_access_log(access.actor):
        raise NotFound(family_id)
    form = PeriodForm(request.args)
    form.validate()
    first, last = _period(form)
    for field, day in ((form.start, first), (form.end, last)):
        if not field.errors:  # show the period the list covers (a wrong date stays as typed, with its error)
            field.data, field.raw_data = day.date(), None
    shown = queries.window(first.date(), last.date(), request.args.get("pagina", type=int))
    lines = queries.family_log(db.session, access=access, start=_local(shown.first),
                               end=_local(shown.last + timedelta(days=1)))
    db.session.commit()
    return render("families/access_log.html", block="log_results", access=access, form=form,
                  days=queries.group(lines),
                  first=first, last=last, shown=shown)


def _period(form: PeriodForm):
    """Return (first, last) local dates: by default the last 30 days, swapped when given the wrong way round, and
    kept between EARLIEST and today (nothing is logged outside them; 0001-01-01 or 9999-12-31 would overflow)."""
    newest = today()
    last = _between(form.end.data or newest, newest)
    first = _between(form.start.data or (last - timedelta(days=30)), newest)
    if first > last:
        first, last = last, first
    return _local(first), _local(last)


def _between(day: date, newest: date) -> date:
    return min(max(day, EARLIEST), newest)


def _local(day):
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM)
