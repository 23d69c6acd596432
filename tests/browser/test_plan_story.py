"""Issue 4's done-when in real Chromium, on the session's app server (its world as seeded): Sanne (in Frysk),
Erik, Tom and Lisa on their own
phones (390×844) and Mark on his tablet (820×1180) write one plan together, see each other's changes live, agree on
it, lose nothing, and Sanne reads it on the bus without network and adds to it there.
"""

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import assert_no_violations, people_on, sign_in_on_demo_page
from tests.browser.test_plan_kitchen_table import TABLET
from tests.browser.test_plan_offline import add_online, wait_for_copy, with_service_worker
from tests.browser.test_sync_story import agree_to_everything
from tests.support.servers import AppServer

FIXED = {"fy": "Ôfpraat en fêststeld", "nl": "Akkoord en vastgesteld"}


@pytest.fixture(scope="module")
def marks_tablet(browser: Browser, app_server: AppServer) -> Iterator[Page]:
    context = browser.new_context(base_url=app_server.url, bypass_csp=True, **TABLET)
    page = context.new_page()
    sign_in_on_demo_page(page, "mark")
    yield page
    context.close()


def test_the_family_and_mark_write_one_plan_together(browser: Browser, app_server: AppServer, marks_tablet: Page):
    tag = uuid.uuid4().hex[:4]
    with people_on(browser, app_server.url, bypass_csp=True) as person:
        sanne, erik, tom, lisa = (person(key) for key in ("sanne", "erik", "tom", "lisa"))
        with_service_worker(sanne)  # her phone keeps the plan for the bus
        plan = sanne.locator('main a[href^="/plan/"]').first.get_attribute("href")
        mark = marks_tablet
        mark.goto("/overzicht")
        with mark.expect_navigation():
            mark.locator("#caseload").get_by_role("link", name="De Boer-Hoekstra").click()
        for page in (sanne, erik, tom, lisa):
            page.goto(plan)
        expect(sanne.locator("html")).to_have_attribute("lang", "fy")
        expect(erik.locator("html")).to_have_attribute("lang", "nl")

        # Everyone sees who else has the plan open.
        for name in ("Erik", "Tom", "Lisa", "Mark"):
            expect(sanne.locator("#presence")).to_contain_text(name)

        # At the kitchen table Mark types what Tom says; it reaches Sanne's phone live, as Tom's, typed by Mark.
        mark.locator("#speaker_id").select_option(label="Tom de Boer")
        with mark.expect_navigation():
            mark.locator("form#speaker button[type=submit]").click()
        toms_words = f"Ik wil op woensdag naar voetbal blijven gaan ({tag})"
        add_online(mark, "own_words", toms_words)
        on_sanne = sanne.locator("#items-own_words article.item").filter(has_text=toms_words)
        expect(on_sanne).to_have_count(1, timeout=5000)
        expect(on_sanne.locator(".item__by")).to_contain_text("Tom de Boer")
        expect(on_sanne.locator(".item__typed")).to_contain_text("Mark Visser")

        # Sanne writes in Frysk, Erik in Dutch, Lisa a worry of her own: each reaches the others' screens live.
        strength = f"Wy kinne goed mei-inoar prate as it rêstich is ({tag}) 🙂"
        add_online(sanne, "strength", strength)
        expect(erik.locator("#items-strength article.item").filter(has_text=strength)).to_have_count(1)
        expect(mark.locator("#items-strength article.item").filter(has_text=strength)).to_have_count(1)
        worry = f"Het wisselen op vrijdag gaat nog vaak mis ({tag})"
        add_online(erik, "worry", worry)
        expect(tom.locator("#items-worry article.item").filter(has_text=worry)).to_have_count(1)
        expect(sanne.locator("#items-worry article.item").filter(has_text=worry)).to_have_count(1)

        # They agree: each on their own phone, and the plan is fixed; Mark's tablet shows it without a reload.
        for page in (tom, sanne, erik, lisa):
            agree_to_everything(page, plan)
        expect(mark.locator(".plan-status")).to_contain_text(FIXED["nl"], timeout=5000)
        sanne.goto(plan)
        expect(sanne.locator(".plan-status")).to_contain_text(FIXED["fy"])
        assert_no_violations(sanne, "fy")
        assert_no_violations(mark, "nl")

        # On the bus: no network. Sanne's phone still shows the plan, with what they wrote today, and she adds a
        # worry that waits on her phone until the bus reaches town.
        wait_for_copy(sanne, plan, strength)
        sanne.context.set_offline(True)
        try:
            sanne.reload()
            expect(sanne.locator("#offline-copy")).to_be_visible()
            expect(sanne.locator("#items-strength")).to_contain_text(strength)
            expect(sanne.locator("#items-own_words")).to_contain_text(toms_words)
            on_the_bus = f"Tom is ôfrûne wurch nei it sporten ({tag})"
            form = sanne.locator("details#add-worry")
            form.locator("summary").click()
            form.locator("textarea[name=text]").fill(on_the_bus)
            form.locator("button[type=submit]").click()
            expect(sanne.locator("article.item--pending").filter(has_text=on_the_bus)).to_have_count(1)
        finally:
            sanne.context.set_offline(False)
        expect(sanne.locator("article.item--pending")).to_have_count(0, timeout=30_000)
        # Nothing lost: it reached the server, and Erik's open plan shows it.
        erik.goto(plan)
        expect(erik.locator("#items-worry article.item").filter(has_text=on_the_bus)).to_have_count(1)
        # A new worry changes the plan, so the plan as a whole waits for agreement again (the goals stay agreed).
        expect(erik.locator(".plan-status")).to_contain_text("Wacht op akkoord")
