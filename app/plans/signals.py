"""What the plan announces, for features above it to act on without the plan importing them (blinker signals).

Each signal's sender is the PlanContext of the person acting or reading; the keyword arguments are named below.
Subscribers connect when their module is imported, which the app factory does for every feature.
"""

from blinker import Namespace

_plan = Namespace()

item_changed = _plan.signal("item-changed")
"""An item was added, changed or removed: session, item, author_id, typed_by_id, change."""

agreement_asked = _plan.signal("agreement-asked")
"""These people must now agree to a part they may see: session, person_ids."""

plan_fixed = _plan.signal("plan-fixed")
"""The plan (or a part agreed again) is fixed: session, person_ids (None: everyone who may open the plan)."""

goal_agreement = _plan.signal("goal-agreement")
"""The agreement on one goal changed: session, goal, state ("agreed": everyone required said yes to its current
version; "asked": it changed, and its people are asked to agree again)."""

plan_page = _plan.signal("plan-page")
"""The plan page is drawn: session, goals (the goals this reader sees). Each subscriber returns a dict of names for
the page's template (the help chosen per goal, which goals the reader follows, ...)."""


def page_parts(ctx, *, session, goals: list) -> dict:
    """Collect what the subscribers of `plan_page` add to the page."""
    parts: dict = {}
    for _receiver, part in plan_page.send(ctx, session=session, goals=goals):
        parts.update(part)
    return parts
