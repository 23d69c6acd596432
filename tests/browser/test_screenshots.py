"""Full-page screenshots at 390x844 for a human to look at (test-results/screenshots/), without sideways scrolling."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SCREENSHOTS, VIEWPORT


def open_page(page_for, case: str) -> Page:
    if case == "welcome":
        page = page_for(None)
        page.goto("/")
    elif case == "welcome-help-open":
        page = page_for(None)
        page.goto("/")
        page.locator("summary.help-menu__toggle").click()
        expect(page.locator(".help-menu__panel a[href='tel:112']")).to_be_visible()
    elif case == "demo-fy":
        page = page_for(None)
        page.goto("/demo?lang=fy")
        expect(page.get_by_role("button", name="Oanmelde as Sanne")).to_be_visible()
    elif case == "home-sanne":
        page = page_for("sanne")
        page.goto("/")
        expect(page.locator(".card")).to_have_count(1)
    elif case == "help":
        page = page_for(None)
        page.goto("/hulp")
    elif case == "profile-errors":
        page = page_for("mark")
        page.goto("/profiel")
        page.locator("#given_name").fill("")
        page.locator("#profile_form button[type=submit]").click()
        expect(page.locator("#given_name-error")).to_be_visible()
    elif case == "not-found":
        page = page_for(None)
        page.goto("/bestaat-niet")
    else:
        raise AssertionError(case)
    return page


@pytest.mark.parametrize("case", ["welcome", "welcome-help-open", "demo-fy", "home-sanne", "help", "profile-errors",
                                  "not-found"])
def test_screenshot_without_horizontal_scrolling(new_context, signed_in, case: str):
    page = open_page(lambda key: signed_in(key) if key else new_context().new_page(), case)
    assert page.viewport_size == VIEWPORT
    page.evaluate("document.fonts.ready")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{case}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=path, full_page=True)
    assert path.exists()
    assert path.stat().st_size > 10_000

    widths = page.evaluate("""() => ({document: document.documentElement.scrollWidth, body: document.body.scrollWidth,
                                     inner: window.innerWidth})""")
    assert widths["inner"] == VIEWPORT["width"]
    assert widths["document"] <= VIEWPORT["width"], f"{case} scrolls sideways: {widths}"
    assert widths["body"] <= VIEWPORT["width"], f"{case} scrolls sideways: {widths}"
