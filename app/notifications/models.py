"""Notifications and the choices each person makes about them; rows hold references, never the family's text."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow
from app.core.db import UTCDateTime


class Topic(enum.StrEnum):
    """What a person can hear about."""

    AGREEMENT_ASKED = "agreement_asked"
    PLAN_FIXED = "plan_fixed"
    ACTION_DUE = "action_due"
    GOAL_CHANGED = "goal_changed"
    RATING_ASKED = "rating_asked"
    RATING_CHECKED = "rating_checked"
    # Provider staff (zorgaanbieder): their organisation's goals, complaints and ratings (app.notifications.providers)
    ASSIGNMENT_NEW = "assignment_new"
    GOAL_AGREEMENT = "goal_agreement"
    VERDICT_GIVEN = "verdict_given"
    COMPLAINT_FILED = "complaint_filed"
    RATING_TO_REPLY = "rating_to_reply"

    @property
    def label(self) -> str:
        return str(TOPIC_LABELS[self])

    @property
    def hint(self) -> str:
        return str(TOPIC_HINTS[self])


TOPIC_LABELS = {
    Topic.AGREEMENT_ASKED: _l("You are asked to agree"),
    Topic.PLAN_FIXED: _l("The plan is fixed"),
    Topic.ACTION_DUE: _l("Something you do is due"),
    Topic.GOAL_CHANGED: _l("A goal you follow changes"),
    Topic.RATING_ASKED: _l("You can rate the help"),
    Topic.RATING_CHECKED: _l("Your rating was checked"),
    Topic.ASSIGNMENT_NEW: _l("A goal is assigned to your organisation"),
    Topic.GOAL_AGREEMENT: _l("The agreement on a goal you help with"),
    Topic.VERDICT_GIVEN: _l("The family's verdict on a result"),
    Topic.COMPLAINT_FILED: _l("A complaint about your organisation"),
    Topic.RATING_TO_REPLY: _l("A rating you can reply to"),
}
TOPIC_HINTS = {
    Topic.AGREEMENT_ASKED: _l("When the plan is ready and your yes or no is needed."),
    Topic.PLAN_FIXED: _l("When everyone agreed and the plan is final."),
    Topic.ACTION_DUE: _l("The day before, on the day, and once when it is late."),
    Topic.GOAL_CHANGED: _l("Goals you wrote, that are about you, with a task of yours, or that you agreed on."),
    Topic.RATING_ASKED: _l("When help ended, or after 3 months of help."),
    Topic.RATING_CHECKED: _l("Whether your rating is published, and if not, why."),
    Topic.ASSIGNMENT_NEW: _l("When the municipality gives your organisation the help for a family's goal. E-mail "
                             "comes at once."),
    Topic.GOAL_AGREEMENT: _l("When everyone agreed to the goal, or is asked again after a change. Only to the "
                             "goal's handler, if it has one. E-mail comes in the daily summary."),
    Topic.VERDICT_GIVEN: _l("When the family's verdict on the result of a goal you help with is set or corrected. "
                            "Only to the goal's handler, if it has one. E-mail comes in the daily summary."),
    Topic.COMPLAINT_FILED: _l("When someone files a complaint that you may handle. E-mail comes at once."),
    Topic.RATING_TO_REPLY: _l("When a rating of your organisation is published. E-mail comes in the daily "
                              "summary."),
}


class Channel(enum.StrEnum):
    """How a person hears about it."""

    APP = "app"
    EMAIL = "email"


# Everything in the app; e-mail for what asks something of you or is final; goal changes only in the app.
DEFAULTS = {
    (Topic.AGREEMENT_ASKED, Channel.APP): True, (Topic.AGREEMENT_ASKED, Channel.EMAIL): True,
    (Topic.PLAN_FIXED, Channel.APP): True, (Topic.PLAN_FIXED, Channel.EMAIL): True,
    (Topic.ACTION_DUE, Channel.APP): True, (Topic.ACTION_DUE, Channel.EMAIL): True,
    (Topic.GOAL_CHANGED, Channel.APP): True, (Topic.GOAL_CHANGED, Channel.EMAIL): False,
    (Topic.RATING_ASKED, Channel.APP): True, (Topic.RATING_ASKED, Channel.EMAIL): True,
    (Topic.RATING_CHECKED, Channel.APP): True, (Topic.RATING_CHECKED, Channel.EMAIL): True,
    # Provider staff: e-mail at once for new work (a goal, a complaint); the family's verdict and ratings to reply to
    # in the daily summary; the agreement on a goal only in the app unless they choose it.
    (Topic.ASSIGNMENT_NEW, Channel.APP): True, (Topic.ASSIGNMENT_NEW, Channel.EMAIL): True,
    (Topic.GOAL_AGREEMENT, Channel.APP): True, (Topic.GOAL_AGREEMENT, Channel.EMAIL): False,
    (Topic.VERDICT_GIVEN, Channel.APP): True, (Topic.VERDICT_GIVEN, Channel.EMAIL): True,
    (Topic.COMPLAINT_FILED, Channel.APP): True, (Topic.COMPLAINT_FILED, Channel.EMAIL): True,
    (Topic.RATING_TO_REPLY, Channel.APP): True, (Topic.RATING_TO_REPLY, Channel.EMAIL): True,
}
GOAL_TOPICS = (Topic.ASSIGNMENT_NEW, Topic.GOAL_AGREEMENT, Topic.VERDICT_GIVEN)  # item_id: the assigned goal
ORGANISATION_TOPICS = (Topic.COMPLAINT_FILED, Topic.RATING_TO_REPLY)  # no item; detail: the organisation's id
PROVIDER_TOPICS = GOAL_TOPICS + ORGANISATION_TOPICS
FAMILY_TOPICS = tuple(topic for topic in Topic if topic not in PROVIDER_TOPICS)
AT_ONCE = (Topic.ASSIGNMENT_NEW, Topic.COMPLAINT_FILED)  # provider topics e-mailed at once; the rest in the digest
DIVIDED = {"end": "divided", "evaluation": "divided_evaluation"}  # Notification.detail of result_divided
HELP = {"chosen": "help_chosen", "assigned": "help_assigned", "refused": "help_refused"}  # help_* details
TOPICS_SQL = ("topic IN ('agreement_asked', 'plan_fixed', 'action_due', 'goal_changed', 'rating_asked', "
              "'rating_checked', 'assignment_new', 'goal_agreement', 'verdict_given', 'complaint_filed', "
              "'rating_to_reply', 'progress_note')")


class MailMode(enum.StrEnum):
    """How a notification goes out by e-mail: not, at once (family; provider staff for AT_ONCE), or in the daily
    digest (professionals; provider staff for the rest)."""

    NONE = "none"
    INSTANT = "instant"
    DIGEST = "digest"


class NotificationPreference(SQLModel, table=True):
    """One person's choice for one topic and channel (no row: the default)."""

    __tablename__ = "notification_preference"
    __table_args__ = (
        sa.CheckConstraint(TOPICS_SQL, name="topic_known"),
        sa.CheckConstraint("channel IN ('app', 'email')", name="channel_known"),
    )

    person_id: str = Field(foreign_key="person.id", primary_key=True, max_length=20)
    topic: str = Field(primary_key=True, max_length=20)
    channel: str = Field(primary_key=True, max_length=10)
    is_on: bool
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Notification(SQLModel, table=True):
    """Something a person should hear about: who, which plan and item, what kind; the text is made when read."""

    __tablename__ = "notification"
    __table_args__ = (
        sa.CheckConstraint(TOPICS_SQL, name="topic_known"),
        sa.CheckConstraint("mail IN ('none', 'instant', 'digest')", name="mail_known"),
        sa.UniqueConstraint("person_id", "dedupe_key", name="once_per_key"),
        sa.Index("ix_notification_person_created", "person_id", "created_at"),
        sa.Index("ix_notification_mail_pending", "mail", "emailed_at", "digested_at"),
        # the header's unread count (app.notifications.unread): only the unread rows, newest first by id
        sa.Index("ix_notification_unread", "person_id", "id", sqlite_where=sa.text("read_at IS NULL"),
                 postgresql_where=sa.text("read_at IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(foreign_key="person.id", max_length=20)
    family_id: str = Field(foreign_key="family.id", max_length=20)  # the plan's (the unread count reads it)
    plan_id: str = Field(foreign_key="plan.id", max_length=20)
    topic: str = Field(max_length=20)
    item_id: str | None = Field(default=None, foreign_key="plan_item.id", max_length=20)
    actor_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)  # who made the change
    detail: str = Field(default="", max_length=20)  # a code: create/update/delete/restore, today/tomorrow/overdue
    due_date: date | None = None  # an action's due date when it was announced
    dedupe_key: str | None = Field(default=None, max_length=80)  # "due:<item>:<date>:<when>": once only
    in_app: bool = True
    mail: str = Field(default=MailMode.NONE, max_length=10)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    emailed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    digested_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class GoalFollow(SQLModel, table=True):
    """A person's own choice to follow a goal or not (overrides following it automatically)."""

    __tablename__ = "goal_follow"

    person_id: str = Field(foreign_key="person.id", primary_key=True, max_length=20)
    item_id: str = Field(foreign_key="plan_item.id", primary_key=True, max_length=20)
    is_following: bool
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
