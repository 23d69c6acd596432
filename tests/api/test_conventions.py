"""What a municipality's integrators expect of /api/v1 (NL API Design Rules, RFC 9457): the API-Version header on
every answer, info.contact and info.version in the document, and a `type` on every problem that opens a page
explaining it."""

import re
from pathlib import Path

import pytest

from app.api.problems import EXPLANATIONS, MEDIA_TYPE, PROBLEM_TYPE, TITLES, ApiProblem
from tests.api.conftest import Api, api_config, new_id, sign
from tests.conftest import make_app

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
HEADINGS = {"nl": "Te veel aanroepen", "fy": "Te folle oanroppen", "en": "Too many calls"}


def _version(app) -> str:
    return app.test_client().get("/api/v1/openapi.json").get_json()["info"]["version"]


def test_the_document_names_the_full_version_whose_major_is_the_one_in_the_address(app):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    version = doc["info"]["version"]
    assert SEMVER.match(version), version
    assert doc["servers"][0]["url"] == f"/api/v{version.split('.')[0]}"


def test_answers_and_problems_of_every_kind_carry_the_api_version(api, jwks):
    version = _version(api.app)
    client = api.app.test_client()
    answers = {
        "document": client.get("/api/v1/openapi.json"),
        "docs page": client.get("/api/v1/docs"),
        "problem page": client.get("/api/v1/problems/invalid"),
        "no token (401)": api.call("GET", "/plans/no-such-plan/status", token=None),
        "scope missing (403)": api.call("GET", "/plans/no-such-plan/status",
                                        token=sign(jwks.keys[0], scope="catalog:write")),
        "unknown plan (404)": api.call("GET", "/plans/no-such-plan/status"),
        "unknown path (404)": client.get("/api/v1/nothing-here"),
        "unknown problem type (404)": client.get("/api/v1/problems/nothing-here"),
        "wrong method (405)": client.get("/api/v1/catalog"),
        "method nobody takes (405)": client.open("/api/v1/catalog", method="TRACE"),
        "not JSON (415)": client.put("/api/v1/catalog", data="x", content_type="text/plain",
                                     headers={"Authorization": f"Bearer {api.token}"}),
        "unknown field (422)": api.call("PUT", "/catalog", {"providers": [], "offers": [], "extra": 1}),
        "done (200)": api.call("PUT", "/catalog", {"providers": [], "offers": [], "request_id": new_id()}),
    }
    statuses = {name: response.status_code for name, response in answers.items()}
    assert statuses == {"document": 200, "docs page": 200, "problem page": 200, "no token (401)": 401,
                        "scope missing (403)": 403, "unknown plan (404)": 404, "unknown path (404)": 404,
                        "unknown problem type (404)": 404, "wrong method (405)": 405,
                        "method nobody takes (405)": 405, "not JSON (415)": 415, "unknown field (422)": 422,
                        "done (200)": 200}
    assert {name: response.headers.get("API-Version") for name, response in answers.items()} \
        == dict.fromkeys(answers, version)
    assert "API-Version" not in client.get("/hulp").headers  # the header belongs to the API, not to the site


def test_a_client_over_the_rate_limit_gets_the_api_version_too(tmp_path, jwks):
    limited = make_app(f"sqlite:///{tmp_path / 'api.db'}", MAIL_DIR=str(tmp_path / "mail"),
                       **{**api_config(jwks.url), "RATELIMIT_ENABLED": True, "RATELIMIT_API": "2 per minute"})
    api = Api(limited, sign(jwks.keys[0]))
    assert [api.call("GET", "/plans/no-such-plan/status").status_code for _ in range(2)] == [404, 404]
    refused = api.call("GET", "/plans/no-such-plan/status")
    assert refused.status_code == 429
    assert refused.headers["API-Version"] == _version(make_app())
    assert refused.get_json()["type"] == "/api/v1/problems/too-many-requests"


def test_the_contact_comes_from_the_settings(app):
    contact = app.test_client().get("/api/v1/openapi.json").get_json()["info"]["contact"]
    assert contact == {"name": "Ons Plan", "url": "http://localhost/api/v1/docs"}  # no e-mail set in tests
    app.config.update(API_CONTACT_NAME="Team Jeugd, gemeente Leeuwarden", API_CONTACT_EMAIL="api@leeuwarden.example",
                      API_CONTACT_URL="https://www.leeuwarden.example/ontwikkelaars")
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    assert doc["info"]["contact"] == {"name": "Team Jeugd, gemeente Leeuwarden", "email": "api@leeuwarden.example",
                                      "url": "https://www.leeuwarden.example/ontwikkelaars"}
    html = app.test_client().get("/api/v1/docs").get_data(as_text=True)
    assert '<a href="mailto:api@leeuwarden.example">' in html
    app.config.update(API_CONTACT_URL="", SITE_URL="https://onsplan.gemeente.example")
    assert app.test_client().get("/api/v1/openapi.json").get_json()["info"]["contact"]["url"] \
        == "https://onsplan.gemeente.example/api/v1/docs"


def test_the_demo_names_a_contact_address_and_production_only_the_one_set(monkeypatch):
    from app.config import DevelopmentConfig, ProductionConfig

    monkeypatch.setenv("DEMO", "1")
    assert DevelopmentConfig().API_CONTACT_EMAIL == "api@onsplan.invalid"
    monkeypatch.delenv("DEMO")
    assert ProductionConfig().API_CONTACT_EMAIL == ""
    monkeypatch.setenv("API_CONTACT_EMAIL", "jeugd@gemeente.example")
    assert ProductionConfig().API_CONTACT_EMAIL == "jeugd@gemeente.example"


@pytest.mark.parametrize("kind", TITLES)
def test_every_problem_type_opens_a_page_that_explains_it(app, kind):
    client = app.test_client()
    uri = ApiProblem(kind, "detail").body()["type"]
    assert uri == PROBLEM_TYPE + kind
    page = client.get(uri, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert (page.status_code, page.mimetype) == (200, "text/html")
    html = page.get_data(as_text=True)
    assert '<html lang="nl"' in html
    assert html.count("<h1") == 1
    assert f"<code>{uri}</code>" in html
    assert f'<code lang="en">{TITLES[kind][1]}</code>' in html
    as_json = client.get(uri, headers={"Accept": "application/json"})
    assert as_json.mimetype == "application/json"
    assert as_json.get_json()["type"] == uri
    assert as_json.get_json()["status"] == TITLES[kind][0]
    assert as_json.get_json()["title"] == TITLES[kind][1]
    assert as_json.get_json()["what_to_do"]
    assert "Accept" in as_json.headers["Vary"]


@pytest.mark.parametrize("language", HEADINGS)
def test_the_page_speaks_the_language_chosen(app, language):
    client = app.test_client()
    page = client.get(f"/api/v1/problems/too-many-requests?lang={language}").get_data(as_text=True)
    assert f'<html lang="{language}"' in page
    assert f"<h1>{HEADINGS[language]}</h1>" in page
    listed = client.get("/api/v1/problems", headers={"Accept-Language": language}).get_data(as_text=True)
    assert HEADINGS[language] in listed
    explained = client.get("/api/v1/problems/too-many-requests",
                           headers={"Accept": "application/json", "Accept-Language": language}).get_json()
    assert explained["title"] == "Too many requests"  # the problem's own title stays the API's English
    assert "Retry-After" in explained["what_to_do"]


def test_the_list_links_every_problem_type_and_answers_json_when_asked(app):
    client = app.test_client()
    html = client.get("/api/v1/problems?lang=en").get_data(as_text=True)
    for kind in TITLES:
        assert f'href="{PROBLEM_TYPE}{kind}"' in html
        assert str(EXPLANATIONS[kind][0]) in html
    listed = client.get("/api/v1/problems", headers={"Accept": "application/json"}).get_json()
    assert [problem["type"] for problem in listed["problems"]] == [PROBLEM_TYPE + kind for kind in TITLES]


def test_an_unknown_problem_type_is_a_problem_whose_type_resolves(app):
    client = app.test_client()
    missing = client.get("/api/v1/problems/no-such-thing")
    assert (missing.status_code, missing.mimetype) == (404, MEDIA_TYPE)
    assert client.get(missing.get_json()["type"]).status_code == 200


def test_every_problem_raised_in_the_code_has_a_page():
    used = set()
    for path in (Path(__file__).resolve().parents[2] / "app").rglob("*.py"):
        used |= set(re.findall(r'ApiProblem\(\s*"([^"]+)"', path.read_text()))
    assert used, "the scan finds the problems raised"
    assert used <= set(TITLES), used - set(TITLES)
    assert set(EXPLANATIONS) == set(TITLES)
    with pytest.raises(ValueError, match="unknown problem kind"):
        ApiProblem("made-up", "A kind without a page is refused")
