"""A plan item's Edit link, tick box and a goal's follow button answer in place on a phone (390×844), sent by one
listener in app.js (`data-in-place`) instead of htmx attributes on each: the editor opens with focus in its first
field, Cancel puts focus back on the Edit link, a tick ticks (without a connection it waits, as before), and none of
it loads a page. Mark's big plan (30 goals, 100 tasks, 500 history entries, as bench/plan.py grows it) leaves htmx
little to set up at start-up (issue 23)."""

import importlib.util
import re
import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import VIEWPORT
from tests.browser.journey_steps import open_plan, say
from tests.browser.test_plan_offline import TEXTS
from tests.browser.test_plan_offline import open_plan as open_plan_with_worker
from tests.support.servers import ROOT

# What htmx 2 sets up when it starts (its findElementsToProcess): every element with a request or trigger attribute,
# every form and every element with type="submit", whatever its attributes.
HTMX_SETS_UP = "[hx-get], [hx-post], [hx-put], [hx-delete], [hx-patch], [hx-trigger], [hx-ext], form, [type='submit']"
HX_ATTRIBUTES = "[hx-get], [hx-post], [hx-trigger]"
# On the big plan, measured 2026-12-07: 44 elements with hx-* attributes (was 317) and 194 set up (was 468).
MOST_HX_ATTRIBUTES = 50
MOST_SET_UP = 210
OFFLINE = TEXTS["nl"]


def stays_on_this_page(page: Page) -> None:
    """Mark the loaded document: a full page load (a navigation) forgets the mark."""
    page.evaluate("window.samePage = true")


def still_on_this_page(page: Page, url: str) -> None:
    assert page.evaluate("window.samePage === true"), "a page was loaded"
    assert page.url.split("#")[0] == url


def test_on_a_phone_edit_tick_and_follow_answer_in_place_without_a_page_load(signed_in: Callable[..., Page]):
    page = signed_in("mark")
    page.goto("/")
    plan_url = open_plan(page)
    assert page.viewport_size == VIEWPORT
    stays_on_this_page(page)

    # Edit: the editor comes in place of the goal, focus in its first field; Cancel brings the goal back, focus on Edit.
    goal = page.locator("article.item--goal").first
    goal_id = goal.get_attribute("id")
    edit = goal.locator(".item__tools a[href$='/bewerken']")
    expect(edit).to_be_visible()
    href = edit.get_attribute("href")  # read before: a predicate must not call back into the page while it waits
    with page.expect_request(lambda r: r.url.endswith(href)) as sent:
        edit.click()
    assert sent.value.headers.get("hx-request") == "true"
    assert sent.value.headers.get("hx-target") == goal_id  # the server marks the Edit link for focus after Cancel
    editor = page.locator(f"#{goal_id}.item--editing")
    expect(editor.locator("textarea").first).to_be_focused()
    still_on_this_page(page, plan_url)
    editor.get_by_role("link", name=say("nl", "Cancel")).click()
    expect(page.locator(f"article#{goal_id}")).to_be_visible()
    expect(page.locator(f"#edit-{goal_id.removeprefix('item-')}")).to_be_focused()
    still_on_this_page(page, plan_url)

    # The tick box: the task is done, and focus stays on its box; once more and it is open again.
    task = page.locator("article.item--action").filter(has=page.locator("button.check[aria-pressed=false]")).first
    task_id = task.get_attribute("id")
    tick = page.locator(f"#{task_id} button.check")
    tick.click()
    expect(tick).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#{task_id}")).to_have_class(re.compile(r"\bitem--done\b"))
    expect(tick).to_be_focused()
    tick.click()
    expect(tick).to_have_attribute("aria-pressed", "false")
    expect(page.locator(f"#{task_id}")).not_to_have_class(re.compile(r"\bitem--done\b"))
    still_on_this_page(page, plan_url)

    # A goal's follow button.
    follow = page.locator("form.follow button").first
    pressed = follow.get_attribute("aria-pressed")
    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "false" if pressed == "true" else "true")
    follow.click()
    expect(follow).to_have_attribute("aria-pressed", pressed)
    still_on_this_page(page, plan_url)


def test_a_click_with_a_modifier_key_leaves_the_edit_link_to_the_browser(signed_in: Callable[..., Page]):
    page = signed_in("mark")
    page.goto("/")
    open_plan(page)
    edit = page.locator("article.item--goal .item__tools a[href$='/bewerken']").first
    with page.context.expect_page() as opened:
        edit.click(modifiers=["ControlOrMeta"])  # a new tab with the editor's own page
    expect(opened.value.locator(".item--editing textarea").first).to_be_visible()
    expect(page.locator(".item--editing")).to_have_count(0)


@pytest.fixture
def big_plan(app_server) -> dict:
    """Grow the demo plan into Mark's big plan (bench/plan.py, as the benches audit it); the world is put back as
    seeded before the next test."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        spec = importlib.util.spec_from_file_location("bench_plan", ROOT / "bench" / "plan.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.make_big(app_server.env["DATABASE_URL"])
    finally:
        sys.path.remove(str(ROOT / "bench"))


def test_the_big_plan_leaves_htmx_little_to_set_up_and_its_controls_still_answer_in_place(
        signed_in: Callable[..., Page], big_plan: dict):
    page = signed_in("mark")
    page.goto(f"/plan/{big_plan['plan_id']}?live=0")
    expect(page.locator("article.item--action")).to_have_count(big_plan["actions"])
    edit_links = page.locator("article.item .item__tools a[href$='/bewerken']").count()
    assert edit_links >= big_plan["goals"] + big_plan["actions"]  # Mark may edit every goal and task
    with_attributes = page.locator(HX_ATTRIBUTES).count()
    set_up = page.locator(HTMX_SETS_UP).count()
    assert with_attributes <= MOST_HX_ATTRIBUTES, f"{with_attributes} elements with hx-* attributes"
    assert set_up <= MOST_SET_UP, f"htmx sets up {set_up} elements at start-up"
    expect(page.locator("details[id^=add-] form[hx-post]")).to_have_count(9)  # the add forms are still htmx's

    # The last task on the long page still ticks in place.
    stays_on_this_page(page)
    task = page.locator("article.item--action").last
    tick = task.locator("button.check")
    before = tick.get_attribute("aria-pressed")
    tick.click()
    expect(tick).to_have_attribute("aria-pressed", "false" if before == "true" else "true")
    assert page.evaluate("window.samePage === true"), "a page was loaded"


def is_done(app_server, item_id: str) -> bool:
    """Whether the server has the task as done."""
    path = app_server.env["DATABASE_URL"].removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as conn:
        return bool(conn.execute("SELECT is_done FROM plan_item WHERE id = ?", (item_id,)).fetchone()[0])


def test_a_tick_without_a_connection_waits_on_the_phone_and_is_sent_when_back(signed_in, app_server):
    page = signed_in("erik")
    open_plan_with_worker(page)
    task = page.locator("article.item--action").filter(has=page.locator("button.check[aria-pressed=false]")).first
    task_id = task.get_attribute("id")
    task, tick = page.locator(f"#{task_id}"), page.locator(f"#{task_id} button.check")
    page.context.set_offline(True)
    try:
        tick.click()  # offline.js hears htmx's send error on the form and queues the tick
        expect(task).to_have_class(re.compile(r"\bitem--pending\b"))
        expect(tick).to_have_attribute("aria-pressed", "true")
        expect(task.locator(".badge--pending")).to_have_text(OFFLINE["pending"])
        expect(page.locator("#offline-status")).to_contain_text(OFFLINE["queued"])
        assert not is_done(app_server, task_id.removeprefix("item-"))
    finally:
        page.context.set_offline(False)
    expect(page.locator("article.item--pending")).to_have_count(0, timeout=15_000)
    expect(tick).to_have_attribute("aria-pressed", "true")
    assert is_done(app_server, task_id.removeprefix("item-"))
