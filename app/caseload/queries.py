"""The provider's work list: every goal assigned to their organisation, read with a fixed number of queries.

A provider reaches a family only through a goal assigned to its organisation (app/identity/access.py), and sees
only that goal (`can_view`, PROVIDER_KINDS): not the plan's evaluations or tasks. Until the help starts the list
names a family by its initials and town only. Showing the list is logged once per family shown.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import Session, select

from app.audit.services import AuditActor, record_at_commit
from app.caseload.vocab import SCOPES, SORTS, STATUSES
from app.catalog.models import Assignment
from app.complaints.handling import waiting_count
from app.core.clock import AMSTERDAM
from app.core.errors import NotAllowed
from app.identity.models import Family, Municipality, Organisation, Person, StaffMembership
from app.identity.policy import Actor, Item, Role, can_view
from app.plans.models import ItemKind, PlanItem
from app.ratings.moderation import unanswered_count
from app.web.labels import family_surname

PROVIDER_STAFF = "provider_staff"
PAGE_SIZE = 50  # a tablet shows a page at a glance; a phone scrolls through its cards
JUDGED = ("achieved", "partly", "not_achieved")  # a family verdict is set (Assignment.result_state)


@dataclass(frozen=True)
class Filters:
    """Whose goals, which status ("" every one), the order and the page: always one of the known values."""

    scope: str = "mine"
    status: str = ""
    sort: str = "status"
    page: int = 1

    def __post_init__(self) -> None:
        defaults = Filters.__dataclass_fields__
        for name, known in (("scope", SCOPES), ("status", STATUSES), ("sort", SORTS)):
            if getattr(self, name) not in known:
                object.__setattr__(self, name, defaults[name].default)
        page = str(self.page)  # from a query string: digits only, at most a million pages
        object.__setattr__(self, "page", max(1, int(page)) if page.isascii() and page.isdigit() and len(page) < 7
                           else 1)

    def args(self, **changed) -> dict:
        """The query string of these filters (for links), with some changed; defaults left out."""
        values = {"scope": self.scope, "status": self.status, "sort": self.sort, "page": self.page} | changed
        return {key: value for key, value in values.items() if value != Filters.__dataclass_fields__[key].default}


@dataclass
class Row:
    """One assigned goal as its provider sees it (plain columns: a list of hundreds loads no ORM objects)."""

    goal_id: str
    goal_text: str
    due_date: date | None  # the goal's own target date
    plan_id: str
    family_id: str
    family_name: str
    town: str  # the family's municipality (a family has no town of its own)
    organisation_id: str
    handler: Person | None  # the colleague who handles it; None: nobody (or someone who left)
    started_on: date | None
    stopped_on: date | None
    result_state: str
    assigned_start: date | None
    decided_at: datetime | None

    @property
    def status(self) -> str:
        if self.started_on is None:
            return "to_start"
        if self.stopped_on is None:
            return "in_care"
        return "stopped" if self.result_state in JUDGED else "to_judge"

    @property
    def named(self) -> bool:
        """The family's name shows once the help has started; before that, its initials and town."""
        return self.started_on is not None

    @property
    def initials(self) -> str:
        return initials(self.family_name)

    @property
    def assigned_on(self) -> date | None:
        return self.assigned_start or (self.decided_at.astimezone(AMSTERDAM).date() if self.decided_at else None)

    @property
    def evaluate_by(self) -> date | None:
        """The goal's own target date: the plan's evaluation moments are not the provider's to see."""
        return self.due_date


@dataclass
class Worklist:
    """The page: the rows shown, how many match and on how many pages, how many there are in all and of mine, the
    colleagues per organisation, and the complaints and ratings waiting."""

    filters: Filters
    rows: list[Row]  # the page shown
    matching: int  # the rows the filters match, on all pages
    pages: int
    total: int
    mine: int
    organisations: list[Organisation]
    colleagues: dict[str, list[Person]]
    complaints: int
    ratings: int


def organisations_of(session: Session, person: Person) -> list[Organisation]:
    """The provider organisations where this person is provider staff (none: they have no work list)."""
    return list(session.exec(select(Organisation).join(StaffMembership, StaffMembership.organisation_id ==
                                                       Organisation.id)
                             .where(StaffMembership.person_id == person.id, StaffMembership.role == PROVIDER_STAFF,
                                    Organisation.kind == "provider").order_by(Organisation.name)).all())


def colleagues_of(session: Session, organisation_ids: list[str]) -> dict[str, list[Person]]:
    """Each organisation's provider staff, by name: who may handle its goals."""
    found: dict[str, list[Person]] = {org: [] for org in organisation_ids}
    for org, person in session.exec(select(StaffMembership.organisation_id, Person).join(Person)
                                    .where(StaffMembership.organisation_id.in_(organisation_ids),
                                           StaffMembership.role == PROVIDER_STAFF)
                                    .order_by(Person.given_name, Person.family_name, Person.id)).all():
        found[org].append(person)
    return found


def worklist(session: Session, *, person: Person, filters: Filters) -> Worklist:
    """The goals assigned to the person's organisations as asked, a page at a time; each family shown is logged."""
    organisations = organisations_of(session, person)
    if not organisations:
        raise NotAllowed("work list")
    ids = [org.id for org in organisations]
    colleagues = colleagues_of(session, ids)
    rows = assigned_rows(session, person=person, organisation_ids=ids, colleagues=colleagues)
    mine = [row for row in rows if row.handler is None or row.handler.id == person.id]
    matching = sort_rows([row for row in (mine if filters.scope == "mine" else rows)
                          if not filters.status or row.status == filters.status], filters.sort)
    pages = max(1, -(-len(matching) // PAGE_SIZE))
    filters = replace(filters, page=min(filters.page, pages))
    shown = matching[(filters.page - 1) * PAGE_SIZE:filters.page * PAGE_SIZE]
    _log_reads(session, person, shown)
    return Worklist(filters, shown, len(matching), pages, len(rows), len(mine), organisations, colleagues,
                    waiting_count(session, person=person), unanswered_count(session, person=person))


def assigned_rows(session: Session, *, person: Person, organisation_ids: list[str],
                  colleagues: dict[str, list[Person]]) -> list[Row]:
    """Every goal assigned to these organisations that the person may see (one query; the latest per goal)."""
    a = Assignment
    found = session.execute(
        select(a.goal_id, PlanItem.kind, PlanItem.text, PlanItem.due_date, a.plan_id, a.family_id, Family.name,
               Municipality.name, a.organisation_id, a.handler_id, a.care_started_on, a.care_stopped_on,
               a.result_state, a.assigned_start, a.decided_at)
        .join(PlanItem, PlanItem.id == a.goal_id).join(Family, Family.id == a.family_id)
        .join(Municipality, Municipality.id == Family.municipality_id)
        .where(a.organisation_id.in_(organisation_ids), a.status == "assigned", PlanItem.kind == ItemKind.GOAL,
               PlanItem.deleted_at.is_(None))
        .order_by(a.id)).all()
    latest = {(row[0], row[8]): row for row in found}
    assigned: dict[str, set[str]] = {}
    for goal_id, organisation_id in latest:
        assigned.setdefault(goal_id, set()).add(organisation_id)
    staff = {org: {p.id: p for p in people} for org, people in colleagues.items()}
    return [Row(goal_id, text, due, plan_id, family_id, name, town, org, staff[org].get(handler_id), *rest)
            for goal_id, kind, text, due, plan_id, family_id, name, town, org, handler_id, *rest in latest.values()
            if can_view(Actor(person.id, Role.PROVIDER_STAFF, organisation_id=org),
                        Item(kind=kind, organisation_ids=frozenset(assigned[goal_id])))]


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """Sort in place by the column asked for (earliest first, empty dates last); the family, then the goal, breaks
    ties."""
    far, order = date.max, list(STATUSES)

    def family(row: Row) -> str:
        return (family_surname(row.family_name) if row.named else row.initials).casefold()

    keys = {
        "status": lambda r: (order.index(r.status), r.assigned_on or far, family(r)),
        "assigned": lambda r: (r.assigned_on or far, family(r)),
        "evaluate": lambda r: (r.evaluate_by or far, family(r)),
        "family": lambda r: (family(r), r.assigned_on or far),
    }
    rows.sort(key=lambda r: (*keys[sort](r), r.goal_id))
    return rows


def initials(name: str) -> str:
    """A family's initials: "Gezin De Boer-Hoekstra" → "D.B.-H."."""
    return "".join("-".join(f"{part[0].upper()}." for part in word.split("-") if part)
                   for word in family_surname(name).split())


def _log_reads(session: Session, person: Person, rows: list[Row]) -> None:
    """One access-log entry per family shown, written with the page's commit (app.audit.services.record_many)."""
    plans = {row.family_id: row.plan_id for row in rows}
    for family_id, plan_id in plans.items():
        record_at_commit(session, event="caseload.view", action="read", actor=AuditActor(person.id, PROVIDER_STAFF),
                         family_id=family_id, object_type="plan", object_id=plan_id)
