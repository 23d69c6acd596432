"""/beheer/sync for municipality staff: list by status, inspect a payload (logged), send a dead event again (CSRF)."""

import pytest
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.extensions import db
from app.outbox.models import OutboxEvent
from tests.conftest import CSRF_FIELD, sign_in


@pytest.fixture
def staff(seeded):
    flask_app = seeded[0]
    with flask_app.app_context(), db.new_session() as session:
        event = session.exec(select(OutboxEvent).order_by(OutboxEvent.id)).first()
        event.status, event.attempts, event.last_error = "dead", 20, "HTTP 503: down"
        session.add(event)
        session.commit()
        event_id = event.id
    client = flask_app.test_client()
    sign_in(client, "jeroen")
    return flask_app, client, event_id


def test_lists_dead_events_first_with_counts(staff):
    _app, client, event_id = staff
    page = client.get("/beheer/sync?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'href="/beheer/sync/{event_id}"' in html
    assert "HTTP 503: down" in html
    assert "Not delivered (1)" in html
    assert "Not sent yet (3)" in html
    pending = client.get("/beheer/sync?status=pending&lang=en").get_data(as_text=True)
    assert f'href="/beheer/sync/{event_id}"' not in pending
    assert pending.count('class="card"') == 3


@pytest.mark.parametrize(("lang", "title"), [("nl", "Berichten aan de gemeente"), ("fy", "Berjochten oan de gemeente"),
                                             ("en", "Messages to the municipality")])
def test_page_in_three_languages(staff, lang, title):
    _app, client, _ = staff
    assert f"<h1>{title}</h1>" in client.get(f"/beheer/sync?lang={lang}").get_data(as_text=True)


def test_reading_a_payload_is_in_the_access_log(staff):
    flask_app, client, event_id = staff
    html = client.get(f"/beheer/sync/{event_id}?lang=en").get_data(as_text=True)
    assert "&#34;reference&#34;" in html or '"reference"' in html  # the payload, escaped or not
    with flask_app.app_context(), db.new_session() as session:
        entry = session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "sync.payload_view")).one()
        assert entry.object_id == str(event_id)
        assert entry.family_id is not None
        assert entry.action == "read"


def test_retry_needs_the_form_token_then_makes_the_event_pending(staff):
    flask_app, client, event_id = staff
    assert client.post(f"/beheer/sync/{event_id}/opnieuw").status_code == 400  # no CSRF token
    token = CSRF_FIELD.search(client.get(f"/beheer/sync/{event_id}").get_data(as_text=True)).group(1)
    answer = client.post(f"/beheer/sync/{event_id}/opnieuw", data={"csrf_token": token})
    assert answer.status_code == 303
    with flask_app.app_context(), db.new_session() as session:
        event = session.get(OutboxEvent, event_id)
        assert (event.status, event.attempts) == ("pending", 0)
        assert session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "sync.retry")).one()
    again = client.post(f"/beheer/sync/{event_id}/opnieuw?lang=en", data={"csrf_token": token})
    assert again.status_code == 422
    assert "Only an event that could not be delivered" in again.get_data(as_text=True)


@pytest.mark.parametrize("persona", ["sanne", "mark", "karin"])
def test_others_may_not_see_it(seeded, persona):
    client = seeded[0].test_client()
    sign_in(client, persona)
    assert client.get("/beheer/sync").status_code == 403
    assert client.get("/beheer/sync/1").status_code == 403
