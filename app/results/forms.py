"""Forms of result judging. Choices are checked by the services (their message goes back onto the field)."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.results.vocab import CHILD_VERDICTS, INDEPENDENCE, STOP_REASONS, VERDICTS
from app.web.forms import BaseForm, DateInput, at_most


class JudgeForm(BaseForm):
    """One person's verdict and why."""

    verdict = RadioField(_l("Was the result reached?"), choices=[], validate_choice=False)
    explanation = TextAreaField(_l("Why do you think so?"), validators=[at_most(2000)])

    def fill(self, *, child: bool) -> "JudgeForm":
        """The words of the choices in the reader's language; a child gets the smiley version."""
        if child:
            self.verdict.label.text = _l("How did it go?")
            self.explanation.label.text = _l("Do you want to say more? (you may skip this)")
            self.verdict.choices = [SelectChoice(k, f"{face} {label}") for k, (face, label) in CHILD_VERDICTS.items()]
        else:
            self.verdict.choices = [SelectChoice(k, str(label)) for k, label in VERDICTS.items()]
        return self


class CorrectForm(BaseForm):
    """The professional corrects the family verdict."""

    verdict = RadioField(_l("The corrected family verdict"), choices=[], validate_choice=False)
    reason = TextAreaField(_l("Why is it corrected?"), validators=[at_most(2000)])

    def fill(self) -> "CorrectForm":
        self.verdict.choices = [SelectChoice(k, str(label)) for k, label in VERDICTS.items()]
        return self


class ConversationForm(BaseForm):
    """The professional's record of a conversation about differing verdicts."""

    text = TextAreaField(_l("What did you talk about, and what did you agree?"), validators=[at_most(4000)])


class OutcomeForm(BaseForm):
    """The national outcome items: how useful the help was, and going on without help."""

    usefulness = RadioField(_l("How useful was the help for you? 1 is not useful at all, 10 is very useful."),
                            choices=[SelectChoice(str(n), str(n)) for n in range(1, 11)], validate_choice=False)
    independence = RadioField(_l("Can you go on without help?"), choices=[], validate_choice=False)

    def fill(self) -> "OutcomeForm":
        self.independence.choices = [SelectChoice(k, str(label)) for k, label in INDEPENDENCE.items()]
        return self

    def score(self) -> int | None:
        """The score as a number, or None when it is not a whole number."""
        value = (self.usefulness.data or "").strip()
        return int(value) if value.isdigit() and len(value) <= 3 else None


class StartForm(BaseForm):
    """The provider records when the help started."""

    started_on = DateInput(_l("The help started on"))


class StopForm(BaseForm):
    """The provider records when and why the help stopped."""

    stopped_on = DateInput(_l("The help stopped on"))
    reason = SelectField(_l("Why did the help stop?"), choices=[], validate_choice=False)

    def fill(self) -> "StopForm":
        reasons = [SelectChoice(k, str(label)) for k, label in STOP_REASONS.items()]
        self.reason.choices = [SelectChoice("", "—"), *reasons]
        return self
