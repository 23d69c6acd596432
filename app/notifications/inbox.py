"""Reading notifications: the text is made now, from the item as it is now, and only when the reader may see it.

A family member's notification is checked against the plan's age rules, a provider's against what its organisation
may see today (app.notifications.provider_notes); the one never passes for the other.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, select

from app.audit.services import AuditActor, record
from app.core.clock import utcnow
from app.core.errors import NotFound
from app.identity.models import Person
from app.identity.policy import Role
from app.notifications import hooks, provider_notes, unread
from app.notifications.models import DIVIDED, HELP, ORGANISATION_TOPICS, PROVIDER_TOPICS, Notification, Topic
from app.plans.context import PlanContext, family_context, may_see, request_plan_context
from app.plans.models import PlanItem

LIMIT = 100
SHORT = 80  # characters of an item's text in a notification


@dataclass
class NotificationView:
    """One notification as its reader sees it now."""

    notification: Notification
    text: str
    family_name: str  # for a complaint or a rating: the organisation's name (the family stays unnamed)
    anchor: str  # where in the plan it points: "item-<id>", "agreement" or ""

    @property
    def is_unread(self) -> bool:
        return self.notification.read_at is None


def inbox(session: Session, *, person: Person, limit: int = LIMIT) -> list[NotificationView]:
    """The person's notifications in the app, newest first, as far as they may still see them; log the read."""
    rows = session.exec(select(Notification).where(Notification.person_id == person.id, Notification.in_app)
                        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()
    views, contexts = _visible(session, person, rows)
    # A complaint or a rating reads nothing of the family: it stays out of the family's "who looked" log.
    for plan_id in {view.notification.plan_id for view in views if view.notification.topic not in ORGANISATION_TOPICS}:
        ctx = contexts[plan_id]
        record(session, event="notifications.view", action="read", actor=AuditActor(person.id, _role(ctx, person)),
               family_id=ctx.plan.family_id, object_type="plan", object_id=plan_id)
    return views


def unread_count(session: Session, *, person: Person) -> int:
    """How many unread notifications the person may still see (for the header): one indexed query (a second for
    provider staff), and the plan page's rules on its rows (app.notifications.unread); one about an item that hangs
    on another is decided as the inbox decides it."""
    count, undecided = unread.count(session, person)
    if undecided:
        rows = session.exec(select(Notification).where(Notification.id.in_(undecided))).all()
        count += len(_still_theirs(session, person, list(rows))[0])
    return count


def open_notification(session: Session, *, person: Person, notification_id: int) -> NotificationView:
    """Mark one notification read and return it, or NotFound when it is not theirs or no longer theirs to see."""
    row = session.get(Notification, notification_id)
    if row is None or row.person_id != person.id or not row.in_app:
        raise NotFound(str(notification_id))
    views, contexts = _visible(session, person, [row])
    if not views:
        raise NotFound(str(notification_id))
    if row.read_at is None:
        row.read_at = utcnow()
        session.add(row)
    if row.topic in ORGANISATION_TOPICS:  # nothing of the family is read: the system's log, not the family's
        record(session, event="notification.open", action="read", actor=AuditActor(person.id, Role.PROVIDER_STAFF),
               family_id=None, object_type="notification", object_id=str(row.id))
        return views[0]
    ctx, item = contexts[row.plan_id], session.get(PlanItem, row.item_id) if row.item_id else None
    record(session, event="notification.open", action="read", actor=AuditActor(person.id, _role(ctx, person)),
           family_id=ctx.plan.family_id, youth_id=item.youth_id if item else None,
           object_type=item.kind if item else "plan", object_id=item.id if item else ctx.plan.id)
    return views[0]


def mark_read(session: Session, *, person: Person, notification_id: int) -> None:
    """Mark one of the person's notifications read."""
    row = session.get(Notification, notification_id)
    if row is None or row.person_id != person.id:
        raise NotFound(str(notification_id))
    row.read_at = row.read_at or utcnow()
    session.add(row)
    session.flush()


def mark_all_read(session: Session, *, person: Person) -> int:
    """Mark every unread notification of the person read; return how many."""
    return session.execute(sa.update(Notification).where(Notification.person_id == person.id,
                                                         Notification.read_at.is_(None))
                           .values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount


def _visible(session: Session, person: Person, rows: list[Notification]) -> tuple[list[NotificationView], dict]:
    """Keep the notifications whose plan and item the person may see today; make their text."""
    kept, contexts = _still_theirs(session, person, rows)
    organisations = provider_notes.organisation_names(session, [row for row, _item in kept])
    views = []
    for row, item in kept:
        if row.topic in ORGANISATION_TOPICS:
            views.append(NotificationView(row, describe(row, None, ""), organisations.get(row.detail, ""), ""))
            continue
        ctx = contexts[row.plan_id]
        actor = ctx.people.get(row.actor_id)
        views.append(NotificationView(row, describe(row, item, actor.given_name if actor else _("Someone")),
                                      ctx.access.family.name, _anchor(row, item)))
    return views, contexts


def _still_theirs(session: Session, person: Person, rows: list[Notification]) -> tuple[list[tuple], dict]:
    """The notifications (with their items) whose plan and item the person may see today."""
    contexts: dict[str, PlanContext] = {}
    # On a plan page, that plan's context is loaded already; a complaint or a rating needs none.
    for plan_id in {row.plan_id for row in rows if row.topic not in ORGANISATION_TOPICS}:
        providers = any(row.topic in PROVIDER_TOPICS for row in rows if row.plan_id == plan_id)
        contexts[plan_id] = request_plan_context(plan_id) or family_context(session, plan_id, with_help=providers)
    items = {}
    for item_id in {row.item_id for row in rows if row.item_id}:  # items the page loaded are in the session
        if (item := session.identity_map.get(identity_key(PlanItem, item_id))) is not None:
            items[item_id] = item
    missing = {row.item_id for row in rows if row.item_id and row.item_id not in items}
    if missing:
        items.update((i.id, i) for i in session.exec(select(PlanItem).where(PlanItem.id.in_(missing))).all())
    organisations = (provider_notes.provider_organisations(session, person.id)
                     if any(row.topic in PROVIDER_TOPICS for row in rows) else set())
    kept = []
    for row in rows:
        ctx, item = contexts.get(row.plan_id), items.get(row.item_id)
        if row.item_id and item is None:
            continue
        if (provider_notes.may_read(ctx, organisations, person.id, row, item) if row.topic in PROVIDER_TOPICS
                else may_see(ctx, person.id, item)):
            kept.append((row, item))
    return kept, contexts


def _role(ctx: PlanContext, person: Person) -> str:
    """The reader's role for the access log: in the family, else provider staff (who alone reads a plan's
    notifications from outside it)."""
    return ctx.role_of(person.id) or Role.PROVIDER_STAFF


def _anchor(row: Notification, item: PlanItem | None) -> str:
    if row.topic == Topic.AGREEMENT_ASKED:
        return "agreement"
    if item is not None and item.deleted_at is None:
        return f"help-{item.id}" if row.detail in HELP.values() else f"item-{item.id}"
    return ""


def describe(row: Notification, item: PlanItem | None, actor_name: str) -> str:
    """What happened, in the reader's language, with the item's text as it is now."""
    text = _short(item.text) if item is not None else ""
    if row.topic in PROVIDER_TOPICS:
        return provider_notes.describe(row, text)
    if words := hooks.words(row.topic):  # a rating's invitation or check: the ratings word it
        return words.describe(row, text)
    if row.topic == Topic.AGREEMENT_ASKED:
        return _("%(name)s asks you to agree to the family plan.", name=actor_name)
    if row.topic == Topic.PLAN_FIXED:
        return _("The family plan is fixed: everyone who had to agree said yes.")
    if row.topic == Topic.ACTION_DUE:
        if row.detail == "tomorrow":
            return _("Due tomorrow: %(text)s", text=text)
        if row.detail == "today":
            return _("Due today: %(text)s", text=text)
        return _("Late: %(text)s (was due %(date)s)", text=text, date=format_date(row.due_date, "long"))
    if row.detail in DIVIDED.values():
        return _("The family does not agree on the result of a goal. Talk with them about it: %(text)s", text=text)
    if row.detail == HELP["chosen"]:
        return _("%(name)s chose help for a goal. Please confirm the choice: %(text)s", name=actor_name, text=text)
    if row.detail == HELP["assigned"]:
        return _("The municipality said yes to the help for the goal: %(text)s", text=text)
    if row.detail == HELP["refused"]:
        return _("The municipality said no to the help for the goal: %(text)s", text=text)
    return {
        "create": _("%(name)s added a goal: %(text)s", name=actor_name, text=text),
        "delete": _("%(name)s removed the goal: %(text)s", name=actor_name, text=text),
        "restore": _("%(name)s brought back an earlier version of the goal: %(text)s", name=actor_name, text=text),
    }.get(row.detail) or _("%(name)s changed the goal: %(text)s", name=actor_name, text=text)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[:SHORT - 1].rstrip() + "…"
