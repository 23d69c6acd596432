"""The notifications pages: your notifications, marking them read, your choices, following a goal."""

import sqlalchemy as sa
from flask import Blueprint, Response, g, request, url_for
from flask_babel import gettext as _

from app.core.errors import ValidationFailed
from app.extensions import db
from app.identity.access import is_professional
from app.identity.auth import login_required
from app.notifications import inbox, services
from app.notifications.forms import PreferencesForm
from app.notifications.models import PROVIDER_TOPICS, Notification, Topic
from app.plans.context import plan_context
from app.web.render import render, respond, see_other

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _unread_notifications() -> dict:
    """Offer the header a count of unread notifications, worked out only when a page shows it."""

    def unread_notifications() -> int:
        if g.get("person") is None:
            return 0
        try:
            return inbox.unread_count(db.session, person=g.person)
        except sa.exc.SQLAlchemyError:  # an error page after a database failure must still render
            db.session.rollback()
            return 0

    return {"unread_notifications": unread_notifications}


@bp.get("/meldingen")
@login_required
def index() -> Response:
    """Show your notifications, newest first."""
    views = inbox.inbox(db.session, person=g.person)
    db.session.commit()
    return render("notifications/index.html", block="notification_list", views=views)


@bp.get("/meldingen/teller")
@login_required
def count() -> Response:
    """The header's link with the number of new notifications (it fetches itself when the page is told they changed)."""
    response = render("notifications/_link.html", count=inbox.unread_count(db.session, person=g.person))
    db.session.commit()
    return response


@bp.get("/meldingen/<int:notification_id>")
@login_required
def show(notification_id: int) -> Response:
    """Open a notification: mark it read and go to what it is about in the plan."""
    view = inbox.open_notification(db.session, person=g.person, notification_id=notification_id)
    db.session.commit()
    if view.notification.topic in PROVIDER_TOPICS:
        return see_other(_provider_page(view.notification))
    if view.notification.topic in ("rating_asked", "rating_checked"):
        return see_other(url_for("ratings.index"))
    if view.notification.detail in services.DIVIDED.values() and view.notification.item_id:  # the result page
        moment = "evaluatie" if view.notification.detail == services.DIVIDED["evaluation"] else "eind"
        return see_other(url_for("results.show", goal_id=view.notification.item_id, moment=moment))
    anchor = f"#{view.anchor}" if view.anchor else ""
    return see_other(url_for("plans.show", plan_id=view.notification.plan_id) + anchor)


def _provider_page(row: Notification) -> str:
    """Where a provider's notification leads: the goal in the work list, the complaints to handle, or the ratings."""
    if row.topic == Topic.COMPLAINT_FILED:
        return url_for("complaints.queue")
    if row.topic == Topic.RATING_TO_REPLY:
        return url_for("ratings.provider_index")
    return url_for("caseload.index") + f"#goal-{row.item_id}"


@bp.post("/meldingen/<int:notification_id>/gelezen")
@login_required
def mark_read(notification_id: int) -> Response:
    """Mark one notification read."""
    inbox.mark_read(db.session, person=g.person, notification_id=notification_id)
    db.session.commit()
    return _back_to_list()


@bp.post("/meldingen/alles-gelezen")
@login_required
def mark_all_read() -> Response:
    """Mark all your notifications read."""
    inbox.mark_all_read(db.session, person=g.person)
    db.session.commit()
    return _back_to_list()


def _back_to_list() -> Response:
    return respond(url_for("notifications.index"), _list_fragment)


def _list_fragment() -> Response:
    views = inbox.inbox(db.session, person=g.person)
    db.session.commit()
    return render("notifications/index.html", block="notification_list", views=views, updated=True)


@bp.get("/meldingen/instellingen")
@login_required
def edit_settings() -> Response:
    """Show what you hear about and how."""
    choices = services.preferences_of(db.session, {g.person.id})[g.person.id]
    form = PreferencesForm(formdata=None).showing(_topics()).fill(choices, g.person.email)
    return render("notifications/settings.html", form=form, **_kinds(form))


@bp.post("/meldingen/instellingen")
@login_required
def update_settings() -> Response:
    """Save what you hear about and how; on a problem show the form again with your choices."""
    form = PreferencesForm().showing(_topics())
    if form.validate():
        try:
            services.update_preferences(db.session, person=g.person, choices=form.choices(), email=form.email.data)
            db.session.commit()
            return respond(url_for("notifications.edit_settings"),
                           lambda: render("notifications/settings.html", block="settings_form", form=form,
                                          saved=True, **_kinds(form)),
                           saved=_("Your choices are saved."))
        except ValidationFailed as failed:
            db.session.rollback()
            form.apply_errors(failed.reasons)
    return render("notifications/settings.html", block="settings_form", form=form, status=422, **_kinds(form))


def _topics() -> list[Topic]:
    return services.topics_for(db.session, g.person)


def _kinds(form: PreferencesForm) -> dict:
    """Who the page speaks to: a professional (daily summary), provider staff (some at once, the rest daily)."""
    return {"is_professional": is_professional(db.session, g.person),
            "is_provider": any(topic in PROVIDER_TOPICS for topic in form.topics)}


@bp.post("/plan/<plan_id>/onderdelen/<item_id>/volgen")
@login_required
def follow(plan_id: str, item_id: str) -> Response:
    """Follow a goal (hear about its changes), or stop following it."""
    ctx = plan_context(db.session, person=g.person, plan_id=plan_id)
    following = request.form.get("follow") == "1"
    services.set_following(db.session, ctx=ctx, item_id=item_id, follow=following)
    db.session.commit()
    return respond(url_for("plans.show", plan_id=plan_id) + f"#item-{item_id}",
                   lambda: render("notifications/_follow.html", block="follow_form", plan_id=plan_id,
                                  item_id=item_id, following=following),
                   saved=_("You follow this goal now.") if following else _("You no longer follow this goal."))
