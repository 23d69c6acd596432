"""Pages every visitor reaches, as full pages and as htmx fragments."""

import json
import re
import threading

from app.core import health
from app.extensions import db
from app.plans import live
from tests import factories
from tests.conftest import csrf_token, sign_in_person

HTMX = {"HX-Request": "true"}


def signed_in(flask_app, person_id: str):
    client = flask_app.test_client()
    sign_in_person(client, person_id)
    return client


def person(flask_app, **fields) -> str:
    """A new person with no family or work; return their id."""
    with flask_app.app_context(), db.new_session() as session:
        return factories.person(session, **fields).id


def test_welcome_page_for_visitors_links_to_demo(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Eén plan voor je gezin" in html
    assert 'href="/demo"' in html
    assert response.headers["Vary"].count("HX-Request") == 1
    assert response.headers["Cache-Control"] == "no-store"


def test_home_shows_name_role_and_family_of_signed_in_person(bare_app):
    with bare_app.test_request_context(), db.new_session() as session:
        world = factories.family(session, youth_ages=[14], custody=[True, False])
        name = world.family.name
    with_custody, without = world.parents
    html = signed_in(bare_app, with_custody.id).get("/").get_data(as_text=True)
    assert f"Hallo {with_custody.given_name}" in html
    assert name in html
    assert "<dd>Ouder · met gezag</dd>" in html
    html = signed_in(bare_app, without.id).get("/").get_data(as_text=True)
    assert name in html
    assert "<dd>Ouder</dd>" in html
    assert "met gezag" not in html


def test_home_of_youth_shows_age_from_birthdate(bare_app):
    with bare_app.test_request_context(), db.new_session() as session:
        world = factories.family(session, youth_ages=[14, 15])
    html = signed_in(bare_app, world.youths[0].id).get("/").get_data(as_text=True)
    assert "<dd>Jongere</dd>" in html
    assert "14 jaar" in html
    assert "15 jaar" in signed_in(bare_app, world.youths[1].id).get("/").get_data(as_text=True)


def test_home_of_staff_shows_their_organisation(bare_app):
    with bare_app.test_request_context(), db.new_session() as session:
        world = factories.family(session, youth_ages=[14])
        goal, _actions = factories.goal_with_actions(session, plan=world.plan, author=world.professional,
                                                     youth=world.youths[0])
        organisation, offer = factories.provider(session)
        factories.assign(session, plan=world.plan, goal=goal, offer=offer, chosen_by=world.parents[0],
                         professional_person=world.professional)  # she reaches the family through this goal
        karin = factories.staff(session, organisation=organisation, role="provider_staff")
        names = organisation.name, world.family.name
    html = signed_in(bare_app, karin.id).get("/").get_data(as_text=True)
    assert names[0] in html
    assert "Zorgaanbieder" in html
    assert names[1] not in html


def test_help_page_has_all_help_lines_as_tel_links(client):
    html = client.get("/hulp").get_data(as_text=True)
    for number in ("tel:112", "tel:08002000", "tel:08000432", "tel:113", "tel:0885551000"):
        assert f'href="{number}"' in html


def test_every_page_has_help_entry_and_language_switcher(client):
    for path in ("/", "/demo", "/hulp", "/offline", "/bestaat-niet"):
        html = client.get(path).get_data(as_text=True)
        assert "Hulp nodig?" in html, path
        assert 'href="tel:112"' in html, path
        for autonym in ("Nederlands", "Frysk", "English"):
            assert autonym in html, path


def test_unknown_page_is_a_localized_404(client):
    response = client.get("/bestaat-niet?lang=fy")
    assert response.status_code == 404
    assert "Wy kinne dizze side net fine" in response.get_data(as_text=True)


def test_error_for_htmx_request_goes_to_alert_region(client):
    response = client.get("/bestaat-niet", headers=HTMX)
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#alerts"
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert 'role="alert"' in html


def test_wrong_method_is_a_friendly_405(client):
    response = client.get("/uitloggen")
    assert response.status_code == 405
    assert "Zo werkt dit niet" in response.get_data(as_text=True)


def test_sign_out_ends_the_session_and_keeps_the_language(bare_app):
    client = signed_in(bare_app, person(bare_app, given_name="Sanne", language="fy"))
    token = csrf_token(client, "/")
    response = client.post("/uitloggen", data={"csrf_token": token})
    assert response.status_code == 303
    html = client.get("/").get_data(as_text=True)
    assert "Do bist ôfmeld." in html
    assert "Hoi Sanne" not in html
    assert 'lang="fy"' in html


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_readyz_is_ready_until_the_process_drains_for_a_restart(client, monkeypatch):
    monkeypatch.setattr(health, "_draining", threading.Event())  # this test process goes on serving afterwards
    ready = client.get("/readyz")
    assert (ready.status_code, ready.get_json()) == (200, {"status": "ready"})
    assert ready.headers["Cache-Control"] == "no-store"
    live.drain()  # what gunicorn's SIGTERM does (gunicorn.conf.py)
    draining = client.get("/readyz")
    assert (draining.status_code, draining.get_json()) == (503, {"status": "draining"})
    assert client.get("/healthz").status_code == 200  # alive all the same: liveness is not readiness


def test_manifest_is_localized_and_installable_shape(client):
    response = client.get("/manifest.webmanifest?lang=fy")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "Ús Plan"
    assert manifest["lang"] == "fy"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_is_served_from_root_with_shell_and_offline_pages(client):
    response = client.get("/service-worker.js")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    for lang in ("nl", "fy", "en"):
        assert f"/offline?lang={lang}" in body
    assert "/static/css/app.css?v=" in body
    assert "/static/vendor/htmx-2.0.11.min.js?v=" in body
    assert "/static/vendor/htmx-ext-sse-2.2.4.min.js?v=" in body
    assert "/static/js/offline.js?v=" in body


def test_offline_page_is_localized(client):
    assert "Do bist offline" in client.get("/offline?lang=fy").get_data(as_text=True)
    assert "You are offline" in client.get("/offline?lang=en").get_data(as_text=True)


def test_static_assets_are_versioned_and_cached_long(client):
    html = client.get("/").get_data(as_text=True)
    assert "/static/css/app.css?v=" in html
    response = client.get("/static/css/app.css")
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_sign_out_clears_the_browser_cache(bare_app):
    client = signed_in(bare_app, person(bare_app))
    response = client.post("/uitloggen", data={"csrf_token": csrf_token(client)})
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_every_state_changing_route_refuses_a_missing_csrf_token(bare_app):
    with bare_app.app_context(), db.new_session() as session:
        professional = factories.professional(session)
    client = signed_in(bare_app, professional.id)
    rules = [rule for rule in bare_app.url_map.iter_rules() if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}]
    assert rules, "expected state-changing routes"
    for rule in rules:
        path = re.sub(r"<[^>]+>", "x", re.sub(r"<int:[^>]+>", "1", rule.rule.replace("<key>", "sanne")))
        if rule.rule.startswith("/api/"):  # bearer tokens, not cookies: a browser session changes nothing there
            method = next(m for m in ("POST", "PUT", "PATCH", "DELETE") if m in rule.methods)
            expected = 404 if "<path:" in rule.rule else 401  # the catch-all answers "no such endpoint"
            assert client.open(path, method=method, json={}).status_code == expected, rule.rule
            continue
        response = client.post(path, data={"lang": "fy", "given_name": "x", "language": "nl"})
        assert response.status_code == 400, rule.rule


def test_unexpected_error_is_a_friendly_localized_500(app):
    app.config["FRIENDLY_ERRORS_IN_TESTS"] = True

    @app.get("/test-crash")
    def crash():
        raise RuntimeError("boom")

    response = app.test_client().get("/test-crash?lang=fy")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Der gie by ús wat mis" in html
    assert "boom" not in html


def test_not_allowed_is_a_friendly_403(app):
    from app.core.errors import NotAllowed

    @app.get("/test-forbidden")
    def forbidden():
        raise NotAllowed()

    response = app.test_client().get("/test-forbidden?lang=en")
    assert response.status_code == 403
    assert "You may not see this page" in response.get_data(as_text=True)


def test_a_professional_s_home_shows_his_own_details_once_not_on_every_family_card(bare_app):
    """Issue 17: Mark's home repeated "Je leeftijd 45 jaar / Lid sinds" on each of his families."""
    from app.core.clock import years_ago

    with bare_app.test_request_context(), db.new_session() as session:
        mark = factories.professional(session, given_name="Mark")
        mark.birthdate = years_ago(45, days_extra=10)
        names = [factories.open_family(session, by=mark)[0].name for _ in range(3)]
        session.flush()
        mark_id = mark.id
    html = signed_in(bare_app, mark_id).get("/?lang=nl").get_data(as_text=True)
    assert all(name in html for name in names)
    assert html.count("Je leeftijd") == 1
    assert html.count("45 jaar") == 1
    assert html.split("Je leeftijd")[0].count('class="card"') == 0  # above the cards, not on one of them
    assert "Lid sinds" not in html


def test_a_family_member_s_card_says_since_when_they_are_in_it(bare_app):
    with bare_app.test_request_context(), db.new_session() as session:
        world = factories.family(session, youth_ages=[14])
    html = signed_in(bare_app, world.youths[0].id).get("/?lang=nl").get_data(as_text=True)
    assert html.count("Lid sinds") == 1
    assert html.count("14 jaar") == 1
