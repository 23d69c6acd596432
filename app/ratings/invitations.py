"""Inviting families to rate: everyone, never a selection (ACM), once per reason, by a daily job.

A trajectory is due when its care ended, or after 3 months of ongoing care. Each young person of 12 or older and
each parent who may see the goal gets a `rating_invitation` row and a notification in their own language. The
choice of whom to invite never looks at how the care went.
"""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from app.catalog.models import Assignment
from app.core.clock import add_months, today
from app.notifications.services import rating_asked
from app.plans.context import family_context
from app.plans.models import PlanItem
from app.ratings.models import Rating, RatingInvitation
from app.ratings.services import raters
from app.ratings.vocab import CHILD_UNTIL, ONGOING_MONTHS


def invite_due(session: Session, *, on: date | None = None) -> list[RatingInvitation]:
    """Invite everyone of every trajectory that became due and was not yet invited for that reason."""
    on = on or today()
    reason = sa.case((Assignment.care_stopped_on <= on, "ended"), else_="ongoing")
    invited = select(RatingInvitation.id).where(RatingInvitation.assignment_id == Assignment.id,
                                                RatingInvitation.reason == reason)
    due = session.exec(select(Assignment).where(
        Assignment.status == "assigned", Assignment.care_started_on.is_not(None),
        sa.or_(Assignment.care_stopped_on <= on, Assignment.care_started_on <= add_months(on, -ONGOING_MONTHS)),
        ~invited.exists()).order_by(Assignment.id)).all()
    made: list[RatingInvitation] = []
    for assignment in due:
        why = "ended" if assignment.care_stopped_on and assignment.care_stopped_on <= on else "ongoing"
        ctx = family_context(session, assignment.plan_id)
        goal = session.get(PlanItem, assignment.goal_id)
        rated = set(session.exec(select(Rating.person_id).where(Rating.assignment_id == assignment.id)).all())
        people = [p for p in raters(ctx, goal) if (p.age is None or p.age >= CHILD_UNTIL)
                  and not (why == "ended" and p.id in rated)]
        rows = [RatingInvitation(assignment_id=assignment.id, person_id=p.id, reason=why) for p in people]
        session.add_all(rows)
        session.flush()
        rating_asked(session, ctx=ctx, goal=goal, person_ids={p.id for p in people}, reason=why,
                     dedupe_key=f"rating:{assignment.id}:{why}")
        made += rows
    return made
