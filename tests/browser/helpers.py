"""Helpers for the browser tests: the phone we pretend to be, signing in, axe-core and page checks."""

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.support.servers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-results" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 390, "height": 844}
# The phone the tests pretend to be (also for contexts made outside pytest-playwright's fixtures).
PHONE = {"viewport": VIEWPORT, "is_mobile": True, "has_touch": True, "device_scale_factor": 2, "locale": "nl-NL"}
LANGUAGES = ("nl", "fy", "en")
AUTONYM = {"nl": "Nederlands", "fy": "Frysk", "en": "English"}
PERSONA_NAMES = {
    "sanne": "Sanne", "erik": "Erik", "tom": "Tom", "lisa": "Lisa", "noor": "Noor", "fenna": "Fenna",
    "mark": "Mark", "karin": "Karin", "jeroen": "Jeroen",
}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SIGN_IN_LABEL = {"nl": "Inloggen als", "fy": "Oanmelde as", "en": "Sign in as"}


def sign_in_on_demo_page(page: Page, key: str) -> None:
    """Sign in the way a person does: open /demo and press the persona's button (in any of our languages)."""
    name = PERSONA_NAMES[key]
    page.goto("/demo")
    labels = "|".join(SIGN_IN_LABEL.values())
    button = page.get_by_role("button", name=re.compile(rf"^({labels}) {name}$"))
    with page.expect_navigation():
        button.click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(page.locator(".site-footer__who")).to_contain_text(name)


def open_family(page: Page, name: str) -> str:
    """Open a family the way a professional does (their families, then its link) and return its id."""
    page.goto("/gezinnen")
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).click()
    found = re.search(r"/gezinnen/([^/?#]+)$", page.url)
    assert found, f"not on a family page: {page.url}"
    return found.group(1)


def tab_to(page: Page, element_id: str, limit: int = 40) -> dict:
    """Press Tab until the element with this id has focus (failing when it is not reached) and describe it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["id"] == element_id:
            return now
    raise AssertionError(f"#{element_id} not reached with {limit} presses of Tab; focus is on {now}")


def language_button(page: Page, autonym: str):
    """The switcher's button for a language (Nederlands, Frysk, English)."""
    return page.locator("form.language-switch").get_by_role("button", name=autonym, exact=True)


def switch_language(page: Page, autonym: str, code: str) -> None:
    """Press a language button and wait for the page to come back in that language."""
    with page.expect_navigation():
        language_button(page, autonym).click()
    expect(page.locator("html")).to_have_attribute("lang", code)


_AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations (the context must bypass CSP)."""
    assert AXE.exists(), f"axe-core not found at {AXE}: run npm ci"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(_AXE_RUN, AXE_TAGS)


def assert_no_violations(page: Page, language: str) -> None:
    """The page is in `language` and axe-core finds nothing (AXE_TAGS: WCAG 2.x A and AA, best practices)."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    violations = axe_violations(page)
    assert violations == [], f"axe found problems on {page.url}:\n{describe_violations(violations)}"


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:8]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    at {node['target']}: {summary[:300]}")
    return "\n".join(lines)


def focused(page: Page) -> dict:
    """Describe the element that has focus now."""
    return page.evaluate("""() => {
      const el = document.activeElement;
      return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || '').trim().replace(/\\s+/g, ' '),
              href: el.getAttribute('href'), cls: el.className,
              outline: getComputedStyle(el).outlineStyle};
    }""")


@contextlib.contextmanager
def people_on(browser: Browser, base_url: str, **options) -> Iterator[Callable[[str], Page]]:
    """Phones for a server of its own: `open_as("sanne")` is a new signed-in phone; all are closed afterwards."""
    contexts = []

    def open_as(key: str) -> Page:
        context = browser.new_context(base_url=base_url, **PHONE, **options)
        contexts.append(context)
        page = context.new_page()
        sign_in_on_demo_page(page, key)
        return page

    try:
        yield open_as
    finally:
        for context in contexts:
            context.close()
