"""Complaints in Chromium at 390×844: axe-core finds nothing on any complaint page in nl, fy and en, and the
"done when" of issue 7 plays: Tom (14) files about Kompas in Frisian on his phone, gets a number at once, sees the
deadline and the AKJ; Karin, Kompas's complaint officer, judges and closes it; Tom reopens it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import AUTONYM, LANGUAGES, assert_no_violations, switch_language
from tests.browser.test_notifications_accessibility import assert_fits_the_phone

PAGES = [(None, "/klachten"), ("tom", "/klachten"), ("tom", "/klachten/nieuw"), ("sanne", "/klachten/nieuw"),
         ("karin", "/klachten/behandelen")]
COMPLAINT_TEXT = "De ôfspraken mei Kompas waarden trije kear ôfsein 🙁 <script>alert(1)</script>"


@pytest.fixture
def filed(tab_for) -> dict:
    """Tom files a complaint about Kompas (in Frisian) and Karin opens it: the complaint's and the part's paths."""
    tom = tab_for("tom")
    tom.goto("/klachten/nieuw?lang=fy")
    tom.locator("label", has_text="Kompas Jeugdhulp Fryslân").click()
    tom.locator("#text").fill(COMPLAINT_TEXT)
    tom.locator("#complaint_form button[type=submit]").click()
    expect(tom.locator("[data-complaint-stored]")).to_be_visible()
    karin = tab_for("karin")
    karin.goto("/klachten/behandelen")
    number = tom.locator(".complaint__number").inner_text()
    karin.get_by_role("link", name=re.compile(number)).click()
    return {"complaint": tom.url.split("?")[0].replace(tom.url.split("/klachten")[0], ""),
            "part": karin.url.replace(karin.url.split("/klachten")[0], ""), "number": number}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("persona", "path"), PAGES, ids=[f"{p}-{path}" for p, path in PAGES])
def test_complaint_page(tab_for, persona, path: str, language: str):
    page = tab_for(persona)
    assert page.goto(f"{path}?lang={language}").status == 200
    assert_no_violations(page, language)
    assert_fits_the_phone(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_complaint_and_handler_pages(tab_for, filed, language: str):
    for persona, path in (("tom", filed["complaint"]), ("karin", filed["part"])):
        page = tab_for(persona)
        assert page.goto(f"{path}?lang={language}").status == 200
        assert_no_violations(page, language)
        assert_fits_the_phone(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_with_its_errors(tab_for, language: str):
    page = tab_for("lisa")
    page.goto(f"/klachten/nieuw?lang={language}")
    page.evaluate("(lang) => { document.querySelector('#complaint_form').action += '?lang=' + lang; }", language)
    page.locator("#complaint_form button[type=submit]").click()
    expect(page.locator("#about-error")).to_be_visible()
    expect(page.locator("#text")).to_have_attribute("aria-invalid", "true")
    assert_no_violations(page, language)


def test_a_draft_survives_a_reload(tab_for):
    page = tab_for("sanne")
    page.goto("/klachten/nieuw")
    page.locator("#text").fill("Ik skriuw dit en dan falt it ljocht út ô â û ê")
    page.locator("#about-2").check()  # what it is about is kept too, not only the text
    chosen = page.locator("#about-2").get_attribute("value")
    # the draft is written 400 ms after the last change (later on a busy machine): wait until it is there
    page.wait_for_function("() => Object.keys(localStorage).some((key) => key.startsWith('onsplan-draft:')"
                           " && key.endsWith(':about=' + document.querySelector('#about-2').value)"
                           " && localStorage.getItem(key) === '1')", timeout=10_000)
    page.reload()
    expect(page.locator("#text")).to_have_value("Ik skriuw dit en dan falt it ljocht út ô â û ê")
    expect(page.locator(f'input[name="about"][value="{chosen}"]')).to_be_checked()
    expect(page.locator('input[name="about"]:checked')).to_have_count(1)


def test_done_when_tom_files_in_frisian_karin_handles_tom_reopens(signed_in, tab_for):
    tom = signed_in("tom")
    tom.goto("/")
    try:
        switch_language(tom, AUTONYM["fy"], "fy")
        tom.get_by_role("link", name="Net tefreden of in klacht?").first.click()
        expect(tom.get_by_role("heading", level=1)).to_have_text("Net tefreden of in klacht?")
        expect(tom.locator("main")).to_contain_text("Net tefreden oer dyn help?")
        expect(tom.locator("main a[href='tel:0885551000']")).to_be_visible()
        expect(tom.locator("main")).to_contain_text("Dyn help giet troch")
        tom.get_by_role("link", name="In klacht yntsjinje").click()
        tom.locator("label", has_text="Kompas Jeugdhulp Fryslân").click()
        tom.locator("#text").fill("Myn begelieder kaam trije kear net. Ik wol dat it better giet.")
        tom.locator("#complaint_form button[type=submit]").click()
        stored = tom.locator("[data-complaint-stored]")
        expect(stored).to_contain_text("Dyn klacht is bewarre.")
        number = tom.locator(".complaint__number").inner_text()
        assert re.fullmatch(r"\d{4}-[0-9A-Z]{6}", number)
        expect(tom.locator("main")).to_contain_text("Antwurd úterlik")
        expect(tom.locator("main")).to_contain_text("Klachtencommissie Kompas")
        expect(tom.locator("main a[href='tel:0885551000']").first).to_be_visible()
        assert_fits_the_phone(tom)
        complaint_url = tom.url.split("?")[0]

        karin = tab_for("karin")
        karin.goto("/klachten/behandelen")
        karin.get_by_role("link", name=re.compile(number)).click()
        karin.locator("label[for=outcome-0]").click()
        karin.locator("#judgement").fill("Wy hawwe de ôfspraken net goed pland. Dat komt net wer foar.")
        karin.get_by_role("button", name="Oordeel vastleggen").click()
        expect(karin.locator(".alert--success")).to_be_visible()
        karin.get_by_role("button", name="Klacht afhandelen").click()
        expect(karin.locator("main")).to_contain_text("Afgehandeld")
        expect(karin.locator("#reaction-heading")).to_be_visible()  # the reaction is owed after closing
        assert_no_violations(karin, "nl")

        tom.goto(complaint_url)
        expect(tom.locator("main")).to_contain_text("De klacht is terjochte")
        tom.locator("label", has_text="Nee: sjoch asjebleaft op 'e nij nei myn klacht").click()
        tom.get_by_role("button", name="Myn antwurd ferstjoere").click()
        expect(tom.locator(".alert--success")).to_contain_text("Dyn klacht is wer iepene.")
        expect(tom.locator(".complaint-part .tag").first).to_have_text("Wer iepene")
    finally:
        tom.goto("/")
        if tom.locator("html").get_attribute("lang") != "nl":
            switch_language(tom, "Nederlands", "nl")


def test_a_complaint_filed_offline_is_sent_once_when_back_online(signed_in):
    page = signed_in("fenna")
    page.goto("/klachten/nieuw")
    page.locator("label", has_text="Kompas Jeugdhulp Fryslân").click()
    page.locator("#text").fill("Filed on the bus without a connection ô û")
    page.context.set_offline(True)
    page.locator("#complaint_form button[type=submit]").click()
    expect(page.locator("#complaint-queued")).to_be_visible()
    assert "Filed+on+the+bus" in page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('onsplan-complaint-queue:'))"
        ".map(k => localStorage.getItem(k)).join()")
    page.context.set_offline(False)
    expect(page.locator("[data-complaint-stored]")).to_be_visible(timeout=10_000)
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('onsplan-complaint-queue:')).length") == 0
    page.goto("/klachten")
    expect(page.locator("section[aria-labelledby=mine-heading] li")).to_have_count(1)


@pytest.mark.parametrize(("persona", "status", "message"), [
    ("erik", 500, "Ons Plan kon hem net niet opslaan"),
    ("sanne", 422, "Ons Plan hat him net oannommen"),
])
def test_a_refused_send_keeps_the_queued_complaint_and_sends_it_once_later(signed_in, persona, status, message):
    page = signed_in(persona)
    page.goto("/klachten/nieuw")
    page.locator("label", has_text="Kompas Jeugdhulp Fryslân").click()
    page.locator("#text").fill(f"Queued, then refused with {status} ô û")
    page.context.set_offline(True)
    page.locator("#complaint_form button[type=submit]").click()
    expect(page.locator("#complaint-queued")).to_be_visible()
    refused = []

    def refuse_the_first_send(route):
        if route.request.method == "POST" and not refused:
            refused.append(route.request.url)
            route.fulfill(status=status, content_type="text/html", body="<p>no</p>")
        else:
            route.continue_()

    page.route("**/klachten/nieuw", refuse_the_first_send)
    page.context.set_offline(False)
    expect(page.locator("#complaint-not-sent")).to_contain_text(message)
    expect(page.locator("#complaint-not-sent")).to_have_attribute("role", "alert")
    expect(page.locator("#complaint-queued")).to_be_hidden()
    queued = ("Object.keys(localStorage).filter(k => k.startsWith('onsplan-complaint-queue:'))"
              ".map(k => localStorage.getItem(k)).join()")
    assert f"refused+with+{status}" in page.evaluate(queued)
    assert len(refused) == 1

    page.reload()  # back on the page: the queue is sent again, and now the server stores it
    expect(page.locator("[data-complaint-stored]")).to_be_visible(timeout=10_000)
    assert page.evaluate(queued) == ""
    page.goto("/klachten")
    expect(page.locator("section[aria-labelledby=mine-heading] li")).to_have_count(1)
