"""One care trajectory as a person reaches it: the goal they may see, its assigned help, and who they are to it."""

from dataclasses import dataclass
from functools import cached_property

from sqlmodel import Session, select

from app.audit.services import AuditActor, record, record_refusal
from app.catalog.assignments import goal_for
from app.catalog.models import Assignment
from app.core.errors import NotAllowed, NotFound
from app.identity.models import Person
from app.identity.policy import Member, Role, can_view, has_voice_not_vote, required_consenters
from app.plans.context import PlanContext, plan_context
from app.plans.models import PlanItem


@dataclass
class Trajectory:
    """The goal, its assigned help and the person's capacity in judging it."""

    ctx: PlanContext
    goal: PlanItem
    assignment: Assignment

    @cached_property
    def counting(self) -> frozenset[str]:
        """Whose verdicts make the family verdict: those whose consent the age rules require for this goal and
        who may see it (a goal withheld from the parents of a 12-15 year old: the youth alone)."""
        return frozenset(p for p in required_consenters(self.ctx.members, self.goal.youth_id) if self.sees_goal(p))

    def sees_goal(self, person_id: str) -> bool:
        """Whether this family member may see the goal today (the plan's age rules)."""
        return can_view(self.ctx.actor_for(person_id), self.ctx.policy_item(self.goal))

    def capacity(self, member: Member | None = None) -> str | None:
        """The capacity in which the actor (or a member) judges: youth, parent, professional, provider, or None."""
        actor = self.ctx.actor if member is None else member
        match actor.role:
            case Role.PROVIDER_STAFF:
                return "provider" if actor.organisation_id == self.assignment.organisation_id else None
            case Role.PROFESSIONAL:
                return "professional"
            case Role.YOUTH:
                return "youth" if self.goal.youth_id in (None, actor.person_id) else None
            case Role.PARENT:
                return "parent" if actor.has_custody else None
        return None

    @property
    def child_voice(self) -> bool:
        """The actor is a child under 12: their verdict is their voice, not their vote (the smiley version)."""
        actor = self.ctx.actor
        return has_voice_not_vote(Member(actor.person_id, actor.role, age=actor.age))

    @property
    def is_provider(self) -> bool:
        return self.capacity() == "provider"

    @property
    def is_professional(self) -> bool:
        return self.ctx.actor.role is Role.PROFESSIONAL

    def judges(self) -> list[tuple[Member, str]]:
        """The family members and professional asked for a verdict (only who may see the goal), with their capacity."""
        return [(m, capacity) for m in self.ctx.members
                if (capacity := self.capacity(m)) is not None and self.sees_goal(m.person_id)]

    def log(self, session: Session, *, event: str, action: str, object_type: str, object_id: str,
            detail: str = "") -> None:
        """Write the access-log entry of a read or change of this trajectory, in the caller's transaction."""
        record(session, event=event, action=action, actor=AuditActor(self.ctx.actor.person_id, self.ctx.actor.role),
               family_id=self.ctx.plan.family_id, youth_id=self.goal.youth_id, object_type=object_type,
               object_id=object_id, detail=detail)

    def refuse(self, event: str) -> NotAllowed:
        """Log a refused attempt (it survives the rollback) and return the error to raise."""
        record_refusal(event=event, actor=AuditActor(self.ctx.actor.person_id, self.ctx.actor.role),
                       family_id=self.ctx.plan.family_id, youth_id=self.goal.youth_id, object_type="goal",
                       object_id=self.goal.id)
        return NotAllowed(event)


def assigned_for_goal(session: Session, *, goal_id: str) -> Assignment | None:
    """The goal's assigned help (the latest), or None."""
    return session.exec(select(Assignment).where(Assignment.goal_id == goal_id, Assignment.status == "assigned")
                        .order_by(Assignment.id.desc())).first()


def trajectory(session: Session, *, person: Person | None, goal_id: str) -> Trajectory:
    """The trajectory of a goal this person may see and that has assigned help, or NotFound."""
    goal = session.get(PlanItem, goal_id) if goal_id else None
    if goal is None:
        raise NotFound(goal_id or "goal")
    ctx = plan_context(session, person=person, plan_id=goal.plan_id)
    goal = goal_for(session, ctx=ctx, goal_id=goal_id)
    assignment = assigned_for_goal(session, goal_id=goal.id)
    if assignment is None:
        raise NotFound(goal_id)
    return Trajectory(ctx, goal, assignment)
