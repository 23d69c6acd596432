"""Forms of running Ons Plan: a new organisation, inviting staff, and the catalog search's words."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.web.forms import BaseForm, at_most
from app.web.i18n import AUTONYMS


class OrganisationForm(BaseForm):
    """A functional manager adds an organisation."""

    name = StringField(_l("Name of the organisation"), validators=[InputRequired(_l("Fill in the name of the "
                                                                                    "organisation.")), at_most(200)])
    kind = RadioField(_l("What kind of organisation?"),
                      choices=[SelectChoice("provider", _l("A care provider")),
                               SelectChoice("municipality", _l("A team of the municipality (for example a "
                                                               "gebiedsteam)"))],
                      validators=[InputRequired(_l("Choose what kind of organisation it is."))], validate_choice=False)
    agb_code = StringField(_l("AGB code (for a care provider)"), validators=[at_most(20)],
                           render_kw={"inputmode": "numeric", "autocomplete": "off"})
    kvk_number = StringField(_l("KvK number (optional)"), validators=[at_most(20)],
                             render_kw={"inputmode": "numeric", "autocomplete": "off"})


class StaffInviteForm(BaseForm):
    """A manager invites someone to work at an organisation (the roles are set per organisation)."""

    role = RadioField(_l("Role"), choices=[], validators=[InputRequired(_l("Choose a role."))], validate_choice=False)
    given_name = StringField(_l("First name"), validators=[InputRequired(_l("Fill in the first name.")), at_most(100)])
    family_name = StringField(_l("Surname"), validators=[at_most(100)])
    email = StringField(_l("Work e-mail address"), validators=[InputRequired(_l("Fill in the e-mail address.")),
                                                               at_most(254)],
                        render_kw={"type": "email", "inputmode": "email", "autocomplete": "off"})
    language = RadioField(_l("Language of the invitation"),
                          choices=[SelectChoice(code, name) for code, name in AUTONYMS.items()],
                          default="nl", validators=[InputRequired(_l("Choose a language."))], validate_choice=False)


class ThesaurusForm(BaseForm):
    """A functional manager saves a new version of the catalog search's words."""

    text = TextAreaField(_l("The search words (thesaurus)"), validators=[InputRequired(_l(
        "Fill in the thesaurus."))], render_kw={"spellcheck": "false", "autocomplete": "off", "rows": 24})
    note = StringField(_l("What did you change, and why?"), validators=[InputRequired(_l(
        "Say what you changed, for the next person.")), at_most(300)])
