"""'Who viewed our data' on a phone: the newest days first, each under its own heading with one block per person,
and a link to older days that keeps the language; axe finds nothing on either page."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.browser.helpers import assert_no_violations


def log_ten_days_ago(app_server, monkeypatch: pytest.MonkeyPatch) -> str:
    """Erik opened the plan ten days ago (written straight into the server's log, as it would have been then);
    return the family's id."""
    from app import create_app
    from app.audit import services
    from app.core.clock import AMSTERDAM, today
    from app.demo.services import demo_people
    from app.extensions import db
    from app.identity.models import Membership

    moment = datetime.combine(today() - timedelta(days=10), time(14), tzinfo=AMSTERDAM).astimezone(UTC)
    monkeypatch.setattr(services, "utcnow", lambda: moment)
    flask_app = create_app({"ENV_NAME": "test", "DATABASE_URL": app_server.env["DATABASE_URL"]})
    with flask_app.app_context():
        with db.new_session() as session:
            erik = demo_people(session)["erik"]
            family_id = session.exec(select(Membership.family_id).where(Membership.person_id == erik.id)).first()
            services.record(session, event="plan.view", action="read", actor=services.AuditActor(erik.id, "parent"),
                            family_id=family_id)
            session.commit()
        db.engine.dispose()
    monkeypatch.undo()
    return family_id


def test_the_log_shows_a_week_per_page_grouped_by_day_with_a_working_older_link(tab_for, app_server, monkeypatch):
    family_id = log_ten_days_ago(app_server, monkeypatch)
    page = tab_for("sanne")
    page.goto(f"/gezinnen/{family_id}/wie-heeft-gekeken")
    expect(page.locator("h1")).to_have_text("Wa hat ús gegevens besjoen?")
    headings = page.locator("#log_results h3.log-day__heading")
    expect(headings.first).to_be_visible()
    first_heading = headings.first.inner_text()
    assert len(page.locator("#log_results .log__person").all()) < 40  # a few blocks, not hundreds of lines
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_violations(page, "fy")

    older = page.get_by_role("link", name="Âldere dagen")
    expect(older).to_be_visible()
    older.click()
    expect(page).to_have_url(re.compile(r"/wie-heeft-gekeken\?pagina=2$"))
    expect(page.locator("html")).to_have_attribute("lang", "fy")
    expect(page.locator(".pager__where")).to_have_text("Side 2 fan 5")
    expect(page.locator("#log_results h3.log-day__heading")).to_have_count(1)
    expect(page.locator("#log_results h3.log-day__heading")).not_to_have_text(first_heading)
    expect(page.locator("#log_results .log__person")).to_contain_text("Erik de Boer")
    expect(page.get_by_role("link", name="Nijere dagen")).to_be_visible()
    assert_no_violations(page, "fy")
