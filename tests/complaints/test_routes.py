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


def _change_part(app, **values) -> None:
    """Set fields of the one complaint part straight in the database (e.g. a deadline in the past)."""
    from app.complaints.models import ComplaintPart

    with app.app_context(), db.new_session() as session:
        part = session.exec(select(ComplaintPart)).one()
        for name, value in values.items():
            setattr(part, name, value)
        session.add(part)
        session.commit()


def _mails_about(app, number: str) -> list:
    mails = [BytesParser(policy=policy.default).parsebytes(p.read_bytes())
             for p in sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"))]
    return [m for m in mails if number in m["Subject"]]


def test_overdue_start_and_answer_are_flagged_late_in_the_queue_and_for_the_complainant(complaint_app, tom):
    from datetime import timedelta

    from app.core.clock import today

    location = _file(complaint_app, tom)[0].headers["Location"].split("?")[0]
    assert "te let" not in tom.get(location).get_data(as_text=True)
    _change_part(complaint_app, acknowledge_by=today() - timedelta(days=2), decide_by=today() - timedelta(days=1))
    page = tom.get(location).get_data(as_text=True)
    assert page.count('<strong class="badge--pending">te let</strong>') == 2
    queue = _client(complaint_app, "karin").get("/klachten/behandelen").get_data(as_text=True)
    assert queue.count('<strong class="badge--pending">te laat</strong>') == 2


def test_late_start_after_reopening_is_flagged_for_the_complainant(complaint_app, tom):
    from datetime import timedelta

    from app.core.clock import today

    location = _file(complaint_app, tom)[0].headers["Location"].split("?")[0]
    _change_part(complaint_app, status="reopened", acknowledge_by=today() - timedelta(days=1))
    page = tom.get(location).get_data(as_text=True)
    assert page.count('<strong class="badge--pending">te let</strong>') == 1


def test_a_planned_conversation_is_shown_to_the_complainant(complaint_app, tom):
    location = _file(complaint_app, tom)[0].headers["Location"].split("?")[0]
    complaint = _complaint(complaint_app)
    karin = _client(complaint_app, "karin")
    base = f"/klachten/behandelen/{complaint.part_id}"
    refused = _post(karin, base + "/status", status="meeting_planned", note="")
    assert refused.status_code == 422
    assert _post(karin, base + "/status", status="meeting_planned", note="Tiisdei 14.00, Tuinen 12").status_code == 303
    page = tom.get(location).get_data(as_text=True)
    assert '<span class="tag">Petear pland</span>' in page
    assert "Tiisdei 14.00, Tuinen 12" in page
    assert len(_mails_about(complaint_app, complaint.number)) == 2  # received, then "there is news"


def test_an_extension_is_mailed_and_its_reason_shown_to_the_complainant(complaint_app, tom):
    location = _file(complaint_app, tom)[0].headers["Location"].split("?")[0]
    complaint = _complaint(complaint_app)
    karin = _client(complaint_app, "karin")
    response = _post(karin, f"/klachten/behandelen/{complaint.part_id}/termijn", kind="extension", days="14",
                     reason="Wy wolle earst mei Mark prate.")
    assert response.status_code == 303
    page = tom.get(location).get_data(as_text=True)
    assert "De termyn is ferlingd" in page
    assert "Wy wolle earst mei Mark prate." in page
    mails = _mails_about(complaint_app, complaint.number)
    assert len(mails) == 2
    assert "Nijs oer dyn klacht" in mails[-1]["Subject"]
    assert "Mark" not in mails[-1].get_content()  # the e-mail says there is news, never what


def test_answering_satisfaction_twice_is_refused(complaint_app, tom):
    location = _file(complaint_app, tom)[0].headers["Location"].split("?")[0]
    part_id = _complaint(complaint_app).part_id
    karin = _client(complaint_app, "karin")
    base = f"/klachten/behandelen/{part_id}"
    _post(karin, base + "/oordeel", outcome="founded", judgement="Te faak ôfsein.")
    _post(karin, base + "/afhandelen")
    assert _post(tom, location + "/tevreden", part_id=part_id, answer="yes").status_code == 303
    again = _post(tom, location + "/tevreden", part_id=part_id, answer="reopen")
    assert again.status_code == 422
    assert "Do hast dit al beäntwurde." in again.get_data(as_text=True)
    assert "Wer iepene" not in tom.get(location).get_data(as_text=True)


def test_noor_under_12_gets_plain_words_without_names_of_laws(complaint_app):
    noor = _client(complaint_app, "noor")
    form = noor.get("/klachten/nieuw?lang=en").get_data(as_text=True)
    assert "Is something not good? Write it here." in form
    assert "Who is it about?" in form
    assert "A decision about your help" in form
    assert "Then you can object. Ask your parent or the AKJ to help you." in form
    assert "Each gets its own part of your complaint" not in form
    response, _ = _file(complaint_app, noor, text="Ik vind het niet leuk.")
    page = noor.get(response.headers["Location"].split("?")[0] + "?lang=en").get_data(as_text=True)
    assert "Here you see what happens with what you told us." in page
    assert "People from the care provider look at it together. Not the person you complain about." in page
    assert "Youth Act" not in page
    assert "Your help goes on, also when you complain." in page


def _close(app, handler, part_id, outcome="unfounded"):
    base = f"/klachten/behandelen/{part_id}"
    assert _post(handler, base + "/oordeel", outcome=outcome, judgement="Wy hawwe it neisjoen.").status_code == 303
    assert _post(handler, base + "/afhandelen").status_code == 303


def test_not_satisfied_about_the_municipality_shows_the_national_ombudsman(complaint_app, tom):
    location = _file(complaint_app, tom, about=["municipality"])[0].headers["Location"].split("?")[0]
    part_id = _complaint(complaint_app).part_id
    _close(complaint_app, _client(complaint_app, "jeroen"), part_id)
    assert _post(tom, location + "/tevreden", part_id=part_id, answer="next").status_code == 303
    page = tom.get(location).get_data(as_text=True)
    assert "Nasjonale ombudsman" in page
    assert 'href="tel:08003355555"' in page
    assert "skelen-ynstânsje" not in page


def test_not_satisfied_with_a_wkkgz_provider_shows_the_disputes_committee(complaint_app, tom):
    with complaint_app.app_context(), db.new_session() as session:
        kompas = session.exec(select(Provider).where(Provider.external_id == "demo-p000")).one()
        kompas.complaint_regime = "wkkgz"
        session.add(kompas)
        session.commit()
    location = _file(complaint_app, tom)[0].headers["Location"].split("?")[0]
    part_id = _complaint(complaint_app).part_id
    _close(complaint_app, _client(complaint_app, "karin"), part_id)
    assert _post(tom, location + "/tevreden", part_id=part_id, answer="next").status_code == 303
    page = tom.get(location).get_data(as_text=True)
    assert "De skelen-ynstânsje (geschilleninstantie)" in page
    assert "Nasjonale ombudsman" not in page
    assert "0800-876 54 32" in page


def test_a_file_of_exactly_10_mb_is_accepted_and_one_byte_more_is_refused(complaint_app, tom):
    from app.complaints.files import MAX_BYTES

    location = _file(complaint_app, tom)[0].headers["Location"].split("?")[0]
    jpeg = b"\xff\xd8\xff\xe0" + b"0" * (MAX_BYTES - 4)
    assert _upload(tom, location, "krekt.jpg", jpeg).status_code == 303
    over = _upload(tom, location, "te grut.jpg", jpeg + b"0")
    assert over.status_code == 422
    assert "grutter as 10 MB" in over.get_data(as_text=True)
    with complaint_app.app_context():
        assert [a.size_bytes for a in db.session.exec(select(ComplaintAttachment)).all()] == [MAX_BYTES]


def test_the_provider_reaction_is_recorded_flagged_late_and_shown_after_closing(complaint_app, tom):
    from datetime import timedelta

    from app.core.clock import today

    location = _file(complaint_app, tom)[0].headers["Location"].split("?")[0]
    part_id = _complaint(complaint_app).part_id
    karin = _client(complaint_app, "karin")
    base = f"/klachten/behandelen/{part_id}"
    early = _post(karin, base + "/reactie", reaction="Wy plannen de ôfspraken better.")
    assert early.status_code == 422
    assert "Lis earst it oardiel fêst" not in early.get_data(as_text=True)  # Karin reads Dutch
    assert "Leg eerst het oordeel vast." in early.get_data(as_text=True)
    _close(complaint_app, karin, part_id, outcome="founded")
    page = tom.get(location).get_data(as_text=True)
    assert "De oanbieder seit wat er feroarje sil foar" in page
    _change_part(complaint_app, reaction_by=today() - timedelta(days=1))
    assert '<strong class="badge--pending">te let</strong>' in tom.get(location).get_data(as_text=True)
    queue = karin.get("/klachten/behandelen").get_data(as_text=True)
    assert '<strong class="badge--pending">te laat</strong>' in queue  # closed, and still in the queue
    handle = karin.get(base).get_data(as_text=True)
    assert 'name="reaction"' in handle
    assert _post(karin, base + "/reactie", reaction="Wy plannen de ôfspraken better.").status_code == 303
    page = tom.get(location).get_data(as_text=True)
    assert "Wat de oanbieder feroaret" in page
    assert "Wy plannen de ôfspraken better." in page
    assert "De oanbieder hat sein wat er feroaret" in page  # in the timeline
    assert 'name="reaction"' not in karin.get(base).get_data(as_text=True)


def test_the_form_shows_each_term_and_the_objection_route(complaint_app, tom):
    form = tom.get("/klachten/nieuw").get_data(as_text=True)
    assert "Antwurd binnen 8 wiken" in form  # Kompas's complaint regulation, from the catalog
    assert "Antwurd binnen 6 wiken" in form  # the municipality (Awb)
    assert 'id="objection"' in form
    assert 'href="/klachten#bezwaar"' in form


def test_a_decision_next_to_a_provider_files_the_provider_part_and_explains_objecting(complaint_app, tom):
    response, _ = _file(complaint_app, tom, about=["decision", f"provider:{_kompas(complaint_app)}"])
    assert response.status_code == 303
    assert "bezwaar=1" in response.headers["Location"]
    page = tom.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="objection"' in page
    assert "Sa meitsjesto beswier" in page
    assert "Antwurd úterlik" in page
    with complaint_app.app_context():
        assert [p.subject for p in db.session.exec(select(Complaint)).one().parts] == ["provider"]


def test_the_complaint_phone_link_has_no_spaces_or_dashes(complaint_app, tom):
    with complaint_app.app_context(), db.new_session() as session:
        kompas = session.exec(select(Provider).where(Provider.external_id == "demo-p000")).one()
        kompas.complaint_phone = "058 - 200 00 09"
        session.add(kompas)
        session.commit()
    location = _file(complaint_app, tom)[0].headers["Location"].split("?")[0]
    page = tom.get(location).get_data(as_text=True)
    assert 'href="tel:0582000009"' in page
    assert "Tiid foar it antwurd" in page
    assert "8 wiken" in page


def test_a_mail_sent_during_a_request_links_to_the_host_the_person_used(complaint_app, tom):
    complaint_app.config["SITE_URL"] = None  # production-like: the request says where the site is (the test
    # client keeps its cookies for localhost, so another port stands for another host)
    page = tom.get("/klachten/nieuw", base_url="http://localhost:8123").get_data(as_text=True)
    client_id = re.search(r'name="client_id" type="hidden" value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf_token(tom, "/klachten/nieuw"),
            "about": [f"provider:{_kompas(complaint_app)}"], "text": "De ôfspraken waarden ôfsein",
            "client_id": client_id}
    assert tom.post("/klachten/nieuw", data=data, base_url="http://localhost:8123").status_code == 303
    [mine] = _mails_about(complaint_app, _complaint(complaint_app).number)
    links = re.findall(r"https?://\S+", mine.get_content())
    assert links
    assert all(link.startswith("http://localhost:8123/klachten/") for link in links)
