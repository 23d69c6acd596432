"""Steps the journey stories (tests/browser/test_journey_*.py) share: a person opens the app on their phone at "/"
and from there only taps and types. The words they see come from the app's own catalogues, in their language."""

import gettext
import re
import time
from collections.abc import Callable
from functools import cache

from playwright.sync_api import Page, expect

from tests.browser.helpers import AUTONYM, VIEWPORT, assert_no_violations, switch_language
from tests.support.servers import ROOT


@cache
def _catalogue(language: str) -> gettext.GNUTranslations:
    return gettext.translation("messages", str(ROOT / "translations"), languages=[language])


def say(language: str, msgid: str, **values) -> str:
    """What the app shows for a source string in a language (the compiled catalogue the server uses)."""
    text = _catalogue(language).gettext(msgid)
    return text % values if values else text


def phone(signed_in: Callable[..., Page], key: str) -> Page:
    """A persona's phone (390×844, CSP bypassed for axe), opened at the home page: the only address typed."""
    page = signed_in(key, bypass_csp=True)
    page.goto("/")
    assert page.viewport_size == VIEWPORT
    return page


def tap(page: Page, locator) -> None:
    """Tap a link or button that loads a new page, and wait for it."""
    with page.expect_navigation():
        locator.click()


def go_home(page: Page) -> None:
    tap(page, page.locator("a.brand"))


def open_plan(page: Page) -> str:
    """From the home page: the first family's plan (the demo family De Boer-Hoekstra). Returns the plan's address.
    A youth's button opens their own view first (the child view, "my plan"): from there they ask for the whole plan."""
    tap(page, page.locator('main a[href^="/plan/"]').first)
    if re.search(r"/(mijn|kind/[^/]+)$", page.url):
        language = page.locator("html").get_attribute("lang")
        tap(page, page.get_by_role("button", name=say(language, "Show the whole family plan")))
    expect(page.locator("h1")).to_contain_text("De Boer-Hoekstra")
    return page.url.split("#")[0]


def in_each_language(page: Page, check: Callable[[str], None], languages=("fy", "en"), back: str = "nl") -> None:
    """The key screen in other languages, through the switcher: `check(language)` then axe; then back again."""
    for language in languages:
        switch_language(page, AUTONYM[language], language)
        check(language)
        assert_no_violations(page, language)
    if back:
        switch_language(page, AUTONYM[back], back)


def heading(page: Page, text: str, level: int = 1) -> None:
    expect(page.get_by_role("heading", level=level)).to_have_text(text)


def eventually(condition: Callable[[], bool], timeout: float = 10, message: str = "") -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, message
        time.sleep(0.2)


def words(text: str) -> re.Pattern:
    """A pattern for text whose white space may differ on the page."""
    return re.compile(r"\s+".join(re.escape(part) for part in text.split()))
