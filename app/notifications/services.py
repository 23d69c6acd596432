"""Who hears about what: the triggers (in the transaction of the change), preferences and following goals."""

import re
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, select

from app.core.clock import today, utcnow
from app.core.errors import NotFound, ValidationFailed
from app.identity.models import Membership, Person, StaffMembership
from app.identity.policy import can_view
from app.notifications import mails
from app.notifications.models import (
    DEFAULTS,
    DIVIDED,
    FAMILY_TOPICS,
    HELP,
    PROVIDER_TOPICS,
    Channel,
    GoalFollow,
    MailMode,
    Notification,
    NotificationPreference,
    Topic,
)
from app.plans import signals
from app.plans.context import PlanContext, family_context, may_see
from app.plans.models import Agreement, ItemKind, PlanItem

EMAIL_SHAPE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


# Triggers: called by the plan's services, so the notification commits with the change or not at all.

def agreement_asked(session: Session, *, ctx: PlanContext, person_ids: set[str]) -> list[Notification]:
    """Tell these people that the plan waits for their agreement (app.plans.agreement works out who waits on a part
    they may see: a goal withheld from the parents does not ask the parents)."""
    return _notify(session, ctx, set(person_ids) - {ctx.actor.person_id}, Topic.AGREEMENT_ASKED,
                   actor_id=ctx.actor.person_id)


def plan_fixed(session: Session, *, ctx: PlanContext, person_ids: set[str] | None = None) -> list[Notification]:
    """Tell everyone in the family who may open the plan that it is fixed (not the one whose yes fixed it);
    `person_ids`: only these (a fixing again concerns who may see what was agreed again)."""
    members = {person.id for _, person in ctx.rows} if person_ids is None else set(person_ids)
    return _notify(session, ctx, members - {ctx.actor.person_id}, Topic.PLAN_FIXED, actor_id=ctx.actor.person_id)


def item_changed(session: Session, *, ctx: PlanContext, item: PlanItem, author_id: str, typed_by_id: str,
                 change: str) -> list[Notification]:
    """Tell the followers of a goal that it changed (not the person who said or typed the change)."""
    if item.kind != ItemKind.GOAL:
        return []
    followers = goal_followers(session, goal=item) - {author_id, typed_by_id}
    return _notify(session, ctx, followers, Topic.GOAL_CHANGED, item=item, actor_id=author_id, detail=change)


def actions_due(session: Session, *, on: date | None = None) -> list[Notification]:
    """Remind owners of open actions due tomorrow, today, or late (once each per due date): run daily."""
    on = on or today()
    actions = session.exec(select(PlanItem).where(
        PlanItem.kind == ItemKind.ACTION, PlanItem.deleted_at.is_(None), PlanItem.is_done.is_(False),
        PlanItem.owner_id.is_not(None), PlanItem.due_date.is_not(None), PlanItem.due_date <= on + timedelta(days=1),
    ).order_by(PlanItem.plan_id, PlanItem.due_date)).all()
    made: list[Notification] = []
    contexts: dict[str, PlanContext] = {}
    for action in actions:
        when = "tomorrow" if action.due_date > on else "today" if action.due_date == on else "overdue"
        ctx = contexts.get(action.plan_id) or contexts.setdefault(action.plan_id, family_context(session,
                                                                                                action.plan_id))
        made += _notify(session, ctx, {action.owner_id}, Topic.ACTION_DUE, item=action, detail=when,
                        due_date=action.due_date, dedupe_key=f"due:{action.id}:{action.due_date}:{when}")
    return made


def rating_asked(session: Session, *, ctx: PlanContext, goal: PlanItem, person_ids: set[str], reason: str,
                 dedupe_key: str) -> list[Notification]:
    """Ask these family members to rate the help for a goal (`reason`: "ended" or "ongoing"); the words are made
    in each reader's language when they read it (app.ratings.notes)."""
    return _notify(session, ctx, set(person_ids), Topic.RATING_ASKED, item=goal, detail=reason,
                   dedupe_key=dedupe_key)


def rating_checked(session: Session, *, ctx: PlanContext, goal: PlanItem, person_id: str,
                   outcome: str) -> list[Notification]:
    """Tell a rating's author it was published (`outcome` "published") or why not (a code-of-conduct reason)."""
    return _notify(session, ctx, {person_id}, Topic.RATING_CHECKED, item=goal, detail=outcome)


def result_divided(session: Session, *, ctx: PlanContext, goal: PlanItem, assignment_id: int,
                   moment: str) -> list[Notification]:
    """Ask the family's professional to talk with them: their verdicts on a goal's result differ (once per moment).
    It goes under "a goal changes" (app and his e-mail choice for it), with detail `divided` or
    `divided_evaluation`."""
    professionals = {person.id for membership, person in ctx.rows if membership.role == "professional"}
    return _notify(session, ctx, professionals, Topic.GOAL_CHANGED, item=goal, actor_id=ctx.actor.person_id,
                   detail=DIVIDED[moment], dedupe_key=f"divided:{assignment_id}:{moment}")




def help_chosen(session: Session, *, ctx: PlanContext, goal: PlanItem) -> list[Notification]:
    """Ask the family's professional to confirm the help someone in the family chose for a goal. It goes under "a
    goal changes" (app, and e-mail when he chose that), with detail `help_chosen`."""
    professionals = {person.id for membership, person in ctx.rows if membership.role == "professional"}
    return _notify(session, ctx, professionals - {ctx.actor.person_id}, Topic.GOAL_CHANGED, item=goal,
                   actor_id=ctx.actor.person_id, detail=HELP["chosen"])


def help_confirmed(session: Session, *, goal: PlanItem) -> None:
    """The choice for a goal is confirmed: the requests to confirm it are done (read), for every professional."""
    session.execute(sa.update(Notification).where(Notification.item_id == goal.id,
                                                  Notification.detail == HELP["chosen"], Notification.read_at.is_(None))
                    .values(read_at=utcnow()).execution_options(synchronize_session=False))


def help_answered(session: Session, *, ctx: PlanContext, goal: PlanItem, decision: str) -> list[Notification]:
    """Tell everyone in the family who may see the goal the municipality's answer (`decision`: assigned or refused);
    nobody hears of help for a goal hidden from them (`_notify` checks each reader against the goal)."""
    members = {person.id for _, person in ctx.rows}
    return _notify(session, ctx, members, Topic.GOAL_CHANGED, item=goal, detail=HELP[decision])


def _notify(session: Session, ctx: PlanContext, recipients: set[str], topic: Topic, *, item: PlanItem | None = None,
            actor_id: str | None = None, detail: str = "", due_date: date | None = None,
            dedupe_key: str | None = None) -> list[Notification]:
    """Write one notification per recipient who may see the item and wants to hear about it; professionals get a
    daily digest instead of a flood of e-mails."""
    people = [(ctx.people[pid], MailMode.DIGEST if ctx.role_of(pid) == "professional" else MailMode.INSTANT)
              for pid in recipients if pid and may_see(ctx, pid, item)]
    return write(session, family_id=ctx.plan.family_id, plan_id=ctx.plan.id, people=people, topic=topic,
                 item_id=item.id if item is not None else None, actor_id=actor_id, detail=detail,
                 due_date=due_date, dedupe_key=dedupe_key)


def write(session: Session, *, family_id: str, plan_id: str, people: list[tuple[Person, MailMode]], topic: Topic,
          item_id: str | None = None, actor_id: str | None = None, detail: str = "", due_date: date | None = None,
          dedupe_key: str | None = None) -> list[Notification]:
    """Write one notification per person (who may know of it: the caller checked) who wants to hear about it, once
    per dedupe key; `people` pairs each with how their e-mail goes when they chose e-mail (no address: none)."""
    modes = {person.id: (person, mode) for person, mode in people}
    if dedupe_key and modes:
        done = session.exec(select(Notification.person_id).where(Notification.person_id.in_(list(modes)),
                                                                 Notification.dedupe_key == dedupe_key)).all()
        for person_id in done:
            modes.pop(person_id, None)
    choices = preferences_of(session, set(modes))
    made = []
    for person_id, (person, mode) in sorted(modes.items()):
        in_app, by_mail = choices[person_id][(topic, Channel.APP)], choices[person_id][(topic, Channel.EMAIL)]
        mail = mode if by_mail and person.email else MailMode.NONE
        if not in_app and mail is MailMode.NONE:
            continue
        made.append(Notification(person_id=person_id, family_id=family_id, plan_id=plan_id, topic=topic,
                                 item_id=item_id, actor_id=actor_id, detail=detail, due_date=due_date,
                                 dedupe_key=dedupe_key, in_app=in_app, mail=mail))
    if made:
        session.add_all(made)
        session.flush()
        mails.send_after_commit(session, [n.id for n in made if n.mail == MailMode.INSTANT])
    return made


# Preferences

def topics_for(session: Session, person: Person) -> list[Topic]:
    """The topics a person can hear about: of a family plan when they are in a family (or work as a professional),
    of their organisation when they are provider staff; none for, say, municipality staff."""
    roles = set(session.exec(select(StaffMembership.role).where(StaffMembership.person_id == person.id)).all())
    in_family = "professional" in roles or session.exec(
        select(Membership.id).where(Membership.person_id == person.id).limit(1)).first() is not None
    return ([*FAMILY_TOPICS] if in_family else []) + ([*PROVIDER_TOPICS] if "provider_staff" in roles else [])


def preferences_of(session: Session, person_ids: set[str]) -> dict[str, dict[tuple[Topic, Channel], bool]]:
    """Each person's choice per topic and channel: their own where they chose, else the default."""
    result = {pid: dict(DEFAULTS) for pid in person_ids}
    if person_ids:
        for row in session.exec(select(NotificationPreference)
                                .where(NotificationPreference.person_id.in_(person_ids))).all():
            result[row.person_id][(Topic(row.topic), Channel(row.channel))] = row.is_on
    return result


def update_preferences(session: Session, *, person: Person, choices: dict[tuple[Topic, Channel], bool],
                       email: str | None) -> None:
    """Save what the person wants to hear about and how; e-mail needs an address that looks like one."""
    email = (email or "").strip()
    if email and (len(email) > 254 or not re.match(EMAIL_SHAPE, email)):
        raise ValidationFailed([("email", _("This is not an e-mail address. It looks like name@example.nl."))])
    if not email and any(on for (_topic, channel), on in choices.items() if channel is Channel.EMAIL):
        raise ValidationFailed([("email", _("Fill in your e-mail address, or turn off e-mail."))])
    saved = {(row.topic, row.channel): row for row in session.exec(
        select(NotificationPreference).where(NotificationPreference.person_id == person.id)).all()}
    for (topic, channel), on in choices.items():
        row = saved.get((topic.value, channel.value)) or NotificationPreference(
            person_id=person.id, topic=topic, channel=channel, is_on=on)
        row.is_on, row.updated_at = on, utcnow()
        session.add(row)
    person.email = email or None
    session.add(person)
    session.flush()


# Following goals

def goal_followers(session: Session, *, goal: PlanItem) -> set[str]:
    """Who follows a goal: its writer, whom it is about, owners of its tasks, who agreed or not; own choice wins."""
    automatic = {goal.author_id, goal.youth_id}
    automatic |= set(session.exec(select(PlanItem.owner_id).where(
        PlanItem.goal_id == goal.id, PlanItem.deleted_at.is_(None), PlanItem.owner_id.is_not(None))).all())
    automatic |= set(session.exec(select(Agreement.person_id).where(Agreement.goal_id == goal.id)).all())
    choices = dict(session.exec(select(GoalFollow.person_id, GoalFollow.is_following)
                                .where(GoalFollow.item_id == goal.id)).all())
    return {pid for pid in automatic | set(choices) if pid and choices.get(pid, pid in automatic)}


def followed_goal_ids(session: Session, *, person_id: str, goals: list[PlanItem]) -> set[str]:
    """Which of these goals the person follows (for the follow buttons), in one query whatever the number."""
    ids = [goal.id for goal in goals]
    if not ids:
        return set()
    plan_id = goals[0].plan_id  # by plan and person, not by a list of ids: a short statement, the same for any plan
    rows = session.execute(sa.union_all(  # one round trip: own tasks, own answers, own choices
        select(PlanItem.goal_id, sa.literal("auto"), sa.true()).where(
            PlanItem.plan_id == plan_id, PlanItem.owner_id == person_id, PlanItem.deleted_at.is_(None)),
        select(Agreement.goal_id, sa.literal("auto"), sa.true()).where(
            Agreement.plan_id == plan_id, Agreement.person_id == person_id),
        select(GoalFollow.item_id, sa.literal("choice"), GoalFollow.is_following).join(
            PlanItem, PlanItem.id == GoalFollow.item_id).where(
            GoalFollow.person_id == person_id, PlanItem.plan_id == plan_id))).all()
    choices = {goal_id: following for goal_id, source, following in rows if source == "choice"}
    automatic = {g.id for g in goals if person_id in (g.author_id, g.youth_id)} | {
        goal_id for goal_id, source, _following in rows if source == "auto"}
    return {gid for gid in ids if choices.get(gid, gid in automatic)}


def set_following(session: Session, *, ctx: PlanContext, item_id: str, follow: bool) -> PlanItem:
    """Follow a goal you may see, or stop following it."""
    goal = session.get(PlanItem, item_id)
    if (goal is None or goal.plan_id != ctx.plan.id or goal.kind != ItemKind.GOAL or goal.deleted_at is not None
            or not can_view(ctx.actor, ctx.policy_item(goal))):
        raise NotFound(item_id)
    row = session.get(GoalFollow, (ctx.actor.person_id, goal.id)) or GoalFollow(
        person_id=ctx.actor.person_id, item_id=goal.id, is_following=follow)
    row.is_following, row.updated_at = follow, utcnow()
    session.add(row)
    session.flush()
    return goal


@signals.item_changed.connect
def _item_changed(ctx: PlanContext, *, session: Session, **change) -> None:
    item_changed(session, ctx=ctx, **change)


@signals.agreement_asked.connect
def _agreement_asked(ctx: PlanContext, *, session: Session, person_ids: set[str]) -> None:
    agreement_asked(session, ctx=ctx, person_ids=person_ids)


@signals.plan_fixed.connect
def _plan_fixed(ctx: PlanContext, *, session: Session, person_ids: set[str] | None) -> None:
    plan_fixed(session, ctx=ctx, person_ids=person_ids)


@signals.plan_page.connect
def _plan_page(ctx: PlanContext, *, session: Session, goals: list[PlanItem]) -> dict:
    return {"followed": followed_goal_ids(session, person_id=ctx.actor.person_id, goals=goals)}
