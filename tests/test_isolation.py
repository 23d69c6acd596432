"""A test that fails half-way leaves nothing behind for the next one, in either order.

A small suite runs in a pytest of its own (pytester, a subprocess): two tests change the world (the in-process app's
database and mailbox, and the session's app server under gunicorn) and then fail on purpose; two others check that
they find the world as seeded. It runs in the usual order and reversed (pytest-reverse); each time exactly the two
deliberate failures fail.
"""

import re

import pytest

from tests.support.servers import ROOT

pytest_plugins = ["pytester"]
OUTCOME = re.compile(r"^test_story\.py::(test_\w+) (PASSED|FAILED)")

SUITE = '''
import requests
from sqlmodel import select

from app.extensions import db
from app.identity.models import Family
from tests.plans.test_live import add_worry, browser

BROKEN = "Kapot gemaakt door een test die faalt"


def test_a_breaks_the_database_and_the_mailbox_then_fails(app):
    with app.app_context(), db.new_session() as session:
        family = session.exec(select(Family)).first()
        family.name = BROKEN
        session.add(family)
        session.commit()
    Path(app.config["MAIL_DIR"]).mkdir(parents=True, exist_ok=True)
    (Path(app.config["MAIL_DIR"]) / "broken.eml").write_text(BROKEN)
    assert False, "deliberate failure"


def test_b_finds_the_database_and_the_mailbox_as_seeded(app):
    with app.app_context(), db.new_session() as session:
        assert BROKEN not in {family.name for family in session.exec(select(Family))}
    assert not (Path(app.config["MAIL_DIR"]) / "broken.eml").exists()


def test_c_breaks_the_server_world_then_fails(app_server):
    http, plan = browser(app_server, "erik")
    add_worry(app_server, http, plan, BROKEN)
    assert BROKEN in http.get(f"{app_server.url}{plan}", timeout=10).text
    assert False, "deliberate failure"


def test_d_finds_the_server_world_as_seeded(app_server):
    http, plan = browser(app_server, "erik")
    assert http.get(f"{app_server.url}{plan}", timeout=10).status_code == 200
    assert BROKEN not in http.get(f"{app_server.url}{plan}", timeout=10).text
'''


@pytest.mark.parametrize("order", [[], ["--reverse"]], ids=["in-order", "reversed"])
def test_a_failing_test_leaves_no_state_for_the_next(pytester: pytest.Pytester, monkeypatch, operator_seed,
                                                     order: list[str]):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("ONSPLAN_TEST_OPERATOR_SEED", str(operator_seed.folder))  # copied, never changed
    pytester.makepyfile(test_story="from pathlib import Path\n" + SUITE)
    result = pytester.runpytest_subprocess("-p", "tests.conftest", "-p", "no:cacheprovider", "-v", *order,
                                           timeout=300)
    result.assert_outcomes(passed=2, failed=2)
    ran = [found.groups() for found in map(OUTCOME.match, result.stdout.lines) if found]
    assert [name for name, _ in ran] == sorted((name for name, _ in ran), reverse=bool(order))
    assert {name for name, outcome in ran if outcome == "FAILED"} == {
        "test_a_breaks_the_database_and_the_mailbox_then_fails", "test_c_breaks_the_server_world_then_fails"}
