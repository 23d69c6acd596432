"""Choosing help for a goal: the family chooses, the jeugdprofessional confirms, the municipality answers.

West-Brabant West's rule: families choose their provider themselves and the professional confirms the choice.
The confirmed choice becomes a request for an assignment (iJw: verzoek om toewijzing) in the outbox; the
municipality's answer (being examined, assigned with a number and dates, or refused with a WJ759 reason) comes
back through `record_decision` (the API of the sync issue calls it). Once assigned, the provider's staff may
see that goal (`provider_family_ids`, `goal_organisations`).
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload
from sqlmodel import Session, select

from app.audit.services import AuditActor, record
from app.catalog.models import ACTIVE_STATUSES, Assignment, Offer, Provider
from app.catalog.vocab import REFUSAL_REASONS
from app.core.clock import today, utcnow
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.identity.models import Municipality, Person
from app.identity.policy import Role, age_band, can_view, required_consenters
from app.notifications import providers as provider_news
from app.notifications import services as notifications
from app.outbox import services as outbox
from app.plans import live, signals
from app.plans.context import PlanContext, family_context, plan_context
from app.plans.models import ItemKind, PlanItem

MAX_NUMBER = 999_999_999
AGE_BANDS = {"child": "0-11", "young_teen": "12-15", "decides": "16+"}


def goal_for(session: Session, *, ctx: PlanContext, goal_id: str) -> PlanItem:
    """A goal of this plan that the person may see, or NotFound."""
    goal = session.get(PlanItem, goal_id) if goal_id else None
    if (goal is None or goal.plan_id != ctx.plan.id or goal.kind != ItemKind.GOAL or goal.deleted_at is not None
            or not can_view(ctx.actor, ctx.policy_item(goal))):
        raise NotFound(goal_id or "goal")
    return goal


def may_choose(ctx: PlanContext, goal: PlanItem) -> bool:
    """Whether this person may choose help for the goal: one of those whose consent the age rules require."""
    return ctx.actor.person_id in required_consenters(ctx.members, goal.youth_id)


def choose_offer(session: Session, *, ctx: PlanContext, goal_id: str, offer_id: int) -> Assignment:
    """The family chooses an offer for a goal; until the professional confirms, choosing again replaces it."""
    goal = goal_for(session, ctx=ctx, goal_id=goal_id)
    if not may_choose(ctx, goal):
        raise NotAllowed("choose")
    offer = session.exec(select(Offer).where(Offer.id == offer_id)
                         .options(selectinload(Offer.provider).selectinload(Provider.contracts))).first()
    if offer is None:
        raise NotFound(str(offer_id))
    _check_offer_fits(ctx, goal, offer)
    current = active_for_goal(session, goal_id=goal.id)
    if current is not None and current.status != "chosen":
        raise ValidationFailed([("offer", _("Help for this goal has already been requested. Ask your youth care "
                                            "professional if you want to change it."))])
    assignment = current or Assignment(plan_id=ctx.plan.id, family_id=ctx.plan.family_id, goal_id=goal.id,
                                       offer_id=offer.id, organisation_id=offer.provider.organisation_id,
                                       product_category=offer.product_category, chosen_by_id=ctx.actor.person_id)
    assignment.offer_id, assignment.organisation_id = offer.id, offer.provider.organisation_id
    assignment.product_category, assignment.product_code = offer.product_category, offer.product_code
    assignment.chosen_by_id, assignment.chosen_at, assignment.updated_at = ctx.actor.person_id, utcnow(), utcnow()
    session.add(assignment)
    session.flush()
    _log(session, ctx, "assignment.choose", "create" if current is None else "update", goal, assignment)
    _tell_live(session, ctx, goal)
    notifications.help_chosen(session, ctx=ctx, goal=goal)
    return assignment


def _check_offer_fits(ctx: PlanContext, goal: PlanItem, offer: Offer) -> None:
    municipality_id = ctx.access.family.municipality_id
    if not any(contract.municipality_id == municipality_id for contract in offer.provider.contracts):
        raise ValidationFailed([("offer", _("Your municipality has no contract with this provider. Choose an "
                                            "offer marked as contracted, or ask your youth care professional."))])
    youth = ctx.people.get(goal.youth_id) if goal.youth_id else None
    if youth is not None and youth.age is not None and not offer.age_min <= youth.age <= offer.age_max:
        raise ValidationFailed([("offer", _("This offer is for young people from %(min)d to %(max)d years old.",
                                            min=offer.age_min, max=offer.age_max))])


def confirm(session: Session, *, ctx: PlanContext, goal_id: str, requested_start: date | None) -> Assignment:
    """The professional confirms the family's choice: it becomes a request for an assignment (an outbox event)."""
    goal = goal_for(session, ctx=ctx, goal_id=goal_id)
    if ctx.actor.role is not Role.PROFESSIONAL:
        raise NotAllowed("confirm")
    assignment = active_for_goal(session, goal_id=goal.id)
    if assignment is None or assignment.status != "chosen":
        raise ValidationFailed([("requested_start", _("There is no choice waiting for your confirmation."))])
    start = requested_start or today()
    if start < today():
        raise ValidationFailed([("requested_start", _("The start date cannot be in the past."))])
    if (start - today()).days > 366:
        raise ValidationFailed([("requested_start", _("Choose a start date within a year."))])
    assignment.status, assignment.requested_start = "requested", start
    assignment.confirmed_by_id, assignment.confirmed_at, assignment.updated_at = ctx.actor.person_id, utcnow(), utcnow()
    session.add(assignment)
    session.flush()
    outbox.emit(session, event_type="assignment.requested", aggregate_type="plan", aggregate_id=ctx.plan.id,
                payload=requested_payload(session, ctx, goal, assignment))
    _log(session, ctx, "assignment.confirm", "update", goal, assignment)
    _tell_live(session, ctx, goal)
    notifications.help_confirmed(session, goal=goal)
    return assignment


def requested_payload(session: Session, ctx: PlanContext, goal: PlanItem, assignment: Assignment) -> dict:
    """The request as the municipality needs it (iJw names and codes), with references instead of names."""
    offer = session.get(Offer, assignment.offer_id)
    provider = session.get(Provider, offer.provider_id)
    youth = ctx.people.get(goal.youth_id) if goal.youth_id else None
    municipality = session.get(Municipality, ctx.access.family.municipality_id)
    omvang = ({"volume": assignment.volume, "unit": assignment.unit, "frequency": assignment.frequency}
              if assignment.volume is not None else None)
    return {
        "reference": assignment.reference, "plan_id": ctx.plan.id, "family_id": ctx.plan.family_id,
        "goal_id": goal.id, "municipality_code": municipality.cbs_code,
        "youth": ({"reference": youth.id, "age_band": AGE_BANDS[age_band(youth.age).value]}
                  if youth is not None and youth.age is not None else None),
        "provider": {"agb_code": provider.agb_code, "external_id": provider.external_id},
        "offer_external_id": offer.external_id,
        "product": {"category": assignment.product_category, "code": assignment.product_code or None},
        "requested_start": assignment.requested_start.isoformat(),
        "omvang": omvang,
        "referrer": {"type": assignment.referrer_type},
        "chosen_at": assignment.chosen_at.isoformat(), "confirmed_at": assignment.confirmed_at.isoformat(),
    }


def record_decision(session: Session, *, reference: str, decision: str, number: int | None = None,
                    start: date | None = None, end: date | None = None, reason: str = "") -> Assignment:
    """The municipality's answer to a request: being examined, assigned (number and dates) or refused (WJ759)."""
    assignment = session.exec(select(Assignment).where(Assignment.reference == reference)).first()
    if assignment is None or assignment.status not in ("requested", "examining", "assigned"):
        raise NotFound(reference)
    problems = []
    if decision == "assigned":
        if number is None or not 1 <= number <= MAX_NUMBER:
            problems.append(("number", f"an assignment number from 1 to {MAX_NUMBER} is required"))
        if start is None:
            problems.append(("start", "a start date is required"))
        elif end is not None and end < start:
            problems.append(("end", "the end date is before the start date"))
    elif decision == "refused":
        if reason not in REFUSAL_REASONS:
            problems.append(("reason", "a WJ759 reason code (1-9) is required"))
    elif decision != "examining":
        problems.append(("decision", "one of examining, assigned, refused"))
    if problems:
        raise ValidationFailed(problems)
    assignment.status, assignment.decided_at, assignment.updated_at = decision, utcnow(), utcnow()
    if decision == "assigned":
        assignment.assignment_number, assignment.assigned_start, assignment.assigned_end = number, start, end
    if decision == "refused":
        assignment.refusal_reason = reason
    session.add(assignment)
    session.flush()
    record(session, event=f"assignment.{decision}", action="update", actor=AuditActor(None, "municipality"),
           family_id=assignment.family_id, object_type="assignment", object_id=assignment.reference)
    ctx = family_context(session, assignment.plan_id)  # loaded after the change: with the provider
    _tell_live(session, ctx, session.get(PlanItem, assignment.goal_id))
    return assignment


def tell_answer(session: Session, *, assignment: Assignment) -> None:
    """Notify everyone in the family who may see the goal of the municipality's final answer, and the provider's
    staff of a goal now theirs (the API calls this when an answer arrives; a seeded history has nobody to tell)."""
    if assignment.status not in ("assigned", "refused"):
        return
    ctx, goal = family_context(session, assignment.plan_id), session.get(PlanItem, assignment.goal_id)
    notifications.help_answered(session, ctx=ctx, goal=goal, decision=assignment.status)
    if assignment.status == "assigned":
        provider_news.assignment_new(session, ctx=ctx, goal=goal, assignment_id=assignment.id)


def _tell_live(session: Session, ctx: PlanContext, goal: PlanItem) -> None:
    """After the commit, tell the open plan pages of who may see the goal that its help changed (ids only)."""
    live.publish_after_commit(session, ctx.plan.id, {"type": "help", "goal": goal.id, "event_id": None,
                                                     "to": ctx.audience(ctx.policy_item(goal))})


def active_for_goal(session: Session, *, goal_id: str) -> Assignment | None:
    """The goal's current choice or request (not refused or withdrawn)."""
    return session.exec(select(Assignment).where(Assignment.goal_id == goal_id,
                                                 Assignment.status.in_(ACTIVE_STATUSES))
                        .order_by(Assignment.id.desc())).first()


def plan_assignments(session: Session, plan_id: str) -> list[Assignment]:
    """The plan's assignments that are not withdrawn, with their offer and provider, oldest first (one query)."""
    return list(session.exec(select(Assignment).where(Assignment.plan_id == plan_id, Assignment.status != "withdrawn")
                             .options(joinedload(Assignment.offer).joinedload(Offer.provider))
                             .order_by(Assignment.id)).unique().all())


def latest_per_goal(rows: list[Assignment]) -> dict[str, Assignment]:
    """Each goal's latest assignment, from `plan_assignments`."""
    return {row.goal_id: row for row in rows}


def for_plan(session: Session, *, plan_id: str) -> dict[str, Assignment]:
    """Each goal's latest assignment (with its offer and provider), in one query whatever the plan's size."""
    return latest_per_goal(plan_assignments(session, plan_id))


def provider_family_ids(session: Session, organisation_id: str) -> set[str]:
    """Families with a goal assigned to this provider organisation."""
    return set(session.exec(select(Assignment.family_id).where(Assignment.organisation_id == organisation_id,
                                                               Assignment.status == "assigned")).all())


def goal_organisations(rows: list[Assignment]) -> dict[str, set[str]]:
    """The provider organisations assigned to each goal, from `plan_assignments`."""
    found: dict[str, set[str]] = {}
    for row in rows:
        if row.status == "assigned":
            found.setdefault(row.goal_id, set()).add(row.organisation_id)
    return found


def _log(session: Session, ctx: PlanContext, event: str, action: str, goal: PlanItem, assignment: Assignment) -> None:
    record(session, event=event, action=action, actor=AuditActor(ctx.actor.person_id, ctx.actor.role),
           family_id=ctx.plan.family_id, youth_id=goal.youth_id, object_type="assignment",
           object_id=assignment.reference)


@dataclass
class GoalChoice:
    """A goal someone is finding help for, as they may see it."""

    ctx: PlanContext
    goal: PlanItem
    may_choose: bool
    youth_age: int | None


def goal_choice(session: Session, *, person: Person, goal_id: str) -> GoalChoice | None:
    """The goal with the person's way into its plan, or None when it is gone or not theirs to see (logged)."""
    goal = session.get(PlanItem, goal_id) if goal_id else None
    if goal is None:
        return None
    try:
        ctx = plan_context(session, person=person, plan_id=goal.plan_id)
        goal = goal_for(session, ctx=ctx, goal_id=goal_id)
    except NotFound:
        return None
    record(session, event="item.view", action="read", actor=AuditActor(ctx.actor.person_id, ctx.actor.role),
           family_id=ctx.plan.family_id, youth_id=goal.youth_id, object_type=goal.kind, object_id=goal.id,
           detail="catalog")
    youth = ctx.people.get(goal.youth_id) if goal.youth_id else None
    return GoalChoice(ctx, goal, may_choose(ctx, goal), youth.age if youth is not None else None)


@signals.plan_page.connect
def _plan_page(ctx: PlanContext, *, session: Session, goals: list[PlanItem]) -> dict:
    """The plan page shows each goal's latest help, and a "find help" link where this reader may choose it."""
    return {"helps": latest_per_goal(ctx.assignments), "choosers": {goal.id for goal in goals if may_choose(ctx, goal)}}
