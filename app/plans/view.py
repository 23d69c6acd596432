"""The plan as one person sees it: only what the age rules let them see, with a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from app.audit.services import AuditActor, objects_changed_since, record, record_at_commit
from app.core.clock import utcnow
from app.core.db import dialect_insert
from app.identity.policy import (
    Actor,
    Role,
    can_create,
    can_decide_sharing,
    can_edit,
    can_release_to_non_custody,
    can_tick_off,
    can_view,
    can_withhold_from_parents,
)
from app.plans.agreement import AgreementState, load_agreements, states
from app.plans.context import PlanContext
from app.plans.help_words import mentions_danger
from app.plans.models import Agreement, ItemKind, ItemVersion, PlanItem, PlanVisit

SECTION_ORDER = [ItemKind.STRENGTH, ItemKind.WORRY, ItemKind.GOAL, ItemKind.ACTION, ItemKind.SAFETY,
                 ItemKind.EVALUATION, ItemKind.OWN_WORDS]


@dataclass
class ItemView:
    """One item with what this viewer may do with it."""

    item: PlanItem
    can_edit: bool
    can_tick_off: bool
    can_withhold: bool
    can_share: bool
    can_release: bool
    hidden_from_parents: bool
    needs_help: bool = False


@dataclass
class Change:
    """One change since the viewer's last visit."""

    item: PlanItem
    version: sa.Row  # the version's item_id, change, author_id and changed_at


@dataclass
class PlanView:
    """Everything the plan page shows one person."""

    ctx: PlanContext
    sections: dict[str, list[ItemView]]
    actions_by_goal: dict[str | None, list[ItemView]]
    agreement: dict[str | None, AgreementState]
    changes: list[Change]
    creatable: set[str]
    previous_visit: object = None
    names: dict[str, str] = field(default_factory=dict)

    def item_view(self, item_id: str) -> ItemView | None:
        for views in self.sections.values():
            for view in views:
                if view.item.id == item_id:
                    return view
        return None


def build(session: Session, *, ctx: PlanContext, record_visit: bool = True) -> PlanView:
    """Load the plan's items, agreements and recent changes, filtered for this viewer; log the read."""
    items = list(session.exec(select(PlanItem).where(PlanItem.plan_id == ctx.plan.id, PlanItem.deleted_at.is_(None))
                              .order_by(PlanItem.position, PlanItem.created_at)).all())
    visible = []
    for item in items:
        facts = ctx.policy_item(item)
        if can_view(ctx.actor, facts):
            visible.append(view_of(ctx, item, facts))
    sections: dict[str, list[ItemView]] = {kind: [] for kind in SECTION_ORDER}
    for view in visible:
        sections[view.item.kind].append(view)
    actions_by_goal: dict[str | None, list[ItemView]] = {}
    goal_ids = {view.item.id for view in sections[ItemKind.GOAL]}
    for view in sections[ItemKind.ACTION]:
        actions_by_goal.setdefault(view.item.goal_id if view.item.goal_id in goal_ids else None, []).append(view)
    all_goals = [item for item in items if item.kind == ItemKind.GOAL]
    agreement = states(ctx, all_goals, load_agreements(session, ctx.plan.id))
    agreement = {key: state for key, state in agreement.items() if key is None or key in goal_ids}
    previous = _visit(session, ctx) if record_visit else None
    changes = _changes_since(session, ctx, previous, {view.item.id: view.item for view in visible})
    if record_visit:
        record_at_commit(session, event="plan.view", action="read",
                         actor=AuditActor(ctx.actor.person_id, ctx.actor.role), family_id=ctx.plan.family_id,
                         object_type="plan", object_id=ctx.plan.id)
    names = ctx.names
    creatable = {kind for kind in SECTION_ORDER if can_create(ctx.actor, kind)}
    return PlanView(ctx, sections, actions_by_goal, agreement, changes, creatable, previous, names)


def view_of(ctx: PlanContext, item: PlanItem, facts=None) -> ItemView:
    """What this viewer may do with one item (the policy facts are worked out once per item)."""
    facts = facts or ctx.policy_item(item)
    return ItemView(item=item, can_edit=can_edit(ctx.actor, facts), can_tick_off=can_tick_off(ctx.actor, facts),
                    can_withhold=can_withhold_from_parents(ctx.actor, facts),
                    can_share=can_decide_sharing(ctx.actor, facts),
                    can_release=can_release_to_non_custody(ctx.actor) and ctx.actor.role is Role.PROFESSIONAL,
                    hidden_from_parents=not can_view(PARENT_WITH_CUSTODY, facts),
                    needs_help=mentions_danger(item.text) or mentions_danger(item.result))


PARENT_WITH_CUSTODY = Actor(None, Role.PARENT, has_custody=True)  # for the "parents do not see this" marker


def _visit(session: Session, ctx: PlanContext):
    """Return when the person was here before (None the first time) and remember this visit at the commit: a visit
    more than 15 minutes after the last one is a new visit, anything sooner a reload that keeps the earlier mark.

    The mark is read now and written just before the commit (one upsert), so the row is not held while the page
    renders: the same person's tabs and devices do not wait for each other.
    """
    now = utcnow()
    table = PlanVisit.__table__.c
    row = session.execute(sa.select(table.previous_at, table.last_at).where(
        table.person_id == ctx.actor.person_id, table.plan_id == ctx.plan.id)).first()
    insert = dialect_insert(session, PlanVisit).values(person_id=ctx.actor.person_id, plan_id=ctx.plan.id,
                                                       previous_at=None, last_at=now)
    new_visit = table.last_at < now - timedelta(minutes=15)
    upsert = insert.on_conflict_do_update(
        index_elements=[table.person_id, table.plan_id],
        set_={"previous_at": sa.case((new_visit, table.last_at), else_=table.previous_at), "last_at": now})
    sa.event.listen(session, "before_commit", lambda this: this.execute(upsert), once=True)
    if row is None:
        return None
    return row.last_at if row.last_at < now - timedelta(minutes=15) else row.previous_at


def _changes_since(session: Session, ctx: PlanContext, since, visible: dict[str, PlanItem]) -> list[Change]:
    if since is None or not visible:
        return []
    # only the columns the list shows: not each version's whole snapshot
    rows = session.execute(sa.select(ItemVersion.item_id, ItemVersion.change, ItemVersion.author_id,
                                     ItemVersion.changed_at)
                           .where(ItemVersion.plan_id == ctx.plan.id, ItemVersion.changed_at > since,
                                  ItemVersion.author_id != ctx.actor.person_id)
                           .order_by(ItemVersion.changed_at.desc()).limit(50)).all()
    gone_ids = {row.item_id for row in rows if row.item_id not in visible and row.change == "delete"}
    gone = {item.id: item for item in session.exec(select(PlanItem).where(
        PlanItem.id.in_(gone_ids), PlanItem.deleted_at.is_not(None))).all()
        if can_view(ctx.actor, ctx.policy_item(item))} if gone_ids else {}
    return [Change(visible.get(row.item_id) or gone[row.item_id], row) for row in rows
            if row.item_id in visible or row.item_id in gone]


def item_view(session: Session, *, ctx: PlanContext, item_id: str) -> ItemView | None:
    """One item for this viewer (for live updates), or None when it is gone or not theirs to see."""
    item = session.get(PlanItem, item_id)
    if item is None or item.plan_id != ctx.plan.id or item.deleted_at is not None:
        return None
    if not can_view(ctx.actor, ctx.policy_item(item)):
        return None
    record(session, event="item.view", action="read", actor=AuditActor(ctx.actor.person_id, ctx.actor.role),
           family_id=ctx.plan.family_id, youth_id=item.youth_id, object_type=item.kind, object_id=item.id)
    return view_of(ctx, item)


def history(session: Session, *, ctx: PlanContext, item_id: str) -> tuple[PlanItem, list[ItemVersion]] | None:
    """An item's versions, newest first, if the viewer may see the item."""
    item = session.get(PlanItem, item_id)
    if item is None or item.plan_id != ctx.plan.id or not can_view(ctx.actor, ctx.policy_item(item)):
        return None
    versions = list(session.exec(select(ItemVersion).where(ItemVersion.item_id == item_id)
                                 .order_by(ItemVersion.version.desc())).all())
    record(session, event="item.history", action="read", actor=AuditActor(ctx.actor.person_id, ctx.actor.role),
           family_id=ctx.plan.family_id, youth_id=item.youth_id, object_type=item.kind, object_id=item.id)
    return item, versions


def last_event_id(session: Session, *, plan_id: str) -> int:
    """The id of the plan's latest change: a page's live stream catches up from here, even before its first event."""
    return session.exec(select(sa.func.max(ItemVersion.id)).where(ItemVersion.plan_id == plan_id)).one() or 0


VISIBILITY_EVENTS = ("item.withhold", "item.unwithhold", "item.share", "item.unshare", "item.release",
                     "item.unrelease")


def missed_events(session: Session, *, plan_id: str, family_id: str, after: str | None) -> list[dict]:
    """What changed after a stream's last event id, so a reconnecting page catches up on what it missed: the
    changed items, the items whose visibility changed (they may appear or vanish) and, once, agreement."""
    if not after or not after.isdigit():
        return []
    rows = session.exec(select(ItemVersion).where(ItemVersion.plan_id == plan_id, ItemVersion.id > int(after))
                        .order_by(ItemVersion.id).limit(500)).all()
    since = session.exec(select(ItemVersion.changed_at).where(ItemVersion.id == int(after),
                                                              ItemVersion.plan_id == plan_id)).first()
    if since is None:  # the page was drawn before the plan's first change
        since = session.exec(select(sa.func.min(ItemVersion.changed_at)).where(ItemVersion.plan_id == plan_id)
                             ).one() or utcnow() - timedelta(days=1)
    shown = objects_changed_since(session, family_id=family_id, events=VISIBILITY_EVENTS, since=since)
    wanted = {row.item_id for row in rows} | set(shown)
    found = {item.id: item for item in session.exec(select(PlanItem).where(PlanItem.plan_id == plan_id,
                                                                           PlanItem.id.in_(wanted))).all()
             } if wanted else {}
    events = [{"type": "item", "item": row.item_id, "kind": getattr(found.get(row.item_id), "kind", None),
               "version": row.version, "event_id": row.id, "by": row.typed_by_id} for row in rows]
    events += [{"type": "item", "item": item_id, "kind": found[item_id].kind, "version": found[item_id].version,
                "event_id": None, "visibility": True} for item_id in shown if item_id in found]
    if session.exec(select(Agreement.id).where(Agreement.plan_id == plan_id, Agreement.created_at > since)
                    .limit(1)).first() is not None:
        events.append({"type": "agreement", "event_id": None})
    return events
