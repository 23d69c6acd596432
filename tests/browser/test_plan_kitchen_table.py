"""At the kitchen table: Mark holds his tablet, Tom speaks. With the keyboard only, Mark says Tom is speaking now and
types Tom's own words; the plan shows them as Tom's, typed by Mark.
"""

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import PHONE, focused, tab_to

TABLET = {**PHONE, "viewport": {"width": 820, "height": 1180}}
TOM, MARK, FENNA = "Tom de Boer", "Mark Visser", "Fenna Hoekstra"
TOMS_WORDS = "Ik wil dat school weet dat ik het soms gewoon niet snap, en dat ik niet lui ben."


def choose_with_arrow_keys(page: Page, select_id: str, label: str) -> None:
    """Move through a focused select with the arrow keys until `label` is chosen."""
    select = page.locator(f"#{select_id}")
    options = [text.strip() for text in select.locator("option").all_inner_texts()]
    assert label in options, options
    for _ in range(len(options)):
        now = select.evaluate("s => s.selectedIndex")
        if options[now] == label:
            return
        page.keyboard.press("ArrowDown" if options.index(label) > now else "ArrowUp")
    raise AssertionError(f"{label} not chosen with the arrow keys: {select.evaluate('s => s.value')}")


@pytest.fixture
def marks_tablet(browser: Browser, browser_context_args: dict, signed_in_state: Callable[[str], Path]
                 ) -> Iterator[Page]:
    context = browser.new_context(**{**browser_context_args, **TABLET}, storage_state=signed_in_state("mark"))
    yield context.new_page()
    context.close()


def test_mark_types_what_tom_says(marks_tablet: Page):
    page = marks_tablet
    page.goto("/overzicht")  # Mark finds the family in his overview
    with page.expect_navigation():
        page.locator("#caseload").get_by_role("link", name="De Boer-Hoekstra").click()
    expect(page).to_have_url(re.compile(r"/plan/\w+$"))
    expect(page.locator("form#speaker")).to_be_visible()
    expect(page.locator(".speaker-now")).to_have_count(0)  # Mark speaks for himself until he says otherwise

    # Keyboard only: Tab to "who is speaking now", arrow down to Tom, Tab to the button and press Enter.
    tab_to(page, "speaker_id")
    choose_with_arrow_keys(page, "speaker_id", TOM)
    page.keyboard.press("Tab")
    assert focused(page)["tag"] == "button", focused(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/plan/\w+#speaker$"))  # the plain form's answer: back at the select
    expect(page.locator("#speaker_id option:checked")).to_have_text(TOM)
    expect(page.locator(".speaker-now")).to_contain_text(TOM)
    expect(page.locator("#speaker-status")).to_have_attribute("role", "status")  # read out when it changes
    expect(page.locator("#speaker-status .speaker-now")).to_have_count(1)

    # Tom's own words, still with the keyboard: open the disclosure, type, and press Enter on the button.
    add = page.locator("details#add-own_words")
    add.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(add).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    assert focused(page)["tag"] == "textarea", focused(page)
    page.keyboard.type(TOMS_WORDS)
    page.keyboard.press("Tab")
    assert focused(page)["tag"] == "button", focused(page)
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/onderdelen/own_words")) as sent:
        page.keyboard.press("Enter")
    assert sent.value.status == 200

    item = page.locator("#items-own_words article.item").filter(has_text=TOMS_WORDS)
    expect(item).to_have_count(1)
    expect(item.locator(".item__by")).to_contain_text(f"— {TOM}")
    expect(item.locator(".item__typed")).to_contain_text(MARK)

    # Saved: Mark speaks again (a speaker is for one thing said), and the page says so without a reload.
    expect(page.locator("#speaker_id option:checked")).to_have_text(MARK)
    expect(page.locator("#speaker-status")).to_have_text(
        f"Bewaard als woorden van {TOM}. Wat je nu typt, is weer van jou.")
    expect(page.locator(".speaker-now")).to_have_count(0)

    # The same after a reload: saved as Tom's words, typed by Mark.
    page.reload()
    item = page.locator("#items-own_words article.item").filter(has_text=TOMS_WORDS)
    expect(item.locator(".item__by")).to_contain_text(f"— {TOM}")
    expect(item.locator(".item__typed")).to_contain_text(MARK)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_oma_fenna_speaks_then_mark_again_and_a_new_goal_is_a_choice_for_a_task(marks_tablet: Page):
    """Oma Fenna is at the table too: Mark can choose her as speaker. After her words are saved the next words are
    Mark's own, and a goal he adds is in the "who does what" form's goal list at once (all without a reload)."""
    page = marks_tablet
    page.set_viewport_size(PHONE["viewport"])  # Mark's phone this time
    page.goto("/overzicht")
    with page.expect_navigation():
        page.locator("#caseload").get_by_role("link", name="De Boer-Hoekstra").click()
    page.locator("#speaker_id").select_option(label=FENNA)
    with page.expect_navigation():
        page.get_by_role("button", name="Andere spreker kiezen").click()
    expect(page.locator(".speaker-now")).to_contain_text(f"{FENNA} is nu aan het woord")

    def add(kind: str, text: str, **choices: str) -> None:
        details = page.locator(f"details#add-{kind}")
        if details.get_attribute("open") is None:  # it stays open after an earlier add
            details.locator("summary").click()
        details.locator("textarea[name=text]").fill(text)
        for name, label in choices.items():
            details.locator(f"select[name={name}]").select_option(label=label)
        with page.expect_response(lambda r: r.request.method == "POST" and f"/onderdelen/{kind}" in r.url) as sent:
            details.get_by_role("button", name="Toevoegen").click()
        assert sent.value.status == 200
        expect(page.locator(f"article.item--{kind}").filter(has_text=text)).to_have_count(1)

    fenna_words = "Noor vertelt op dinsdag in de auto altijd over school."
    add("strength", fenna_words)
    said = page.locator("article.item--strength").filter(has_text=fenna_words)
    expect(said.locator(".item__by")).to_contain_text(f"— {FENNA}")
    expect(page.locator("#speaker_id option:checked")).to_have_text(MARK)
    expect(page.locator("#speaker-status")).to_contain_text(f"Bewaard als woorden van {FENNA}")

    marks_words = "Het gezin zoekt zelf naar oplossingen."
    add("strength", marks_words)
    expect(page.locator("article.item--strength").filter(has_text=marks_words).locator(".item__by")
           ).to_have_text(f"— {MARK}")

    goal = "Noor zwemt in de zomer zelf haar diploma B"
    add("goal", goal, domain="Vrije tijd en vrienden")
    goal_choice = page.locator("#add-action-goal_id option").filter(has_text=goal)
    expect(goal_choice).to_have_count(1)  # no reload
    task = "Oma Fenna brengt Noor op dinsdag naar zwemles"
    add("action", task, goal_id=goal)
    page.reload()
    block = page.locator(".goal-block").filter(has=page.locator("h3", has_text=goal))
    expect(block.locator("article.item--action").filter(has_text=task)).to_have_count(1)
