"""Where focus goes after an answer is said by the server (WCAG 2.4.3; htmx focuses what is marked `autofocus` and
keeps focus on a control whose id comes back): an item saved or put back from its own editor marks its Edit link, a
removed one the heading of its section. A live update or a change sent later from the offline queue names no htmx
target and marks nothing, so it never moves anyone's focus. The browser side is tests/browser/test_keyboard.py."""

from app.plans.models import ItemKind
from tests.conftest import csrf_token
from tests.plans.conftest import signed_in_world
from tests.plans.test_plan_page_parts import plan_url

HTMX = {"HX-Request": "true"}


def at_the_item(item_id: str, token: str = "") -> dict[str, str]:
    """The headers of htmx's request from a control in an item (its editor's Save and Cancel, its tick): htmx names
    the item as its target."""
    return {**HTMX, "HX-Target": f"item-{item_id}", "X-CSRFToken": token}


def test_a_save_or_cancel_in_the_editor_focuses_the_edit_link_a_live_fetch_or_a_replay_does_not(plan_app):
    world, erik = signed_in_world(plan_app, "erik")
    with plan_app.app_context():
        worry = world.item(ItemKind.WORRY)
    token = csrf_token(erik, plan_url(world))
    url = f"{plan_url(world)}/onderdelen/{worry.id}"
    edit_link = f'id="edit-{worry.id}" data-in-place=".item" autofocus>'

    saved = erik.post(f"{url}/bewerken", headers=at_the_item(worry.id, token),
                      data={"text": "Tom slaapt slecht", "version": worry.version})
    assert saved.status_code == 200
    assert edit_link in saved.get_data(as_text=True)
    assert edit_link in erik.get(url, headers=at_the_item(worry.id)).get_data(as_text=True)  # Cancel

    live = erik.get(url).get_data(as_text=True)  # the live update's plain fetch
    assert f'id="edit-{worry.id}"' in live
    assert "autofocus" not in live
    replayed = erik.post(f"{url}/bewerken", headers={**HTMX, "X-CSRFToken": token},  # sent from the offline queue
                         data={"text": "Tom slaapt erg slecht", "version": worry.version + 1})
    assert replayed.status_code == 200
    assert "autofocus" not in replayed.get_data(as_text=True)


def test_a_tick_keeps_focus_on_the_tick_by_its_id_and_marks_nothing(plan_app):
    world, erik = signed_in_world(plan_app, "erik")
    with plan_app.app_context():
        task = world.item(ItemKind.ACTION)
    ticked = erik.post(f"{plan_url(world)}/onderdelen/{task.id}/klaar",
                       headers=at_the_item(task.id, csrf_token(erik, plan_url(world))), data={"done": "1"})
    assert ticked.status_code == 200
    html = ticked.get_data(as_text=True)
    assert f'<button class="check" id="done-{task.id}" aria-pressed="true">' in html
    assert "autofocus" not in html


def test_removing_an_item_from_its_editor_focuses_its_sections_heading(plan_app):
    world, erik = signed_in_world(plan_app, "erik")
    with plan_app.app_context():
        worry = world.item(ItemKind.WORRY)
        task = world.item(ItemKind.ACTION)  # drawn under its goal: the goals' section
        other = world.item(ItemKind.EVALUATION)
    token = csrf_token(erik, plan_url(world))
    for item, heading in ((worry, "heading-worry"), (task, "heading-goal")):
        removed = erik.post(f"{plan_url(world)}/onderdelen/{item.id}/bewerken", headers=at_the_item(item.id, token),
                            data={"delete": "1", "version": item.version})
        assert removed.status_code == 200
        body = removed.get_data(as_text=True).strip()
        assert body.startswith(f'<h2 id="{heading}" tabindex="-1" autofocus hx-swap-oob="true">'), body
        assert item.id not in body
    replayed = erik.post(f"{plan_url(world)}/onderdelen/{other.id}/bewerken", headers={**HTMX, "X-CSRFToken": token},
                         data={"delete": "1", "version": other.version})
    assert replayed.status_code == 200
    assert replayed.get_data(as_text=True).strip() == ""  # swapped for nothing, and focus is left alone
