"""The gezinsplan: one plan per family, its items (each versioned), agreements and visits."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow
from app.core.db import UTCDateTime
from app.core.ids import new_id


class PlanStatus(enum.StrEnum):
    """Where a plan is in its life: being written, being agreed, fixed."""

    DRAFT = "draft"
    AGREEING = "agreeing"
    FIXED = "fixed"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self])


_STATUS_LABELS = {
    PlanStatus.DRAFT: _l("Being written"),
    PlanStatus.AGREEING: _l("Waiting for agreement"),
    PlanStatus.FIXED: _l("Agreed and fixed"),
}


class Plan(SQLModel, table=True):
    """The one gezinsplan of a family."""

    __tablename__ = "plan"
    __table_args__ = (sa.CheckConstraint("status IN ('draft', 'agreeing', 'fixed')", name="status_known"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=20)
    family_id: str = Field(foreign_key="family.id", unique=True, max_length=20)
    status: str = Field(default=PlanStatus.DRAFT, max_length=20)
    content_version: int = 1  # raised by every change outside goals: plan-wide agreement is for this version
    fixed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    fixed_count: int = 0  # how many times the plan was fixed (each fixing is one event for the municipality)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def status_label(self) -> str:
        return PlanStatus(self.status).label


class ItemKind(enum.StrEnum):
    """The parts of a plan, in the order the plan shows them."""

    STRENGTH = "strength"  # wat gaat goed
    WORRY = "worry"  # waar maken we ons zorgen over
    GOAL = "goal"  # doel met het afgesproken resultaat
    ACTION = "action"  # wie doet wat
    SAFETY = "safety"  # veiligheidsafspraak
    EVALUATION = "evaluation"  # evaluatiemoment
    OWN_WORDS = "own_words"  # in mijn eigen woorden
    NOTE = "note"  # voortgang: a dated progress note on an assigned goal (the provider or the professional)
    REACTION = "reaction"  # a family member's own words beside a progress note
    STATEMENT = "statement"  # the betrokkene's own statement on an item (Jeugdwet 7.3.8 lid 2): beside it, theirs alone


# Drawn under the item they hang on (a note under its goal, a reaction under its note, a statement under its item):
# no content of the plan's own, so they ask nobody to agree again
PROGRESS_KINDS = frozenset({ItemKind.NOTE, ItemKind.REACTION, ItemKind.STATEMENT})


class LifeDomain(enum.StrEnum):
    """The life domains a goal belongs to."""

    PARENTING = "parenting"
    HEALTH = "health"
    SCHOOL = "school"
    LEISURE = "leisure"
    HOUSING = "housing"
    SAFETY = "safety"

    @property
    def label(self) -> str:
        return str(DOMAIN_LABELS[self])


DOMAIN_LABELS = {
    LifeDomain.PARENTING: _l("Parenting and family"),
    LifeDomain.HEALTH: _l("Health and well-being"),
    LifeDomain.SCHOOL: _l("School and work"),
    LifeDomain.LEISURE: _l("Free time and friends"),
    LifeDomain.HOUSING: _l("Housing and money"),
    LifeDomain.SAFETY: _l("Safety"),
}
KINDS_SQL = ("kind IN ('strength', 'worry', 'goal', 'action', 'safety', 'evaluation', 'own_words', 'note', "
             "'reaction', 'statement')")
CONTENT_FIELDS = ("text", "result", "domain", "due_date", "helpers", "owner_id", "youth_id", "goal_id", "reply_to_id",
                  "is_done", "child_text", "picture")


class PlanItem(SQLModel, table=True):
    """One part of the plan, said by its author and typed by someone (on a shared device: the professional)."""

    __tablename__ = "plan_item"
    __table_args__ = (
        sa.CheckConstraint(KINDS_SQL, name="kind_known"),
        sa.Index("ix_plan_item_plan_kind", "plan_id", "kind", "position"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=20)
    plan_id: str = Field(foreign_key="plan.id", max_length=20)
    kind: str = Field(max_length=20)
    youth_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)  # whom it is about
    goal_id: str | None = Field(default=None, foreign_key="plan_item.id", max_length=20)  # an action's or note's goal
    # a reaction's note (a reaction is someone's own words beside a progress note)
    reply_to_id: str | None = Field(default=None, foreign_key="plan_item.id", max_length=20, index=True)
    text: str = Field(default="", max_length=10_000)
    result: str = Field(default="", max_length=10_000)  # a goal's agreed result, in plain words
    domain: str | None = Field(default=None, max_length=20)
    due_date: date | None = None  # goal: target date; action: due date; evaluation: the date
    helpers: str = Field(default="", max_length=500)  # a goal's helpers, in words
    child_text: str = Field(default="", max_length=500)  # a goal in a child's words (kindtekst), for the child view
    picture: str | None = Field(default=None, max_length=20)  # a child's chosen picture (app.plans.pictures)
    owner_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)  # an action's owner
    is_done: bool = False
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    author_id: str = Field(foreign_key="person.id", max_length=20)
    typed_by_id: str = Field(foreign_key="person.id", max_length=20)
    author_youth_age: int | None = None
    withheld_from_parents: bool = False
    withheld_reason: str = Field(default="", max_length=1000)
    # Jeugdwet 7.3.2 lid 4: withheld only after consulting another professional, whose name, role and opinion are kept
    withheld_consulted: str = Field(default="", max_length=200)
    withheld_opinion: str = Field(default="", max_length=1000)
    withheld_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    shared_with_parents: bool | None = None
    released_to_non_custody: bool = False
    version: int = 1
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    def snapshot(self) -> dict:
        """The content fields as JSON-ready values (for history and conflicts)."""
        values = {name: getattr(self, name) for name in CONTENT_FIELDS}
        values["due_date"] = self.due_date.isoformat() if self.due_date else None
        return values


class ItemVersion(SQLModel, table=True):
    """One version of an item: who changed what, when (old → new is this version against the one before)."""

    __tablename__ = "item_version"
    __table_args__ = (
        sa.UniqueConstraint("item_id", "version", name="one_row_per_version"),
        sa.CheckConstraint("change IN ('create', 'update', 'delete', 'restore')", name="change_known"),
        sa.Index("ix_item_version_plan_time", "plan_id", "changed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: str = Field(foreign_key="plan_item.id", max_length=20)
    plan_id: str = Field(foreign_key="plan.id", max_length=20)
    version: int
    change: str = Field(max_length=10)
    author_id: str = Field(foreign_key="person.id", max_length=20)  # who said it
    typed_by_id: str = Field(foreign_key="person.id", max_length=20)
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    data: dict = Field(default_factory=dict, sa_type=sa.JSON)


class Agreement(SQLModel, table=True):
    """One person's akkoord or niet akkoord, on a goal's version or on the plan's content version."""

    __tablename__ = "agreement"
    __table_args__ = (
        sa.CheckConstraint("decision IN ('agree', 'disagree')", name="decision_known"),
        sa.Index("ix_agreement_plan", "plan_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", max_length=20)
    goal_id: str | None = Field(default=None, foreign_key="plan_item.id", max_length=20)  # None: the whole plan
    subject_version: int
    person_id: str = Field(foreign_key="person.id", max_length=20)
    recorded_by_id: str = Field(foreign_key="person.id", max_length=20)
    decision: str = Field(max_length=10)
    reason: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PlanVisit(SQLModel, table=True):
    """When a person last opened the plan (for "what changed since my last visit")."""

    __tablename__ = "plan_visit"

    person_id: str = Field(foreign_key="person.id", primary_key=True, max_length=20)
    plan_id: str = Field(foreign_key="plan.id", primary_key=True, max_length=20)
    previous_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def drawn_in(item: PlanItem) -> str:
    """The element of the plan page a new item is added to (live news names it): a progress note under its goal, a
    reaction under its note, anything else in its section. Whoever is told may see what it hangs under."""
    if item.kind == ItemKind.NOTE:
        return f"notes-{item.goal_id}"
    if item.kind == ItemKind.REACTION:
        return f"reactions-{item.reply_to_id}"
    if item.kind == ItemKind.STATEMENT:
        return f"item-{item.reply_to_id}"  # at the end of the item it is about
    return f"items-{item.kind}"
