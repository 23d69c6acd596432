"""The profile form: bad input gets a clear message, the form keeps what was typed, nothing saved is lost."""

import pytest

from app.extensions import db
from tests import factories
from tests.conftest import csrf_token, sign_in_person

HOSTILE = "<script>alert('x')</script>"


def signed_in(flask_app, given_name: str = "Tom", language: str = "nl"):
    """A client signed in as a new person with this name and language."""
    with flask_app.app_context(), db.new_session() as session:
        person = factories.person(session, given_name=given_name, language=language)
    client = flask_app.test_client()
    sign_in_person(client, person.id)
    return client


@pytest.fixture
def client(bare_app):
    """Tom (Dutch), signed in."""
    return signed_in(bare_app)


def post_profile(client, htmx=False, **data):
    token = csrf_token(client, "/profiel")
    headers = {"HX-Request": "true", "X-CSRFToken": token} if htmx else {}
    return client.post("/profiel", data={"csrf_token": token, "language": "nl", **data}, headers=headers)


def test_profile_needs_sign_in(bare_app):
    response = bare_app.test_client().get("/profiel")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_profile_saves_frisian_diacritics_and_emoji(client):
    response = post_profile(client, given_name="  Tôm  Jâbbe ûê 🙂👨‍👩‍👧 ")
    assert response.status_code == 303
    html = client.get("/").get_data(as_text=True)
    assert "Hallo Tôm Jâbbe ûê 🙂👨‍👩‍👧" in html
    assert "Je wijzigingen zijn opgeslagen." in html


def test_profile_escapes_hostile_input(client):
    post_profile(client, given_name=HOSTILE)
    html = client.get("/").get_data(as_text=True)
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_sql_looking_name_is_just_text(client):
    post_profile(client, given_name="Robert'); DROP TABLE person;--")
    assert "Robert&#39;); DROP TABLE person;--" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(("name", "message"), [("", "Vul je naam in."), ("   \t ", "Vul je naam in."),
                                               ("x" * 100_000, "Gebruik hoogstens 100 tekens.")])
def test_bad_name_is_refused_with_message_and_kept_in_form(client, name, message):
    response = post_profile(client, given_name=name)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert 'aria-invalid="true"' in html
    if name.strip():
        assert name in html  # what was typed is still there
    assert "Hallo Tom" in client.get("/").get_data(as_text=True)  # nothing saved is lost


def test_bad_input_with_htmx_returns_only_the_form_block(client):
    response = post_profile(client, htmx=True, given_name="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.lstrip().startswith('<form id="profile_form"')
    assert "<html" not in html


def test_htmx_save_returns_the_updated_form_in_place(client):
    response = post_profile(client, htmx=True, given_name="Tommy")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Je wijzigingen zijn opgeslagen." in html
    assert 'value="Tommy"' in html


def test_htmx_save_that_changes_language_reloads_the_page(client):
    response = post_profile(client, htmx=True, given_name="Tom", language="fy")
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/profiel"
    assert "Dyn wizigingen binne bewarre." in client.get("/profiel").get_data(as_text=True)


def test_unknown_language_is_refused_in_the_persons_language(bare_app):
    client = signed_in(bare_app, "Sanne", language="fy")
    response = post_profile(client, given_name="Sanne", language="xx")
    assert response.status_code == 422
    assert "Kies in taal." in response.get_data(as_text=True)
