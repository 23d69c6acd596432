"""The notifications pages over HTTP: in three languages, only your own, preferences kept, 422 keeps what you typed."""

import re

import pytest
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.extensions import db
from app.notifications.models import GoalFollow, Notification, NotificationPreference
from tests import factories
from tests.conftest import csrf_token, sign_in, sign_in_person
from tests.plans.conftest import PlanWorld

HEADINGS = {"nl": ("Meldingen", "Waarover wil je iets horen?"), "fy": ("Meldingen", "Wêr wolsto wat oer hearre?"),
            "en": ("Notifications", "What do you want to hear about?")}


def notes_of(app, world: PlanWorld, key: str) -> list[Notification]:
    with app.app_context():
        return list(db.session.exec(select(Notification).where(Notification.person_id == world.people[key])
                                    .order_by(Notification.id)).all())


@pytest.mark.parametrize("lang", ["nl", "fy", "en"])
def test_pages_render_in_each_language(plan_app, lang):
    client = plan_app.test_client()
    sign_in(client, "sanne")
    page = client.get(f"/meldingen?lang={lang}").get_data(as_text=True)
    assert f"<h1>{HEADINGS[lang][0]}</h1>" in page
    assert {"nl": "Mark vraagt of je akkoord gaat met het gezinsplan.",
            "fy": "Mark freget oftsto akkoard giest mei it gesinsplan.",
            "en": "Mark asks you to agree to the family plan."}[lang] in page
    assert {"nl": 'aria-label="Meldingen, 2 nieuw"', "fy": 'aria-label="Meldingen, 2 nij"',
            "en": 'aria-label="Notifications, 2 new"'}[lang] in page
    settings = client.get(f"/meldingen/instellingen?lang={lang}")
    assert settings.status_code == 200
    assert f"<h1>{HEADINGS[lang][1]}</h1>" in settings.get_data(as_text=True)


def test_the_list_is_newest_first_only_mine_and_logged(plan_app):
    world = PlanWorld(plan_app)
    client = plan_app.test_client()
    sign_in(client, "sanne")
    page = client.get("/meldingen").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'href="/meldingen/(\d+)"', page)]
    assert ids == sorted((n.id for n in notes_of(plan_app, world, "sanne")), reverse=True)
    assert not set(ids) & {n.id for n in notes_of(plan_app, world, "erik")}
    with plan_app.app_context():
        logged = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "notifications.view")).all()
        assert [e.actor_id for e in logged] == [world.people["sanne"]]


def test_opening_a_notification_marks_it_read_and_goes_to_the_item(plan_app):
    world = PlanWorld(plan_app)
    client = plan_app.test_client()
    sign_in(client, "sanne")
    goal_note = next(n for n in notes_of(plan_app, world, "sanne") if n.topic == "goal_changed")
    response = client.get(f"/meldingen/{goal_note.id}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/plan/{world.plan_id}#item-{goal_note.item_id}")
    with plan_app.app_context():
        assert db.session.get(Notification, goal_note.id).read_at is not None
        entry = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "notification.open")).one()
        assert (entry.actor_id, entry.object_id) == (world.people["sanne"], goal_note.item_id)
    assert 'aria-label="Meldingen, 1 nij"' in client.get("/meldingen").get_data(as_text=True)  # Sanne reads Frysk


def made_family(flask_app, youth_ages: list[int]) -> factories.FamilyWorld:
    """A family made for the test: two parents with custody, youths of these ages, the professional."""
    with flask_app.test_request_context(), db.new_session() as session:
        return factories.family(session, youth_ages=youth_ages, custody=[True, True])


def signed_in(flask_app, person_id: str):
    client = flask_app.test_client()
    sign_in_person(client, person_id)
    return client


def test_someone_elses_notification_is_not_found(bare_app):
    from app.plans import agreement

    world = made_family(bare_app, [14])
    with bare_app.test_request_context(), db.new_session() as session:
        factories.item(session, plan=world.plan, author=world.professional, kind="goal", youth_id=world.youths[0].id)
        agreement.ask_for_agreement(session, ctx=factories.context(session, person=world.professional,
                                                                   plan=world.plan))
        hers, his = (session.exec(select(Notification).where(Notification.person_id == parent.id)).one()
                     for parent in world.parents)
    client = signed_in(bare_app, world.parents[1].id)
    assert client.get(f"/meldingen/{hers.id}").status_code == 404
    assert client.post(f"/meldingen/{hers.id}/gelezen", data={"csrf_token": csrf_token(client)}).status_code == 404
    assert client.get("/meldingen/999999").status_code == 404
    assert client.get(f"/meldingen/{his.id}").status_code == 303  # his own opens
    with bare_app.app_context():
        assert db.session.get(Notification, hers.id).read_at is None


def test_mark_one_read_then_all_read_with_and_without_htmx(plan_app):
    world = PlanWorld(plan_app)
    client = plan_app.test_client()
    sign_in(client, "sanne")
    first, second = notes_of(plan_app, world, "sanne")[:2]
    token = csrf_token(client, "/meldingen")
    response = client.post(f"/meldingen/{first.id}/gelezen", data={"csrf_token": token},
                           headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True).strip()
    assert response.status_code == 200
    assert fragment.startswith('<section id="notification_list"')
    assert 'hx-swap-oob="true"' in fragment  # the header's count follows
    assert 'aria-label="Meldingen, 1 nij"' in fragment
    assert client.post("/meldingen/alles-gelezen", data={"csrf_token": token}).status_code == 303
    with plan_app.app_context():
        assert all(db.session.get(Notification, n.id).read_at for n in (first, second))
    page = client.get("/meldingen").get_data(as_text=True)
    assert 'aria-label="Meldingen"' in page
    assert "notification--unread" not in page


def test_preferences_save_and_survive(bare_app):
    youth = made_family(bare_app, [14]).youths[0]
    client = signed_in(bare_app, youth.id)
    page = client.get("/meldingen/instellingen").get_data(as_text=True)
    assert re.search(r'checked[^>]*id="agreement_asked_email"', page)  # the defaults
    assert not re.search(r'checked[^>]*id="goal_changed_email"', page)
    data = {"csrf_token": csrf_token(client, "/meldingen/instellingen"), "agreement_asked_app": "y",
            "goal_changed_email": "y", "email": "tom@example.test"}
    response = client.post("/meldingen/instellingen", data=data)
    assert response.status_code == 303
    page = client.get("/meldingen/instellingen").get_data(as_text=True)
    assert re.search(r'checked[^>]*id="goal_changed_email"', page)
    assert not re.search(r'checked[^>]*id="plan_fixed_app"', page)
    assert 'value="tom@example.test"' in page
    with bare_app.app_context():
        saved = db.session.exec(select(NotificationPreference).where(
            NotificationPreference.person_id == youth.id, NotificationPreference.is_on)).all()
        assert {(p.topic, p.channel) for p in saved} == {("agreement_asked", "app"), ("goal_changed", "email")}


def test_bad_email_answers_422_and_keeps_what_was_typed(bare_app):
    client = signed_in(bare_app, made_family(bare_app, [14]).parents[0].id)
    data = {"csrf_token": csrf_token(client, "/meldingen/instellingen"), "goal_changed_email": "y",
            "email": "erik at home <b>"}
    response = client.post("/meldingen/instellingen", data=data, headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True).strip()
    assert response.status_code == 422
    assert fragment.startswith('<form id="settings_form"')
    assert "Dit is geen e-mailadres. Het ziet eruit als naam@voorbeeld.nl." in fragment
    assert 'value="erik at home &lt;b&gt;"' in fragment
    assert re.search(r'checked[^>]*id="goal_changed_email"', fragment)
    assert not re.search(r'checked[^>]*id="agreement_asked_app"', fragment)  # unticked stays unticked
    assert 'aria-invalid="true"' in fragment
    data["email"] = ""
    response = client.post("/meldingen/instellingen", data=data)
    assert response.status_code == 422
    assert "Vul je e-mailadres in, of zet e-mail uit." in response.get_data(as_text=True)


def test_a_professional_is_told_e_mail_comes_as_a_daily_digest(plan_app):
    client = plan_app.test_client()
    sign_in(client, "mark")
    page = client.get("/meldingen/instellingen").get_data(as_text=True)
    assert "e-mails komen één keer per dag, als één overzicht" in page
    assert "Gezin Dijkstra" in client.get("/meldingen").get_data(as_text=True)  # his reminders, per family


def test_follow_and_unfollow_a_goal_and_not_one_you_may_not_see(bare_app):
    world = made_family(bare_app, [15, 16])
    with bare_app.test_request_context(), db.new_session() as session:
        school, calm = (factories.item(session, plan=world.plan, author=world.professional, kind="goal",
                                       youth_id=youth.id) for youth in world.youths)  # about 15 and 16
    client = signed_in(bare_app, world.parents[0].id)
    token = csrf_token(client)
    url = f"/plan/{world.plan.id}/onderdelen/{school.id}/volgen"
    assert client.post(url, data={"csrf_token": token, "follow": "1"}).status_code == 303
    fragment = client.post(url, data={"csrf_token": token, "follow": "0"}, headers={"HX-Request": "true"})
    assert 'aria-pressed="false"' in fragment.get_data(as_text=True)
    calm_url = f"/plan/{world.plan.id}/onderdelen/{calm.id}/volgen"
    assert client.post(calm_url, data={"csrf_token": token, "follow": "1"}).status_code == 404
    with bare_app.app_context():
        assert db.session.exec(select(GoalFollow).where(GoalFollow.item_id == calm.id)).all() == []


def test_signed_out_visitors_are_sent_to_the_start(plan_app):
    client = plan_app.test_client()
    for path in ("/meldingen", "/meldingen/instellingen", "/meldingen/1"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/")


def test_a_notification_opened_in_a_chosen_language_leads_to_a_page_in_that_language(plan_app):
    world = PlanWorld(plan_app)
    client = plan_app.test_client()
    sign_in(client, "sanne")  # she reads Frysk
    goal_note = next(n for n in notes_of(plan_app, world, "sanne") if n.topic == "goal_changed")
    page = client.get("/meldingen?lang=en").get_data(as_text=True)
    assert f'href="/meldingen/{goal_note.id}?lang=en"' in page
    response = client.get(f"/meldingen/{goal_note.id}?lang=en")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/plan/{world.plan_id}?lang=en#item-{goal_note.item_id}"
    assert '<html lang="en"' in client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="/meldingen/{goal_note.id}"' in client.get("/meldingen").get_data(as_text=True)  # none chosen
