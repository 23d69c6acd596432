"""A plan as one person may reach it: the plan, the family, their role and the members (with today's ages)."""

from dataclasses import dataclass, field
from functools import cached_property

from flask import g
from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from app.core.errors import NotFound
from app.identity import hooks
from app.identity.access import FamilyAccess, family_access, family_members, policy_members
from app.identity.models import Family, Membership, Person
from app.identity.policy import Actor, Item, Member, Role, Youth, can_view
from app.plans.models import Plan, PlanItem

GONE = Item(kind="gone")  # a note or reaction whose goal or note was taken out: nobody in the family sees it now
WHOLE_PLAN = Item(kind="plan")  # the plan as such: its status and agreement; not for network or parents without custody


@dataclass
class PlanContext:
    """Everything the plan's rules need about one request, loaded with a fixed number of queries."""

    plan: Plan
    access: FamilyAccess
    rows: list[tuple[Membership, Person]]
    people: dict[str, Person] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)
    assignments: list = field(default_factory=list)  # the plan's assignments (app.catalog), oldest first
    goal_organisations: dict[str, set[str]] = field(default_factory=dict)
    youth_facts: dict[str, Youth] = field(default_factory=dict)  # each youth's age, worked out once

    def __post_init__(self) -> None:
        self.youth_facts = {p.id: Youth(p.id, p.age) for p in self.people.values() if p.birthdate is not None}
        self.goal_organisations = hooks.assignment_organisations(self.assignments)

    @property
    def actor(self) -> Actor:
        return self.access.actor

    @cached_property
    def names(self) -> dict[str, str]:
        """Each family member's name by person id (authors, owners, speakers): worked out once per request (callers
        merge it into a new dict, never change it)."""
        return {p.id: p.name for p in self.people.values()}

    @property
    def youths(self) -> list[Person]:
        return [person for membership, person in self.rows if membership.role == "youth"]

    def role_of(self, person_id: str | None) -> str | None:
        return next((m.role for m, p in self.rows if p.id == person_id), None)

    def actor_for(self, person_id: str) -> Actor:
        """The policy Actor of another family member (a kitchen-table speaker)."""
        for membership, person in self.rows:
            if person.id == person_id:
                return Actor(person.id, Role(membership.role), has_custody=membership.has_custody, age=person.age)
        raise NotFound(person_id)

    def audience(self, facts: Item) -> dict[str, list[str]]:
        """Who may see something with these facts, worked out once when a change is published: family members by
        id and provider organisations by id. Each open stream then only looks itself up
        (app.plans.queries.for_reader)."""
        people = [person.id for membership, person in self.rows
                  if can_view(Actor(person.id, Role(membership.role), has_custody=membership.has_custody,
                                    age=person.age), facts)]
        organisations = [org for org in sorted(facts.organisation_ids)
                         if can_view(Actor(None, Role.PROVIDER_STAFF, organisation_id=org), facts)]
        return {"people": people, "organisations": organisations}

    def policy_item(self, item: PlanItem) -> Item:
        """The facts the age rules need about one item (a progress note's include its goal's, a reaction's its
        note's)."""
        organisations = self.goal_organisations.get(item.goal_id or item.id, ())
        parent = None
        above_id = item.reply_to_id if item.kind in ("reaction", "statement") else \
            item.goal_id if item.kind == "note" else None
        if above_id or item.kind in ("note", "reaction"):  # seen only by who sees what it hangs on
            session = object_session(item)
            above = session.get(PlanItem, above_id) if session is not None and above_id else None
            parent = self.policy_item(above) if above is not None and above.deleted_at is None else GONE
        return Item(
            kind=item.kind, author_id=item.author_id,
            youth=self.youth_facts.get(item.youth_id) if item.youth_id else None,
            author_youth_age=item.author_youth_age, withheld_from_parents=item.withheld_from_parents,
            shared_with_parents=item.shared_with_parents, released_to_non_custody=item.released_to_non_custody,
            assignee_ids=frozenset({item.owner_id}) if item.owner_id else frozenset(),
            organisation_ids=frozenset(organisations), parent=parent,
        )


def plan_context(session: Session, *, person: Person | None, plan_id: str) -> PlanContext:
    """Load the plan and the person's access to its family, or raise NotFound (also for other families)."""
    found = session.exec(select(Plan, Family).join(Family).where(Plan.id == plan_id)).first()
    if found is None:
        raise NotFound(plan_id)
    plan = found[0]  # the family is now in the session, so family_access finds it without a query
    rows = family_members(session, plan.family_id)
    access = family_access(session, person=person, family_id=plan.family_id, members=rows)
    ctx = PlanContext(plan=plan, access=access, rows=rows, people={p.id: p for _, p in rows},
                      members=policy_members(rows), assignments=hooks.plan_assignments(session, plan.id))
    g.plan_context = ctx
    return ctx


def family_context(session: Session, plan_id: str, *, with_help: bool = True) -> PlanContext:
    """The plan's people and rules without anyone asking (for jobs and for reading notifications). `with_help=False`
    leaves out the help chosen per goal, which only decides what provider staff may see: enough to ask about a
    family member (the header's unread count)."""
    plan, family = session.exec(select(Plan, Family).join(Family).where(Plan.id == plan_id)).one()
    rows = family_members(session, plan.family_id)
    access = FamilyAccess(family, Actor(None, Role.NONE), None)
    return PlanContext(plan=plan, access=access, rows=rows, people={p.id: p for _, p in rows},
                       members=policy_members(rows),
                       assignments=hooks.plan_assignments(session, plan.id) if with_help else [])


def may_see(ctx: PlanContext, person_id: str, item: PlanItem | None) -> bool:
    """Whether this family member may see the item (or the plan) today, exactly as the plan page decides."""
    if ctx.role_of(person_id) is None:
        return False
    return can_view(ctx.actor_for(person_id), ctx.policy_item(item) if item is not None else WHOLE_PLAN)


def request_plan_context(plan_id: str) -> PlanContext | None:
    """The plan context this request loaded already, if it is this plan's (so the header need not load it again)."""
    ctx = g.get("plan_context")
    return ctx if ctx is not None and ctx.plan.id == plan_id else None


def plan_of_family(session: Session, family_id: str) -> Plan | None:
    """Return the family's plan."""
    return session.exec(select(Plan).where(Plan.family_id == family_id)).first()
