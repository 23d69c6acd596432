"""Forms of invitations: who a professional invites, and the code the invited person types."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from app.web.forms import BaseForm, DateInput, at_most
from app.web.i18n import AUTONYMS

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


class CodeForm(BaseForm):
    """Someone types the code from their invitation."""

    code = StringField(_l("Invitation code"), validators=[InputRequired(_l("Fill in the code from your invitation.")),
                                                          at_most(40)],
                       render_kw={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"})
