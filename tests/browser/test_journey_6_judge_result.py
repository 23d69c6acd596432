"""Journey 6, Judge the result (PRODUCT.md), through the UI only at 390×844: the help for the goal "Vaste afspraken
over wisselen" has stopped; from the plan Tom, Sanne and Erik each judge it "achieved" with an explanation, Mark
gives his verdict as the professional, and Sanne answers the national outcome questions. The family's verdict is
set and shown. Key screens in fy and en too."""

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_violations
from tests.browser.journey_steps import in_each_language, open_plan, phone, say, tap

GOAL = "Vaste afspraken over wisselen tussen de huizen"


def open_result(page: Page) -> None:
    """From the home page: the plan, then the goal's "judge the result" link."""
    open_plan(page)
    goal = page.locator(".goal-block", has_text=GOAL)
    tap(page, goal.locator('.result-status a[href$="/resultaat"]'))
    expect(page.get_by_role("heading", level=1)).to_have_text(say(page.locator("html").get_attribute("lang"),
                                                                     "The result of a goal"))
    expect(page.locator("main")).to_contain_text(GOAL)


def judge(page: Page, verdict: str, explanation: str) -> None:
    form = page.locator("form#judge")
    form.locator(f'input[name="verdict"][value="{verdict}"]').check()
    form.locator('textarea[name="explanation"]').fill(explanation)
    tap(page, form.get_by_role("button"))


def test_the_family_judges_the_result_on_their_phones_and_their_verdict_decides(signed_in):
    tom = phone(signed_in, "tom")
    open_result(tom)
    expect(tom.locator("main")).to_contain_text(say("nl", "Why it stopped"))  # the provider's stop, with its reason
    assert_no_violations(tom, "nl")
    judge(tom, "achieved", "Het wisselen gaat nu bijna altijd goed 🙂")
    expect(tom.locator("#verdicts")).to_contain_text("Het wisselen gaat nu bijna altijd goed")

    mark = phone(signed_in, "mark")
    open_result(mark)
    judge(mark, "partly", "Het gaat beter, op vrijdag nog niet altijd.")

    sanne = phone(signed_in, "sanne")  # Frysk
    open_result(sanne)
    judge(sanne, "achieved", "It wikseljen giet no goed. Tom hat syn spullen by him.")
    erik = phone(signed_in, "erik")
    open_result(erik)
    judge(erik, "achieved", "Het gaat goed.")

    # The family agrees, so its verdict is set: "achieved", though the professional said "partly".
    family = erik.locator("#family-verdict")
    expect(family).to_contain_text(say("nl", "Achieved"))
    verdicts = erik.locator("#verdicts")
    for name in ("Tom", "Sanne", "Mark"):
        expect(verdicts).to_contain_text(name)
    assert_no_violations(erik, "nl")

    # Sanne answers the two national questions about the help.
    sanne.reload()
    outcome = sanne.locator("form#outcome")
    outcome.locator('input[name="usefulness"][value="8"]').check()
    outcome.locator('input[name="independence"]').first.check()
    tap(sanne, outcome.get_by_role("button"))
    thanks = say("fy", "Thank you. You can change your answers.")
    expect(sanne.locator("form#outcome [role=status]")).to_have_text(thanks)
    expect(sanne.locator("#family-verdict")).to_contain_text(say("fy", "Achieved"))
    assert_no_violations(sanne, "fy")

    def result_page(language: str) -> None:
        expect(erik.locator("#family-verdict")).to_contain_text(say(language, "The family verdict"))
        expect(erik.locator("#family-verdict")).to_contain_text(re.compile(re.escape(say(language, "Achieved"))))
    in_each_language(erik, result_page)
