"""Journey 2, Write together (PRODUCT.md), through the UI only at 390×844: Erik (nl) and Sanne (Frysk) open the plan
on their own phones; what each adds reaches the other's screen live; on his phone at the kitchen table Mark tags Tom
as the speaker and types Tom's words, which reach Sanne as Tom's, typed by Mark. Key screens in fy and en too."""

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_violations
from tests.browser.journey_steps import in_each_language, open_plan, phone, say, tap
from tests.browser.test_plan_offline import add_online

WORRY = "Het wisselen op vrijdag gaat nog vaak mis, dan mist Tom zijn voetbalspullen."
STRENGTH = "Wy kinne goed mei-inoar prate as it rêstich is 🙂"
TOMS_WORDS = "Ik wil op woensdag naar voetbal blijven gaan."


def test_erik_and_sanne_write_on_their_phones_and_mark_types_what_tom_says(signed_in):
    erik = phone(signed_in, "erik")
    open_plan(erik)
    sanne = phone(signed_in, "sanne")
    open_plan(sanne)
    expect(sanne.locator("html")).to_have_attribute("lang", "fy")
    expect(sanne.locator("#presence")).to_contain_text("Erik")  # she sees Erik has the plan open

    # Erik writes a worry in his own words; it appears on Sanne's phone without a reload.
    add_online(erik, "worry", WORRY)
    expect(sanne.locator("#items-worry article.item").filter(has_text=WORRY)).to_have_count(1, timeout=5000)
    # Sanne writes what goes well, in Frysk; it appears on Erik's phone.
    add_online(sanne, "strength", STRENGTH)
    on_erik = erik.locator("#items-strength article.item").filter(has_text=STRENGTH)
    expect(on_erik).to_have_count(1, timeout=5000)
    expect(on_erik.locator(".item__by")).to_contain_text("Sanne")

    # Mark's phone at the kitchen table: Tom speaks, Mark types.
    mark = phone(signed_in, "mark")
    open_plan(mark)
    mark.locator("#speaker_id").select_option(label="Tom de Boer")
    tap(mark, mark.locator("form#speaker button[type=submit]"))
    add_online(mark, "own_words", TOMS_WORDS)
    toms = sanne.locator("#items-own_words article.item").filter(has_text=TOMS_WORDS)
    expect(toms).to_have_count(1, timeout=5000)
    expect(toms.locator(".item__by")).to_contain_text("Tom de Boer")
    expect(toms.locator(".item__typed")).to_contain_text("Mark Visser")
    assert_no_violations(mark, "nl")
    assert_no_violations(sanne, "fy")

    # Nothing lost: after a reload Erik's phone has all three, and the plan is his key screen in fy and en too.
    erik.reload()
    for kind, text in (("worry", WORRY), ("strength", STRENGTH), ("own_words", TOMS_WORDS)):
        expect(erik.locator(f"#items-{kind} article.item").filter(has_text=text)).to_have_count(1)

    def plan_page(language: str) -> None:
        expect(erik.locator("#heading-worry")).to_have_text(say(language, "What we worry about"))
        expect(erik.locator("#items-worry article.item").filter(has_text=WORRY)).to_have_count(1)
    in_each_language(erik, plan_page)
