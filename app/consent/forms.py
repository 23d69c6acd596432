"""Forms of consent."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.web.forms import BaseForm, at_most


class ConsentForm(BaseForm):
    """Agree or not to help for a youth, with a reason when not."""

    decision = RadioField(_l("Your decision"), choices=[SelectChoice("given", _l("Yes, I agree")),
                                                        SelectChoice("refused", _l("No, I do not agree"))],
                          validators=[InputRequired(_l("Choose yes or no."))], validate_choice=False)
    reason = TextAreaField(_l("Why? (needed when you do not agree)"),
                           validators=[at_most(2000)])
