"""Two app instances behind one address, as in production (docs/deploy.md): two gunicorn servers on different ports
against one PostgreSQL and one Redis. Sanne signs in through instance A and stays signed in on instance B; Erik adds
a worry through A and it reaches Sanne's plan page, streamed by B, within a second."""

import statistics
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import PHONE, sign_in_on_demo_page
from tests.browser.test_plan_live import LATENCY_LIMIT_MS, add_worry_and_time_it
from tests.support.servers import AppServer


@pytest.fixture(scope="module")
def instances(postgres, redis_server, tmp_path_factory) -> Iterator[tuple[AppServer, AppServer]]:
    folder = tmp_path_factory.mktemp("two-instances")
    env = {"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "two-instances-secret",
           "DATABASE_URL": postgres.create_database(f"i_{uuid.uuid4().hex[:12]}"),
           "REDIS_URL": redis_server.fresh_url(), "SESSION_COOKIE_SECURE": "0", "LOG_JSON": "0",
           "MAIL_DIR": str(folder / "mail"), "LIVE_HEARTBEAT_SECONDS": "2"}
    first, second = AppServer(env), AppServer(env)
    first.flask("db", "upgrade")
    first.flask("demo", "seed")
    first.start()
    second.start()
    yield first, second
    first.stop()
    second.stop()


@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator:
    contexts = []

    def open_phone(base_url: str) -> Page:
        context = browser.new_context(base_url=base_url, **PHONE)
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


def test_signed_in_on_a_stays_signed_in_on_b_and_an_edit_on_a_reaches_b_within_a_second(instances, phone):
    a, b = instances
    sanne = phone(a.url)
    sign_in_on_demo_page(sanne, "sanne")  # through instance A
    sanne.goto(f"{b.url}/")  # the load balancer sends her next request to the other instance
    expect(sanne.locator(".site-footer__who")).to_contain_text("Sanne")
    plan = sanne.locator('main a[href^="/plan/"]').first.get_attribute("href")
    sanne.goto(f"{b.url}{plan}")
    expect(sanne.locator("#section-worry")).to_be_visible()
    assert sanne.url.startswith(b.url)

    erik = phone(a.url)
    sign_in_on_demo_page(erik, "erik")
    erik.goto(f"{a.url}{plan}")
    expect(erik.locator("#section-worry")).to_be_visible()
    expect(sanne.locator("#presence")).to_contain_text("Erik")  # presence crosses instances too

    samples = [add_worry_and_time_it(erik, sanne, f"Tom fergeat syn gymtas, keer {n} (A → B)") for n in (1, 2, 3)]
    browser_ms = [sample["browser_ms"] for sample in samples]
    print(f"\nlive update from instance A to a page on instance B: {browser_ms} ms "
          f"(median {statistics.median(browser_ms):.0f} ms)")
    assert max(browser_ms) < LATENCY_LIMIT_MS, browser_ms

    b.stop()  # one instance goes away: the other still knows her (the session is not in the instance)
    sanne.goto(f"{a.url}{plan}")
    expect(sanne.locator("#items-worry article.item").filter(has_text="keer 3 (A → B)")).to_have_count(1)
    expect(sanne.locator(".site-footer__who")).to_contain_text("Sanne")

