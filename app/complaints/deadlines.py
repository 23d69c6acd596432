"""Complaint deadlines by legal regime (DOMAIN.md §3), as pure functions of dates.

Terms (weeks from the day the complaint is received):
  awb       municipality, its professional and its app: 6 weeks, 10 with an advisory committee (Awb 9:11 lid 1);
            extension at most 4 weeks, with a written reason (lid 2).
  wkkgz     Wkkgz provider: 6 weeks, once extended by at most 4 weeks with notice.
  jeugdwet  youth care provider: the term of its complaint regulation (4.2.1 lid 2c), from the catalog
            (`Provider.complaint_term_weeks`, 1 to 26); 6 weeks, the common one, when the catalog has none. An
            extension needs a reason and a new date (lid 2d), capped at 4 weeks here.
  The provider's reaction (its measures) is due one month after the committee's judgement (4.2.1 lid 5).
Weekends and public holidays: a term that ends on a Saturday, Sunday or public holiday ends on the next working
day (Algemene termijnenwet art. 1 and 3). We apply that rule to every regime, so both sides see the same date.
Acknowledgement (a person, not the app, confirms and starts handling) within 5 working days: an app rule.
"""

from datetime import date, timedelta

from app.core.clock import add_months

TERM_WEEKS = {"awb": 6, "wkkgz": 6, "jeugdwet": 6}
COMMITTEE_WEEKS = 10  # Awb 9:11 lid 1 with an advisory committee (afd. 9.1.3)
MAX_EXTENSION_DAYS = 28  # 4 weeks
ACKNOWLEDGE_WORKING_DAYS = 5


def easter(year: int) -> date:
    """Easter Sunday (Gregorian, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * m + 90) // 25
    return date(year, month, (h + l_ - 7 * m + 33 * month + 19) % 32)


def public_holidays(year: int) -> set[date]:
    """The days the Algemene termijnenwet counts as holidays (art. 3), besides Saturday and Sunday."""
    sunday = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday the King's birthday is celebrated on the 26th
        kings_day = date(year, 4, 26)
    return {date(year, 1, 1), sunday, sunday + timedelta(days=1), sunday + timedelta(days=39),
            sunday + timedelta(days=49), sunday + timedelta(days=50), kings_day, date(year, 5, 5),
            date(year, 12, 25), date(year, 12, 26)}


def is_working_day(day: date) -> bool:
    """Neither a weekend day nor a public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def next_working_day(day: date) -> date:
    """The day itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The `count`th working day after `day`."""
    while count > 0:
        day += timedelta(days=1)
        count -= is_working_day(day)
    return day


def acknowledge_by(received: date) -> date:
    """When a person should have confirmed the complaint and started handling it."""
    return add_working_days(received, ACKNOWLEDGE_WORKING_DAYS)


def term_weeks(regime: str, *, committee: bool = False, provider_weeks: int | None = None) -> int:
    """The term in weeks: the Awb's (10 with a committee), the Wkkgz's, or the provider's regulation's."""
    if regime == "awb":
        return COMMITTEE_WEEKS if committee else TERM_WEEKS["awb"]
    if regime == "jeugdwet" and provider_weeks:
        return provider_weeks
    return TERM_WEEKS[regime]


def decide_by(received: date, regime: str, *, committee: bool = False, extension_days: int = 0,
              provider_weeks: int | None = None) -> date:
    """The date the judgement is due: the regime's term, any committee or extension, moved off a weekend."""
    weeks = term_weeks(regime, committee=committee, provider_weeks=provider_weeks)
    return next_working_day(received + timedelta(weeks=weeks, days=extension_days))


def reaction_by(judged: date) -> date:
    """The provider's written reaction (measures) after the committee's judgement: one month (Jeugdwet 4.2.1 lid 5)."""
    return next_working_day(add_months(judged, 1))


def is_overdue(due: date | None, today: date, *, done: bool) -> bool:
    """Past its date and not done yet."""
    return due is not None and not done and today > due


def is_late(due: date | None, today: date, *, done_on: date | None) -> bool:
    """Done after its date, or not done and past it."""
    return due is not None and (done_on or today) > due
