"""The child view's forms: something for a house (a picture and a few words), a check-in, and the choice of view."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField

from app.children.vocab import WORDS_MAX
from app.web.forms import BaseForm, at_most


class EntryForm(BaseForm):
    """Something for one house: a picture, and a few words if the child wants (typed or spoken)."""

    picture = RadioField(_l("Choose a picture"), choices=[], validate_choice=False)
    words = StringField(_l("A few words (you may leave this empty)"), validators=[at_most(WORDS_MAX)])


class CheckInForm(BaseForm):
    """One of five faces: each face is its own button."""

    face = HiddenField()


class ViewForm(BaseForm):
    """Which view of the plan: the whole plan ('adult') or one's own ('own')."""

    view = HiddenField()
