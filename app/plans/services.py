"""Changing the plan's items: add, edit (optimistic concurrency), delete, restore, tick off, visibility."""

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from app.audit.services import AuditActor, record
from app.core.clock import today, utcnow
from app.core.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from app.core.ids import looks_like_id
from app.identity.policy import (
    Actor,
    Item,
    Role,
    can_change_subject,
    can_create,
    can_decide_sharing,
    can_edit,
    can_make_statement,
    can_release_to_non_custody,
    can_tick_off,
    can_view,
    can_withhold_from_parents,
)
from app.identity.services import clean_name
from app.plans import agreement, live, signals
from app.plans.context import PlanContext
from app.plans.models import CONTENT_FIELDS, PROGRESS_KINDS, ItemKind, ItemVersion, LifeDomain, PlanItem, drawn_in
from app.plans.pictures import PICTURES

MAX_TEXT = 10_000
CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
TEXT_FIELDS = ("text", "result", "helpers", "child_text")
SHORT_FIELDS = ("helpers", "child_text")  # at most 500 characters


class StaleEdit(DomainError):
    """Someone else saved this item after you opened it; `current` is what they saved."""

    def __init__(self, current: PlanItem, typed: dict, saved_by_id: str | None = None):
        super().__init__("stale")
        self.current = current
        self.typed = typed
        self.saved_by_id = saved_by_id or current.author_id  # who said the version that is saved now


@dataclass(frozen=True)
class Speaker:
    """Who is speaking (the author) and who is typing (the signed-in person); the same person off the kitchen table."""

    author: Actor
    typed_by: Actor

    @property
    def audit(self) -> AuditActor:
        on_behalf = self.author.person_id if self.author.person_id != self.typed_by.person_id else None
        return AuditActor(self.typed_by.person_id, self.typed_by.role, on_behalf_of_id=on_behalf)


def speaker_for(ctx: PlanContext, speaker_id: str | None) -> Speaker:
    """The professional may type for a family member at the kitchen table; everyone else speaks for themselves."""
    if speaker_id and speaker_id != ctx.actor.person_id and ctx.actor.role is Role.PROFESSIONAL:
        return Speaker(author=ctx.actor_for(speaker_id), typed_by=ctx.actor)
    return Speaker(author=ctx.actor, typed_by=ctx.actor)


def create_item(session: Session, *, ctx: PlanContext, speaker: Speaker, kind: str, fields: dict,
                client_id: str | None = None) -> PlanItem:
    """Add an item said by the speaker; the plan goes back to agreement when it was fixed.

    `client_id` is the device's name for this add: sent again (an offline queue replayed twice, an answer lost on
    the way), it returns the item made the first time instead of a second copy.
    """
    if kind not in set(ItemKind) or not (can_create(speaker.author, kind) or can_create(speaker.typed_by, kind)):
        raise NotAllowed(kind)
    client_id = client_id if client_id and CLIENT_ID.fullmatch(client_id) else None
    if client_id and (earlier := _created_with(session, ctx, speaker, client_id)) is not None:
        return earlier
    values = _inherit_youth(session, _progress(session, ctx, kind, _with_goal(session, ctx,
                                                                          _validated(ctx, kind, fields))))
    if kind == ItemKind.STATEMENT and not can_make_statement(speaker.author, _statement_on(session, ctx, values)):
        raise NotAllowed(kind)  # only the betrokkene, by the age rules, states their own view
    author_id = speaker.author.person_id  # provider staff write notes without being a family member
    is_youth = ctx.role_of(author_id) == "youth"
    if is_youth and (kind == ItemKind.OWN_WORDS or (kind == ItemKind.STATEMENT and not values.get("reply_to_id"))):
        values["youth_id"] = author_id  # their own words, and their statement on the dossier, are about them
    item = PlanItem(plan_id=ctx.plan.id, kind=kind, author_id=author_id, typed_by_id=speaker.typed_by.person_id,
                    author_youth_age=ctx.people[author_id].age if is_youth else None,
                    position=_next_position(ctx, kind), **values)
    session.add(item)
    session.flush()
    _after_change(session, ctx, item, speaker, "create", client_id=client_id)
    return item


def _statement_on(session: Session, ctx: PlanContext, values: dict):
    """The policy facts of the item a statement is about (`_progress` checked that it is there and seen), or of the
    dossier as a whole (no item)."""
    if not values.get("reply_to_id"):
        return DOSSIER
    return ctx.policy_item(session.get(PlanItem, values["reply_to_id"]))


DOSSIER = Item(kind="dossier")  # the family's dossier as a whole: what a statement without an item is about


def _created_with(session: Session, ctx: PlanContext, speaker: Speaker, client_id: str) -> PlanItem | None:
    first = session.exec(select(ItemVersion).where(
        ItemVersion.plan_id == ctx.plan.id, ItemVersion.change == "create",
        ItemVersion.typed_by_id == speaker.typed_by.person_id,
        ItemVersion.data["client_id"].as_string() == client_id)).first()
    return session.get(PlanItem, first.item_id) if first is not None else None


def update_item(session: Session, *, ctx: PlanContext, speaker: Speaker, item_id: str, expected_version: int,
                fields: dict) -> PlanItem:
    """Save new content if nobody saved in between; otherwise raise StaleEdit with both texts."""
    item = _editable(session, ctx, speaker, item_id)
    if item.kind in PROGRESS_KINDS:  # a note stays under its goal, a reaction beside its note
        fields = {**fields, **{name: getattr(item, name) for name in ("goal_id", "reply_to_id") if name in fields}}
    values = _inherit_youth(session, _progress(session, ctx, item.kind, _with_goal(session, ctx,
                                                                               _validated(ctx, item.kind, fields))))
    _check_subject(ctx, speaker, item, values)
    if all(getattr(item, key) == value for key, value in values.items()):
        # Nothing to change, whatever the version: what is saved already says exactly this (e.g. an offline
        # edit sent twice, or someone else typed the same). No conflict to show, no new version.
        return item
    if item.version != expected_version:
        raise StaleEdit(item, values, _last_author(session, item))
    _claim(session, item, expected_version, values)
    for key, value in values.items():
        setattr(item, key, value)
    _after_change(session, ctx, item, speaker, "update")
    return item


def delete_item(session: Session, *, ctx: PlanContext, speaker: Speaker, item_id: str, expected_version: int) -> None:
    """Remove an item from the plan (it stays in the history and can be restored)."""
    item = _editable(session, ctx, speaker, item_id)
    _claim(session, item, expected_version, {})
    item.deleted_at = utcnow()
    _after_change(session, ctx, item, speaker, "delete")


def restore_version(session: Session, *, ctx: PlanContext, speaker: Speaker, item_id: str, version: int) -> PlanItem:
    """Bring back an old version; the restore is itself a new version."""
    item = session.get(PlanItem, item_id)
    if item is None or item.plan_id != ctx.plan.id or not can_edit(ctx.actor, ctx.policy_item(item)):
        raise NotFound(item_id)
    old = session.exec(select(ItemVersion).where(ItemVersion.item_id == item_id,
                                                 ItemVersion.version == version)).first()
    if old is None:
        raise NotFound(f"{item_id}@{version}")
    _claim(session, item, item.version, {})
    for key, value in old.data.items():
        if key not in CONTENT_FIELDS:
            continue  # e.g. the client_id of an add
        setattr(item, key, date.fromisoformat(value) if key == "due_date" and value else value)
    item.deleted_at = None
    _after_change(session, ctx, item, speaker, "restore")
    return item


def set_done(session: Session, *, ctx: PlanContext, speaker: Speaker, item_id: str, done: bool) -> PlanItem:
    """Tick an action off (or on again); its owner and whoever may change it may."""
    item = _editable(session, ctx, speaker, item_id, allowed=can_tick_off)
    if item.is_done != done:
        _claim(session, item, item.version, {})
        item.is_done, item.done_at = done, utcnow() if done else None
        _after_change(session, ctx, item, speaker, "update", reopens=False)
    return item


def set_visibility(session: Session, *, ctx: PlanContext, item_id: str, change: str, reason: str = "",
                   consulted: str = "", opinion: str = "") -> PlanItem:
    """Withhold from parents (professional, 12-15, with a reason and the opinion of another professional they
    consulted: Jeugdwet 7.3.2 lid 4), share (youth 16+), or release (no custody)."""
    item = session.get(PlanItem, item_id)
    if item is None or item.plan_id != ctx.plan.id or not can_view(ctx.actor, ctx.policy_item(item)):
        raise NotFound(item_id)
    facts, reason = ctx.policy_item(item), " ".join((reason or "").split())
    if change in ("withhold", "unwithhold") and can_withhold_from_parents(ctx.actor, facts):
        if change == "withhold":
            _check_withholding(reason, consulted, opinion)
        flag, value = "withheld_from_parents", change == "withhold"
    elif change in ("share", "unshare") and can_decide_sharing(ctx.actor, facts):
        flag, value = "shared_with_parents", change == "share"
    elif change in ("release", "unrelease") and can_release_to_non_custody(ctx.actor):
        flag, value = "released_to_non_custody", change == "release"
    else:
        raise NotAllowed(item_id)
    if bool(getattr(item, flag)) == value:
        return item  # nothing changes: no history, no live event (a catch-up reads each event as a change)
    setattr(item, flag, value)
    if flag == "withheld_from_parents":
        item.withheld_reason = reason[:1000] if value else ""
        item.withheld_consulted = " ".join(consulted.split())[:200] if value else ""
        item.withheld_opinion = " ".join(opinion.split())[:1000] if value else ""
        item.withheld_at = utcnow() if value else None
    session.add(item)
    session.flush()
    record(session, event=f"item.{change}", action="update", actor=AuditActor(ctx.actor.person_id, ctx.actor.role),
           family_id=ctx.plan.family_id, youth_id=item.youth_id, object_type=item.kind, object_id=item.id,
           detail="second opinion recorded" if change == "withhold" else "")
    live.publish_after_commit(session, ctx.plan.id, {"type": "item", "item": item.id, "kind": item.kind,
                                                     "version": item.version, "event_id": None,
                                                     "by": ctx.actor.person_id, "visibility": True,
                                                     "to": ctx.audience(ctx.policy_item(item))})
    return item


def _check_withholding(reason: str, consulted: str, opinion: str) -> None:
    """A withholding needs its reason, and the name and opinion of the other professional consulted."""
    problems = []
    if not reason:
        problems.append(("reason", _("Write down why sharing with the parents is not good care now.")))
    if not consulted.strip():
        problems.append(("consulted", _("Write down which other professional you consulted, and their role.")))
    if not opinion.strip():
        problems.append(("opinion", _("Write down what the other professional thinks.")))
    if problems:
        raise ValidationFailed(problems)


def _editable(session: Session, ctx: PlanContext, speaker: Speaker, item_id: str, allowed=can_edit) -> PlanItem:
    """The live item if this person may see it (else NotFound: it does not exist for them) and change it as asked
    (`allowed`: can_edit, or can_tick_off for ticking a task off)."""
    item = session.get(PlanItem, item_id)
    if item is None or item.plan_id != ctx.plan.id or item.deleted_at is not None:
        raise NotFound(item_id)
    facts = ctx.policy_item(item)
    if not can_view(ctx.actor, facts):
        raise NotFound(item_id)  # what you may not see does not exist for you
    if not (allowed(speaker.typed_by, facts) or allowed(speaker.author, facts)):
        raise NotAllowed(item_id)
    return item


def _claim(session: Session, item: PlanItem, expected: int, typed: dict) -> None:
    """Take the next version number only if nobody took it first (a conditional UPDATE closes the race)."""
    claimed = session.execute(
        sa.update(PlanItem).where(PlanItem.id == item.id, PlanItem.version == expected)
        .values(version=expected + 1).execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        session.refresh(item)
        raise StaleEdit(item, typed, _last_author(session, item))
    item.version = expected + 1
    item.updated_at = utcnow()
    session.add(item)


def _with_goal(session: Session, ctx: PlanContext, values: dict) -> dict:
    """A task's goal must be a goal of this plan that the person may see; anything else is "not in the list"
    (a made-up, another family's or a hidden goal all answer alike, so nobody learns that a goal exists)."""
    goal_id = values.get("goal_id")
    if not goal_id:
        return values
    goal = session.get(PlanItem, goal_id) if looks_like_id(goal_id) else None
    if (goal is None or goal.plan_id != ctx.plan.id or goal.kind != ItemKind.GOAL or goal.deleted_at is not None
            or not can_view(ctx.actor, ctx.policy_item(goal))):
        raise ValidationFailed([("goal_id", _("Choose a goal from the list."))])
    return values


def _progress(session: Session, ctx: PlanContext, kind: str, values: dict) -> dict:
    """A progress note belongs to a goal with assigned help (`_with_goal` checked the person sees it); a reaction
    to a note of this plan the person sees, and sits under the same goal, so the same age rules protect it. A made-up,
    another family's or a hidden note answers like a missing one."""
    if kind == ItemKind.NOTE:
        if not values.get("goal_id") or values["goal_id"] not in ctx.goal_organisations:
            raise ValidationFailed([("text", _("A progress note belongs to a goal that has help."))])
        if values.get("due_date") and values["due_date"] > today():
            raise ValidationFailed([("due_date", _("The date cannot be in the future."))])
        values["due_date"] = values.get("due_date") or today()
    if kind == ItemKind.REACTION:
        note_id = values.get("reply_to_id")
        note = session.get(PlanItem, note_id) if note_id and looks_like_id(note_id) else None
        if (note is None or note.plan_id != ctx.plan.id or note.kind != ItemKind.NOTE or note.deleted_at is not None
                or not can_view(ctx.actor, ctx.policy_item(note))):
            raise ValidationFailed([("text", _("This progress note is no longer there."))])
        values |= {"goal_id": note.goal_id, "youth_id": note.youth_id}
    if kind == ItemKind.STATEMENT and values.get("reply_to_id"):  # on an item the person sees: its youth and goal
        item_id = values["reply_to_id"]
        item = session.get(PlanItem, item_id) if looks_like_id(item_id) else None
        if (item is None or item.plan_id != ctx.plan.id or item.kind == ItemKind.STATEMENT
                or item.deleted_at is not None or not can_view(ctx.actor, ctx.policy_item(item))):
            raise ValidationFailed([("text", _("This part of the plan is no longer there."))])
        values |= {"goal_id": item.id if item.kind == ItemKind.GOAL else item.goal_id, "youth_id": item.youth_id}
    return values


def _check_subject(ctx: PlanContext, speaker: Speaker, item: PlanItem, values: dict) -> None:
    """Moving an item to another young person (or goal) may not take it from its author or expose a youth's words."""
    before = ctx.policy_item(item)
    youth_id = values.get("youth_id", item.youth_id)
    after = replace(before, youth=ctx.youth_facts.get(youth_id) if youth_id else None)
    author = ctx.actor_for(item.author_id) if ctx.role_of(item.author_id) else None
    if not (can_change_subject(speaker.author, author, before, after) and can_view(speaker.typed_by, after)):
        field = "goal_id" if item.kind == ItemKind.ACTION else "youth_id"
        raise ValidationFailed([(field, _("You cannot change who this is about: it would be hidden from the person "
                                          "who wrote it, or shown to someone it is not meant for."))])


def _inherit_youth(session: Session, values: dict) -> dict:
    """A task under a goal is about the goal's young person, so the same age rules protect it."""
    if values.get("goal_id") and not values.get("youth_id"):
        goal = session.get(PlanItem, values["goal_id"])
        if goal is not None:
            values["youth_id"] = goal.youth_id
    return values


def _last_author(session: Session, item: PlanItem) -> str | None:
    latest = session.exec(select(ItemVersion).where(ItemVersion.item_id == item.id)
                          .order_by(ItemVersion.version.desc())).first()
    return latest.author_id if latest else None


def _after_change(session: Session, ctx: PlanContext, item: PlanItem, speaker: Speaker, change: str,
                  client_id: str | None = None, reopens: bool = True) -> None:
    """History, plan status, access log and live update: all in the same transaction as the change.

    A change of content asks for agreement again on what changed, from those who may see it
    (`agreement.after_change`). Ticking an action off is progress, not content (`reopens=False`).
    """
    data = item.snapshot() | ({"client_id": client_id} if client_id else {})
    history = ItemVersion(item_id=item.id, plan_id=ctx.plan.id, version=item.version, change=change,
                          author_id=speaker.author.person_id, typed_by_id=speaker.typed_by.person_id,
                          data=data)
    session.add(history)
    plan = ctx.plan
    plan.updated_at = utcnow()
    session.add(plan)
    session.flush()
    if reopens and item.kind not in PROGRESS_KINDS:  # how the help goes is no part of what the family agreed
        agreement.after_change(session, ctx=ctx, item=item, change=change)
    record(session, event=f"item.{change}", action="create" if change == "create" else "update",
           actor=speaker.audit, family_id=plan.family_id, youth_id=item.youth_id, object_type=item.kind,
           object_id=item.id)
    live.publish_after_commit(session, plan.id, {"type": "item", "item": item.id, "kind": item.kind,
                                                 "version": item.version, "event_id": history.id,
                                                 "by": speaker.typed_by.person_id, "into": drawn_in(item),
                                                 "to": ctx.audience(ctx.policy_item(item))})
    signals.item_changed.send(ctx, session=session, item=item, author_id=speaker.author.person_id,
                              typed_by_id=speaker.typed_by.person_id, change=change)


def _next_position(ctx: PlanContext, kind: str) -> int:
    return int(utcnow().timestamp() * 1000) % 2_000_000_000  # newest last; stable across devices


def _validated(ctx: PlanContext, kind: str, fields: dict) -> dict:
    """Check and clean the fields for this kind; raise ValidationFailed with every problem at once."""
    reasons: list[tuple[str, str]] = []
    values: dict = {}
    for name in TEXT_FIELDS:
        if name in fields:
            value = _clean_text(fields.get(name) or "")
            limit = 500 if name in SHORT_FIELDS else MAX_TEXT
            if len(value) > limit:
                reasons.append((name, _("This is too long: at most %(max)d characters. You have %(count)d.",
                                        max=limit, count=len(value))))
            values[name] = value
    if "picture" in fields:  # a child's picture, chosen in the child view; with no words, its name says it
        values["picture"] = fields.get("picture") or None
        if values["picture"] is not None and values["picture"] not in PICTURES:
            reasons.append(("picture", _("Choose a picture.")))
    if not values.get("text"):
        reasons.append(("text", str(EMPTY_MESSAGES[kind])))
    if "domain" in fields:
        values["domain"] = fields.get("domain") or None
        if kind == ItemKind.GOAL and values["domain"] not in set(LifeDomain):
            reasons.append(("domain", _("Choose the part of life this goal is about.")))
    if "due_date" in fields:
        values["due_date"] = fields.get("due_date")
        reasons.extend(_date_problems(values["due_date"]))
        if kind == ItemKind.EVALUATION and values["due_date"] is None:
            reasons.append(("due_date", _("Choose the date you will look back together.")))
    for name, role in (("youth_id", "youth"), ("owner_id", None)):
        if name in fields:
            values[name] = fields.get(name) or None
            if values[name] and (ctx.role_of(values[name]) is None or (role and ctx.role_of(values[name]) != role)):
                reasons.append((name, _("Choose someone from the list.")))
    if "goal_id" in fields:
        values["goal_id"] = fields.get("goal_id") or None
    if "reply_to_id" in fields:
        values["reply_to_id"] = fields.get("reply_to_id") or None
    if reasons:
        raise ValidationFailed(reasons)
    return values


EMPTY_MESSAGES = {
    "strength": _l("Write down what goes well."),
    "worry": _l("Write down what you are worried about."),
    "goal": _l("Write down the goal."),
    "action": _l("Write down what needs to be done."),
    "safety": _l("Write down the safety agreement."),
    "evaluation": _l("Write down what you will look at together."),
    "own_words": _l("Write something in your own words."),
    "note": _l("Write how the help is going."),
    "reaction": _l("Write your reaction."),
    "statement": _l("Write your statement."),
}


def _clean_text(value: str) -> str:
    """Keep line breaks, drop control characters, trim; Frysk letters and emoji stay as typed."""
    lines = [clean_name(line) for line in value.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def _date_problems(value: date | None) -> list[tuple[str, str]]:
    if value is None:
        return []
    if value < today() - timedelta(days=366):
        return [("due_date", _("Choose a date from last year onwards."))]
    if value > today() + timedelta(days=3660):
        return [("due_date", _("Choose a date within the next ten years."))]
    return []


def items_about(session: Session, youth_id: str) -> list[tuple[str, str, PlanItem]]:
    """Plan items about this youth or written by them, as (id, title, item) tuples, oldest first (the consent page
    lists them; app.identity.hooks asks for them)."""
    rows = session.exec(select(PlanItem).where(sa.or_(PlanItem.youth_id == youth_id, PlanItem.author_id == youth_id),
                                               PlanItem.deleted_at.is_(None)).order_by(PlanItem.created_at)).all()
    return [(item.id, item.text[:200], item) for item in rows]
