"""What provider staff read of their notifications: whether they still may, and the words, made when read.

A goal topic (assignment_new, goal_agreement, verdict_given) points at the assigned goal: its reader sees it while
they are provider staff of an organisation the goal is still assigned to, as on the plan (app.identity.policy: the
goal, never other items). An organisation topic (complaint_filed, rating_to_reply) points at nothing in the plan and
holds the organisation's id in `detail`: a complaint is confidential and a rating anonymous, so its reader is told
neither the family nor the goal, only that there is something for their organisation to handle.
"""

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import Session, select

from app.identity.models import Organisation, StaffMembership
from app.identity.policy import Actor, Role, can_view
from app.notifications.models import ORGANISATION_TOPICS, Notification, Topic
from app.plans.context import PlanContext
from app.plans.models import PlanItem

AGREED, ASKED = "agreed", "asked"  # goal_agreement: everyone agreed to the goal / asked again after a change
CORRECTED = "_corrected"  # verdict_given: the moment (end, evaluation), with this for a professional's correction


def provider_organisations(session: Session, person_id: str) -> set[str]:
    """The organisations where this person is provider staff today."""
    return set(session.exec(select(StaffMembership.organisation_id).where(
        StaffMembership.person_id == person_id, StaffMembership.role == "provider_staff")).all())


def may_read(ctx: PlanContext | None, organisations: set[str], person_id: str, row: Notification,
             item: PlanItem | None) -> bool:
    """Whether provider staff of `organisations` may still read this notification of theirs."""
    if row.topic in ORGANISATION_TOPICS:
        return row.detail in organisations
    if ctx is None or item is None or item.deleted_at is not None:
        return False
    facts = ctx.policy_item(item)
    return any(can_view(Actor(person_id, Role.PROVIDER_STAFF, organisation_id=org), facts) for org in organisations)


def organisation_names(session: Session, rows: list[Notification]) -> dict[str, str]:
    """The names of the organisations the organisation topics among these rows are about."""
    ids = {row.detail for row in rows if row.topic in ORGANISATION_TOPICS}
    if not ids:
        return {}
    return dict(session.exec(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())


def describe(row: Notification, text: str) -> str:
    """The line in the app, in the reader's language, with the goal's text as it is now (goal topics only)."""
    if row.topic == Topic.ASSIGNMENT_NEW:
        return _("A goal is assigned to your organisation: %(text)s", text=text)
    if row.topic == Topic.GOAL_AGREEMENT:
        if row.detail == AGREED:
            return _("Everyone agreed to the goal: %(text)s", text=text)
        return _("The goal changed. The family is asked to agree to it again: %(text)s", text=text)
    if row.topic == Topic.VERDICT_GIVEN:
        if row.detail.endswith(CORRECTED):
            return _("The youth care professional corrected the family's verdict on the goal: %(text)s", text=text)
        if row.detail.startswith("evaluation"):
            return _("The family gave its verdict at the evaluation of the goal: %(text)s", text=text)
        return _("The family gave its verdict on the result of the goal: %(text)s", text=text)
    if row.topic == Topic.COMPLAINT_FILED:
        return _("Someone filed a complaint about your organisation. Start handling it in time.")
    return _("A rating of your organisation is published. You can reply to it.")


def subject(row: Notification) -> str:
    """The e-mail's subject, without any of the family's words."""
    return {
        Topic.ASSIGNMENT_NEW: _("A goal is assigned to your organisation"),
        Topic.GOAL_AGREEMENT: _("News about the agreement on a goal you help with"),
        Topic.VERDICT_GIVEN: _("The family gave its verdict on a result"),
        Topic.COMPLAINT_FILED: _("A complaint about your organisation"),
    }.get(row.topic) or _("A rating you can reply to")


def body(row: Notification) -> str:
    """The e-mail's one sentence, without names or the family's words."""
    if row.topic == Topic.ASSIGNMENT_NEW:
        return _("The municipality gave your organisation the help for a family's goal. Sign in to see the goal.")
    if row.topic == Topic.GOAL_AGREEMENT:
        if row.detail == AGREED:
            return _("Everyone who had to agree said yes to a goal your organisation helps with.")
        return _("A goal your organisation helps with changed. The family is asked to agree to it again.")
    if row.topic == Topic.VERDICT_GIVEN:
        if row.detail.endswith(CORRECTED):
            return _("The youth care professional corrected the family's verdict on a goal your organisation helps "
                     "with.")
        return _("The family gave its verdict on a goal your organisation helps with.")
    if row.topic == Topic.COMPLAINT_FILED:
        return _("Someone filed a complaint about your organisation. The deadlines for handling it have started.")
    return _("A rating of your organisation is published. You can reply to it in public.")


def digest_line(topic: Topic, count: int) -> str:
    """One line of the daily summary: how many of one kind."""
    return {
        Topic.ASSIGNMENT_NEW: ngettext("%(num)d goal assigned to your organisation",
                                       "%(num)d goals assigned to your organisation", count),
        Topic.GOAL_AGREEMENT: ngettext("%(num)d change in the agreement on a goal you help with",
                                       "%(num)d changes in the agreement on goals you help with", count),
        Topic.VERDICT_GIVEN: ngettext("%(num)d family verdict on a result", "%(num)d family verdicts on results",
                                      count),
        Topic.COMPLAINT_FILED: ngettext("%(num)d complaint about your organisation",
                                        "%(num)d complaints about your organisation", count),
        Topic.RATING_TO_REPLY: ngettext("%(num)d rating to reply to", "%(num)d ratings to reply to", count),
    }[topic]
