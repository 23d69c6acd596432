"""The words of the work list: the status of a goal's help, whose goals to show and how to sort them."""

from datetime import date
from functools import lru_cache

from babel.dates import format_date
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from app.web.labels import family_surname

STATUSES = {
    "to_start": _l("To start"),  # assigned, the help has not started
    "in_care": _l("In care"),  # started, not stopped
    "to_judge": _l("To judge"),  # stopped, the family verdict is not set yet
    "stopped": _l("Ended and judged"),  # stopped, the family verdict is set
}
SCOPES = {
    "mine": _l("Mine, and not given to anyone yet"),
    "all": _l("Everything of the organisation"),
}
SORTS = {
    "status": _l("Status"),
    "assigned": _l("Assigned on"),
    "evaluate": _l("Evaluate by"),
    "family": _l("Family"),
}


class ListWords:
    """The words a list of hundreds of goals repeats in every row, looked up once per page in the reader's language:
    each status, each day (a long list repeats the same few dates), and how a family is named."""

    def __init__(self) -> None:
        self.language = str(get_locale())
        self.statuses = {code: str(label) for code, label in STATUSES.items()}
        # without values gettext gives the translated pattern, filled in per row below
        self._named, self._unnamed = gettext("Family %(name)s"), gettext("%(initials)s in %(town)s")

    def day(self, value: date | None) -> str:
        """A day in the table (CLDR "medium", as app.web.dates.short_day), or a dash."""
        return _short_day(value, self.language) if value else "—"

    def family(self, row) -> str:
        """The family's name once the help has started; before that its initials and town."""
        if row.named:
            return self._named % {"name": family_surname(row.family_name)}
        return self._unnamed % {"initials": row.initials, "town": row.town}


@lru_cache(maxsize=4096)
def _short_day(value: date, language: str) -> str:
    return format_date(value, "medium", locale=language)
