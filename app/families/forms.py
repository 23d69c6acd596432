"""Forms of families: a new family, and the period of its access log."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Optional

from app.web.forms import BaseForm, DateInput, at_most


class FamilyForm(BaseForm):
    """A professional opens a family."""

    name = StringField(_l("Family name"), validators=[InputRequired(_l("Fill in the family name.")),
                                                      at_most(200)])


class PeriodForm(BaseForm):
    """The period of the access log to show."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    start = DateInput(_l("From"), validators=[Optional()])
    end = DateInput(_l("Until"), validators=[Optional()])
