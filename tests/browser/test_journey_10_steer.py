"""Journey 10, Steer (PRODUCT.md), through the UI only at 390×844: Jeroen opens the monitor from his home page, reads
this month's figures as charts and as numbers, downloads them as CSV, and from there checks the health of the sync:
the messages that wait for the municipality, one of them in detail. Key screens in fy and en too."""

import csv
import io
import re
from pathlib import Path

from babel.dates import format_date
from playwright.sync_api import expect

from app.core.clock import today
from tests.browser.helpers import assert_no_violations
from tests.browser.journey_steps import in_each_language, phone, say, tap

KPIS = ("verdicts-heading", "usefulness-heading", "dropout-heading", "complaints-heading", "waiting-heading")


def test_jeroen_reads_the_monthly_figures_downloads_them_and_checks_the_sync(signed_in):
    jeroen = phone(signed_in, "jeroen")
    tap(jeroen, jeroen.get_by_role("link", name=say("nl", "Monitor: figures per month")))
    month = format_date(today(), "LLLL yyyy", locale="nl")
    expect(jeroen.locator("#latest-heading")).to_have_text(re.compile(month, re.IGNORECASE))
    for key in KPIS:  # goal realisation, satisfaction, drop-out, complaint timeliness, waiting times
        expect(jeroen.locator(f"#{key}")).to_be_visible()
    chart = jeroen.locator(".monitor-chart").filter(has=jeroen.locator("#verdicts-heading"))
    expect(chart.locator("svg.chart")).to_be_visible()
    chart.locator("summary", has_text=say("nl", "Show the numbers")).click()
    expect(chart.locator("table")).to_be_visible()
    assert_no_violations(jeroen, "nl")

    with jeroen.expect_download() as download:
        jeroen.get_by_role("link", name=say("nl", "Download these figures (CSV)")).click()
    assert download.value.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) >= 2, rows
    assert len(rows[0]) >= 3, rows[0]

    def monitor_page(language: str) -> None:
        expect(jeroen.locator("#latest-heading")).to_have_text(
            re.compile(format_date(today(), "LLLL yyyy", locale=language), re.IGNORECASE))
        expect(jeroen.get_by_role("link", name=say(language, "Download these figures (CSV)"))).to_be_visible()
    in_each_language(jeroen, monitor_page)

    # The sync's health: from the monitor to the messages; the ones not sent yet; one of them.
    tap(jeroen, jeroen.locator("main").get_by_role("link", name=say("nl", "All messages to the municipality")))
    expect(jeroen.get_by_role("heading", level=1)).to_have_text(say("nl", "Messages to the municipality"))
    waiting = jeroen.get_by_role("link", name=re.compile(r"^Nog niet verstuurd \((\d+)\)$"))
    count = int(re.search(r"\((\d+)\)", waiting.inner_text()).group(1))
    assert count > 0
    tap(jeroen, waiting)
    messages = jeroen.locator("main .card__title a")
    expect(messages).to_have_count(count)
    assert_no_violations(jeroen, "nl")
    tap(jeroen, messages.first)
    expect(jeroen.get_by_role("heading", level=1)).to_contain_text(re.compile(r"\d+"))
    assert_no_violations(jeroen, "nl")

    def sync_page(language: str) -> None:
        expect(jeroen.locator("main")).to_contain_text(re.compile(r"\w+\.\w+"))  # the message's type
    in_each_language(jeroen, sync_page)
