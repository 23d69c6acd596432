"""Dates, times and percentages: one named Babel format per kind, in every language (issue 17)."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale

from app.web import dates

APP = Path(__file__).resolve().parents[2] / "app"
NAMED = {"short", "medium", "long", "full"}
CALL = re.compile(r"(?:format_date|format_datetime|format_time|k\.date)\([^\"']*?[\"']([^\"']*)[\"']")


@pytest.mark.parametrize(("lang", "day", "moment", "month"), [
    ("nl", "14 februari 2027", "14 februari 2027, 10:05", "februari 2027"),
    ("fy", "14 Febrewaris 2027", "14 Febrewaris 2027 10:05", "Febrewaris 2027"),
    ("en", "February 14, 2027", "February 14, 2027, 10:05\u202fAM", "February 2027"),
])
def test_a_day_a_moment_and_a_month_each_have_one_format_per_language(app, lang, day, moment, month):
    at = datetime(2027, 2, 14, 9, 5, tzinfo=UTC)  # 10:05 in Leeuwarden
    with app.test_request_context(), force_locale(lang):
        assert dates.day(date(2027, 2, 14)) == dates.day(at) == day
        assert dates.moment(at) == moment
        assert dates.month(at) == month
        assert dates.day(None) == dates.moment(None) == ""


def test_no_date_is_formatted_with_a_pattern_written_by_hand():
    """English mixed "14 Feb 2027" (a pattern by hand) with "December 6, 2026" (Babel's long date)."""
    found = []
    for path in [*APP.rglob("*.html"), *APP.rglob("*.txt"), *APP.rglob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found += [f"{path.relative_to(APP)}:{number}: {p}" for p in CALL.findall(line) if p not in NAMED]
            if ".strftime(" in line and path.name != "report.py":  # report.py: month keys for the API, not words
                found.append(f"{path.relative_to(APP)}:{number}: strftime")
    assert found == []


@pytest.mark.parametrize("lang", ["nl", "fy", "en"])
def test_a_share_is_a_percentage_in_the_reader_s_language(app, lang):
    from babel.numbers import format_percent

    with app.test_request_context(), force_locale(lang):
        pct = app.jinja_env.get_template("ratings/_parts.html").module.pct
        for share in (0.6, 0.125, 1.0):
            assert str(pct(share)).strip() == dates.percent(share) == format_percent(share, locale=lang)


def test_no_percentage_is_built_by_hand_in_a_template():
    """ratings/_parts.html multiplied by 100 and wrote "%" itself; Babel's format_percent knows each language."""
    hand = re.compile(r"\*\s*100\b|\}\}\s*%")
    found = [f"{path.relative_to(APP)}:{number}" for path in APP.rglob("*.html")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if hand.search(line)]
    assert found == []
