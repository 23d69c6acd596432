"""Redis gone, as the family sees it (issue 9, point 3): Sanne (in Frysk) and Erik (in Dutch) have the plan open on
their phones, live updates carried by Redis, when the Redis server is killed.

Both see a hint, in their own language, that live updates are paused and that a reload shows what changed; Erik can
still add to the plan. When Redis is back the hint goes away by itself, Sanne's page catches up on what Erik added
in the meantime, and what he adds next reaches her live again. The HTTP side (health, sign-in, streams) is in
tests/production/test_redis_down.py.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import PHONE, sign_in_on_demo_page
from tests.support.servers import AppServer, OperatorSeed, RedisServer

PAUSED = {
    "fy": "Live bywurkjen stiet efkes stil",
    "nl": "Live bijwerken staat even stil",
}
RELOAD = {"fy": "Laad de side opnij om se te sjen.", "nl": "Laad de pagina opnieuw om ze te zien."}


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(redis: RedisServer, tmp_path_factory: pytest.TempPathFactory, operator_seed: OperatorSeed
           ) -> Iterator[AppServer]:
    """The app with live updates through this module's own Redis (which the test kills)."""
    folder = tmp_path_factory.mktemp("redis-faults")
    app = AppServer({"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "redis-fault-secret",
                     "SESSION_COOKIE_SECURE": "0", "LOG_JSON": "0", "LOG_LEVEL": "ERROR", "REDIS_URL": redis.url,
                     "LIVE_HEARTBEAT_SECONDS": "1", **operator_seed.copy_to(folder / "world")})
    app.start()
    yield app
    app.stop()


@pytest.fixture
def phone(browser: Browser, server: AppServer) -> Iterator:
    """A phone per person, signed in on this module's server, with the family plan open."""
    contexts = []

    def open_plan(persona: str) -> Page:
        context = browser.new_context(**PHONE, base_url=server.url)
        contexts.append(context)
        page = context.new_page()
        sign_in_on_demo_page(page, persona)
        with page.expect_navigation():
            page.locator('main a[href^="/plan/"]').first.click()
        expect(page.locator("#section-worry")).to_be_visible()
        return page

    yield open_plan
    for context in contexts:
        context.close()


def add_worry(page: Page, text: str) -> None:
    form = page.locator("details#add-worry")
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    form.locator("textarea[name=text]").fill(text)
    with page.expect_response(lambda r: r.request.method == "POST" and "/onderdelen/worry" in r.url) as saved:
        form.locator("button[type=submit]").click()
    assert saved.value.status == 200
    expect(page.locator("#items-worry article.item").filter(has_text=text)).to_have_count(1)


def worry(page: Page, text: str):
    return page.locator("#items-worry article.item").filter(has_text=text)


def test_redis_gone_shows_a_reload_hint_and_live_updates_resume_when_it_is_back(phone, redis: RedisServer):
    sanne, erik = phone("sanne"), phone("erik")
    expect(sanne.locator("html")).to_have_attribute("lang", "fy")
    expect(erik.locator("html")).to_have_attribute("lang", "nl")
    expect(sanne.locator("#presence")).to_contain_text("Erik")  # live, through Redis
    expect(sanne.locator("#live-paused")).to_be_hidden()

    redis.process.kill()
    redis.process.wait(5)
    for page, language in ((sanne, "fy"), (erik, "nl")):
        hint = page.locator("#live-paused")
        expect(hint).to_be_visible(timeout=15_000)
        expect(hint).to_contain_text(PAUSED[language])
        expect(hint).to_have_attribute("role", "status")
        link = hint.get_by_role("link", name=RELOAD[language])
        assert page.url.endswith(link.get_attribute("href"))  # the reload link is this plan page

    add_worry(erik, "Tom wil op zaterdag voetballen")  # saving goes on without Redis
    expect(erik.locator("#alerts .alert")).to_have_count(0)
    expect(worry(sanne, "Tom wil op zaterdag voetballen")).to_have_count(0)  # no live update while paused

    redis.start()
    expect(sanne.locator("#live-paused")).to_be_hidden(timeout=20_000)
    expect(erik.locator("#live-paused")).to_be_hidden(timeout=20_000)
    expect(worry(sanne, "Tom wil op zaterdag voetballen")).to_have_count(1)  # caught up without a reload
    add_worry(erik, "Tom mag een keer bij Daan logeren")
    expect(worry(sanne, "Tom mag een keer bij Daan logeren")).to_have_count(1, timeout=5_000)  # live again
