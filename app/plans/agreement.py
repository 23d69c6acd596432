"""Agreement: per goal and per plan version, who must agree follows the age rules; all agreed → fixed."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from app.audit.services import AuditActor, record
from app.core.clock import utcnow
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.identity.models import Municipality
from app.identity.policy import Role, age_band, required_consenters
from app.notifications import services as notifications
from app.plans import live
from app.plans.context import PlanContext
from app.plans.models import Agreement, ItemKind, PlanItem, PlanStatus
from app.sync.outbox import emit

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
        refresh(session, ctx)
        notifications.agreement_asked(session, ctx=ctx)


def decide(session: Session, *, ctx: PlanContext, person_id: str, goal_id: str | None, decision: str,
           reason: str = "") -> Agreement:
    """Record akkoord / niet akkoord of one person whose consent is required, on the current version."""
    if ctx.plan.status == PlanStatus.DRAFT:
        raise ValidationFailed([("decision", _("The plan is still being written. Agreement is asked later."))])
    goals = live_goals(session, ctx.plan.id)
    goal = next((g for g in goals if g.id == goal_id), None) if goal_id else None
    if goal_id and goal is None:
        raise NotFound(goal_id)
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
    refresh(session, ctx)
    return row


def refresh(session: Session, ctx: PlanContext) -> None:
    """Fix the plan when every required person agreed to every goal and to the plan; tell the municipality."""
    plan = ctx.plan
    live.publish_after_commit(session, plan.id, {"type": "agreement", "event_id": None})
    if plan.status != PlanStatus.AGREEING:
        return
    goals = live_goals(session, plan.id)
    all_states = states(ctx, goals, load_agreements(session, plan.id))
    if not all(state.complete or not state.required for state in all_states.values()):
        return
    if not all_states[None].complete:
        return
    plan.status, plan.fixed_at, plan.fixed_count = PlanStatus.FIXED, utcnow(), plan.fixed_count + 1
    session.add(plan)
    session.flush()
    emit(session, event_type="plan.fixed", aggregate_type="plan", aggregate_id=plan.id,
         payload=fixed_payload(session, ctx, goals, all_states))
    record(session, event="plan.fixed", action="update", actor=AuditActor(ctx.actor.person_id, ctx.actor.role),
           family_id=plan.family_id, object_type="plan", object_id=plan.id)
    notifications.plan_fixed(session, ctx=ctx)


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

