"""Issue 6's story in a real browser on a phone (390×844), on the session's app server
(its world as seeded before each test):

Karin judges Tom's goal "deels behaald", Tom, Sanne (in Frysk) and Erik judge "behaald"; the family verdict is
"behaald" and the municipality's outbox holds the second-50% event. Sanne rates the help, Jeroen (redactie)
publishes it, and the provider's page shows the figures of five families, without her name.
"""

import json
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import people_on
from tests.browser.test_plan_accessibility import plan_of
from tests.support.servers import AppServer


@pytest.fixture(scope="module")
def person(browser: Browser, app_server: AppServer) -> Iterator:
    with people_on(browser, app_server.url) as open_as:
        yield open_as


def outbox_events(server: AppServer, event_type: str) -> list[dict]:
    engine = sa.create_engine(server.env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT payload FROM outbox_event WHERE event_type = :t"), {"t": event_type})
            return [row[0] if isinstance(row[0], dict) else json.loads(row[0]) for row in rows]
    finally:
        engine.dispose()


def judge(page: Page, path: str, verdict: str, explanation: str) -> None:
    page.goto(path)
    form = page.locator("form#judge")
    form.locator(f'input[name="verdict"][value="{verdict}"]').check()
    form.locator('textarea[name="explanation"]').fill(explanation)
    with page.expect_navigation():
        form.get_by_role("button").click()


def test_the_family_decides_the_result_and_a_checked_rating_reaches_the_provider_page(person, app_server):
    tom = person("tom")
    tom.goto(plan_of(tom))
    link = tom.locator('.result-status a[href$="/resultaat"]').first
    expect(link).to_be_visible()
    path = link.get_attribute("href")

    karin = person("karin")
    judge(karin, path, "partly", "Tom kwam vaker, maar nog niet elke dag.")
    expect(karin.locator("#family-verdict")).to_contain_text(re.compile(r"Tom \(Jongere\):\s*nog niet"))  # not yet

    judge(tom, path, "achieved", "Ik ga weer elke dag 🙂")
    assert outbox_events(app_server, "result.achieved") == []  # the parents have not judged yet

    sanne = person("sanne")  # her language is Frysk
    judge(sanne, path, "achieved", "Hy giet wer graach nei skoalle, ek op tongersdei.")
    assert sanne.locator("html").get_attribute("lang") == "fy"
    erik = person("erik")
    judge(erik, path, "achieved", "Het gaat goed.")

    expect(erik.locator("#family-verdict")).to_contain_text("Behaald")
    sanne.goto(path)
    expect(sanne.locator("#family-verdict")).to_contain_text("Behelle")
    expect(sanne.locator("#verdicts")).to_contain_text("Karin")  # the provider's verdict is shown, not counted
    achieved = outbox_events(app_server, "result.achieved")
    assert len(achieved) == 1
    assert outbox_events(app_server, "result.not_achieved") == []

    sanne.goto("/beoordelen")
    with sanne.expect_navigation():
        sanne.locator('a[href^="/beoordelen/"]').first.click()
    form = sanne.locator("form#rating_form")
    form.locator('input[name="overall"][value="9"]').check()
    form.locator('textarea[name="text"]').fill("Se harken goed nei Tom en nei ús. Tige tank!")
    form.get_by_role("button").click()
    expect(sanne.locator("main")).to_contain_text(re.compile("kontrolearre|redaksje", re.IGNORECASE))

    jeroen = person("jeroen")
    jeroen.goto("/redactie")
    card = jeroen.locator("li.card").filter(has_text="Tige tank")
    expect(card).to_be_visible()
    assert "Sanne" not in jeroen.locator("main").inner_text()
    with jeroen.expect_navigation():
        card.get_by_role("button", name="Plaatsen", exact=True).click()

    provider = provider_page(tom)
    visitor = person("mark")
    visitor.goto(provider)
    figures = visitor.locator(".ratings-figures")
    expect(figures).to_contain_text("Tige tank")
    expect(figures).to_contain_text("5 gezinnen")
    shown = figures.inner_text()
    assert "Sanne" not in shown
    assert "Hoekstra" not in shown


def provider_page(page: Page) -> str:
    """The provider's catalog page, found from the help shown under Tom's goal in the plan."""
    page.goto(plan_of(page))
    offer = page.locator('.goal-block a[href^="/catalogus/aanbod/"]').first
    page.goto(offer.get_attribute("href"))
    return page.locator('a[href^="/catalogus/aanbieders/"]').first.get_attribute("href")
