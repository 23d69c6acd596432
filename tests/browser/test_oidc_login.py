"""Signing in with OpenID Connect in real Chromium on a phone: our sign-in page, the provider's pages, back home."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.oidc import OidcProvider, link_identity
from tests.support.servers import AppServer


@pytest.fixture
def oidc_app(app_server: AppServer, oidc_provider: OidcProvider) -> AppServer:
    """The session's app server (the test provider is its citizens' sign-in service), with Erik linked to
    `erik-digid` in its world as seeded."""
    link_identity(app_server.env["DATABASE_URL"], persona="erik", issuer=oidc_provider.issuer, subject="erik-digid")
    return app_server


def test_sign_in_with_the_provider_and_out_again(page: Page, oidc_app: AppServer, oidc_provider: OidcProvider):
    # The provider's development pages import a web font; this machine has no internet.
    page.route(re.compile(r"^https://fonts\.(googleapis|gstatic)\.com/"), lambda route: route.abort())
    page.goto(oidc_app.url + "/inloggen")
    page.locator('a[href="/inloggen/citizens"]').click()

    expect(page).to_have_url(re.compile("^" + re.escape(oidc_provider.issuer) + "/interaction/"))
    page.locator('input[name="login"]').fill("erik-digid")
    page.locator('input[name="password"]').fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # consent

    expect(page).to_have_url(oidc_app.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hallo Erik")

    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile("^" + re.escape(oidc_provider.issuer) + "/session/end"))
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(re.compile("^" + re.escape(oidc_app.url) + "/"))
    expect(page.locator(".site-footer__who")).to_have_count(0)
