"""In real Chromium on a phone: Erik signed in with the sign-in service, which then goes down. Signing out and
signing in again show the app's own pages (in Dutch, then in Frysk), never the browser's error page."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import switch_language
from tests.support.oidc import CITIZENS_CLIENT, OidcProvider, app_signing_in_at


@pytest.fixture
def provider():
    """A provider of this test's own, which it stops (the session's provider serves every other test)."""
    started = OidcProvider([CITIZENS_CLIENT], {}).start()
    yield started
    started.stop()


def test_sign_out_and_in_with_the_provider_down_show_our_pages(page: Page, provider, operator_seed, tmp_path):
    server = app_signing_in_at(provider, operator_seed.copy_to(tmp_path / "world"), ("erik",))
    try:
        page.route(re.compile(r"^https://fonts\.(googleapis|gstatic)\.com/"), lambda route: route.abort())
        page.goto(server.url + "/inloggen")
        page.locator('a[href="/inloggen/citizens"]').click()
        page.locator('input[name="login"]').fill("erik-digid")
        page.locator('input[name="password"]').fill("any password")
        page.get_by_role("button", name="Sign-in").click()
        page.get_by_role("button", name="Continue").click()  # consent
        expect(page.get_by_role("heading", level=1)).to_have_text("Hallo Erik")
        provider.stop()

        page.get_by_role("button", name="Uitloggen").click()
        expect(page).to_have_url(server.url + "/")
        expect(page.locator(".alert--success")).to_have_text("Je bent uitgelogd.")
        expect(page.locator(".alert--info")).to_have_text(
            "De inlogdienst werkt nu niet, dus daar ben je misschien nog ingelogd. Sluit je browser voor de zekerheid.")
        expect(page.locator(".site-footer__who")).to_have_count(0)

        page.goto(server.url + "/inloggen")
        page.get_by_role("link", name="Inloggen met DigiD").click()
        expect(page).to_have_url(server.url + "/inloggen/citizens")
        expect(page.get_by_role("heading", level=1)).to_have_text("De inlogdienst werkt nu niet")
        switch_language(page, "Frysk", "fy")
        expect(page.get_by_role("heading", level=1)).to_have_text("De oanmeldtsjinst wurket no net")
        expect(page.get_by_text("Wy kinne de oanmeldtsjinst no net berikke.")).to_be_visible()
    finally:
        server.stop()
