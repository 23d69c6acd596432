"""Invitations: made by the professional, a link and a readable code, single use, 7 days, revocable.

Each test opens a family of its own (tests/factories.py): the professional Hiske and no members yet.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from email import policy
from email.parser import BytesParser

import pytest
from flask import Flask
from sqlmodel import select

from app.core.clock import today, utcnow, years_ago
from app.core.errors import NotAllowed, ValidationFailed
from app.extensions import db
from app.identity.models import Family, Invitation, Membership, Person
from app.identity.policy import Actor, Role
from app.invitations import services as invitations
from app.invitations.services import CODE_ALPHABET
from tests import factories
from tests.conftest import csrf_token, sign_in_person


@dataclass
class Opened:
    """A family just opened by its professional."""

    app: Flask
    family_id: str
    professional_id: str


def _open(flask_app: Flask) -> Opened:
    with flask_app.test_request_context(), db.new_session() as session:
        hiske = factories.professional(session, given_name="Hiske")
        family, _plan = factories.open_family(session, by=hiske)
    return Opened(flask_app, family.id, hiske.id)


@pytest.fixture
def opened(bare_app) -> Opened:
    return _open(bare_app)


@pytest.fixture
def any_opened(any_bare_app) -> Opened:
    """The same on SQLite and on PostgreSQL."""
    return _open(any_bare_app)


def make(opened: Opened, **overrides):
    fields = {"role": "parent", "has_custody": True, "given_name": "Pieter", "family_name": "Bos",
              "birthdate": None, "email": "pieter@example.test", "language": "fy"}
    fields.update(overrides)
    with opened.app.test_request_context():
        session = db.session
        actor = Actor(opened.professional_id, Role.PROFESSIONAL)
        made = invitations.create_invitation(session, actor=actor, family_id=opened.family_id, **fields)
        session.commit()
        return made


def test_code_is_eight_readable_characters_in_two_groups(opened):
    made = make(opened)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", made.code)
    assert set(made.code.replace("-", "")) <= set(CODE_ALPHABET)
    assert not set(made.code) & set("0O1IL25SZ8B")
    assert made.invitation.expires_at - made.invitation.created_at == timedelta(days=7)


def test_code_and_token_are_stored_only_as_hashes(opened):
    made = make(opened)
    with opened.app.app_context():
        stored = db.session.get(Invitation, made.invitation.id)
        assert made.code.replace("-", "") not in stored.code_hash
        assert made.token not in stored.token_hash


def test_code_is_found_whatever_the_case_spaces_or_dash(any_opened):
    """On both databases: the stored expiry is read back and compared with now (time zones)."""
    made = make(any_opened)
    typed = " " + made.code.lower().replace("-", " ") + " "
    with any_opened.app.test_request_context():
        assert invitations.find_open_invitation(db.session, code=typed).id == made.invitation.id
        assert invitations.find_open_invitation(db.session, token=made.token).id == made.invitation.id


@pytest.mark.parametrize("code", ["", "ACDE-FGH", "ACDE-FGHJK", "AAAA-0000", "'; DROP TABLE invitation;--", "🙂" * 8])
def test_wrong_codes_get_the_same_message(opened, code):
    make(opened)
    with opened.app.test_request_context(), pytest.raises(ValidationFailed) as failed:
        invitations.find_open_invitation(db.session, code=code)
    assert failed.value.reasons[0][0] == "code"


def test_an_invitation_works_once(opened):
    made = make(opened)
    with opened.app.test_request_context():
        person = invitations.redeem_invitation(db.session, invitation=db.session.get(Invitation, made.invitation.id))
        db.session.commit()
        assert person.language == "fy"
        membership = db.session.exec(select(Membership).where(Membership.person_id == person.id)).one()
        assert (membership.family_id, membership.role, membership.has_custody) == (opened.family_id, "parent", True)
        with pytest.raises(ValidationFailed):
            invitations.find_open_invitation(db.session, code=made.code)


def test_expired_and_revoked_invitations_no_longer_work(opened):
    expired, revoked = make(opened), make(opened, given_name="Jan")
    with opened.app.test_request_context():
        row = db.session.get(Invitation, expired.invitation.id)
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        invitations.revoke_invitation(db.session, actor=Actor(opened.professional_id, Role.PROFESSIONAL),
                                      family_id=opened.family_id, invitation_id=revoked.invitation.id)
        db.session.commit()
        for made in (expired, revoked):
            with pytest.raises(ValidationFailed):
                invitations.find_open_invitation(db.session, code=made.code)
        listed = invitations.list_invitations(db.session, family_id=opened.family_id)
        states = {i.given_name: i.state(utcnow()).value for i in listed}
        assert states == {"Pieter": "expired", "Jan": "revoked"}


def test_only_the_professional_invites(opened):
    with opened.app.test_request_context(), db.new_session() as session:
        hiske = session.get(Person, opened.professional_id)
        family = session.get(Family, opened.family_id)
        members = [(factories.join(session, family=family, invited_by=hiske, role=role, age=age,
                                   has_custody=custody), role, custody, age)
                   for role, custody, age in (("parent", True, None), ("youth", False, 16), ("network", False, None))]
    with opened.app.test_request_context():
        for member, role, custody, age in members:
            with pytest.raises(NotAllowed):
                invitations.create_invitation(
                    db.session, actor=Actor(member.id, Role(role), has_custody=custody, age=age),
                    family_id=opened.family_id, role="network", has_custody=False, given_name="X", family_name="",
                    birthdate=None, email=None, language="nl")
        db.session.rollback()
    assert make(opened, role="network", has_custody=False).code  # the professional may


@pytest.mark.parametrize(("birthdate", "message_part"), [
    (None, "geboortedatum"), (today() + timedelta(days=1), "toekomst"), (date(1899, 12, 31), "23"),
    (date(1990, 1, 1), "23"), (years_ago(24), "23"),
])
def test_youth_birthdate_must_be_plausible(opened, birthdate, message_part):
    with pytest.raises(ValidationFailed) as failed:
        make(opened, role="youth", has_custody=False, birthdate=birthdate)
    field, message = failed.value.reasons[0]
    assert field == "birthdate"
    assert message_part in message


@pytest.mark.parametrize("birthdate", [today(), years_ago(24) + timedelta(days=1)], ids=["born today", "23"])
def test_youth_may_be_invited_from_birth_until_their_24th_birthday(opened, birthdate):
    made = make(opened, role="youth", has_custody=False, birthdate=birthdate)
    assert made.invitation.birthdate == birthdate


def test_invite_page_shows_the_code_once_and_mails_it_in_the_invitees_language(opened, tmp_path):
    client = opened.app.test_client()
    sign_in_person(client, opened.professional_id)
    fam = opened.family_id
    token = csrf_token(client, f"/gezinnen/{fam}/uitnodigen")
    response = client.post(f"/gezinnen/{fam}/uitnodigen", data={
        "csrf_token": token, "role": "network", "given_name": "Buurvrouw Jikke 🙂", "family_name": "de Vries",
        "email": "jikke@example.test", "language": "fy"})
    assert response.status_code == 303
    page = client.get(f"/gezinnen/{fam}").get_data(as_text=True)
    code = re.search(r'class="invitation-code"[^>]*>([A-Z0-9]{4}-[A-Z0-9]{4})<', page).group(1)
    assert "jikke@example.test" in page
    assert code not in client.get(f"/gezinnen/{fam}").get_data(as_text=True)  # shown once
    mails = list((tmp_path / "mail").glob("*.eml"))
    assert len(mails) == 1
    message = BytesParser(policy=policy.default).parsebytes(mails[0].read_bytes())
    assert message["Subject"] == "Dyn útnoeging foar Ús Plan"
    assert message["Content-Language"] == "fy"
    body = message.get_content()
    assert "Hoi Buurvrouw Jikke 🙂," in body
    assert code in body
    assert "/uitnodiging/" in body


def test_invite_form_keeps_input_and_explains_errors(opened):
    client = opened.app.test_client()
    sign_in_person(client, opened.professional_id)
    fam = opened.family_id
    token = csrf_token(client, f"/gezinnen/{fam}/uitnodigen")
    response = client.post(f"/gezinnen/{fam}/uitnodigen", data={
        "csrf_token": token, "role": "youth", "given_name": "<b>Sietske</b>", "birthdate": "2040-01-01",
        "email": "not an address", "language": "nl"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "De geboortedatum kan niet in de toekomst liggen." in html
    assert "Dit is geen e-mailadres." in html
    assert 'value="&lt;b&gt;Sietske&lt;/b&gt;"' in html
    assert 'value="not an address"' in html


def test_malformed_birthdate_gets_a_clear_message(opened):
    client = opened.app.test_client()
    sign_in_person(client, opened.professional_id)
    fam = opened.family_id
    token = csrf_token(client, f"/gezinnen/{fam}/uitnodigen")
    response = client.post(f"/gezinnen/{fam}/uitnodigen", data={
        "csrf_token": token, "role": "youth", "given_name": "Sietske", "birthdate": "31-31-2010", "language": "nl"})
    assert response.status_code == 422
    assert "Dit is geen datum." in response.get_data(as_text=True)


def test_accepting_by_code_in_demo_mode_makes_a_member(opened):
    thirteen = today().replace(year=today().year - 13) - timedelta(days=3)
    made = make(opened, role="youth", has_custody=False, given_name="Sietske", birthdate=thirteen, language="nl")
    client = opened.app.test_client()
    token = csrf_token(client, "/uitnodiging")
    response = client.post("/uitnodiging", data={"csrf_token": token, "code": made.code.lower()})
    assert response.status_code == 303
    page = client.get("/uitnodiging/accepteren").get_data(as_text=True)
    assert "Welkom, Sietske" in page
    assert "Hiske Test" in page  # who invited her
    token = csrf_token(client, "/uitnodiging/accepteren")
    assert client.post("/uitnodiging/accepteren-demo", data={"csrf_token": token}).status_code == 303
    home = client.get("/").get_data(as_text=True)
    assert "Hallo Sietske" in home
    assert "13 jaar" in home
    with opened.app.app_context():
        sietske = db.session.exec(select(Person).where(Person.given_name == "Sietske")).one()
        assert sietske.birthdate == thirteen
        membership = db.session.exec(select(Membership).where(Membership.person_id == sietske.id)).one()
        assert (membership.family_id, membership.role) == (opened.family_id, "youth")


def test_link_from_the_mail_opens_the_invitation(opened):
    made = make(opened)
    client = opened.app.test_client()
    response = client.get(f"/uitnodiging/{made.token}")
    assert response.status_code == 303
    assert "Pieter" in client.get("/uitnodiging/accepteren").get_data(as_text=True)
    assert client.get("/uitnodiging/not-a-token").status_code == 404


def test_used_invitation_cannot_be_accepted_twice(opened):
    made = make(opened)
    client = opened.app.test_client()
    client.get(f"/uitnodiging/{made.token}")
    token = csrf_token(client, "/uitnodiging/accepteren")
    other = opened.app.test_client()
    other.get(f"/uitnodiging/{made.token}")
    other_token = csrf_token(other, "/uitnodiging/accepteren")
    assert client.post("/uitnodiging/accepteren-demo", data={"csrf_token": token}).status_code == 303
    response = other.post("/uitnodiging/accepteren-demo", data={"csrf_token": other_token})
    assert response.status_code == 410
    assert "al brûkt" in response.get_data(as_text=True)  # the link opens in the invitation's language (fy)


def test_guessing_codes_is_rate_limited(bare_app):
    client = bare_app.test_client()
    statuses = []
    for _ in range(12):
        token = csrf_token(client, "/uitnodiging")
        statuses.append(client.post("/uitnodiging", data={"csrf_token": token, "code": "ACDE-FGHJ"}).status_code)
    assert statuses[:10] == [422] * 10
    assert statuses[10:] == [429, 429]


def test_withdrawing_an_invitation_asks_first_without_and_with_htmx(opened):
    """Issue 17: "Uitnodiging intrekken" acted at once; now a question comes first, as a page or in place."""
    made = make(opened)
    client = opened.app.test_client()
    sign_in_person(client, opened.professional_id)
    fam, inv = opened.family_id, made.invitation.id
    url = f"/gezinnen/{fam}/uitnodigingen/{inv}/intrekken"
    family_page = client.get(f"/gezinnen/{fam}?lang=nl").get_data(as_text=True)
    assert f'action="{url}"' not in family_page  # no button that withdraws in one tap
    assert f'href="{url}"' in family_page
    assert f'hx-get="{url}"' in family_page

    page = client.get(f"{url}?lang=nl")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<html" in html
    assert "De uitnodiging voor Pieter Bos intrekken?" in html
    assert f'action="{url}"' in html
    assert "Nee, laten staan" in html
    fragment = client.get(url, headers={"HX-Request": "true", "HX-Current-URL": f"http://localhost/gezinnen/{fam}?lang=en"}).get_data(as_text=True)
    assert "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="revoke_confirm"')
    assert "Withdraw the invitation for Pieter Bos?" in fragment
    with opened.app.app_context():
        assert db.session.get(Invitation, inv).revoked_at is None  # asking changes nothing

    answer = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert answer.status_code == 303
    with opened.app.app_context():
        assert db.session.get(Invitation, inv).revoked_at is not None
    assert client.get(url).status_code == 303  # nothing left to ask


def test_the_link_opens_the_accept_page_in_the_invitations_language_until_the_visitor_picks_another(opened):
    made = make(opened, language="fy")
    client = opened.app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"  # the browser's language
    token = csrf_token(client, "/hulp")
    client.post("/taal", data={"lang": "en", "next": "/hulp", "csrf_token": token})  # chosen earlier on this device
    assert client.get(f"/uitnodiging/{made.token}").headers["Location"] == "/uitnodiging/accepteren"
    page = client.get("/uitnodiging/accepteren").get_data(as_text=True)
    assert '<html lang="fy"' in page
    assert "Wolkom, Pieter" in page
    client.post("/taal", data={"lang": "nl", "next": "/uitnodiging/accepteren", "csrf_token": token})
    assert "Welkom, Pieter" in client.get("/uitnodiging/accepteren").get_data(as_text=True)


def test_a_link_with_a_language_of_its_own_opens_in_that_language(opened):
    made = make(opened, language="fy")
    client = opened.app.test_client()
    response = client.get(f"/uitnodiging/{made.token}?lang=en")
    assert response.headers["Location"] == "/uitnodiging/accepteren?lang=en"
    assert "Welcome, Pieter" in client.get("/uitnodiging/accepteren").get_data(as_text=True)  # also without ?lang=


def test_someone_signed_in_accepts_with_their_own_account_and_a_visitor_is_sent_to_sign_in_first(opened):
    """The accept page's "with the account you are signed in with": the signed-in person becomes a member once, the
    invitation is used up; someone not signed in is sent back to the accept page (to sign in), nothing joins."""
    made = make(opened)
    visitor = opened.app.test_client()
    visitor.get(f"/uitnodiging/{made.token}")
    answer = visitor.post("/uitnodiging/accepteren", data={"csrf_token": csrf_token(visitor, "/hulp")})
    assert (answer.status_code, answer.headers["Location"]) == (303, "/uitnodiging/accepteren")
    with opened.app.test_request_context(), db.new_session() as session:
        pieter = factories.person(session, given_name="Pieter")
        session.commit()
        pieter_id = pieter.id
    client = opened.app.test_client()
    sign_in_person(client, pieter_id)
    client.get(f"/uitnodiging/{made.token}")
    answer = client.post("/uitnodiging/accepteren", data={"csrf_token": csrf_token(client, "/hulp")})
    assert (answer.status_code, answer.headers["Location"]) == (303, f"/gezinnen/{opened.family_id}")
    with opened.app.app_context():
        members = db.session.exec(select(Membership).where(Membership.family_id == opened.family_id,
                                                           Membership.person_id == pieter_id)).all()
        assert [(m.role, m.has_custody) for m in members] == [("parent", True)]
        assert db.session.get(Invitation, made.invitation.id).redeemed_at is not None
    again = client.post("/uitnodiging/accepteren", data={"csrf_token": csrf_token(client, "/hulp")})
    assert again.status_code == 404  # used up: nothing pending any more
