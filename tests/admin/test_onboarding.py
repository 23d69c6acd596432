"""A new installation: `flask admin bootstrap`, the functional manager's first organisation and staff, an
organisation admin's own staff, ending a role, and the auditor's check of the access log."""

import re

import pytest
from sqlmodel import select

from app.admin import services
from app.audit.models import AccessLogEntry
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.identity.models import Invitation, LoginIdentity, Municipality, Organisation, Person, StaffMembership
from app.invitations import services as invitations
from tests import factories
from tests.conftest import CSRF_FIELD, sign_in_person


def _bootstrap(bare_app, *args: str):
    return bare_app.test_cli_runner().invoke(args=["admin", "bootstrap", "--municipality", "0080", "--name",
                                                   "Leeuwarden", "--manager", "Hiske", "--email",
                                                   "hiske@leeuwarden.example", *args])


def test_bootstrap_makes_the_municipality_and_a_one_time_code_and_nothing_twice(bare_app):
    first = _bootstrap(bare_app)
    assert first.exit_code == 0, first.output
    code = re.search(r"code: (\w{4}-\w{4})", first.output).group(1)
    assert "link: https://onsplan.example/uitnodiging/" in first.output
    second = _bootstrap(bare_app)
    assert second.exit_code == 0, second.output
    new_code = re.search(r"code: (\w{4}-\w{4})", second.output).group(1)
    assert new_code != code
    with bare_app.test_request_context():
        assert len(db.session.exec(select(Municipality)).all()) == 1
        assert len(db.session.exec(select(Organisation)).all()) == 1
        with pytest.raises(ValidationFailed):  # the first code was withdrawn by the second run
            invitations.find_open_invitation(db.session, code=code)
        invitation = invitations.find_open_invitation(db.session, code=new_code)
        assert (invitation.role, invitation.family_id, invitation.invited_by_id) == ("functional_manager", None, None)
        hiske = invitations.redeem_invitation(db.session, invitation=invitation)
        db.session.commit()
        roles = db.session.exec(select(StaffMembership.role).where(StaffMembership.person_id == hiske.id)).all()
        assert roles == ["functional_manager"]
    third = _bootstrap(bare_app)  # she has her role now: nothing new, no code
    assert "code:" not in third.output
    with bare_app.app_context():
        assert len(db.session.exec(select(StaffMembership)).all()) == 1


def test_bootstrap_with_an_openid_identity_signs_in_at_once_and_refuses_bad_input(bare_app):
    made = _bootstrap(bare_app, "--issuer", "https://id.example", "--subject", "hiske-1")
    assert made.exit_code == 0
    assert "code:" not in made.output
    again = _bootstrap(bare_app, "--issuer", "https://id.example", "--subject", "hiske-1")
    assert again.exit_code == 0
    with bare_app.app_context():
        links = db.session.exec(select(LoginIdentity)).all()
        assert [(link.issuer, link.subject) for link in links] == [("https://id.example", "hiske-1")]
    wrong = bare_app.test_cli_runner().invoke(args=["admin", "bootstrap", "--municipality", "80", "--name", " ",
                                                    "--manager", "<script>", "--email", "no-mail"])
    assert wrong.exit_code != 0
    assert "4 digits" in wrong.output
    assert "e-mail" in wrong.output


def _world(bare_app):
    with bare_app.app_context():
        session = db.session
        leeuwarden = factories.municipality(session)
        backoffice = factories.organisation(session, name="Gemeente Leeuwarden", municipality_id=leeuwarden.id)
        hiske = factories.staff(session, organisation=backoffice, role="functional_manager", given_name="Hiske")
        smallingerland = factories.municipality(session, cbs_code="0090", name="Smallingerland")
        elsewhere = factories.organisation(session, name="Gemeente Drachten", municipality_id=smallingerland.id)
        session.commit()
        return {"hiske": hiske.id, "backoffice": backoffice.id, "elsewhere": elsewhere.id}


def test_a_functional_manager_adds_a_provider_invites_its_admin_who_invites_and_removes_staff(bare_app):
    ids = _world(bare_app)
    with bare_app.test_request_context():
        session = db.session
        hiske = session.get(Person, ids["hiske"])
        with pytest.raises(ValidationFailed) as refused:
            services.add_organisation(session, person=hiske, name="", kind="provider", agb_code="12")
        assert {name for name, _ in refused.value.reasons} == {"name", "agb_code"}
        kompas = services.add_organisation(session, person=hiske, name="Kompas Jeugdhulp 🧭", kind="provider",
                                           agb_code="1234 5678", kvk_number="87654321")
        assert (kompas.agb_code, kompas.municipality_id) == ("12345678", session.get(Organisation,
                                                                                    ids["backoffice"]).municipality_id)
        made = services.invite_staff(session, person=hiske, organisation_id=kompas.id, role="org_admin",
                                     given_name="Anke", family_name="", email="anke@kompas.example", language="fy")
        with pytest.raises(ValidationFailed):  # a provider has no functional manager
            services.invite_staff(session, person=hiske, organisation_id=kompas.id, role="functional_manager",
                                  given_name="X", family_name="", email="x@kompas.example", language="nl")
        with pytest.raises(NotFound):  # another municipality's organisation is not hers
            services.organisation_page(session, person=hiske, organisation_id=ids["elsewhere"])
        anke = invitations.redeem_invitation(session, invitation=made.invitation)
        session.commit()

        assert [org.name for org in services.managed_organisations(session, person=anke)] == ["Kompas Jeugdhulp 🧭"]
        page = services.organisation_page(session, person=anke, organisation_id=kompas.id)
        assert [role.value for role in page.roles] == ["provider_staff", "org_admin"]
        with pytest.raises(NotAllowed):  # an organisation admin adds no organisations
            services.add_organisation(session, person=anke, name="Nij", kind="provider", agb_code="11112222")
        with pytest.raises(NotFound):
            services.organisation_page(session, person=anke, organisation_id=ids["backoffice"])
        karin_invitation = services.invite_staff(session, person=anke, organisation_id=kompas.id,
                                                 role="provider_staff", given_name="Karin", family_name="Jansen",
                                                 email="karin@kompas.example", language="nl")
        karin = invitations.redeem_invitation(session, invitation=karin_invitation.invitation)
        session.commit()
        version = karin.session_version
        membership = session.exec(select(StaffMembership).where(StaffMembership.person_id == karin.id)).one()
        services.remove_staff(session, person=anke, membership_id=membership.id)
        session.commit()
        assert session.exec(select(StaffMembership).where(StaffMembership.person_id == karin.id)).all() == []
        assert session.get(Person, karin.id).session_version == version + 1  # her sessions ended
        hiske_role = session.exec(select(StaffMembership).where(StaffMembership.person_id == hiske.id)).one()
        with pytest.raises(ValidationFailed):  # the last word on the municipality stays with someone
            services.remove_staff(session, person=hiske, membership_id=hiske_role.id)
        events = [e.event for e in session.exec(select(AccessLogEntry).order_by(AccessLogEntry.id)).all()]
        assert {"organisation.create", "staff.invite", "staff.join", "staff.remove"} <= set(events)
        invited = session.exec(select(Invitation).where(Invitation.organisation_id.is_not(None))).all()
        assert events.count("staff.invite") == len(invited)  # one entry per invitation, with the inviter's role
        assert "invitation.create" not in events


def test_the_pages_as_the_functional_manager_and_as_someone_else(bare_app):
    ids = _world(bare_app)
    client = bare_app.test_client()
    sign_in_person(client, ids["hiske"])
    home = client.get("/?lang=fy").get_data(as_text=True)
    assert 'href="/beheer' in home
    token = CSRF_FIELD.search(client.get("/beheer/organisaties/nieuw").get_data(as_text=True)).group(1)
    typed = {"csrf_token": token, "name": "<script>alert(1)</script>" * 20, "kind": "provider", "agb_code": "12ab"}
    refused = client.post("/beheer/organisaties/nieuw?lang=fy", data=typed)
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;" in body  # kept, escaped
    added = client.post("/beheer/organisaties/nieuw", data={**typed, "name": "Kompas", "agb_code": "12345678"})
    assert added.status_code == 303
    organisation_url = added.headers["Location"]
    invite = client.post(f"{organisation_url}/uitnodigen", data={
        "csrf_token": token, "role": "provider_staff", "given_name": "Karin", "email": "karin@kompas.example",
        "language": "nl"})
    assert invite.status_code == 303
    page = client.get(organisation_url).get_data(as_text=True)
    assert re.search(r'class="invitation-code"[^>]*>\w{4}-\w{4}<', page)
    assert "Karin" in page
    with bare_app.app_context():
        assert db.session.exec(select(Invitation).where(Invitation.organisation_id.is_not(None))).one().email == \
            "karin@kompas.example"
    other = bare_app.test_client()
    with bare_app.app_context():
        mark = factories.professional(db.session)
        db.session.commit()
        mark_id = mark.id
    sign_in_person(other, mark_id)
    assert other.get("/beheer").status_code == 303
    assert other.get(organisation_url).status_code == 403
    check = client.get("/beheer/toegangslog?lang=fy")
    assert check.status_code == 200
    assert "chains" not in check.get_data(as_text=True)  # in Frysk


def test_an_invitation_whose_mail_server_fails_still_gives_the_code_to_pass_on(bare_app):
    ids = _world(bare_app)
    bare_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9)  # nothing listens there: the mail cannot go
    client = bare_app.test_client()
    sign_in_person(client, ids["hiske"])
    token = CSRF_FIELD.search(client.get("/beheer/organisaties/nieuw").get_data(as_text=True)).group(1)
    added = client.post("/beheer/organisaties/nieuw", data={"csrf_token": token, "name": "Kompas", "kind": "provider",
                                                           "agb_code": "12345678"})
    invite = client.post(f"{added.headers['Location']}/uitnodigen", data={
        "csrf_token": token, "role": "provider_staff", "given_name": "Karin", "email": "karin@kompas.example",
        "language": "nl"})
    assert invite.status_code == 303
    page = client.get(added.headers["Location"]).get_data(as_text=True)
    assert re.search(r'class="invitation-code"[^>]*>\w{4}-\w{4}<', page)
    assert "karin@kompas.example" not in page  # not "we also sent it by e-mail to …"
