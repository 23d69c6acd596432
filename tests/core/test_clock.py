"""Ages come from birth dates on today's date in Europe/Amsterdam."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from app.core.clock import age_on, years_ago


def test_age_changes_on_the_birthday():
    assert age_on(date(2010, 11, 22), date(2026, 11, 21)) == 15
    assert age_on(date(2010, 11, 22), date(2026, 11, 22)) == 16


def test_leap_day_birthday_counts_from_first_of_march():
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


@given(st.integers(min_value=0, max_value=110), st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 1, 1)),
       st.integers(min_value=0, max_value=300))
def test_years_ago_gives_that_age(years, day, extra):
    assert age_on(years_ago(years, days_extra=extra, on=day), day) == years
