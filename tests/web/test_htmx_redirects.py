"""Going on to the next page: a 303 without JavaScript, a real navigation (HX-Redirect) for htmx, in the same
language when the page was opened with `?lang=`."""

from sqlmodel import select

from app.extensions import db
from app.plans.models import Plan
from tests.conftest import csrf_token, sign_in

HTMX = {"HX-Request": "true"}


def switch_language(client, headers: dict | None = None, next_page: str = "/hulp"):
    token = csrf_token(client, "/hulp")
    return client.post("/taal", data={"lang": "en", "next": next_page, "csrf_token": token},
                       headers={"X-CSRFToken": token, **(headers or {})})


def test_a_form_that_redirects_is_a_303_without_javascript(client):
    response = switch_language(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/hulp"
    assert "HX-Request" in response.headers["Vary"]


def test_a_form_that_redirects_sends_htmx_to_the_next_page_instead_of_swapping_it_in(client):
    response = switch_language(client, HTMX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/hulp"
    assert "Location" not in response.headers
    assert response.get_data() == b""
    assert "HX-Refresh" not in response.headers
    assert "HX-Request" in response.headers["Vary"]


def test_a_boosted_request_follows_the_303_itself(client):
    response = switch_language(client, {**HTMX, "HX-Boosted": "true"})
    assert response.status_code == 303


def test_going_to_another_part_of_the_same_page_reloads_it(client):
    response = switch_language(client, {**HTMX, "HX-Current-URL": "http://localhost/hulp"}, next_page="/hulp#top")
    assert response.headers["HX-Redirect"] == "/hulp#top"
    assert response.headers["HX-Refresh"] == "true"  # setting the address alone would only scroll


def test_a_success_redirect_of_an_htmx_form_in_any_package_is_a_real_navigation(app):
    client = app.test_client()
    sign_in(client, "mark")
    with app.app_context():
        plan_id = db.session.exec(select(Plan.id)).one()
    token = csrf_token(client, f"/plan/{plan_id}")
    response = client.post(f"/plan/{plan_id}/akkoord-vragen", data={"csrf_token": token},
                           headers={**HTMX, "X-CSRFToken": token})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == f"/plan/{plan_id}#agreement"


def test_a_signed_out_htmx_request_goes_to_the_start_page_instead_of_swapping_it_in(client):
    response = client.get("/meldingen", headers=HTMX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/"


def test_a_page_opened_with_lang_sends_it_on(client):
    response = client.get("/meldingen?lang=fy")
    assert response.status_code == 303
    assert response.headers["Location"] == "/?lang=fy"
    assert client.get("/meldingen?lang=xx").headers["Location"] == "/"  # not one of ours
    assert client.get("/meldingen").headers["Location"] == "/"
