"""Karin's home is her work list, on her phone in real Chromium: she signs in on the demo page, taps her way to the
goals assigned to Kompas, switches to Frysk, filters, and opens a goal's result page from its row. The page passes
axe in nl and fy and fits the phone; on a tablet (820×1180) it is one table without sideways scrolling."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_violations, phone_layout_problems, sign_in_on_demo_page, switch_language
from tests.browser.journey_steps import say, tap

TOMS_GOAL = "Vaste afspraken over wisselen tussen de huizen"


def _filter(page, select, value: str) -> None:
    """Choose a filter and wait until htmx has swapped the list in."""
    with page.expect_response(lambda response: "/werk?" in response.url):
        select.select_option(value)
    expect(page.locator("#worklist.htmx-added, #worklist.htmx-settling")).to_have_count(0)


def _scrolls_sideways(page) -> bool:
    """The page scrolls sideways, or the table sticks out of the page's main column."""
    widths = page.evaluate("""() => {
      const main = document.querySelector('main'), style = getComputedStyle(main);
      const inner = main.getBoundingClientRect().right - parseFloat(style.paddingRight);
      return [document.documentElement.scrollWidth, document.documentElement.clientWidth,
              document.querySelector('#worklist table').getBoundingClientRect().right, inner];
    }""")
    return widths[0] > widths[1] or widths[2] > widths[3] + 0.5


def test_karin_reaches_her_work_list_from_home_filters_it_in_frysk_and_opens_a_goal(new_context):
    page = new_context(bypass_csp=True).new_page()
    sign_in_on_demo_page(page, "karin")

    tap(page, page.get_by_role("link", name=say("nl", "Open your work list")))
    expect(page).to_have_url(re.compile(r"/werk$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(say("nl", "Your work list"))
    rows = page.locator("#worklist tbody tr")
    expect(rows.first).to_be_visible()
    mine = rows.count()
    assert_no_violations(page, "nl")
    assert phone_layout_problems(page) == []

    switch_language(page, "Frysk", "fy")
    expect(page.get_by_role("heading", level=1)).to_have_text(say("fy", "Your work list"))
    assert_no_violations(page, "fy")
    assert phone_layout_problems(page) == []

    # Filtering (htmx swaps the list and the address follows): the whole organisation, then the goals to judge.
    whose = page.get_by_label(say("fy", "Whose goals"), exact=True)
    whose.focus()
    _filter(page, whose, "all")
    expect(page).to_have_url(re.compile(r"scope=all"))
    expect(whose).to_be_focused()  # the list was swapped, the field kept its place and the focus
    assert rows.count() >= mine
    _filter(page, page.get_by_label(say("fy", "Status"), exact=True), "to_judge")
    expect(page).to_have_url(re.compile(r"status=to_judge"))
    expect(rows.filter(has_text=TOMS_GOAL)).to_have_count(1)
    expect(page.locator("#worklist tbody .status").filter(has_not_text=say("fy", "To judge"))).to_have_count(0)
    assert_no_violations(page, "fy")
    assert phone_layout_problems(page) == []

    # On a tablet the same list is one table that fits the screen, its columns sortable by their headers.
    page.set_viewport_size({"width": 820, "height": 1180})
    expect(page.locator("#worklist thead")).to_be_visible()
    assert not _scrolls_sideways(page), "the work list scrolls sideways on a tablet"
    expect(page.locator('th[aria-sort="ascending"]')).to_have_text(say("fy", "Status"))
    page.get_by_role("link", name=say("fy", "Family"), exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=family"))
    expect(page.locator('th[aria-sort="ascending"]')).to_have_text(say("fy", "Family"))
    assert not _scrolls_sideways(page)
    assert_no_violations(page, "fy")
    page.set_viewport_size({"width": 390, "height": 844})

    # From the row of Tom's goal to its result page, where Karin records the help and gives her verdict.
    tap(page, page.get_by_role("link", name=TOMS_GOAL))
    expect(page).to_have_url(re.compile(r"/doel/[^/]+/resultaat$"))
    expect(page.locator("main")).to_contain_text(TOMS_GOAL)
    assert_no_violations(page, "fy")
