"""axe-core finds nothing on a goal's result page (same rules as test_accessibility.py), in nl, fy and en, for
the youth, a parent, the professional and the provider, and nothing scrolls sideways on a phone (390 px)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import AUTONYM, LANGUAGES, assert_no_violations, switch_language
from tests.browser.test_plan_accessibility import plan_of

JUDGES = ("tom", "sanne", "mark", "karin")


def result_of(page: Page) -> str:
    """The result page of Tom's ended help, found the way a person finds it: the link under the goal in the plan."""
    page.goto(plan_of(page))
    link = page.locator('.result-status a[href$="/resultaat"]').first
    expect(link).to_be_visible()
    return link.get_attribute("href")


@pytest.fixture(scope="module")
def result_path(tab_for) -> str:
    return result_of(tab_for("tom"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("persona", JUDGES)
def test_result_page(tab_for, result_path: str, persona: str, language: str):
    page, path = tab_for(persona), result_path
    assert page.goto(f"{path}?lang={language}").status == 200
    expect(page.locator("#family-verdict")).to_be_visible()
    assert_no_violations(page, language)
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth})")
    assert widths["page"] <= widths["screen"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_result_page_with_an_error(signed_in, result_path: str, language: str):
    # The answer to a form comes in the person's own language: Erik chooses it in the switcher (stored on him).
    page, path = signed_in("erik", bypass_csp=True), result_path
    page.goto(path)
    try:
        if page.locator("html").get_attribute("lang") != language:
            switch_language(page, AUTONYM[language], language)
        page.locator("#explanation").fill("Zonder keuze 🙂")
        page.locator("#judge button[type=submit]").click()
        expect(page.locator("#verdict-error")).to_be_visible()
        expect(page.locator("#explanation")).to_have_value("Zonder keuze 🙂")
        assert_no_violations(page, language)
    finally:
        page.goto(path)
        if page.locator("html").get_attribute("lang") != "nl":
            switch_language(page, "Nederlands", "nl")
