"""Item editors are drawn on demand: the plan page holds none; with htmx the Edit link brings one in place, without
JavaScript it opens a page with the form, and either way saving comes back to the plan at the item."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect


def open_plan(page: Page) -> str:
    page.goto("/")
    with page.expect_navigation():
        page.locator('main a[href^="/plan/"]').first.click()
    return page.url.split("#")[0]


def first_editable(page: Page) -> tuple[str, str]:
    edit = page.locator("article.item--goal .item__tools a[href$='/bewerken']").first
    expect(edit).to_be_visible()
    return edit.evaluate("a => a.closest('article').id"), edit.get_attribute("href")


def test_the_editor_comes_in_place_with_htmx_and_goes_on_cancel(signed_in: Callable[..., Page]):
    page = signed_in("mark")
    plan_url = open_plan(page)
    expect(page.locator(".item--editing")).to_have_count(0)  # no editor is drawn with the page
    expect(page.locator("input[name=version]")).to_have_count(0)
    item_id, edit_url = first_editable(page)
    with page.expect_response(lambda r: r.url.endswith(edit_url)) as answer:
        page.locator(f"#{item_id} a[href='{edit_url}']").click()
    assert answer.value.request.headers.get("hx-request") == "true"
    editor = page.locator(f"#{item_id}.item--editing")
    expect(editor.locator("textarea[name=text]")).to_be_visible()
    assert page.url.split("#")[0] == plan_url  # in place: no navigation
    expect(page.locator(".item--editing")).to_have_count(1)
    editor.get_by_role("link", name="Annuleren").click()
    expect(page.locator(f"article#{item_id}")).to_be_visible()
    expect(page.locator(".item--editing")).to_have_count(0)


def test_without_javascript_the_edit_link_opens_a_page_with_the_form(signed_in: Callable[..., Page]):
    page = signed_in("mark", java_script_enabled=False)
    plan_url = open_plan(page)
    expect(page.locator(".item--editing")).to_have_count(0)
    item_id, edit_url = first_editable(page)
    text = page.locator(f"#{item_id} .item__title").text_content()
    with page.expect_navigation():
        page.locator(f"#{item_id} a[href='{edit_url}']").click()
    assert page.url.endswith(edit_url)
    form = page.locator(f"#{item_id}.item--editing form")
    expect(form.locator("textarea[name=text]")).to_have_value(text)
    with page.expect_navigation() as answer:
        form.get_by_role("button", name="Opslaan").click()  # nothing changed: the plan as it was, at the item
    assert answer.value.status == 200
    expect(page).to_have_url(re.compile(rf"^{re.escape(plan_url)}#{item_id}$"))
    expect(page.locator(f"article#{item_id} .item__title")).to_have_text(text)
