"""axe-core finds nothing on the family plan, its history and Mark's overview (same rules as test_accessibility.py),
and nothing scrolls sideways on a phone.

Every family member reads the plan in their own language (Lisa asks for English), as it opens and with every
"add" form and an item's editor open. The empty "add a worry" form is sent once
per language: htmx puts the 422 answer in place of the form. Pages that only read share one tab per persona.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_violations

# Each family member with the language they read the plan in (Sanne and Fenna prefer Frysk).
PLAN_READERS = [("sanne", "fy"), ("tom", "nl"), ("noor", "nl"), ("lisa", "en"), ("fenna", "fy"), ("mark", "nl")]
TICKS_ONLY = ("fenna",)  # a network member: her own task, ticked off or on (identity/policy.can_tick_off)
SANNE_WORRY = "Tom giet net graach nei skoalle"  # a worry Sanne changed in the demo: its history has <ins>/<del>


def plan_of(page: Page) -> str:
    """The family plan's path, found the way a family member finds it: the button on their home page."""
    page.goto("/")
    link = page.locator('main a[href^="/plan/"]').first
    expect(link).to_be_visible()
    return re.match(r"/plan/[^/]+", link.get_attribute("href")).group(0)  # a youth's button opens their own view


@pytest.fixture(scope="module")
def plan_path(tab_for) -> str:
    return plan_of(tab_for("sanne"))


def open_plan(page: Page, plan_path: str, language: str) -> None:
    assert page.goto(f"{plan_path}?lang={language}").status == 200
    expect(page.locator(".plan-section").first).to_be_visible()  # oma Fenna has only her tasks' section


def assert_every_field_labelled(page: Page) -> None:
    """No id is used twice, and every field a person can fill in has its own label (axe does not see a label
    that points at another form's field with the same id)."""
    found = page.evaluate("""() => {
      const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
      const twice = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
      const fields = [...document.querySelectorAll('textarea, select, input:not([type=hidden]):not([type=submit])')];
      const unlabelled = fields.filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label'))
        .map((el) => `${el.name} in ${el.form ? el.form.getAttribute('action') : '?'}`);
      return {twice, unlabelled};
    }""")
    assert found == {"twice": [], "unlabelled": []}, f"on {page.url}: {found}"


def assert_no_sideways_scrolling(page: Page) -> None:
    """At 390 px nothing is wider than the screen: the page never scrolls sideways."""
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth})")
    assert widths["page"] <= widths["screen"], f"{page.url} scrolls sideways: {widths}"


@pytest.mark.parametrize(("persona", "language"), PLAN_READERS)
def test_plan_page(tab_for, plan_path: str, persona: str, language: str):
    page = tab_for(persona)
    open_plan(page, plan_path, language)
    assert_no_violations(page, language)
    assert_no_sideways_scrolling(page)

    # Every "add" form opened (the disclosures work without JavaScript too) and an item's editor opened in place
    # (htmx swaps the item for its form): one axe run sees both.
    toggles = page.locator("details.add > summary")
    for index in range(toggles.count()):
        toggles.nth(index).click()
    expect(page.locator("details.add:not([open])")).to_have_count(0)
    edits = page.locator("article.item .item__tools a[href$='/bewerken']")
    if persona in TICKS_ONLY:  # she ticks her task off and changes nothing: no editor to open, a tick box instead
        expect(edits).to_have_count(0)
        expect(page.locator("article.item form.item__done button.check")).to_have_count(1)
        assert_no_violations(page, language)
        return
    edit = edits.first
    item_id = edit.evaluate("a => a.closest('article').id")
    edit.click()
    expect(page.locator(f"div.item--editing#{item_id} form textarea").first).to_be_visible()
    assert_no_violations(page, language)
    assert_every_field_labelled(page)
    assert_no_sideways_scrolling(page)


@pytest.mark.parametrize(("persona", "language"), [("tom", "nl"), ("sanne", "fy"), ("lisa", "en")])
def test_plan_page_after_an_empty_worry(tab_for, plan_path: str, persona: str, language: str):
    page = tab_for(persona)
    open_plan(page, plan_path, language)
    add = page.locator("details#add-worry")
    add.locator("summary").click()
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/onderdelen/worry")) as info:
        add.locator("form button[type=submit]").click()
    assert info.value.status == 422
    add = page.locator("details#add-worry[open]")  # the answer replaced the whole disclosure, still open
    expect(add.locator("[role=alert]")).to_be_visible()
    expect(add.locator(".error-summary")).to_be_focused()  # a screen reader reads it; its link goes to the field
    expect(add.locator(".error-summary a")).to_have_attribute("href", "#add-worry-text")
    expect(add.locator("textarea[aria-invalid=true]")).to_have_count(1)
    expect(add.locator(".field__error")).not_to_have_count(0)
    expect(page.locator("details#add-worry")).to_have_count(1)
    assert_no_violations(page, language)
    assert_every_field_labelled(page)
    assert_no_sideways_scrolling(page)


@pytest.mark.parametrize(("persona", "language"), [("sanne", "fy"), ("mark", "nl"), ("tom", "en")])
def test_history_page(tab_for, plan_path: str, persona: str, language: str):
    page = tab_for(persona)
    open_plan(page, plan_path, language)
    worry = page.locator("article.item--worry").filter(has_text=SANNE_WORRY)
    history = worry.locator("a[href$='/geschiedenis']").get_attribute("href")
    assert re.fullmatch(r"/plan/\w+/onderdelen/\w+/geschiedenis", history), history
    assert page.goto(f"{history}?lang={language}").status == 200
    expect(page.locator("li.version")).not_to_have_count(0)
    expect(page.locator("li.version ins").first).to_be_visible()
    assert_no_violations(page, language)
    assert_no_sideways_scrolling(page)


@pytest.mark.parametrize("language", ["nl", "fy"])
def test_the_overview_is_one_screen_on_marks_tablet(browser, browser_context_args, signed_in_state, language: str):
    """Mark's whole caseload on his tablet held upright (820×1180): every family in view, nothing to scroll."""
    tablet = {**browser_context_args, "viewport": {"width": 820, "height": 1180}, "is_mobile": False,
              "has_touch": True, "device_scale_factor": 1}
    context = browser.new_context(**tablet, storage_state=signed_in_state("mark"))
    try:
        page = context.new_page()
        assert page.goto(f"/overzicht?lang={language}").status == 200
        rows = page.locator("#caseload tbody tr")
        expect(rows.nth(5)).to_be_visible()
        size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert size[0] <= size[1], f"sideways scrolling on the tablet: {size}"
        assert len(page.locator("#caseload thead th").all_inner_texts()) == 6
        # One line (or two) per family, so a caseload of a dozen families is one screen, whoever else the tests
        # added to Mark's list.
        table = page.locator("#caseload table").bounding_box()
        head = page.locator("#caseload thead").bounding_box()
        heights = [box["height"] for box in (rows.nth(i).bounding_box() for i in range(rows.count()))]
        assert max(heights) <= 60, heights
        assert table["y"] + head["height"] + 12 * max(heights) <= 1180, (table, head, heights)
    finally:
        context.close()


@pytest.mark.parametrize("language", ["nl", "fy", "en"])
def test_overview(tab_for, language: str):
    page = tab_for("mark")
    assert page.goto(f"/overzicht?lang={language}").status == 200
    rows = page.locator("#caseload tbody tr")
    expect(rows.nth(5)).to_be_visible()  # the demo family, the five the demo seed gives Mark, any made by tests
    assert_no_violations(page, language)
    assert_no_sideways_scrolling(page)

    # Sorted by name with htmx: the table is swapped in place and the address follows.
    sort = page.locator("nav.sort a[href$='sort=name']")
    with page.expect_response(lambda r: "/overzicht?sort=name" in r.url) as info:
        sort.click()
    assert info.value.request.headers.get("hx-request") == "true"
    expect(sort).to_have_attribute("aria-current", "true")  # the sort links are swapped with the table
    expect(page.locator("nav.sort a[aria-current]")).to_have_count(1)
    expect(sort).to_be_focused()  # the link pressed keeps the focus
    expect(page).to_have_url(re.compile(r"sort=name"))
    names = [name.strip() for name in page.locator("#caseload tbody th a").all_inner_texts()]
    assert names == sorted(names, key=str.casefold), names
    assert_no_violations(page, language)
    assert_no_sideways_scrolling(page)
