"""The sign-in service down after the app cached its metadata (issue 19, point 5): signing in and out answer with
the app's own message in the person's language, never with a redirect to an address that does not answer (which
a browser shows as its own error page). Signing out still ends the session here."""

import html
from urllib.parse import urljoin

import pytest
import requests

from tests.conftest import CSRF_FIELD
from tests.support.oidc import CITIZENS_CLIENT, OidcProvider, app_signing_in_at, complete_login

SIGNED_IN = 'class="site-footer__who"'
DOWN = {"nl": "De inlogdienst werkt nu niet", "fy": "De oanmeldtsjinst wurket no net"}
STILL_THERE = {"nl": "De inlogdienst werkt nu niet, dus daar ben je misschien nog ingelogd.",
               "fy": "De oanmeldtsjinst wurket no net, dus dêr bist do miskien noch oanmeld."}


@pytest.fixture
def provider():
    """A provider of this test's own, which it stops (the session's provider serves every other test)."""
    started = OidcProvider([CITIZENS_CLIENT], {}).start()
    yield started
    started.stop()


@pytest.fixture
def server(provider, operator_seed, tmp_path):
    """The app under gunicorn on a copy of the demo world, signing Erik and Sanne in at this test's provider."""
    app = app_signing_in_at(provider, operator_seed.copy_to(tmp_path / "world"), ("erik", "sanne"))
    yield app
    app.stop()


def test_sign_in_and_out_show_our_message_when_the_provider_is_down(server, provider):
    people = {"nl": ("erik", requests.Session()), "fy": ("sanne", requests.Session())}
    for language, (persona, http) in people.items():
        http.headers["Accept-Language"] = language
        signed_in = complete_login(http, f"{server.url}/inloggen/citizens", login=f"{persona}-digid")
        assert signed_in.status_code == 303  # the app has fetched and cached the provider's metadata
    provider.stop()

    for language, (_persona, http) in people.items():
        token = CSRF_FIELD.search(http.get(f"{server.url}/").text).group(1)
        out = http.post(f"{server.url}/uitloggen", data={"csrf_token": token}, allow_redirects=False)
        assert out.status_code == 303
        assert urljoin(server.url, out.headers["Location"]) == f"{server.url}/"  # not to the provider's logout
        home = http.get(f"{server.url}/").text
        assert SIGNED_IN not in home  # the session here has ended all the same
        assert f'<html lang="{language}"' in home
        assert STILL_THERE[language] in html.unescape(home)

        start = http.get(f"{server.url}/inloggen/citizens", allow_redirects=False)
        assert start.status_code == 503  # our page, not a redirect to the provider that does not answer
        assert f'<html lang="{language}"' in start.text
        assert f"<h1>{DOWN[language]}</h1>" in html.unescape(start.text)
