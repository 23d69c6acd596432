"""The header's unread count in one indexed query: each unread notification comes with the reader's place in the
family and the facts the age rules need about its item, as plain rows, and the plan page's rules decide on them
(provider staff: a second query says which of their notices are still their organisation's).

Nothing about who may see what is stored: a birthday changes rights without any write (app.identity.policy), so a
count kept on write would be wrong the morning a youth turns 12 or 16. The rules run on the rows read now instead.
A notice about an item that hangs on another (a progress note, a reaction) is handed back to
app.notifications.inbox, which decides it as the inbox does.
"""

import functools
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from app.core.clock import age_on, today
from app.identity.models import Membership, Person, StaffMembership
from app.identity.policy import PROVIDER_KINDS, Actor, Item, Role, Youth, can_view
from app.notifications.models import GOAL_TOPICS, ORGANISATION_TOPICS, PROVIDER_TOPICS, Notification
from app.plans.context import WHOLE_PLAN
from app.plans.models import PlanItem

LIMIT = 100  # the newest unread notifications the count looks at (as the inbox shows)
HANGING_KINDS = frozenset({"note", "reaction", "statement"})  # seen only by who sees what they hang on


@functools.cache
def unread_statement() -> sa.Select:
    """The newest unread notifications of one person (`:person_id`), each with the reader's membership of the
    notice's family, the item, and the birth date of the family member the item is about (a subquery: PostgreSQL's
    planner then weighs three tables instead of six; planning is most of this statement's cost there)."""
    notification, item = Notification.__table__, PlanItem.__table__
    reader, about, youth = Membership.__table__.alias("reader"), Membership.__table__.alias("about"), Person.__table__
    person_id = sa.bindparam("person_id")
    birthdate = (sa.select(youth.c.birthdate).select_from(about).join(youth, youth.c.id == about.c.person_id)
                 .where(about.c.family_id == notification.c.family_id, about.c.person_id == item.c.youth_id)
                 .correlate(notification, item).scalar_subquery())
    return (
        sa.select(notification.c.id, notification.c.topic, notification.c.item_id, reader.c.role,
                  reader.c.has_custody, item.c.id.label("found"), item.c.kind, item.c.author_id, item.c.youth_id,
                  item.c.author_youth_age, item.c.withheld_from_parents, item.c.shared_with_parents,
                  item.c.released_to_non_custody, item.c.owner_id, item.c.deleted_at, birthdate.label("birthdate"))
        .select_from(notification)
        .outerjoin(reader, sa.and_(reader.c.family_id == notification.c.family_id, reader.c.person_id == person_id))
        .outerjoin(item, item.c.id == notification.c.item_id)
        # read_at IS NULL as its own term: the partial index ix_notification_unread serves it
        .where(notification.c.person_id == person_id, notification.c.read_at.is_(None), notification.c.in_app)
        .order_by(notification.c.id.desc()).limit(LIMIT)
    )


@functools.cache
def theirs_statement() -> sa.Select:
    """Which of one person's unread provider notices (from `:oldest` on) are still theirs: they are provider staff
    of the organisation it names (a complaint, a rating), or of an organisation the goal is assigned to now
    (app.catalog.assignments.goal_organisations: an assignment with status "assigned"), as
    app.notifications.provider_notes.may_read decides. Asked only when there are provider notices, so family
    members never pay for it; made on first use, as the assignments' table is the catalog's."""
    notification, staff = Notification.__table__, StaffMembership.__table__
    assignment = SQLModel.metadata.tables["assignment"]
    person_id = sa.bindparam("person_id")
    return (
        sa.select(notification.c.id).select_from(notification)
        .join(staff, sa.and_(staff.c.person_id == person_id, staff.c.role == Role.PROVIDER_STAFF))
        .outerjoin(assignment, sa.and_(assignment.c.goal_id == notification.c.item_id,
                                       assignment.c.plan_id == notification.c.plan_id,
                                       assignment.c.organisation_id == staff.c.organisation_id,
                                       assignment.c.status == "assigned"))
        .where(notification.c.person_id == person_id, notification.c.read_at.is_(None),
               notification.c.id >= sa.bindparam("oldest"),
               sa.or_(sa.and_(_one_of(notification.c.topic, ORGANISATION_TOPICS),
                              notification.c.detail == staff.c.organisation_id),
                      sa.and_(_one_of(notification.c.topic, GOAL_TOPICS), assignment.c.id.is_not(None))))
    )


def _one_of(column: sa.Column, values: tuple[str, ...]) -> sa.ColumnElement:
    """`column IN (...)` written out in the statement: an IN list of bound values is expanded on every run."""
    return column.in_([sa.literal_column(f"'{value}'") for value in values])


def count(session: Session, person: Person) -> tuple[int, list[int]]:
    """How many of the person's newest unread notifications they may see today, and the ids of those this cannot
    decide (a notice about an item that hangs on another): one statement, a second for provider staff."""
    rows = session.execute(unread_statement(), {"person_id": person.id}).all()
    theirs: set[int] = set()
    if any(row.topic in PROVIDER_TOPICS for row in rows):
        theirs = set(session.execute(theirs_statement(), {"person_id": person.id,
                                                          "oldest": rows[-1].id}).scalars())
    return count_visible(person, rows, theirs)


def count_visible(person: Person, rows: list[sa.Row], theirs: set[int]) -> tuple[int, list[int]]:
    """How many of the rows the person may see today (`theirs`: the provider notices still theirs), and the ids of
    the rows this cannot decide."""
    day, visible, undecided = today(), 0, []
    age = age_on(person.birthdate, day) if person.birthdate else None
    for row in rows:
        if row.item_id is not None and row.found is None:  # the item is gone
            continue
        if row.kind in HANGING_KINDS:
            undecided.append(row.id)
        elif row.topic in PROVIDER_TOPICS:  # their organisation's, or a goal of theirs that was not taken out
            visible += row.id in theirs and (row.topic in ORGANISATION_TOPICS
                                             or (row.deleted_at is None and row.kind in PROVIDER_KINDS))
        elif row.role is not None:
            actor = Actor(person.id, Role(row.role), has_custody=row.has_custody, age=age)
            visible += can_view(actor, WHOLE_PLAN if row.item_id is None else _facts(row, day))
    return visible, undecided


def _facts(row: sa.Row, day: date) -> Item:
    """The facts the age rules need about the row's item (as app.plans.context.PlanContext.policy_item gives them
    to a family member: the help chosen per goal decides only what provider staff see)."""
    youth = Youth(row.youth_id, age_on(row.birthdate, day)) if row.youth_id and row.birthdate else None
    return Item(kind=row.kind, author_id=row.author_id, youth=youth, author_youth_age=row.author_youth_age,
                withheld_from_parents=row.withheld_from_parents, shared_with_parents=row.shared_with_parents,
                released_to_non_custody=row.released_to_non_custody,
                assignee_ids=frozenset({row.owner_id}) if row.owner_id else frozenset())
