"""Putting Ons Plan into use, on a phone in real Chromium and in Frysk: Jeroen, the municipality's functional
manager, adds a care provider and invites its first staff member, who accepts with the code on her own phone and
finds her work at home; Jeroen then ends her role. Every admin page passes axe and fits a phone, in fy and nl."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_violations, focused, phone_layout_problems, switch_language, tab_to
from tests.browser.journey_steps import phone, say, tap

PROVIDER = "Bernetiid Fryslân 🧸 ôâûê"


def test_a_functional_manager_adds_a_provider_and_its_first_staff_member_in_frysk(signed_in, new_context):
    jeroen = phone(signed_in, "jeroen")
    switch_language(jeroen, "Frysk", "fy")
    tap(jeroen, jeroen.get_by_role("link", name=say("fy", "Organisations and staff")))
    assert_no_violations(jeroen, "fy")
    assert phone_layout_problems(jeroen) == []
    tap(jeroen, jeroen.get_by_role("link", name=say("fy", "Add an organisation")))
    assert_no_violations(jeroen, "fy")
    assert phone_layout_problems(jeroen) == []

    # A wrong AGB code is said in Frysk, in place, and what was typed stays.
    jeroen.get_by_label(say("fy", "Name of the organisation")).fill(PROVIDER)
    jeroen.get_by_label(say("fy", "A care provider"), exact=True).check()
    jeroen.get_by_label(say("fy", "AGB code (for a care provider)")).fill("12ab")
    jeroen.get_by_role("button", name=say("fy", "Add organisation")).click()
    expect(jeroen.locator("[data-error-summary]")).to_contain_text(say("fy", "An AGB code has exactly 8 digits."))
    expect(jeroen.get_by_label(say("fy", "Name of the organisation"))).to_have_value(PROVIDER)
    assert_no_violations(jeroen, "fy")

    jeroen.get_by_label(say("fy", "AGB code (for a care provider)")).fill("1234 5678")
    with jeroen.expect_navigation():
        jeroen.get_by_role("button", name=say("fy", "Add organisation")).click()
    expect(jeroen.get_by_role("heading", level=1)).to_have_text(PROVIDER)
    expect(jeroen.locator("main")).to_contain_text("12345678")

    # The invitation, with the keyboard: the role, her name and e-mail, and Frysk as her language.
    tap(jeroen, jeroen.get_by_role("link", name=say("fy", "Invite someone to work here")))
    assert_no_violations(jeroen, "fy")
    assert phone_layout_problems(jeroen) == []
    tab_to(jeroen, "role-0")
    care_provider = say("fy", "care provider")
    expect(jeroen.get_by_label(care_provider[:1].upper() + care_provider[1:], exact=True)).to_be_focused()
    jeroen.keyboard.press("Space")
    tab_to(jeroen, "given_name")
    jeroen.keyboard.type("Wytske")
    tab_to(jeroen, "email")
    jeroen.keyboard.type("wytske@bernetiid.example")
    tab_to(jeroen, "language-0")
    jeroen.keyboard.press("ArrowDown")
    expect(jeroen.get_by_label("Frysk", exact=True)).to_be_checked()
    jeroen.keyboard.press("Tab")
    assert focused(jeroen)["text"] == say("fy", "Make invitation")
    with jeroen.expect_navigation():
        jeroen.keyboard.press("Enter")
    code = jeroen.locator(".invitation-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert_no_violations(jeroen, "fy")
    assert phone_layout_problems(jeroen) == []

    # Wytske, on her own phone, types the code and accepts.
    wytske = new_context().new_page()
    wytske.goto("/uitnodiging")
    switch_language(wytske, "Frysk", "fy")
    wytske.locator("#code").fill(code.lower().replace("-", " "))
    with wytske.expect_navigation():
        wytske.locator("#code").press("Enter")
    expect(wytske.locator("main")).to_contain_text(PROVIDER)
    expect(wytske.locator("main")).to_contain_text(say("fy", "care provider"))
    with wytske.expect_navigation():
        wytske.get_by_role("button", name=say("fy", "Demo: accept without DigiD")).click()
    expect(wytske.locator("main")).to_contain_text(say("fy", "Your work"))
    expect(wytske.locator("main")).to_contain_text(PROVIDER)

    # Jeroen sees her on the staff list and ends her role; in Dutch the pages pass axe too.
    jeroen.reload()
    expect(jeroen.locator(".member").filter(has_text="Wytske")).to_have_count(1)
    tap(jeroen, jeroen.get_by_role("link", name=say("fy", "End the role of %(name)s", name="Wytske")))
    expect(jeroen.get_by_role("heading", level=1)).to_have_text(say("fy", "End the role of %(name)s?",
                                                                    name="Wytske"))
    assert_no_violations(jeroen, "fy")
    assert phone_layout_problems(jeroen) == []
    with jeroen.expect_navigation():
        jeroen.get_by_role("button", name=say("fy", "Yes, end the role")).click()
    expect(jeroen.locator(".alert--success")).to_contain_text(say("fy", "The role has ended. Their sessions have "
                                                                        "ended too."))
    expect(jeroen.locator(".member").filter(has_text="Wytske")).to_have_count(0)
    switch_language(jeroen, "Nederlands", "nl")
    assert_no_violations(jeroen, "nl")
    wytske.reload()  # her session ended with her role
    expect(wytske.locator("main")).not_to_contain_text(PROVIDER)
