"""The professional's overview: every family at a glance, with a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from app.core.clock import today
from app.identity.access import policy_members
from app.identity.models import Family, Membership, Person
from app.identity.policy import required_consenters
from app.plans.models import Agreement, ItemVersion, Plan, PlanItem

SORTS = ("evaluation", "agreement", "overdue", "changed", "name")


@dataclass
class FamilyRow:
    """One family in the overview."""

    family: Family
    plan: Plan
    next_evaluation: date | None = None
    goals_waiting: int = 0
    overdue_actions: int = 0
    last_change: datetime | None = None


def caseload(session: Session, *, person: Person, sort: str = "evaluation") -> list[FamilyRow]:
    """The families this person is the professional of, with what needs attention, sorted as asked."""
    rows = session.exec(select(Family, Plan).join(Membership, Membership.family_id == Family.id)
                        .join(Plan, Plan.family_id == Family.id)
                        .where(Membership.person_id == person.id, Membership.role == "professional")).all()
    by_plan = {plan.id: FamilyRow(family, plan) for family, plan in rows}
    if not by_plan:
        return []
    plan_ids = list(by_plan)
    _evaluations_and_overdue(session, by_plan, plan_ids)
    _last_changes(session, by_plan, plan_ids)
    _goals_waiting(session, by_plan, plan_ids)
    return sort_rows(list(by_plan.values()), sort)


def _evaluations_and_overdue(session: Session, by_plan: dict, plan_ids: list[str]) -> None:
    alive = [PlanItem.plan_id.in_(plan_ids), PlanItem.deleted_at.is_(None)]
    for plan_id, first in session.exec(select(PlanItem.plan_id, sa.func.min(PlanItem.due_date))
                                       .where(*alive, PlanItem.kind == "evaluation", PlanItem.due_date >= today())
                                       .group_by(PlanItem.plan_id)).all():
        by_plan[plan_id].next_evaluation = first
    for plan_id, count in session.exec(select(PlanItem.plan_id, sa.func.count())
                                       .where(*alive, PlanItem.kind == "action", PlanItem.is_done.is_(False),
                                              PlanItem.due_date < today())
                                       .group_by(PlanItem.plan_id)).all():
        by_plan[plan_id].overdue_actions = count


def _last_changes(session: Session, by_plan: dict, plan_ids: list[str]) -> None:
    for plan_id, last in session.exec(select(ItemVersion.plan_id, sa.func.max(ItemVersion.changed_at))
                                      .where(ItemVersion.plan_id.in_(plan_ids))
                                      .group_by(ItemVersion.plan_id)).all():
        by_plan[plan_id].last_change = _aware(last)


def _goals_waiting(session: Session, by_plan: dict, plan_ids: list[str]) -> None:
    """Goals of plans waiting for agreement whose current version is not yet agreed by everyone required."""
    goals = session.exec(select(PlanItem).where(PlanItem.plan_id.in_(plan_ids), PlanItem.kind == "goal",
                                                PlanItem.deleted_at.is_(None))).all()
    agreements = session.exec(select(Agreement).where(Agreement.plan_id.in_(plan_ids))
                              .order_by(Agreement.created_at, Agreement.id)).all()
    family_ids = {row.family.id: row for row in by_plan.values()}
    members: dict[str, list] = {}
    for membership, person in session.exec(select(Membership, Person).join(Person)
                                           .where(Membership.family_id.in_(list(family_ids)))).all():
        members.setdefault(membership.family_id, []).append((membership, person))
    latest: dict[tuple[str, int], dict[str, str]] = {}
    for row in agreements:
        if row.goal_id:
            latest.setdefault((row.goal_id, row.subject_version), {})[row.person_id] = row.decision
    for goal in goals:
        row = by_plan[goal.plan_id]
        if row.plan.status != "agreeing":
            continue
        required = required_consenters(policy_members(members.get(row.family.id, [])), goal.youth_id)
        agreed = {pid for pid, decision in latest.get((goal.id, goal.version), {}).items() if decision == "agree"}
        if required and not required <= agreed:
            row.goals_waiting += 1


def sort_rows(rows: list[FamilyRow], sort: str) -> list[FamilyRow]:
    """Sort by the column asked for; what needs attention first, empty values last."""
    far = date.max
    keys = {
        "evaluation": lambda r: (r.next_evaluation or far, r.family.name),
        "agreement": lambda r: (-r.goals_waiting, r.family.name),
        "overdue": lambda r: (-r.overdue_actions, r.family.name),
        "changed": lambda r: (-(r.last_change.timestamp() if r.last_change else 0), r.family.name),
        "name": lambda r: r.family.name.lower(),
    }
    return sorted(rows, key=keys.get(sort, keys["evaluation"]))


def _aware(value: datetime | None) -> datetime | None:
    """MAX() bypasses the column type on SQLite: make the UTC time aware again."""
    from datetime import UTC

    if value is None or isinstance(value, datetime) and value.tzinfo:
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)
