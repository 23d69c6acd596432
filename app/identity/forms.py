"""Forms of the identity feature."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from app.web.forms import BaseForm, DateInput
from app.web.i18n import AUTONYMS


def at_most(length: int) -> Length:
    """A length limit whose message is in the person's language."""
    return Length(max=length, message=_l("Use at most %(max)d characters."))


class ProfileForm(BaseForm):
    """What a person may change about themselves: the name others see, and their language."""

    given_name = StringField(_l("Your first name, as others see it"),
                             validators=[InputRequired(_l("Fill in your name.")),
                                         at_most(100)])
    language = RadioField(_l("Language for pages, e-mails and documents"),
                          choices=[SelectChoice(code, name) for code, name in AUTONYMS.items()],
                          validators=[InputRequired(_l("Choose a language."))],
                          validate_choice=False)  # the service says "choose a language" in the right words


ROLE_CHOICES = [
    SelectChoice("parent", _l("Parent")),
    SelectChoice("youth", _l("Young person")),
    SelectChoice("network", _l("Network (for example grandparent, neighbour, teacher)")),
]


class InviteForm(BaseForm):
    """A professional invites someone into a family."""

    role = RadioField(_l("Role in the family"), choices=ROLE_CHOICES, validators=[InputRequired(_l("Choose a role."))],
                      validate_choice=False)
    has_custody = BooleanField(_l("Has parental authority (gezag)"))
    given_name = StringField(_l("First name"), validators=[InputRequired(_l("Fill in the first name.")),
                                                            at_most(100)])
    family_name = StringField(_l("Surname"), validators=[at_most(100)])
    birthdate = DateInput(_l("Date of birth (for a young person)"), validators=[Optional()],
                          render_kw={"min": "1900-01-01"})
    email = StringField(_l("E-mail address (optional)"), validators=[at_most(254)],
                        render_kw={"type": "email", "inputmode": "email"})
    language = RadioField(_l("Language of the invitation"),
                          choices=[SelectChoice(code, name) for code, name in AUTONYMS.items()],
                          default="nl", validators=[InputRequired(_l("Choose a language."))], validate_choice=False)


class FamilyForm(BaseForm):
    """A professional opens a family."""

    name = StringField(_l("Family name"), validators=[InputRequired(_l("Fill in the family name.")),
                                                      at_most(200)])


class CodeForm(BaseForm):
    """Someone types the code from their invitation."""

    code = StringField(_l("Invitation code"), validators=[InputRequired(_l("Fill in the code from your invitation.")),
                                                          at_most(40)],
                       render_kw={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"})


class ConsentForm(BaseForm):
    """Agree or not to help for a youth, with a reason when not."""

    decision = RadioField(_l("Your decision"), choices=[SelectChoice("given", _l("Yes, I agree")),
                                                        SelectChoice("refused", _l("No, I do not agree"))],
                          validators=[InputRequired(_l("Choose yes or no."))], validate_choice=False)
    reason = TextAreaField(_l("Why? (needed when you do not agree)"),
                           validators=[at_most(2000)])


class PeriodForm(BaseForm):
    """The period of the access log to show."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    start = DateInput(_l("From"), validators=[Optional()])
    end = DateInput(_l("Until"), validators=[Optional()])
