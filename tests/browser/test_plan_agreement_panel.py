"""Why the plan still waits (issue 17): on a phone, the agreement panel names the goal that keeps the plan waiting and
who still has to agree, its link goes to that goal, and it changes by itself when someone agrees on another device.
Oma Fenna, who may see only her own task, sees that part and one sentence, not six empty sections."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.helpers import VIEWPORT
from tests.browser.test_plan_accessibility import plan_of

SCHOOL = "Tom gaat weer met plezier naar school"


def agree_to(page: Page, block_id: str) -> None:
    """Say "akkoord" in one agreement block, with its plain form."""
    form = page.locator(f"#{block_id} form.agreement__form")
    form.locator('input[value="agree"]').check()
    with page.expect_navigation():
        form.get_by_role("button").click()


def test_the_panel_says_which_goal_waits_for_whom_and_takes_you_there(signed_in: Callable[..., Page]):
    erik = signed_in("erik")
    plan = plan_of(erik)
    erik.goto(plan)
    assert erik.viewport_size == VIEWPORT
    agree_to(erik, "agreement")  # Erik agrees to the plan as a whole; Tom's school goal still waits for him
    panel = erik.locator("#agreement-waiting")
    expect(panel).to_contain_text("Het plan wacht nog op akkoord over:")
    line = panel.get_by_role("listitem").filter(has_text=SCHOOL)
    expect(line).to_contain_text("Moet nog akkoord geven: jij en Tom de Boer")
    expect(panel.get_by_role("listitem")).to_have_count(1)

    goal = erik.locator("article.item--goal").filter(has_text=SCHOOL)
    erik.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(goal.locator(".item__title")).not_to_be_in_viewport()
    link = line.get_by_role("link", name=SCHOOL)
    assert link.bounding_box()["height"] >= 24  # a target a thumb can hit
    link.click()
    expect(erik).to_have_url(re.compile(r"#item-\w+$"))
    expect(goal.locator(".item__title")).to_be_in_viewport()
    assert erik.url.endswith(f"#{goal.get_attribute('id')}")
    assert erik.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_panel_changes_by_itself_when_someone_agrees_elsewhere(signed_in: Callable[..., Page]):
    sanne, erik = signed_in("sanne"), signed_in("erik")
    plan = plan_of(sanne)
    sanne.goto(plan)  # in Frysk
    line = sanne.locator("#agreement-waiting").get_by_role("listitem").filter(has_text=SCHOOL)
    expect(line).to_contain_text("Moat noch ynstimme: Erik de Boer en Tom de Boer")
    erik.goto(plan)
    expect(sanne.locator("#presence")).to_contain_text("Erik")  # Sanne's live stream is open
    school_block = erik.locator(".goal-block").filter(has=erik.locator("h3", has_text=SCHOOL)).locator(".agreement")
    agree_to(erik, school_block.get_attribute("id"))
    expect(line).to_contain_text("Moat noch ynstimme: Tom de Boer")  # no reload
    expect(line).not_to_contain_text("Erik")


def test_oma_fenna_sees_her_task_and_no_empty_sections(signed_in: Callable[..., Page]):
    fenna = signed_in("fenna")
    fenna.goto(plan_of(fenna))
    expect(fenna.locator(".plan-section h2")).to_have_count(1)
    expect(fenna.locator("#section-action")).to_contain_text("Noor tiisdeis fan skoalle helje")
    expect(fenna.locator(".empty")).to_have_count(0)
    expect(fenna.get_by_text("Hjir stiet noch neat")).to_have_count(0)
    expect(fenna.locator(".plan-partial")).to_have_text(
        "Do sjochst allinnich de dielen fan it plan dy't foar dy binne. De rest fan it plan is fan it gesin.")
    expect(fenna.locator(".plan-partial")).to_be_visible()
