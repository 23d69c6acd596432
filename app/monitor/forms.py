"""The monitor's filters: a GET form, so a view can be bookmarked and the CSV link carries the same filters."""

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError

from app.catalog.forms import Choice
from app.catalog.vocab import CATEGORIES
from app.core.clock import add_months, today
from app.web.forms import BaseForm

DEFAULT_MONTHS = 12
MAX_MONTHS = 24  # two years: enough to compare a month with the same month a year before
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str | None) -> date | None:
    """'2026-03' as 1 March 2026; None when it is not a month."""
    found = MONTH.match((text or "").strip())
    return date(int(found.group(1)), int(found.group(2)), 1) if found else None


class MonthField(StringField):
    """A month as YYYY-MM (the browser's month picker sends that); empty means the default."""

    def pre_validate(self, form) -> None:
        if self.data and parse_month(self.data) is None:
            raise ValidationError(_l("Fill in a month as year-month, for example 2026-03."))


class MonitorForm(BaseForm):
    """From and to month, municipality (when you work for several) and product category."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    van = MonthField(_l("From month"))
    tot = MonthField(_l("To month"))
    gemeente = Choice(_l("Municipality"))
    soort = Choice(_l("Type of help"))

    def fill_choices(self, municipalities: list) -> "MonitorForm":
        """Offer the person's own municipalities (all together first when there are several) and the categories."""
        own = [(m.cbs_code, m.name) for m in sorted(municipalities, key=lambda m: m.name)]
        self.gemeente.choices = ([("", str(_l("All my municipalities together")))] if len(own) > 1 else []) + own
        if len(own) == 1:
            self.gemeente.data = self.gemeente.data or own[0][0]
        self.soort.choices = [("", str(_l("All types of help")))] + [
            (code, f"{code} {label}") for code, label in CATEGORIES.items()]
        return self

    def validate_tot(self, field) -> None:
        first, last = self.months()
        if last < first:
            raise ValidationError(_l("The last month comes before the first month."))
        if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
            raise ValidationError(_l("Choose at most %(months)d months.", months=MAX_MONTHS))

    def months(self) -> tuple[date, date]:
        """The first and last month shown: by default the last 12 months, this one included."""
        last = parse_month(self.tot.data) or today().replace(day=1)
        first = parse_month(self.van.data) or add_months(last, 1 - DEFAULT_MONTHS)
        return first, last
