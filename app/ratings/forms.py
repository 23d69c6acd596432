"""The forms of ratings: the rating (or its smiley version), the redactie's decision, a report, a reply."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.ratings.vocab import ASPECTS, MAX_WORDS, REJECT_REASONS, SMILEYS
from app.web.forms import BaseForm

SCORES = [SelectChoice(str(n), str(n)) for n in range(1, 11)]


class ScoreField(RadioField):
    """A score from 1 to 10 as ten buttons; what was sent is kept as typed, the service checks it."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, choices=SCORES, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist) -> None:
        self.data = (valuelist[0] if valuelist else "")[:10]


class RatingForm(BaseForm):
    """A rating: an overall score, the aspects, a text and (internal) the jeugdprofessional."""

    overall = ScoreField(_l("Your overall score"))
    heard = ScoreField(ASPECTS["heard"])
    decided = ScoreField(ASPECTS["decided"])
    reachable = ScoreField(ASPECTS["reachable"])
    result = ScoreField(ASPECTS["result"])
    text = TextAreaField(_l("Tell others about your experience (at most %(max)d words)", max=MAX_WORDS))
    professional_score = ScoreField(_l("Your score for your youth care professional"))
    version = HiddenField()

    def values(self) -> dict[str, str]:
        """What was sent, as the service checks it."""
        return {name: self[name].data or "" for name in ("overall", *ASPECTS, "professional_score", "text")}


class ChildRatingForm(BaseForm):
    """The smiley version for a child under 12."""

    smiley = RadioField(_l("How was the help?"), validate_choice=False,
                        choices=[SelectChoice(k, label) for k, (_icon, label) in SMILEYS.items()])
    text = TextAreaField(_l("Do you want to tell something? (you may skip this)"))
    version = HiddenField()

    def values(self) -> dict[str, str]:
        """What was sent, as the service checks it."""
        return {"smiley": self.smiley.data or "", "text": self.text.data or ""}


class RejectForm(BaseForm):
    """The rule of the code of conduct the rating breaks."""

    reason = RadioField(_l("Which rule does it break?"), validate_choice=False,
                        choices=[SelectChoice(k, v) for k, v in REJECT_REASONS.items()])


class ReportForm(BaseForm):
    """Report a published rating (optional: why)."""

    reason = TextAreaField(_l("What is wrong with it? (you may skip this)"))


class ReplyForm(BaseForm):
    """The provider's public reply."""

    text = TextAreaField(_l("Your public reply (at most %(max)d words)", max=MAX_WORDS))
