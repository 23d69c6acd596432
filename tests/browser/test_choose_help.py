"""Issue 5's done-when in real Chromium at 390×844: Sanne (in Frysk) finds ambulant help near Leeuwarden with
Frysk-speaking staff and less than 6 weeks' wait, compares three offers, chooses one for Tom's goal; Mark (in
Dutch) confirms it; the family sees the request's state. axe-core finds nothing on each page on the way."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_violations
from tests.browser.test_catalog import assert_no_sideways_scrolling

TOM_GOAL = "Tom gaat weer met plezier naar school"


def test_sanne_chooses_help_for_toms_goal_and_mark_confirms_it(signed_in):
    sanne = signed_in("sanne", bypass_csp=True)
    sanne.goto("/")
    with sanne.expect_navigation():
        sanne.locator('main a[href^="/plan/"]').first.click()
    plan_url = sanne.url.split("#")[0]
    goal_block = sanne.locator(".goal-block", has_text=TOM_GOAL)
    with sanne.expect_navigation():
        goal_block.get_by_role("link", name="Help sykje foar dit doel").click()
    expect(sanne.locator(".goal-banner")).to_contain_text(TOM_GOAL)
    expect(sanne.locator("#leeftijd")).to_have_value("14")  # Tom's age, from the goal
    expect(sanne.locator("#postcode")).to_have_value("8924 AB")  # the family's home
    assert_no_violations(sanne, "fy")
    assert_no_sideways_scrolling(sanne)

    # Ambulant, Frysk-speaking staff, less than 6 weeks, within 10 km, nearest first (the form without typing URLs)
    if sanne.locator("details.filters").get_attribute("open") is None:  # open already: prefilled from the goal
        sanne.locator("details.filters summary").click()
    sanne.locator("#soort").select_option("45")
    sanne.locator("#taal").select_option("fy")
    sanne.locator("#wachttijd").select_option("5")
    sanne.locator("#afstand").select_option("10")
    sanne.locator("#sorteer").select_option("distance")
    with sanne.expect_navigation():
        sanne.locator("#catalog-search button[type=submit]").click()
    cards = sanne.locator("#results .offer-card")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 3
    hrefs = [cards.nth(n).locator(".offer-card__title a").get_attribute("href") for n in range(3)]
    ids = [re.search(r"/aanbod/(\d+)", href).group(1) for href in hrefs]

    assert sanne.goto("/catalogus/vergelijken?" + "&".join(f"aanbod={i}" for i in ids)).status == 200
    expect(sanne.locator("table.compare__table th[scope=col]")).to_have_count(3)
    assert_no_violations(sanne, "fy")

    assert sanne.goto(hrefs[0]).status == 200
    choose = sanne.locator("#choose")
    expect(choose).to_contain_text(TOM_GOAL)
    assert_no_violations(sanne, "fy")
    with sanne.expect_navigation():
        choose.get_by_role("button", name="Dizze help kieze").click()
    assert sanne.url.startswith(plan_url)
    help_block = sanne.locator(".goal-block", has_text=TOM_GOAL).locator(".assignment")
    expect(help_block).to_contain_text("Keazen")
    expect(help_block).to_contain_text("Sanne")
    assert_no_violations(sanne, "fy")

    mark = signed_in("mark", bypass_csp=True)
    mark.goto(plan_url)
    mark_block = mark.locator(".goal-block", has_text=TOM_GOAL).locator(".assignment")
    with mark.expect_navigation():
        mark_block.get_by_role("link", name="De keuze bevestigen").click()
    assert_no_violations(mark, "nl")
    mark.locator("#requested_start").fill("1900-01-01")
    mark.get_by_role("button", name="Bevestigen en de hulp aanvragen").click()
    expect(mark.locator(".field--invalid")).to_be_visible()
    expect(mark.locator("#requested_start")).to_have_value("1900-01-01")  # what he typed stays
    assert_no_violations(mark, "nl")
    mark.locator("#requested_start").fill("")
    with mark.expect_navigation():
        mark.get_by_role("button", name="Bevestigen en de hulp aanvragen").click()
    expect(mark.locator(".goal-block", has_text=TOM_GOAL).locator(".assignment")).to_contain_text("Aangevraagd")

    sanne.reload()
    expect(sanne.locator(".goal-block", has_text=TOM_GOAL).locator(".assignment")).to_contain_text("Oanfrege")
    assert_no_violations(sanne, "fy")
    assert_no_sideways_scrolling(sanne)
