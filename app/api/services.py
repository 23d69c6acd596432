"""Assignment decisions, care start and stop on behalf of the provider, and a plan's status, for the API."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from sqlmodel import Session, select

from app.api.auth import ApiClient
from app.api.calls import Answer, api_actor, earlier_answer, remember
from app.api.problems import ApiProblem
from app.api.validation import check, invalid
from app.audit.services import record
from app.catalog import assignments
from app.catalog.models import Assignment
from app.core.errors import ValidationFailed
from app.identity.access import FamilyAccess, family_members, policy_members
from app.identity.models import Family, Municipality
from app.identity.policy import Actor, Role
from app.plans.context import PlanContext
from app.plans.models import Plan, PlanItem
from app.results import care
from app.results.trajectory import Trajectory

FINAL = ("assigned", "refused")
DECISION_FIELDS = {"number": "assignment_number", "reason": "refusal_reason", "start": "start", "end": "end",
                   "decision": "decision"}
CARE_FIELDS = {"started_on": "date", "stopped_on": "date", "reason": "reason"}


def assignment_body(assignment: Assignment) -> dict:
    """The assignment as the API shows it: status, iJw number and dates, care dates and codes."""
    iso = lambda value: value.isoformat() if value is not None else None  # noqa: E731
    return {"reference": assignment.reference, "status": assignment.status,
            "product": {"category": assignment.product_category, "code": assignment.product_code or None},
            "assignment_number": assignment.assignment_number, "start": iso(assignment.assigned_start),
            "end": iso(assignment.assigned_end), "refusal_reason": assignment.refusal_reason or None,
            "decided_at": iso(assignment.decided_at), "care_started_on": iso(assignment.care_started_on),
            "care_stopped_on": iso(assignment.care_stopped_on), "stop_reason": assignment.stop_reason or None}


def _requested(session: Session, reference: str, client: ApiClient) -> Assignment:
    """The assignment the municipality was asked for; one that was never requested, or one for a family in another
    municipality than the client's, does not exist for it."""
    assignment = session.exec(select(Assignment).where(Assignment.reference == reference)).first()
    if assignment is None or assignment.status == "chosen" or not client.covers(
            municipality_of(session, family_id=assignment.family_id)):
        raise ApiProblem("not-found", f"There is no request for an assignment with reference {reference[:36]}.")
    return assignment


def decide(session: Session, *, client: ApiClient, reference: str, body: dict) -> Answer:
    """Record the municipality's decision on a request: examining, assigned (number, dates) or refused (WJ759)."""
    endpoint = f"decision:{reference}"[:60]
    earlier = earlier_answer(session, client=client, request_id=body.get("request_id"), endpoint=endpoint, body=body)
    assignment = _requested(session, reference, client)
    if earlier is not None:
        return _touching(earlier, assignment)
    with _in_chain_of(assignment):
        return _decide(session, client, assignment, body, endpoint)


def _decide(session: Session, client: ApiClient, assignment: Assignment, body: dict, endpoint: str) -> Answer:
    check("AssignmentDecision", body)
    if assignment.status == "withdrawn":
        raise _conflict(assignment, "The family withdrew this request; it takes no decision any more.")
    if assignment.status in FINAL:
        if not _same_decision(assignment, body):
            raise _conflict(assignment, f"A final decision ({assignment.status}) was recorded already; a different "
                                        "decision is not accepted.")
        return remember(session, client=client, request_id=body["request_id"], endpoint=endpoint, body=body,
                        answer=_touching(Answer(200, assignment_body(assignment)), assignment))
    try:
        with force_locale("en"):
            assignments.record_decision(
                session, reference=assignment.reference, decision=body["decision"],
                number=body.get("assignment_number"), start=_date(body.get("start")), end=_date(body.get("end")),
                reason=body.get("refusal_reason", ""))
    except ValidationFailed as failed:
        raise invalid([(DECISION_FIELDS.get(f, f), m) for f, m in failed.reasons]) from None
    assignments.tell_answer(session, assignment=assignment)
    answer = _touching(Answer(200, assignment_body(assignment)), assignment)
    return remember(session, client=client, request_id=body["request_id"], endpoint=endpoint, body=body,
                    answer=answer)


def _same_decision(assignment: Assignment, body: dict) -> bool:
    if body["decision"] != assignment.status:
        return False
    if assignment.status == "refused":
        return body.get("refusal_reason") == assignment.refusal_reason
    return (body.get("assignment_number") == assignment.assignment_number
            and _date(body.get("start")) == assignment.assigned_start
            and _date(body.get("end")) == assignment.assigned_end)


def _conflict(assignment: Assignment, detail: str) -> ApiProblem:
    return ApiProblem("conflict", detail, [("decision", f"the assignment is {assignment.status}")],
                      family_id=assignment.family_id)


def _touching(answer: Answer, assignment: Assignment) -> Answer:
    answer.family_id, answer.object_type, answer.object_id = assignment.family_id, "assignment", assignment.reference
    return answer


@contextmanager
def _in_chain_of(assignment: Assignment) -> Iterator[None]:
    """A refusal about this assignment goes into its family's access-log chain."""
    try:
        yield
    except ApiProblem as problem:
        problem.family_id = problem.family_id or assignment.family_id
        raise


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass
class ProviderProxy(Trajectory):
    """A trajectory acted on by the municipality's system on behalf of the assigned provider."""

    client_id: str = ""

    def log(self, session: Session, *, event: str, action: str, object_type: str, object_id: str,
            detail: str = "") -> None:
        """Log the change with the API client as actor, on behalf of the provider."""
        record(session, event=event, action=action, actor=api_actor(self.client_id),
               family_id=self.ctx.plan.family_id, youth_id=self.goal.youth_id, object_type=object_type,
               object_id=object_id, detail=f"client={self.client_id} on behalf of the provider {detail}".strip())


def _proxy(session: Session, assignment: Assignment, client: ApiClient) -> ProviderProxy:
    plan, family = session.get(Plan, assignment.plan_id), session.get(Family, assignment.family_id)
    rows = family_members(session, family.id)
    actor = Actor(None, Role.PROVIDER_STAFF, organisation_id=assignment.organisation_id)
    ctx = PlanContext(plan=plan, access=FamilyAccess(family, actor, None), rows=rows,
                      people={person.id: person for _, person in rows}, members=policy_members(rows),
                      assignments=assignments.plan_assignments(session, plan.id))
    return ProviderProxy(ctx, session.get(PlanItem, assignment.goal_id), assignment, client_id=client.client_id)


def record_care(session: Session, *, client: ApiClient, reference: str, body: dict, stop: bool) -> Answer:
    """Record the start or the stop (JZ588 reason) of the assigned care, on behalf of the provider."""
    endpoint = f"care-{'stop' if stop else 'start'}:{reference}"[:60]
    earlier = earlier_answer(session, client=client, request_id=body.get("request_id"), endpoint=endpoint, body=body)
    assignment = _requested(session, reference, client)
    if earlier is not None:
        return _touching(earlier, assignment)
    with _in_chain_of(assignment):
        return _record_care(session, client, assignment, body, endpoint, stop)


def _record_care(session: Session, client: ApiClient, assignment: Assignment, body: dict, endpoint: str,
                 stop: bool) -> Answer:
    check("CareStop" if stop else "CareStart", body)
    if assignment.status != "assigned":
        raise ApiProblem("conflict", f"The help is not assigned (it is {assignment.status}); care cannot start or "
                         "stop.", [("reference", f"the assignment is {assignment.status}")],
                         family_id=assignment.family_id)
    on = _date(body["date"])
    recorded = assignment.care_stopped_on if stop else assignment.care_started_on
    if recorded is not None:
        if recorded != on or (stop and body["reason"] != assignment.stop_reason):
            raise ApiProblem("conflict", f"The {'stop' if stop else 'start'} was already recorded on "
                             f"{recorded.isoformat()}.", [("date", "already recorded with other values")],
                             family_id=assignment.family_id)
    else:
        _apply_care(session, _proxy(session, assignment, client), on, body.get("reason", ""), stop)
    answer = _touching(Answer(200, assignment_body(assignment)), assignment)
    return remember(session, client=client, request_id=body["request_id"], endpoint=endpoint, body=body,
                    answer=answer)


def _apply_care(session: Session, proxy: ProviderProxy, on: date, reason: str, stop: bool) -> None:
    try:
        with force_locale("en"):
            if stop:
                care.stop_care(session, trajectory=proxy, stopped_on=on, reason=reason)
            else:
                care.start_care(session, trajectory=proxy, started_on=on)
    except ValidationFailed as failed:
        raise ApiProblem("invalid", "The care cannot be recorded like this; nothing was changed.",
                         [(CARE_FIELDS.get(f, f), m) for f, m in failed.reasons],
                         family_id=proxy.assignment.family_id) from None


def municipality_of(session: Session, *, family_id: str) -> str | None:
    """The CBS code of the family's municipality."""
    return session.exec(select(Municipality.cbs_code).join(Family, Family.municipality_id == Municipality.id)
                        .where(Family.id == family_id)).first()
