"""The plan page's reads: the plan as one person sees it (only what the age rules let them see, with a fixed
number of queries), what a live stream may tell them, and the kit the item templates use.

The kit: What the item templates need many times per page, worked out once per request: words, URLs, dates, the token.

A big plan shows 130+ items; asking Babel and the URL map for the same words and routes for each one cost most of
the page's time. The words are worked out once per language (they only change with a new release), the URLs and
the form token once per request, and each date once per format.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from types import SimpleNamespace

import sqlalchemy as sa
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.lists import format_list
from flask import g, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from sqlmodel import Session, select

from app.audit.services import AuditActor, events_since, record, record_at_commit
from app.core.clock import utcnow
from app.core.db import dialect_insert
from app.identity.models import Organisation, Person, StaffMembership
from app.identity.policy import (
    Actor,
    Role,
    can_create,
    can_decide_sharing,
    can_edit,
    can_make_statement,
    can_release_to_non_custody,
    can_tick_off,
    can_view,
    can_withhold_from_parents,
    leads_the_plan,
)
from app.plans import diff, labels, pictures
from app.plans.agreement import (
    EVERYONE,
    AgreementState,
    Standing,
    Waiting,
    load_agreements,
    sees,
    shown_states,
    standing,
    states,
    waiting_goals,
)
from app.plans.context import PlanContext
from app.plans.forms import empty_progress_form
from app.plans.fragments import agreement_key, cached_block, cached_item, goal_key, progress_key, waiting_key
from app.plans.help_words import mentions_danger
from app.plans.models import (
    DOMAIN_LABELS,
    PROGRESS_KINDS,
    Agreement,
    ItemKind,
    ItemVersion,
    PlanItem,
    PlanVisit,
    drawn_in,
)

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
    replies: list["ItemView"] = field(default_factory=list)  # a progress note's reactions this viewer may see
    can_reply: bool = False  # a progress note this viewer may react to
    statements: list["ItemView"] = field(default_factory=list)  # the betrokkenen's own statements on it, in order
    can_state: bool = False  # this viewer may add their own statement (can_make_statement)
    sees_withheld_reason: bool = False  # why it is withheld from the parents (who leads the plan, the youth it is on)


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
    standing: Standing | None = None  # the plan's status as this viewer is shown it
    waiting: list[Waiting] = field(default_factory=list)  # the goals they see that keep it waiting, and for whom
    notes_by_goal: dict[str, list[ItemView]] = field(default_factory=dict)  # progress notes, in the order written
    note_goals: set[str] = field(default_factory=set)  # goals with help this viewer may write a progress note on
    dossier_statements: list[ItemView] = field(default_factory=list)  # own statements on the dossier as a whole

    @property
    def sees_whole_plan(self) -> bool:
        """Whether this reader may see the plan as a whole (not: network, parents without custody, providers)."""
        return None in self.agreement

    @property
    def drawn_sections(self) -> list[str]:
        """The sections the page draws. For whom the plan is only partly theirs (network, parents without custody)
        only those with something of theirs in it: the family's part would otherwise show up as empty."""
        whole = self.sees_whole_plan
        return [kind for kind, views in self.sections.items()
                if views or kind in self.creatable or (whole and kind != ItemKind.ACTION)]

    @property
    def item_ids(self) -> set[str]:
        notes = [view for views in self.notes_by_goal.values() for view in views]
        shown = [view for views in self.sections.values() for view in views] + notes \
            + [reply for view in notes for reply in view.replies]
        return {view.item.id for view in shown} | {s.item.id for view in shown for s in view.statements}

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
    progress = [view for view in visible if view.item.kind in PROGRESS_KINDS]
    for view in visible:
        if view.item.kind not in PROGRESS_KINDS:
            sections[view.item.kind].append(view)
    actions_by_goal: dict[str | None, list[ItemView]] = {}
    goal_ids = {view.item.id for view in sections[ItemKind.GOAL]}
    notes_by_goal = _threads(ctx, progress, goal_ids)
    _attach_statements(visible)
    for view in sections[ItemKind.ACTION]:
        actions_by_goal.setdefault(view.item.goal_id if view.item.goal_id in goal_ids else None, []).append(view)
    all_goals = [item for item in items if item.kind == ItemKind.GOAL]
    agreement = shown_states(ctx, states(ctx, all_goals, load_agreements(session, ctx.plan.id)), goal_ids)
    previous = _visit(session, ctx) if record_visit else None
    changes = _changes_since(session, ctx, previous, {view.item.id: view.item for view in visible})
    if record_visit:
        record_at_commit(session, event="plan.view", action="read",
                         actor=AuditActor(ctx.actor.person_id, ctx.actor.role), family_id=ctx.plan.family_id,
                         object_type="plan", object_id=ctx.plan.id)
    names = ctx.names | staff_names(session, ctx, progress)
    creatable = {kind for kind in SECTION_ORDER if can_create(ctx.actor, kind)}
    shown_as = standing(session, ctx, agreement)
    waiting = waiting_goals(ctx, agreement, [view.item for view in sections[ItemKind.GOAL]], shown_as.status)
    note_goals = {goal_id for goal_id in goal_ids if goal_id in ctx.goal_organisations} \
        if can_create(ctx.actor, ItemKind.NOTE) else set()
    dossier = [view for view in visible if view.item.kind == ItemKind.STATEMENT and not view.item.reply_to_id]
    return PlanView(ctx, sections, actions_by_goal, agreement, changes, creatable, previous, names, shown_as, waiting,
                    notes_by_goal, note_goals, dossier)


def _threads(ctx: PlanContext, progress: list[ItemView], goal_ids: set[str]) -> dict[str, list[ItemView]]:
    """Progress notes under the goals this viewer sees, oldest first (by date, then as written), each with the
    reactions they may see in the order written."""
    notes = {view.item.id: view for view in progress
             if view.item.kind == ItemKind.NOTE and view.item.goal_id in goal_ids}
    for view in sorted(progress, key=lambda v: v.item.created_at):
        if view.item.kind == ItemKind.REACTION and view.item.reply_to_id in notes:
            notes[view.item.reply_to_id].replies.append(view)
    by_goal: dict[str, list[ItemView]] = {}
    for view in sorted(notes.values(), key=lambda v: (v.item.due_date or date.min, v.item.created_at)):
        view.can_reply = can_create(ctx.actor, ItemKind.REACTION)
        by_goal.setdefault(view.item.goal_id, []).append(view)
    return by_goal


def _attach_statements(visible: list[ItemView]) -> None:
    """Each statement under the item it is about (both seen by this viewer), in the order written."""
    statements = sorted((view for view in visible if view.item.kind == ItemKind.STATEMENT),
                        key=lambda v: v.item.created_at)
    if statements:
        by_id = {view.item.id: view for view in visible}
        for view in statements:
            if view.item.reply_to_id in by_id:
                by_id[view.item.reply_to_id].statements.append(view)


def names_for(session: Session, ctx: PlanContext, view: ItemView) -> dict[str, str]:
    """The names one item (a progress note with its reactions) shows: the family's and its writers'."""
    return ctx.names | staff_names(session, ctx, [view, *view.replies])


def staff_names(session: Session, ctx: PlanContext, views: list[ItemView]) -> dict[str, str]:
    """The names of provider staff who wrote progress notes (they are no family members), with their organisation."""
    missing = {view.item.author_id for view in views} - set(ctx.people)
    if not missing:
        return {}
    rows = session.exec(select(Person, Organisation.name).join(StaffMembership, StaffMembership.person_id == Person.id)
                        .join(Organisation, Organisation.id == StaffMembership.organisation_id)
                        .where(Person.id.in_(missing), StaffMembership.role == Role.PROVIDER_STAFF)).all()
    return {person.id: f"{person.name} ({organisation})" for person, organisation in rows}


def agreement_view(session: Session, *, ctx: PlanContext) -> PlanView:
    """The plan for its agreement parts alone (fetched again when agreement changed): the read is logged, but it marks
    no visit, since the person did not open the plan again."""
    plan_view = build(session, ctx=ctx, record_visit=False)
    record_at_commit(session, event="plan.view", action="read", actor=AuditActor(ctx.actor.person_id, ctx.actor.role),
                     family_id=ctx.plan.family_id, object_type="plan", object_id=ctx.plan.id, detail="agreement")
    return plan_view


def view_of(ctx: PlanContext, item: PlanItem, facts=None) -> ItemView:
    """What this viewer may do with one item (the policy facts are worked out once per item)."""
    facts = facts or ctx.policy_item(item)
    return ItemView(item=item, can_edit=can_edit(ctx.actor, facts), can_tick_off=can_tick_off(ctx.actor, facts),
                    can_withhold=can_withhold_from_parents(ctx.actor, facts),
                    can_share=can_decide_sharing(ctx.actor, facts),
                    can_release=can_release_to_non_custody(ctx.actor) and ctx.actor.role is Role.PROFESSIONAL,
                    hidden_from_parents=not can_view(PARENT_WITH_CUSTODY, facts),
                    can_state=can_make_statement(ctx.actor, facts),
                    sees_withheld_reason=leads_the_plan(ctx.actor) or item.youth_id == ctx.actor.person_id,
                    needs_help=_mentions_danger(item.text) or _mentions_danger(item.result))


PARENT_WITH_CUSTODY = Actor(None, Role.PARENT, has_custody=True)  # for the "parents do not see this" marker


@lru_cache(maxsize=16384)
def _mentions_danger(text: str | None) -> bool:
    """mentions_danger, remembered per text in this process (a plan's texts rarely change between views)."""
    return mentions_danger(text)


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
    """Others' changes to what this viewer may see (hidden items neither show up nor crowd out the 50 shown)."""
    if since is None or not visible:
        return []
    others = (ItemVersion.plan_id == ctx.plan.id, ItemVersion.changed_at > since,
              ItemVersion.author_id != ctx.actor.person_id)
    gone_ids = set(session.exec(select(ItemVersion.item_id).where(*others, ItemVersion.change == "delete")).all())
    gone_ids -= set(visible)
    gone = {item.id: item for item in session.exec(select(PlanItem).where(
        PlanItem.id.in_(gone_ids), PlanItem.deleted_at.is_not(None))).all()
        if can_view(ctx.actor, ctx.policy_item(item))} if gone_ids else {}
    # only the columns the list shows: not each version's whole snapshot
    rows = session.execute(sa.select(ItemVersion.item_id, ItemVersion.change, ItemVersion.author_id,
                                     ItemVersion.changed_at)
                           .where(*others, ItemVersion.item_id.in_(set(visible) | set(gone)))
                           .order_by(ItemVersion.changed_at.desc()).limit(50)).all()
    return [Change(visible.get(row.item_id) or gone[row.item_id], row) for row in rows]

def item_view(session: Session, *, ctx: PlanContext, item_id: str) -> ItemView | None:
    """One item for this viewer (for live updates), or None when it is gone or not theirs to see."""
    item = session.get(PlanItem, item_id)
    if item is None or item.plan_id != ctx.plan.id or item.deleted_at is not None:
        return None
    if not can_view(ctx.actor, ctx.policy_item(item)):
        return None
    record(session, event="item.view", action="read", actor=AuditActor(ctx.actor.person_id, ctx.actor.role),
           family_id=ctx.plan.family_id, youth_id=item.youth_id, object_type=item.kind, object_id=item.id)
    view = view_of(ctx, item)
    # drawn with its reactions and statements (a live update or a save replaces all of it)
    hanging = session.exec(select(PlanItem).where(PlanItem.reply_to_id == item.id, PlanItem.deleted_at.is_(None))
                           .order_by(PlanItem.created_at)).all()
    shown = [view_of(ctx, child, facts) for child in hanging if can_view(ctx.actor, facts := ctx.policy_item(child))]
    view.statements = [child for child in shown if child.item.kind == ItemKind.STATEMENT]
    if item.kind == ItemKind.NOTE:
        view.replies = [child for child in shown if child.item.kind == ItemKind.REACTION]
        view.can_reply = can_create(ctx.actor, ItemKind.REACTION)
    return view


def section_of(session: Session, *, ctx: PlanContext, item_id: str) -> str | None:
    """The section of the plan page an item is drawn in (a task under its goal, when the viewer sees that goal)."""
    item = session.get(PlanItem, item_id)
    if item is None or item.plan_id != ctx.plan.id:
        return None
    goal = session.get(PlanItem, item.goal_id) if item.kind == ItemKind.ACTION and item.goal_id else None
    if goal is not None and goal.deleted_at is None and can_view(ctx.actor, ctx.policy_item(goal)):
        return ItemKind.GOAL
    return item.kind


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


def last_event_id(session: Session, *, plan_id: str, item_ids: set[str]) -> int:
    """The id of the latest change to what this viewer may see (`item_ids`): a page's live stream catches up from
    here, even before its first event; changes hidden from them do not move it."""
    if not item_ids:
        return 0
    return session.exec(select(sa.func.max(ItemVersion.id)).where(ItemVersion.plan_id == plan_id,
                                                                  ItemVersion.item_id.in_(item_ids))).one() or 0


# each visibility change: the field it sets, the value that field had before, and the value it sets
FLIPS = {"item.withhold": ("withheld_from_parents", False, True),
         "item.unwithhold": ("withheld_from_parents", True, False),
         "item.share": ("shared_with_parents", None, True), "item.unshare": ("shared_with_parents", True, False),
         "item.release": ("released_to_non_custody", False, True),
         "item.unrelease": ("released_to_non_custody", True, False)}
VISIBILITY_EVENTS = tuple(FLIPS)
HELP_EVENTS = ("assignment.choose", "assignment.confirm", "assignment.examining", "assignment.assigned",
               "assignment.refused")  # a goal's help changed (its object id is the assignment's reference)
POLICY_FIELDS = ("youth_id", "owner_id", "goal_id")  # the content fields the age rules read


def drawn_mark() -> int:
    """The moment a plan page is drawn, in milliseconds (its live stream's `drawn`)."""
    return int(utcnow().timestamp() * 1000)


def drawn_at(value: str | None) -> datetime | None:
    """When the page was drawn, from its stream's `drawn` (None when missing or malformed; never later than now)."""
    if not value or not value.isdigit() or len(value) > 15:
        return None
    return min(datetime.fromtimestamp(int(value) / 1000, UTC), utcnow())


def cursor_from(session: Session, plan_id: str, last_event_id: str | None) -> str | None:
    """The plan's change cursor (`missed_events`' `after`) for a page that reconnects with the id of
    the last event nginx gave it ("<unix seconds>:<n>"): every change from that second on is caught up again (a
    change heard twice is fetched twice, never missed). Other ids are the app's own cursor and pass unchanged."""
    if not last_event_id or ":" not in last_event_id:
        return last_event_id
    seconds = last_event_id.split(":", 1)[0]
    if not seconds.isdigit() or len(seconds) > 12:
        return None
    since = datetime.fromtimestamp(int(seconds), UTC)
    before = session.exec(sa.select(sa.func.max(ItemVersion.id)).where(ItemVersion.plan_id == plan_id,
                                                                       ItemVersion.changed_at < since)).one()[0]
    return str(before or 0)


def missed_events(session: Session, *, ctx: PlanContext, after: str | None,
                  drawn: datetime | None = None) -> list[dict]:
    """What this reader missed after a stream's last event id, so a reconnecting page catches up: changes to items
    they may see now, the items whose visibility changed (to take away one they could see when they left, never to
    show one they could not) and, once, agreement and each goal's help they may see. Ids only. What was logged
    before the page was
    `drawn` is in the page already: a page that just opened has missed nothing (it is not drawn a second time)."""
    if not after or not after.isdigit():
        return []
    plan_id = ctx.plan.id
    rows = session.exec(select(ItemVersion).where(ItemVersion.plan_id == plan_id, ItemVersion.id > int(after))
                        .order_by(ItemVersion.id).limit(500)).all()
    since = session.exec(select(ItemVersion.changed_at).where(ItemVersion.id == int(after),
                                                              ItemVersion.plan_id == plan_id)).first()
    if since is None:  # the page was drawn before the plan's first change
        since = session.exec(select(sa.func.min(ItemVersion.changed_at)).where(ItemVersion.plan_id == plan_id)
                             ).one() or utcnow() - timedelta(days=1)
    if drawn is not None:
        since = max(since, drawn)
    logged = events_since(session, family_id=ctx.plan.family_id, since=since,
                          events=(*VISIBILITY_EVENTS, *HELP_EVENTS, "plan.ask_agreement", "plan.fixed"))
    flips = [(object_id, event) for object_id, event in logged if event in FLIPS]
    wanted = {row.item_id for row in rows} | {object_id for object_id, _event in flips}
    found = {item.id: item for item in session.exec(select(PlanItem).where(PlanItem.plan_id == plan_id,
                                                                           PlanItem.id.in_(wanted))).all()
             } if wanted else {}
    now = {item_id for item_id, item in found.items() if can_view(ctx.actor, ctx.policy_item(item))}
    hidden = {item_id: item for item_id, item in found.items() if item_id not in now}
    before = _visible_at(session, ctx, hidden, int(after), flips) if hidden else set()
    events, gone = [], set()
    for row in rows:
        if row.item_id in now:
            events.append({"type": "item", "item": row.item_id, "kind": found[row.item_id].kind,
                           "version": row.version, "event_id": row.id, "by": row.typed_by_id,
                           "into": drawn_in(found[row.item_id])})
        elif row.item_id in before and row.item_id not in gone:
            gone.add(row.item_id)  # once: the page only needs to take it away
            events.append(_gone(row.item_id, found[row.item_id].kind, found[row.item_id].version, row.id))
    for item_id in dict.fromkeys(object_id for object_id, _event in flips):
        if item_id in now:
            item = found[item_id]
            events.append({"type": "item", "item": item_id, "kind": item.kind, "version": item.version,
                           "event_id": None, "visibility": True, "into": drawn_in(item)})
        elif item_id in before and item_id not in gone:
            gone.add(item_id)
            events.append(_gone(item_id, found[item_id].kind, found[item_id].version))
    if _agreement_missed(session, ctx, since, [event for _id, event in logged]):
        events.append({"type": "agreement", "event_id": None})
    return events + _help_missed(session, ctx, logged)


def _help_missed(session: Session, ctx: PlanContext, logged: list[tuple[str, str]]) -> list[dict]:
    """The goals this reader may see whose help changed since (chosen, confirmed, answered), once each."""
    goal_of = {assignment.reference: assignment.goal_id for assignment in ctx.assignments}
    changed = list(dict.fromkeys(goal_of[object_id] for object_id, event in logged
                                 if event in HELP_EVENTS and object_id in goal_of))
    if not changed:
        return []
    goals = {goal.id: goal for goal in session.exec(select(PlanItem).where(PlanItem.id.in_(changed))).all()}
    return [{"type": "help", "goal": goal_id, "event_id": None} for goal_id in changed
            if goal_id in goals and can_view(ctx.actor, ctx.policy_item(goals[goal_id]))]


def _gone(item_id: str, kind: str | None, version: int | None, event_id: int | None = None) -> dict:
    """Tell a page to fetch again an item this reader could see before: the answer (404) takes it away."""
    return {"type": "item", "item": item_id, "kind": kind, "version": version, "event_id": event_id,
            "visibility": True}


def _visible_at(session: Session, ctx: PlanContext, found: dict[str, PlanItem], after: int,
                flips: list[tuple[str, str]]) -> set[str]:
    """The ids of the items this reader could see at event `after` or after a visibility change since (their page may
    show them): at `after` with its content of then, visible as before the first change since; an item made later
    was not there to see."""
    latest = (select(sa.func.max(ItemVersion.id)).where(ItemVersion.item_id.in_(found), ItemVersion.id <= after)
              .group_by(ItemVersion.item_id))
    then = {row.item_id: row for row in session.exec(select(ItemVersion).where(ItemVersion.id.in_(latest))).all()}
    visible = set()
    for item_id, item in found.items():
        row = then.get(item_id)
        if row is None or row.change == "delete":
            continue
        changes = [FLIPS[event] for flipped, event in flips if flipped == item_id]
        state = item.model_dump() | {key: row.data.get(key) for key in POLICY_FIELDS}
        for name, before, _set in reversed(changes):
            state[name] = before  # the first change since says what it was at `after`
        states = [state]
        for name, _before, value in changes:
            states.append(states[-1] | {name: value})
        if any(can_view(ctx.actor, ctx.policy_item(SimpleNamespace(**facts))) for facts in states):
            visible.add(item_id)
    return visible


def _agreement_missed(session: Session, ctx: PlanContext, since, logged: list[str]) -> bool:
    """Whether agreement this reader may see changed since: a decision on a goal they may see or on the plan (when
    they see the plan), the plan put up for agreement, or fixed for the first time (everyone's status changes)."""
    plan = ctx.plan
    if "plan.ask_agreement" in logged or (plan.fixed_count and logged.count("plan.fixed") >= plan.fixed_count):
        return True
    goal_ids = set(session.exec(select(Agreement.goal_id).where(Agreement.plan_id == plan.id,
                                                                Agreement.created_at > since)).all())
    if None in goal_ids and sees(ctx, ctx.actor, None):
        return True
    goal_ids.discard(None)
    goals = session.exec(select(PlanItem).where(PlanItem.id.in_(goal_ids))).all() if goal_ids else []
    return any(sees(ctx, ctx.actor, goal) for goal in goals)


@dataclass
class Reader:
    """Whose live stream this is, and which items they could see when last told (only those may be taken away)."""

    person_id: str
    organisation_id: str | None
    seen: set[str]


def reader(session: Session, *, ctx: PlanContext) -> Reader:
    """Start a live stream's reader from what they may see now."""
    items = session.exec(select(PlanItem).where(PlanItem.plan_id == ctx.plan.id, PlanItem.deleted_at.is_(None)))
    return Reader(ctx.actor.person_id, ctx.actor.organisation_id,
                  {item.id for item in items if can_view(ctx.actor, ctx.policy_item(item))})


def for_reader(reader: Reader, message: dict) -> dict | None:
    """The live message as this reader may receive it, or None: about an item they may see (or could see, to take it
    away), or about agreement or a goal's help they may see. Who may see it was worked out once when the change was
    published (the message's `to`, from the family and the age rules of that moment, PlanContext.audience); a
    message about an item, agreement or help without it is passed to nobody. `to` itself never leaves the server."""
    if message.get("type") not in ("item", "agreement", "help", "checkin"):
        return message
    audience = message.get("to")
    public = {key: value for key, value in message.items() if key != "to"}
    if audience == EVERYONE:
        return public
    allowed = isinstance(audience, dict) and (reader.person_id in audience.get("people", ())
                                              or reader.organisation_id in audience.get("organisations", ()))
    if message["type"] in ("agreement", "help", "checkin"):
        return public if allowed else None
    item_id = message.get("item")
    if allowed:
        reader.seen.add(item_id)
        return public
    if item_id in reader.seen:
        reader.seen.discard(item_id)
        return _gone(item_id, message.get("kind"), message.get("version"), message.get("event_id"))
    return None


# The kit: words, URLs and dates the item templates need many times per page, worked out once.

_PLACEHOLDER = "__item__"
_WORDS: dict[str, SimpleNamespace] = {}
_ITEM_ENDPOINTS = {"edit": "plans.edit", "history": "plans.history", "done": "plans.toggle_done",
                   "visibility": "plans.visibility", "visibility_form": "plans.visibility_form",
                   "follow": "notifications.follow", "statement": "plans.statement_form"}
_GOAL_ENDPOINTS = {"find_help": ("catalog.index", "doel"), "confirm": ("catalog.confirm", "goal_id"),
                   "help": ("catalog.goal_help", "goal_id")}


def _words() -> SimpleNamespace:
    """Every fixed word of the item and agreement templates, in the current language (formats keep %(x)s)."""
    return SimpleNamespace(**{
        "result": _("Result"), "child_words": _("In words for a child"), "statement": _("Own statement"),
        "add_statement": _("Add my own statement"), "reached_by": _("Reached by"),
        "who_helps": _("Who helps"), "done": _("Done"),
        "done_lower": _("done"), "by_date": _("by %(date)s"), "help_lines": _("Help lines"),
        "help_intro": _("Is this about violence, abuse or thoughts of suicide? You do not have to carry it alone. "
                        "Calling is free."),
        "immediate_danger": _("immediate danger"), "anonymous": _("anonymous, for young people"),
        "suicide_prevention": _("suicide prevention"), "typed_by": _("typed by %(name)s"),
        "parents_do_not_see": _("Parents do not see this"), "edit": _("Edit"), "history": _("History"),
        "stop_sharing": _("Stop sharing with my parents"), "share": _("Share with my parents"),
        "share_again": _("Share with the parents again"), "do_not_share": _("Do not share with the parents"),
        "agreement": _("Agreement"), "everyone_agrees": _("everyone agrees"),
        "agreed_of": _("%(agreed)s of %(total)s agree"), "agrees": _("agrees"),
        "does_not_agree": _("does not agree"), "not_yet": _("not yet"),
        "does_name_agree": _("Does %(name)s agree?"), "do_you_agree": _("Do you agree?"),
        "yes_agree": _("Yes, I agree"), "no_agree": _("No, I do not agree"),
        "what_not_agree": _("What do you not agree with?"), "save_answer": _("Save my answer"),
        "follow": _("Follow this goal"), "find_help": _("Find help for this goal"),
        "waiting_title": _("The plan is still waiting for agreement on:"),
        "still_to_agree": _("Still has to agree: %(names)s"), "you_subject": _("you (subject)"), "add": _("Add"),
        "no_notes": _("No progress notes yet."),
        **{f"domain_{key.value}": str(label) for key, label in DOMAIN_LABELS.items()},
    })


@dataclass
class Kit:
    """The per-request helpers of one plan's item templates."""

    language: str
    w: SimpleNamespace
    u: SimpleNamespace  # URL patterns of the item and goal routes: `k.u.edit % item_id`
    csrf: str
    u_key: tuple = ()  # the URL patterns as one hashable value (part of a cached fragment's key)

    def date(self, value: date | None, pattern: str = "long") -> str:
        """A date in the reader's language."""
        return "" if value is None else _format_date(value, pattern, self.language)

    def people(self, person_ids: list[str], names: dict[str, str], reader_id: str | None) -> str:
        """Some family members as one list in the reader's language ("jij, Erik en Sanne"): the reader as "jij"."""
        said = [self.w.you_subject if pid == reader_id else names.get(pid, "") for pid in person_ids]
        return format_list(said, locale=Locale.parse(self.language)) if said else ""

    def domain(self, code: str | None) -> str:
        """The life domain's name."""
        return getattr(self.w, f"domain_{code}", "")


@lru_cache(maxsize=8192)
def _format_date(value: date, pattern: str, language: str) -> str:
    """A date as words (a date on its own says nothing about anyone, so it may be kept for the next page)."""
    return babel_format_date(value, pattern, locale=Locale.parse(language))


def plan_kit(plan_id: str) -> Kit:
    """The kit for a plan in the current request (made on first use, then reused for every item)."""
    kits = g.setdefault("plan_kits", {})
    language = str(get_locale())
    if (plan_id, language) not in kits:
        if language not in _WORDS:
            _WORDS[language] = _words()
        urls = {name: url_for(endpoint, plan_id=plan_id, item_id=_PLACEHOLDER) for name, endpoint in
                _ITEM_ENDPOINTS.items()}
        urls["create"] = url_for("plans.create", plan_id=plan_id, kind=_PLACEHOLDER)
        urls |= {name: url_for(endpoint, **{arg: _PLACEHOLDER}) for name, (endpoint, arg) in _GOAL_ENDPOINTS.items()}
        urls = {name: url.replace("%", "%%").replace(_PLACEHOLDER, "%s") for name, url in urls.items()}
        kits[plan_id, language] = Kit(language, _WORDS[language], SimpleNamespace(**urls), generate_csrf(),
                                      tuple(sorted(urls.items())))
    return kits[plan_id, language]


TEMPLATE_GLOBALS = {"section_label": labels.section_label, "section_intro": labels.section_intro,
                    "add_label": labels.add_label, "change_label": labels.change_label,
                    "field_label": labels.field_label, "domain_label": labels.domain_label,
                    "diff_fields": diff.diff_fields, "word_diff": diff.word_diff, "mentions_danger": mentions_danger,
                    "plan_kit": plan_kit, "cached_item": cached_item,
                    "cached_block": cached_block, "agreement_key": agreement_key, "progress_key": progress_key,
                    "goal_key": goal_key, "waiting_key": waiting_key,
                    "plan_standing": labels.plan_standing,
                    "empty_progress_form": empty_progress_form, "picture_url": pictures.picture_url,
                    "picture_name": pictures.picture_name, "face_url": pictures.face_url}
