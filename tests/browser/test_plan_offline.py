"""The plan on the bus: readable without a connection, edits queued and sent when back, conflicts shown, and the
offline copy gone at sign-out and when someone else signs in on the same phone.

Real Chromium with the app's service worker, `context.set_offline(True)` for "no network" (it also fails the
service worker's own fetches, so the worker falls back to the copy), and the server's database to check the result.
"""

import json
import sqlite3
import uuid
from contextlib import closing

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in_on_demo_page

PERSON_CACHES = "async () => (await caches.keys()).filter((name) => name.startsWith('onsplan-person-'))"
COPIES = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    if (!name.startsWith('onsplan-person-')) { continue; }
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      found.push({cache: name, path: new URL(request.url).pathname, html: await (await cache.match(request)).text()});
    }
  }
  return found;
}"""
TEXTS = {
    "fy": {"banner": "Offline kopy fan", "pending": "Wachtet op ferstjoeren", "offline": "Do bist offline",
           "queued": "Do bist offline. Dyn feroaring bliuwt op dizze telefoan bewarre",
           "sent": "De feroaringen dy'tst offline makke hast, binne ferstjoerd.", "save": "Bewarje",
           "conflict": "Immen oars hat itselde diel feroare", "keep": "Myn tekst hâlde"},
    "nl": {"banner": "Offline kopie van", "pending": "Wacht op versturen", "offline": "Je bent offline",
           "queued": "Je bent offline. Je wijziging blijft op deze telefoon bewaard",
           "sent": "De wijzigingen die je offline hebt gemaakt, zijn verstuurd.", "save": "Opslaan",
           "conflict": "Iemand anders heeft hetzelfde deel veranderd", "keep": "Mijn tekst houden"},
}
NAMES = {"sanne": "Sanne", "erik": "Erik"}


def rows(app_server, text: str) -> list[tuple]:
    """What the server saved with this text: kind, author, typist, deleted."""
    path = app_server.env["DATABASE_URL"].removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(
            "SELECT i.kind, a.given_name, t.given_name, i.deleted_at FROM plan_item i "
            "JOIN person a ON a.id = i.author_id JOIN person t ON t.id = i.typed_by_id WHERE i.text = ?",
            (text,)).fetchall()


def with_service_worker(page: Page) -> None:
    """Open the home page and wait until the service worker is active and controls the page."""
    page.goto("/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    # A function, not an expression string: polling an expression evaluates it as a string, which the CSP refuses.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def wait_for_copy(page: Page, path: str, containing: str = "") -> None:
    """The worker keeps its copy after the page arrived: wait until it is there (with this text in it)."""
    page.wait_for_function(
        f"""async () => (await ({COPIES})()).some((c) => c.path === {json.dumps(path)}
                                                         && c.html.includes({json.dumps(containing)}))""",
        polling=100, timeout=10_000)


def open_plan(page: Page) -> str:
    """Open the plan from the home page (with the worker in control) and wait for its offline copy."""
    with_service_worker(page)
    path = page.locator('main a[href^="/plan/"]').first.get_attribute("href")
    page.goto(path)
    expect(page.locator("#section-worry")).to_be_visible()
    wait_for_copy(page, path)
    return path


def add_online(page: Page, kind: str, text: str) -> str:
    """Add an item the ordinary way and return its element id."""
    form = page.locator(f"details#add-{kind}")
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    form.locator("textarea[name=text]").fill(text)
    form.locator("button[type=submit]").click()
    added = page.locator(f"#items-{kind} article.item").filter(has_text=text)
    expect(added).to_have_count(1)
    return added.get_attribute("id")


def edit_offline(page: Page, item_id: str, before: str, after: str, save: str) -> None:
    """Tap Edit without a connection: a small editor for the text; save queues the change."""
    page.locator(f"#{item_id} .item__tools a[href$='/bewerken']").click()
    editor = page.locator(f"div.item--offline#{item_id}")
    expect(editor.locator("textarea[name=text]")).to_have_value(before)
    expect(editor.locator("textarea[name=text]")).to_be_focused()
    editor.locator("textarea[name=text]").fill(after)
    editor.get_by_role("button", name=save, exact=True).click()


@pytest.mark.parametrize(("persona", "language"), [("sanne", "fy"), ("erik", "nl")])
def test_read_offline_edit_and_add_then_everything_reaches_the_server(signed_in, app_server, persona, language):
    words, name = TEXTS[language], NAMES[persona]
    page = signed_in(persona)
    plan_path = open_plan(page)
    expect(page.locator("html")).to_have_attribute("lang", language)
    tag = uuid.uuid4().hex[:6]
    original, edited = f"Wy kuierje op snein nei it park ({tag})", f"Wy fytse op snein nei Grou ({tag})"
    worry = f"Tom sliept min as er de hiele jûn gamet ({tag})"
    item_id = add_online(page, "strength", original)
    page.reload()  # the copy now holds the new strength
    wait_for_copy(page, plan_path, original)

    page.context.set_offline(True)
    try:
        page.reload()
        banner = page.locator("#offline-copy")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text(words["banner"])
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator(f"#{item_id}")).to_contain_text(original)

        edit_offline(page, item_id, original, edited, words["save"])
        add = page.locator("details#add-worry")
        add.locator("summary").click()
        add.locator("textarea[name=text]").fill(worry)
        add.locator("button[type=submit]").click()

        pending = page.locator("article.item--pending")
        expect(pending).to_have_count(2)
        expect(pending.filter(has_text=edited).locator(".badge--pending")).to_have_text(words["pending"])
        expect(pending.filter(has_text=worry).locator(".badge--pending")).to_have_text(words["pending"])
        expect(page.locator("#offline-status")).to_contain_text(words["queued"])
        expect(add.locator("textarea[name=text]")).to_have_value("")  # ready for the next one
        assert rows(app_server, worry) == []
        assert rows(app_server, edited) == []

        page.reload()  # still offline: the copy again, with the queued edits shown on it
        expect(page.locator("#offline-copy")).to_be_visible()
        expect(page.locator("article.item--pending")).to_have_count(2)
    finally:
        page.context.set_offline(False)

    expect(page.locator("article.item--pending")).to_have_count(0, timeout=15_000)
    expect(page.locator("#offline-status")).to_have_text(words["sent"])
    expect(page.locator(f"#{item_id}")).to_contain_text(edited)
    expect(page.locator("#items-worry article.item").filter(has_text=worry)).to_have_count(1)
    assert rows(app_server, edited) == [("strength", name, name, None)]
    assert rows(app_server, worry) == [("worry", name, name, None)]
    assert rows(app_server, original) == []


def test_an_offline_edit_of_a_part_someone_else_changed_ends_in_the_conflict_view(signed_in, app_server):
    sanne, erik = signed_in("sanne"), signed_in("erik")
    plan_path = open_plan(sanne)
    tag = uuid.uuid4().hex[:6]
    original = f"Noor boartet graach mei de hûn ({tag})"
    sannes, eriks = f"Noor boartet alle dagen mei de hûn ({tag})", f"Noor laat elke avond de hond uit ({tag})"
    item_id = add_online(sanne, "strength", original)

    sanne.context.set_offline(True)
    try:
        edit_offline(sanne, item_id, original, sannes, TEXTS["fy"]["save"])
        expect(sanne.locator(f"article.item--pending#{item_id}")).to_contain_text(sannes)

        # Meanwhile Erik, online, changes the same strength.
        erik.goto(plan_path)
        erik.locator(f"#{item_id} .item__tools a[href$='/bewerken']").click()
        erik.locator(f"div.item--editing#{item_id} textarea[name=text]").fill(eriks)
        erik.locator(f"div.item--editing#{item_id} button[type=submit]:not([name=delete])").click()
        expect(erik.locator(f"article#{item_id}")).to_contain_text(eriks)
    finally:
        sanne.context.set_offline(False)

    editor = sanne.locator(f"div.item--editing#{item_id}")
    panel = editor.locator(".conflict")
    expect(panel).to_be_visible(timeout=15_000)
    expect(panel.locator(".conflict__theirs")).to_contain_text(eriks)
    expect(panel).to_contain_text("Erik de Boer")
    expect(editor.locator("textarea[name=text]")).to_have_value(sannes)  # hers, still there
    expect(sanne.locator("#offline-status")).to_contain_text(TEXTS["fy"]["conflict"])
    assert rows(app_server, eriks) == [("strength", "Sanne", "Sanne", None)]  # Erik changed Sanne's strength

    # She keeps her own text: saved, and both versions are in the history.
    editor.get_by_role("button", name=TEXTS["fy"]["keep"]).click()
    expect(sanne.locator(f"article#{item_id}")).to_contain_text(sannes)
    assert rows(app_server, sannes) == [("strength", "Sanne", "Sanne", None)]
    path = app_server.env["DATABASE_URL"].removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as conn:
        history = [json.loads(data)["text"] for (data,) in conn.execute(
            "SELECT data FROM item_version WHERE item_id = ? ORDER BY version", (item_id.removeprefix("item-"),))]
    assert history == [original, eriks, sannes]


def test_the_offline_copy_is_gone_after_sign_out_and_when_someone_else_signs_in(new_context):
    # A sign-in of its own: signing out ends the session, which the other tests' saved sign-ins must survive.
    page = new_context().new_page()
    sign_in_on_demo_page(page, "sanne")
    plan_path = open_plan(page)
    sannes_caches = page.evaluate(PERSON_CACHES)
    assert len(sannes_caches) == 1

    # Sign out: Clear-Site-Data empties the caches (and the worker comes back without the copy).
    with page.expect_navigation():
        page.locator("footer form[action='/uitloggen'] button").click()
    with_service_worker(page)
    assert page.evaluate(PERSON_CACHES) == []
    page.context.set_offline(True)
    try:
        page.goto(plan_path)
        expect(page.get_by_role("heading", level=1)).to_have_text(TEXTS["fy"]["offline"])
        expect(page.locator("#section-worry")).to_have_count(0)
    finally:
        page.context.set_offline(False)

    # Sanne signs in again and reads the plan; then Erik signs in on the same phone without her signing out.
    sign_in_on_demo_page(page, "sanne")
    open_plan(page)
    again = page.evaluate(PERSON_CACHES)
    assert len(again) == 1
    assert again != sannes_caches
    sign_in_on_demo_page(page, "erik")
    page.wait_for_function(f"async () => !(await ({PERSON_CACHES})()).includes({json.dumps(again[0])})",
                           polling=100, timeout=10_000)
    assert page.evaluate(PERSON_CACHES) == []
    page.context.set_offline(True)
    try:
        page.goto(plan_path)
        expect(page.get_by_role("heading", level=1)).to_have_text(TEXTS["nl"]["offline"])
        expect(page.locator("main")).not_to_contain_text("Wy meitsje alle sneonen tegearre iten")
    finally:
        page.context.set_offline(False)


@pytest.mark.parametrize("lost", ["the request", "the answer"])
def test_the_network_dropping_mid_save_loses_nothing_and_adds_nothing_twice(signed_in, app_server, lost):
    """Sanne (in Frysk) adds a worry and the connection drops mid-save: before the server got it, or after it
    saved and before the answer came back. The worry waits on her phone and is sent again: once on the server."""
    words = TEXTS["fy"]
    page = signed_in("sanne")
    open_plan(page)
    worry = f"Tom wol net mear nei de sport ({lost}, {uuid.uuid4().hex[:6]})"
    dropped = []

    def drop(route):
        if dropped:
            route.continue_()
            return
        dropped.append(route.request.url)
        if lost == "the answer":
            route.fetch()  # the server saves it; the phone never hears back
        route.abort("connectionreset")

    page.route("**/onderdelen/worry", drop)
    try:
        add = page.locator("details#add-worry")
        add.locator("summary").click()
        add.locator("textarea[name=text]").fill(worry)
        add.locator("button[type=submit]").click()
        pending = page.locator("article.item--pending").filter(has_text=worry)
        expect(pending).to_have_count(1)
        expect(pending.locator(".badge--pending")).to_have_text(words["pending"])
        assert len(dropped) == 1
        assert len(rows(app_server, worry)) == (1 if lost == "the answer" else 0)

        page.evaluate("window.dispatchEvent(new Event('online'))")  # the connection is back
        expect(page.locator("article.item--pending")).to_have_count(0, timeout=15_000)
    finally:
        page.unroute("**/onderdelen/worry")
    expect(page.locator("#offline-status")).to_have_text(words["sent"])
    expect(page.locator("#items-worry article.item").filter(has_text=worry)).to_have_count(1)
    assert rows(app_server, worry) == [("worry", "Sanne", "Sanne", None)]
    page.reload()
    expect(page.locator("#items-worry article.item").filter(has_text=worry)).to_have_count(1)
