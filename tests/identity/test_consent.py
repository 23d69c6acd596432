"""Consent follows the age rules; records are append-only and shown to the person."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.conftest import csrf_token, demo_id, family_id, sign_in


def decide(client, app, youth_key, **data):
    youth = demo_id(app, youth_key)
    token = csrf_token(client, "/toestemming")
    form = {"csrf_token": token, **{f"c-{youth}-{k}": v for k, v in data.items()}}
    return client.post(f"/toestemming/{family_id(app)}/{youth}", data=form)


def test_parent_is_asked_for_children_under_16_only(app, client):
    sign_in(client, "sanne")
    html = client.get("/toestemming").get_data(as_text=True)
    assert "Help foar Tom" in html
    assert "Help foar Noor" in html
    assert "Help foar Lisa" not in html


def test_youth_of_14_is_asked_for_themselves_and_child_of_9_is_not_asked(app, client):
    sign_in(client, "tom")
    assert "Hulp voor Tom" in client.get("/toestemming").get_data(as_text=True)
    sign_in(client, "noor")
    html = client.get("/toestemming").get_data(as_text=True)
    assert "Hulp voor" not in html
    assert "Op dit moment is jouw toestemming niet nodig." in html


def test_youth_of_16_decides_alone(app, client):
    sign_in(client, "lisa")
    assert "Hulp voor Lisa" in client.get("/toestemming").get_data(as_text=True)
    assert decide(client, app, "lisa", decision="given").status_code == 303
    sign_in(client, "erik")
    assert decide(client, app, "lisa", decision="given").status_code == 403


def test_refusing_needs_a_reason_and_keeps_what_was_typed(app, client):
    sign_in(client, "erik")
    response = decide(client, app, "tom", decision="refused", reason="   ")
    assert response.status_code == 422
    assert "Vertel kort waarom." in response.get_data(as_text=True)
    response = decide(client, app, "tom", decision="refused", reason="Eerst praten met Tom 🙂 <b>echt</b>")
    assert response.status_code == 303
    html = client.get("/toestemming").get_data(as_text=True)
    assert "Eerst praten met Tom 🙂 &lt;b&gt;echt&lt;/b&gt;" in html


def test_withdrawal_is_a_new_record_and_history_keeps_both(app, client):
    sign_in(client, "tom")
    decide(client, app, "tom", decision="given")
    decide(client, app, "tom", decision="refused", reason="Ik wil eerst een ander gesprek")
    html = client.get("/toestemming").get_data(as_text=True)
    assert html.count("ja, akkoord") == 1
    assert html.count("toestemming ingetrokken") >= 1
    with app.app_context(), db.engine.connect() as conn, pytest.raises(sa.exc.DatabaseError):
        conn.execute(sa.text("DELETE FROM consent_record"))


def test_network_member_and_professional_cannot_consent(app, client):
    for key in ("fenna", "mark", "noor"):
        sign_in(client, key)
        assert decide(client, app, "tom", decision="given").status_code == 403, key


def test_youth_of_16_is_asked_once_what_parents_may_keep_seeing(app, client):
    sign_in(client, "lisa")
    home = client.get("/").get_data(as_text=True)
    assert "Je bent 16: jij beslist" in home
    fam = family_id(app)
    page = client.get(f"/toestemming/zestien/{fam}")
    assert page.status_code == 200
    token = csrf_token(client, f"/toestemming/zestien/{fam}")
    response = client.post(f"/toestemming/zestien/{fam}", data={"csrf_token": token})
    assert response.status_code == 303
    assert "Je bent 16: jij beslist" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/toestemming/zestien/{fam}").status_code == 404  # asked once


def test_sharing_an_item_the_page_did_not_offer_saves_nothing_and_says_why(tmp_path):
    from sqlmodel import select

    from app.identity.hooks import items_about
    from app.plans.models import PlanItem
    from tests.conftest import make_app

    app = make_app(with_plan=True, MAIL_DIR=str(tmp_path / "mail"))
    client = app.test_client()
    sign_in(client, "lisa")
    fam = family_id(app)
    with app.app_context():
        hers = items_about(db.session, demo_id(app, "lisa"))[0][0]
        toms = db.session.exec(select(PlanItem.id).where(PlanItem.youth_id == demo_id(app, "tom"))).first()
    token = csrf_token(client, f"/toestemming/zestien/{fam}")
    response = client.post(f"/toestemming/zestien/{fam}", data={"csrf_token": token, "share": [hers, toms]})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Iets wat je koos staat niet meer in deze lijst." in page
    assert f'value="{hers}" id="share-{hers}" checked' in page  # her own choice is kept
    assert client.get(f"/toestemming/zestien/{fam}").status_code == 200  # still to be answered


def test_younger_youths_and_parents_are_not_asked_the_sixteen_question(app, client):
    for key in ("tom", "sanne"):
        sign_in(client, key)
        assert client.get(f"/toestemming/zestien/{family_id(app)}").status_code == 404


def test_saying_no_after_yes_is_recorded_as_a_withdrawal(app, client):
    sign_in(client, "sanne")
    decide(client, app, "noor", decision="given")
    decide(client, app, "noor", decision="refused", reason="We wachten tot na de zomer")
    html = client.get("/toestemming").get_data(as_text=True)
    assert "tastimming ynlutsen" in html


def test_reading_the_consent_page_is_in_the_access_log(app, client):
    from sqlmodel import select

    from app.audit.models import AccessLogEntry

    sign_in(client, "sanne")
    client.get("/toestemming")
    with app.app_context():
        events = db.session.exec(select(AccessLogEntry.event).where(AccessLogEntry.event == "consent.view")).all()
    assert len(events) == 2  # Tom and Noor; Lisa (16) decides alone
