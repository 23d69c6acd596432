"""Choosing a language with the switcher: it sticks while clicking around and is stored on the person."""

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import language_button, sign_in_on_demo_page, switch_language


def expect_frisian(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "fy")
    expect(page.locator(".skip-link")).to_have_text("Nei de ynhâld")
    expect(page.locator("summary.help-menu__toggle")).to_have_text("Help nedich?")
    expect(language_button(page, "Frysk")).to_have_attribute("aria-current", "true")
    expect(language_button(page, "Nederlands")).not_to_have_attribute("aria-current", "true")


def test_frisian_chosen_in_the_switcher_sticks_while_clicking_links(page: Page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator(".skip-link")).to_have_text("Naar de inhoud")

    switch_language(page, "Frysk", "fy")
    expect(page).to_have_url(re.compile(r"/$"))
    expect_frisian(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ien plan foar dyn gesin")

    with page.expect_navigation():
        page.locator("footer").get_by_role("link", name="Helpnûmers").click()
    expect(page).to_have_url(re.compile(r"/hulp$"))
    expect_frisian(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Help nedich?")

    with page.expect_navigation():
        page.locator("header a.brand").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Kies in demopersoan").click()
    expect(page).to_have_url(re.compile(r"/demo$"))
    expect_frisian(page)
    expect(page.get_by_role("button", name="Oanmelde as Sanne")).to_be_visible()

    # The switcher brings you back to the page you were on, now in the new language.
    switch_language(page, "English", "en")
    expect(page).to_have_url(re.compile(r"/demo$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a demo person")


def test_signed_in_persons_language_wins_and_a_new_choice_is_stored(new_context):
    page = new_context().new_page()
    page.goto("/demo")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    sign_in_on_demo_page(page, "sanne")
    try:
        # Sanne's stored language is Frysk, although this browser asked for Dutch.
        expect(page.locator("html")).to_have_attribute("lang", "fy")
        expect(page.get_by_role("heading", level=1)).to_have_text("Hoi Sanne")

        switch_language(page, "Nederlands", "nl")
        expect(page.get_by_role("heading", level=1)).to_have_text("Hallo Sanne")
        page.reload()
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        expect(page.get_by_role("heading", level=1)).to_have_text("Hallo Sanne")

        # Stored on Sanne herself: another browser where she signs in gets Dutch too.
        elsewhere = new_context(extra_http_headers={"Accept-Language": "en-GB,en"}).new_page()
        sign_in_on_demo_page(elsewhere, "sanne")
        expect(elsewhere.locator("html")).to_have_attribute("lang", "nl")
        expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Hallo Sanne")
    finally:
        # Give Sanne her Frysk back for the other tests.
        page.goto("/")
        if page.locator("html").get_attribute("lang") != "fy":
            switch_language(page, "Frysk", "fy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoi Sanne")
