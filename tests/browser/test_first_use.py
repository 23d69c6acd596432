"""The first use of a new installation, through a real OpenID provider, on phones in real Chromium: nothing from the
demo. The operator runs `flask db upgrade` and `flask admin bootstrap` (binding Hiske's identity at the provider);
Hiske, the functional manager, signs in and invites Mark as youth care professional; Mark redeems the code, signs
in, opens a family and invites Sanne as parent with custody; Sanne redeems hers, signs in and finds the family."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import PHONE
from tests.browser.journey_steps import say
from tests.support.oidc import CITIZENS_CLIENT, OidcProvider, provider_env
from tests.support.servers import AppServer

CODE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")


@pytest.fixture
def new_installation(tmp_path, oidc_provider: OidcProvider):
    """An empty database made as the docs say, its first functional manager, and the app signing in at the
    provider (no DEMO)."""
    server = AppServer({"APP_ENV": "development", "DEMO": "0", "SECRET_KEY": "first-use-secret",
                        "SESSION_COOKIE_SECURE": "0", "LOG_LEVEL": "CRITICAL",
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'first.db'}", "MAIL_DIR": str(tmp_path / "mail"),
                        **provider_env({"citizens": (oidc_provider.issuer, CITIZENS_CLIENT)})})
    server.flask("db", "upgrade")
    server.flask("admin", "bootstrap", "--municipality", "0080", "--name", "Leeuwarden", "--manager", "Hiske",
                 "--email", "hiske@leeuwarden.example", "--issuer", oidc_provider.issuer, "--subject", "hiske-1")
    server.start()
    yield server
    server.stop()


def sign_in_at_provider(page: Page, provider: OidcProvider, login: str) -> None:
    """The provider's own pages: the login (any password at the test provider) and the consent."""
    expect(page).to_have_url(re.compile("^" + re.escape(provider.issuer) + "/interaction/"))
    page.locator('input[name="login"]').fill(login)
    page.locator('input[name="password"]').fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def phone(browser: Browser, server: AppServer) -> Page:
    page = browser.new_context(**PHONE, base_url=server.url).new_page()
    page.route(re.compile(r"^https://fonts\.(googleapis|gstatic)\.com/"), lambda route: route.abort())  # offline
    return page


def redeem(page: Page, code: str, provider: OidcProvider, login: str, service: str = "citizens") -> None:
    """Type the invitation code, accept, and sign in at the provider (`service`) for the first time."""
    page.goto("/")
    page.get_by_role("link", name=re.compile("uitnodigingscode|invitation code", re.I)).first.click()
    page.locator("#code").fill(code)
    with page.expect_navigation():
        page.locator("#code").press("Enter")
    page.locator(f'a[href="/inloggen/{service}"]').click()
    sign_in_at_provider(page, provider, login)


def open_family_and_invite_a_parent(mark: Page) -> str:
    """Mark, signed in: opens the De Boer-Hoekstra family and invites Sanne as a parent with custody; the code."""
    mark.get_by_role("link", name=say("nl", "Your families"), exact=True).click()
    mark.get_by_role("link", name=say("nl", "Open a new family")).click()
    mark.get_by_label(say("nl", "Family name")).fill("De Boer-Hoekstra")
    with mark.expect_navigation():
        mark.get_by_role("button", name=say("nl", "Open family")).click()
    mark.get_by_role("link", name=say("nl", "Invite someone"), exact=True).click()
    mark.get_by_label(say("nl", "Parent"), exact=True).check()
    mark.get_by_label(say("nl", "Has parental authority (gezag)")).check()
    mark.get_by_label(say("nl", "First name")).fill("Sanne")
    with mark.expect_navigation():
        mark.get_by_role("button", name=say("nl", "Make invitation")).click()
    code = mark.locator(".invitation-code").inner_text().strip()
    assert CODE.match(code)
    return code


def test_a_new_installation_from_the_functional_manager_to_a_family(browser: Browser, new_installation: AppServer,
                                                                     oidc_provider: OidcProvider):
    hiske = phone(browser, new_installation)
    hiske.goto("/inloggen")
    hiske.locator('a[href="/inloggen/citizens"]').click()
    sign_in_at_provider(hiske, oidc_provider, "hiske-1")
    expect(hiske.get_by_role("heading", level=1)).to_have_text("Hallo Hiske")
    hiske.get_by_role("link", name=say("nl", "Organisations and staff")).click()
    hiske.get_by_role("link", name="Gemeente Leeuwarden").click()
    hiske.get_by_role("link", name=say("nl", "Invite someone to work here")).click()
    hiske.get_by_label(say("nl", "youth care professional").capitalize(), exact=True).check()
    hiske.get_by_label(say("nl", "First name")).fill("Mark")
    hiske.get_by_label(say("nl", "Work e-mail address")).fill("mark@leeuwarden.example")
    with hiske.expect_navigation():
        hiske.get_by_role("button", name=say("nl", "Make invitation")).click()
    mark_code = hiske.locator(".invitation-code").inner_text().strip()
    assert CODE.match(mark_code)

    mark = phone(browser, new_installation)
    redeem(mark, mark_code, oidc_provider, "mark-1")
    expect(mark.get_by_role("heading", level=1)).to_have_text("Hallo Mark")
    expect(mark.locator("main")).to_contain_text("Gemeente Leeuwarden")
    sanne_code = open_family_and_invite_a_parent(mark)

    sanne = phone(browser, new_installation)
    redeem(sanne, sanne_code, oidc_provider, "sanne-1")
    expect(sanne.get_by_role("heading", level=1)).to_have_text("Hallo Sanne")
    expect(sanne.get_by_role("link", name="De Boer-Hoekstra")).to_be_visible()
