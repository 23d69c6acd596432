"""Words for the plan's sections, fields and changes, in the reader's language."""

from flask import g
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.plans.agreement import standing_of
from app.plans.models import DOMAIN_LABELS, LifeDomain

SECTIONS = {
    "strength": _l("What goes well"),
    "worry": _l("What we worry about"),
    "goal": _l("Goals"),
    "action": _l("Who does what"),
    "safety": _l("Safety agreements"),
    "evaluation": _l("When we look back together"),
    "own_words": _l("In my own words"),
    "note": _l("How the help is going"),
    "reaction": _l("Reactions"),
    "statement": _l("Own statement"),
}
INTROS = {
    "strength": _l("What the family and the people around it do well. We start from here."),
    "worry": _l("What worries you, in your own words. Everyone may write their own."),
    "goal": _l("What we want to reach, per part of life, with the result we agree on."),
    "action": _l("Tasks that do not belong to one goal: who does what, and when."),
    "safety": _l("Agreements that keep everyone safe. The youth care professional writes these down with you."),
    "evaluation": _l("The dates on which we look at how it is going."),
    "own_words": _l("Your own words about the plan. Only you change what you wrote here."),
}
ADD = {
    "strength": _l("Add something that goes well"),
    "worry": _l("Add a worry"),
    "goal": _l("Add a goal"),
    "action": _l("Add a task"),
    "safety": _l("Add a safety agreement"),
    "evaluation": _l("Add a date to look back"),
    "own_words": _l("Write in my own words"),
    "note": _l("Write a progress note"),
    "reaction": _l("React"),
    "statement": _l("Add my own statement"),
}
CHANGES = {"create": _l("added"), "update": _l("changed"), "delete": _l("removed"), "restore": _l("brought back")}
FIELDS = {
    "text": _l("Text"), "result": _l("Result"), "domain": _l("Part of life"), "due_date": _l("Date"),
    "helpers": _l("Who helps"), "owner_id": _l("Who does it"), "youth_id": _l("About"), "goal_id": _l("Goal"),
    "is_done": _l("Done"), "child_text": _l("In words for a child"), "picture": _l("Picture"),
}


def section_label(kind: str) -> str:
    return str(SECTIONS.get(kind, kind))


def section_intro(kind: str) -> str:
    return str(INTROS.get(kind, ""))


def add_label(kind: str) -> str:
    return str(ADD.get(kind, kind))


def change_label(change: str) -> str:
    return str(CHANGES.get(change, change))


def field_label(name: str) -> str:
    return str(FIELDS.get(name, name))


def domain_label(code: str | None) -> str:
    try:
        return str(DOMAIN_LABELS[LifeDomain(code)])
    except ValueError:
        return ""


def plan_standing(plan, membership):
    """The plan's status as the signed-in family member is shown it (only from the parts they may see)."""
    return standing_of(db.session, person=g.person, plan=plan, role=membership.role)
