"""Flood limits per person on the posts that store what people write: complaints, their messages and files,
ratings, reports and replies. Low limits through the config keep the tests cheap; the real ones are in config.py."""

import io
import re

import pytest
from sqlmodel import select

from app.catalog.models import Provider
from app.complaints.models import Complaint, ComplaintAttachment, ComplaintMessage
from app.extensions import db
from app.ratings.models import Rating
from tests.conftest import csrf_token, demo_id, make_app, sign_in
from tests.ratings.conftest import GOOD, RatingWorld

LIMITS = {name: "2 per minute" for name in ("RATELIMIT_COMPLAINT", "RATELIMIT_COMPLAINT_MESSAGE",
                                            "RATELIMIT_COMPLAINT_ATTACHMENT", "RATELIMIT_RATING",
                                            "RATELIMIT_RATING_REPORT", "RATELIMIT_RATING_REPLY")}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NL = ("Wacht even", "Je hebt dit in korte tijd heel vaak verstuurd, daarom is het deze keer niet bewaard. "
                    "Probeer het later opnieuw.")
FY = ("Wachtsje efkes", "Do hast dit yn koarte tiid hiel faak ferstjoerd, dêrom is it dizze kear net bewarre. "
                        "Besykje it letter opnij.")


@pytest.fixture
def flood_app(tmp_path):
    """The demo with its plan and care on SQLite, with the limiter on and every post limit at 2 per minute."""
    flask_app = make_app(f"sqlite:///{tmp_path / 'flood.db'}", with_plan=True, MAIL_DIR=str(tmp_path / "mail"),
                         COMPLAINT_FILES_DIR=str(tmp_path / "files"), RATELIMIT_ENABLED=True, **LIMITS)
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


def _signed_in(app, key: str):
    client = app.test_client()
    sign_in(client, key)
    return client


def _file(app, client):
    page = client.get("/klachten/nieuw").get_data(as_text=True)
    client_id = re.search(r'name="client_id" type="hidden" value="([^"]+)"', page).group(1)
    with app.app_context():
        kompas = db.session.exec(select(Provider.id).where(Provider.external_id == "demo-p000")).one()
    return client.post("/klachten/nieuw", data={
        "csrf_token": csrf_token(client, "/klachten/nieuw"), "about": [f"provider:{kompas}"],
        "text": "De ôfspraken waarden trije kear ôfsein.", "client_id": client_id})


def _refused_kindly(response, language: tuple[str, str]) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert language[0] in page
    assert language[1] in page
    return page


def _count(app, model, **where) -> int:
    with app.app_context():
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return len(db.session.exec(query).all())


def test_filing_complaints_stops_at_the_limit_with_a_frisian_page_and_someone_else_can_still_file(flood_app):
    sanne = _signed_in(flood_app, "sanne")  # reads Frysk
    assert [_file(flood_app, sanne).status_code for _ in range(2)] == [303, 303]
    page = _refused_kindly(_file(flood_app, sanne), FY)
    assert 'class="site-header"' in page  # the site around it, not a bare error
    assert 'class="site-footer"' in page
    assert _count(flood_app, Complaint, complainant_id=demo_id(flood_app, "sanne")) == 2
    tom = _signed_in(flood_app, "tom")
    assert _file(flood_app, tom).status_code == 303


def test_messages_and_files_stop_at_the_limit_in_dutch_for_complainant_and_handler(flood_app):
    tom = _signed_in(flood_app, "tom")
    filed = _file(flood_app, tom)
    assert filed.status_code == 303
    with flood_app.app_context():
        complaint = db.session.exec(select(Complaint)).one()
        complaint_id, part_id = complaint.id, complaint.parts[0].id
    page = f"/klachten/{complaint_id}"

    def message(client, path, text):
        return client.post(path, data={"csrf_token": csrf_token(client, page if client is tom else
                                                                 f"/klachten/behandelen/{part_id}"),
                                       "part_id": part_id, "text": text})

    sent = [message(tom, f"{page}/berichten", f"Bericht {i}") for i in range(3)]
    assert [r.status_code for r in sent[:2]] == [303, 303]
    _refused_kindly(sent[2], NL)

    def attach(i):
        return tom.post(f"{page}/bijlagen", data={"csrf_token": csrf_token(tom, page),
                                                  "file": (io.BytesIO(PDF), f"brief-{i}.pdf", "application/pdf")},
                        content_type="multipart/form-data")

    added = [attach(i) for i in range(3)]
    assert [r.status_code for r in added[:2]] == [303, 303]
    _refused_kindly(added[2], NL)
    assert _count(flood_app, ComplaintAttachment, complaint_id=complaint_id) == 2

    karin = _signed_in(flood_app, "karin")  # handles complaints about Kompas
    answered = [message(karin, f"/klachten/behandelen/{part_id}/berichten", f"Antwoord {i}") for i in range(3)]
    assert [r.status_code for r in answered[:2]] == [303, 303]
    _refused_kindly(answered[2], NL)
    assert _count(flood_app, ComplaintMessage) == 4


def test_ratings_reports_and_replies_stop_at_the_limit_and_htmx_gets_the_alert(flood_app):
    world = RatingWorld(flood_app)
    tom = _signed_in(flood_app, "tom")
    path = f"/beoordelen/{world.tom_help}"
    rated = [tom.post(path, data={"csrf_token": csrf_token(tom, path), **GOOD}) for _ in range(2)]
    assert [r.status_code for r in rated] == [303, 422]  # saved, then "already rated"
    fragment = tom.post(path, data={"csrf_token": csrf_token(tom, path), **GOOD}, headers={"HX-Request": "true"})
    body = _refused_kindly(fragment, NL)
    assert 'role="alert"' in body  # an alert above the form, which keeps what was typed
    assert "<html" not in body
    assert fragment.headers["HX-Retarget"] == "#alerts"

    with flood_app.app_context():
        published = db.session.exec(select(Rating.id).where(Rating.status == "published").order_by(Rating.id)).first()
    report = f"/beoordelingen/{published}/melden"
    reports = [tom.post(report, data={"csrf_token": csrf_token(tom, "/"), "next": "/"}) for _ in range(3)]
    assert [r.status_code for r in reports[:2]] == [303, 303]
    _refused_kindly(reports[2], NL)
    erik = _signed_in(flood_app, "erik")  # another person is not held up by Tom's flood
    assert erik.post(report, data={"csrf_token": csrf_token(erik, "/"), "next": "/"}).status_code == 303

    karin = _signed_in(flood_app, "karin")
    replies = [karin.post(f"/beoordelingen/{published}/reactie", data={
        "csrf_token": csrf_token(karin, "/aanbieder/beoordelingen"), "text": "Dank jullie wel."}) for _ in range(3)]
    assert 429 not in [r.status_code for r in replies[:2]]
    _refused_kindly(replies[2], NL)


def test_reading_is_not_limited(flood_app):
    tom = _signed_in(flood_app, "tom")
    assert {tom.get("/klachten/nieuw").status_code for _ in range(5)} == {200}
