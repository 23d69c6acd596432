"""Helpers for the browser tests: the phone we pretend to be, signing in, axe-core and page checks."""

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.support.servers import ROOT

FULL_CHROMIUM = Path("/usr/bin/chromium")
# Chromium's own headless build (Debian's chromium-headless-shell, the same version and engine as chromium, without
# the browser's shell): what Playwright itself runs headless. A quarter less time for the browser tests; where a
# distribution does not package it, chromium itself (scripts/lib.sh installs what is there).
HEADLESS_SHELL = Path("/usr/lib/chromium/chromium-headless-shell")
CHROMIUM = HEADLESS_SHELL if HEADLESS_SHELL.exists() else FULL_CHROMIUM
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



# What a phone must offer (issue 17): a text field or list wide enough to see what you type or chose, tap targets of
# at least 24×24 CSS px (WCAG 2.2 SC 2.5.8, with its inline and spacing exceptions) and no sideways scrolling.
MIN_FIELD_WIDTH = 120
MIN_TARGET = 24
_PHONE_LAYOUT = """([minField, minTarget]) => {
  const FIELDS = 'input:not([type]), input[type=text], input[type=search], input[type=email], input[type=tel],'
    + ' input[type=number], input[type=date], input[type=password], input[type=url], textarea, select';
  const TARGETS = 'a[href], button, summary, input[type=checkbox], input[type=radio], input[type=submit],'
    + ' input[type=button], input[type=reset], [role=button]';
  const root = document.documentElement;
  const seen = (el) => {  // not display: none, in a closed <details>, invisible, transparent or clipped to nothing
    const shown = {contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true};
    if (!el.checkVisibility(shown)) return false;
    for (let node = el; node; node = node.parentElement) {
      if (getComputedStyle(node).clip === 'rect(0px, 0px, 0px, 0px)') return false;
    }
    return true;
  };
  const describe = (el) => {
    const r = el.getBoundingClientRect();
    const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
    const text = (el.getAttribute('aria-label') || el.innerText || label || el.getAttribute('name') || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40);
    const type = el.getAttribute('type') ? `[type=${el.getAttribute('type')}]` : '';
    const id = el.id ? `#${el.id}` : '';
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    const size = `${Math.round(r.width)}×${Math.round(r.height)} px`;
    return `<${el.tagName.toLowerCase()}${type}${id}${cls}> "${text}" ${size}`;
  };
  const small = (r) => r.width < minTarget - 0.5 || r.height < minTarget - 0.5;
  const blockOf = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      if (!getComputedStyle(node).display.startsWith('inline')) return node;
    }
    return document.body;
  };
  // SC 2.5.8 inline exception: a link in a sentence (its block holds other text than the link's own).
  const inText = (el) => el.tagName === 'A'
    && blockOf(el).textContent.replace(el.textContent, '').replace(/[\\s·|,.:;()–-]/g, '').length > 0;
  const centre = (r) => ({x: r.left + r.width / 2, y: r.top + r.height / 2});
  const distance = (c, r) => Math.hypot(Math.max(r.left - c.x, 0, c.x - r.right),
                                        Math.max(r.top - c.y, 0, c.y - r.bottom));

  // Fields and tap targets inside `scope` (what lies under an open overlay is left out: it cannot be tapped).
  const check = (scope, skip) => {
    const inside = (el) => !skip.some((s) => s.contains(el));
    const problems = [];
    for (const el of scope.querySelectorAll(FIELDS)) {
      if (inside(el) && seen(el) && el.getBoundingClientRect().width < minField) {
        problems.push(`field narrower than ${minField} px: ${describe(el)}`);
      }
    }
    // A label that holds its control, or names a checkbox or radio button, is a target of its own (pressing it
    // works the control; a choice drawn as its label, such as the 1-10 scale, has only the label to press).
    const labels = [...scope.querySelectorAll('label')].filter((l) => l.querySelector('input, select, textarea')
      || (l.control && ['checkbox', 'radio'].includes(l.control.type)));
    const targets = [...scope.querySelectorAll(TARGETS), ...labels].filter((el) => inside(el) && seen(el));
    const rects = new Map(targets.map((el) => [el, el.getBoundingClientRect()]));
    // A control whose label is a large enough target (the label works the control).
    const labelled = (el) => [...(el.labels || [])].some((l) => seen(l) && !small(l.getBoundingClientRect()));
    // SC 2.5.8 spacing exception: a 24 px circle on the small target's centre meets no other target or its circle.
    const spaced = (el, r) => targets.every((other) => {
      if (other === el || other.contains(el) || el.contains(other)) return true;
      const o = rects.get(other);
      if (small(o)) { const a = centre(r), b = centre(o); return Math.hypot(a.x - b.x, a.y - b.y) >= minTarget; }
      return distance(centre(r), o) >= minTarget / 2;
    });
    for (const el of targets) {
      const r = rects.get(el);
      if (small(r) && !inText(el) && !labelled(el) && !spaced(el, r)) {
        problems.push(`tap target smaller than ${minTarget}×${minTarget} px: ${describe(el)}`);
      }
    }
    return problems;
  };
  const sideways = () => {
    if (root.scrollWidth <= root.clientWidth) return [];
    const wide = [...document.body.querySelectorAll('*')].filter((el) => {
      if (!seen(el) || el.getBoundingClientRect().right <= root.clientWidth + 0.5) return false;
      for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
        if (node.getBoundingClientRect().right > root.clientWidth + 0.5) return false;  // an ancestor is listed
        if (getComputedStyle(node).overflowX !== 'visible') return false;  // scrolls or clips in its own box
      }
      return true;
    });
    return [`the page scrolls sideways (${root.scrollWidth} px wide on a ${root.clientWidth} px screen) because of `
      + (wide.slice(0, 5).map(describe).join('; ') || 'nothing visible')];
  };

  // Open every <details>, as a tap would. One whose content lies over the page (the help menu) is an overlay:
  // the page is checked with it closed, then the overlay on its own, open.
  const overlays = [];
  for (const details of document.querySelectorAll('details:not([open])')) {
    details.open = true;
    const content = [...details.children].filter((child) => child.tagName !== 'SUMMARY');
    if (content.some((child) => ['absolute', 'fixed'].includes(getComputedStyle(child).position))) {
      details.open = false;
      overlays.push(details);
    }
  }
  const wide = sideways();
  const problems = [...check(document, overlays), ...wide];
  for (const details of overlays) {
    details.open = true;
    const name = describe(details.querySelector('summary') || details);
    const found = [...check(details, []), ...(wide.length ? [] : sideways())];
    problems.push(...found.map((problem) => `with ${name} open: ${problem}`));
    details.open = false;
  }
  return problems;
}"""


def phone_layout_problems(page: Page) -> list[str]:
    """What is wrong with the page as it is now, on a phone: text fields and lists narrower than MIN_FIELD_WIDTH,
    tap targets smaller than MIN_TARGET (links in running text and well-spaced targets excepted, as in WCAG 2.2
    SC 2.5.8) and sideways scrolling. Every <details> is opened first, so what a tap reveals is checked too (an
    overlay such as the help menu on its own). Each problem names the element and its size."""
    return page.evaluate(_PHONE_LAYOUT, [MIN_FIELD_WIDTH, MIN_TARGET])
