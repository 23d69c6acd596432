"""GET /werk and POST /werk/doel/<goal>/behandelaar over HTTP: languages, fragments, who may, bad input and the
access log; the home page's way in; the demo's Karin."""

import re

import pytest
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.catalog.models import Assignment
from app.extensions import db
from tests.caseload.conftest import assignment_of
from tests.conftest import csrf_token, make_app, sign_in, sign_in_person

WORDS = {  # the page's title and a status, as each language says them
    "nl": ("Je werklijst", "Nog starten", "Evalueren uiterlijk", "Doelen van wie"),
    "fy": ("Dyn wurklist", "Noch begjinne", "Evaluearje úterlik", "Doelen fan wa"),
    "en": ("Your work list", "To start", "Evaluate by", "Whose goals"),
}


def _client(world, key: str):
    client = world.app.test_client()
    sign_in_person(client, world.people[key])
    return client


def _give(client, goal_id: str, handler_id, language: str = "en", **extra):
    return client.post(f"/werk/doel/{goal_id}/behandelaar?lang={language}",
                       data={"csrf_token": csrf_token(client), "handler_id": handler_id, **extra})


def _entries(event: str, family_id: str | None = None) -> list[AccessLogEntry]:
    query = select(AccessLogEntry).where(AccessLogEntry.event == event)
    if family_id:
        query = query.where(AccessLogEntry.family_id == family_id)
    return list(db.session.exec(query).all())


@pytest.mark.parametrize("language", ["nl", "fy", "en"])
def test_the_work_list_speaks_each_language(sqlite_world, language):
    page = _client(sqlite_world, "Geertje").get(f"/werk?lang={language}").get_data(as_text=True)
    for words in WORDS[language]:
        assert words in page, words
    assert f'<html lang="{language}"' in page


def test_the_page_shows_each_goal_with_links_to_its_result_and_plan_and_hides_what_is_not_the_providers(world):
    page = _client(world, "Geertje").get("/werk?scope=all&lang=en").get_data(as_text=True)
    with world.app.app_context():
        waiting = assignment_of(world, "to_start De Vries")
        assert f'href="/doel/{waiting.goal_id}/resultaat"' in page
        assert f'href="/plan/{waiting.plan_id}"' in page
    assert "D.V. in Leeuwarden" in page
    assert "V.D.M. in Leeuwarden" in page
    assert "Gezin Van der Meer" not in page
    assert "Family Van der Meer" not in page
    assert "Family De Vries" in page  # its other goal's help has started
    assert "Evaluatie De Vries" not in page  # the plan's evaluation is not the provider's to see
    assert "Doel other Mulder" not in page
    assert "Doel requested De Vries" not in page
    assert 'aria-sort="ascending"' in page
    assert 'href="/werk?scope=all&amp;sort=family"' in page
    for label in ("Whose goals", "Status", "Sort by"):
        assert re.search(rf'<label class="field__label" for="\w+">{label}</label>', page), label


def test_others_go_home_and_visitors_sign_in_first(sqlite_world):
    for key in ("Hiske", "Baukje"):
        response = _client(sqlite_world, key).get("/werk")
        assert (response.status_code, response.location) == (303, "/"), key
    assert sqlite_world.app.test_client().get("/werk").status_code == 303


def test_an_htmx_filter_gets_only_the_list_and_the_address_can_be_shared(sqlite_world):
    client = _client(sqlite_world, "Geertje")
    response = client.get("/werk?scope=all&status=in_care", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert body.lstrip().startswith('<section id="worklist"')
    assert "<html" not in body
    assert "Doel in_care De Vries" in body
    assert "Doel to_judge Bakker" not in body
    assert '<option selected value="in_care">' in body
    full = client.get("/werk?scope=all&status=in_care").get_data(as_text=True)
    assert "<html" in full
    assert "Doel to_judge Bakker" not in full


def test_giving_a_goal_to_a_colleague_saves_logs_once_and_goes_back_to_the_same_list(world):
    client = _client(world, "Geertje")
    with world.app.app_context():
        goal_id = world.goals["to_judge Bakker"]
    response = _give(client, goal_id, world.people["Hylke"], language="nl", scope="all", sort="family", status="")
    assert response.status_code == 303
    assert response.location == f"/werk?scope=all&sort=family&lang=nl#goal-{goal_id}"
    assert "Opgeslagen: Hylke Test behandelt dit doel nu." in client.get(response.location).get_data(as_text=True)
    assert _give(client, goal_id, world.people["Hylke"]).status_code == 303  # again: nothing changes
    with world.app.app_context():
        assert assignment_of(world, "to_judge Bakker").handler_id == world.people["Hylke"]
        [entry] = _entries("assignment.handler", world.families["Bakker"])
        assert (entry.actor_id, entry.action, entry.outcome, entry.object_type) == (
            world.people["Geertje"], "update", "success", "assignment")
    # Hylke takes it from the list (the page offers him and his colleague)
    hylke = _client(world, "Hylke")
    page = hylke.get("/werk?lang=en").get_data(as_text=True)
    assert f'<option value="{world.people["Geertje"]}">Geertje Test</option>' in page
    assert f'<option value="{world.people["Hylke"]}" selected>Hylke Test (you)</option>' in page


def test_a_goal_of_another_organisation_is_not_found_and_the_attempt_is_logged(world):
    client = _client(world, "Geertje")
    with world.app.app_context():
        theirs = world.goals["other Mulder"]
    for goal_id in (theirs, "nothing-here", "x" * 300):
        assert _give(client, goal_id, world.people["Geertje"]).status_code == 404, goal_id[:30]
    with world.app.app_context():
        assert db.session.exec(select(Assignment.handler_id).where(Assignment.goal_id == theirs)).one() is None
        [refused] = _entries("assignment.handler", world.families["Mulder"])
        assert (refused.actor_id, refused.outcome, refused.object_id) == (world.people["Geertje"], "refused", theirs)
        assert len(_entries("assignment.handler")) == 3  # the made-up ones in the system's chain


@pytest.mark.parametrize("who", ["", "made-up-id", "Durk", "Baukje", "Hiske", "<script>alert(1)</script>",
                                 "'; DROP TABLE assignment; --"])
def test_only_provider_staff_of_the_same_organisation_can_be_given_the_goal(sqlite_world, who):
    world = sqlite_world
    client = _client(world, "Geertje")
    handler_id = world.people.get(who, who)
    with world.app.app_context():
        goal_id = world.goals["to_start De Vries"]
    response = _give(client, goal_id, handler_id)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose a colleague from the list." in page
    assert f'href="#handler-{goal_id}"' in page
    assert 'aria-invalid="true"' in page
    assert "<script>alert(1)</script>" not in page
    with world.app.app_context():
        assert assignment_of(world, "to_start De Vries").handler_id is None
        assert _entries("assignment.handler") == []


def test_the_refusal_speaks_frysk(sqlite_world):
    client = _client(sqlite_world, "Geertje")
    with sqlite_world.app.app_context():
        goal_id = sqlite_world.goals["to_start De Vries"]
    page = _give(client, goal_id, "", language="fy").get_data(as_text=True)
    assert "Kies in kollega út de list." in page


def test_someone_who_is_not_provider_staff_may_not_give_goals(sqlite_world):
    with sqlite_world.app.app_context():
        goal_id = sqlite_world.goals["to_start De Vries"]
    for key in ("Hiske", "Baukje"):
        assert _give(_client(sqlite_world, key), goal_id, sqlite_world.people["Geertje"]).status_code == 403, key


def test_the_counts_link_to_the_complaints_and_the_ratings(sqlite_world):
    from app.complaints import services as complaints
    from app.identity.models import Person

    world = sqlite_world
    client = _client(world, "Geertje")
    page = client.get("/werk?lang=en").get_data(as_text=True)
    assert '<a href="/klachten/behandelen">0 complaints wait for an answer</a>' in page
    assert '<a href="/aanbieder/beoordelingen">0 ratings have no reply from you yet</a>' in page
    with world.app.test_request_context():
        parent = db.session.get(Person, world.parents["Bakker"])
        complaints.file_complaint(db.session, person=parent, about=[f"provider:{world.providers['ours']}"],
                                  text="De help begjint net", client_id="work-list-complaint")
        db.session.commit()
    assert "1 complaint waits for an answer" in client.get("/werk?lang=en").get_data(as_text=True)
    assert "0 complaints wait" in _client(world, "Durk").get("/werk?lang=en").get_data(as_text=True)


def test_home_leads_provider_staff_to_their_work_list_and_complaints(sqlite_world):
    page = _client(sqlite_world, "Geertje").get("/?lang=en").get_data(as_text=True)
    assert '<a class="button" href="/werk">Open your work list</a>' in page
    assert 'href="/klachten/behandelen"' in page
    assert 'href="/aanbieder/beoordelingen"' in page
    for key in ("Hiske", "Baukje"):
        assert 'href="/werk"' not in _client(sqlite_world, key).get("/").get_data(as_text=True), key


@pytest.fixture
def demo_app(tmp_path):
    flask_app = make_app(with_plan=True, MAIL_DIR=str(tmp_path / "mail"))
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


def test_karin_finds_toms_goal_and_the_unanswered_ratings_of_kompas(demo_app, monkeypatch):
    from app.identity.models import Person
    from app.ratings import moderation

    client = demo_app.test_client()
    sign_in(client, "karin")
    page = client.get("/werk?scope=all").get_data(as_text=True)
    assert "Vaste afspraken over wisselen tussen de huizen" in page
    assert "Gezin De Boer-Hoekstra" in page  # the help started
    monkeypatch.setattr(moderation, "MIN_TRAJECTORIES", 1)  # Kompas's figures shown from one rated trajectory
    with demo_app.test_request_context():
        karin = db.session.exec(select(Person).where(Person.demo_key == "karin")).one()
        shown = moderation.provider_ratings(db.session, person=karin).ratings
        assert shown
        assert moderation.unanswered_count(db.session, person=karin) == len(shown)
        moderation.reply(db.session, person=karin, rating_id=shown[0].id, text="Tige tank foar jo wurden.")
        db.session.commit()
        assert moderation.unanswered_count(db.session, person=karin) == len(shown) - 1
    assert f"{len(shown) - 1} ratings have no reply from you yet" in client.get("/werk?lang=en").get_data(
        as_text=True)


def test_the_pager_leads_through_a_long_list_and_keeps_the_filters(sqlite_world):
    from tests.caseload.conftest import more_families

    more_families(sqlite_world, 50)
    client = _client(sqlite_world, "Geertje")
    page = client.get("/werk?scope=all&sort=family&lang=en").get_data(as_text=True)
    assert "Page 1 of 2" in page
    assert 'id="pager-prev"' not in page
    assert 'href="/werk?scope=all&amp;sort=family&amp;page=2"' in page
    assert '<input type="hidden" name="sort" value="family">' in page  # a row's form goes back to the same list
    second = client.get("/werk?scope=all&sort=family&page=2&lang=en",
                        headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Page 2 of 2" in second
    assert 'id="pager-prev"' in second
    assert 'id="pager-next"' not in second
    assert second.count('<tr id="goal-') == 6
    assert '<input type="hidden" name="page" value="2">' in second
