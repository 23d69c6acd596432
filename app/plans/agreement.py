"""Agreement: per goal and per plan version, who must agree follows the age rules; all agreed → fixed.

What re-opens agreement, and the status each person is shown, depend only on what that person may see
(docs/decisions.md, "Agreement follows what each person may see").
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlmodel import Session, select

from app.audit.services import AuditActor, first_event_at, record
from app.core.clock import utcnow
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.identity.models import Municipality
from app.identity.policy import CHILD_UNTIL, Actor, Role, age_band, can_view, required_consenters
from app.outbox.services import emit
from app.plans import live, signals
from app.plans.context import WHOLE_PLAN, PlanContext, may_see, plan_context
from app.plans.models import Agreement, ItemKind, PlanItem, PlanStatus

DECISIONS = ("agree", "disagree")


@dataclass(frozen=True)
class AgreementState:
    """For one goal (or the whole plan): who must agree, and each one's decision on the current version."""

    goal_id: str | None
    version: int
    required: frozenset[str]
    decisions: dict[str, Agreement]

    @property
    def agreed(self) -> set[str]:
        return {pid for pid, a in self.decisions.items() if a.decision == "agree"}

    @property
    def complete(self) -> bool:
        return bool(self.required) and self.required <= self.agreed

    @property
    def waiting_for(self) -> frozenset[str]:
        return self.required - frozenset(self.decisions)

    @property
    def agreed_at(self) -> datetime | None:
        """When the last required yes came (None while not complete)."""
        if not self.complete:
            return None
        return max(self.decisions[pid].created_at for pid in self.required)


def states(ctx: PlanContext, goals: list[PlanItem], agreements: list[Agreement]) -> dict[str | None, AgreementState]:
    """Work out the agreement state of every goal and of the plan as a whole from the agreement rows."""
    result: dict[str | None, AgreementState] = {}
    subjects = [(goal.id, goal.version, goal.youth_id) for goal in goals]
    subjects.append((None, ctx.plan.content_version, None))
    for goal_id, version, youth_id in subjects:
        latest: dict[str, Agreement] = {}
        for row in agreements:  # oldest first: later decisions replace earlier ones
            if row.goal_id == goal_id and row.subject_version == version:
                latest[row.person_id] = row
        result[goal_id] = AgreementState(goal_id, version, required_consenters(ctx.members, youth_id), latest)
    return result


def load_agreements(session: Session, plan_id: str) -> list[Agreement]:
    """All agreement rows of a plan, oldest first."""
    return list(session.exec(select(Agreement).where(Agreement.plan_id == plan_id)
                             .order_by(Agreement.created_at, Agreement.id)).all())


def live_goals(session: Session, plan_id: str) -> list[PlanItem]:
    """The plan's goals that are not deleted."""
    return list(session.exec(select(PlanItem).where(PlanItem.plan_id == plan_id, PlanItem.kind == ItemKind.GOAL,
                                                    PlanItem.deleted_at.is_(None))).all())


EVERYONE, WHOLE = "everyone", "plan"  # what a live agreement message is about, besides a goal's id


def _ask_the_waiting(session: Session, ctx: PlanContext) -> None:
    """Ask everyone whose agreement is still missing on a part they may see (never about a part hidden from them: a
    goal withheld from the parents does not ask the parents)."""
    goals = {goal.id: goal for goal in live_goals(session, ctx.plan.id)}
    waiting: set[str] = set()
    for goal_id, state in states(ctx, list(goals.values()), load_agreements(session, ctx.plan.id)).items():
        waiting |= {pid for pid in state.waiting_for if may_see(ctx, pid, goals.get(goal_id))}
    signals.agreement_asked.send(ctx, session=session, person_ids=waiting)


def sees(ctx: PlanContext, actor: Actor, goal: PlanItem | None) -> bool:
    """May this actor see the agreement on this goal (None: on the plan as a whole)?"""
    return can_view(actor, ctx.policy_item(goal) if goal is not None else WHOLE_PLAN)


def plan_audience(ctx: PlanContext) -> list[Actor]:
    """The family members shown the plan's status and its agreement: who may see the plan as a whole."""
    actors = [ctx.actor_for(member.person_id) for member in ctx.members]
    return [actor for actor in actors if can_view(actor, WHOLE_PLAN)]


def _audience(session: Session, ctx: PlanContext, about: str) -> dict[str, list[str]] | str:
    """Whose open plan hears of agreement news: who may see that goal, or the plan as a whole (or everyone)."""
    if about == EVERYONE:
        return EVERYONE
    if about == WHOLE:
        return {"people": [actor.person_id for actor in plan_audience(ctx)], "organisations": []}
    goal = session.get(PlanItem, about)
    return ctx.audience(ctx.policy_item(goal)) if goal is not None else {"people": [], "organisations": []}


def reopens_plan(ctx: PlanContext, item: PlanItem) -> bool:
    """Whether a change of this item asks the family to agree to the plan again: only when everyone shown the plan's
    agreement may see the item, so nobody is asked about (or learns of) a part hidden from them."""
    facts = ctx.policy_item(item)
    return all(can_view(actor, facts) for actor in plan_audience(ctx))


def after_change(session: Session, *, ctx: PlanContext, item: PlanItem, change: str) -> None:
    """A change of an item's content asks for agreement again on what changed, from the people who may see it.

    A goal's own version rose with the change: its required people agree to it again, and the plan waits for them
    (each person is shown the plan's status from the parts they may see: `standing`). Any other change, and taking a
    goal out, raises the plan's content version only when `reopens_plan`: an item hidden from someone shown the
    plan's agreement re-opens nothing, so nobody learns of it (a goal taken out that way is fixed again at once,
    quietly: the municipality hears the plan without it). What a child under 12 wrote re-opens nothing either.
    """
    plan = ctx.plan
    if item.author_youth_age is not None and item.author_youth_age < CHILD_UNTIL:
        return  # a child's good things, worries and wishes are her voice: heard, never asked to agree to again
    if item.kind == ItemKind.GOAL and change != "delete":
        about = item.id
    elif reopens_plan(ctx, item):
        plan.content_version += 1
        about = WHOLE
    elif item.kind == ItemKind.GOAL and plan.status != PlanStatus.DRAFT:
        plan.status = PlanStatus.AGREEING
        refresh(session, ctx, about=item.id)  # nothing else changed: fixed again (or still waiting, as before)
        return
    else:
        return
    reopened = plan.status == PlanStatus.FIXED
    if reopened:
        plan.status = PlanStatus.AGREEING  # only the changed part needs agreement again
    session.add(plan)
    session.flush()
    if plan.status == PlanStatus.AGREEING:
        refresh(session, ctx, about=about)  # e.g. nothing left to agree on after a goal was taken out: fixed again
    if reopened and plan.status == PlanStatus.AGREEING:
        _ask_the_waiting(session, ctx)
    if about == item.id and plan.status == PlanStatus.AGREEING:
        signals.goal_agreement.send(ctx, session=session, goal=item, state="asked")


def shown_states(ctx: PlanContext, all_states: dict[str | None, AgreementState],
                 visible_goal_ids: set[str]) -> dict[str | None, AgreementState]:
    """The agreement states this person is shown: of the goals they may see, and of the plan if they may see it."""
    shown = set(visible_goal_ids) | ({None} if sees(ctx, ctx.actor, None) else set())
    return {key: state for key, state in all_states.items() if key in shown}


@dataclass(frozen=True)
class Standing:
    """The plan's status as one person is shown it, worked out only from the agreements they may see."""

    status: PlanStatus
    fixed_on: datetime | None = None

    @property
    def label(self) -> str:
        return self.status.label


def standing(session: Session, ctx: PlanContext, shown: dict[str | None, AgreementState]) -> Standing:
    """Fixed once the plan was fixed and every part this person may see is agreed (since: when that last happened);
    a part hidden from them never makes it "waiting for agreement" again, nor moves its date."""
    plan = ctx.plan
    if plan.status == PlanStatus.DRAFT:
        return Standing(PlanStatus.DRAFT)
    required = [state for state in shown.values() if state.required]
    if not plan.fixed_count or not all(state.complete for state in required):
        return Standing(PlanStatus.AGREEING)
    first = first_event_at(session, family_id=plan.family_id, event="plan.fixed", object_id=plan.id) or plan.fixed_at
    return Standing(PlanStatus.FIXED, max([moment for moment in [first, *(s.agreed_at for s in required)] if moment],
                                          default=None))


@dataclass(frozen=True)
class Waiting:
    """A goal this reader may see that keeps the plan waiting, and who has not agreed to it yet."""

    goal: PlanItem
    people: list[str]  # person ids, the reader first


def waiting_goals(ctx: PlanContext, shown: dict[str | None, AgreementState], goals: list[PlanItem],
                  status: PlanStatus) -> list[Waiting]:
    """The goals that keep the plan waiting, as this reader is shown them (`standing`): only from `shown`, so a goal
    hidden from them is neither named nor counted, and nothing waits once their plan shows as fixed."""
    if status != PlanStatus.AGREEING:
        return []
    result = []
    for goal in goals:
        state = shown.get(goal.id)
        if state is None or not state.required or state.complete:
            continue
        people = sorted(state.required - state.agreed,
                        key=lambda pid: (pid != ctx.actor.person_id, ctx.names.get(pid, "")))
        result.append(Waiting(goal, people))
    return result


def standing_of(session: Session, *, person, plan, role: str) -> Standing:
    """The plan's status as a family member is shown it outside the plan page (the home page's card); a
    professional sees every part, so the plan's own status is theirs."""
    if role == Role.PROFESSIONAL:
        return Standing(PlanStatus(plan.status), plan.fixed_at if plan.status == PlanStatus.FIXED else None)
    ctx = plan_context(session, person=person, plan_id=plan.id)
    goals = live_goals(session, plan.id)
    visible = {goal.id for goal in goals if sees(ctx, ctx.actor, goal)}
    return standing(session, ctx, shown_states(ctx, states(ctx, goals, load_agreements(session, plan.id)), visible))


def ask_for_agreement(session: Session, *, ctx: PlanContext) -> None:
    """The professional puts the plan up for agreement."""
    if ctx.actor.role is not Role.PROFESSIONAL:
        raise NotAllowed(ctx.plan.id)
    if ctx.plan.status == PlanStatus.DRAFT:
        ctx.plan.status = PlanStatus.AGREEING
        session.add(ctx.plan)
        record(session, event="plan.ask_agreement", action="update",
               actor=AuditActor(ctx.actor.person_id, "professional"), family_id=ctx.plan.family_id,
               object_type="plan", object_id=ctx.plan.id)
        refresh(session, ctx, about=EVERYONE)
        _ask_the_waiting(session, ctx)


def decide(session: Session, *, ctx: PlanContext, person_id: str, goal_id: str | None, decision: str,
           reason: str = "") -> Agreement:
    """Record akkoord / niet akkoord of one person whose consent is required, on the current version."""
    if ctx.plan.status == PlanStatus.DRAFT:
        raise ValidationFailed([("decision", _("The plan is still being written. Agreement is asked later."))])
    goals = live_goals(session, ctx.plan.id)
    goal = next((g for g in goals if g.id == goal_id), None) if goal_id else None
    if goal_id and (goal is None or not can_view(ctx.actor, ctx.policy_item(goal))):
        raise NotFound(goal_id)  # a goal hidden from you answers like one that does not exist
    version = goal.version if goal else ctx.plan.content_version
    if person_id not in required_consenters(ctx.members, goal.youth_id if goal else None):
        raise NotAllowed(person_id)
    reason = " ".join((reason or "").split())
    if decision not in DECISIONS:
        raise ValidationFailed([("decision", _("Choose agree or do not agree."))])
    if decision == "disagree" and not reason:
        raise ValidationFailed([("reason", _("Tell us what you do not agree with, so it can be changed."))])
    if len(reason) > 2000:
        raise ValidationFailed([("reason", _("Use at most %(max)d characters.", max=2000))])
    row = Agreement(plan_id=ctx.plan.id, goal_id=goal_id, subject_version=version, person_id=person_id,
                    recorded_by_id=ctx.actor.person_id, decision=decision, reason=reason)
    session.add(row)
    session.flush()
    record(session, event=f"agreement.{decision}", action="create",
           actor=AuditActor(ctx.actor.person_id, ctx.actor.role,
                            on_behalf_of_id=person_id if person_id != ctx.actor.person_id else None),
           family_id=ctx.plan.family_id, youth_id=goal.youth_id if goal else None, object_type="agreement",
           object_id=str(row.id))
    refresh(session, ctx, about=goal_id or WHOLE)
    if goal is not None and decision == "agree":
        _tell_if_agreed(session, ctx, goal)
    return row


def _tell_if_agreed(session: Session, ctx: PlanContext, goal: PlanItem) -> None:
    """Announce that everyone required agreed to the goal's current version (who listens tells each version once)."""
    if states(ctx, [goal], load_agreements(session, ctx.plan.id))[goal.id].complete:
        signals.goal_agreement.send(ctx, session=session, goal=goal, state="agreed")


def refresh(session: Session, ctx: PlanContext, *, about: str = WHOLE) -> None:
    """Fix the plan when every required person agreed to every goal and to the plan; tell the municipality.

    `about` (a goal's id, WHOLE or EVERYONE) says whose open plan hears of it: only who may see it.
    """
    plan = ctx.plan
    live.publish_after_commit(session, plan.id, {"type": "agreement", "event_id": None, "about": about,
                                                 "to": _audience(session, ctx, about)})
    if plan.status != PlanStatus.AGREEING:
        return
    goals = live_goals(session, plan.id)
    all_states = states(ctx, goals, load_agreements(session, plan.id))
    if not all(state.complete or not state.required for state in all_states.values()):
        return
    if not all_states[None].complete:
        return
    told = _told_of_fixing(ctx, goals, all_states)
    plan.status, plan.fixed_at, plan.fixed_count = PlanStatus.FIXED, utcnow(), plan.fixed_count + 1
    session.add(plan)
    session.flush()
    emit(session, event_type="plan.fixed", aggregate_type="plan", aggregate_id=plan.id,
         payload=fixed_payload(session, ctx, goals, all_states))
    record(session, event="plan.fixed", action="update", actor=AuditActor(ctx.actor.person_id, ctx.actor.role),
           family_id=plan.family_id, object_type="plan", object_id=plan.id)
    if told is None:  # fixed for the first time: everyone's plan changes
        live.publish_after_commit(session, plan.id, {"type": "agreement", "event_id": None, "about": EVERYONE,
                                                     "to": EVERYONE})
    signals.plan_fixed.send(ctx, session=session, person_ids=told)


def _told_of_fixing(ctx: PlanContext, goals: list[PlanItem], all_states: dict) -> set[str] | None:
    """Who hears the plan is fixed again: who may see a part agreed again since it was last fixed (None: the first
    fixing, everyone)."""
    if not ctx.plan.fixed_count or ctx.plan.fixed_at is None:
        return None
    by_id = {goal.id: goal for goal in goals}
    again = [by_id.get(key) for key, state in all_states.items()
             if state.required and state.agreed_at and state.agreed_at > ctx.plan.fixed_at]
    return {member.person_id for member in ctx.members
            if any(sees(ctx, ctx.actor_for(member.person_id), goal) for goal in again)}


def fixed_payload(session: Session, ctx: PlanContext, goals: list[PlanItem], all_states: dict) -> dict:
    """The plan.fixed event: references and dates, no names and no free text (least data for the municipality)."""
    code = session.get(Municipality, ctx.access.family.municipality_id).cbs_code
    bands = {"child": "0-11", "young_teen": "12-15", "decides": "16+"}
    roles = {p.id: m.role for m, p in ctx.rows}
    agreements = []
    for goal_id, state in all_states.items():
        for person_id in sorted(state.required):
            row = state.decisions[person_id]
            agreements.append({"person_reference": person_id, "role": roles[person_id], "scope": goal_id or "plan",
                               "at": row.created_at.isoformat()})
    return {
        "plan_id": ctx.plan.id, "family_id": ctx.plan.family_id, "municipality_code": code,
        "fixed_at": ctx.plan.fixed_at.isoformat(), "fixed_count": ctx.plan.fixed_count,
        "youths": [{"reference": y.id, "age_band": bands[age_band(y.age).value]} for y in ctx.youths
                   if y.age is not None],
        "goals": [{"goal_id": g.id, "version": g.version, "life_domain": g.domain, "youth_reference": g.youth_id,
                   "target_date": g.due_date.isoformat() if g.due_date else None} for g in goals],
        "agreements": agreements,
    }

