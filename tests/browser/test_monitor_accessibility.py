"""axe-core finds nothing on Jeroen's monitor in nl, fy and en at 390x844; nothing scrolls sideways; the charts'
tables open from the keyboard, and the filters work without JavaScript (a plain GET form)."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import LANGUAGES, assert_no_violations
from tests.browser.test_notifications_accessibility import assert_fits_the_phone


@pytest.mark.parametrize("language", LANGUAGES)
def test_monitor_page(tab_for, language: str):
    page = tab_for("jeroen")
    assert page.goto(f"/monitor?lang={language}").status == 200
    for summary in page.locator(".monitor-chart__data summary").all():
        summary.click()  # the tables too
    assert_no_violations(page, language)
    assert_fits_the_phone(page)


def test_monitor_tables_open_from_the_keyboard(tab_for):
    page = tab_for("jeroen")
    page.goto("/monitor?lang=en")
    summary = page.locator("#plans-heading ~ details summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#plans-caption")).to_be_visible()


def test_monitor_filters_without_javascript(signed_in):
    page = signed_in("jeroen", java_script_enabled=False)
    page.goto("/monitor?lang=en")
    page.locator("#van").fill("2026-01")
    page.locator("#tot").fill("2026-02")
    page.locator(".monitor-filters button[type=submit]").click()
    page.wait_for_load_state()
    assert "van=2026-01" in page.url
    expect(page.locator("#plans-caption")).to_be_attached()
    assert page.locator("#plans-caption ~ tbody tr").count() == 2
