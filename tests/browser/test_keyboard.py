"""Keyboard only, on a phone-sized screen: skip link, the help panel, and touch targets of at least 44 px."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import focused

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
