"""Time: stored in UTC, shown and reasoned about in Europe/Amsterdam."""

import calendar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def today() -> date:
    """Return today's date in Europe/Amsterdam (birthdays change rights at local midnight)."""
    return utcnow().astimezone(AMSTERDAM).date()


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birthdate: date, day: date) -> int:
    """Return the age in whole years on `day` (a 29 February birthday counts from 1 March)."""
    had_birthday = (day.month, day.day) >= (birthdate.month, birthdate.day)
    return day.year - birthdate.year - (0 if had_birthday else 1)


def years_ago(years: int, *, days_extra: int = 0, on: date | None = None) -> date:
    """Return a birth date that makes someone `years` old today, `days_extra` days past the birthday."""
    from datetime import timedelta

    day = (on or today()) - timedelta(days=days_extra)
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)
