"""Live updates through htmx (issue 18): the plan page's stream is opened by htmx's SSE extension, and each part that
others change (presence, agreement, a goal's help, the header's count) fetches itself through a normal,
permission-checked request; a save tells the page (HX-Trigger) when it may have changed agreement."""

import re

from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.extensions import db
from tests.conftest import csrf_token, sign_in
from tests.plans.conftest import PlanWorld, signed_in_world
from tests.plans.test_plan_page_parts import CALM, lisa_changes_her_goal, plan_url

HTMX = {"HX-Request": "true"}


def test_the_page_opens_its_stream_with_the_extension_and_its_parts_listen_to_it(plan_app):
    world, client = signed_in_world(plan_app, "sanne")
    html = client.get(plan_url(world)).get_data(as_text=True)
    stream = re.search(r'id="live" data-stream="([^"]+)" hx-ext="sse" sse-connect="([^"]+)"', html)
    assert stream, "the plan page opens no live stream"
    assert stream.group(1) == stream.group(2)
    assert re.search(r'<p id="presence"[^>]*hx-trigger="sse:presence"', html)
    assert 'hx-trigger="sse:agreement, agreement-changed from:body" hx-swap="none"' in html
    assert re.search(r'<div class="goal-help" id="help-(\w+)" aria-live="polite" hx-get="/catalogus/doel/\1/hulp" '
                     r'hx-trigger="sse:help-\1">', html)  # only news of its own goal
    assert "sse-connect" not in client.get(f"{plan_url(world)}?live=0").get_data(as_text=True)


def test_the_agreement_parts_come_out_of_band_with_only_what_the_reader_may_see(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        lisa_changes_her_goal(world)
        calm = world.item("goal", youth_id=world.people["lisa"])
    for key, sees_calm in (("lisa", True), ("sanne", False)):
        client = plan_app.test_client()
        sign_in(client, key)
        parts = client.get(f"{plan_url(world)}/akkoord?lang=nl", headers=HTMX).get_data(as_text=True)
        swapped = set(re.findall(r'id="([\w-]+)" hx-swap-oob="true"', parts))
        assert {"plan-status", "agreement", "agreement-waiting"} <= swapped, key
        assert (f"agreement-{calm.id}" in swapped) is sees_calm, key
        if not sees_calm:
            assert calm.id not in parts
            assert CALM not in parts
    with plan_app.app_context():  # each read is logged (and marks no visit: nobody opened the plan again)
        reads = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.detail == "agreement")).all()
        assert [(entry.event, entry.actor_id) for entry in reads] == [
            ("plan.view", world.people["lisa"]), ("plan.view", world.people["sanne"])]


def test_a_save_tells_the_page_agreement_may_have_changed_and_a_tick_does_not(plan_app):
    world, client = signed_in_world(plan_app, "erik")
    token = csrf_token(client, plan_url(world))
    added = client.post(f"{plan_url(world)}/onderdelen/worry", headers={**HTMX, "X-CSRFToken": token},
                        data={"text": "Tom vergeet zijn gymtas"})
    assert added.status_code == 200
    assert added.headers["HX-Trigger"] == "agreement-changed"
    world, fenna = signed_in_world(plan_app, "fenna")
    with plan_app.app_context():
        task = world.item("action", owner_id=world.people["fenna"])
    token = csrf_token(fenna, plan_url(world))
    ticked = fenna.post(f"{plan_url(world)}/onderdelen/{task.id}/klaar", headers={**HTMX, "X-CSRFToken": token},
                        data={"done": "1"})
    assert ticked.status_code == 200
    assert "HX-Trigger" not in ticked.headers  # ticking a task off is progress, not content


def test_a_goals_help_comes_alone_for_who_may_see_the_goal_and_tells_the_header_to_count_again(plan_app):
    world, sanne = signed_in_world(plan_app, "sanne")
    with plan_app.app_context():
        school = world.item("goal", youth_id=world.people["tom"], domain="school")
        calm = world.item("goal", youth_id=world.people["lisa"])
    answer = sanne.get(f"/catalogus/doel/{school.id}/hulp?lang=nl", headers=HTMX)
    assert answer.status_code == 200
    assert answer.get_data(as_text=True).lstrip().startswith('<div class="assignment')
    assert answer.headers["HX-Trigger"] == "notifications-changed"
    assert sanne.get(f"/catalogus/doel/{calm.id}/hulp", headers=HTMX).status_code == 404  # Lisa's, not for her
    link = sanne.get("/meldingen/teller", headers=HTMX).get_data(as_text=True)
    assert link.lstrip().startswith('<a class="notifications-link" id="notifications-link"')
    assert 'hx-trigger="notifications-changed from:body"' in link
