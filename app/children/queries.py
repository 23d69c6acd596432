"""The reads of the child view and the youth view, and the check-in chart the adult plan shows.

Both views show only what the age rules let the youth see; the child view shown on a parent's phone ("Laat Noor
zien") shows only what both the child and the parent may see, so nobody learns a thing through the other's eyes.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import url_for
from sqlmodel import Session, select

from app.audit.services import AuditActor, record_at_commit
from app.children.models import CheckIn
from app.children.services import check_in_facts, child_speaker
from app.children.vocab import CHECK_INS_SHOWN, FACES, HOUSE_PICTURE, HOUSE_TITLES, HOUSES
from app.identity.models import Person
from app.identity.policy import Actor, can_show_child_view, can_view, lands_on_own_view
from app.plans import queries as plan_queries
from app.plans import signals
from app.plans.agreement import AgreementState
from app.plans.context import PlanContext
from app.plans.models import ItemKind, PlanItem
from app.plans.pictures import HOUSE_PICTURES
from app.plans.queries import ItemView, PlanView


def plan_address(plan_id: str, membership, person: Person) -> str:
    """Where a family member's plan button leads: a youth's own view (by age, unless they chose the whole plan),
    otherwise the whole plan."""
    if lands_on_own_view(membership.role, person.age, person.plan_view):
        return url_for("children.mine", plan_id=plan_id)
    return url_for("plans.show", plan_id=plan_id)


TEMPLATE_GLOBALS = {"plan_address": plan_address, "check_in_faces": FACES, "child_houses": HOUSES,
                    "house_titles": HOUSE_TITLES, "house_picture": HOUSE_PICTURE, "house_pictures": HOUSE_PICTURES}


@dataclass
class Helper:
    """Someone who helps with a goal, as the child view shows them: initials in a circle, and the name."""

    initials: str
    name: str


@dataclass
class ChildGoal:
    """One of the child's goals: in child words where someone wrote them, with who helps."""

    item: PlanItem
    words: str
    helpers: list[Helper] = field(default_factory=list)
    help_ended: bool = False  # its help has ended: the child may say how it went (three faces, app.results)


@dataclass
class ChildPage:
    """The child view: her houses, her goals, and who is holding the phone."""

    ctx: PlanContext
    child: Person
    houses: dict[str, list[PlanItem]]
    goals: list[ChildGoal]
    shown_by: Person | None  # the parent or professional showing the view on their phone; None: the child herself


def initials(name: str) -> str:
    """The first letters of a name's first and last word ("Sjoukje Kuipers" -> "SK")."""
    words = name.split()
    return (words[0][:1] + (words[-1][:1] if len(words) > 1 else "")).upper() if words else "?"


def child_page(session: Session, *, ctx: PlanContext, child_id: str) -> ChildPage:
    """What the child view shows (NotFound for who may not open it); the read is logged."""
    child_actor = child_speaker(ctx, child_id).author
    items = session.exec(select(PlanItem).where(
        PlanItem.plan_id == ctx.plan.id, PlanItem.deleted_at.is_(None),
        sa.or_(PlanItem.youth_id == child_id, PlanItem.author_id == child_id))
        .order_by(PlanItem.position, PlanItem.created_at)).all()
    shown = [item for item in items if _both_see(ctx, child_actor, item)]
    houses = {house: [item for item in shown if item.kind == house] for house in HOUSES}
    goals = [item for item in shown if item.kind == ItemKind.GOAL and item.youth_id == child_id]
    actions = session.exec(select(PlanItem).where(
        PlanItem.plan_id == ctx.plan.id, PlanItem.deleted_at.is_(None), PlanItem.kind == ItemKind.ACTION,
        PlanItem.goal_id.in_([goal.id for goal in goals]))).all() if goals else []
    record_at_commit(session, event="plan.view", action="read", actor=AuditActor(ctx.actor.person_id, ctx.actor.role),
                     family_id=ctx.plan.family_id, youth_id=child_id, object_type="plan", object_id=ctx.plan.id,
                     detail="child view")
    return ChildPage(ctx, ctx.people[child_id], houses,
                     [_child_goal(ctx, child_actor, goal, actions) for goal in goals],
                     None if ctx.actor.person_id == child_id else ctx.people.get(ctx.actor.person_id))


def _both_see(ctx: PlanContext, child: Actor, item: PlanItem) -> bool:
    facts = ctx.policy_item(item)
    return can_view(child, facts) and can_view(ctx.actor, facts)


def _child_goal(ctx: PlanContext, child: Actor, goal: PlanItem, actions: list[PlanItem]) -> ChildGoal:
    """A goal with its helpers: the owners of its tasks (as far as both may see them) and the help assigned."""
    owners = [action.owner_id for action in actions if action.goal_id == goal.id and action.owner_id
              and _both_see(ctx, child, action)]
    helpers = [Helper(initials(ctx.people[pid].name), ctx.people[pid].name)
               for pid in dict.fromkeys(owners) if pid in ctx.people]
    assigned = [row for row in ctx.assignments if row.goal_id == goal.id]
    if assigned:
        provider = assigned[-1].offer.provider.name
        helpers.append(Helper(initials(provider), provider))
    return ChildGoal(goal, goal.child_text or goal.text, helpers,
                     help_ended=bool(assigned) and assigned[-1].care_stopped_on is not None)


@dataclass
class YouthGoal:
    """One of the youth's goals (or, without a view, the plan as a whole), with their own agreement on its current
    version."""

    view: ItemView | None
    asked: bool  # their yes or no is needed on this version
    decision: str | None  # 'agree' or 'disagree' on this version, if given

    @property
    def goal_id(self) -> str:
        return self.view.item.id if self.view else ""


@dataclass
class YouthPage:
    """The youth view ("mijn plan"): their own words first, their goals, their next tasks, what changed."""

    pv: PlanView
    own_words: list[ItemView]
    whole_plan: YouthGoal  # their agreement on the plan as a whole
    goals: list[YouthGoal]
    tasks: list[ItemView]
    decides_sharing: bool  # 16 or older: they say per item whether their parents may see it


def youth_page(session: Session, *, ctx: PlanContext) -> YouthPage:
    """Build the plan as this youth sees it (logged and marked as a visit, like the plan page), for one screen."""
    pv = plan_queries.build(session, ctx=ctx)
    me = ctx.actor.person_id
    own_words = [view for view in pv.sections[ItemKind.OWN_WORDS] if view.item.author_id == me]
    goals = [_youth_goal(view, pv.agreement.get(view.item.id), me) for view in pv.sections[ItemKind.GOAL]
             if view.item.youth_id == me]
    tasks = sorted((view for view in pv.sections[ItemKind.ACTION] if view.item.owner_id == me
                    and not view.item.is_done), key=lambda view: view.item.due_date or date.max)
    return YouthPage(pv, own_words, _youth_goal(None, pv.agreement.get(None), me), goals, tasks,
                     decides_sharing=any(view.can_share for views in pv.sections.values() for view in views))


def _youth_goal(view: ItemView | None, state: AgreementState | None, me: str) -> YouthGoal:
    asked = state is not None and me in state.required
    decision = state.decisions[me].decision if asked and me in state.decisions else None
    return YouthGoal(view, asked, decision)


@dataclass
class CheckInChart:
    """A youth's last check-ins, oldest first, for the adult plan."""

    person: Person
    rows: list[CheckIn]


def check_in_charts(session: Session, ctx: PlanContext) -> list[CheckInChart]:
    """The check-ins this reader may see, per youth: the last few of each (one query)."""
    rows = session.exec(select(CheckIn).where(CheckIn.plan_id == ctx.plan.id)
                        .order_by(CheckIn.created_at.desc(), CheckIn.id.desc()).limit(200)).all()
    charts: dict[str, list[CheckIn]] = {}
    for row in rows:
        person = ctx.people.get(row.person_id)
        if person is None or person.age is None or len(charts.get(row.person_id, ())) >= CHECK_INS_SHOWN:
            continue
        if can_view(ctx.actor, check_in_facts(row.person_id, row.age, person.age)):
            charts.setdefault(row.person_id, []).append(row)
    return [CheckInChart(ctx.people[pid], list(reversed(found))) for pid, found in charts.items()]


@signals.plan_page.connect
def _plan_page_parts(ctx: PlanContext, *, session: Session, goals: list) -> dict:
    """What the whole plan shows of the children's views: the check-ins its reader may see ("Hoe gaat het?"), the
    children whose view they may show on their phone ("Laat Noor zien"), and for a youth the way back to their own
    view."""
    children = [person for person in ctx.youths
                if can_show_child_view(ctx.actor, ctx.actor_for(person.id)) and person.id != ctx.actor.person_id]
    return {"check_ins": check_in_charts(session, ctx), "show_children": children,
            "own_view": lands_on_own_view(ctx.actor.role, ctx.actor.age, None)}
