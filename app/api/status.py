"""A plan's status for the municipality: per goal its help and the verdicts, as codes and references only."""

from sqlmodel import Session, select

from app.api.auth import ApiClient
from app.api.calls import Answer
from app.api.problems import ApiProblem
from app.api.services import assignment_body, municipality_of
from app.catalog.assignments import for_plan
from app.identity.access import family_members, policy_members
from app.identity.policy import required_consenters
from app.plans.models import ItemKind, Plan, PlanItem
from app.results.models import FamilyVerdict, ResultVerdict


def plan_status(session: Session, *, client: ApiClient, plan_id: str) -> Answer:
    """The plan's status and each goal's assignment and result (verdicts once the family verdict is set)."""
    plan = session.get(Plan, plan_id) if plan_id else None
    if plan is None or not client.covers(municipality_of(session, family_id=plan.family_id)):
        raise ApiProblem("not-found", "There is no plan with this id.")
    goals = list(session.exec(select(PlanItem).where(PlanItem.plan_id == plan.id, PlanItem.kind == ItemKind.GOAL,
                                                     PlanItem.deleted_at.is_(None))
                              .order_by(PlanItem.position, PlanItem.created_at)).all())
    latest = {goal_id: a for goal_id, a in for_plan(session, plan_id=plan.id).items() if a.status != "chosen"}
    ids = [a.id for a in latest.values()]
    families = {row.assignment_id: row for row in session.exec(select(FamilyVerdict).where(
        FamilyVerdict.assignment_id.in_(ids), FamilyVerdict.moment == "end", FamilyVerdict.current)).all()}
    verdicts: dict[int, list[ResultVerdict]] = {}
    for row in session.exec(select(ResultVerdict).where(
            ResultVerdict.assignment_id.in_(ids), ResultVerdict.moment == "end", ResultVerdict.superseded_at.is_(None))
            .order_by(ResultVerdict.created_at, ResultVerdict.id)).all():
        verdicts.setdefault(row.assignment_id, []).append(row)
    members = policy_members(family_members(session, plan.family_id))
    body = {"plan_id": plan.id, "family_id": plan.family_id, "status": plan.status,
            "fixed_at": plan.fixed_at.isoformat() if plan.fixed_at else None, "fixed_count": plan.fixed_count,
            "goals": [_goal(goal, latest.get(goal.id), families, verdicts, members) for goal in goals]}
    return Answer(200, body, family_id=plan.family_id, object_type="plan", object_id=plan.id)


def _goal(goal: PlanItem, assignment, families: dict, verdicts: dict, members) -> dict:
    family = families.get(assignment.id) if assignment is not None else None
    result = {"state": assignment.result_state if assignment is not None else "",
              "family_verdict": family.verdict if family else None,
              "decided_at": family.decided_at.isoformat() if family else None, "verdicts": []}
    if family is not None:  # nobody reads single verdicts before the family's verdict stands (no anchoring)
        counting = required_consenters(members, goal.youth_id)
        result["verdicts"] = [{"person_reference": v.person_id, "capacity": v.capacity, "verdict": v.verdict,
                               "counts": v.person_id in counting and not v.child_voice, "child_voice": v.child_voice,
                               "given_at": v.created_at.isoformat()} for v in verdicts.get(assignment.id, [])]
    return {"goal_id": goal.id, "version": goal.version, "youth_reference": goal.youth_id,
            "life_domain": goal.domain, "assignment": assignment_body(assignment) if assignment else None,
            "result": result}
