"""One's own statement beside a part of the plan (issue 22, point 3), on phones at 390×844, taps and typing only.

Sanne (Frysk) adds her own statement to a worry about Tom on a page of its own; back in the plan it stands under the
worry, and it reaches Mark's open plan live. Mark, the professional, has no such link. Without JavaScript it works
the same. Each screen passes axe.
"""

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_violations, phone_layout_problems
from tests.browser.journey_steps import open_plan, phone, say, tap

WORRY = "Tom giet net graach nei skoalle"
STATEMENT = "Ik bin it hjir net hielendal mei iens: it giet de lêste wiken better. ôâ"


def test_sanne_adds_her_own_statement_and_mark_sees_it_live(signed_in):
    mark = phone(signed_in, "mark")
    open_plan(mark)
    sanne = phone(signed_in, "sanne")
    open_plan(sanne)
    worry = sanne.locator("#items-worry article.item", has_text=WORRY)
    expect(mark.locator("#items-worry article.item", has_text=WORRY).get_by_role(
        "link", name=say("nl", "Add my own statement"))).to_have_count(0)  # the professional states nothing

    tap(sanne, worry.get_by_role("link", name=say("fy", "Add my own statement")))
    expect(sanne.get_by_role("heading", level=1)).to_have_text(say("fy", "Add my own statement"))
    field = sanne.get_by_label(say("fy", "Your statement: what do you want to add to this, or what do you not agree "
                                         "with, and why?"))
    field.fill(STATEMENT)
    assert_no_violations(sanne, "fy")
    assert phone_layout_problems(sanne) == []
    tap(sanne, sanne.locator("main form button[type=submit]"))
    said = sanne.locator("#items-worry article.item", has_text=WORRY).locator("article.item--statement",
                                                                              has_text=STATEMENT)
    expect(said).to_have_count(1)
    expect(said).to_contain_text(say("fy", "Own statement"))

    on_mark = mark.locator("#items-worry article.item", has_text=WORRY).locator("article.item--statement",
                                                                               has_text=STATEMENT)
    expect(on_mark).to_have_count(1, timeout=5000)
    expect(on_mark.locator(".item__by")).to_contain_text("Sanne Hoekstra")
    assert_no_violations(mark, "nl")


def test_without_javascript_the_statement_has_a_page_of_its_own(signed_in):
    page = signed_in("sanne", java_script_enabled=False)
    page.goto("/")
    open_plan(page)
    worry = page.locator("#items-worry article.item", has_text=WORRY)
    tap(page, worry.get_by_role("link", name=say("fy", "Add my own statement")))
    expect(page.get_by_role("heading", level=1)).to_have_text(say("fy", "Add my own statement"))
    page.get_by_label(say("fy", "Your statement: what do you want to add to this, or what do you not agree with, "
                                "and why?")).fill(STATEMENT)
    tap(page, page.locator("main form button[type=submit]"))
    expect(page.locator("article.item--statement", has_text=STATEMENT)).to_have_count(1)
