"""The plan page's fragment cache: one process serves many people, and nobody is ever sent another person's view
(rights, visibility, names, language and form token each change what is served)."""

import re

from app.extensions import db
from app.identity.models import Person
from tests.conftest import csrf_token
from tests.plans.conftest import PlanWorld, signed_in_world


def plan_url(world):
    return f"/plan/{world.plan_id}"


def article(html: str, item_id: str) -> str:
    """The HTML of one item on the page (up to the next item or the end of its block)."""
    start = html.index(f'id="item-{item_id}"')
    end = html.find('<article class="item', start + 1)
    return html[start:end if end != -1 else None]


def tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]*)"', html))


def fragments(app):
    return app.extensions["plan_fragments"]


def tom_goal(world):
    with world.app.app_context():
        return world.item("goal", youth_id=world.people["tom"]).id


def test_two_viewers_with_different_rights_get_different_fragments_in_one_process(plan_app):
    world, mark = signed_in_world(plan_app, "mark")
    _, sanne = signed_in_world(plan_app, "sanne")
    goal_id, page = tom_goal(world), f"{plan_url(world)}?lang=nl"  # one language: only their rights differ
    for first, second in ((mark, sanne), (sanne, mark)):  # whoever draws it first, the other gets their own
        first.get(page)
        second.get(page)
    mark_page = mark.get(page).get_data(as_text=True)
    sanne_page = sanne.get(page).get_data(as_text=True)
    assert fragments(plan_app).hits > 0  # the second views were served from the cache
    assert f'id="withhold-{goal_id}"' in article(mark_page, goal_id)  # the professional may withhold it
    assert f'id="withhold-{goal_id}"' not in article(sanne_page, goal_id)  # a parent may not
    assert f'id="withhold-{goal_id}"' not in sanne_page


def test_each_viewer_gets_their_own_form_token_in_cached_fragments(plan_app):
    world, mark = signed_in_world(plan_app, "mark")
    _, erik = signed_in_world(plan_app, "erik")
    for client in (mark, erik, mark, erik):
        client.get(plan_url(world))
    mark_page = mark.get(plan_url(world)).get_data(as_text=True)
    erik_page = erik.get(plan_url(world)).get_data(as_text=True)
    assert len(tokens(mark_page)) == 1
    assert len(tokens(erik_page)) == 1
    assert tokens(mark_page) != tokens(erik_page)
    assert "<!--csrf-->" not in mark_page
    assert "<!--csrf-->" not in erik_page
    assert 'class="item__done"' in erik_page  # forms inside cached items carry it too


def test_a_visibility_change_without_a_new_version_changes_what_is_served(plan_app):
    world, mark = signed_in_world(plan_app, "mark")
    _, sanne = signed_in_world(plan_app, "sanne")
    goal_id = tom_goal(world)
    goal_text = article(mark.get(plan_url(world)).get_data(as_text=True), goal_id)
    assert "badge--private" not in goal_text
    assert f'id="item-{goal_id}"' in sanne.get(plan_url(world)).get_data(as_text=True)
    token = csrf_token(mark, plan_url(world))
    response = mark.post(f"{plan_url(world)}/onderdelen/{goal_id}/zichtbaarheid",
                         data={"csrf_token": token, "change": "withhold", "reason": "Tom vroeg het zelf",
                               "consulted": "Els, gedragswetenschapper", "opinion": "Eens"})
    assert response.status_code == 303
    shown = article(mark.get(plan_url(world)).get_data(as_text=True), goal_id)
    assert "badge--private" in shown
    assert "Tom vroeg het zelf" in shown
    assert f'id="item-{goal_id}"' not in sanne.get(plan_url(world)).get_data(as_text=True)


def test_a_new_version_and_a_new_name_are_served_at_once(plan_app):
    world, mark = signed_in_world(plan_app, "mark")
    _, erik = signed_in_world(plan_app, "erik")
    goal_id = tom_goal(world)
    erik.get(plan_url(world))
    with plan_app.app_context():
        goal = world.item("goal", youth_id=world.people["tom"])
        version, author_id = goal.version, goal.author_id
    token = csrf_token(mark, plan_url(world))
    response = mark.post(f"{plan_url(world)}/onderdelen/{goal_id}/bewerken",
                         data={"csrf_token": token, "version": version, "text": "Tom gaat elke dag naar school",
                               "result": "Elke dag op tijd", "domain": "school", "youth_id": world.people["tom"]})
    assert response.status_code == 303
    assert "Tom gaat elke dag naar school" in article(erik.get(plan_url(world)).get_data(as_text=True), goal_id)
    with plan_app.app_context():
        author = db.session.get(Person, author_id)
        old_name, author.given_name, author.family_name = author.name, "Maarten", "de Nieuwe"
        db.session.commit()
    shown = article(erik.get(plan_url(world)).get_data(as_text=True), goal_id)
    assert "Maarten de Nieuwe" in shown
    assert old_name not in shown


def test_the_same_item_is_served_in_each_readers_language(plan_app):
    world, erik = signed_in_world(plan_app, "erik")
    goal_id = tom_goal(world)
    pages = {lang: article(erik.get(f"{plan_url(world)}?lang={lang}").get_data(as_text=True), goal_id)
             for lang in ("nl", "fy", "en", "nl")}
    assert ">Geschiedenis</a>" in pages["nl"]
    assert ">History</a>" in pages["en"]
    assert ">Skiednis</a>" in pages["fy"]
    assert fragments(plan_app).hits > 0


def test_a_cache_of_size_zero_keeps_nothing_and_draws_the_same_page(plan_app):
    world, mark = signed_in_world(plan_app, "mark")
    cached = mark.get(plan_url(world)).get_data(as_text=True)
    cached = mark.get(plan_url(world)).get_data(as_text=True)
    store = fragments(plan_app)
    store.size = 0
    store.clear()
    drawn = mark.get(plan_url(world)).get_data(as_text=True)
    assert len(store) == 0
    same = re.compile(r'(name="csrf_token" value=")[^"]*"|data-stream="[^"]*"|sse-connect="[^"]*"|drawn=\d+')
    assert same.sub("", drawn) == same.sub("", cached)


def test_an_expired_item_is_keyed_by_what_is_stored_not_by_empty_values(plan_app):
    from app.plans.fragments import _columns

    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        item = world.item("goal", youth_id=world.people["tom"])
        loaded = _columns(item)
        db.session.expire(item)  # e.g. after a commit: the values are no longer in the object's state
        assert _columns(item) == loaded
        assert item.text in loaded


def test_the_page_draws_no_editor_and_the_edit_link_brings_one_with_or_without_javascript(plan_app):
    world, mark = signed_in_world(plan_app, "mark")
    goal_id = tom_goal(world)
    page = mark.get(plan_url(world)).get_data(as_text=True)
    drawn = re.sub(r"<template\b.*?</template>", "", page, flags=re.S)  # the offline editor is inert, not drawn
    assert 'name="version"' not in drawn
    assert "item--editing" not in drawn
    edit_url = f"{plan_url(world)}/onderdelen/{goal_id}/bewerken"
    assert f'<a href="{edit_url}" id="edit-{goal_id}" data-in-place=".item">' in article(page, goal_id)
    fragment = mark.get(edit_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<div class="item item--editing" id="item-{goal_id}"')
    assert 'name="version"' in fragment
    assert "<html" not in fragment
    whole = mark.get(edit_url).get_data(as_text=True)  # without JavaScript: a page with the form
    assert "<html" in whole
    assert f'action="{edit_url}"' in whole
    assert 'name="version"' in whole


def test_a_long_plan_lets_the_browser_draw_its_sections_as_they_come_into_view(plan_app):
    world, mark = signed_in_world(plan_app, "mark")
    assert "plan-page--long" not in mark.get(plan_url(world)).get_data(as_text=True)  # the demo plan: 23 items
    token = csrf_token(mark, plan_url(world))
    for n in range(40):
        mark.post(f"{plan_url(world)}/onderdelen/strength", data={"csrf_token": token, "text": f"Sterk punt {n}"})
    assert 'class="plan-page--long"' in mark.get(plan_url(world)).get_data(as_text=True)
