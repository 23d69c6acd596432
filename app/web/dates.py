"""Dates, times and percentages in the reader's language: one named Babel format per kind, no patterns by hand.

A day is CLDR's "long" date (14 februari 2027, 14 Febrewaris 2027, February 14, 2027), in a table its "medium" one
(14 feb 2027, Feb 14, 2027); a moment is that day with
the "short" time, joined the way the language joins them; a month is the "yMMMM" skeleton (februari 2027). A date
with its weekday (an evaluation) is "full". Templates and code call these, so English never mixes "14 Feb 2027"
with "December 6, 2026".
"""

from datetime import date, datetime

from babel.dates import format_skeleton
from flask_babel import format_date, format_percent, format_time, get_locale, to_user_timezone


def day(value: date | datetime | None) -> str:
    """A day in words: 14 februari 2027."""
    return "" if value is None else format_date(value, "long")


def short_day(value: date | datetime | None) -> str:
    """A day in a table, where width counts: 14 feb 2027 (CLDR "medium")."""
    return "" if value is None else format_date(value, "medium")


def day_month(value: date | datetime | None) -> str:
    """A day in a small chart, this year's: 14 feb (CLDR skeleton MMMd, in the reader's time zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    return format_skeleton("MMMd", value, locale=get_locale())


def short_moment(value: datetime | None) -> str:
    """A day and a time in a table: 14 feb 2027, 09:05 (in the reader's time zone)."""
    if value is None:
        return ""
    joined = get_locale().datetime_formats["medium"]
    return str(joined).replace("{1}", format_date(value, "medium")).replace("{0}", format_time(value, "short"))


def weekday(value: date | datetime | None) -> str:
    """A day with its weekday: zondag 14 februari 2027."""
    return "" if value is None else format_date(value, "full")


def moment(value: datetime | None) -> str:
    """A day and a time: 14 februari 2027, 09:05 (in the reader's time zone)."""
    if value is None:
        return ""
    joined = get_locale().datetime_formats["medium"]  # "{1}, {0}" in nl and en, "{1} {0}" in fy
    return str(joined).replace("{1}", format_date(value, "long")).replace("{0}", format_time(value, "short"))


def time_of_day(value: datetime | None) -> str:
    """A time of day: 09:05 (in the reader's time zone), where the day is said already."""
    return "" if value is None else format_time(value, "short")


def month(value: date | datetime | None) -> str:
    """A month and year: februari 2027."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    return format_skeleton("yMMMM", value, locale=get_locale())


def short_month(value: date | datetime) -> str:
    """A month's short name, for a chart's axis: feb."""
    return format_skeleton("MMM", value, locale=get_locale())


def percent(share: float | None) -> str:
    """A share (0.6) as a whole percentage in the reader's language: 60%, 60 %."""
    return "" if share is None else format_percent(share)


TEMPLATE_GLOBALS = {"day": day, "short_day": short_day, "day_month": day_month, "weekday": weekday, "moment": moment,
                    "short_moment": short_moment, "time_of_day": time_of_day, "month": month, "percent": percent}
