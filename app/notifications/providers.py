"""Notifications for provider staff (zorgaanbieder), made in the transaction of what they are about.

Who hears, of the organisation's provider staff (`StaffMembership` role provider_staff):
- assignment_new: everyone of the organisation the municipality assigned a goal to, so they can choose who handles it;
- goal_agreement and verdict_given: the assignment's handler (behandelaar) alone, when it has one who still works
  there (it is their trajectory); else everyone of the organisation;
- complaint_filed: whoever of the organisation may handle the complaint (the complaints feature says who: never the
  person it is about);
- rating_to_reply: everyone of the organisation, once they can see the rating and reply to it.
Nobody else hears: not the family, not another organisation, not the municipality. A goal topic names only the goal
assigned to them; an organisation topic names nothing of the family (app.notifications.provider_notes). Each is
made once per dedupe key, so a replay or a retry tells nobody twice.
"""

from collections.abc import Iterable

from sqlmodel import Session, select

from app.identity.models import Person, StaffMembership
from app.identity.policy import Actor, Role, can_view
from app.notifications import services
from app.notifications.models import AT_ONCE, MailMode, Notification, Topic
from app.notifications.provider_notes import CORRECTED
from app.plans import signals
from app.plans.context import PlanContext, plan_of_family
from app.plans.models import PlanItem

TO_THE_HANDLER = (Topic.GOAL_AGREEMENT, Topic.VERDICT_GIVEN)  # only the handler, when the assignment has one


def assignment_new(session: Session, *, ctx: PlanContext, goal: PlanItem, assignment_id: int) -> list[Notification]:
    """Tell the organisation the municipality assigned this goal to (once per assignment); `ctx` is loaded after
    the decision, so it knows the goal is theirs."""
    return _about_goal(session, ctx, goal, Topic.ASSIGNMENT_NEW, dedupe_key=f"assigned:{assignment_id}",
                       assignment_id=assignment_id)


def goal_agreement(session: Session, *, ctx: PlanContext, goal: PlanItem, state: str) -> list[Notification]:
    """Tell who helps with the goal that everyone agreed to it (`state` agreed) or is asked again after a change
    (asked); once per version of the goal."""
    return _about_goal(session, ctx, goal, Topic.GOAL_AGREEMENT, detail=state,
                       dedupe_key=f"agreement:{goal.id}:{goal.version}:{state}")


def verdict_given(session: Session, *, ctx: PlanContext, goal: PlanItem, moment: str, corrected: bool,
                  verdict_id: int) -> list[Notification]:
    """Tell who helps with the goal that the family verdict of a moment (end, evaluation) is set or corrected; once
    per family verdict."""
    return _about_goal(session, ctx, goal, Topic.VERDICT_GIVEN, detail=moment + (CORRECTED if corrected else ""),
                       dedupe_key=f"verdict:{verdict_id}")


def complaint_filed(session: Session, *, family_id: str, organisation_id: str, part_id: str,
                    person_ids: set[str]) -> list[Notification]:
    """Tell these people, who may handle the complaint's part for their organisation, that it was filed (once per
    part); the notification names the organisation, not the family."""
    plan = plan_of_family(session, family_id)
    if plan is None:
        return []
    staff = _staff(session, organisation_id)  # provider staff only, whoever the caller named
    handlers = [staff[pid] for pid in person_ids if pid in staff]
    return services.write(session, family_id=family_id, plan_id=plan.id, topic=Topic.COMPLAINT_FILED,
                          people=_with_mode(handlers, Topic.COMPLAINT_FILED), detail=organisation_id,
                          dedupe_key=f"complaint:{part_id}")


def rating_to_reply(session: Session, *, family_id: str, plan_id: str, organisation_id: str,
                    rating_id: int) -> list[Notification]:
    """Tell the organisation a rating of it is published and can be answered (once per rating, also when it is
    published again after a report); the notification names the organisation, not the family."""
    return services.write(session, family_id=family_id, plan_id=plan_id, topic=Topic.RATING_TO_REPLY,
                          people=_with_mode(_staff(session, organisation_id).values(), Topic.RATING_TO_REPLY),
                          detail=organisation_id, dedupe_key=f"reply:{rating_id}")


def _about_goal(session: Session, ctx: PlanContext, goal: PlanItem | None, topic: Topic, *, dedupe_key: str,
                detail: str = "", assignment_id: int | None = None) -> list[Notification]:
    """One notification per staff member who helps with the goal (the module's docstring says who) and may see it."""
    if goal is None or goal.deleted_at is not None:
        return []
    facts, made = ctx.policy_item(goal), []
    for assignment in ctx.assignments:
        if (assignment.goal_id != goal.id or assignment.status != "assigned"
                or assignment_id not in (None, assignment.id)):
            continue
        organisation_id, staff = assignment.organisation_id, _staff(session, assignment.organisation_id)
        if topic in TO_THE_HANDLER and assignment.handler_id in staff:
            staff = {assignment.handler_id: staff[assignment.handler_id]}
        people = [person for pid, person in staff.items()
                  if can_view(Actor(pid, Role.PROVIDER_STAFF, organisation_id=organisation_id), facts)]
        made += services.write(session, family_id=ctx.plan.family_id, plan_id=ctx.plan.id, topic=topic,
                               people=_with_mode(people, topic), item_id=goal.id, detail=detail, dedupe_key=dedupe_key)
    return made


def _staff(session: Session, organisation_id: str) -> dict[str, Person]:
    """The organisation's provider staff today, by id."""
    return {person.id: person for person in session.exec(
        select(Person).join(StaffMembership, StaffMembership.person_id == Person.id).where(
            StaffMembership.organisation_id == organisation_id, StaffMembership.role == "provider_staff")).all()}


def _with_mode(people: Iterable[Person], topic: Topic) -> list[tuple[Person, MailMode]]:
    """New work (a goal, a complaint) is e-mailed at once; the rest goes in the daily summary."""
    mode = MailMode.INSTANT if topic in AT_ONCE else MailMode.DIGEST
    return [(person, mode) for person in people]


@signals.goal_agreement.connect
def _goal_agreement(ctx: PlanContext, *, session: Session, goal: PlanItem, state: str) -> None:
    goal_agreement(session, ctx=ctx, goal=goal, state=state)
