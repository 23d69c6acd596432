"""Journey 7, Rate (PRODUCT.md), through the UI only at 390×844: the help for a goal ended, so Sanne finds the
invitation to rate it under the bell; she rates it; Jeroen (editors) checks it without seeing who wrote it and
publishes it; Karin sees it, without a name, for her organisation and replies in public; anyone sees the figures
of enough families and her reply in the catalogue. Key screens in fy and en too."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_violations
from tests.browser.journey_steps import go_home, in_each_language, phone, say, tap

TEXT = "Se harken goed nei Tom en nei ús. Tige tank!"
REPLY = "Dank je wel. Fijn dat het wisselen nu goed gaat."


def test_sanne_rates_the_help_jeroen_publishes_it_and_karin_replies(signed_in, new_context):
    sanne = phone(signed_in, "sanne")  # Frysk
    tap(sanne, sanne.locator("#notifications-link"))
    invitation = sanne.locator("main a").filter(has_text=re.compile(re.escape(
        say("fy", "The help for this goal has ended. How was it? Give your rating: %(text)s", text="")[:30])))
    expect(invitation.first).to_be_visible()
    tap(sanne, invitation.first)
    if sanne.locator("form#rating_form").count() == 0:  # the list of help to rate: this one
        tap(sanne, sanne.locator('main a[href^="/beoordelen/"]').first)
    form = sanne.locator("form#rating_form")
    expect(sanne.get_by_role("heading", level=1)).to_have_text(
        say("fy", "Rate %(provider)s", provider="Kompas Jeugdhulp Fryslân"))
    assert_no_violations(sanne, "fy")
    form.locator('input[name="overall"][value="9"]').check()
    form.locator('textarea[name="text"]').fill(TEXT)
    tap(sanne, form.get_by_role("button", name=say("fy", "Send my rating")))
    expect(sanne.locator("main")).to_contain_text(re.compile("kontrolearre|redaksje", re.IGNORECASE))
    assert_no_violations(sanne, "fy")

    # Jeroen checks it: he never sees her name.
    jeroen = phone(signed_in, "jeroen")
    tap(jeroen, jeroen.get_by_role("link", name=say("nl", "Ratings to check")))
    card = jeroen.locator("li.card").filter(has_text=TEXT)
    expect(card).to_be_visible()
    assert "Sanne" not in jeroen.locator("main").inner_text()
    assert_no_violations(jeroen, "nl")

    def queue(language: str) -> None:
        expect(jeroen.get_by_role("heading", level=1)).to_have_text(say(language, "Ratings to check"))
        expect(jeroen.locator("li.card").filter(has_text=TEXT)).to_be_visible()
    in_each_language(jeroen, queue)
    tap(jeroen, card.get_by_role("button", name=say("nl", "Publish"), exact=True))
    expect(jeroen.locator("li.card").filter(has_text=TEXT)).to_have_count(0)

    # Karin sees it for her organisation, without a name, and replies.
    karin = phone(signed_in, "karin")
    tap(karin, karin.get_by_role("link", name=say("nl", "Ratings of your organisation")))
    rating = karin.locator("li.rating").filter(has_text=TEXT)
    expect(rating).to_be_visible()
    assert "Sanne" not in karin.locator("main").inner_text()
    answer = rating.locator("xpath=following-sibling::li[1]")  # her reply form under the rating
    answer.get_by_label(say("nl", "Your public reply (at most %(max)d words)", max=200)).fill(REPLY)
    tap(karin, answer.get_by_role("button", name=say("nl", "Save reply")))
    expect(karin.locator("li.rating").filter(has_text=TEXT).locator(".rating__reply")).to_contain_text(REPLY)
    expect(karin.locator("main")).to_contain_text(REPLY)
    assert_no_violations(karin, "nl")

    # Anyone: the catalogue, the offer, its provider: the figures of five families, her text and Karin's reply.
    visitor = new_context(bypass_csp=True).new_page()
    visitor.goto("/")
    tap(visitor, visitor.get_by_role("link", name=say("nl", "Catalogue"), exact=True))
    visitor.get_by_role("searchbox").first.fill("Thuisbegeleiding bij opvoedvragen")
    tap(visitor, visitor.locator("#catalog-search button[type=submit]"))
    card = visitor.locator("#results .offer-card").filter(has_text="Kompas Jeugdhulp Fryslân")
    tap(visitor, card.locator(".offer-card__title a", has_text="Thuisbegeleiding bij opvoedvragen").first)
    tap(visitor, visitor.locator('main a[href^="/catalogus/aanbieders/"]').first)
    figures = visitor.locator(".ratings-figures")
    expect(figures).to_contain_text(TEXT)
    expect(figures).to_contain_text("5 gezinnen")
    expect(figures).to_contain_text(REPLY)
    assert "Sanne" not in figures.inner_text()
    assert "Hoekstra" not in figures.inner_text()
    assert_no_violations(visitor, "nl")

    def provider_page(language: str) -> None:
        expect(visitor.locator(".ratings-figures")).to_contain_text(say(language, "Reply from the provider"))
    in_each_language(visitor, provider_page)
    go_home(visitor)
