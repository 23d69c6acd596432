"""Forms of the notifications feature."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField

from app.notifications.models import DEFAULTS, PROVIDER_TOPICS, Channel, Topic
from app.web.forms import BaseForm, at_most

CHANNEL_LABELS = {Channel.APP: _l("In the app"), Channel.EMAIL: _l("By e-mail")}
GROUP_LABELS = (_l("About the family plan"), _l("About your organisation's work"))


class PreferencesForm(BaseForm):
    """What a person hears about (per topic they can hear about) and how (in the app, by e-mail)."""

    email = StringField(_l("Your e-mail address"), validators=[at_most(254)],
                        render_kw={"type": "email", "inputmode": "email", "spellcheck": "false"})
    topics: tuple[Topic, ...] = tuple(Topic)

    def showing(self, topics: list[Topic]) -> "PreferencesForm":
        """Ask only about these topics (services.topics_for): a box not shown is not saved as off."""
        self.topics = tuple(topics)
        return self

    def choices(self) -> dict[tuple[Topic, Channel], bool]:
        """The ticked boxes as (topic, channel) → on."""
        return {(topic, channel): bool(self[field_name(topic, channel)].data)
                for topic in self.topics for channel in Channel}

    def rows(self) -> list[tuple[Topic, list]]:
        """Per topic its checkboxes, in the order of the channels."""
        return [(topic, [self[field_name(topic, channel)] for channel in Channel]) for topic in self.topics]

    def groups(self) -> list[tuple[str, list[tuple[Topic, list]]]]:
        """The rows of the family plan and of the organisation's work, each with a heading when both are shown."""
        rows = self.rows()
        family = [row for row in rows if row[0] not in PROVIDER_TOPICS]
        provider = [row for row in rows if row[0] in PROVIDER_TOPICS]
        if family and provider:
            return [(str(GROUP_LABELS[0]), family), (str(GROUP_LABELS[1]), provider)]
        return [("", rows)] if rows else []

    def fill(self, choices: dict[tuple[Topic, Channel], bool], email: str | None) -> "PreferencesForm":
        """Show the saved choices."""
        for (topic, channel), on in choices.items():
            self[field_name(topic, channel)].data = on
        self.email.data = email or ""
        return self


def field_name(topic: Topic, channel: Channel) -> str:
    """The checkbox of one topic and channel."""
    return f"{topic.value}_{channel.value}"


for _topic, _channel in DEFAULTS:
    setattr(PreferencesForm, field_name(_topic, _channel), BooleanField(CHANNEL_LABELS[_channel]))


class FollowForm(BaseForm):
    """Follow a goal, or stop following it."""

    follow = HiddenField()
