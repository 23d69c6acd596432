"""Who hears about what: the triggers, the age rules, preferences, e-mails in each person's language, the jobs."""

import re
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from sqlmodel import select

from app.core import mail as core_mail
from app.core.clock import today
from app.core.errors import NotFound
from app.extensions import db
from app.notifications import inbox, mails, services
from app.notifications.models import Channel, GoalFollow, MailMode, Notification, Topic
from app.plans import agreement
from app.plans import services as plans
from app.plans.models import PlanStatus
from tests import factories
from tests.plans.conftest import PlanWorld


def notified(world: PlanWorld, topic: str, item_id: str | None = None) -> set[str]:
    """The persona keys with a notification of this topic (about this item)."""
    keys = {person_id: key for key, person_id in world.people.items()}
    statement = select(Notification).where(Notification.topic == topic)
    if item_id:
        statement = statement.where(Notification.item_id == item_id)
    return {keys[n.person_id] for n in db.session.exec(statement).all()}


def mails_to(app, address: str) -> list:
    folder = Path(app.config["MAIL_DIR"])
    messages = [BytesParser(policy=policy.default).parsebytes(path.read_bytes()) for path in folder.glob("*.eml")]
    return [m for m in messages if m["To"] == address]


def edit_goal(world: PlanWorld, key: str, goal, **changes) -> None:
    ctx = world.ctx(key)
    fields = {"text": goal.text, "result": goal.result, "domain": goal.domain, "youth_id": goal.youth_id,
              "due_date": goal.due_date, "helpers": goal.helpers, **changes}
    plans.update_item(db.session, ctx=ctx, speaker=plans.speaker_for(ctx, None), item_id=goal.id,
                      expected_version=goal.version, fields=fields)
    db.session.commit()


def test_asking_for_agreement_tells_everyone_whose_yes_is_missing_sanne_in_frisian(any_plan_app):
    world = PlanWorld(any_plan_app)
    with any_plan_app.test_request_context():
        # The demo seed asked through agreement.ask_for_agreement: Noor (9) is heard but does not consent,
        # Fenna (network) and Mark (who asked) are not asked.
        assert notified(world, Topic.AGREEMENT_ASKED) == {"sanne", "erik", "tom", "lisa"}
    [frisian] = mails_to(any_plan_app, "sanne@demo.onsplan.invalid")
    assert frisian["Subject"] == "Dyn akkoard wurdt frege foar it gesinsplan"
    assert frisian["Content-Language"] == "fy"
    text = frisian.get_body(("plain",)).get_content()
    assert text.startswith("Hoi Sanne,")
    assert "/meldingen/" in text
    html = frisian.get_body(("html",)).get_content()
    assert 'lang="fy"' in html
    for family_words in ("Tom gaat weer", "wiskunde", "tillefoan", "De Boer-Hoekstra"):
        assert family_words not in text + html  # privacy by default: no family text, sign in to read it
    [dutch] = mails_to(any_plan_app, "erik@demo.onsplan.invalid")
    assert dutch["Subject"] == "Je akkoord wordt gevraagd voor het gezinsplan"


def test_fixing_the_plan_tells_everyone_who_may_open_it_but_not_who_fixed_it(any_plan_app):
    world = PlanWorld(any_plan_app)
    with any_plan_app.test_request_context():
        school = world.item("goal", youth_id=world.people["tom"], domain="school")
        switch = world.item("goal", youth_id=world.people["tom"], domain="parenting")
        for key, goal in [("erik", school), ("tom", school), ("erik", switch), ("erik", None), ("tom", None),
                          ("lisa", None)]:
            agreement.decide(db.session, ctx=world.ctx(key), person_id=world.people[key],
                             goal_id=goal.id if goal else None, decision="agree")
            db.session.commit()
        assert world.ctx("mark").plan.status == PlanStatus.FIXED
        # Lisa's yes fixed it; Fenna (network) only sees her own task, not the plan as such.
        assert notified(world, Topic.PLAN_FIXED) == {"sanne", "erik", "tom", "noor", "mark"}
        modes = {n.person_id: n.mail for n in db.session.exec(select(Notification)
                                                                .where(Notification.topic == Topic.PLAN_FIXED))}
        assert modes[world.people["mark"]] == MailMode.DIGEST  # a professional gets a digest, not a flood
        assert modes[world.people["sanne"]] == MailMode.INSTANT
    assert [m["Subject"] for m in mails_to(any_plan_app, "sanne@demo.onsplan.invalid")
            if "fêststeld" in m["Subject"]] == ["It gesinsplan is fêststeld"]
    assert not [m for m in mails_to(any_plan_app, "mark@demo.onsplan.invalid")]


def test_a_goal_change_reaches_its_followers_and_not_the_one_who_made_it(any_plan_app):
    world = PlanWorld(any_plan_app)
    with any_plan_app.test_request_context():
        switch = world.item("goal", youth_id=world.people["tom"], domain="parenting")
        edit_goal(world, "sanne", switch, result="Een weekrooster op de koelkast.")
        # Mark wrote it, it is about Tom, Erik has a task under it and agreed; Sanne made the change.
        assert notified(world, Topic.GOAL_CHANGED, switch.id) == {"mark", "tom", "erik"}
        change = db.session.exec(select(Notification).where(Notification.item_id == switch.id,
                                                            Notification.person_id == world.people["erik"])).one()
        assert (change.detail, change.actor_id, change.mail) == ("update", world.people["sanne"], MailMode.NONE)
        [view] = [v for v in inbox.inbox(db.session, person=_person(world, "erik")) if v.notification.id == change.id]
        assert view.text == f"Sanne heeft het doel veranderd: {switch.text}"
        assert view.anchor == f"item-{switch.id}"


def _person(world: PlanWorld, key: str):
    from app.identity.models import Person

    return db.session.get(Person, world.people[key])


def made_family(flask_app, youth_ages: list[int]) -> factories.FamilyWorld:
    """A family made for the test: a parent with custody, youths of these ages, the professional."""
    with flask_app.test_request_context(), db.new_session() as session:
        return factories.family(session, youth_ages=youth_ages)


def change_goal(person, plan, goal_id: str, **changes) -> None:
    """Change a goal as this person, through the plan's own service."""
    from app.plans.models import PlanItem

    ctx = factories.context(db.session, person=person, plan=plan)
    goal = db.session.get(PlanItem, goal_id)
    fields = {"text": goal.text, "result": goal.result, "domain": goal.domain, "youth_id": goal.youth_id,
              "due_date": goal.due_date, "helpers": goal.helpers, **changes}
    plans.update_item(db.session, ctx=ctx, speaker=plans.speaker_for(ctx, None), item_id=goal.id,
                      expected_version=goal.version, fields=fields)
    db.session.commit()


def told_about(goal_id: str) -> set[str]:
    return set(db.session.exec(select(Notification.person_id).where(Notification.topic == Topic.GOAL_CHANGED,
                                                                    Notification.item_id == goal_id)).all())


def test_a_parent_is_not_told_about_a_goal_a_youth_of_16_keeps_private_the_youth_is(any_bare_app):
    world = made_family(any_bare_app, [15, 16])
    parent, fifteen, sixteen, professional = world.parents[0], *world.youths, world.professional
    with any_bare_app.test_request_context():
        plan = db.session.merge(world.plan)
        calm = factories.item(db.session, plan=plan, author=professional, kind="goal", youth_id=sixteen.id)
        school = factories.item(db.session, plan=plan, author=professional, kind="goal", youth_id=fifteen.id)
        db.session.commit()
        with pytest.raises(NotFound):  # what she may not see, she cannot follow either
            services.set_following(db.session, ctx=factories.context(db.session, person=parent, plan=plan),
                                   item_id=calm.id, follow=True)
        db.session.rollback()
        services.set_following(db.session, ctx=factories.context(db.session, person=parent, plan=plan),
                               item_id=school.id, follow=True)  # about her 15-year-old: she may
        db.session.add(GoalFollow(person_id=parent.id, item_id=calm.id, is_following=True))
        db.session.commit()
        change_goal(professional, plan, calm.id, helpers="Psycholoog en mentor")
        change_goal(professional, plan, school.id, helpers="Mentor")
        assert told_about(calm.id) == {sixteen.id}
        assert told_about(school.id) == {fifteen.id, parent.id}


def test_an_old_notification_disappears_when_the_item_is_withheld_later(any_plan_app):
    world = PlanWorld(any_plan_app)
    with any_plan_app.test_request_context():
        sanne = _person(world, "sanne")
        school = world.item("goal", youth_id=world.people["tom"], domain="school")
        about_school = db.session.exec(select(Notification).where(Notification.item_id == school.id,
                                                                  Notification.person_id == sanne.id)).one()
        before = inbox.unread_count(db.session, person=sanne)
        assert about_school.id in [v.notification.id for v in inbox.inbox(db.session, person=sanne)]
        plans.set_visibility(db.session, ctx=world.ctx("mark"), item_id=school.id, change="withhold",
                             reason="Tom wil dit eerst zelf vertellen.",
                             consulted="Hiske de Vries, gedragswetenschapper", opinion="Eens: eerst met Tom.")
        db.session.commit()
        assert about_school.id not in [v.notification.id for v in inbox.inbox(db.session, person=sanne)]
        assert inbox.unread_count(db.session, person=sanne) == before - 1
        with pytest.raises(NotFound):
            inbox.open_notification(db.session, person=sanne, notification_id=about_school.id)


def test_with_everything_off_nothing_is_made_and_email_off_keeps_it_in_the_app(any_plan_app):
    world = PlanWorld(any_plan_app)
    with any_plan_app.test_request_context():
        erik, tom = _person(world, "erik"), _person(world, "tom")
        choices = {(topic, channel): True for topic in Topic for channel in Channel}
        services.update_preferences(db.session, person=erik, email=erik.email,
                                    choices=choices | {(Topic.GOAL_CHANGED, Channel.APP): False,
                                                       (Topic.GOAL_CHANGED, Channel.EMAIL): False})
        services.update_preferences(db.session, person=tom, email=tom.email, choices=choices | {
            (Topic.GOAL_CHANGED, Channel.APP): True, (Topic.GOAL_CHANGED, Channel.EMAIL): True})
        db.session.commit()
        switch = world.item("goal", youth_id=world.people["tom"], domain="parenting")
        edit_goal(world, "sanne", switch, helpers="Sanne, Erik, Mark en beppe")
        changed = select(Notification).where(Notification.item_id == switch.id, Notification.detail == "update")
        assert {n.person_id for n in db.session.exec(changed)} == {world.people["mark"], world.people["tom"]}
        for_tom = db.session.exec(select(Notification).where(Notification.item_id == switch.id,
                                                             Notification.person_id == tom.id,
                                                             Notification.detail == "update")).one()
        assert for_tom.mail == MailMode.INSTANT
        assert for_tom.emailed_at is not None
    [mail] = [m for m in mails_to(any_plan_app, "tom@demo.onsplan.invalid") if "doel" in m["Subject"]]
    assert mail["Subject"] == "Een doel dat je volgt in het gezinsplan is veranderd"


def test_following_and_unfollowing_a_goal(bare_app):
    world = made_family(bare_app, [9, 14])
    with bare_app.test_request_context():
        plan, (child, youth), parent = db.session.merge(world.plan), world.youths, world.parents[0]
        sport, _tasks = factories.goal_with_actions(db.session, plan=plan, author=world.professional, youth=child,
                                                    owners=[parent])  # she has a task under it
        school = factories.item(db.session, plan=plan, author=world.professional, kind="goal", youth_id=youth.id)
        db.session.commit()
        assert youth.id in services.goal_followers(db.session, goal=school)  # it is about him
        assert parent.id not in services.goal_followers(db.session, goal=school)  # no task, no answer, no choice
        services.set_following(db.session, ctx=factories.context(db.session, person=youth, plan=plan),
                               item_id=school.id, follow=False)
        db.session.commit()
        assert youth.id not in services.goal_followers(db.session, goal=school)  # his own choice wins
        assert services.followed_goal_ids(db.session, person_id=parent.id, goals=[sport]) == {sport.id}
        services.set_following(db.session, ctx=factories.context(db.session, person=parent, plan=plan),
                               item_id=sport.id, follow=False)
        db.session.commit()
        assert services.followed_goal_ids(db.session, person_id=parent.id, goals=[sport]) == set()


def test_due_reminders_once_per_action_per_day_and_idempotent(any_plan_app):
    world = PlanWorld(any_plan_app)
    with any_plan_app.test_request_context():
        # The seed ran today's job: Lisa's appointment with the GP was due three days ago.
        lisa_late = db.session.exec(select(Notification).where(Notification.topic == Topic.ACTION_DUE,
                                                               Notification.person_id == world.people["lisa"])).one()
        assert lisa_late.detail == "overdue"
        assert services.actions_due(db.session) == []  # a second run today adds nothing
        # Erik's week schedule is due 14 days after the seed (the seeded template may be from before midnight)
        day = world.item("action", owner_id=world.people["erik"]).due_date - timedelta(days=1)
        made = services.actions_due(db.session, on=day)
        erik = [n for n in made if n.person_id == world.people["erik"]]
        assert [n.detail for n in erik] == ["tomorrow"]
        assert services.actions_due(db.session, on=day) == []
        assert [n.detail for n in services.actions_due(db.session, on=day + timedelta(days=1))
                if n.person_id == world.people["erik"]] == ["today"]
        db.session.commit()
        # Fenna's task is about Noor, but it is hers: she is reminded (and only she).
        made = services.actions_due(db.session, on=today() + timedelta(days=60))
        assert {n.person_id for n in made if n.item_id == world.item("action", owner_id=world.people["fenna"]).id} \
            == {world.people["fenna"]}


def test_the_due_cli_and_the_digest_cli_are_idempotent(plan_app):
    runner = plan_app.test_cli_runner()
    assert runner.invoke(args=["notifications", "due"]).output.strip() == "0 reminders."  # the seed ran it today
    first = runner.invoke(args=["notifications", "digest"])
    assert first.exit_code == 0
    assert first.output.strip() == "1 digests sent."
    assert runner.invoke(args=["notifications", "digest"]).output.strip() == "0 digests sent."
    [digest] = mails_to(plan_app, "mark@demo.onsplan.invalid")
    assert digest["Subject"] == "Je dagelijkse overzicht van Ons Plan"
    text = digest.get_body(("plain",)).get_content()
    assert "Gezin Dijkstra" in text
    assert "Gezin Postma" in text
    assert "1 herinnering over iets wat je doet" in text
    assert "Gesprek met school" not in text  # counts and kinds, not the family's words


def test_a_mail_that_could_not_be_sent_is_sent_by_the_retry(plan_app):
    world = PlanWorld(plan_app)
    plan_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9)  # nothing listens: the send fails
    with plan_app.test_request_context():
        switch = world.item("goal", youth_id=world.people["tom"], domain="parenting")
        services.update_preferences(db.session, person=_person(world, "erik"), email="erik@example.test",
                                    choices={(t, c): True for t in Topic for c in Channel})
        db.session.commit()
        edit_goal(world, "sanne", switch, helpers="Iedereen")
        pending = db.session.exec(select(Notification).where(Notification.item_id == switch.id,
                                                             Notification.person_id == world.people["erik"])).one()
        db.session.refresh(pending)
        assert pending.emailed_at is None
    plan_app.config.update(MAIL_SERVER=None)
    result = plan_app.test_cli_runner().invoke(args=["notifications", "send"])
    assert result.output.strip() == "1 e-mails sent."
    assert len(mails_to(plan_app, "erik@example.test")) == 1
    assert plan_app.test_cli_runner().invoke(args=["notifications", "send"]).output.strip() == "0 e-mails sent."


def test_a_rolled_back_change_notifies_nobody(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        before = len(list(Path(plan_app.config["MAIL_DIR"]).glob("*.eml")))
        ctx = world.ctx("mark")
        agreement_ids = db.session.exec(select(Notification.id)).all()
        asked = services.agreement_asked(db.session, ctx=ctx, person_ids={person.id for _, person in ctx.rows})
        assert asked  # there was something to roll back
        db.session.rollback()
        assert db.session.exec(select(Notification.id)).all() == agreement_ids
        late = Notification(topic="action_due", detail="overdue", person_id="", family_id="", plan_id="")
        assert mails.subject_for(late) == "Iets wat jij doet in het gezinsplan is te laat"
    assert len(list(Path(plan_app.config["MAIL_DIR"]).glob("*.eml"))) == before


def test_the_notify_process_sends_the_digest_once_a_day_from_the_set_time(plan_app):
    runner = plan_app.test_cli_runner()
    before = runner.invoke(args=["notifications", "run", "--once", "--at", "23:59"])
    assert before.exit_code == 0, before.output
    if "digests" not in before.output:  # not yet 23:59 here: nothing daily happened
        assert mails_to(plan_app, "mark@demo.onsplan.invalid") == []
    due = runner.invoke(args=["notifications", "run", "--once", "--at", "00:00"])
    assert due.exit_code == 0, due.output
    assert "1 digests." in due.output or "digests" in before.output
    assert len(mails_to(plan_app, "mark@demo.onsplan.invalid")) == 1
    again = runner.invoke(args=["notifications", "run", "--once", "--at", "00:00"])
    assert "0 digests." in again.output  # a new process runs the day's round again, and finds nothing new
    assert len(mails_to(plan_app, "mark@demo.onsplan.invalid")) == 1


def test_the_header_count_is_the_number_of_unread_notifications_the_inbox_shows(any_plan_app):
    from app.identity.models import Person

    world = PlanWorld(any_plan_app)
    with any_plan_app.test_request_context():
        for key in ("sanne", "erik", "tom", "lisa", "noor", "fenna", "mark"):
            person = db.session.get(Person, world.people[key])
            shown = [view for view in inbox.inbox(db.session, person=person) if view.is_unread]
            assert inbox.unread_count(db.session, person=person) == len(shown), key
        mark = db.session.get(Person, world.people["mark"])
        assert inbox.unread_count(db.session, person=mark) > 0  # the fast path for professionals is exercised


def test_a_divided_family_asks_the_professional_for_a_conversation_by_his_email_choice(bare_app):
    from flask_babel import force_locale

    from app.results import services as results
    from tests.results.conftest import JudgingWorld

    world = JudgingWorld(bare_app)  # a family whose help for the goal about their youth of 14 ended
    with bare_app.test_request_context():
        mark = _person(world, "professional")
        services.update_preferences(db.session, person=mark, email="hiske@example.test", choices={
            (Topic.GOAL_CHANGED, Channel.APP): True, (Topic.GOAL_CHANGED, Channel.EMAIL): True})
        db.session.commit()
        for key, verdict in [("youth", "achieved"), ("parent", "not_achieved"), ("other_parent", "achieved")]:
            results.judge(db.session, trajectory=world.t(key), moment="end", verdict=verdict, explanation="Zo.")
            db.session.commit()
        [note] = db.session.exec(select(Notification).where(Notification.detail == "divided")).all()
        assert (note.person_id, note.topic, note.mail) == (mark.id, Topic.GOAL_CHANGED, MailMode.DIGEST)
        assert notified(world, "goal_changed", world.goal_id) >= {"professional"}
        assert {n.person_id for n in db.session.exec(select(Notification).where(
            Notification.detail == "divided")).all()} == {mark.id}  # not the family, not the provider
        with force_locale("nl"):
            assert mails.subject_for(note) == "Een gezin is het niet eens over het resultaat van een doel"
            assert "Zo." not in mails.body_for(note)  # no family words in an e-mail


def test_a_mail_sent_during_a_request_links_to_the_host_the_person_used_and_a_job_to_site_url(plan_app):
    world = PlanWorld(plan_app)
    plan_app.config["SITE_URL"] = "https://jobs.example.nl"
    with plan_app.test_request_context(base_url="https://onsplan.example.nl/"):
        tom = _person(world, "tom")
        choices = {(topic, channel): True for topic in Topic for channel in Channel}
        services.update_preferences(db.session, person=tom, email=tom.email, choices=choices)
        db.session.commit()
        switch = world.item("goal", youth_id=world.people["tom"], domain="parenting")
        edit_goal(world, "sanne", switch, helpers="Sanne, Erik, Mark en beppe")
    [mail] = [m for m in mails_to(plan_app, "tom@demo.onsplan.invalid") if "doel" in m["Subject"]]
    links = re.findall(r"https?://[^\s\"<>]+", mail.get_body(("plain",)).get_content())
    assert links
    assert all(link.startswith("https://onsplan.example.nl/meldingen") for link in links)
    with plan_app.app_context():  # a job (no request) keeps using SITE_URL
        assert core_mail.site_url() == "https://jobs.example.nl"
