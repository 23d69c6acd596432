"""Journey 1, Start (PRODUCT.md), through the UI only at 390×844: Mark opens a family and invites Sytse (14); on her
own phone Sytse enters the code from the welcome page, accepts and is signed in; Mark sees the invitation accepted.
Key screens in fy and en too, axe on each."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_violations
from tests.browser.journey_steps import heading, in_each_language, phone, say, tap

FAMILY = "Gezin Veenstra-Sikkema"


def test_mark_opens_a_family_invites_sytse_and_she_accepts_on_her_phone(signed_in, new_context):
    mark = phone(signed_in, "mark")
    tap(mark, mark.get_by_role("link", name="Je gezinnen", exact=True))
    tap(mark, mark.get_by_role("link", name="Nieuw gezin openen"))
    heading(mark, "Nieuw gezin openen")
    assert_no_violations(mark, "nl")
    mark.get_by_label(say("nl", "Family name")).fill(FAMILY)
    tap(mark, mark.get_by_role("button", name="Gezin openen"))
    heading(mark, FAMILY)

    tap(mark, mark.get_by_role("link", name="Iemand uitnodigen"))
    mark.get_by_label(say("nl", "Young person"), exact=True).check()
    mark.get_by_label(say("nl", "First name"), exact=True).fill("Sytse")
    birthday = date.today() - timedelta(days=14 * 365 + 30)
    mark.get_by_label(say("nl", "Date of birth (for a young person)")).fill(birthday.isoformat())
    mark.get_by_label("Nederlands", exact=True).check()
    tap(mark, mark.get_by_role("button", name="Uitnodiging maken"))
    expect(mark.locator(".invitation-made")).to_contain_text("De uitnodiging voor Sytse is klaar")
    code = mark.locator(".invitation-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    sytse_card = mark.locator("li.invitation").filter(has_text="Sytse")
    expect(sytse_card.locator(".status")).to_have_text(say("nl", "Waiting"))
    assert_no_violations(mark, "nl")

    def family_page(language: str) -> None:
        family = say(language, "Family %(name)s", name="Veenstra-Sikkema")  # "Gesin …" in Frysk
        expect(mark.get_by_role("heading", level=1)).to_have_text(family)
        expect(sytse_card.locator(".status")).to_have_text(say(language, "Waiting"))
        expect(mark.get_by_role("link", name=say(language, "Invite someone"))).to_be_visible()
    in_each_language(mark, family_page)

    # Sytse's own phone: the welcome page, "I have an invitation code", the code, accept.
    sytse = new_context(bypass_csp=True).new_page()
    sytse.goto("/")
    tap(sytse, sytse.get_by_role("link", name="Ik heb een uitnodigingscode"))
    heading(sytse, "Ik heb een uitnodigingscode")
    sytse.get_by_label(say("nl", "Invitation code")).fill(code)
    tap(sytse, sytse.get_by_role("button", name=say("nl", "Continue")))
    heading(sytse, say("nl", "Welcome, %(name)s", name="Sytse"))
    expect(sytse.locator("main")).to_contain_text(FAMILY)
    assert_no_violations(sytse, "nl")

    def accept_page(language: str) -> None:
        heading(sytse, say(language, "Welcome, %(name)s", name="Sytse"))
        expect(sytse.get_by_role("button", name=say(language, "Demo: accept without DigiD"))).to_be_visible()
    in_each_language(sytse, accept_page)

    tap(sytse, sytse.get_by_role("button", name=say("nl", "Demo: accept without DigiD")))
    heading(sytse, say("nl", "Hello %(name)s", name="Sytse"))
    expect(sytse.get_by_role("link", name=FAMILY, exact=True)).to_be_visible()
    expect(sytse.locator("main")).to_contain_text(say("nl", "%(age)s years", age=14))
    expect(sytse.locator(".site-footer__who")).to_contain_text("Sytse")
    assert_no_violations(sytse, "nl")

    # Mark sees her in the family: the invitation accepted, Sytse a member.
    mark.reload()
    expect(sytse_card.locator(".status")).to_have_text(say("nl", "Accepted"))
    expect(mark.locator(".member__name").filter(has_text="Sytse")).to_have_count(1)
