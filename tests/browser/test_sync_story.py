"""Issue 8's story in a real browser at 390×844, with the demo's whole loop running as real processes: the app
under gunicorn, the delivery worker (`flask sync run`) and the municipality's backoffice simulator.

The family agrees and the plan is fixed; Sanne (in Frysk) chooses help and Mark confirms it; the simulator answers
the request through our API and the assignment appears on the goal. While the backoffice is down the family judges
a result; when it is back the verdict reaches it exactly once. Jeroen's monitor shows the month.
"""

import re
from collections.abc import Iterator

import pytest
import requests
from babel.dates import format_date
from playwright.sync_api import Browser, Page, expect

from app.core.clock import today
from tests.browser.helpers import assert_no_violations, people_on
from tests.browser.test_plan_accessibility import plan_of
from tests.browser.test_result_story import judge
from tests.support.servers import AppServer, OperatorSeed, free_port
from tests.sync.support import Process, Simulator, wait_until

TOM_GOAL = "Tom gaat weer met plezier naar school"


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory, operator_seed: OperatorSeed
         ) -> Iterator[tuple[AppServer, Simulator]]:
    folder = tmp_path_factory.mktemp("sync-story")
    simulator_port = free_port()
    simulator_url = f"http://127.0.0.1:{simulator_port}"
    server = AppServer({"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "sync-story-secret",
                        "SESSION_COOKIE_SECURE": "0", "LOG_JSON": "0", "LIVE_HEARTBEAT_SECONDS": "2",
                        **operator_seed.copy_to(folder / "world")})
    env = {"SITE_URL": server.url, "API_JWKS_URL": f"{simulator_url}/.well-known/jwks.json",
           "API_ISSUER": simulator_url, "SYNC_ENDPOINT": f"{simulator_url}/events",
           "SYNC_TOKEN_URL": f"{simulator_url}/token", "SYNC_BACKOFF_BASE_SECONDS": "0.2",
           "SYNC_BACKOFF_MAX_SECONDS": "1", "SYNC_IDLE_SECONDS": "0.2"}
    server.env.update(env)
    server.start()
    simulator = Simulator(server.env, folder / "simulator.log", port=simulator_port, args=("--decide-after", "1"))
    worker = Process(["sync", "run", "--quiet"], server.env, folder / "worker.log")
    yield server, simulator
    worker.stop()
    simulator.stop()
    server.stop()


@pytest.fixture(scope="module")
def person(browser: Browser, loop) -> Iterator:
    with people_on(browser, loop[0].url, bypass_csp=True) as open_as:  # bypass_csp: axe is injected
        yield open_as


def accepted(simulator: Simulator, event_type: str) -> list[dict]:
    return [entry for entry in simulator.received()["accepted"] if entry["type"] == event_type]


def agree_to_everything(page: Page, plan: str) -> None:
    """Say "akkoord" on every goal and on the whole plan this person is asked about (the plain forms)."""
    page.goto(plan)
    for n in range(page.locator("form.agreement__form").count()):
        form = page.locator("form.agreement__form").nth(n)
        form.locator('input[value="agree"]').check()
        with page.expect_navigation() as answer:
            form.get_by_role("button").click()
        assert answer.value.status == 200, "the decision was refused"  # after the 303 back to the plan
        expect(page.locator(".agreement .field__error")).to_have_count(0)
        page.goto(plan)


def test_the_whole_loop_with_the_backoffice(person, loop):
    server, simulator = loop
    tom = person("tom")
    plan = plan_of(tom)
    for key in ("tom", "sanne", "erik", "lisa"):
        agree_to_everything(tom if key == "tom" else person(key), plan)
    mark = person("mark")
    mark.goto(plan)
    expect(mark.locator(".plan-status .status--fixed")).to_be_visible()
    wait_until(lambda: len(accepted(simulator, "plan.fixed")) == 1, timeout=20, message="plan.fixed delivered")

    # Sanne (Frysk) chooses help for Tom's school goal; Mark confirms it; the backoffice assigns it
    sanne = person("sanne")
    sanne.goto(plan)
    with sanne.expect_navigation():
        sanne.locator(".goal-block", has_text=TOM_GOAL).get_by_role("link", name="Help sykje foar dit doel").click()
    with sanne.expect_navigation():
        sanne.locator("#results .offer-card .offer-card__title a").first.click()
    with sanne.expect_navigation():
        sanne.locator("#choose").get_by_role("button", name="Dizze help kieze").click()
    mark.goto(plan)
    with mark.expect_navigation():
        mark.locator(".goal-block", has_text=TOM_GOAL).locator(".assignment").get_by_role(
            "link", name="De keuze bevestigen").click()
    with mark.expect_navigation():
        mark.get_by_role("button", name="Bevestigen en de hulp aanvragen").click()
    expect(mark.locator(".goal-block", has_text=TOM_GOAL).locator(".assignment")).to_contain_text("Aangevraagd")
    wait_until(lambda: any(d["status"] == 200 for d in simulator.received()["decisions"]), timeout=20,
               message=f"the simulator's decision\n{simulator.received()['decisions']}")
    decision = next(d for d in simulator.received()["decisions"] if d["status"] == 200)
    number = str(decision["body"]["assignment_number"])
    sanne.goto(plan)
    help_block = sanne.locator(".goal-block", has_text=TOM_GOAL).locator(".assignment")
    expect(help_block).to_contain_text("Tawiisd")  # "Toegewezen" in Frysk
    expect(help_block).to_contain_text(number)
    assert_no_violations(sanne, "fy")

    # The backoffice goes down; the family judges the result of the help Tom already had
    requests.post(f"{simulator.url}/_control", json={"fail": "down"}, timeout=5).raise_for_status()
    tom.goto(plan)
    ended = tom.locator(".result-status", has_text="De hulp is klaar")  # Kompas's help has ended
    path = ended.get_by_role("link", name="Beoordeel het resultaat").get_attribute("href")
    judge(tom, path, "achieved", "Ik ga weer elke dag 🙂")
    judge(sanne, path, "achieved", "Hy giet wer graach nei skoalle.")
    erik = person("erik")
    judge(erik, path, "achieved", "Het gaat goed.")
    expect(erik.locator("#family-verdict")).to_contain_text("Behaald")
    jeroen = person("jeroen")
    jeroen.goto("/beheer/sync")
    expect(jeroen.locator("main")).to_contain_text("Nog niet verstuurd (1)")  # the verdict waits for the backoffice
    assert accepted(simulator, "result.achieved") == []  # down: nothing accepted yet

    requests.post(f"{simulator.url}/_control", json={"fail": ""}, timeout=5).raise_for_status()
    wait_until(lambda: len(accepted(simulator, "result.achieved")) == 1, timeout=30,
               message="the verdict after the backoffice came back")
    received = simulator.received()
    key = accepted(simulator, "result.achieved")[0]["key"]
    assert received["receipts"][key] == 1  # exactly once
    assert received["rejected"] == []  # every event we sent follows the published schema

    # Jeroen's monitor shows this month, with the plan fixed today
    jeroen.goto("/monitor?lang=nl")
    month = format_date(today(), "LLLL yyyy", locale="nl")
    expect(jeroen.locator("main")).to_contain_text(re.compile(month, re.IGNORECASE))
    assert_no_violations(jeroen, "nl")
