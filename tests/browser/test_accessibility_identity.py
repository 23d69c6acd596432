"""axe-core finds nothing on the identity pages in nl, fy and en: families, invitations, consent, the access log,
signing in and the demo mailbox, with their error states (same rules as test_accessibility.py).

Pages that only read share one tab per persona (tab_for in conftest.py). Each error state is reached the way a
person reaches it: htmx forms answer 422 in place in the page's language; the consent form is a plain form, so
its answer comes in the person's own language and Tom picks it in the switcher first.
"""

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import AUTONYM, LANGUAGES, assert_no_violations, open_family, switch_language

FIRST_NAME_REQUIRED = {"nl": "Vul de voornaam in.", "fy": "Folje de foarnamme yn.", "en": "Fill in the first name."}
ROLE_REQUIRED = {"nl": "Kies een rol.", "fy": "Kies in rol.", "en": "Choose a role."}
FAMILY_NAME_REQUIRED = {"nl": "Vul de gezinsnaam in.", "fy": "Folje de gesinsnamme yn.",
                        "en": "Fill in the family name."}
CODE_WRONG = {"nl": "Deze code klopt niet of werkt niet meer", "fy": "Dizze koade kloppet net of wurket net mear",
              "en": "This code is not right or no longer valid"}
REASON_REQUIRED = {"nl": "Vertel kort waarom.", "fy": "Fertel koart wêrom.", "en": "Tell us briefly why."}
CODE_FORMAT = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")
DEMO_FAMILY = "De Boer-Hoekstra"


def is_post_to(path: str) -> Callable:
    return lambda response: response.request.method == "POST" and response.url.split("?")[0].endswith(path)


@pytest.fixture(scope="module")
def family_id(tab_for) -> str:
    """The demo family's id, found the way Mark finds it."""
    return open_family(tab_for("mark"), DEMO_FAMILY)


def make_invitation(page: Page, family_id: str, **fields: str) -> None:
    """Make an invitation as Mark with a plain form POST (not htmx) and stop before the redirect.

    The family page shows the new code once, on the next visit: the caller opens it in the language it wants.
    """
    page.goto(f"/gezinnen/{family_id}/uitnodigen")
    token = page.locator("#invite_form input[name=csrf_token]").input_value()
    form = {"csrf_token": token, "role": "network", "given_name": "Jildou", "family_name": "Sijbesma",
            "birthdate": "", "email": "", "language": "nl", **fields}
    response = page.request.post(f"/gezinnen/{family_id}/uitnodigen", form=form, max_redirects=0)
    assert response.status == 303, response.text()[:500]
    assert response.headers["location"].endswith(f"/gezinnen/{family_id}"), response.headers["location"]


@pytest.fixture
def open_invitation(tab_for, family_id: str) -> dict[str, str]:
    """An open invitation (mailed, so the demo mailbox has a mail): its code and link."""
    page = tab_for("mark")
    make_invitation(page, family_id, given_name="Wytske", email="wytske@example.test", language="en")
    page.goto(f"/gezinnen/{family_id}")
    code = page.locator(".invitation-code").inner_text().strip()
    assert CODE_FORMAT.match(code), code
    return {"code": code, "link": page.locator(".invitation-link a").get_attribute("href")}


# Mark, the professional.

@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["/gezinnen", "/gezinnen/nieuw", "/gezinnen/{fam}", "/gezinnen/{fam}/uitnodigen",
                                  "/gezinnen/{fam}/wie-heeft-gekeken"],
                         ids=["families", "family-new", "family", "invite", "log"])
def test_professional_page(tab_for, family_id: str, path: str, language: str):
    page = tab_for("mark")
    response = page.goto(f"{path.format(fam=family_id)}?lang={language}")
    assert response.status == 200
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_family_new_submitted_empty(tab_for, language: str):
    page = tab_for("mark")
    page.goto(f"/gezinnen/nieuw?lang={language}")
    with page.expect_response(is_post_to("/gezinnen/nieuw")) as info:
        page.locator("#family_form button[type=submit]").click()
    assert info.value.status == 422
    expect(page.locator("#name-error")).to_have_text(FAMILY_NAME_REQUIRED[language])
    expect(page.locator("#name")).to_have_attribute("aria-invalid", "true")
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_invite_form_submitted_empty(tab_for, family_id: str, language: str):
    page = tab_for("mark")
    page.goto(f"/gezinnen/{family_id}/uitnodigen?lang={language}")
    with page.expect_response(is_post_to("/uitnodigen")) as info:
        page.locator("#invite_form button[type=submit]").click()
    assert info.value.status == 422
    expect(page.locator("#role-error")).to_have_text(ROLE_REQUIRED[language])
    expect(page.locator("#given_name-error")).to_have_text(FIRST_NAME_REQUIRED[language])
    expect(page.locator("#given_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#invite_form [role=alert]")).to_be_visible()
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_family_page_with_the_new_code(tab_for, family_id: str, language: str):
    page = tab_for("mark")
    make_invitation(page, family_id, language=language)
    page.goto(f"/gezinnen/{family_id}?lang={language}")
    expect(page.locator(".invitation-made")).to_be_visible()
    expect(page.locator(".invitation-code")).to_have_text(CODE_FORMAT)
    withdraw = page.locator("li.invitation a.button[hx-get*='/intrekken']")  # "withdraw" on the open ones
    expect(withdraw).not_to_have_count(0)
    assert_no_violations(page, language)
    withdraw.first.click()  # it asks first, in place
    expect(page.locator("#revoke_confirm form button[type=submit]")).to_be_visible()
    assert_no_violations(page, language)


# The family: consent, the sixteen question and the access log.

# Each language once, spread over the personas (the pages differ per persona only in what is listed).
@pytest.mark.parametrize(("persona", "language"), [("sanne", "nl"), ("lisa", "fy"), ("sanne", "en")])
def test_consent_page(tab_for, persona: str, language: str):
    page = tab_for(persona)
    page.goto(f"/toestemming?lang={language}")
    expect(page.locator("main form input[value=refused]").first).to_be_visible()
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_consent_refused_without_a_reason(signed_in, language: str):
    page = signed_in("tom", bypass_csp=True)
    page.goto("/toestemming")
    try:
        if page.locator("html").get_attribute("lang") != language:
            switch_language(page, AUTONYM[language], language)
        form = page.locator("main form").first
        form.locator("input[value=refused]").check()
        with page.expect_navigation() as info:
            form.locator("button[type=submit]").click()
        assert info.value.status == 422
        reason = page.locator("main textarea").first
        expect(page.locator("main .field__error").first).to_contain_text(REASON_REQUIRED[language])
        expect(reason).to_have_attribute("aria-invalid", "true")
        form = page.locator("main form").first
        expect(form.locator("input[value=refused]")).to_be_checked()
        expect(form.locator("[role=alert]")).to_be_visible()  # as on the other forms: say there is a mistake
        assert_no_violations(page, language)
    finally:
        page.goto("/toestemming")
        if page.locator("html").get_attribute("lang") != "nl":
            switch_language(page, "Nederlands", "nl")


@pytest.mark.parametrize("language", LANGUAGES)
def test_lisa_home_and_her_sixteen_question(tab_for, family_id: str, language: str):
    # Only reads: answering the question once removes it (and the home page's card) for good.
    page = tab_for("lisa")
    page.goto(f"/?lang={language}")
    expect(page.locator(f"a[href='/toestemming/zestien/{family_id}']")).to_be_visible()
    assert_no_violations(page, language)
    response = page.goto(f"/toestemming/zestien/{family_id}?lang={language}")
    assert response.status == 200
    assert_no_violations(page, language)


@pytest.mark.parametrize(("persona", "language"), [("tom", "nl"), ("sanne", "fy"), ("lisa", "en")])
def test_log_after_filtering(tab_for, family_id: str, persona: str, language: str):
    page = tab_for(persona)
    page.goto(f"/gezinnen/{family_id}/wie-heeft-gekeken?lang={language}")
    heading = page.locator("#log_results h2")
    before = heading.inner_text()
    page.locator("#start").fill((date.today() - timedelta(days=7)).isoformat())
    page.locator("#end").fill(date.today().isoformat())
    with page.expect_response(lambda r: "wie-heeft-gekeken?" in r.url and r.request.method == "GET") as info:
        page.locator("form.period-form button[type=submit]").click()
    assert info.value.status == 200
    assert info.value.request.headers.get("hx-request") == "true"
    expect(heading).not_to_have_text(before)
    expect(page.locator("#log_results")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"start=\d{4}-\d\d-\d\d"))
    assert_no_violations(page, language)


# Visitors: signing in, invitation codes and links, the demo mailbox.

@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["/inloggen", "/uitnodiging"], ids=["login", "code"])
def test_visitor_page(tab_for, path: str, language: str):
    page = tab_for()
    assert page.goto(f"{path}?lang={language}").status == 200
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_code_page_with_a_wrong_code(tab_for, language: str):
    page = tab_for()
    page.goto(f"/uitnodiging?lang={language}")
    page.locator("#code").fill("ZZZZ-9999")
    with page.expect_response(is_post_to("/uitnodiging")) as info:
        page.locator("#code_form button[type=submit]").click()
    assert info.value.status == 422
    expect(page.locator("#code-error")).to_contain_text(CODE_WRONG[language])
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#code")).to_have_value("ZZZZ-9999")
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_link_that_does_not_work(tab_for, language: str):
    page = tab_for()
    assert page.goto(f"/uitnodiging/not-a-real-token?lang={language}").status == 404
    expect(page.locator("#code-error")).to_be_visible()
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_accept_page(tab_for, open_invitation: dict, language: str):
    page = tab_for(None, "invitee")
    page.goto(open_invitation["link"])  # this test's invitation (the world, and any earlier one, was reset)
    expect(page).to_have_url(re.compile(r"/uitnodiging/accepteren$"))
    page.goto(f"/uitnodiging/accepteren?lang={language}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wytske")
    expect(page.locator("form[action$='/uitnodiging/accepteren-demo'] button")).to_be_visible()
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_demo_mailbox(tab_for, open_invitation: dict, language: str):
    page = tab_for()
    page.goto(f"/demo/mail?lang={language}")
    mail = page.locator(".mail").filter(has_text=open_invitation["code"])
    expect(mail).to_have_count(1)
    # The mail is marked as English (the invitation's language); the labels around it are in the page's language.
    expect(mail.locator("h2")).to_have_attribute("lang", "en")
    expect(mail.locator("pre")).to_have_attribute("lang", "en")
    assert mail.locator("dt").first.evaluate("el => el.closest('[lang]').lang") == language
    assert_no_violations(page, language)
