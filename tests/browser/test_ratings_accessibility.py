"""axe-core finds nothing on the ratings pages in nl, fy and en: the explanation, the help to rate, the rating form
(and its 422 answer), the redactie's queue and internal figures, the provider's replies, and a provider page with
figures once five families rated (the last test publishes Erik's rating)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import LANGUAGES, assert_no_violations
from tests.browser.test_notifications_accessibility import assert_fits_the_phone

PAGES = [  # (persona or None for a visitor, path)
    (None, "/beoordelingen/uitleg"),
    ("sanne", "/beoordelen"),
    ("jeroen", "/redactie"),
    ("jeroen", "/redactie/jeugdprofessionals"),
    ("karin", "/aanbieder/beoordelingen"),
]


def _rating_path(page) -> str:
    page.goto("/beoordelen")
    return re.search(r"/beoordelen/\d+", page.content()).group(0)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("persona", "path"), PAGES, ids=[p for _, p in PAGES])
def test_ratings_page(tab_for, persona, path: str, language: str):
    page = tab_for(persona)
    assert page.goto(f"{path}?lang={language}").status == 200
    assert_no_violations(page, language)
    assert_fits_the_phone(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_rating_form_and_its_error_state(tab_for, language: str):
    page = tab_for("sanne")
    path = _rating_path(page)
    assert page.goto(f"{path}?lang={language}").status == 200
    assert_no_violations(page, language)
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.locator("#rating_form button[type=submit]").click()
    assert info.value.status == 422
    expect(page.locator("#overall-error")).to_be_visible()
    expect(page.locator("#rating_form")).not_to_have_class(re.compile("htmx-(request|settling)"))
    assert_no_violations(page, language)
    assert_fits_the_phone(page)


def test_provider_page_with_figures(tab_for):
    erik = tab_for("erik")
    erik.goto(_rating_path(erik))
    erik.locator("label[for=overall-8]").click()
    erik.locator("#text").fill("Goed holpen, tige tank.")
    erik.locator("#rating_form button[type=submit]").click()
    expect(erik.locator(".alert--success")).to_be_visible()
    jeroen = tab_for("jeroen")
    jeroen.goto("/redactie")
    jeroen.locator("form[action$='/publiceren'] button").first.click()
    expect(jeroen.locator(".alert--success")).to_be_visible()
    visitor = tab_for()
    for language in LANGUAGES:
        visitor.goto("/catalogus/aanbieders/1?lang=" + language)
        expect(visitor.locator(".ratings-figures__average")).to_be_visible()
        assert_no_violations(visitor, language)  # (the catalog's own links predate the 44 px check: not asserted)
