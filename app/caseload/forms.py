"""The work list's forms: the filters (a GET form: it works without JavaScript and its address can be shared), and
giving a goal to a colleague."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice

from app.caseload.vocab import SCOPES, SORTS, STATUSES
from app.web.forms import BaseForm


def _choices(words: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in words.items()]


class FilterForm(BaseForm):
    """Whose goals, which status, the order and the page; a value that is not offered counts as the default."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    scope = SelectField(_l("Whose goals"), choices=_choices(SCOPES), default="mine", validate_choice=False)
    status = SelectField(_l("Status"), choices=[SelectChoice("", _l("Every status")), *_choices(STATUSES)],
                         default="", validate_choice=False)
    sort = SelectField(_l("Sort by"), choices=_choices(SORTS), default="status", validate_choice=False)
    page = HiddenField(default="1")  # from the pager's links; a changed filter starts again at the first page

    def values(self) -> dict[str, str]:
        """The chosen values, each one of the choices (the default otherwise); the form shows them."""
        for field in (self.scope, self.status, self.sort):
            if field.data not in {choice.value for choice in field.choices}:
                field.data = field.default
        return {"scope": self.scope.data, "status": self.status.data, "sort": self.sort.data,
                "page": self.page.data or "1"}


class HandlerForm(BaseForm):
    """Give a goal to a colleague: the choices are the organisation's staff, checked again by the service."""

    handler_id = SelectField(_l("Who handles this goal"), choices=[], validate_choice=False)
