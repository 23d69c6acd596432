"""Destruction on request (issue 22, point 2; Jeugdwet 7.3.9), for each age band, on SQLite and PostgreSQL.

The betrokkenen ask in the app (under 12: the parents with custody; 12 to 15: the youth and those parents together;
from 16: the youth alone); the professional decides within three months and records why not, or it is destroyed for
real: no table holds its words afterwards, the access log keeps the request, the decision and the fact, the askers
get a receipt and the municipality an event. Nobody is asked about, or learns of, a part hidden from them.
"""

import json
import re
import subprocess
from email import message_from_bytes, policy
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import SQLModel, select

from app.audit.models import AccessLogEntry
from app.audit.services import verify
from app.dossier.models import DestructionRequest
from app.extensions import db
from app.identity.models import Family, Person
from app.outbox.models import OutboxEvent
from app.outbox.schemas import validator
from app.plans.models import ItemVersion, PlanItem
from tests.conftest import csrf_token
from tests.plans.conftest import signed_in_world

TOMS_WORRY = "Ik snap wiskunde niet"
TOMS_SECRET = "Soms durf ik niet te zeggen"  # withheld from his parents by the professional
LISAS_WORRY = "Ik word heel onrustig voor toetsen"
NOORS_WORDS = "Ik vind het fijn als beppe mij ophaalt"
PAGE = "/mijn-gegevens"


def item_id(app, world, text: str) -> str:
    with app.app_context():
        return db.session.exec(select(PlanItem.id).where(PlanItem.plan_id == world.plan_id,
                                                         PlanItem.text.startswith(text))).one()


def ask(client, world, item: str | None = None):
    url = f"{PAGE}/{world.plan_id}/vernietigen" + (f"/{item}" if item else "")
    return client.post(url, data={"csrf_token": csrf_token(client, PAGE)})


def the_request(app) -> DestructionRequest:
    with app.app_context():
        return db.session.exec(select(DestructionRequest).order_by(DestructionRequest.created_at.desc())).first()


def decide(client, request_id: str, decision: str, reason: str = ""):
    url = f"/dossierverzoeken/{request_id}"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "decision": decision, "reason": reason})


def texts_anywhere(app, words: str) -> list[str]:
    """The tables whose rows hold these words in any column (JSON and text alike)."""
    found = []
    with app.app_context(), db.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                if any(words in str(value) for value in row):
                    found.append(table.name)
                    break
    return found


def test_a_young_teen_asks_with_a_parent_and_the_part_is_destroyed_for_real(any_plan_app, tmp_path):
    world, tom = signed_in_world(any_plan_app, "tom")
    worry = item_id(any_plan_app, world, TOMS_WORRY)
    confirm = tom.get(f"{PAGE}/{world.plan_id}/vernietigen/{worry}").get_data(as_text=True)
    assert "Wie moeten het vragen" in confirm
    assert "Sanne Hoekstra" in confirm
    assert "Erik de Boer" in confirm
    assert ask(tom, world, worry).status_code == 303
    request = the_request(any_plan_app)
    assert request.status == "waiting"  # 14: a parent with custody must ask too, and Tom is told so
    mine = tom.get(PAGE).get_data(as_text=True)
    still = re.search(r"Nog niet gevraagd: ([^.]*)\.", mine)
    assert still
    assert set(still.group(1).split(", ")) == {"Sanne Hoekstra", "Erik de Boer"}
    _, sanne = signed_in_world(any_plan_app, "sanne")
    assert "Ik freegje ek" in sanne.get(PAGE).get_data(as_text=True)  # in her language, with the button
    assert ask(sanne, world, worry).status_code == 303
    _, erik = signed_in_world(any_plan_app, "erik")
    assert ask(erik, world, worry).status_code == 303
    request = the_request(any_plan_app)
    assert request.status == "asked"
    assert request.decide_by is not None
    _, mark = signed_in_world(any_plan_app, "mark")
    home = mark.get("/").get_data(as_text=True)
    assert f"/dossierverzoeken/{request.id}" in home
    assert TOMS_WORRY in mark.get(f"/dossierverzoeken/{request.id}").get_data(as_text=True)
    assert decide(mark, request.id, "destroy").status_code == 303
    assert texts_anywhere(any_plan_app, TOMS_WORRY) == []
    with any_plan_app.app_context():
        assert db.session.get(PlanItem, worry) is None
        assert db.session.exec(select(ItemVersion).where(ItemVersion.item_id == worry)).first() is None
        logged = db.session.exec(select(AccessLogEntry).where(
            AccessLogEntry.object_id == request.id).order_by(AccessLogEntry.seq)).all()
        events = [entry.event for entry in logged]
        assert events[:3] == ["dossier.destruction_ask"] * 3
        assert events[-1] == "dossier.destroy"
        assert set(events[3:-1]) == {"dossier.destruction_read"}  # each time Mark opened it
        assert all(TOMS_WORRY not in entry.detail for entry in logged)
        event = db.session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "dossier.destroyed")).one()
        validator("dossier.destroyed").validate(event.payload)
        assert event.payload["scope"] == "item"
        assert event.payload["rows"] >= 2
        assert verify(db.session) == []
    receipts = [message_from_bytes(path.read_bytes(), policy=policy.default)
                for path in Path(tmp_path / "mail").glob("*.eml")]
    subjects = [(message["To"], message["Subject"]) for message in receipts]
    assert ("sanne@demo.onsplan.invalid", "Dyn fersyk om gegevens yn Ús Plan te ferneatigjen") in subjects  # Frysk
    assert ("tom@demo.onsplan.invalid", "Je verzoek om gegevens in Ons Plan te vernietigen") in subjects
    assert all(TOMS_WORRY not in message.get_body(("plain",)).get_content() for message in receipts)
    shown = tom.get(PAGE).get_data(as_text=True)
    assert "Vernietigd op" in shown
    assert TOMS_WORRY not in shown


def test_from_16_only_the_youth_asks_and_a_parent_is_told_so(any_plan_app):
    plan_app = any_plan_app
    world, sanne = signed_in_world(plan_app, "sanne")
    goal = item_id(plan_app, world, "Beter omgaan")
    assert ask(sanne, world, goal).status_code == 404  # Lisa did not share it: for Sanne it does not exist
    with plan_app.app_context():
        db.session.get(PlanItem, goal).shared_with_parents = True  # now she does
        db.session.commit()
    refused = ask(sanne, world, goal)
    assert refused.status_code == 422
    assert "Lisa is 16 jier of âlder. Allinne Lisa kin freegje" in refused.get_data(as_text=True)
    assert the_request(plan_app) is None
    _, lisa = signed_in_world(plan_app, "lisa")
    lisas = item_id(plan_app, world, LISAS_WORRY)
    assert ask(lisa, world, lisas).status_code == 303
    assert the_request(plan_app).status == "asked"  # hers alone: no one else is asked


def test_under_12_the_parents_ask_not_the_child(any_plan_app):
    plan_app = any_plan_app
    world, noor = signed_in_world(plan_app, "noor")
    words = item_id(plan_app, world, NOORS_WORDS)
    assert ask(noor, world, words).status_code == 422
    _, sanne = signed_in_world(plan_app, "sanne")
    assert ask(sanne, world, words).status_code == 303
    request = the_request(plan_app)
    assert request.status == "waiting"
    assert request.required_ids == sorted([world.people["sanne"],
                                                                           world.people["erik"]])


def test_nobody_is_asked_about_a_part_hidden_from_them(plan_app):
    world, tom = signed_in_world(plan_app, "tom")
    secret = item_id(plan_app, world, TOMS_SECRET)
    assert ask(tom, world, secret).status_code == 303
    request = the_request(plan_app)
    assert request.status == "asked"
    assert request.required_ids == [world.people["tom"]]
    _, sanne = signed_in_world(plan_app, "sanne")
    hers = sanne.get(PAGE).get_data(as_text=True)
    assert request.id not in hers
    assert TOMS_SECRET not in hers
    assert sanne.get(f"{PAGE}/{world.plan_id}/vernietigen/{secret}").status_code == 404
    assert ask(sanne, world, secret).status_code == 404


def test_a_refusal_needs_reasons_that_the_askers_read_and_nothing_goes(plan_app):
    world, lisa = signed_in_world(plan_app, "lisa")
    lisas = item_id(plan_app, world, LISAS_WORRY)
    ask(lisa, world, lisas)
    request = the_request(plan_app)
    _, mark = signed_in_world(plan_app, "mark")
    empty = decide(mark, request.id, "refuse", "   ")
    assert empty.status_code == 422
    assert "Schrijf op wiens belang of welke wet" in empty.get_data(as_text=True)
    assert decide(mark, request.id, "", "").status_code == 422
    reason = "De rechter heeft om dit dossier gevraagd <script>alert(1)</script> 🙂 ô â û ê"
    assert decide(mark, request.id, "refuse", reason).status_code == 303
    assert texts_anywhere(plan_app, LISAS_WORRY) != []
    page = lisa.get(PAGE).get_data(as_text=True)
    assert "De rechter heeft om dit dossier gevraagd &lt;script&gt;" in page
    assert decide(mark, request.id, "destroy").status_code == 303  # decided already: nothing happens
    assert texts_anywhere(plan_app, LISAS_WORRY) != []


def test_only_the_familys_professional_decides(plan_app):
    world, lisa = signed_in_world(plan_app, "lisa")
    ask(lisa, world, item_id(plan_app, world, LISAS_WORRY))
    request = the_request(plan_app)
    for key in ("lisa", "sanne", "karin", "jeroen"):
        _, client = signed_in_world(plan_app, key)
        assert client.get(f"/dossierverzoeken/{request.id}").status_code == 404, key
        assert decide(client, request.id, "destroy").status_code == 404, key
    assert the_request(plan_app).status == "asked"


def test_a_stale_save_after_destruction_brings_nothing_back(any_plan_app):
    world, lisa = signed_in_world(any_plan_app, "lisa")
    lisas = item_id(any_plan_app, world, LISAS_WORRY)
    with any_plan_app.app_context():
        version = db.session.get(PlanItem, lisas).version
    token = csrf_token(lisa, f"/plan/{world.plan_id}")
    ask(lisa, world, lisas)
    _, mark = signed_in_world(any_plan_app, "mark")
    decide(mark, the_request(any_plan_app).id, "destroy")
    edit = lisa.post(f"/plan/{world.plan_id}/onderdelen/{lisas}/bewerken", data={
        "csrf_token": token, "version": str(version), "text": LISAS_WORRY + " (offline bewerkt)"})
    assert edit.status_code in (404, 410)
    react = lisa.post(f"/plan/{world.plan_id}/onderdelen/statement",
                      data={"csrf_token": token, "text": "Nog eentje", "reply_to_id": lisas})
    assert react.status_code in (404, 410, 422)  # a statement on what is gone: refused
    assert texts_anywhere(any_plan_app, "Nog eentje") == []
    assert texts_anywhere(any_plan_app, LISAS_WORRY) == []


def test_the_whole_dossier_when_every_betrokkene_asked(any_plan_app, tmp_path):
    world, tom = signed_in_world(any_plan_app, "tom")
    any_plan_app.config["COMPLAINT_FILES_DIR"] = str(tmp_path / "files")
    stored = _toms_complaint_with_a_file(any_plan_app, world)
    assert stored.is_file()
    for key in ("tom", "lisa", "sanne", "erik"):
        _, client = signed_in_world(any_plan_app, key)
        assert ask(client, world).status_code == 303, key
    request = the_request(any_plan_app)
    assert request.status == "asked"
    assert request.scope == "dossier"
    _, mark = signed_in_world(any_plan_app, "mark")
    assert decide(mark, request.id, "destroy").status_code == 303
    for words in (TOMS_WORRY, LISAS_WORRY, NOORS_WORDS, "Wy meitsje alle sneonen", "Te faak ôfsein"):
        assert texts_anywhere(any_plan_app, words) == [], words
    assert not stored.exists()  # the attachment store too
    assert list((tmp_path / "files").iterdir()) == []
    with any_plan_app.app_context():
        assert db.session.exec(select(Family).where(Family.name == "De Boer-Hoekstra")).first() is None
        assert db.session.get(Person, world.people["mark"]) is not None  # staff stays
        assert verify(db.session) == []
        assert db.session.get(DestructionRequest, request.id).destroyed["plan_item"] > 10
    mine = tom.get(PAGE)
    assert mine.status_code in (200, 303)


def _toms_complaint_with_a_file(app, world) -> Path:
    """Tom files a complaint with a PDF; where the file is stored."""
    import io

    from werkzeug.datastructures import FileStorage

    from app.complaints import files
    from app.complaints import services as complaints

    with app.test_request_context(), db.new_session() as session:
        tom = session.get(Person, world.people["tom"])
        complaint = complaints.file_complaint(session, person=tom, about=["app"], text="Te faak ôfsein",
                                              client_id="destruction-complaint")
        attachment = files.add_attachment(session, person=tom, complaint=complaint,
                                          upload=FileStorage(io.BytesIO(b"%PDF-1.4 Te faak"), filename="brief.pdf"))
        return files.folder() / attachment.storage_name


def test_a_backup_made_afterwards_holds_none_of_it(any_plan_app, tmp_path, request):
    world, lisa = signed_in_world(any_plan_app, "lisa")
    ask(lisa, world, item_id(any_plan_app, world, LISAS_WORRY))
    _, mark = signed_in_world(any_plan_app, "mark")
    decide(mark, the_request(any_plan_app).id, "destroy")
    url = any_plan_app.config["DATABASE_URL"]
    if url.startswith("sqlite"):
        database = Path(sa.engine.make_url(url).database)
        with any_plan_app.app_context(), db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        copy = tmp_path / "copy.db"
        subprocess.run(["python", "-c", f"import sqlite3; s = sqlite3.connect({str(database)!r}); "
                                        f"s.backup(sqlite3.connect({str(copy)!r}))"], check=True)
        raw = b"".join(path.read_bytes() for path in database.parent.glob(database.name + "*"))
        assert LISAS_WORRY.encode() not in raw  # the file itself: secure_delete overwrote the row
        assert LISAS_WORRY.encode() not in copy.read_bytes()
    else:
        server = request.getfixturevalue("postgres")
        libpq = re.sub(r"^postgresql\+\w+://", "postgresql://", url)
        dump = subprocess.run([str(server.bindir / "pg_dump"), "--dbname", libpq], capture_output=True, check=True)
        assert b"plan_item" in dump.stdout
        assert LISAS_WORRY.encode() not in dump.stdout


def test_the_data_protection_officer_sees_counts_never_content(plan_app):
    world, lisa = signed_in_world(plan_app, "lisa")
    ask(lisa, world, item_id(plan_app, world, LISAS_WORRY))
    with plan_app.app_context():
        auditor = _auditor(world)
    client = plan_app.test_client()
    from tests.conftest import sign_in_person
    sign_in_person(client, auditor)
    page = client.get("/dossierverzoeken")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert re.search(r"Gevraagd: de jeugdprofessional beslist</dt><dd>1<", text)
    for secret in (LISAS_WORRY, "Lisa", "De Boer"):
        assert secret not in text
    _, sanne = signed_in_world(plan_app, "sanne")
    assert sanne.get("/dossierverzoeken").status_code == 303


def _auditor(world) -> str:
    from app.identity.models import Organisation, StaffMembership
    from tests import factories

    team = db.session.exec(select(Organisation).join(StaffMembership).where(
        StaffMembership.person_id == world.people["mark"])).first()
    person = factories.staff(db.session, organisation=team, role="auditor", given_name="Aaltje")
    db.session.commit()
    return person.id


def test_every_request_and_decision_is_json_free_of_text(plan_app):
    """The request row itself never holds what the part said (it outlives the part)."""
    world, lisa = signed_in_world(plan_app, "lisa")
    ask(lisa, world, item_id(plan_app, world, LISAS_WORRY))
    with plan_app.app_context():
        row = db.session.exec(select(DestructionRequest)).one()
        assert LISAS_WORRY not in json.dumps(row.model_dump(mode="json"))
