"""The words of rating notifications (in the app and by e-mail), made in the reader's language when read."""

from flask_babel import gettext as _

from app.notifications.models import Notification, Topic
from app.ratings.vocab import REJECT_REASONS


def describe(row: Notification, goal_text: str) -> str:
    """The line in the app: what happened, with the goal the help was for."""
    if row.topic == Topic.RATING_ASKED:
        if row.detail == "ended":
            return _("The help for this goal has ended. How was it? Give your rating: %(text)s", text=goal_text)
        return _("You have had help for 3 months. How is it going? Give your rating: %(text)s", text=goal_text)
    if row.detail == "published":
        return _("Your rating is checked and published. Thank you! Goal: %(text)s", text=goal_text)
    return _("Your rating was not published. %(reason)s You can change it and send it again.",
             reason=str(REJECT_REASONS.get(row.detail, "")))


def subject(row: Notification) -> str:
    """The e-mail's subject."""
    if row.topic == Topic.RATING_ASKED:
        return _("How was the help? Give your rating")
    if row.detail == "published":
        return _("Your rating is published")
    return _("Your rating was not published")


def body(row: Notification) -> str:
    """The e-mail's sentence, without the family's words (the reason is a rule of the code of conduct)."""
    if row.topic == Topic.RATING_ASKED:
        return _("You can now rate the help your family got. Every family is asked. Your name is never shown.")
    if row.detail == "published":
        return _("The editors checked your rating and published it without your name.")
    return _("The editors did not publish your rating: %(reason)s You can change it and send it again.",
             reason=str(REJECT_REASONS.get(row.detail, "")))
