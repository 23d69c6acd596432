"""axe-core (WCAG 2.0/2.1/2.2 A and AA, plus best practices) finds nothing on any page, in nl, fy and en.

Tests that only read share one tab per visitor or persona (each test navigates afresh), which keeps the
run short; tests that change something get a context of their own.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import AUTONYM, LANGUAGES, assert_no_violations, switch_language

VISITOR_PAGES = {
    "welcome": "/",
    "demo": "/demo",
    "help": "/hulp",
    "ratings-explained": "/beoordelingen/uitleg",
    "api-problems": "/api/v1/problems",
    "api-problem": "/api/v1/problems/unsupported-media-type",
    "offline": "/offline",
    "not-found": "/bestaat-niet",
}
HOME_PERSONAS = ("sanne", "tom", "noor", "mark", "karin", "jeroen")
NAME_REQUIRED = {"nl": "Vul je naam in.", "fy": "Folje dyn namme yn.", "en": "Fill in your name."}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", VISITOR_PAGES.values(), ids=VISITOR_PAGES.keys())
def test_visitor_page(tab_for, path: str, language: str):
    page = tab_for()
    response = page.goto(f"{path}?lang={language}")
    assert response.status == (404 if path == "/bestaat-niet" else 200)
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_panel_open(tab_for, language: str):
    page = tab_for()
    page.goto(f"/?lang={language}")
    page.locator("summary.help-menu__toggle").click()
    expect(page.locator("details.help-menu")).to_have_attribute("open", "")
    expect(page.locator(".help-menu__panel a[href='tel:112']")).to_be_visible()
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("persona", HOME_PERSONAS)
def test_signed_in_home(tab_for, persona: str, language: str):
    page = tab_for(persona)
    page.goto(f"/?lang={language}")
    expect(page.locator(".site-footer__who")).to_be_visible()
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("persona", ["sanne", "lisa"])
def test_my_data(tab_for, persona: str, language: str):
    page = tab_for(persona)
    page.goto(f"/mijn-gegevens?lang={language}")
    expect(page.locator("h1")).to_be_visible()
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_profile(tab_for, language: str):
    page = tab_for("tom")
    page.goto(f"/profiel?lang={language}")
    expect(page.locator("#profile_form")).to_be_visible()
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_profile_with_an_error(signed_in, language: str):
    # The htmx answer comes in the person's own language, so Erik chooses the language in the switcher
    # (stored on him) and the whole page, error included, is in that language.
    page = signed_in("erik", bypass_csp=True)
    page.goto("/profiel")
    try:
        if page.locator("html").get_attribute("lang") != language:
            switch_language(page, AUTONYM[language], language)
        page.locator("#given_name").fill("")
        with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/profiel")) as info:
            page.locator("#profile_form button[type=submit]").click()
        assert info.value.status == 422
        expect(page.locator("#given_name-error")).to_have_text(NAME_REQUIRED[language])
        expect(page.locator("#given_name")).to_have_attribute("aria-invalid", "true")
        assert_no_violations(page, language)
    finally:
        page.goto("/profiel")
        if page.locator("html").get_attribute("lang") != "nl":
            switch_language(page, "Nederlands", "nl")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("persona", ["noor", "tom", "lisa"])
def test_a_youths_own_view(tab_for, persona: str, language: str):
    """The child view (Noor, 9) and "mijn plan" (Tom, 14; Lisa, 16, with her switches), as their home button opens
    them; for Noor also with a refused entry (an empty house form)."""
    page = tab_for(persona)
    page.goto(f"/?lang={language}")
    own = page.locator("main a.button[href^='/plan/']").first.get_attribute("href")
    page.goto(f"{own}?lang={language}")  # Noor's is sent on to her child view, in the same language
    expect(page.locator("h1")).to_be_visible()
    assert_no_violations(page, language)
    if persona == "noor":  # the refused form comes back in her stored language: she chooses it in the switcher
        if language != "nl":
            switch_language(page, AUTONYM[language], language)
        house = page.locator("#house-strength")
        house.locator("summary").click()
        with page.expect_navigation():
            house.locator("button[type=submit]").click()
        expect(page.locator("#house-strength .error-summary")).to_be_visible()
        assert_no_violations(page, language)
        if language != "nl":
            switch_language(page, AUTONYM["nl"], "nl")
