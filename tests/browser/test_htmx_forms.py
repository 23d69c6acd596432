"""The profile form with htmx (answers swapped in place) and without JavaScript (whole pages)."""

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in_on_demo_page

NASTY_NAME = "Tôm 🙂 <script>alert(1)</script>"


def is_profile_post(response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/profiel")


def submit(page: Page):
    """Press Save and return the response to the form's POST."""
    with page.expect_response(is_profile_post) as info:
        page.locator("#profile_form").get_by_role("button", name="Opslaan").click()
    return info.value


def watch(page: Page) -> tuple[list[str], list[str]]:
    """Record alert dialogs and main-frame navigations from now on."""
    dialogs: list[str] = []
    navigations: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    return dialogs, navigations


def save_name(page: Page, name: str) -> None:
    page.goto("/profiel")
    page.locator("#given_name").fill(name)
    assert submit(page).status == 200
    expect(page.locator("#profile_form .alert--success")).to_be_visible()


def test_profile_saves_in_place_and_shows_the_name_as_text(signed_in):
    page = signed_in("tom")
    page.goto("/profiel")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    dialogs, navigations = watch(page)
    page.evaluate("window.stillTheSamePage = true")
    try:
        page.locator("#given_name").fill(NASTY_NAME)
        response = submit(page)
        assert response.status == 200
        assert response.request.headers.get("hx-request") == "true"
        expect(page.locator("#profile_form .alert--success")).to_have_text("Je wijzigingen zijn opgeslagen.")
        expect(page.locator("#given_name")).to_have_value(NASTY_NAME)
        assert navigations == []
        assert page.evaluate("window.stillTheSamePage === true")
        assert page.locator("#profile_form").count() == 1

        # Every page now shows the name as text: no script runs, the characters survive.
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Hallo {NASTY_NAME}")
        assert "<script>alert(1)</script>" in page.locator("h1").text_content()
        expect(page.locator(".site-footer__who")).to_contain_text(NASTY_NAME)
        assert page.locator("main script, footer script").count() == 0
        page.wait_for_timeout(200)
        assert dialogs == []
    finally:
        save_name(page, "Tom")


def test_empty_name_shows_the_error_in_place(signed_in):
    page = signed_in("tom")
    page.goto("/profiel")
    _dialogs, navigations = watch(page)
    name = page.locator("#given_name")
    name.fill("")
    response = submit(page)
    assert response.status == 422
    expect(page.locator("#given_name-error")).to_have_text("Vul je naam in.")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_attribute("aria-describedby", re.compile(r"\bgiven_name-error\b"))
    expect(page.locator("#profile_form [role=alert]")).to_be_visible()
    assert navigations == []
    expect(page).to_have_url(re.compile(r"/profiel$"))

    # Correct it: the error goes, the name is saved.
    name.fill("Tom")
    assert submit(page).status == 200
    expect(page.locator("#given_name-error")).to_have_count(0)
    expect(page.locator("#given_name")).not_to_have_attribute("aria-invalid", "true")


def test_expired_csrf_token_says_so_and_keeps_what_was_typed(signed_in):
    page = signed_in("tom")
    page.goto("/profiel")
    _dialogs, navigations = watch(page)
    page.locator("#given_name").fill("Tom met een nieuwe naam")
    page.evaluate("""() => {
      document.body.setAttribute('hx-headers', JSON.stringify({'X-CSRFToken': 'not-the-token'}));
      document.querySelector('#profile_form input[name=csrf_token]').value = 'not-the-token';
    }""")
    response = submit(page)
    assert response.status == 400
    alerts = page.locator("#alerts")
    expect(alerts).to_contain_text("Dit formulier is verlopen")
    expect(alerts.locator("[role=alert]")).to_be_visible()
    expect(page.locator("#given_name")).to_have_value("Tom met een nieuwe naam")
    assert navigations == []

    # Nothing was saved.
    page.reload()
    expect(page.locator("#given_name")).to_have_value("Tom")


def test_without_javascript_the_error_page_keeps_the_other_values(new_context):
    page = new_context(java_script_enabled=False).new_page()
    sign_in_on_demo_page(page, "lisa")
    page.goto("/profiel")
    assert page.locator("#profile_form").get_attribute("hx-post")  # htmx would take over if scripts ran
    page.locator("#given_name").fill("")
    page.get_by_label("English").check()
    with page.expect_navigation() as info:
        page.locator("#profile_form").get_by_role("button", name="Opslaan").click()
    assert info.value.status == 422
    expect(page).to_have_url(re.compile(r"/profiel$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Je gegevens")
    expect(page.locator("#given_name-error")).to_have_text("Vul je naam in.")
    expect(page.locator("#given_name")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("English")).to_be_checked()
    expect(page.get_by_label("Nederlands")).not_to_be_checked()

    # Nothing was saved: Lisa's name and language are as before.
    page.goto("/profiel")
    expect(page.locator("#given_name")).to_have_value("Lisa")
    expect(page.get_by_label("Nederlands")).to_be_checked()
