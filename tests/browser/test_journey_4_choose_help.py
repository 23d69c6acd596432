"""Journey 4, Choose help (PRODUCT.md), through the UI only at 390×844: from Tom's goal Erik searches the catalogue
(ambulant help, Frysk-speaking staff, short wait, nearby), ticks three offers and compares them, opens one and
chooses it for the goal; Mark confirms the choice and the request goes to the municipality; the family sees its
state in the plan. Key screens in fy and en too.

The municipality's answer arriving through the API (assigned, with its number) needs the backoffice simulator and the
delivery worker: tests/browser/test_sync_story.py walks that part."""

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_violations
from tests.browser.journey_steps import in_each_language, open_plan, phone, say, tap

TOM_GOAL = "Tom gaat weer met plezier naar school"


def test_erik_compares_and_chooses_help_for_toms_goal_and_mark_confirms_it(signed_in):
    erik = phone(signed_in, "erik")
    open_plan(erik)
    goal = erik.locator(".goal-block", has_text=TOM_GOAL)
    tap(erik, goal.get_by_role("link", name=say("nl", "Find help for this goal")))
    expect(erik.locator(".goal-banner")).to_contain_text(TOM_GOAL)
    expect(erik.locator("#leeftijd")).to_have_value("14")  # Tom's age, from the goal

    filters = erik.locator("details.filters")
    if filters.get_attribute("open") is None:
        filters.locator("summary").click()
    erik.locator("#soort").select_option("45")
    erik.locator("#taal").select_option("fy")
    erik.locator("#wachttijd").select_option("5")
    erik.locator("#afstand").select_option("10")
    tap(erik, erik.locator("#catalog-search button[type=submit]"))
    cards = erik.locator("#results .offer-card")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 3
    names = [cards.nth(n).locator(".offer-card__title").inner_text().strip() for n in range(3)]
    for n in range(3):
        cards.nth(n).locator('input[name="aanbod"]').check()
    assert_no_violations(erik, "nl")
    tap(erik, erik.get_by_role("button", name=say("nl", "Compare ticked offers")))
    columns = erik.locator("table.compare__table th[scope=col]")
    expect(columns).to_have_count(3)
    for name in names:
        expect(erik.locator("table.compare__table")).to_contain_text(name)
    assert_no_violations(erik, "nl")

    def compare_page(language: str) -> None:
        expect(erik.locator("table.compare__table th[scope=col]")).to_have_count(3)
        expect(erik.get_by_role("link", name=say(language, "Back to the search"))).to_be_visible()
    in_each_language(erik, compare_page)

    tap(erik, columns.first.get_by_role("link"))
    choose = erik.locator("#choose")
    expect(choose).to_contain_text(TOM_GOAL)
    tap(erik, choose.get_by_role("button", name=say("nl", "Choose this help")))
    help_block = erik.locator(".goal-block", has_text=TOM_GOAL).locator(".assignment")
    expect(help_block).to_contain_text(names[0])
    expect(help_block).to_contain_text(say("nl", "Chosen"))
    assert_no_violations(erik, "nl")

    # Mark confirms on his phone: the request goes to the municipality.
    mark = phone(signed_in, "mark")
    open_plan(mark)
    marks_block = mark.locator(".goal-block", has_text=TOM_GOAL).locator(".assignment")
    tap(mark, marks_block.get_by_role("link", name=say("nl", "Confirm the choice")))
    expect(mark.get_by_role("heading", level=1)).to_have_text(say("nl", "Confirm the choice"))
    expect(mark.locator("main")).to_contain_text(names[0])
    expect(mark.locator("main")).to_contain_text("Erik")  # chosen by
    assert_no_violations(mark, "nl")
    tap(mark, mark.get_by_role("button", name=say("nl", "Confirm and request the help")))
    expect(marks_block).to_contain_text(say("nl", "Requested"))

    # The family sees the request's state in the plan, in each language.
    erik.reload()
    expect(help_block).to_contain_text(say("nl", "Requested"))

    def plan_with_request(language: str) -> None:
        expect(erik.locator(".goal-block", has_text=TOM_GOAL).locator(".assignment")).to_contain_text(
            say(language, "Requested"))
    in_each_language(erik, plan_with_request)
