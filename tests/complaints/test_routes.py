"""The complaint pages over HTTP: Tom files in Frisian, Karin handles, Tom reopens; bad input keeps what was typed."""

import io
import re
from email import policy
from email.parser import BytesParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlmodel import select

from app.catalog.models import Provider
from app.complaints.models import Complaint, ComplaintAttachment
from app.extensions import db
from tests.conftest import csrf_token, sign_in

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


@pytest.fixture
def tom(complaint_app):
    client = complaint_app.test_client()
    sign_in(client, "tom")
    client.post("/taal", data={"lang": "fy", "next": "/", "csrf_token": csrf_token(client, "/")})
    return client


def _client(app, key):
    client = app.test_client()
    sign_in(client, key)
    return client


def _kompas(app) -> int:
    with app.app_context():
        return db.session.exec(select(Provider.id).where(Provider.external_id == "demo-p000")).one()


def _file(app, client, **changes):
    page = client.get("/klachten/nieuw").get_data(as_text=True)
    client_id = re.search(r'name="client_id" type="hidden" value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf_token(client, "/klachten/nieuw"), "about": [f"provider:{_kompas(app)}"],
            "text": "De ôfspraken waarden trije kear ôfsein 🙁", "client_id": client_id, **changes}
    return client.post("/klachten/nieuw", data=data), data


def _complaint(app) -> SimpleNamespace:
    with app.app_context():
        complaint = db.session.exec(select(Complaint)).one()
        part = complaint.parts[0]
        return SimpleNamespace(number=complaint.number, part_id=part.id, organisation_id=part.organisation_id)


def test_every_page_links_to_the_complaint_route(complaint_app):
    client = complaint_app.test_client()
    for path in ("/", "/hulp", "/catalogus"):
        assert 'href="/klachten"' in client.get(path).get_data(as_text=True)


def test_the_ways_page_is_public_and_explains_akj_objection_and_that_help_continues(complaint_app):
    html = complaint_app.test_client().get("/klachten?lang=en").get_data(as_text=True)
    assert "088-555 1000" in html
    assert 'id="bezwaar"' in html
    assert "Your help goes on" in html


def test_tom_gets_the_simple_version_in_frisian(tom):
    html = tom.get("/klachten").get_data(as_text=True)
    assert "Net tefreden oer dyn help?" in html
    assert "In klacht yntsjinje" in html


def test_tom_files_in_frisian_gets_the_number_deadline_akj_and_a_frisian_mail(complaint_app, tom):
    response, _data = _file(complaint_app, tom)
    assert response.status_code == 303
    page = tom.get(response.headers["Location"]).get_data(as_text=True)
    complaint = _complaint(complaint_app)
    assert complaint.number in page
    assert "Dyn klacht is bewarre." in page
    assert "Antwurd úterlik" in page
    assert "088-555 1000" in page
    assert "Yn behanneling" not in page
    mails = [BytesParser(policy=policy.default).parsebytes(p.read_bytes())
             for p in Path(complaint_app.config["MAIL_DIR"]).glob("*.eml")]
    mine = [m for m in mails if complaint.number in m["Subject"]]
    assert len(mine) == 1
    assert mine[0]["Content-Language"] == "fy"
    assert "ûntfongen" in mine[0]["Subject"]
    assert "ôfsein" not in mine[0].get_content()


def test_submitting_twice_files_once(complaint_app, tom):
    first, data = _file(complaint_app, tom)
    second = tom.post("/klachten/nieuw", data=data)
    assert second.headers["Location"] == first.headers["Location"]
    with complaint_app.app_context():
        assert len(db.session.exec(select(Complaint)).all()) == 1


def test_bad_input_comes_back_in_frisian_with_what_was_typed(complaint_app, tom):
    response, _ = _file(complaint_app, tom, about=[], text="<script>alert(1)</script> ô â û ê")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kies oer wa of wat dyn klacht giet." in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ô â û ê" in html
    assert "<script>alert(1)" not in html


def test_empty_complaint_and_objection_are_refused(complaint_app, tom):
    response, _ = _file(complaint_app, tom, text="")
    assert response.status_code == 422
    assert "Skriuw op wat der bard is." in response.get_data(as_text=True)
    response, _ = _file(complaint_app, tom, about=["decision"])
    assert response.status_code == 422
    assert "beswier" in response.get_data(as_text=True)


def test_a_provider_the_family_never_had_is_refused(complaint_app, tom):
    with complaint_app.app_context():
        other = db.session.exec(select(Provider.id).where(Provider.external_id == "demo-p007")).one()
    response, _ = _file(complaint_app, tom, about=[f"provider:{other}"])
    assert response.status_code == 422
    assert "allinne kleie oer in oanbieder" in response.get_data(as_text=True)


def test_staff_cannot_file_and_parents_cannot_read_toms_complaint(complaint_app, tom):
    response, _ = _file(complaint_app, tom)
    location = response.headers["Location"].split("?")[0]
    assert _client(complaint_app, "karin").get("/klachten/nieuw").status_code == 403
    assert _client(complaint_app, "sanne").get(location).status_code == 404


def _upload(client, location, name, content):
    token = csrf_token(client, location)
    return client.post(location + "/bijlagen", data={"csrf_token": token, "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_files_are_checked_by_content_and_served_only_to_those_allowed(complaint_app, tom):
    location = _file(complaint_app, tom)[0].headers["Location"].split("?")[0]
    renamed = _upload(tom, location, "foto.pdf", EXE)
    assert renamed.status_code == 422
    assert "gjin foto en gjin pdf" in renamed.get_data(as_text=True)
    assert _upload(tom, location, "brief ôfspraak.pdf", PDF).status_code == 303
    with complaint_app.app_context():
        attachment = db.session.exec(select(ComplaintAttachment)).one()
        part_id = _complaint(complaint_app).part_id
    stored = Path(complaint_app.config["COMPLAINT_FILES_DIR"]) / attachment.storage_name
    assert stored.read_bytes() == PDF
    assert "static" not in str(stored)
    download = tom.get(f"{location}/bijlagen/{attachment.id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert _client(complaint_app, "sanne").get(f"{location}/bijlagen/{attachment.id}").status_code == 404
    karin = _client(complaint_app, "karin")
    assert karin.get(f"/klachten/behandelen/{part_id}/bijlagen/{attachment.id}").data == PDF
    jeroen = _client(complaint_app, "jeroen")
    assert jeroen.get(f"/klachten/behandelen/{part_id}/bijlagen/{attachment.id}").status_code == 404


def test_a_25_mb_file_is_refused_with_a_message_on_the_page(complaint_app, tom):
    location = _file(complaint_app, tom)[0].headers["Location"].split("?")[0]
    response = _upload(tom, location, "grut.jpg", b"\xff\xd8\xff" + b"0" * (25 * 1024 * 1024))
    assert response.status_code == 413
    assert "grutter as 10 MB" in response.get_data(as_text=True)
    with complaint_app.app_context():
        assert db.session.exec(select(ComplaintAttachment)).all() == []


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, path.rsplit("/", 1)[0]), **data})


def test_karin_handles_it_and_tom_reopens_it(complaint_app, tom):
    location = _file(complaint_app, tom)[0].headers["Location"].split("?")[0]
    part_id = _complaint(complaint_app).part_id
    karin = _client(complaint_app, "karin")
    queue = karin.get("/klachten/behandelen").get_data(as_text=True)
    assert _complaint(complaint_app).number in queue
    assert "ôfsein" not in queue
    base = f"/klachten/behandelen/{part_id}"
    closing = _post(karin, base + "/afhandelen")
    assert closing.status_code == 422
    assert "Leg eerst het oordeel vast" in closing.get_data(as_text=True)
    assert _post(karin, base + "/toewijzen", handler_id=_complaint(complaint_app).organisation_id
                 ).status_code == 422
    assert _post(karin, base + "/berichten", part_id=part_id, text="Kinst do tiisdei prate?").status_code == 303
    judged = _post(karin, base + "/oordeel", outcome="founded", judgement="")
    assert judged.status_code == 422
    assert 'name="judgement"' in judged.get_data(as_text=True)
    assert _post(karin, base + "/oordeel", outcome="founded", judgement="Te faak ôfsein.").status_code == 303
    assert _post(karin, base + "/afhandelen").status_code == 303
    page = tom.get(location).get_data(as_text=True)
    assert "Kinst do tiisdei prate?" in page
    assert "De klacht is terjochte" in page
    assert "Bisto tefreden" in page
    assert _post(tom, location + "/tevreden", part_id=part_id, answer="reopen").status_code == 303
    page = tom.get(location).get_data(as_text=True)
    assert "Wer iepene" in page
    assert "Klacht" in karin.get(base).get_data(as_text=True)


def test_not_satisfied_shows_the_next_steps(complaint_app, tom):
    location = _file(complaint_app, tom)[0].headers["Location"].split("?")[0]
    part_id = _complaint(complaint_app).part_id
    karin = _client(complaint_app, "karin")
    base = f"/klachten/behandelen/{part_id}"
    _post(karin, base + "/oordeel", outcome="unfounded", judgement="Gjin flater.")
    _post(karin, base + "/afhandelen")
    assert _post(tom, location + "/tevreden", part_id=part_id, answer="next").status_code == 303
    page = tom.get(location).get_data(as_text=True)
    assert "0800-876 54 32" in page
    assert "Wêr'tsto no hinne kinst" in page


def test_the_queue_is_for_handlers_only(complaint_app, tom):
    assert tom.get("/klachten/behandelen").status_code == 403
    assert _client(complaint_app, "mark").get("/klachten/behandelen").status_code == 403
    assert _client(complaint_app, "jeroen").get("/klachten/behandelen").status_code == 200


def test_report_command_writes_the_outbox_event(complaint_app, tom):
    _file(complaint_app, tom)
    from datetime import date

    result = complaint_app.test_cli_runner().invoke(args=["complaints", "report", "--month",
                                                          date.today().strftime("%Y-%m")])
    assert "1 municipalities reported" in result.output
    bad = complaint_app.test_cli_runner().invoke(args=["complaints", "report", "--month", "2026-13"])
    assert bad.exit_code != 0
