"""Journey 1 on a phone in real Chromium: Mark opens a family and invites Sytse (14, Frisian), who accepts on
another device; the code then no longer works, and Mark sees the acceptance and the log line.

Plus the invite form's two ways of answering a mistake: in place with htmx, and as a whole page without JavaScript.
"""

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.browser.helpers import focused, open_family, tab_to

FAMILY = "Gezin Test 🙂 ôâûê"
DEMO_FAMILY = "De Boer-Hoekstra"
CODE_FORMAT = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")
LINK = re.compile(r"https?://\S+/uitnodiging/[\w-]+")


def born_years_ago(years: int) -> date:
    """A birth date `years` years ago, ten days before that birthday (so the age is the same in every time zone)."""
    today = date.today()
    try:
        birthday = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        birthday = today.replace(year=today.year - years, day=28)
    return birthday - timedelta(days=10)


def is_post(response, path: str) -> bool:
    return response.request.method == "POST" and response.url.split("?")[0].endswith(path)


def watch_navigations(page: Page) -> list[str]:
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    return navigations


def expect_next_page_alone(page: Page, expected_url: re.Pattern) -> None:
    """After an htmx form succeeds, the next page stands alone at its own address: the browser went there, htmx
    did not swap it into the form (two <main>, two h1, duplicate ids, the form's address kept)."""
    expect(page).to_have_url(expected_url)
    expect(page.locator("main")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    duplicates = page.evaluate("""() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
                                          return ids.filter((id, i) => ids.indexOf(id) !== i); }""")
    assert duplicates == []


def test_invite_a_frisian_youth_who_accepts_on_another_device(signed_in, new_context):
    mark = signed_in("mark")

    # Mark opens the family (the Enter key in the name field sends the form).
    mark.goto("/gezinnen/nieuw")
    expect(mark.locator("html")).to_have_attribute("lang", "nl")
    mark.locator("#name").fill(FAMILY)
    with mark.expect_response(lambda r: is_post(r, "/gezinnen/nieuw")) as info:
        mark.locator("#name").press("Enter")
    assert info.value.status == 204  # htmx is sent on with HX-Redirect (a 303 it would follow and swap in)
    assert info.value.headers["hx-redirect"].startswith("/gezinnen/")
    expect(mark.get_by_role("heading", level=1, name=FAMILY, exact=True)).to_be_visible()  # not "Gezin Gezin …"
    expect_next_page_alone(mark, re.compile(r"/gezinnen/(?!nieuw$)\w+$"))  # the new family's page, not the form's
    family_id = open_family(mark, FAMILY)
    family_url = f"/gezinnen/{family_id}"

    # He invites Sytse with the keyboard only, except the birth date: the segments of a date field follow the
    # browser's own locale, so that value is filled in.
    with mark.expect_navigation():
        mark.get_by_role("link", name="Iemand uitnodigen").click()
    expect(mark).to_have_url(re.compile(rf"{family_url}/uitnodigen$"))
    tab_to(mark, "role-0")  # no role chosen yet: Tab lands on the first radio of the group
    mark.keyboard.press("ArrowDown")  # … and the arrow keys choose within the group
    expect(mark.get_by_label("Jongere", exact=True)).to_be_checked()
    tab_to(mark, "given_name")
    mark.keyboard.type("Sytse")
    mark.locator("#birthdate").fill(born_years_ago(14).isoformat())
    tab_to(mark, "email")
    mark.keyboard.type("sytse@example.test")
    tab_to(mark, "language-0")  # Nederlands is chosen; Tab lands on it
    mark.keyboard.press("ArrowDown")
    expect(mark.get_by_label("Frysk", exact=True)).to_be_checked()
    mark.keyboard.press("Tab")
    assert (focused(mark)["tag"], focused(mark)["text"]) == ("button", "Uitnodiging maken")
    with mark.expect_response(lambda r: is_post(r, "/uitnodigen")) as info:
        mark.keyboard.press("Enter")
    assert info.value.status == 204  # HX-Redirect
    expect(mark.locator(".invitation-made")).to_contain_text("De uitnodiging voor Sytse is klaar")
    expect_next_page_alone(mark, re.compile(rf"{family_url}$"))

    # The code is shown once.
    code_shown = mark.locator(".invitation-code")
    expect(code_shown).to_have_count(1)
    expect(code_shown).to_have_text(CODE_FORMAT)
    code = code_shown.inner_text().strip()
    expect(mark.locator(".invitation-made")).to_contain_text("sytse@example.test")
    mark.reload()
    expect(mark.get_by_role("heading", level=1)).to_have_text(FAMILY)
    expect(mark.locator(".invitation-code")).to_have_count(0)
    expect(mark.get_by_text(code)).to_have_count(0)
    sytse_card = mark.locator("li.invitation").filter(has_text="Sytse")
    expect(sytse_card.locator(".status")).to_have_text("Wacht op antwoord")

    # Another device, a family tablet in English (the browser's language, and chosen on it before): the demo
    # mailbox has the Frisian mail with the code and the link.
    phone = new_context(extra_http_headers={"Accept-Language": "en-GB,en;q=0.9"}).new_page()
    phone.goto("/demo/mail")
    with phone.expect_navigation():
        phone.locator("button.language-switch__option[value=en]").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    mail = phone.locator(".mail").filter(has_text=code)
    expect(mail).to_have_count(1)
    expect(mail.locator("h2")).to_have_text("Dyn útnoeging foar Ús Plan")
    expect(mail).to_contain_text("sytse@example.test")
    expect(mail.locator("pre")).to_contain_text("Hoi Sytse,")
    expect(mail.locator("pre")).to_contain_text(FAMILY)
    link = LINK.search(mail.locator("pre").inner_text())
    assert link, mail.locator("pre").inner_text()
    phone.goto(link.group(0))
    expect(phone).to_have_url(re.compile(r"/uitnodiging/accepteren$"))
    expect(phone.locator("html")).to_have_attribute("lang", "fy")  # the invitation's language, not the device's
    expect(phone.get_by_role("heading", level=1)).to_have_text("Wolkom, Sytse")
    accept = phone.get_by_role("button", name="Demo: oannimme sûnder DigiD")
    expect(phone.locator("main")).to_contain_text(FAMILY)
    with phone.expect_navigation():
        accept.click()

    # Sytse is signed in, at home, in Frisian.
    expect(phone).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(phone.locator("html")).to_have_attribute("lang", "fy")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hoi Sytse")
    expect(phone.get_by_role("link", name=FAMILY, exact=True)).to_be_visible()
    expect(phone.locator("main")).to_contain_text("14 jier")
    expect(phone.locator(".site-footer__who")).to_contain_text("Sytse")

    # A third device: the used code no longer works.
    other = new_context().new_page()
    other.goto("/uitnodiging")
    other.locator("#code").fill(code)
    with other.expect_response(lambda r: is_post(r, "/uitnodiging")) as info:
        other.get_by_role("button", name="Verder").click()
    assert info.value.status == 422
    expect(other.locator("#code-error")).to_contain_text("Deze code klopt niet of werkt niet meer")
    expect(other).to_have_url(re.compile(r"/uitnodiging$"))

    # Mark sees the invitation accepted and the line in the family's log.
    mark.goto(family_url)
    expect(sytse_card.locator(".status")).to_have_text("Aangenomen")
    expect(sytse_card.locator("form")).to_have_count(0)  # nothing left to withdraw
    expect(mark.locator(".member__name").filter(has_text="Sytse")).to_have_count(1)
    mark.goto(f"{family_url}/wie-heeft-gekeken")
    expect(mark.locator(".log__person").filter(has_text="nam een uitnodiging aan")).to_contain_text("Sytse")


def fill_invite_form_without_first_name(page: Page) -> None:
    page.get_by_label("Jongere", exact=True).check()
    page.locator("#given_name").fill("")
    page.locator("#family_name").fill("Ødegård-Hoekstra")
    page.locator("#birthdate").fill("2012-05-17")
    page.locator("#email").fill("jong@example.test")
    page.get_by_label("English", exact=True).check()


def expect_values_kept(page: Page) -> None:
    expect(page.get_by_label("Jongere", exact=True)).to_be_checked()
    expect(page.locator("#has_custody")).not_to_be_checked()
    expect(page.locator("#family_name")).to_have_value("Ødegård-Hoekstra")
    expect(page.locator("#birthdate")).to_have_value("2012-05-17")
    expect(page.locator("#email")).to_have_value("jong@example.test")
    expect(page.get_by_label("English", exact=True)).to_be_checked()
    expect(page.get_by_label("Nederlands", exact=True)).not_to_be_checked()


def expect_first_name_error(page: Page) -> None:
    expect(page.locator("#given_name-error")).to_have_text("Vul de voornaam in.")
    expect(page.locator("#given_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#given_name")).to_have_attribute("aria-describedby", re.compile(r"\bgiven_name-error\b"))
    expect(page.locator("#role-error")).to_have_count(0)
    expect(page.locator("#invite_form [role=alert]")).to_be_visible()


def test_invite_form_error_in_place_with_htmx(signed_in):
    page = signed_in("mark")
    family_id = open_family(page, DEMO_FAMILY)
    page.goto(f"/gezinnen/{family_id}/uitnodigen")
    navigations = watch_navigations(page)
    page.evaluate("window.stillTheSamePage = true")
    fill_invite_form_without_first_name(page)
    with page.expect_response(lambda r: is_post(r, "/uitnodigen")) as info:
        page.get_by_role("button", name="Uitnodiging maken").click()
    assert info.value.status == 422
    assert info.value.request.headers.get("hx-request") == "true"
    expect_first_name_error(page)
    expect_values_kept(page)
    assert navigations == []
    assert page.evaluate("window.stillTheSamePage === true")
    expect(page).to_have_url(re.compile(rf"/gezinnen/{family_id}/uitnodigen$"))
    expect(page.locator("#invite_form")).to_have_count(1)
    expect(page.locator("main")).to_have_count(1)


def test_invite_form_error_page_without_javascript(signed_in):
    page = signed_in("mark", java_script_enabled=False)
    family_id = open_family(page, DEMO_FAMILY)
    page.goto(f"/gezinnen/{family_id}/uitnodigen")
    assert page.locator("#invite_form").get_attribute("hx-post")  # htmx would take over if scripts ran
    fill_invite_form_without_first_name(page)
    with page.expect_navigation() as info:
        page.get_by_role("button", name="Uitnodiging maken").click()
    assert info.value.status == 422
    expect(page).to_have_url(re.compile(rf"/gezinnen/{family_id}/uitnodigen$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Iemand uitnodigen voor gezin {DEMO_FAMILY}")
    expect_first_name_error(page)
    expect_values_kept(page)
