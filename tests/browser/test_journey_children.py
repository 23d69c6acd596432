"""Children and young people in their own words (issue 21), on phones at 390×844, through taps and typing only.

Sanne (Frysk) shows Noor (9) her child view on her own phone: Noor puts a worry with a picture in her house and says
how she is with a face; Mark, with the plan open, sees both arrive live, as Noor's. Reading aloud says when this
phone has no Frysk voice and offers Dutch; speaking instead of typing fills the field. Noor on her own phone (Dutch)
uses the keyboard only. Tom (14) agrees to his goal in one tap from his own view; Lisa (16) sees and switches what
her parents see, and Sanne's plan follows. Each screen passes axe and fits the phone, in Dutch and Frysk. Without
JavaScript the child view still takes what Noor adds.

The browser's own speech engines are not on this machine (no voices, no recogniser): the page is given stand-ins
before it loads, which record what the page asks of them. Everything else is the real app.
"""

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_violations, phone_layout_problems, switch_language
from tests.browser.journey_steps import go_home, open_plan, phone, say, tap

WORRY = "Ik bin bang as heit en mem rûzje meitsje 🌩️ ôâ"
SPOKEN = "ik wil een hond"

# Stand-ins for the browser's speech: a Dutch voice only (as on many phones: no Frysk voice), and a recogniser that
# hears SPOKEN. What the page says is recorded in window.__spoken.
SPEECH = """
window.__spoken = [];
const voices = [{lang: "nl-NL", name: "Nederlands"}];
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  getVoices: () => voices, cancel: () => {}, speak: (u) => window.__spoken.push({text: u.text, lang: u.lang})}});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
window.SpeechRecognition = function () {
  this.start = () => setTimeout(() => { this.onresult({results: [[{transcript: "SPOKEN"}]]}); this.onend(); }, 100);
};
""".replace("SPOKEN", SPOKEN)


def open_form(house) -> None:
    """Open a house's "put something in" form (the phone-layout check may have opened it already)."""
    if house.locator("details").get_attribute("open") is None:
        house.locator("summary").click()


def screen_checks(page: Page, language: str) -> None:
    assert_no_violations(page, language)
    assert phone_layout_problems(page) == []


def test_noor_sanne_mark_tom_and_lisa_each_in_their_own_view(signed_in):
    mark = phone(signed_in, "mark")
    open_plan(mark)
    charts = mark.locator("#check-ins .check-ins__day")
    faces_before = charts.count()

    # Sanne (fy) shows Noor her view on her own phone
    sanne = phone(signed_in, "sanne")
    sanne.context.add_init_script(SPEECH)
    open_plan(sanne)
    tap(sanne, sanne.get_by_role("link", name=say("fy", "Show %(name)s", name="Noor")))
    expect(sanne.get_by_role("heading", level=1)).to_have_text(say("fy", "Hi %(name)s! This is your plan.",
                                                                   name="Noor"))
    screen_checks(sanne, "fy")

    # Read aloud: no Frysk voice here, so the page says so and offers Dutch; Dutch is then used
    sanne.locator("header").get_by_role("button", name=say("fy", "Read aloud")).click()
    note = sanne.locator("#voice-note")
    expect(note).to_contain_text(say("fy", "This phone has no voice for this language. You can listen in Dutch."))
    assert sanne.evaluate("window.__spoken") == []
    note.get_by_role("button", name=say("fy", "Listen in Dutch")).click()
    spoken = sanne.evaluate("window.__spoken")
    assert spoken == [{"text": say("fy", "Hi %(name)s! This is your plan.", name="Noor"), "lang": "nl-NL"}]

    # Noor puts a worry in her house: a picture and her words
    house = sanne.locator("#house-worry")
    open_form(house)
    house.get_by_role("radio", name=say("fy", "scared")).check()
    house.get_by_label(say("fy", "A few words (you may leave this empty)")).fill(WORRY)
    screen_checks(sanne, "fy")
    tap(sanne, house.get_by_role("button", name=say("fy", "Put it in the house")))
    entry = sanne.locator("#house-worry .thing", has_text=WORRY)
    expect(entry).to_have_count(1)
    expect(entry.get_by_role("img", name=say("fy", "scared"))).to_be_visible()

    # ... and it reaches Mark's open plan live, as Noor's, typed by her mother
    on_mark = mark.locator("#items-worry article.item", has_text=WORRY)
    expect(on_mark).to_have_count(1, timeout=5000)
    expect(on_mark.locator(".item__by")).to_contain_text("Noor de Boer")
    expect(on_mark.locator(".item__typed")).to_contain_text("Sanne Hoekstra")
    expect(on_mark.get_by_role("img", name=say("nl", "scared"))).to_be_visible()

    # A face for "how are you": it reaches Mark's chart live
    tap(sanne, sanne.locator("#check-in").get_by_role("button", name=say("fy", "good"), exact=True))
    expect(sanne.locator("#check-in [role=status]")).to_have_text(say("fy", "Thank you! Your face is in the plan now."))
    expect(charts).to_have_count(faces_before + 1, timeout=5000)
    expect(charts.last.get_by_role("img")).to_have_attribute("alt", say("nl", "good"))
    screen_checks(mark, "nl")

    # Speaking instead of typing fills the field; Noor can still change it before it is saved
    wish = sanne.locator("#house-own_words")
    open_form(wish)
    wish.get_by_role("button", name=say("fy", "Say it")).click()
    expect(wish.get_by_label(say("fy", "A few words (you may leave this empty)"))).to_have_value(SPOKEN)

    # Back in the family plan, Sanne sees Noor's worry and her face too
    tap(sanne, sanne.get_by_role("link", name=say("fy", "Back to the family plan")))
    expect(sanne.locator("#items-worry article.item", has_text=WORRY).locator(".item__by")).to_contain_text("Noor")
    expect(sanne.locator("#check-ins .check-ins__day").last.get_by_role("img")).to_have_attribute(
        "alt", say("fy", "good"))

    # Noor on her own phone, in Dutch: her button opens her view; keyboard only
    noor = phone(signed_in, "noor")
    tap(noor, noor.get_by_role("link", name=say("nl", "Open my plan")))
    expect(noor.get_by_role("heading", level=1)).to_have_text(say("nl", "Hi %(name)s! This is your plan.",
                                                                  name="Noor"))
    expect(noor.locator("#house-worry .thing", has_text=WORRY)).to_have_count(1)
    screen_checks(noor, "nl")
    good = noor.locator("#house-strength")
    noor.reload()  # every form closed again (the layout check opened them): Noor opens one with the keyboard
    good.locator("summary").focus()
    noor.keyboard.press("Enter")
    good.get_by_role("radio", name=say("nl", "a dog")).focus()
    noor.keyboard.press("Space")
    with noor.expect_navigation():
        good.get_by_role("button", name=say("nl", "Put it in the house")).focus()
        noor.keyboard.press("Enter")
    expect(noor.locator("#house-strength .thing", has_text=say("nl", "a dog"))).to_have_count(1)
    switch_language(noor, "Frysk", "fy")
    expect(noor.locator("#house-worry h2")).to_have_text(say("fy", "What I worry about"))
    screen_checks(noor, "fy")

    # Tom (14): his own view, one tap to agree with his school goal
    tom = phone(signed_in, "tom")
    tap(tom, tom.get_by_role("link", name=say("nl", "Open my plan")))
    expect(tom.get_by_role("heading", level=1)).to_have_text(say("nl", "My plan, %(name)s", name="Tom"))
    goal = tom.locator("article.mine__goal", has_text="Tom gaat weer met plezier naar school")
    expect(goal).to_contain_text(say("nl", "You do not agree with this goal yet."))
    screen_checks(tom, "nl")
    tap(tom, goal.get_by_role("button", name=say("nl", "I agree")))
    expect(tom.locator("article.mine__goal", has_text="Tom gaat weer met plezier naar school")).to_contain_text(
        say("nl", "You agree with this goal."))
    switch_language(tom, "Frysk", "fy")
    expect(tom.locator("article.mine__goal", has_text="Tom gaat weer met plezier naar school")).to_contain_text(
        say("fy", "You agree with this goal."))
    screen_checks(tom, "fy")

    # Lisa (16): what her parents see, with the switch beside each item
    lisa = phone(signed_in, "lisa")
    tap(lisa, lisa.get_by_role("link", name=say("nl", "Open my plan")))
    calm = lisa.locator("article.mine__goal", has_text="Beter omgaan met spanning voor toetsen")
    switch = calm.get_by_role("switch", name=say("nl", "Parents may see this"))
    shared_before = switch.get_attribute("aria-checked") == "true"
    screen_checks(lisa, "nl")
    tap(lisa, switch)
    calm = lisa.locator("article.mine__goal", has_text="Beter omgaan met spanning voor toetsen")
    expect(calm.get_by_role("switch")).to_have_attribute("aria-checked", "false" if shared_before else "true")
    expect(calm).to_contain_text(say("nl", "Your parents do not see this." if shared_before
                                     else "Your parents see this."))
    go_home(sanne)
    open_plan(sanne)
    expect(sanne.locator("article.item", has_text="Beter omgaan met spanning voor toetsen")).to_have_count(
        0 if shared_before else 1)
    switch_language(lisa, "Frysk", "fy")
    expect(lisa.locator("article.mine__goal", has_text="Beter omgaan met spanning voor toetsen").get_by_role(
        "switch", name=say("fy", "Parents may see this"))).to_be_visible()
    screen_checks(lisa, "fy")


def test_without_javascript_noor_still_adds_to_her_house(signed_in):
    page = signed_in("noor", java_script_enabled=False)
    page.goto("/")
    tap(page, page.get_by_role("link", name=say("nl", "Open my plan")))
    expect(page.get_by_role("button", name=say("nl", "Read aloud"))).to_have_count(0)  # hidden: it needs speech
    house = page.locator("#house-own_words")
    house.locator("summary").click()
    house.get_by_role("radio", name=say("nl", "a rainbow")).check()
    tap(page, house.get_by_role("button", name=say("nl", "Put it in the house")))
    expect(page.locator("#house-own_words .thing", has_text=say("nl", "a rainbow"))).to_have_count(1)
    tap(page, page.locator("#check-in").get_by_role("button", name=say("nl", "very good")))
    expect(page.locator("#check-in [role=status]")).to_be_visible()
    assert re.search(r"/kind/\w+\?gezicht=1", page.url)
