"""Going back after a form (`next`): always a page of this site, however the path or the field is dressed up."""

import re
from html import unescape

import pytest

from app.extensions import db
from tests.conftest import make_app
from tests.support.redirects import REDIRECT_TARGETS, lands_on

SITE = "onsplan.example"
NEXT_FIELD = re.compile(r'name="next" value="([^"]*)"')
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')

POSTED = [*REDIRECT_TARGETS, "", "x" * 3000]
PAGES = [
    "/%09/evil.example", "/%0a/evil.example", "/%0D/evil.example", "/%5C/evil.example", "/%5cevil.example",
    "/%2F/evil.example", "/%2F%2Fevil.example", "/%20/evil.example", "/%E2%80%A8/evil.example",
    "/hulp/%09/evil.example", "/hulp?next=//evil.example", "/hulp?x=%0a",
]


@pytest.fixture(params=["test", "production"])
def visitor(request, monkeypatch):
    """A client of the app as the tests run it and as production runs it (secret from the environment, no demo)."""
    if request.param == "production":
        monkeypatch.setenv("SECRET_KEY", "redirect-test-secret-" + "k" * 40)
        monkeypatch.delenv("DEMO", raising=False)
    flask_app = make_app("sqlite://", ENV_NAME=request.param)
    client = flask_app.test_client()
    client.environ_base.update({"wsgi.url_scheme": "https", "HTTP_HOST": SITE})  # production cookies are Secure
    yield client
    with flask_app.app_context():
        db.engine.dispose()


def switch_language(client, page: str, lang: str = "en", **override):
    """Press a language button on the page, as the browser posts it (its `next`, unless overridden)."""
    html = client.get(page).get_data(as_text=True)
    data = {"lang": lang, "csrf_token": CSRF_FIELD.search(html).group(1),
            "next": unescape(NEXT_FIELD.search(html).group(1)), **override}
    return data["next"], client.post("/taal", data=data)


@pytest.mark.parametrize("target", POSTED)
def test_a_posted_next_never_leads_to_another_site(visitor, target):
    _, response = switch_language(visitor, "/hulp", next=target)
    assert response.status_code == 303
    assert lands_on(response.headers["Location"], SITE) == SITE, response.headers["Location"]


@pytest.mark.parametrize("path", PAGES)
def test_the_language_switch_of_an_odd_page_goes_back_to_this_site(visitor, path):
    offered, response = switch_language(visitor, path)
    assert lands_on(offered, SITE) == SITE, offered
    assert response.status_code == 303
    assert lands_on(response.headers["Location"], SITE) == SITE, response.headers["Location"]


@pytest.mark.parametrize(("path", "back"), [
    ("/hulp", "/hulp"),
    ("/hulp?q=k%C3%AAst+en+zo&lang=fy", "/hulp?q=k%C3%AAst+en+zo"),
    ("/catalogus/k%C3%AAst", "/catalogus/k%C3%AAst"),
])
def test_the_language_switch_still_goes_back_to_an_ordinary_page(visitor, path, back):
    offered, response = switch_language(visitor, path)
    assert offered == back
    assert response.headers["Location"] == back
