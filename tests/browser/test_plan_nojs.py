"""The plan without JavaScript: plain forms, a 303 back to the plan at the changed item, the page as the answer."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.journey_steps import say

TOMS_WORRY = "Mijn fiets is weer kapot en dan kom ik te laat op school."
TOMS_ACTION = "Elke dinsdag na school een halfuur wiskunde oefenen"


def test_tom_adds_a_worry_and_ticks_off_his_action(signed_in: Callable[..., Page]):
    page = signed_in("tom", java_script_enabled=False)
    page.goto("/")
    with page.expect_navigation():
        page.locator('main a[href^="/plan/"]').first.click()
    with page.expect_navigation():  # his button opens his own view; he asks for the whole plan (a plain form)
        page.get_by_role("button", name=say("nl", "Show the whole family plan")).click()
    plan_url = page.url.split("#")[0]
    expect(page.locator("#section-worry")).to_be_visible()

    # A worry: the disclosure opens without scripts, the form posts, and the answer is the plan at the new item.
    add = page.locator("details#add-worry")
    add.locator("summary").click()
    add.locator("textarea[name=text]").fill(TOMS_WORRY)
    with page.expect_navigation() as answer:
        add.locator("button[type=submit]").click()
    assert answer.value.status == 200
    assert answer.value.request.redirected_from is not None
    assert answer.value.request.redirected_from.method == "POST"
    expect(page).to_have_url(re.compile(rf"^{re.escape(plan_url)}#item-\w+$"))
    item_id = page.url.split("#")[1]
    expect(page.locator(f"article#{item_id}.item--worry")).to_contain_text(TOMS_WORRY)
    expect(page.locator("#items-worry article.item").filter(has_text=TOMS_WORRY)).to_have_count(1)

    # His action: the check button posts, and the page comes back with the action done.
    action = page.locator("article.item--action").filter(has_text=TOMS_ACTION)
    action_id = action.get_attribute("id")
    check = page.locator(f"#{action_id} button.check")
    expect(check).to_have_attribute("aria-pressed", "false")
    with page.expect_navigation() as answer:
        check.click()
    assert answer.value.status == 200
    expect(page).to_have_url(f"{plan_url}#{action_id}")
    expect(page.locator(f"article#{action_id}")).to_have_class(re.compile(r"\bitem--done\b"))
    expect(page.locator(f"#{action_id} button.check")).to_have_attribute("aria-pressed", "true")

    # And back again, so the demo family's plan is as it was.
    with page.expect_navigation():
        page.locator(f"#{action_id} button.check").click()
    expect(page.locator(f"#{action_id} button.check")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(f"article#{action_id}")).not_to_have_class(re.compile(r"\bitem--done\b"))
