"""Destruction on request (issue 22, point 2), on phones at 390×844, taps only, in Dutch and Frysk.

Tom (14) asks on Mijn gegevens to destroy his worry and reads that his parents must ask too; Sanne (Frysk) and Erik
ask too; Mark finds the request on his home page, decides, and the worry leaves Sanne's open plan live. Tom's receipt
says it was destroyed and nothing of what it said. Each screen passes axe and the phone layout check. The data
protection officer's counts pass axe in all three languages.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import LANGUAGES, assert_no_violations, phone_layout_problems
from tests.browser.journey_steps import go_home, open_plan, phone, say, tap

WORRY = "Ik snap wiskunde niet"
LISAS_WORRY = "Ik word heel onrustig voor toetsen"


def my_data(page, language: str) -> None:
    tap(page, page.locator("main").get_by_role("link", name=say(language, "My data"), exact=True).first)
    expect(page.get_by_role("heading", level=1)).to_have_text(say(language, "My data"))


def ask_too(page, language: str) -> None:
    my_data(page, language)
    tap(page, page.get_by_role("button", name=say(language, "Ask too")))
    expect(page.locator(".alert--success")).to_be_visible()


def test_tom_and_his_parents_ask_and_mark_destroys_it_live(signed_in):
    tom = phone(signed_in, "tom")
    my_data(tom, "nl")
    row = tom.locator(".mydata__items li", has_text=WORRY)
    tap(tom, row.get_by_role("link", name=re.compile(say("nl", "Destroy"))))
    expect(tom.get_by_role("heading", level=1)).to_have_text(say("nl", "Ask to destroy"))
    expect(tom.locator("main")).to_contain_text("Sanne Hoekstra")
    assert_no_violations(tom, "nl")
    assert phone_layout_problems(tom) == []
    tap(tom, tom.get_by_role("button", name=say("nl", "Ask to destroy this")))
    expect(tom.locator(".alert--success")).to_have_text(say("nl", "Your request is stored."))
    request = tom.locator(".mydata__request")
    expect(request).to_contain_text(say("nl", "Waiting for the others who must ask too"))
    expect(request).to_contain_text("Erik de Boer")
    assert_no_violations(tom, "nl")

    sanne = phone(signed_in, "sanne")
    ask_too(sanne, "fy")
    assert_no_violations(sanne, "fy")
    erik = phone(signed_in, "erik")
    ask_too(erik, "nl")

    go_home(sanne)
    open_plan(sanne)
    expect(sanne.locator("#items-worry article.item", has_text=WORRY)).to_have_count(1)
    mark = phone(signed_in, "mark")
    tap(mark, mark.locator("#assess-heading + ul").get_by_role("link", name=re.compile("De Boer-Hoekstra")))
    expect(mark.get_by_role("heading", level=1)).to_have_text(say("nl", "Request to destroy"))
    expect(mark.locator("main")).to_contain_text(WORRY)
    assert_no_violations(mark, "nl")
    assert phone_layout_problems(mark) == []
    mark.get_by_label(say("nl", "Destroy it: nothing stops it")).check()
    tap(mark, mark.get_by_role("button", name=say("nl", "Save my decision")))
    expect(mark.locator(".alert--success")).to_have_text(say("nl", "It has been destroyed. The askers get a receipt."))

    expect(sanne.locator("#items-worry article.item", has_text=WORRY)).to_have_count(0, timeout=5000)  # live
    tom.reload()
    expect(tom.locator(".mydata__request")).to_contain_text(say("nl", "Destroyed"))
    expect(tom.locator("main")).not_to_contain_text(WORRY)


def test_a_refusal_keeps_what_was_typed_and_says_why(signed_in):
    lisa = phone(signed_in, "lisa")
    my_data(lisa, "nl")
    row = lisa.locator(".mydata__items li", has_text=LISAS_WORRY)
    tap(lisa, row.get_by_role("link", name=re.compile(say("nl", "Destroy"))))
    expect(lisa.locator("main")).not_to_contain_text(say("nl", "They must all ask. Until then nothing happens."))
    tap(lisa, lisa.get_by_role("button", name=say("nl", "Ask to destroy this")))  # 16: hers alone to ask
    expect(lisa.locator(".alert--success")).to_have_text(
        say("nl", "Your request is stored. The youth care professional decides within three months."))

    mark = phone(signed_in, "mark")
    tap(mark, mark.locator("#assess-heading + ul").get_by_role("link", name=re.compile("De Boer-Hoekstra")))
    mark.get_by_label(say("nl", "Do not destroy it")).check()
    tap(mark, mark.get_by_role("button", name=say("nl", "Save my decision")))
    expect(mark.locator(".error-summary")).to_contain_text(
        say("nl", "Write down whose interest or which law stops the destruction."))
    expect(mark.get_by_label(say("nl", "Do not destroy it"))).to_be_checked()  # the choice is kept
    assert_no_violations(mark, "nl")
    reason = "De rechter vroeg om dit dossier; het blijft tot de uitspraak. ô 🙂"
    mark.get_by_label(say("nl", "Why not: whose important interest or which law stops it?")).fill(reason)
    tap(mark, mark.get_by_role("button", name=say("nl", "Save my decision")))
    expect(mark.locator(".alert--success")).to_be_visible()

    lisa.reload()
    expect(lisa.locator(".mydata__request")).to_contain_text(reason)
    expect(lisa.locator(".mydata__request")).to_contain_text(say("nl", "Not destroyed"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_data_protection_officers_counts(tab_for, language: str):
    page = tab_for("jeroen")
    page.goto(f"/?lang={language}")
    link = page.get_by_role("link", name=say(language, "Rights over dossiers"))
    page.goto(f"{link.get_attribute('href')}?lang={language}")  # the language of this look, as in the other checks
    expect(page.locator("h1")).to_have_text(say(language, "Rights over dossiers"))
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_asking_to_destroy_the_whole_dossier_reads_well(tab_for, language: str):
    page = tab_for("tom")
    page.goto(f"/mijn-gegevens?lang={language}")
    assert_no_violations(page, language)
    link = page.get_by_role("link", name=say(language, "Ask to destroy the whole dossier"))
    page.goto(f"{link.get_attribute('href')}?lang={language}")
    expect(page.locator("h1")).to_have_text(say(language, "Ask to destroy"))
    expect(page.locator("main")).to_contain_text(say(language, "They must all ask. Until then nothing happens."))
    assert_no_violations(page, language)
    assert phone_layout_problems(page) == []


def test_mark_keeps_a_worry_from_the_parents_after_a_second_opinion(signed_in):
    """Issue 22, point 5: without the second opinion nothing happens and what he typed stays; with it, Tom reads
    why and who was consulted, and the worry leaves Sanne's open plan live."""
    sanne = phone(signed_in, "sanne")
    open_plan(sanne)
    expect(sanne.locator("#items-worry article.item", has_text=WORRY)).to_have_count(1)
    mark = phone(signed_in, "mark")
    open_plan(mark)
    worry = mark.locator("#items-worry article.item", has_text=WORRY)
    tap(mark, worry.get_by_role("link", name=say("nl", "Do not share with the parents")))
    reason = "Tom wil dit eerst zelf thuis vertellen."
    mark.get_by_label(say("nl", "Why is sharing with the parents not good care now?")).fill(reason)
    tap(mark, mark.locator("main form button[type=submit]"))
    expect(mark.locator(".error-summary")).to_contain_text(
        say("nl", "Write down which other professional you consulted, and their role."))
    expect(mark.get_by_label(say("nl", "Why is sharing with the parents not good care now?"))).to_have_value(reason)
    assert_no_violations(mark, "nl")
    assert phone_layout_problems(mark) == []
    mark.get_by_label(say("nl", "Which other professional did you consult? Name and role")).fill(
        "Hiske de Vries, gedragswetenschapper")
    mark.get_by_label(say("nl", "What does that professional think?")).fill("Eens, binnen vier weken.")
    tap(mark, mark.locator("main form button[type=submit]"))
    expect(sanne.locator("#items-worry article.item", has_text=WORRY)).to_have_count(0, timeout=5000)  # live

    tom = phone(signed_in, "tom")
    open_plan(tom)
    mine = tom.locator("#items-worry article.item", has_text=WORRY)
    expect(mine).to_contain_text(reason)
    expect(mine).to_contain_text(say("nl", "Second opinion of %(name)s: %(opinion)s",
                                     name="Hiske de Vries, gedragswetenschapper", opinion="Eens, binnen vier weken."))
    assert_no_violations(tom, "nl")
