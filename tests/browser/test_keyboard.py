"""Keyboard only, on a phone-sized screen: skip link, the help panel, touch targets of at least 44 px, and focus
in inline editors and error summaries."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_violations, focused

HELP_NUMBERS = ["tel:112", "tel:08002000", "tel:08000432", "tel:113"]

# Every visible interactive element, except links inside running text (WCAG 2.5.8's inline exception).
SMALL_TARGETS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"])';
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || style.display === 'none' || box.width === 0 || box.height === 0) continue;
    if (el.closest('details:not([open]) > :not(summary)')) continue;
    if (el.tagName === 'A' && style.display === 'inline' && el.closest('p')) continue;
    if (box.width < 44 || box.height < 44) {
      small.push({html: el.outerHTML.slice(0, 120), width: Math.round(box.width * 10) / 10,
                  height: Math.round(box.height * 10) / 10});
    }
  }
  return small;
}"""


def tab(page: Page) -> dict:
    page.keyboard.press("Tab")
    now = focused(page)
    assert now["outline"] != "none", f"no visible focus outline on {now}"
    return now


def test_skip_link_is_first_and_moves_focus_to_the_content(page: Page):
    page.goto("/")
    first = tab(page)
    assert (first["tag"], first["text"], first["href"]) == ("a", "Naar de inhoud", "#main")
    box = page.locator(".skip-link").bounding_box()
    assert box is not None
    assert box["y"] >= 0, f"the focused skip link is off screen: {box}"
    expect(page.locator(".skip-link")).to_be_in_viewport()

    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    # The next Tab continues inside the content, not back at the top.
    after = tab(page)
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)"), after


def test_help_panel_opens_and_closes_with_the_keyboard(page: Page):
    page.goto("/")
    order = []
    for _ in range(10):
        now = tab(page)
        order.append(now["text"])
        if now["tag"] == "summary":
            break
    assert order == ["Naar de inhoud", "Nederlands", "Frysk", "English", "Ons Plan", "Catalogus", "Hulp nodig?"]
    details = page.locator("details.help-menu")
    expect(details).not_to_have_attribute("open", "")
    # The ☎ icon is decoration: screen readers hear only the words.
    expect(page.locator("summary.help-menu__toggle")).to_have_accessible_name("Hulp nodig?")

    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    reached = [tab(page)["href"] for _ in HELP_NUMBERS]
    assert reached == HELP_NUMBERS
    assert tab(page)["href"] == "/hulp"

    page.keyboard.press("Escape")
    expect(details).not_to_have_attribute("open", "")
    now = focused(page)
    assert (now["tag"], now["text"]) == ("summary", "Hulp nodig?")
    # Space opens it too, as for any button.
    page.keyboard.press(" ")
    expect(details).to_have_attribute("open", "")


@pytest.mark.parametrize(("path", "open_help"), [("/", False), ("/", True), ("/demo", False), ("/demo?lang=fy", False)],
                         ids=["welcome", "welcome-help-open", "demo", "demo-fy"])
def test_touch_targets_are_at_least_44px(page: Page, path: str, open_help: bool):
    page.goto(path)
    if open_help:
        page.locator("summary.help-menu__toggle").click()
        expect(page.locator(".help-menu__panel a[href='tel:112']")).to_be_visible()
    assert page.locator("a[href], button, summary").count() > 5
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], "targets smaller than 44x44 CSS px:\n" + "\n".join(map(str, small))


# Inline editors and error summaries (WCAG 2.4.3): focus goes into what opened, back to the item after saving or
# cancelling, and to the error summary after a 422; never to <body>.

def tab_until(page: Page, description: str, check: str, limit: int = 400) -> dict:
    """Press Tab until `check` (a JavaScript function of the focused element) is true; fail if never."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"({check})(document.activeElement)"):
            return focused(page)
    raise AssertionError(f"{description} not reached with {limit} presses of Tab; focus is on {focused(page)}")


def plan_with_an_editable_item(page: Page) -> tuple[str, str]:
    """Open the family plan from the home page; return an item the person may edit and its edit link's address."""
    page.goto("/")
    with page.expect_navigation():
        page.locator('main a[href^="/plan/"]').first.click()
    edit = page.locator("article.item .item__tools a[href$='/bewerken']").first
    expect(edit).to_be_visible()
    return edit.evaluate("a => a.closest('article').id"), edit.get_attribute("href")


def test_inline_editor_takes_focus_and_gives_it_back_after_saving_and_cancelling(signed_in):
    page = signed_in("erik")
    item_id, edit_url = plan_with_an_editable_item(page)
    edit_link = page.locator(f"#{item_id} a[href='{edit_url}']")
    tab_until(page, "the item's Edit link", f"el => el.getAttribute('href') === '{edit_url}'")

    # Enter opens the editor in place: focus is in its first field, not on <body>.
    page.keyboard.press("Enter")
    text = page.locator(f"#{item_id}-text")
    expect(text).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" (met het toetsenbord)")
    tab_until(page, "Save", "el => el.tagName === 'BUTTON' && el.textContent.trim() === 'Opslaan'")
    page.keyboard.press("Enter")
    expect(page.locator(f"article#{item_id}")).to_contain_text("(met het toetsenbord)")
    expect(edit_link).to_be_focused()  # back on the saved item: the next Enter edits it again

    page.keyboard.press("Enter")
    expect(text).to_be_focused()
    tab_until(page, "Cancel", "el => el.tagName === 'A' && el.textContent.trim() === 'Annuleren'")
    page.keyboard.press("Enter")
    expect(page.locator(f"article#{item_id}")).to_be_visible()
    expect(edit_link).to_be_focused()


def test_removing_an_item_with_the_keyboard_puts_focus_on_its_section(signed_in):
    page = signed_in("erik")
    item_id, edit_url = plan_with_an_editable_item(page)
    section = page.locator(f"section:has(#{item_id})")
    heading_id = section.locator("h2").first.get_attribute("id")
    tab_until(page, "the item's Edit link", f"el => el.getAttribute('href') === '{edit_url}'")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{item_id}-text")).to_be_focused()
    tab_until(page, "Remove", "el => el.tagName === 'BUTTON' && el.textContent.trim() === 'Verwijderen'")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{item_id}")).to_have_count(0)
    expect(page.locator(f"#{heading_id}")).to_be_focused()  # where the item was, not <body>


def test_after_a_422_the_summary_has_focus_and_its_link_goes_into_the_field(signed_in):
    page = signed_in("erik")
    item_id, edit_url = plan_with_an_editable_item(page)
    tab_until(page, "the item's Edit link", f"el => el.getAttribute('href') === '{edit_url}'")
    page.keyboard.press("Enter")
    text = page.locator(f"#{item_id}-text")
    expect(text).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Backspace")  # an item needs its text
    tab_until(page, "Save", "el => el.tagName === 'BUTTON' && el.textContent.trim() === 'Opslaan'")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/bewerken")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 422

    summary = page.locator(f"#{item_id} .error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Controleer wat je hebt ingevuld")
    link = summary.get_by_role("link")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", f"#{item_id}-text")
    now = tab(page)
    assert now["href"] == f"#{item_id}-text", now
    page.keyboard.press("Enter")
    expect(text).to_be_focused()
    expect(text).to_have_attribute("aria-invalid", "true")


@pytest.mark.parametrize("language", ["nl", "fy", "en"])
def test_profile_422_summary_is_focused_links_to_the_field_and_passes_axe(signed_in, language: str):
    page = signed_in("sanne", bypass_csp=True)
    page.goto(f"/profiel?lang={language}")
    name = page.locator("#given_name")
    name.focus()  # the first field of the form (reached with Tab from the skip link otherwise)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Backspace")
    with page.expect_response(lambda r: r.request.method == "POST" and "/profiel" in r.url) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 422
    summary = page.locator("#profile_form .error-summary")
    expect(summary).to_be_focused()
    assert_no_violations(page, language)
    now = tab(page)
    assert now["href"] == "#given_name", now
    page.keyboard.press("Enter")
    expect(name).to_be_focused()
