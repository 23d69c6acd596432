"""Forms of the identity feature: the person's own profile."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.web.forms import BaseForm, at_most
from app.web.i18n import AUTONYMS


class ProfileForm(BaseForm):
    """What a person may change about themselves: the name others see, and their language."""

    given_name = StringField(_l("Your first name, as others see it"),
                             validators=[InputRequired(_l("Fill in your name.")),
                                         at_most(100)])
    language = RadioField(_l("Language for pages, e-mails and documents"),
                          choices=[SelectChoice(code, name) for code, name in AUTONYMS.items()],
                          validators=[InputRequired(_l("Choose a language."))],
                          validate_choice=False)  # the service says "choose a language" in the right words





