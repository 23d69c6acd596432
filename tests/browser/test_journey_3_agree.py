"""Journey 3, Agree (PRODUCT.md), through the UI only at 390×844: Erik first disagrees with a goal and must say why;
then he, Tom (14), Sanne and Lisa (16) agree per goal and with the whole plan, each on their own phone. Noor (9) is
not asked (DOMAIN.md §4). When everyone required agrees, the plan is fixed and a message waits for the
municipality. Key screens in fy and en too."""

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_violations
from tests.browser.journey_steps import go_home, in_each_language, open_plan, phone, say, tap

REASON = "Eerst wil ik met Tom over de wisseldagen praten."


def agree_everywhere(page: Page) -> None:
    """Answer "yes" on every agreement form this person sees, one after the other, as they scroll the plan."""
    forms = page.locator("form.agreement__form")
    for n in range(forms.count()):
        form = forms.nth(n)
        form.locator('input[value="agree"]').check()
        tap(page, form.get_by_role("button"))
        expect(page.locator(".agreement .field__error")).to_have_count(0)


def test_each_member_agrees_on_their_phone_and_the_plan_is_fixed(signed_in):
    erik = phone(signed_in, "erik")
    open_plan(erik)
    expect(erik.locator(".plan-status")).to_contain_text("Wacht op akkoord")
    whole_plan = erik.locator("#agreement")
    form = whole_plan.locator("form.agreement__form")

    # "No" without a reason: the plan asks why, and nothing is stored.
    form.get_by_label(say("nl", "No, I do not agree")).check()
    tap(erik, form.get_by_role("button", name=say("nl", "Save my answer")))
    expect(erik.locator("#agreement .field__error").first).to_be_visible()
    assert_no_violations(erik, "nl")
    form = erik.locator("#agreement form.agreement__form")
    form.get_by_label(say("nl", "No, I do not agree")).check()
    form.get_by_label("Waar ben je het niet mee eens?").fill(REASON)
    tap(erik, form.get_by_role("button", name=say("nl", "Save my answer")))
    erik_line = erik.locator("#agreement .agreement__person").filter(has_text="Erik")
    expect(erik_line).to_contain_text("is het er niet mee eens")
    expect(erik_line).to_contain_text(REASON)

    # Noor (9) reads the plan but is not asked to agree: her parents act for her.
    noor = phone(signed_in, "noor")
    open_plan(noor)
    expect(noor.locator("form.agreement__form")).to_have_count(0)

    # Erik talked with Tom and changes his answer; then Tom, Sanne and Lisa agree on their own phones.
    agree_everywhere(erik)
    expect(erik.locator("#agreement .agreement__person").filter(has_text="Erik")).to_contain_text(
        "is het ermee eens")
    for key in ("tom", "sanne", "lisa"):
        member = phone(signed_in, key)
        open_plan(member)
        agree_everywhere(member)

    # The plan is fixed: Erik sees it, and the plan waits as a message for the municipality (Jeroen's screen).
    erik.reload()
    expect(erik.locator(".plan-status")).to_contain_text("Akkoord en vastgesteld")
    assert_no_violations(erik, "nl")

    def fixed_plan(language: str) -> None:
        expect(erik.locator(".plan-status")).to_contain_text(say(language, "Agreed and fixed"))
    in_each_language(erik, fixed_plan)

    jeroen = phone(signed_in, "jeroen")
    tap(jeroen, jeroen.get_by_role("link", name="Alle berichten aan de gemeente"))
    tap(jeroen, jeroen.get_by_role("link", name=re.compile(r"^Nog niet verstuurd")))
    expect(jeroen.locator("main")).to_contain_text(re.compile("plan.fixed|vastgesteld", re.I))
    go_home(jeroen)
