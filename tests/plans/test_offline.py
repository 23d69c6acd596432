"""Offline support on the server: opaque keys for the offline copy and queue, and replays that change nothing twice."""

import re

from sqlmodel import select

from app.extensions import db
from app.plans import services
from app.plans.models import ItemVersion, PlanItem
from tests.conftest import csrf_token, sign_in
from tests.plans.conftest import PlanWorld, signed_in_world

HTMX = {"HX-Request": "true"}
META = re.compile(r'<meta name="onsplan-offline" content="([^"]*)" data-queue="([^"]*)">')


def plan_url(world):
    return f"/plan/{world.plan_id}"


def keys_on(client, path: str) -> tuple[str, str]:
    found = META.search(client.get(path).get_data(as_text=True))
    assert found, f"no offline keys on {path}"
    return found.group(1), found.group(2)


def test_the_plan_page_offers_an_offline_copy_under_a_key_per_person_and_sign_in(plan_app):
    world, client = signed_in_world(plan_app, "sanne")
    response = client.get(plan_url(world))
    first = response.headers["X-Offline-Copy"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert int(response.headers["X-Offline-Copy-Max-Age"]) == plan_app.config["FAMILY_IDLE_SECONDS"]
    assert response.headers["Cache-Control"] == "no-store"  # the browser's HTTP cache still keeps nothing
    assert world.people["sanne"] not in first
    assert keys_on(client, "/")[0] == first  # the page tells the service worker who is signed in now

    sign_in(client, "sanne")  # a new sign-in on the same device: the old copy no longer belongs
    second = client.get(plan_url(world)).headers["X-Offline-Copy"]
    sign_in(client, "erik")
    eriks = client.get(plan_url(world)).headers["X-Offline-Copy"]
    assert len({first, second, eriks}) == 3


def test_only_the_plan_page_asks_for_an_offline_copy(plan_app):
    world, client = PlanWorld(plan_app), plan_app.test_client()
    assert "X-Offline-Copy" not in client.get(plan_url(world)).headers  # a visitor: sent to the start page
    assert keys_on(client, "/") == ("", "")
    sign_in(client, "sanne")
    for path in ("/", "/profiel", f"{plan_url(world)}/onderdelen/{world_item(plan_app, world).id}"):
        assert "X-Offline-Copy" not in client.get(path).headers, path
    offline_page = client.get("/offline?lang=fy").get_data(as_text=True)
    assert 'name="onsplan-offline"' not in offline_page  # shown for any page offline: it names nobody


def world_item(app, world) -> PlanItem:
    with app.app_context():
        return world.item("worry", author_id=world.people["erik"])


def test_the_queue_key_stays_with_the_person_across_sign_ins(plan_app):
    world, client = signed_in_world(plan_app, "sanne")
    copy_one, queue_one = keys_on(client, plan_url(world))
    sign_in(client, "sanne")
    copy_two, queue_two = keys_on(client, plan_url(world))
    sign_in(client, "erik")
    _, eriks_queue = keys_on(client, plan_url(world))
    assert queue_one == queue_two != eriks_queue
    assert copy_one != copy_two
    assert world.people["sanne"] not in queue_one


def test_an_add_sent_twice_is_added_once(plan_app):
    world, client = signed_in_world(plan_app, "sanne")
    token = csrf_token(client, plan_url(world))
    data = {"text": "Tom sliept min sûnt de fakânsje", "youth_id": world.people["tom"],
            "client_id": "3f2a9c0d5e6b7a8190ab"}
    answers = [client.post(f"{plan_url(world)}/onderdelen/worry", data=data,
                           headers={**HTMX, "X-CSRFToken": token}) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    ids = {re.search(r'id="(item-\w+)"', a.get_data(as_text=True)).group(1) for a in answers}
    assert len(ids) == 1
    with plan_app.app_context():
        made = db.session.exec(select(PlanItem).where(PlanItem.text == data["text"])).all()
        assert [(m.author_id, m.version) for m in made] == [(world.people["sanne"], 1)]
        creates = db.session.exec(select(ItemVersion).where(ItemVersion.item_id == made[0].id)).all()
        assert [v.data["client_id"] for v in creates] == [data["client_id"]]

    # Another add from the same device is a new item, and so is the same text without a device id.
    client.post(f"{plan_url(world)}/onderdelen/worry", data={**data, "client_id": "another-add-0001"},
                headers={**HTMX, "X-CSRFToken": token})
    client.post(f"{plan_url(world)}/onderdelen/worry", data={**data, "client_id": "short"},
                headers={**HTMX, "X-CSRFToken": token})
    with plan_app.app_context():
        assert len(db.session.exec(select(PlanItem).where(PlanItem.text == data["text"])).all()) == 3


def test_the_same_client_id_from_another_person_is_not_theirs(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        fields = {"text": "Wy fytse op snein", "youth_id": None}
        sanne, erik = world.ctx("sanne"), world.ctx("erik")
        first = services.create_item(db.session, ctx=sanne, speaker=services.speaker_for(sanne, None), kind="strength",
                                     fields=fields, client_id="same-device-id-1")
        again = services.create_item(db.session, ctx=sanne, speaker=services.speaker_for(sanne, None), kind="strength",
                                     fields=fields, client_id="same-device-id-1")
        other = services.create_item(db.session, ctx=erik, speaker=services.speaker_for(erik, None), kind="strength",
                                     fields=fields, client_id="same-device-id-1")
        db.session.commit()
        assert first.id == again.id != other.id
        assert other.author_id == world.people["erik"]


def test_an_edit_sent_again_after_it_was_saved_is_no_conflict(plan_app):
    world, client = signed_in_world(plan_app, "sanne")
    with plan_app.app_context():
        worry = world.item("worry", author_id=world.people["sanne"])
        url, version = f"{plan_url(world)}/onderdelen/{worry.id}/bewerken", worry.version
    token = csrf_token(client, plan_url(world))
    data = {"version": version, "text": "Op de bus skreaun, sûnder ynternet", "youth_id": worry.youth_id or ""}
    answers = [client.post(url, data=data, headers={**HTMX, "X-CSRFToken": token}) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert "conflict" not in answers[1].get_data(as_text=True)
    with plan_app.app_context():
        saved = db.session.get(PlanItem, worry.id)
        assert (saved.text, saved.version) == (data["text"], version + 1)

    # A stale edit that says something else is still a conflict showing both texts.
    stale = client.post(url, data={**data, "text": "Wat oars"}, headers={**HTMX, "X-CSRFToken": token})
    assert stale.status_code == 422
    html = stale.get_data(as_text=True)
    assert "conflict__theirs" in html
    assert data["text"] in html
    assert "Wat oars</textarea>" in html


def test_an_edit_of_only_the_text_keeps_the_other_fields(plan_app):
    world, client = signed_in_world(plan_app, "mark")
    with plan_app.app_context():
        goal = world.item("goal", youth_id=world.people["tom"], domain="school")
        before = goal.snapshot()
        url = f"{plan_url(world)}/onderdelen/{goal.id}/bewerken"
    token = csrf_token(client, plan_url(world))
    response = client.post(url, data={"version": goal.version, "text": "Tom giet graach nei skoalle"},
                           headers={**HTMX, "X-CSRFToken": token})
    assert response.status_code == 200
    with plan_app.app_context():
        after = db.session.get(PlanItem, goal.id).snapshot()
    assert after["text"] == "Tom giet graach nei skoalle"
    assert {k: v for k, v in after.items() if k != "text"} == {k: v for k, v in before.items() if k != "text"}
    assert before["result"]
    assert before["domain"] == "school"


def test_restoring_the_first_version_of_an_item_added_offline(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        ctx = world.ctx("sanne")
        speaker = services.speaker_for(ctx, None)
        item = services.create_item(db.session, ctx=ctx, speaker=speaker, kind="strength",
                                    fields={"text": "Earste ferzje", "youth_id": None}, client_id="restore-me-0001")
        services.update_item(db.session, ctx=ctx, speaker=speaker, item_id=item.id, expected_version=1,
                             fields={"text": "Twadde ferzje", "youth_id": None})
        services.restore_version(db.session, ctx=ctx, speaker=speaker, item_id=item.id, version=1)
        db.session.commit()
        assert (item.text, item.version) == ("Earste ferzje", 3)
