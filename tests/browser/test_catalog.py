"""The catalog in real Chromium at 390×844: axe-core finds nothing on search (with a typo, with nothing found and
worrying words), offer and compare in nl, fy and en; typing in the search box updates the results without a reload;
the compare table scrolls inside its box; the functional manager's search words page (with its error) too."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import LANGUAGES, assert_no_violations

COUNT = {"nl": "gevonden", "fy": "fûn", "en": "found"}


def assert_no_sideways_scrolling(page: Page) -> None:
    # clientWidth, not innerWidth: on a phone Chromium widens the window to a page that is too wide (innerWidth
    # grows with it), so only the layout width shows the sideways scrolling (issue 17).
    widths = page.evaluate("() => ({page: document.documentElement.scrollWidth,"
                           " screen: document.documentElement.clientWidth})")
    assert widths["page"] <= widths["screen"], f"{page.url} scrolls sideways: {widths}"


def offer_paths(page: Page, count: int) -> list[str]:
    page.goto("/catalogus?soort=45&taal=fy&wachttijd=5&postcode=8924+AB&afstand=10&sorteer=distance")
    links = page.locator("#results .offer-card__title a")
    expect(links.first).to_be_visible()
    return [links.nth(n).get_attribute("href") for n in range(count)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_page_with_filters_open(tab_for, language):
    page = tab_for()
    assert page.goto(f"/catalogus?lang={language}&thema=angst").status == 200
    expect(page.locator("details.filters")).to_have_attribute("open", "")
    expect(page.locator(".results__count")).to_contain_text(COUNT[language])
    assert_no_violations(page, language)
    assert_no_sideways_scrolling(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_empty_state(tab_for, language):
    page = tab_for()
    assert page.goto(f"/catalogus?lang={language}&q=zzzzqqq&thema=autisme").status == 200
    expect(page.locator(".empty-state a").first).to_be_visible()
    assert_no_violations(page, language)


WHY = {"nl": "Waarom gevonden", "fy": "Wêrom fûn", "en": "Why it matched"}
# How the words were read, said above the results: a typo ("bedoel je …?") and an age word ("kleuter": 4 to 6).
READ_AS = {"angts": {"nl": "Bedoel je", "fy": "Bedoelsto", "en": "Did you mean"},
           "kleuter+met+autisme": {"nl": "als een leeftijd", "fy": "as in leeftyd", "en": "as an age"}}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("words", READ_AS)
def test_the_results_say_how_the_words_were_read_and_why_each_matched(tab_for, words, language):
    page = tab_for()
    assert page.goto(f"/catalogus?lang={language}&q={words}").status == 200
    expect(page.locator(".search-note").first).to_contain_text(READ_AS[words][language])
    expect(page.locator(".offer-card__why").first).to_contain_text(WHY[language])
    assert_no_violations(page, language)
    assert_no_sideways_scrolling(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_nothing_found_offers_themes_and_worrying_words_the_help_lines(tab_for, language):
    page = tab_for()
    assert page.goto(f"/catalogus?lang={language}&q=slaapproblemen+zelfmoord").status == 200
    expect(page.locator(".help-now a[href='tel:113']")).to_be_visible()
    expect(page.locator(".empty-state a[href*='thema=']").first).to_be_visible()
    assert_no_violations(page, language)
    assert_no_sideways_scrolling(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_offer_page(tab_for, language):
    page = tab_for()
    path = offer_paths(page, 1)[0]
    assert page.goto(f"{path}?lang={language}").status == 200
    expect(page.locator("#ratings-heading")).to_be_visible()
    assert_no_violations(page, language)
    assert_no_sideways_scrolling(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compare_three_on_a_phone(tab_for, language):
    page = tab_for()
    ids = [path.rsplit("/", 1)[1] for path in offer_paths(page, 3)]
    query = "&".join(f"aanbod={i}" for i in ids)
    assert page.goto(f"/catalogus/vergelijken?{query}&lang={language}").status == 200
    expect(page.locator(".compare__table th[scope=col]")).to_have_count(3)
    assert_no_violations(page, language)
    assert_no_sideways_scrolling(page)  # the table scrolls inside its own box, the page does not
    box = page.evaluate("() => { const b = document.querySelector('.compare');"
                        " return {scroll: b.scrollWidth, client: b.clientWidth}; }")
    assert box["scroll"] > box["client"]
    sticky = page.locator(".compare__table th[scope=row]").first.evaluate("el => getComputedStyle(el).position")
    assert sticky == "sticky"


def test_a_fourth_offer_is_refused_in_the_browser(tab_for):
    page = tab_for()
    ids = [path.rsplit("/", 1)[1] for path in offer_paths(page, 4)]
    response = page.goto("/catalogus/vergelijken?" + "&".join(f"aanbod={i}" for i in ids) + "&lang=nl")
    assert response.status == 422
    expect(page.get_by_role("alert")).to_contain_text("hoogstens 3")
    assert_no_violations(page, "nl")


def test_typing_updates_the_results_without_a_reload(tab_for):
    page = tab_for(None, "typing")
    page.goto("/catalogus?lang=nl")
    expect(page.locator(".results__count")).to_contain_text("180")
    page.evaluate("window.__sameDocument = true")
    page.locator("#q").press_sequentially("angstige", delay=40)
    expect(page.locator(".results__count")).not_to_contain_text("180")
    expect(page.locator("#results .offer-card").first).to_contain_text(re.compile("angst", re.I))
    expect(page).to_have_url(re.compile(r"q=angstige"))  # hx-push-url: the address can be shared
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    page.locator("summary.filters__toggle").click()
    page.locator("#taal").select_option("fy")
    expect(page).to_have_url(re.compile(r"taal=fy"))
    assert page.evaluate("window.__sameDocument") is True
    assert_no_violations(page, "nl")


def test_search_works_without_javascript(browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    try:
        page = context.new_page()
        page.goto("/catalogus?lang=nl")
        page.locator("#q").fill("angstige")
        with page.expect_navigation():
            page.locator("#catalog-search button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"q=angstige"))
        expect(page.locator("#results .offer-card").first).to_contain_text(re.compile("angst", re.I))
        boxes = page.locator("#compare-form input[name=aanbod]")
        for n in range(2):
            boxes.nth(n).check()
        with page.expect_navigation():
            page.locator("#compare-form button[type=submit]").click()
        expect(page.locator(".compare__table th[scope=col]")).to_have_count(2)
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_search_words_page_for_the_functional_manager(tab_for, language):
    page = tab_for("jeroen")
    assert page.goto(f"/beheer/zoekwoorden?lang={language}").status == 200
    expect(page.locator("textarea#text")).to_contain_text("[[concept]]")
    assert_no_violations(page, language)
    assert_no_sideways_scrolling(page)
    page.locator("textarea#text").fill("[[concept")
    page.locator("#note").fill("test")
    page.locator("#search_words_form button[type=submit]").click()
    expect(page.locator("#search_words_form .field__error")).to_be_visible()  # htmx swapped in the 422 form
    assert_no_violations(page, language)


CONTACT = {"nl": "Mark Visser, je jeugdprofessional", "fy": "Mark Visser, dyn jeugdprofessional"}
MAIL = {"nl": "Mail Mark", "fy": "Mail Mark"}


@pytest.mark.parametrize("language", ["fy", "nl"])
def test_when_nothing_is_found_sanne_sees_her_professional_and_can_mail_him(tab_for, language):
    page = tab_for("sanne")
    page.goto(f"/catalogus?lang={language}")
    page.locator("#q").fill("zzzzqqq")
    contact = page.locator(".empty-state .search-contact")
    expect(contact).to_contain_text(CONTACT[language])
    link = contact.get_by_role("link", name=MAIL[language])
    expect(link).to_have_attribute("href", re.compile(r"^mailto:mark@"))
    box = link.bounding_box()
    assert box["height"] >= 24  # WCAG 2.5.8: big enough for a thumb
    assert box["width"] >= 24
    assert_no_violations(page, language)
    assert_no_sideways_scrolling(page)
