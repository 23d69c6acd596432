"""Journey 8, Complain (PRODUCT.md), through the UI only at 390×844: from the footer of any screen Tom finds the
complaint route, sees the free confidential adviser (AKJ) one tap away, and files a complaint about his provider;
it is routed with a number and a deadline. Karin (the provider's complaints handling) judges it and closes it; Tom
does not agree and asks for another look (escalation): his complaint is open again. Key screens in fy and en."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_violations
from tests.browser.journey_steps import in_each_language, open_plan, phone, say, tap

TEXT = "Mijn begeleider kwam drie keer niet. Ik wil dat het beter gaat."


def test_tom_complains_from_the_plan_karin_handles_it_and_tom_asks_for_another_look(signed_in):
    tom = phone(signed_in, "tom")
    open_plan(tom)  # any screen: here the plan
    tap(tom, tom.locator("a.site-footer__complaints"))
    expect(tom.get_by_role("heading", level=1)).to_have_text(say("nl", "Not happy, or a complaint?"))
    expect(tom.locator("main a[href='tel:0885551000']")).to_be_visible()  # AKJ, one tap
    assert_no_violations(tom, "nl")
    tap(tom, tom.get_by_role("link", name=say("nl", "File a complaint")))
    tom.locator("label", has_text="Kompas Jeugdhulp Fryslân").click()
    tom.locator("#text").fill(TEXT)
    tom.locator("#complaint_form button[type=submit]").click()
    expect(tom.locator("[data-complaint-stored]")).to_contain_text(say("nl", "Your complaint is stored."))
    number = tom.locator(".complaint__number").inner_text().strip()
    assert re.fullmatch(r"\d{4}-[0-9A-Z]{6}", number), number
    expect(tom.locator("main")).to_contain_text(say("nl", "Answer at the latest"))
    expect(tom.locator("main")).to_contain_text("Klachtencommissie Kompas")  # routed to the provider's regime
    assert_no_violations(tom, "nl")

    # Karin handles it: the footer, "complaints to handle", the number.
    karin = phone(signed_in, "karin")
    tap(karin, karin.locator("a.site-footer__complaints"))
    tap(karin, karin.get_by_role("link", name=say("nl", "Complaints to handle")))
    tap(karin, karin.get_by_role("link", name=re.compile(number)))
    karin.locator("label[for=outcome-0]").click()
    karin.locator("#judgement").fill("We hebben de afspraken niet goed gepland. Dat gebeurt niet weer.")
    karin.get_by_role("button", name=say("nl", "Record the judgement")).click()
    expect(karin.locator(".alert--success")).to_be_visible()
    karin.get_by_role("button", name=say("nl", "Close the complaint")).click()
    expect(karin.locator("main")).to_contain_text(say("nl", "Closed"))
    assert_no_violations(karin, "nl")

    # Tom finds his complaint again through the footer and asks for another look.
    tap(tom, tom.locator("a.site-footer__complaints"))
    expect(tom.get_by_role("heading", level=2, name=say("nl", "Your complaints"))).to_be_visible()
    tap(tom, tom.locator("main a", has_text=number))
    expect(tom.locator("main")).to_contain_text(say("nl", "The complaint is justified"))

    def complaint_page(language: str) -> None:
        expect(tom.locator("main")).to_contain_text(say(language, "The complaint is justified"))
        expect(tom.locator("main")).to_contain_text(number)
    in_each_language(tom, complaint_page)

    tom.locator("label", has_text=say("nl", "No: please look at my complaint again")).click()
    tom.get_by_role("button", name=say("nl", "Send my answer")).click()
    expect(tom.locator(".alert--success")).to_contain_text(say("nl", "Your complaint is open again."))
    expect(tom.locator(".complaint-part .tag").first).to_have_text(say("nl", "Reopened"))
    assert_no_violations(tom, "nl")
