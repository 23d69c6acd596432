"""The complaint forms; the services check the rules and their messages come back onto these fields."""

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.complaints.vocab import OUTCOMES
from app.web.forms import BaseForm


class LenientInteger(IntegerField):
    """A whole number; anything else becomes None and the service explains what is wanted."""

    def process_formdata(self, valuelist) -> None:
        try:
            self.data = int(valuelist[0]) if valuelist and valuelist[0].strip() else None
        except ValueError:
            self.data = None


class ComplaintForm(BaseForm):
    """A new complaint: about whom, what happened, what should happen, and whether they may know who it is."""

    about = SelectMultipleField(_l("Who or what is your complaint about?"), choices=[], validate_choice=False)
    text = TextAreaField(_l("What happened?"))
    wish = TextAreaField(_l("What would you like to happen? (you may skip this)"))
    about_person = SelectField(_l("Is it about one person? (you may skip this)"), choices=[], validate_choice=False)
    shares_identity = BooleanField(_l("The person my complaint is about may know it is from me"))
    client_id = HiddenField()

    def fresh(self) -> "ComplaintForm":
        """Give a new form its own id, so sending it twice files one complaint."""
        if not self.client_id.data:
            self.client_id.data = secrets.token_hex(16)
        return self


class MessageForm(BaseForm):
    """A message in a part's conversation."""

    part_id = HiddenField()
    text = TextAreaField(_l("Your message"))


class AttachmentForm(BaseForm):
    """A photo or PDF for the complaint."""

    file = FileField(_l("Photo or PDF (at most 10 MB)"))


class SatisfactionForm(BaseForm):
    """After closure: are you satisfied with how your complaint was handled?"""

    part_id = HiddenField()
    answer = RadioField(_l("Are you satisfied with how your complaint was handled?"), validate_choice=False,
                        choices=[SelectChoice("yes", _l("Yes, I am satisfied")),
                                 SelectChoice("reopen", _l("No: please look at my complaint again")),
                                 SelectChoice("next", _l("No: show me where I can go next"))])


class AssignForm(BaseForm):
    """Who handles this part."""

    handler_id = SelectField(_l("Who handles this complaint?"), choices=[], validate_choice=False)


class StatusForm(BaseForm):
    """Being handled, or a conversation planned."""

    status = RadioField(_l("Status"), validate_choice=False,
                        choices=[SelectChoice("in_progress", _l("Being handled")),
                                 SelectChoice("meeting_planned", _l("Conversation planned"))])
    note = TextAreaField(_l("When and where is the conversation?"))


class ExtendForm(BaseForm):
    """More time: an extension with a reason, or the advisory committee (municipality only)."""

    kind = RadioField(_l("What do you need?"), validate_choice=False,
                      choices=[SelectChoice("extension", _l("An extension (at most 4 weeks)")),
                               SelectChoice("committee",
                                            _l("An advisory committee (10 weeks in total, municipality only)"))])
    days = LenientInteger(_l("Extra days"))
    reason = TextAreaField(_l("Reason (the complainant reads this)"))


class JudgeForm(BaseForm):
    """The written, reasoned judgement."""

    outcome = RadioField(_l("Judgement"), validate_choice=False,
                         choices=[SelectChoice(k, v) for k, v in OUTCOMES.items()])
    judgement = TextAreaField(_l("Reasons (the complainant reads this)"))


class ReactionForm(BaseForm):
    """The provider's reaction to the committee's judgement (Jeugdwet 4.2.1 lid 5)."""

    reaction = TextAreaField(_l("Which measures does your organisation take, or why none? (the complainant reads "
                                "this)"))


class ForwardForm(BaseForm):
    """Pass a provider's part on to the municipality."""

    reason = TextAreaField(_l("Why does the municipality handle this? (the complainant reads this)"))


class CloseForm(BaseForm):
    """Close the part (only after the judgement)."""
