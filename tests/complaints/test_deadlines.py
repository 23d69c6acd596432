"""The deadline rules (pure): terms per regime, extensions, weekends and public holidays, the provider's month."""

from datetime import date

import pytest

from app.complaints import deadlines


@pytest.mark.parametrize(("year", "sunday"), [(2024, date(2024, 3, 31)), (2026, date(2026, 4, 5)),
                                              (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25))])
def test_easter_sunday_is_right(year, sunday):
    assert deadlines.easter(year) == sunday


def test_kings_day_moves_to_the_26th_when_the_27th_is_a_sunday():
    assert date(2025, 4, 26) in deadlines.public_holidays(2025)
    assert date(2025, 4, 27) not in deadlines.public_holidays(2025)
    assert date(2026, 4, 27) in deadlines.public_holidays(2026)


def test_awb_term_is_six_weeks_and_ten_with_an_advisory_committee():
    received = date(2026, 3, 2)  # a Monday: six weeks later is a Monday too
    assert deadlines.decide_by(received, "awb") == date(2026, 4, 13)
    assert deadlines.decide_by(received, "awb", committee=True) == date(2026, 5, 11)


def test_committee_does_not_change_a_provider_term():
    assert deadlines.decide_by(date(2026, 3, 2), "jeugdwet", committee=True) == date(2026, 4, 13)


def test_a_term_ending_on_a_saturday_moves_to_monday():
    received = date(2026, 9, 12)  # Saturday + 6 weeks = Saturday 24 October
    assert deadlines.decide_by(received, "awb") == date(2026, 10, 26)


def test_a_term_ending_on_a_sunday_and_new_year_moves_past_both():
    # Sunday 22 November 2026 + 6 weeks = Sunday 3 January 2027 -> Monday 4 January
    assert deadlines.decide_by(date(2026, 11, 22), "wkkgz") == date(2027, 1, 4)
    # Friday 20 November 2026 + 6 weeks = Friday 1 January 2027 (New Year) -> Monday 4 January
    assert deadlines.decide_by(date(2026, 11, 20), "awb") == date(2027, 1, 4)


def test_easter_monday_and_ascension_are_not_working_days():
    assert not deadlines.is_working_day(date(2026, 4, 6))
    assert not deadlines.is_working_day(date(2026, 5, 14))
    assert deadlines.is_working_day(date(2026, 4, 7))


def test_extension_adds_days_before_the_weekend_rule():
    received = date(2026, 3, 2)
    assert deadlines.decide_by(received, "awb", extension_days=28) == date(2026, 5, 11)
    assert deadlines.decide_by(received, "awb", extension_days=5) == date(2026, 4, 20)  # Saturday 18 -> Monday


def test_acknowledgement_counts_working_days_over_christmas():
    assert deadlines.acknowledge_by(date(2026, 12, 23)) == date(2026, 12, 31)  # skips 25, 26 and the weekend


def test_provider_reaction_is_a_month_after_the_judgement():
    assert deadlines.reaction_by(date(2026, 3, 10)) == date(2026, 4, 10)
    assert deadlines.reaction_by(date(2026, 1, 31)) == date(2026, 3, 2)  # 28 February is a Saturday
    assert deadlines.reaction_by(date(2026, 3, 27)) == date(2026, 4, 28)  # 27 April is King's Day


def test_overdue_only_after_the_day_and_only_when_not_done():
    due = date(2026, 4, 13)
    assert not deadlines.is_overdue(due, date(2026, 4, 13), done=False)
    assert deadlines.is_overdue(due, date(2026, 4, 14), done=False)
    assert not deadlines.is_overdue(due, date(2026, 4, 14), done=True)


def test_a_provider_term_from_the_catalog_counts_for_the_youth_act_only():
    received = date(2026, 3, 2)
    assert deadlines.decide_by(received, "jeugdwet", provider_weeks=8) == date(2026, 4, 28)  # 27th: King's Day
    assert deadlines.decide_by(received, "jeugdwet", provider_weeks=None) == date(2026, 4, 13)
    assert deadlines.decide_by(received, "wkkgz", provider_weeks=8) == date(2026, 4, 13)
    assert deadlines.decide_by(received, "awb", provider_weeks=8) == date(2026, 4, 13)
    assert deadlines.decide_by(received, "jeugdwet", provider_weeks=8, extension_days=14) == date(2026, 5, 11)
    assert deadlines.term_weeks("awb", committee=True) == 10


def test_late_means_done_after_the_date_or_not_done_and_past_it():
    due = date(2026, 3, 2)
    assert deadlines.is_late(due, date(2026, 3, 2), done_on=None) is False
    assert deadlines.is_late(due, date(2026, 3, 3), done_on=None) is True
    assert deadlines.is_late(due, date(2026, 3, 9), done_on=date(2026, 3, 2)) is False
    assert deadlines.is_late(due, date(2026, 3, 9), done_on=date(2026, 3, 4)) is True
    assert deadlines.is_late(None, date(2026, 3, 9), done_on=None) is False
