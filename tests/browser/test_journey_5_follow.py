"""Journey 5, Follow (PRODUCT.md), through the UI only at 390×844: Tom opens a notification from the bell, lands in
the plan, ticks off his action; Sanne sees it done and the evaluation moments; Oma Fenna sees only her own task and
ticks it off. Key screens in fy and en too.

The provider's progress notes, from her own work list, are walked in test_journey_provider.py."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_violations
from tests.browser.journey_steps import in_each_language, open_plan, phone, say, tap

TOMS_ACTION = "Elke dinsdag na school een halfuur wiskunde oefenen"
TOM_GOAL = "Tom gaat weer met plezier naar school"
FENNAS_TASK = "Noor tiisdeis fan skoalle helje"


def test_tom_follows_a_notification_and_ticks_off_his_action_and_fenna_sees_only_hers(signed_in):
    tom = phone(signed_in, "tom")
    bell = tom.locator("#notifications-link")
    expect(bell).to_have_attribute("aria-label", re.compile(r"\d+"))  # new ones waiting
    tap(tom, bell)
    expect(tom.get_by_role("heading", level=1)).to_have_text(say("nl", "Notifications"))
    assert_no_violations(tom, "nl")
    tap(tom, tom.locator("main a", has_text=f"Mark heeft het doel veranderd: {TOM_GOAL}"))
    expect(tom.locator("h1")).to_contain_text("De Boer-Hoekstra")
    expect(tom.locator(".goal-block", has_text=TOM_GOAL)).to_be_visible()

    # He ticks off his action.
    action = tom.locator("article.item--action").filter(has_text=TOMS_ACTION)
    check = action.locator("button.check")
    expect(check).to_have_attribute("aria-pressed", "false")
    check.click()
    expect(action.locator("button.check")).to_have_attribute("aria-pressed", "true")
    expect(action).to_have_class(re.compile(r"\bitem--done\b"))
    assert_no_violations(tom, "nl")

    # Sanne sees it done, and when the family looks back together.
    sanne = phone(signed_in, "sanne")
    open_plan(sanne)
    on_sanne = sanne.locator("article.item--action").filter(has_text=TOMS_ACTION)
    expect(on_sanne).to_have_class(re.compile(r"\bitem--done\b"))
    expect(sanne.locator("#heading-evaluation")).to_have_text(say("fy", "When we look back together"))
    expect(sanne.locator("#section-evaluation article.item").first).to_be_visible()

    # Oma Fenna: only her own task, and she ticks it off.
    fenna = phone(signed_in, "fenna")
    open_plan(fenna)
    expect(fenna.locator(".plan-section h2")).to_have_count(1)
    task = fenna.locator("#section-action article.item--action").filter(has_text=FENNAS_TASK)
    expect(task).to_have_count(1)
    expect(fenna.locator("#section-action article.item--action")).to_have_count(1)
    expect(fenna.get_by_text(TOMS_ACTION)).to_have_count(0)
    task.locator("button.check").click()
    expect(task.locator("button.check")).to_have_attribute("aria-pressed", "true")
    assert_no_violations(fenna, "fy")

    # Tom's plan with his action done, in Frysk and English.
    def plan_with_action_done(language: str) -> None:
        done = tom.locator("article.item--action").filter(has_text=TOMS_ACTION)
        expect(done.locator("button.check")).to_have_attribute("aria-pressed", "true")
        expect(tom.locator("#heading-action")).to_have_text(say(language, "Who does what"))
    in_each_language(tom, plan_with_action_done)
