"""The municipality's answer shows up live: Sanne (in Frysk) has the plan open on her phone while the backoffice
posts its decision through the API with its own token; the help block of Tom's goal changes within seconds, and
her count of new notifications goes up, without a reload."""

from datetime import timedelta

import requests
from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.browser.helpers import assert_no_violations
from tests.catalog.conftest import fitting_offer
from tests.support.oidc import backoffice_token

NUMBER = 2026777


def request_help_for_toms_school_goal(app_server) -> tuple[str, str, str]:
    """Tom chooses help for his school goal and Mark confirms it, straight in the server's database (the choosing
    has tests of its own); return (plan id, goal id, the request's reference)."""
    from app import create_app
    from app.catalog import assignments
    from app.core.clock import today
    from app.demo.services import demo_people
    from app.extensions import db
    from app.plans.context import plan_context
    from app.plans.models import Plan, PlanItem

    flask_app = create_app({"ENV_NAME": "test", "DATABASE_URL": app_server.env["DATABASE_URL"]})
    with flask_app.test_request_context():
        people = demo_people(db.session)
        goal = db.session.exec(select(PlanItem).where(PlanItem.kind == "goal", PlanItem.domain == "school",
                                                      PlanItem.youth_id == people["tom"].id)).first()
        plan = db.session.get(Plan, goal.plan_id)
        assignments.choose_offer(db.session, ctx=plan_context(db.session, person=people["tom"], plan_id=plan.id),
                                 goal_id=goal.id, offer_id=fitting_offer(flask_app, age=14))
        reference = assignments.confirm(db.session, ctx=plan_context(db.session, person=people["mark"],
                                                                     plan_id=plan.id),
                                        goal_id=goal.id, requested_start=today() + timedelta(days=3)).reference
        db.session.commit()
        found = plan.id, goal.id, reference
    with flask_app.app_context():
        db.engine.dispose()
    return found


def unread(page: Page) -> int:
    count = page.locator("#notifications-link .notifications-link__count")
    return int(count.inner_text()) if count.count() else 0


def test_the_answer_posted_through_the_api_appears_on_the_open_plan_without_a_reload(signed_in, app_server,
                                                                                     oidc_provider):
    plan_id, goal_id, reference = request_help_for_toms_school_goal(app_server)
    sanne, mark = signed_in("sanne", bypass_csp=True), signed_in("mark")  # CSP bypassed for axe
    for page in (sanne, mark):
        page.goto(f"/plan/{plan_id}")
    help_block = sanne.locator(f"#help-{goal_id}")
    expect(help_block).to_contain_text("Oanfrege by de gemeente")  # requested, in Frysk
    expect(sanne.locator("#presence")).to_contain_text("Mark")  # her live stream is open and hears others
    sanne.evaluate("window.__samePage = true")
    before = unread(sanne)

    token = backoffice_token(oidc_provider)
    answer = requests.post(f"{app_server.url}/api/v1/assignments/{reference}/decision", timeout=10,
                           headers={"Authorization": f"Bearer {token}"},
                           json={"decision": "assigned", "assignment_number": NUMBER,
                                 "start": "2027-01-04", "request_id": "5f0c1a52-8d8e-4e4b-9a51-0c7b0d5e6a01"})
    assert answer.status_code == 200, answer.text

    expect(help_block).to_contain_text(str(NUMBER), timeout=5000)  # assigned, with its number
    expect(help_block).to_contain_text("4 Jannewaris 2027")
    expect(help_block).not_to_contain_text("Oanfrege by de gemeente")
    assert sanne.evaluate("window.__samePage === true")  # no reload: the page is the one that was open
    expect(sanne.locator("#notifications-link .notifications-link__count")).to_have_text(str(before + 1))
    expect(mark.locator(f"#help-{goal_id}")).to_contain_text(str(NUMBER), timeout=5000)
    box = help_block.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert_no_violations(sanne, "fy")

    sanne.goto("/meldingen")
    expect(sanne.locator(".notification").first).to_contain_text("De gemeente hat ja sein tsjin de help foar it doel")
