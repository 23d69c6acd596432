"""Provider staff hear about their organisation's work: a goal assigned, the agreement on it, the family's verdict,
a complaint to handle, a rating to reply to; in the app and by e-mail in their own language, as they chose. Nobody
else hears of it (the family, another organisation, the municipality), and a provider never learns of more than
the goal assigned to them."""

from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.catalog import assignments
from app.catalog.models import Assignment, Offer
from app.complaints import services as complaints
from app.core.clock import today
from app.core.errors import NotFound
from app.extensions import db
from app.identity.models import Family, Organisation, Person, StaffMembership
from app.notifications import inbox, mails, services
from app.notifications.models import Channel, MailMode, Notification, NotificationPreference, Topic
from app.plans import agreement
from app.plans import services as plans
from app.plans.models import Plan, PlanItem
from app.ratings import moderation
from app.ratings import services as ratings
from app.results import services as results
from tests import factories
from tests.api.conftest import api, api_app, jwks, new_id  # noqa: F401
from tests.catalog.conftest import fitting_offer
from tests.conftest import csrf_token, sign_in, sign_in_person
from tests.plans.conftest import PlanWorld
from tests.ratings.conftest import GOOD, RatingWorld, help_world  # noqa: F401
from tests.results.conftest import JudgingWorld


class ProviderWorld(JudgingWorld):
    """The judging family (tests/results/conftest.py) whose ended help came from the provider of `provider_staff`
    (Geertje), with: her colleague Sjoukje (reads Frysk), Pier of another provider, and e-mail addresses."""

    def __init__(self, app):
        super().__init__(app)
        with app.test_request_context(), db.new_session() as session:
            organisation_id = session.exec(select(StaffMembership.organisation_id).where(
                StaffMembership.person_id == self.people["provider_staff"])).one()
            colleague = factories.staff(session, organisation=session.get(Organisation, organisation_id),
                                        role="provider_staff", given_name="Sjoukje")
            colleague.language = "fy"
            other_organisation, _offer = factories.provider(session)
            other = factories.staff(session, organisation=other_organisation, role="provider_staff", given_name="Pier")
            self.people |= {"colleague": colleague.id, "other_provider": other.id}
            for key, person_id in self.people.items():
                person = session.get(Person, person_id)
                person.email = f"{key}@example.test"
                session.add(person)
            self.organisation_id = organisation_id
            self.provider_id = session.get(Offer, self.offer_id).provider_id


@pytest.fixture
def world(tmp_path):
    with factories.built_world(ProviderWorld, MAIL_DIR=str(tmp_path / "mail")) as made:
        yield made


PROVIDER = {"provider_staff", "colleague"}


def person(world, key: str) -> Person:
    return db.session.get(Person, world.people[key])


def told(world, topic: Topic, item_id: str | None = None) -> set[str]:
    """Who (by key) has a notification of this topic (about this item)."""
    keys = {person_id: key for key, person_id in world.people.items()}
    statement = select(Notification).where(Notification.topic == topic)
    if item_id:
        statement = statement.where(Notification.item_id == item_id)
    return {keys.get(n.person_id, n.person_id) for n in db.session.exec(statement).all()}


def note_of(world, key: str, topic: Topic, item_id: str | None = None) -> list[Notification]:
    statement = select(Notification).where(Notification.person_id == world.people[key], Notification.topic == topic)
    if item_id:
        statement = statement.where(Notification.item_id == item_id)
    return list(db.session.exec(statement.order_by(Notification.id)).all())


def mails_to(app, address: str) -> list:
    folder = Path(app.config["MAIL_DIR"])
    messages = [BytesParser(policy=policy.default).parsebytes(path.read_bytes()) for path in folder.glob("*.eml")]
    return [m for m in messages if m["To"] == address]


def client_of(app, person_id: str):
    client = app.test_client()
    sign_in_person(client, person_id)
    return client


def switch_off(world, key: str, topic: Topic) -> None:
    services.update_preferences(db.session, person=person(world, key), email=f"{key}@example.test",
                                choices={(topic, Channel.APP): False, (topic, Channel.EMAIL): False})
    db.session.commit()


def assigned_goal(world) -> tuple[str, int]:
    """A new goal about the youth (14), chosen by a parent, confirmed by the professional and assigned to the world's
    provider by the municipality, whose answer the API passes on (`tell_answer`); return the goal and assignment."""
    plan = db.session.get(Plan, world.plan_id)
    professional, parent = person(world, "professional"), person(world, "parent")
    goal, _actions = factories.goal_with_actions(db.session, plan=plan, author=professional,
                                                 youth=person(world, "youth"))
    assignments.choose_offer(db.session, ctx=factories.context(db.session, person=parent, plan=plan),
                             goal_id=goal.id, offer_id=world.offer_id)
    asked = assignments.confirm(db.session, ctx=factories.context(db.session, person=professional, plan=plan),
                                goal_id=goal.id, requested_start=today() + timedelta(days=7))
    assignment = assignments.record_decision(db.session, reference=asked.reference, decision="assigned",
                                             number=2026555, start=today() + timedelta(days=7))
    assignments.tell_answer(db.session, assignment=assignment)
    db.session.commit()
    return goal.id, assignment.id


def test_a_goal_assigned_to_the_provider_tells_its_staff_at_once_each_in_their_language(world):
    app = world.app
    with app.test_request_context():
        goal_id, assignment_id = assigned_goal(world)
        assert told(world, Topic.ASSIGNMENT_NEW) == PROVIDER  # not the family, Pier's provider or the municipality
        notes = [*note_of(world, "provider_staff", Topic.ASSIGNMENT_NEW), *note_of(world, "colleague",
                                                                                 Topic.ASSIGNMENT_NEW)]
        assert {(n.item_id, n.mail, n.in_app) for n in notes} == {(goal_id, MailMode.INSTANT, True)}
        assert all(n.emailed_at is not None for n in notes)
        assignments.tell_answer(db.session, assignment=db.session.get(Assignment, assignment_id))  # a retry
        db.session.commit()
        assert len(db.session.exec(select(Notification).where(Notification.topic == Topic.ASSIGNMENT_NEW)).all()) == 2
    with app.test_request_context():  # she reads them later, in a request of her own
        goal = db.session.get(PlanItem, goal_id)
        with force_locale("fy"):
            [view] = [v for v in inbox.inbox(db.session, person=person(world, "colleague"))
                      if v.notification.topic == Topic.ASSIGNMENT_NEW]
            assert view.text == f"Der is in doel oan dyn organisaasje tawiisd: {goal.text}"
    [frisian] = mails_to(app, "colleague@example.test")
    assert (frisian["Subject"], frisian["Content-Language"]) == ("Der is in doel oan dyn organisaasje tawiisd", "fy")
    assert goal.text not in frisian.get_body(("plain",)).get_content()  # no family words in an e-mail
    [dutch] = mails_to(app, "provider_staff@example.test")
    assert dutch["Subject"] == "Er is een doel aan je organisatie toegewezen"
    for key in ("parent", "youth", "professional", "other_provider", "municipality_staff"):
        assert not [m for m in mails_to(app, f"{key}@example.test") if "organisatie" in m["Subject"]], key
    response = client_of(app, world.people["colleague"]).get(f"/meldingen/{view.notification.id}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/werk#goal-{goal_id}")


def test_a_provider_who_turned_it_off_hears_nothing_and_an_old_one_goes_when_the_goal_is_no_longer_theirs(world):
    with world.app.test_request_context():
        switch_off(world, "colleague", Topic.ASSIGNMENT_NEW)
        goal_id, assignment_id = assigned_goal(world)
        assert told(world, Topic.ASSIGNMENT_NEW) == {"provider_staff"}
    with world.app.test_request_context():
        geertje = person(world, "provider_staff")
        [note] = note_of(world, "provider_staff", Topic.ASSIGNMENT_NEW)
        before = inbox.unread_count(db.session, person=geertje)
        assert note.id in {v.notification.id for v in inbox.inbox(db.session, person=geertje)}
        assert before == len([v for v in inbox.inbox(db.session, person=geertje) if v.is_unread])
        db.session.execute(sa.update(Assignment).where(Assignment.id == assignment_id).values(status="withdrawn"))
        db.session.commit()
    with world.app.test_request_context():
        assert note.id not in {v.notification.id for v in inbox.inbox(db.session, person=geertje)}
        assert inbox.unread_count(db.session, person=geertje) == before - 1
        with pytest.raises(NotFound):
            inbox.open_notification(db.session, person=geertje, notification_id=note.id)


def change_goal(world, goal_id: str, helpers: str) -> PlanItem:
    """The professional changes the goal: its people are asked to agree to it again."""
    goal = db.session.get(PlanItem, goal_id)
    ctx = factories.context(db.session, person=person(world, "professional"), plan=db.session.get(Plan, world.plan_id))
    plans.update_item(db.session, ctx=ctx, speaker=plans.speaker_for(ctx, None), item_id=goal_id,
                      expected_version=goal.version, fields={
                          "text": goal.text, "result": goal.result, "domain": goal.domain, "youth_id": goal.youth_id,
                          "due_date": goal.due_date, "helpers": helpers})
    db.session.commit()
    return goal


def agree_all(world, goal_id: str) -> None:
    """The people whose consent the goal about the 14-year-old needs say yes: the youth and both parents."""
    for key in ("youth", "parent", "other_parent"):
        ctx = factories.context(db.session, person=person(world, key), plan=db.session.get(Plan, world.plan_id))
        agreement.decide(db.session, ctx=ctx, person_id=world.people[key], goal_id=goal_id, decision="agree")
    db.session.commit()


def test_the_agreement_on_a_goal_reaches_its_handler_alone_once_it_has_one(world):
    app = world.app
    with app.test_request_context():
        goal_id, assignment_id = assigned_goal(world)
        plan = db.session.get(Plan, world.plan_id)
        professional = person(world, "professional")
        unassigned = factories.item(db.session, plan=plan, author=professional, kind="goal",
                                    youth_id=world.people["youth"])
        agreement.ask_for_agreement(db.session, ctx=factories.context(db.session, person=professional, plan=plan))
        db.session.commit()
        agree_all(world, goal_id)
        agree_all(world, unassigned.id)
        assert told(world, Topic.GOAL_AGREEMENT, goal_id) == PROVIDER  # no handler yet: everyone of the provider
        assert told(world, Topic.GOAL_AGREEMENT, unassigned.id) == set()  # not theirs: not a word about it
        [agreed] = note_of(world, "provider_staff", Topic.GOAL_AGREEMENT)
        assert (agreed.detail, agreed.mail) == ("agreed", MailMode.NONE)  # e-mail is off unless they choose it
        ctx = factories.context(db.session, person=person(world, "other_parent"), plan=plan)
        agreement.decide(db.session, ctx=ctx, person_id=world.people["other_parent"], goal_id=goal_id,
                         decision="agree")  # once more: the same version is told once
        db.session.execute(sa.update(Assignment).where(Assignment.id == assignment_id)
                           .values(handler_id=world.people["colleague"]))
        db.session.commit()
        services.update_preferences(db.session, person=person(world, "colleague"), email="colleague@example.test",
                                    choices={(Topic.GOAL_AGREEMENT, Channel.APP): True,
                                             (Topic.GOAL_AGREEMENT, Channel.EMAIL): True})
        db.session.commit()
        goal = change_goal(world, goal_id, "Mentor en ouders")
        assert [n.detail for n in note_of(world, "provider_staff", Topic.GOAL_AGREEMENT)] == ["agreed"]
        asked = note_of(world, "colleague", Topic.GOAL_AGREEMENT)
        assert [(n.detail, n.mail) for n in asked] == [("agreed", MailMode.NONE), ("asked", MailMode.DIGEST)]
        with force_locale("fy"):
            [view] = [v for v in inbox.inbox(db.session, person=person(world, "colleague"))
                      if v.notification.id == asked[-1].id]
            assert view.text == f"It doel is feroare. It gesin wurdt op 'e nij frege om akkoard te gean: {goal.text}"
        assert mails.send_digests(db.session) >= 1
        switch_off(world, "colleague", Topic.GOAL_AGREEMENT)
        agree_all(world, goal_id)
        change_goal(world, goal_id, "Mentor")
        assert len(note_of(world, "colleague", Topic.GOAL_AGREEMENT)) == 2  # she turned it off: nothing new
    [digest] = [m for m in mails_to(app, "colleague@example.test")
                if m["Subject"] == "Dyn deistich oersjoch fan Ús Plan"]
    text = digest.get_body(("plain",)).get_content()
    assert "1 feroaring yn it akkoard oer in doel dêr'tsto by helpst" in text
    assert goal.text not in text
    response = client_of(app, world.people["colleague"]).get(f"/meldingen/{asked[-1].id}")
    assert response.headers["Location"].endswith(f"/werk#goal-{goal_id}")


def test_the_family_verdict_reaches_the_provider_in_the_daily_summary_and_a_correction_too(world):
    app = world.app
    with app.test_request_context():
        switch_off(world, "provider_staff", Topic.VERDICT_GIVEN)
        for key in ("youth", "parent", "other_parent"):
            results.judge(db.session, trajectory=world.t(key), moment="end", verdict="achieved",
                          explanation="Het gaat goed.")
            db.session.commit()
        assert told(world, Topic.VERDICT_GIVEN) == {"colleague"}  # Geertje turned it off; the family hears nothing
        [set_] = note_of(world, "colleague", Topic.VERDICT_GIVEN)
        assert (set_.item_id, set_.detail, set_.mail) == (world.goal_id, "end", MailMode.DIGEST)
        results.correct(db.session, trajectory=world.t("professional"), moment="end", verdict="partly",
                        reason="Het lukt nog niet elke dag.")
        db.session.commit()
        assert [n.detail for n in note_of(world, "colleague", Topic.VERDICT_GIVEN)] == ["end", "end_corrected"]
        goal = db.session.get(PlanItem, world.goal_id)
        with force_locale("nl"):
            texts = [v.text for v in inbox.inbox(db.session, person=person(world, "colleague"))
                     if v.notification.topic == Topic.VERDICT_GIVEN]
        assert texts == [f"De jeugdprofessional heeft het oordeel van het gezin over het doel verbeterd: {goal.text}",
                         f"Het gezin heeft zijn oordeel gegeven over het resultaat van het doel: {goal.text}"]
        family = db.session.get(Family, world.family_id).name
        assert mails.send_digests(db.session) >= 1
    [digest] = mails_to(app, "colleague@example.test")
    text = digest.get_body(("plain",)).get_content()
    assert (digest["Subject"], digest["Content-Language"]) == ("Dyn deistich oersjoch fan Ús Plan", "fy")
    assert "2 oardielen fan gesinnen oer resultaten" in text
    assert family in text  # under the family's name: the goal is theirs to see
    assert "Het gaat goed." not in text
    assert goal.text not in text
    assert mails_to(app, "provider_staff@example.test") == []
    response = client_of(app, world.people["colleague"]).get(f"/meldingen/{set_.id}")
    assert response.headers["Location"].endswith(f"/werk#goal-{world.goal_id}")


def test_a_complaint_reaches_who_may_handle_it_never_the_person_it_is_about_nor_the_family_log(world):
    app = world.app
    with app.test_request_context():
        db.session.execute(sa.update(Assignment).where(Assignment.id == world.assignment_id)
                           .values(care_started_by_id=world.people["provider_staff"]))  # Geertje gave the help
        db.session.commit()
        about = {"about": [f"provider:{world.provider_id}"], "text": "Geertje kwam drie keer niet opdagen.",
                 "about_person_id": world.people["provider_staff"], "client_id": "klacht-0001-abcd"}
        complaints.file_complaint(db.session, person=person(world, "parent"), **about)
        db.session.commit()
        complaints.file_complaint(db.session, person=person(world, "parent"), **about)  # sent again: the same one
        db.session.commit()
        assert told(world, Topic.COMPLAINT_FILED) == {"colleague"}  # not Geertje: it is about her
        [note] = note_of(world, "colleague", Topic.COMPLAINT_FILED)
        assert (note.item_id, note.detail, note.mail) == (None, world.organisation_id, MailMode.INSTANT)
        complaints.file_complaint(db.session, person=person(world, "parent"), about=["app"],
                                  text="De app is traag.", client_id="klacht-0002-abcd")
        db.session.commit()
        assert len(db.session.exec(select(Notification).where(Notification.topic == Topic.COMPLAINT_FILED)).all()) == 1
        sjoukje = person(world, "colleague")
        with force_locale("fy"):
            [view] = [v for v in inbox.inbox(db.session, person=sjoukje) if v.notification.id == note.id]
        assert view.text == "Immen hat in klacht oer dyn organisaasje yntsjinne. Begjin op 'e tiid mei de behanneling."
        assert view.family_name == db.session.get(Organisation, world.organisation_id).name  # not the family's
        db.session.commit()
    [frisian] = mails_to(app, "colleague@example.test")
    assert frisian["Subject"] == "In klacht oer dyn organisaasje"
    assert "opdagen" not in frisian.get_body(("plain",)).get_content()
    assert [m for m in mails_to(app, "provider_staff@example.test") if "klacht" in m["Subject"]] == []
    client = client_of(app, world.people["colleague"])
    assert client.get("/meldingen").status_code == 200
    response = client.get(f"/meldingen/{note.id}")
    assert response.headers["Location"].endswith("/klachten/behandelen")
    with app.test_request_context():  # reading it put nothing in the family's "who looked" log
        assert db.session.exec(select(AccessLogEntry).where(AccessLogEntry.family_id == world.family_id,
                                                            AccessLogEntry.actor_id == sjoukje.id)).all() == []
        unnamed = {"about": [f"provider:{world.provider_id}"], "text": "Het ging mis."}
        complaints.file_complaint(db.session, person=person(world, "other_parent"), client_id="klacht-0003-abcd",
                                  **unnamed)  # about nobody: not Geertje, who gives the help, while Sjoukje can
        db.session.commit()
        assert [n.detail for n in note_of(world, "colleague", Topic.COMPLAINT_FILED)] == [world.organisation_id] * 2
        switch_off(world, "colleague", Topic.COMPLAINT_FILED)
        complaints.file_complaint(db.session, person=person(world, "other_parent"), client_id="klacht-0004-abcd",
                                  **unnamed)
        db.session.commit()
        assert told(world, Topic.COMPLAINT_FILED) == {"colleague"}
        assert len(note_of(world, "colleague", Topic.COMPLAINT_FILED)) == 2  # she turned it off: nothing new
        db.session.execute(sa.delete(StaffMembership).where(StaffMembership.person_id == sjoukje.id))
        db.session.commit()
    assert client_of(app, sjoukje.id).get(f"/meldingen/{note.id}").status_code == 404  # she left: no longer hers


def test_a_published_rating_asks_the_provider_to_reply_without_naming_the_family(plan_app):
    world = RatingWorld(plan_app)  # the demo: with Sanne's, Kompas has ratings from five trajectories
    with plan_app.test_request_context():
        karin = world.person("karin")
        karin.language = "fy"
        db.session.add(karin)
        rating = ratings.save_rating(db.session, person=world.person("sanne"), assignment_id=world.help,
                                     values=dict(GOOD))
        db.session.commit()
        assert db.session.exec(select(Notification).where(Notification.topic == Topic.RATING_TO_REPLY)).all() == []
        moderation.publish(db.session, editor=world.person("jeroen"), rating_id=rating.id)
        db.session.commit()
        notes = db.session.exec(select(Notification).where(Notification.topic == Topic.RATING_TO_REPLY)).all()
        assert {n.person_id for n in notes} == {karin.id, _sjoukje().id}  # everyone at Kompas may reply
        [note] = [n for n in notes if n.person_id == karin.id]
        assert (note.item_id, note.mail) == (None, MailMode.DIGEST)
        with force_locale("nl"):
            [view] = [v for v in inbox.inbox(db.session, person=karin) if v.notification.id == note.id]
        assert view.text == "Er staat een beoordeling van je organisatie online. Je kunt erop reageren."
        family = db.session.get(Family, rating.family_id).name
        assert view.family_name == db.session.get(Organisation, note.detail).name  # Kompas, not the family
        assert inbox.unread_count(db.session, person=karin) == len(
            [v for v in inbox.inbox(db.session, person=karin) if v.is_unread])
        db.session.commit()
        assert mails.send_digests(db.session) >= 1
        switch_off(world, "karin", Topic.RATING_TO_REPLY)
        eriks = ratings.save_rating(db.session, person=world.person("erik"), assignment_id=world.help,
                                    values=dict(GOOD))
        moderation.publish(db.session, editor=world.person("jeroen"), rating_id=eriks.id)
        db.session.commit()
        karins = select(Notification).where(Notification.topic == Topic.RATING_TO_REPLY,
                                            Notification.person_id == karin.id)
        assert len(db.session.exec(karins).all()) == 1  # she switched them off; Sjoukje still hears of Erik's
    [digest] = mails_to(plan_app, "karin@demo.onsplan.invalid")
    text = digest.get_body(("plain",)).get_content()
    assert "1 beoardieling om op te reagearjen" in text
    assert family not in text
    assert "Tige tank" not in text
    client = plan_app.test_client()
    sign_in(client, "karin")
    assert client.get(f"/meldingen/{note.id}").headers["Location"].endswith("/aanbieder/beoordelingen")


def test_a_rating_the_provider_may_not_see_yet_tells_it_nothing(help_world):  # noqa: F811
    world = help_world  # one rated trajectory: under the minimum the provider sees no single rating
    with world.app.test_request_context():
        rating = ratings.save_rating(db.session, person=world.person("parent"), assignment_id=world.help,
                                     values=dict(GOOD))
        moderation.publish(db.session, editor=world.person("editor"), rating_id=rating.id)
        db.session.commit()
        assert db.session.exec(select(Notification).where(Notification.topic == Topic.RATING_TO_REPLY)).all() == []


def test_the_municipality_s_answer_through_the_api_tells_the_provider_once(api):  # noqa: F811
    app = api.app
    world = PlanWorld(app)
    with app.test_request_context():
        goal = world.item("goal", domain="school")
        assignments.choose_offer(db.session, ctx=world.ctx("tom"), goal_id=goal.id,
                                 offer_id=fitting_offer(app, age=14, organisation_of=world.people["karin"]))
        reference = assignments.confirm(db.session, ctx=world.ctx("mark"), goal_id=goal.id,
                                        requested_start=today() + timedelta(days=1)).reference
        db.session.commit()
    body = {"decision": "assigned", "assignment_number": 2026778, "start": today().isoformat(),
            "request_id": new_id()}
    for _ in range(2):  # the second is a replay of the same request
        assert api.call("POST", f"/assignments/{reference}/decision", body).status_code == 200
    with app.app_context():
        rows = db.session.exec(select(Notification).where(Notification.topic == Topic.ASSIGNMENT_NEW)).all()
        assert sorted((n.person_id, n.item_id) for n in rows) == sorted(  # everyone at Kompas, once each
            [(world.people["karin"], goal.id), (_sjoukje().id, goal.id)])
    [mail] = [m for m in mails_to(app, "karin@demo.onsplan.invalid") if "organisatie" in m["Subject"]]
    assert mail["Subject"] == "Er is een doel aan je organisatie toegewezen"


def test_the_settings_page_asks_each_person_only_about_their_own_topics(plan_app):
    world = PlanWorld(plan_app)
    karin = plan_app.test_client()
    sign_in(karin, "karin")
    page = karin.get("/meldingen/instellingen").get_data(as_text=True)
    assert 'id="assignment_new_email"' in page
    assert 'id="rating_to_reply_app"' in page
    assert 'id="agreement_asked_app"' not in page
    assert 'id="goal_changed_app"' not in page
    assert "Je werkt bij een zorgaanbieder" in page
    sanne = plan_app.test_client()
    sign_in(sanne, "sanne")
    page = sanne.get("/meldingen/instellingen?lang=nl").get_data(as_text=True)
    assert 'id="agreement_asked_app"' in page
    assert 'id="assignment_new_app"' not in page
    jeroen = plan_app.test_client()
    sign_in(jeroen, "jeroen")
    page = jeroen.get("/meldingen/instellingen").get_data(as_text=True)
    assert "Hier is niets te kiezen." in page
    assert 'id="settings_form-save"' not in page
    data = {"csrf_token": csrf_token(karin, "/meldingen/instellingen"), "assignment_new_app": "y",
            "email": "karin@demo.onsplan.invalid"}
    assert karin.post("/meldingen/instellingen", data=data).status_code == 303
    with plan_app.app_context():
        saved = db.session.exec(select(NotificationPreference).where(
            NotificationPreference.person_id == world.people["karin"])).all()
        assert {row.topic for row in saved} == {t.value for t in (Topic.ASSIGNMENT_NEW, Topic.GOAL_AGREEMENT,
                                                                  Topic.VERDICT_GIVEN, Topic.COMPLAINT_FILED,
                                                                  Topic.RATING_TO_REPLY)}  # no family topic
        assert {(row.topic, row.channel) for row in saved if row.is_on} == {("assignment_new", "app")}


def _sjoukje() -> Person:
    """Karin's colleague at Kompas in the demo (app/demo/provider_work.py)."""
    return db.session.exec(select(Person).where(Person.given_name == "Sjoukje", Person.family_name == "Kuipers")).one()
