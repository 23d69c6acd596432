"""The header's unread count (app.notifications.unread): one query, and exactly what the inbox would show; nobody
counts a notice about an item hidden from them, whatever made it hidden and whenever."""

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import g
from sqlmodel import select

from app.catalog.models import Assignment
from app.core import clock
from app.dossier.destruction import destroy_items
from app.extensions import db
from app.identity.models import Membership, Person, StaffMembership
from app.notifications import inbox, services, unread
from app.notifications.models import GoalFollow, Notification, Topic
from app.plans import services as plans
from app.plans.models import PlanItem
from tests import factories
from tests.conftest import sign_in
from tests.notifications.test_services import change_goal, made_family
from tests.plans.conftest import PlanWorld

FAMILY = ("sanne", "erik", "tom", "lisa", "noor", "fenna", "mark")


def as_the_inbox_decides(person: Person) -> int:
    """The count the slow, sure way: the inbox's own check on the newest unread notifications, in a fresh state."""
    g.pop("plan_context", None)
    db.session.expire_all()
    rows = db.session.exec(select(Notification).where(Notification.person_id == person.id, Notification.in_app,
                                                      Notification.read_at.is_(None))
                           .order_by(Notification.id.desc()).limit(unread.LIMIT)).all()
    return len(inbox._still_theirs(db.session, person, list(rows))[0])


def header_count(client) -> int:
    """The number the header shows (none shown: 0)."""
    found = re.search(r'notifications-link__count">(\d+)<', client.get("/meldingen/teller").get_data(as_text=True))
    return int(found.group(1)) if found else 0


def notify_everyone_of_everything(world: PlanWorld) -> None:
    """An unread notice for every family member and Karin (provider staff) about every item of the plan, and one
    about the plan itself: far more than anyone may see, so the count's own decisions are what is tested."""
    plan_id = db.session.get(PlanItem, world.item("goal").id).plan_id
    family_id = world.ctx("mark").plan.family_id
    items = db.session.exec(select(PlanItem).where(PlanItem.plan_id == plan_id)).all()
    for key in FAMILY:
        person_id = world.people[key]
        db.session.add(Notification(person_id=person_id, family_id=family_id, plan_id=plan_id,
                                    topic=Topic.AGREEMENT_ASKED))
        for item in items:
            db.session.add(Notification(person_id=person_id, family_id=family_id, plan_id=plan_id,
                                        topic=Topic.GOAL_CHANGED, item_id=item.id, detail="update"))
    karin = world.people["karin"]
    for item in items:
        db.session.add(Notification(person_id=karin, family_id=family_id, plan_id=plan_id, item_id=item.id,
                                    topic=Topic.ASSIGNMENT_NEW if item.kind == "goal" else Topic.VERDICT_GIVEN))
    for organisation_id in (organisation_of(karin), organisation_of(world.people["mark"])):
        db.session.add(Notification(person_id=karin, family_id=family_id, plan_id=plan_id,
                                    topic=Topic.COMPLAINT_FILED, detail=organisation_id))
    db.session.commit()


def organisation_of(person_id: str) -> str:
    return db.session.exec(select(StaffMembership.organisation_id)
                           .where(StaffMembership.person_id == person_id)).first()


def counts(world: PlanWorld) -> dict[str, tuple[int, int]]:
    """(the header's count, the inbox's) for each person."""
    found = {}
    for key in (*FAMILY, "karin"):
        person = db.session.get(Person, world.people[key])
        found[key] = (inbox.unread_count(db.session, person=person), as_the_inbox_decides(person))
    return found


def test_the_count_is_what_the_inbox_decides_for_everyone_under_every_rule(any_plan_app):
    """Every item kind, for every role, through withholding, custody, sharing at 16, releasing, birthdays (the ages
    moved in the database, as time moves them) and a youth leaving the family."""
    world = PlanWorld(any_plan_app)
    with any_plan_app.test_request_context():
        notify_everyone_of_everything(world)
        tom, lisa, noor = (world.people[key] for key in ("tom", "lisa", "noor"))
        first_assigned = db.session.exec(select(Assignment.id).where(
            Assignment.plan_id == world.plan_id, Assignment.status == "assigned",
            Assignment.organisation_id == organisation_of(world.people["karin"]))).first()
        changes = [
            [],
            [sa.update(PlanItem).where(PlanItem.youth_id == tom).values(withheld_from_parents=True),
             sa.update(Membership).where(Membership.person_id == world.people["erik"]).values(has_custody=False),
             sa.update(PlanItem).where(PlanItem.kind.in_(("goal", "worry"))).values(released_to_non_custody=True)],
            [sa.update(Person).where(Person.id == tom).values(birthdate=clock.years_ago(17)),
             sa.update(Person).where(Person.id == noor).values(birthdate=clock.years_ago(13)),
             sa.update(PlanItem).where(PlanItem.youth_id == lisa, PlanItem.kind == "goal")
             .values(shared_with_parents=True),
             sa.update(PlanItem).where(PlanItem.youth_id == noor).values(withheld_from_parents=True)],
            [sa.update(PlanItem).where(PlanItem.kind == "action").values(owner_id=world.people["fenna"]),
             sa.update(PlanItem).where(PlanItem.youth_id == lisa).values(author_youth_age=16, shared_with_parents=None),
             sa.delete(Membership).where(Membership.person_id == noor),
             sa.update(Assignment).where(Assignment.id == first_assigned).values(status="withdrawn")],
            [sa.delete(StaffMembership).where(StaffMembership.person_id == world.people["karin"])],
        ]
        seen = []
        for step, statements in enumerate(changes):
            for statement in statements:
                db.session.execute(statement)
            db.session.commit()
            found = counts(world)
            assert all(fast == sure for fast, sure in found.values()), (step, found)
            seen.append({key: fast for key, (fast, _sure) in found.items()})
        total = seen[0]["mark"]  # the professional sees every notice; the others each see fewer
        assert total == len(db.session.exec(select(Notification.id).where(
            Notification.person_id == world.people["mark"], Notification.read_at.is_(None))).all()) > 20
        assert all(seen[0][key] < total for key in ("sanne", "tom", "lisa", "noor", "fenna", "karin"))
        assert seen[1]["erik"] < seen[0]["erik"]  # without custody: only what was released
        assert seen[1]["sanne"] < seen[0]["sanne"]  # Tom's items withheld
        assert seen[2]["sanne"] != seen[1]["sanne"]  # Tom at 17, Noor at 13, Lisa's goals shared
        assert seen[3]["noor"] == 0  # she left the family: nothing of it counts for her
        assert seen[3]["fenna"] > seen[2]["fenna"]  # every task hers now
        assert seen[0]["karin"] >= 2  # a goal assigned to her organisation, and a complaint about it; not Mark's
        assert seen[3]["karin"] == seen[2]["karin"] - 1  # the goal's help withdrawn
        assert seen[4]["karin"] == 0  # no longer provider staff


def test_a_notice_counts_when_made_and_stops_when_read(any_plan_app):
    world = PlanWorld(any_plan_app)
    client = any_plan_app.test_client()
    sign_in(client, "sanne")
    with any_plan_app.test_request_context():
        sanne = db.session.get(Person, world.people["sanne"])
        before = header_count(client)
        assert before == inbox.unread_count(db.session, person=sanne)
        goal = world.item("goal", youth_id=world.people["tom"], domain="school")
        db.session.merge(GoalFollow(person_id=sanne.id, item_id=goal.id, is_following=True))
        db.session.commit()
        change_goal(db.session.get(Person, world.people["mark"]), world.ctx("mark").plan, goal.id, helpers="Mentor")
        assert header_count(client) == before + 1
        newest = db.session.exec(select(Notification).where(Notification.person_id == sanne.id)
                                 .order_by(Notification.id.desc())).first()
        assert newest.item_id == goal.id
    assert client.get(f"/meldingen/{newest.id}").status_code == 303  # opened: read
    assert header_count(client) == before
    with any_plan_app.test_request_context():
        inbox.mark_all_read(db.session, person=db.session.get(Person, world.people["sanne"]))
        db.session.commit()
    assert header_count(client) == 0


def test_a_withheld_item_stops_counting_and_counts_again_when_the_withholding_ends(any_plan_app):
    world = PlanWorld(any_plan_app)
    client = any_plan_app.test_client()
    sign_in(client, "sanne")
    with any_plan_app.test_request_context():
        school = world.item("goal", youth_id=world.people["tom"], domain="school")
        assert db.session.exec(select(Notification).where(Notification.item_id == school.id,
                                                          Notification.person_id == world.people["sanne"],
                                                          Notification.read_at.is_(None))).first() is not None
        before = header_count(client)
        plans.set_visibility(db.session, ctx=world.ctx("mark"), item_id=school.id, change="withhold",
                             reason="Tom wil dit eerst zelf vertellen.",
                             consulted="Hiske de Vries, gedragswetenschapper", opinion="Eens: eerst met Tom.")
        db.session.commit()
        assert header_count(client) == before - 1
        plans.set_visibility(db.session, ctx=world.ctx("mark"), item_id=school.id, change="unwithhold")
        db.session.commit()
        assert header_count(client) == before


def test_a_parent_stops_counting_a_notice_the_day_the_youth_turns_16_without_any_write(any_bare_app, monkeypatch):
    world = made_family(any_bare_app, [15])
    parent, youth, professional = world.parents[0], world.youths[0], world.professional
    with any_bare_app.test_request_context():
        db.session.execute(sa.update(Person).where(Person.id == youth.id)
                           .values(birthdate=clock.years_ago(16, days_extra=-1)))  # 16 tomorrow
        db.session.commit()
        plan = db.session.merge(world.plan)
        goal = factories.item(db.session, plan=plan, author=professional, kind="goal", youth_id=youth.id)
        db.session.add(GoalFollow(person_id=parent.id, item_id=goal.id, is_following=True))
        db.session.commit()
        change_goal(professional, plan, goal.id, helpers="Mentor")
        parent = db.session.get(Person, parent.id)
        assert inbox.unread_count(db.session, person=parent) == 1 == as_the_inbox_decides(parent)
        youth = db.session.get(Person, youth.id)
        mine = inbox.unread_count(db.session, person=youth)

        class Tomorrow(datetime):
            @classmethod
            def now(cls, tz=None):
                return datetime.now(tz) + timedelta(days=1)

        monkeypatch.setattr(clock, "datetime", Tomorrow)
        db.session.expire_all()
        assert inbox.unread_count(db.session, person=parent) == 0 == as_the_inbox_decides(parent)
        assert inbox.unread_count(db.session, person=youth) == mine  # hers: she still sees it


def test_a_destroyed_item_and_a_member_who_left_count_nothing(any_plan_app):
    world = PlanWorld(any_plan_app)
    client = any_plan_app.test_client()
    sign_in(client, "sanne")
    with any_plan_app.test_request_context():
        sanne = db.session.get(Person, world.people["sanne"])
        school = world.item("goal", youth_id=world.people["tom"], domain="school")
        about = db.session.exec(select(Notification.id).where(Notification.item_id == school.id,
                                                              Notification.person_id == sanne.id,
                                                              Notification.read_at.is_(None))).all()
        assert about
        before = header_count(client)
        destroy_items(db.session, [school.id])
        db.session.commit()
        assert header_count(client) == before - len(about) == as_the_inbox_decides(sanne)
        mark = db.session.get(Person, world.people["mark"])
        assert inbox.unread_count(db.session, person=mark) > 0
        db.session.execute(sa.delete(Membership).where(Membership.person_id == mark.id))  # he left the family
        db.session.commit()
        assert inbox.unread_count(db.session, person=mark) == 0 == as_the_inbox_decides(mark)


def test_the_count_asks_one_statement_of_a_family_member_and_two_of_provider_staff(plan_app):
    """Family members' notices are decided from the one statement's rows, provider staff's with a second (which of
    their notices are still their organisation's); only what hangs on another item (a progress note, a reaction)
    goes the inbox's way."""
    world = PlanWorld(plan_app)
    with plan_app.app_context():
        engine = db.engine
    with plan_app.test_request_context():
        notify_everyone_of_everything(world)
        for note in db.session.exec(select(PlanItem).where(PlanItem.kind.in_(sorted(unread.HANGING_KINDS)))).all():
            db.session.execute(sa.delete(Notification).where(Notification.item_id == note.id))
        db.session.commit()
        for key, asked in (("sanne", 1), ("tom", 1), ("fenna", 1), ("mark", 1), ("karin", 2)):
            person = db.session.get(Person, world.people[key])
            count, statements = statements_of(engine, lambda p=person: inbox.unread_count(db.session, person=p))
            assert len(statements) == asked, (key, statements)
            assert count == as_the_inbox_decides(person) > 0


def statements_of(engine, work) -> tuple:
    """What `work()` returns, and the SQL statements it sent."""
    statements = []

    def listener(*args) -> None:
        statements.append(args[2])

    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        return work(), statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


@pytest.mark.parametrize("kind", ["note", "reaction"])
def test_a_notice_about_a_note_or_reaction_counts_as_its_goal_allows(plan_app, kind):
    """What hangs on a goal is seen only by who sees the goal: withholding the goal hides the notice about it."""
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        item = db.session.exec(select(PlanItem).where(PlanItem.kind == kind)).first()
        goal_id = item.goal_id or db.session.get(PlanItem, item.reply_to_id).goal_id
        sanne = db.session.get(Person, world.people["sanne"])
        services.write(db.session, family_id=world.ctx("mark").plan.family_id, plan_id=world.plan_id,
                       people=[(sanne, services.MailMode.NONE)], topic=Topic.GOAL_CHANGED, item_id=item.id)
        db.session.commit()
        before = inbox.unread_count(db.session, person=sanne)
        assert before == as_the_inbox_decides(sanne)
        db.session.execute(sa.update(PlanItem).where(PlanItem.id == goal_id).values(withheld_from_parents=True))
        db.session.execute(sa.update(PlanItem).where(PlanItem.id == goal_id).values(
            youth_id=world.people["tom"]))
        db.session.commit()
        db.session.expire_all()
        assert inbox.unread_count(db.session, person=sanne) == before - 1 == as_the_inbox_decides(sanne)
