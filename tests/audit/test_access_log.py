"""The access log: every read and change recorded, append-only, tamper-evident, filtered by the age rules."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.audit.services import AuditActor, record, verify
from app.extensions import db
from tests.conftest import csrf_token, demo_id, family_id, sign_in


def entries(app, **where):
    with app.app_context():
        statement = select(AccessLogEntry)
        for key, value in where.items():
            statement = statement.where(getattr(AccessLogEntry, key) == value)
        return db.session.exec(statement.order_by(AccessLogEntry.id)).all()


def test_viewing_the_family_page_is_logged_with_actor_and_role(app, client):
    sign_in(client, "sanne")
    fam = family_id(app)
    assert client.get(f"/gezinnen/{fam}").status_code == 200
    logged = entries(app, event="family.view")
    assert len(logged) == 1
    assert (logged[0].actor_id, logged[0].actor_role, logged[0].action) == (demo_id(app, "sanne"), "parent", "read")
    assert logged[0].family_id == fam


def test_refusals_are_logged_too(app, client):
    sign_in(client, "sanne")
    fam = family_id(app)
    assert client.get(f"/gezinnen/{fam}/uitnodigen").status_code == 403
    refused = entries(app, outcome="refused")
    assert [e.event for e in refused] == ["family.professional_only"]


def test_log_is_append_only_in_the_database(any_app):
    with any_app.app_context(), db.new_session() as session:
        record(session, event="test", action="read", actor=AuditActor("x", "parent"), family_id="f1")
    with any_app.app_context():
        for statement in ("UPDATE access_log SET detail = 'changed'", "DELETE FROM access_log"):
            with db.engine.connect() as conn, pytest.raises(sa.exc.DatabaseError):
                conn.execute(sa.text(statement))


def test_verify_finds_a_changed_or_removed_entry(any_app):
    with any_app.app_context(), db.new_session() as session:
        for i in range(5):
            record(session, event="test", action="read", actor=AuditActor(f"p{i}", "parent"), family_id="f1")
        record(session, event="test", action="read", actor=AuditActor("sys"))
    with any_app.app_context(), db.new_session() as session:
        assert verify(session) == []
    with any_app.app_context():
        dialect = db.engine.dialect.name
        with db.engine.begin() as conn:  # someone with database rights bypasses the triggers
            if dialect == "sqlite":
                conn.execute(sa.text("DROP TRIGGER access_log_no_update"))
                conn.execute(sa.text("DROP TRIGGER access_log_no_delete"))
            else:
                conn.execute(sa.text("DROP TRIGGER access_log_append_only ON access_log"))
            conn.execute(sa.text("UPDATE access_log SET actor_id = 'someone-else' WHERE seq = 2 AND chain = 'f1'"))
            conn.execute(sa.text("DELETE FROM access_log WHERE seq = 5 AND chain = 'f1'"))
    with any_app.app_context(), db.new_session() as session:
        problems = {(p.chain, p.problem) for p in verify(session)}
    assert ("f1", "entry was changed") in problems
    assert ("f1", "latest entries were removed") in problems
    assert not any(chain == "system" for chain, _ in problems)


def test_verify_reads_the_log_in_batches_across_chains_and_keeps_a_bounded_list(any_app, monkeypatch):
    """The log is streamed: a batch that ends inside a chain, or between two, changes nothing; a changed entry in the
    middle of a chain is found; a log with more problems than MAX_PROBLEMS keeps that many and counts the rest."""
    from app.audit import services as audit

    with any_app.app_context(), db.new_session() as session:
        for i in range(7):
            for family in ("f1", "f2", "f3"):
                record(session, event="test", action="read", actor=AuditActor(f"p{i}", "parent"), family_id=family)
    with any_app.app_context(), db.new_session() as session:
        for batch in (1, 2, 3, 7, 1000):
            assert verify(session, batch=batch) == [], batch
    with any_app.app_context(), db.engine.begin() as conn:
        if db.engine.dialect.name == "sqlite":
            conn.execute(sa.text("DROP TRIGGER access_log_no_update"))
        else:
            conn.execute(sa.text("DROP TRIGGER access_log_append_only ON access_log"))
        conn.execute(sa.text("UPDATE access_log SET detail = 'x' WHERE chain = 'f2' AND seq IN (3, 4, 5)"))
    with any_app.app_context(), db.new_session() as session:
        found = [(p.chain, p.seq, p.problem) for p in verify(session, batch=2)]
        assert found == [("f2", seq, "entry was changed") for seq in (3, 4, 5)]
        monkeypatch.setattr(audit, "MAX_PROBLEMS", 2)
        capped = [(p.chain, p.problem) for p in verify(session, batch=2)]
    assert capped == [("f2", "entry was changed"), ("f2", "entry was changed"), ("*", "1 more problems")]


def test_after_verify_the_same_transaction_still_writes(any_app):
    """The auditor's check page verifies and then logs that it did, in one request: the stream's cursor options must
    not stay on the connection (on PostgreSQL a later UPDATE ... RETURNING would go to a server-side cursor)."""
    with any_app.app_context(), db.new_session() as session:
        record(session, event="test", action="read", actor=AuditActor("p", "parent"), family_id="f1")
        assert verify(session, batch=1) == []
        record(session, event="access_log.verify", action="read", actor=AuditActor("a", "auditor"))
    with any_app.app_context(), db.new_session() as session:
        assert verify(session) == []


def test_many_entries_over_several_chains_are_written_at_once_and_chain_on(any_app):
    """record_many (a list page logging one read per family): new and existing chains, several entries in one."""
    from app.audit.services import record_many

    def entry(family_id, n):
        return {"event": "test.list", "action": "read", "actor": AuditActor(f"p{n}", "provider_staff"),
                "family_id": family_id, "object_type": "plan", "object_id": f"plan-{n}"}

    with any_app.app_context(), db.new_session() as session:
        record(session, event="test", action="read", actor=AuditActor("x", "parent"), family_id="f1")
        record_many(session, [entry("f1", 1), entry("f2", 2), entry("f1", 3), entry(None, 4)])
        record_many(session, [entry("f2", 5)])
        record(session, event="test", action="read", actor=AuditActor("y", "parent"), family_id="f2")
    with any_app.app_context(), db.new_session() as session:
        assert verify(session) == []
        rows = session.exec(select(AccessLogEntry.chain, AccessLogEntry.seq, AccessLogEntry.actor_id)
                            .where(AccessLogEntry.chain.in_(["f1", "f2"]))
                            .order_by(AccessLogEntry.chain, AccessLogEntry.seq)).all()
    assert [tuple(row) for row in rows] == [("f1", 1, "x"), ("f1", 2, "p1"), ("f1", 3, "p3"), ("f2", 1, "p2"),
                                            ("f2", 2, "p5"), ("f2", 3, "y")]


def test_flask_audit_verify_command(app):
    runner = app.test_cli_runner()
    with app.app_context(), db.new_session() as session:
        record(session, event="test", action="read", actor=AuditActor("x"), family_id="f9")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "intact" in result.output


def test_family_log_page_lists_entries_in_the_readers_language(app, client):
    fam = family_id(app)
    sign_in(client, "mark")
    client.get(f"/gezinnen/{fam}")
    sign_in(client, "sanne")
    html = client.get(f"/gezinnen/{fam}/wie-heeft-gekeken").get_data(as_text=True)
    assert "Wa hat ús gegevens besjoen?" in html
    assert "Mark Visser" in html
    assert "seach de gesinsside" in html


def test_parents_do_not_see_log_entries_about_a_youth_of_16(app, client):
    fam = family_id(app)
    with app.app_context(), db.new_session() as session:
        record(session, event="family.view", action="read", actor=AuditActor(demo_id(app, "mark"), "professional"),
               family_id=fam, youth_id=demo_id(app, "lisa"))
        record(session, event="family.view", action="read", actor=AuditActor(demo_id(app, "mark"), "professional"),
               family_id=fam, youth_id=demo_id(app, "tom"))
    sign_in(client, "erik")
    html = client.get(f"/gezinnen/{fam}/wie-heeft-gekeken").get_data(as_text=True)
    assert "over Tom" in html
    assert "over Lisa" not in html
    sign_in(client, "lisa")
    html = client.get(f"/gezinnen/{fam}/wie-heeft-gekeken").get_data(as_text=True)
    assert "over Lisa" in html
    assert "over Tom" not in html  # a sibling's data is not hers either


def test_period_filter_with_bad_and_reversed_dates(app, client):
    fam = family_id(app)
    sign_in(client, "sanne")
    response = client.get(f"/gezinnen/{fam}/wie-heeft-gekeken?start=2026-13-45&end=<script>")
    assert response.status_code == 200
    assert "Dit is gjin datum." in response.get_data(as_text=True)
    response = client.get(f"/gezinnen/{fam}/wie-heeft-gekeken?start=2026-12-31&end=2026-01-01",
                          headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="log_results"')
    assert "1 Jannewaris 2026" in html


def test_the_period_fields_show_the_period_listed(app, client):
    from app.core.clock import today

    fam = family_id(app)
    sign_in(client, "sanne")
    html = client.get(f"/gezinnen/{fam}/wie-heeft-gekeken").get_data(as_text=True)
    assert f'value="{(today() - timedelta(days=30)).isoformat()}"' in html
    assert f'value="{today().isoformat()}"' in html
    html = client.get(f"/gezinnen/{fam}/wie-heeft-gekeken?start=2026-13-45").get_data(as_text=True)
    assert 'value="2026-13-45"' in html  # a wrong date stays as typed, next to its message


def test_network_and_parents_without_custody_cannot_open_the_log(app, client):
    sign_in(client, "fenna")
    assert client.get(f"/gezinnen/{family_id(app)}/wie-heeft-gekeken").status_code == 404


def test_consent_decisions_are_logged(app, client):
    sign_in(client, "sanne")
    token = csrf_token(client, "/toestemming")
    tom = demo_id(app, "tom")
    response = client.post(f"/toestemming/{family_id(app)}/{tom}",
                           data={"csrf_token": token, f"c-{tom}-decision": "given"})
    assert response.status_code == 303
    assert [e.youth_id for e in entries(app, event="consent.given")] == [tom]


def test_another_professional_guessing_the_url_gets_404_and_is_logged(app, client):
    from app.identity.models import Person, StaffMembership

    fam = family_id(app)
    with app.app_context(), db.new_session() as session:
        mark_id = demo_id(app, "mark")
        mark_staff = session.exec(select(StaffMembership).where(StaffMembership.person_id == mark_id)).one()
        other = Person(given_name="Anna", family_name="Smit")
        session.add(other)
        session.flush()
        session.add(StaffMembership(organisation_id=mark_staff.organisation_id, person_id=other.id,
                                    role="professional"))
        other_id = other.id
    from tests.conftest import sign_in_person

    sign_in_person(client, other_id)
    assert client.get(f"/gezinnen/{fam}").status_code == 404
    assert client.get("/gezinnen/doesnotexist").status_code == 404
    refused = entries(app, event="family.no_access")
    assert [(e.actor_id, e.family_id, e.outcome) for e in refused] == [(other_id, fam, "refused")]


@pytest.mark.parametrize("query", [
    "end=9999-12-31", "start=0001-01-01", "start=0001-01-01&end=9999-12-31", "start=9999-12-31",
    "end=0001-01-01", "start=9999-12-31&end=0001-01-01", "start=0001-01-02&end=0001-01-01", "end=0000-00-00",
    "start=2026-02-31&end=9999-99-99", "start=" + "9" * 100_000, "end=%00", "start=-2026-01-01&end=+2026-01-01",
])
def test_dates_at_the_ends_of_the_calendar_show_a_period_not_an_error(any_app, query):
    from app.core.clock import today

    client = any_app.test_client()
    sign_in(client, "sanne")
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(f"/gezinnen/{family_id(any_app)}/wie-heeft-gekeken?{query}", headers=headers)
        assert response.status_code == 200, query
    html = client.get(f"/gezinnen/{family_id(any_app)}/wie-heeft-gekeken?{query}").get_data(as_text=True)
    fields = re.findall(r'<input[^>]*name="(start|end)" type="date" value="([^"]*)">', html)
    assert [name for name, _ in fields] == ["start", "end"]
    for (name, value), tag in zip(fields, re.findall(r'<input[^>]*type="date"[^>]*>', html), strict=True):
        if 'aria-invalid="true"' in tag:  # a wrong date stays as typed, next to its message
            assert "Dit is gjin datum." in html
        else:  # else the field shows the period listed: from 2015 (the Jeugdwet) until today
            assert "2015-01-01" <= value <= today().isoformat(), (query, name, value)
