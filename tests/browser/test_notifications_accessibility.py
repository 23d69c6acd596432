"""axe-core finds nothing on the notifications pages in nl, fy and en (same rules as test_accessibility.py), nothing
scrolls sideways on a phone, and every control is a 44 px target; the settings form's 422 answer is checked too."""

import pytest
from playwright.sync_api import Page, expect

from app.notifications.models import FAMILY_TOPICS, PROVIDER_TOPICS
from tests.browser.helpers import LANGUAGES, assert_no_violations

READERS = [("sanne", "fy"), ("mark", "nl"), ("lisa", "en")]


def assert_fits_the_phone(page: Page) -> None:
    """No sideways scrolling at 390 px, and every link or button in the page's main part is at least 44 px high."""
    # clientWidth, not innerWidth: on a phone Chromium widens the window to a page that is too wide (innerWidth
    # grows with it), so only the layout width shows the sideways scrolling (issue 17).
    widths = page.evaluate("() => ({page: document.documentElement.scrollWidth,"
                           " screen: document.documentElement.clientWidth})")
    assert widths["page"] <= widths["screen"], f"{page.url} scrolls sideways: {widths}"
    small = page.evaluate("""() => [...document.querySelectorAll(
        'main a, main button, main input[type=checkbox] + label, .notifications-link')]
      .filter((el) => el.getBoundingClientRect().height < 43.5)
      .map((el) => el.textContent.trim().slice(0, 40))""")
    assert small == [], f"targets under 44 px on {page.url}: {small}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("persona", ["sanne", "mark"])
def test_notifications_page(tab_for, persona: str, language: str):
    page = tab_for(persona)
    assert page.goto(f"/meldingen?lang={language}").status == 200
    expect(page.locator(".notification").first).to_be_visible()
    assert_no_violations(page, language)
    assert_fits_the_phone(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("persona", "_"), READERS)
def test_settings_page_and_its_error_state(tab_for, persona: str, _: str, language: str):
    page = tab_for(persona)
    assert page.goto(f"/meldingen/instellingen?lang={language}").status == 200
    expect(page.locator("#settings_form fieldset")).to_have_count(len(FAMILY_TOPICS))  # family topics only
    assert_no_violations(page, language)
    assert_fits_the_phone(page)
    # A wrong e-mail address: htmx swaps in the 422 form, with the message tied to the field and the ticks kept.
    page.locator("#goal_changed_email").check()
    page.locator("#email").fill("niet-een-adres")
    page.locator("#settings_form button[type=submit]").click()
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email")).to_have_value("niet-een-adres")
    expect(page.locator("#goal_changed_email")).to_be_checked()
    assert_no_violations(page, language)
    assert_fits_the_phone(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_settings_page_of_provider_staff_and_its_error_state(tab_for, language: str):
    page = tab_for("karin")  # provider staff: the topics of her organisation's work, none of a family's
    assert page.goto(f"/meldingen/instellingen?lang={language}").status == 200
    expect(page.locator("#settings_form fieldset")).to_have_count(len(PROVIDER_TOPICS))
    assert_no_violations(page, language)
    assert_fits_the_phone(page)
    page.locator("#email").fill("niet-een-adres")
    page.locator("#settings_form button[type=submit]").click()
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#assignment_new_email")).to_be_checked()
    assert_no_violations(page, language)
    assert_fits_the_phone(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_settings_page_of_someone_with_nothing_to_choose(tab_for, language: str):
    page = tab_for("jeroen")  # municipality staff: no family plan, no provider's work
    assert page.goto(f"/meldingen/instellingen?lang={language}").status == 200
    expect(page.locator("#settings_form fieldset")).to_have_count(0)
    assert_no_violations(page, language)
    assert_fits_the_phone(page)


def test_marking_everything_read_updates_the_count_in_the_header(tab_for):
    page = tab_for("sanne")
    page.goto("/meldingen?lang=nl")
    link = page.locator("#notifications-link")
    expect(link).to_have_attribute("aria-label", "Meldingen, 3 nieuw")  # the plan's two, and the rating invitation
    page.get_by_role("button", name="Alles als gelezen markeren").click()
    expect(link).to_have_attribute("aria-label", "Meldingen")
    expect(page.locator(".notification--unread")).to_have_count(0)
    assert_no_violations(page, "nl")
