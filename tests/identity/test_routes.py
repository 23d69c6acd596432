"""The profile form: bad input gets a clear message, the form keeps what was typed, nothing saved is lost."""

import pytest
from sqlmodel import select

from app.extensions import db
from app.plans.models import Plan
from tests import factories
from tests.conftest import csrf_token, family_id, sign_in, sign_in_person

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


@pytest.mark.parametrize(("name", "title"), [("Gezin Smit", "Gezin Smit"), ("gezin Smit", "Gezin Smit"),
                                             ("De Boer-Hoekstra", "Gezin De Boer-Hoekstra")])
def test_a_family_named_gezin_something_is_not_called_gezin_twice(bare_app, name, title):
    """Issue 17: the family page said "Gezin Gezin Smit"."""
    with bare_app.test_request_context(), db.new_session() as session:
        professional = factories.professional(session)
        family, plan = factories.open_family(session, by=professional, name=name)
        professional_id, family_id, plan_id = professional.id, family.id, plan.id
    client = bare_app.test_client()
    sign_in_person(client, professional_id)
    page = client.get(f"/gezinnen/{family_id}?lang=nl").get_data(as_text=True)
    assert f"<h1>{title}</h1>" in page
    assert f"<title>{title}" in page
    assert "Gezin Gezin Smit" not in page
    surname = title.removeprefix("Gezin ")
    assert f"<h1>Iemand uitnodigen voor gezin {surname}</h1>" in client.get(
        f"/gezinnen/{family_id}/uitnodigen?lang=nl").get_data(as_text=True)
    assert f"Gezinsplan {surname}</h1>" in client.get(f"/plan/{plan_id}?lang=nl").get_data(as_text=True)


@pytest.mark.parametrize(("key", "lang", "words"), [("mark", "nl", "Het gezinsplan openen"),
                                                    ("sanne", "fy", "It gesinsplan iepenje"),
                                                    ("fenna", "en", "Open the family plan")])
def test_the_family_page_leads_to_the_familys_plan(app, key, lang, words):
    client = app.test_client()
    sign_in(client, key)
    with app.app_context():
        plan_id = db.session.exec(select(Plan.id).where(Plan.family_id == family_id(app))).one()
    page = client.get(f"/gezinnen/{family_id(app)}?lang={lang}").get_data(as_text=True)
    assert f'<a class="button" href="/plan/{plan_id}">{words}</a>' in page
    assert client.get(f"/plan/{plan_id}").status_code == 200
