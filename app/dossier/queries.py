"""Inzage (Jeugdwet 7.3.10): what exists about one person, per family, as the age rules let them see it.

The plan parts about them, written by them or given to them; how often those changed; who read or changed the
family's data about them; what was sent to the municipality about the plan; their complaints and ratings. Only what
they may see: another person's private item never appears, not even in a count.
"""

import statistics
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from app.audit.models import AccessLogEntry
from app.audit.services import AuditActor, record_at_commit
from app.complaints.models import Complaint
from app.core.clock import AMSTERDAM, utcnow
from app.core.errors import NotFound
from app.dossier.models import DestructionRequest, JobReport, RequestStatus
from app.dossier.services import waiting_for, who_must_ask
from app.identity.models import Family, Membership, Organisation, Person, StaffMembership, StaffRole
from app.identity.policy import can_make_statement, can_view, is_youth
from app.outbox.models import OutboxEvent
from app.plans.context import WHOLE_PLAN, PlanContext, plan_context
from app.plans.models import ItemKind, ItemVersion, Plan, PlanItem
from app.plans.services import DOSSIER
from app.ratings.models import Rating

SHOWN = 10  # the latest entries a list shows (the counts are of all)
SHOWN_ITEMS = 20  # the plan parts the page lists


@dataclass
class FamilyData:
    """What exists about the person in one family."""

    ctx: PlanContext
    items: list[PlanItem]  # about them, by them or theirs to do, that they may see; newest first
    versions: int  # the changes of those items
    last_change: datetime | None
    reads: int  # others' access-log entries: about them (a youth), or reads of the family's data (anyone else)
    events: list[OutboxEvent] = field(default_factory=list)  # what the municipality received about the plan
    events_total: int = 0
    statements: list[PlanItem] = field(default_factory=list)  # own statements on the dossier as a whole, seen
    can_state: bool = False  # they may add one (the betrokkene: parents with custody, youths from 12)
    destroyable: set[str] = field(default_factory=set)  # ids of the shown items they are a betrokkene of
    can_ask_all: bool = False  # they are among those who must ask to destroy the whole dossier
    requests: list["RequestView"] = field(default_factory=list)  # to destroy, that they asked or must ask


@dataclass
class RequestView:
    """A request to destroy as one of its askers sees it: the part (while it exists), who must still ask."""

    request: DestructionRequest
    item: PlanItem | None
    waiting: list[str]  # names of who must still ask
    mine_to_ask: bool  # this person must still ask


@dataclass
class MyData:
    """The page "Mijn gegevens"."""

    person: Person
    families: list[FamilyData]
    complaints: int
    ratings: int
    receipts: list[DestructionRequest] = field(default_factory=list)  # of dossiers destroyed as a whole


def my_data(session: Session, *, person: Person) -> MyData:
    """Gather what exists about this person in every family they belong to (logged as a read of each family)."""
    families = []
    plans = session.exec(select(Plan).join(Family).join(Membership, Membership.family_id == Family.id)
                         .where(Membership.person_id == person.id).order_by(Family.name)).all()
    for plan in plans:
        ctx = plan_context(session, person=person, plan_id=plan.id)
        families.append(_family_data(session, ctx, person))
        record_at_commit(session, event="dossier.view", action="read", actor=AuditActor(person.id, ctx.actor.role),
                         family_id=plan.family_id, youth_id=person.id if is_youth(ctx.actor) else None,
                         object_type="person", object_id=person.id)
    complaints = session.exec(select(sa.func.count()).select_from(Complaint)
                              .where(Complaint.complainant_id == person.id)).one()
    ratings = session.exec(select(sa.func.count()).select_from(Rating).where(Rating.person_id == person.id)).one()
    gone = [request for request in requests_naming(session, person.id, "asked_ids")
            if request.scope == "dossier" and request.status == RequestStatus.DESTROYED]
    return MyData(person, families, complaints, ratings, gone)


def requests_naming(session: Session, person_id: str, column: str) -> list[DestructionRequest]:
    """The requests to destroy whose list `column` (required_ids, asked_ids) names this person, newest first."""
    listed = sa.cast(getattr(DestructionRequest, column), sa.String)
    return list(session.exec(select(DestructionRequest).where(listed.contains(f'"{person_id}"'))
                             .order_by(DestructionRequest.created_at.desc())).all())


def _requests(session: Session, ctx: PlanContext, person: Person) -> list[RequestView]:
    found = session.exec(select(DestructionRequest).where(DestructionRequest.plan_id == ctx.plan.id)
                         .order_by(DestructionRequest.created_at.desc())).all()
    views = []
    for request in found:
        if person.id not in request.required_ids and person.id not in request.asked_ids:
            continue
        item = session.get(PlanItem, request.item_id) if request.item_id else None
        if item is not None and not can_view(ctx.actor, ctx.policy_item(item)):
            item = None  # hidden from them since: its words are not shown
        waiting = waiting_for(request)
        views.append(RequestView(request, item, [ctx.names.get(p, "") for p in waiting],
                                 request.status == RequestStatus.WAITING and person.id in waiting))
    return views


def _family_data(session: Session, ctx: PlanContext, person: Person) -> FamilyData:
    mine = sa.or_(PlanItem.author_id == person.id, PlanItem.youth_id == person.id, PlanItem.owner_id == person.id)
    rows = session.exec(select(PlanItem).where(PlanItem.plan_id == ctx.plan.id, PlanItem.deleted_at.is_(None), mine)
                        .order_by(PlanItem.updated_at.desc())).all()
    items = [item for item in rows if can_view(ctx.actor, ctx.policy_item(item))]
    ids = [item.id for item in items]
    versions, last = session.exec(select(sa.func.count(), sa.func.max(ItemVersion.changed_at))
                                  .where(ItemVersion.item_id.in_(ids))).one() if ids else (0, None)
    about = AccessLogEntry.youth_id == person.id if is_youth(ctx.actor) else AccessLogEntry.action == "read"
    reads = session.exec(select(sa.func.count()).select_from(AccessLogEntry).where(
        AccessLogEntry.family_id == ctx.plan.family_id, about, AccessLogEntry.actor_id != person.id)).one()
    sent = session.exec(select(OutboxEvent).where(OutboxEvent.aggregate_type == "plan",
                                                  OutboxEvent.aggregate_id == ctx.plan.id)
                        .order_by(OutboxEvent.id.desc())).all()
    about = {(event.payload or {}).get("goal_id") for event in sent} - {None}
    goals = {goal.id: goal for goal in session.exec(select(PlanItem).where(PlanItem.id.in_(about))).all()} \
        if about else {}
    events = [event for event in sent if _may_know(ctx, goals, event)]
    said = session.exec(select(PlanItem).where(PlanItem.plan_id == ctx.plan.id, PlanItem.kind == ItemKind.STATEMENT,
                                               PlanItem.reply_to_id.is_(None), PlanItem.deleted_at.is_(None))
                        .order_by(PlanItem.created_at)).all()
    statements = [item for item in said if can_view(ctx.actor, ctx.policy_item(item))]
    destroyable = {item.id for item in items[:SHOWN_ITEMS] if person.id in who_must_ask(ctx, item)}
    return FamilyData(ctx, items, versions, last, reads, events[:SHOWN], len(events), statements,
                      can_make_statement(ctx.actor, DOSSIER), destroyable, person.id in who_must_ask(ctx, None),
                      _requests(session, ctx, person))


def _may_know(ctx: PlanContext, goals: dict[str, PlanItem], event: OutboxEvent) -> bool:
    """An event about a goal only for who may see that goal; one about the plan for who may see the plan as a whole:
    the list of what was sent never tells of a goal hidden from the reader."""
    goal_id = (event.payload or {}).get("goal_id")
    if goal_id:
        goal = goals.get(goal_id)
        return goal is not None and goal.deleted_at is None and can_view(ctx.actor, ctx.policy_item(goal))
    return can_view(ctx.actor, WHOLE_PLAN)


@dataclass
class ToAssess:
    """A request everyone required asked, for the professional of the family to decide."""

    request: DestructionRequest
    family_name: str
    overdue: bool


def to_assess(session: Session, *, person: Person) -> list[ToAssess]:
    """The asked requests of the families this person leads as their professional, the most urgent first."""
    rows = session.exec(select(DestructionRequest, Family.name)
                        .join(Membership, Membership.family_id == DestructionRequest.family_id)
                        .join(Family, Family.id == DestructionRequest.family_id)
                        .where(Membership.person_id == person.id, Membership.role == "professional",
                               DestructionRequest.status == RequestStatus.ASKED)
                        .order_by(DestructionRequest.decide_by)).all()
    today = utcnow().astimezone(AMSTERDAM).date()
    return [ToAssess(request, name, request.decide_by is not None and request.decide_by < today)
            for request, name in rows]


@dataclass
class RightsOverview:
    """The data protection officer's view: counts and states, never content."""

    by_status: dict[str, int]
    by_scope: dict[str, int]
    overdue: int  # asked, and past the three months
    median_days: float | None  # from asked to decided
    reports: list[JobReport]
    withheld: list[tuple[datetime | None, str, str]] = field(default_factory=list)  # when, what kind, consulted


def rights_overview(session: Session, *, person: Person, municipality_ids: list[int]) -> RightsOverview:
    """Counts of the requests of these municipalities, the retention job's latest reports, and the parts kept from
    parents with whom the professional consulted (when, what kind, who was consulted: never what it says or whose)."""
    requests = session.exec(select(DestructionRequest.status, DestructionRequest.scope, DestructionRequest.decide_by,
                                   DestructionRequest.asked_at, DestructionRequest.decided_at)
                            .where(DestructionRequest.municipality_id.in_(municipality_ids))).all()
    today = utcnow().astimezone(AMSTERDAM).date()
    by_status = {status.value: 0 for status in RequestStatus}
    by_scope = {"item": 0, "dossier": 0}
    days = []
    overdue = 0
    for status, scope, decide_by, asked_at, decided_at in requests:
        by_status[status] += 1
        by_scope[scope] += 1
        overdue += status == RequestStatus.ASKED and decide_by is not None and decide_by < today
        if asked_at is not None and decided_at is not None:
            days.append((decided_at - asked_at).total_seconds() / 86400)
    reports = list(session.exec(select(JobReport).order_by(JobReport.started_at.desc()).limit(10)).all())
    withheld = session.exec(select(PlanItem.withheld_at, PlanItem.kind, PlanItem.withheld_consulted)
                            .join(Plan, Plan.id == PlanItem.plan_id).join(Family, Family.id == Plan.family_id)
                            .where(Family.municipality_id.in_(municipality_ids), PlanItem.withheld_from_parents,
                                   PlanItem.deleted_at.is_(None))
                            .order_by(PlanItem.withheld_at.desc())).all()
    record_at_commit(session, event="dossier.rights_view", action="read", actor=AuditActor(person.id, "auditor"),
                     object_type="municipality", object_id=",".join(map(str, municipality_ids)))
    return RightsOverview(by_status, by_scope, overdue, statistics.median(days) if days else None, reports,
                          [tuple(row) for row in withheld])


def request_for(session: Session, request_id: str) -> DestructionRequest:
    """A request by id (the service then checks who may decide it)."""
    request = session.get(DestructionRequest, request_id)
    if request is None:
        raise NotFound(request_id)
    return request


@dataclass
class Assessment:
    """What the professional reads before deciding: the part (or the whole dossier) and who asked when."""

    request: DestructionRequest
    item: PlanItem | None
    askers: list[str]
    below: int  # parts that hang under it and go with it


def assessment(session: Session, ctx: PlanContext, request: DestructionRequest) -> Assessment:
    """The request as its family's professional sees it (the read is logged)."""
    item = session.get(PlanItem, request.item_id) if request.item_id else None
    below = 0
    if item is not None:
        below = session.exec(select(sa.func.count()).select_from(PlanItem).where(
            sa.or_(PlanItem.goal_id == item.id, PlanItem.reply_to_id == item.id))).one()
    record_at_commit(session, event="dossier.destruction_read", action="read",
                     actor=AuditActor(ctx.actor.person_id, ctx.actor.role), family_id=request.family_id,
                     youth_id=item.youth_id if item is not None else None, object_type="destruction_request",
                     object_id=request.id)
    return Assessment(request, item, [ctx.names.get(person_id, "") for person_id in request.asked_ids], below)


def audited_municipalities(session: Session, *, person: Person) -> list[int]:
    """The municipalities whose data protection this person oversees (auditors and functional managers there)."""
    rows = session.exec(select(Organisation.municipality_id).join(
        StaffMembership, StaffMembership.organisation_id == Organisation.id).where(
        StaffMembership.person_id == person.id, Organisation.municipality_id.is_not(None),
        StaffMembership.role.in_((StaffRole.AUDITOR, StaffRole.FUNCTIONAL_MANAGER)))).all()
    return sorted(set(rows))
