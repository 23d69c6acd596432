"""Demo mode: the personas, their ages, and /demo hidden when demo is off."""

from datetime import UTC

from sqlmodel import select

from app.core.clock import age_on, today
from app.demo.personas import PERSONA_KEYS
from app.demo.services import demo_people, seed_demo
from app.extensions import db
from app.identity.models import Membership, Person
from tests.conftest import make_app


def test_demo_page_lists_every_persona_with_a_sign_in_form(client):
    html = client.get("/demo").get_data(as_text=True)
    for key in PERSONA_KEYS:
        assert f'action="/demo/inloggen/{key}"' in html
    assert html.count('name="csrf_token"') >= len(PERSONA_KEYS)


def test_demo_is_404_when_demo_is_off(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    app = make_app("sqlite://", ENV_NAME="development", DEMO=False)
    client = app.test_client()
    assert client.get("/demo").status_code == 404
    assert client.post("/demo/inloggen/sanne").status_code in (400, 404)
    assert 'href="/demo"' not in client.get("/").get_data(as_text=True)


def test_sign_in_as_needs_post(client):
    assert client.get("/demo/inloggen/sanne").status_code == 405


def test_unknown_persona_is_404(client):
    from tests.conftest import csrf_token

    token = csrf_token(client, "/demo")
    assert client.post("/demo/inloggen/nobody", data={"csrf_token": token}).status_code == 404


def test_personas_have_the_ages_and_roles_of_the_story(app):
    with app.app_context(), db.new_session() as session:
        people = demo_people(session)
        ages = {key: age_on(p.birthdate, today()) for key, p in people.items() if p.birthdate}
        assert ages["tom"] == 14
        assert ages["lisa"] == 16
        assert ages["noor"] == 9
        assert people["sanne"].language == "fy"
        roles = {m.person_id: (m.role, m.has_custody) for m in session.exec(select(Membership)).all()}
        assert roles[people["sanne"].id] == ("parent", True)
        assert roles[people["erik"].id] == ("parent", True)
        assert roles[people["fenna"].id] == ("network", False)
        assert people["karin"].id not in roles
        assert people["jeroen"].id not in roles


def test_seeding_twice_changes_nothing(any_app):
    with any_app.test_request_context(), db.new_session() as session:
        seed_demo(session)  # the full seed: the plan's content and Mark's other families too
        before = len(session.exec(select(Person)).all())
        seed_demo(session)
        seed_demo(session)
        assert len(session.exec(select(Person)).all()) == before


def test_demo_mailbox_shows_the_date_in_words_and_clickable_links(tmp_path):
    from datetime import datetime
    from email.message import EmailMessage
    from email.utils import format_datetime

    app = make_app(MAIL_DIR=str(tmp_path))
    message = EmailMessage()
    message["Subject"], message["To"] = "Nije melding", "sanne@example.invalid"
    message["Date"] = format_datetime(datetime(2026, 11, 22, 14, 5, tzinfo=UTC))
    message["Content-Language"] = "fy"
    message.set_content("Sjoch: https://onsplan.invalid/plan/ABC?x=1 <script>alert(1)</script>")
    (tmp_path / "one.eml").write_bytes(bytes(message))
    html = app.test_client().get("/demo/mail?lang=nl").get_data(as_text=True)
    assert '<a href="https://onsplan.invalid/plan/ABC?x=1">https://onsplan.invalid/plan/ABC?x=1</a>' in html
    assert "&lt;script&gt;" in html
    assert "<script>alert" not in html
    assert "22 november 2026, 15:05" in html  # Amsterdam time, in words (app.web.dates.moment)
