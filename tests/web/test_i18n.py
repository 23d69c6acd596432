"""Languages: Accept-Language, ?lang=, the switcher, the person's stored choice, Babel formats."""

import pytest

from app.extensions import db
from tests import factories
from tests.conftest import csrf_token, sign_in_person


def sanne(flask_app) -> str:
    """A new person who reads Frysk; return her id."""
    with flask_app.app_context(), db.new_session() as session:
        return factories.person(session, given_name="Sanne", language="fy").id


@pytest.mark.parametrize(
    ("header", "lang", "text"),
    [
        ("fy-NL,fy;q=0.9", "fy", "Help nedich?"),
        ("en-GB,en;q=0.8", "en", "Need help?"),
        ("nl-NL", "nl", "Hulp nodig?"),
        ("*", "nl", "Hulp nodig?"),
        ("de-DE,fr;q=0.5", "nl", "Hulp nodig?"),
        ("xx;q=garbage,,;", "nl", "Hulp nodig?"),
    ],
)
def test_first_visit_honours_accept_language(client, header, lang, text):
    response = client.get("/", headers={"Accept-Language": header})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{lang}"' in html
    assert text in html


@pytest.mark.parametrize("value", ["xx", "", "fy'--", "<script>", "nl" * 500])
def test_unknown_lang_parameter_falls_back_to_dutch(client, value):
    response = client.get("/", query_string={"lang": value})
    assert response.status_code == 200
    assert '<html lang="nl"' in response.get_data(as_text=True)


def test_switcher_stores_choice_in_session_for_visitors(client):
    token = csrf_token(client, "/hulp")
    response = client.post("/taal", data={"lang": "fy", "next": "/hulp", "csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/hulp"
    assert '<html lang="fy"' in client.get("/demo").get_data(as_text=True)


def test_switcher_refuses_to_redirect_to_another_site(client):
    token = csrf_token(client)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/taal", data={"lang": "en", "next": target, "csrf_token": token})
        assert response.headers["Location"] == "/"


def test_switcher_with_unknown_language_falls_back_without_error(client):
    token = csrf_token(client)
    response = client.post("/taal", data={"lang": "xx", "csrf_token": token})
    assert response.status_code == 303
    assert '<html lang="nl"' in client.get("/").get_data(as_text=True)


def test_signed_in_person_gets_their_stored_language(bare_app):
    client = bare_app.test_client()
    sign_in_person(client, sanne(bare_app))
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fy"' in html
    assert "Hoi Sanne" in html


def test_switching_language_is_stored_on_the_person(bare_app):
    client, person_id = bare_app.test_client(), sanne(bare_app)
    sign_in_person(client, person_id)
    token = csrf_token(client)
    client.post("/taal", data={"lang": "en", "csrf_token": token})
    other_device = bare_app.test_client()
    sign_in_person(other_device, person_id)
    assert "Hello Sanne" in other_device.get("/").get_data(as_text=True)


def test_dates_are_formatted_by_babel_in_each_language(bare_app):
    with bare_app.test_request_context(), db.new_session() as session:
        parent = factories.family(session, youth_ages=[14]).parents[0]  # the home page says since when, in words
    client = bare_app.test_client()
    sign_in_person(client, parent.id)
    from app.core.clock import today

    month = today().month
    frisian_months = ["Jannewaris", "Febrewaris", "Maart", "April", "Maaie", "Juny", "July", "Augustus",
                      "Septimber", "Oktober", "Novimber", "Desimber"]
    dutch_months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                    "oktober", "november", "december"]
    assert dutch_months[month - 1] in client.get("/?lang=nl").get_data(as_text=True)
    assert frisian_months[month - 1] in client.get("/?lang=fy").get_data(as_text=True)
