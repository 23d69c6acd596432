"""Ratings rules without HTTP: who may rate, the limits, moderation, figures, history.

The rules are checked on a family made for the test (`help_world`), on both databases where the database itself
takes part (constraints, triggers, the daily job's query); the figures, which need five rated trajectories, on the
demo's four rated families (`world`).
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, format_date
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.catalog.models import Assignment, Offer
from app.core.clock import today
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.identity.models import Membership
from app.notifications.inbox import describe
from app.notifications.models import Notification
from app.plans.models import Plan
from app.ratings import figures, invitations, moderation, services
from app.ratings.models import OfferRatingFigure, Rating, RatingInvitation, RatingReply, RatingVersion
from tests import factories
from tests.ratings.conftest import GOOD


def _rate(world, key=None, **changes):
    """Rate the world's ended help (as its parent with custody, unless someone else is named)."""
    return services.save_rating(db.session, person=world.person(key or world.rater), assignment_id=world.help,
                                values={**GOOD, **changes})


def test_every_member_of_12_and_older_who_sees_the_goal_is_invited_once(any_help_world):
    world = any_help_world
    with world.app.test_request_context():
        invited = set(db.session.exec(select(RatingInvitation.person_id).where(
            RatingInvitation.assignment_id == world.help)).all())
        # the goal is about the 12-year-old: not their siblings of 11 and 16, a parent without custody, the network
        # or the professional
        assert invited == {world.people[k] for k in ("youth", "parent", "other_parent")}
        asked = db.session.exec(select(Notification).where(Notification.topic == "rating_asked",
                                                           Notification.person_id == world.people["parent"])).one()
        assert asked.detail == "ended"
        assert invitations.invite_due(db.session) == []  # a second run invites nobody twice
        db.session.commit()


def test_three_months_of_ongoing_care_invites_too_and_a_child_gets_the_smiley_version(any_help_world):
    world = any_help_world
    with world.app.test_request_context():
        plan, child = db.session.get(Plan, world.plan_id), world.person("child")
        goal, _actions = factories.goal_with_actions(db.session, plan=plan, author=world.person("professional"),
                                                     youth=child)
        child_help = factories.assign(db.session, plan=plan, goal=goal, offer=db.session.get(Offer, world.offer),
                                      chosen_by=world.person("parent"),
                                      professional_person=world.person("professional"),
                                      start=today() - timedelta(days=120))
        factories.care(db.session, assignment=child_help, started_on=today() - timedelta(days=100))
        made = invitations.invite_due(db.session)
        assert {(m.person_id, m.reason) for m in made} == {(world.people["parent"], "ongoing"),
                                                           (world.people["other_parent"], "ongoing")}  # 11: not
        found = services.trajectory(db.session, person=child, assignment_id=child_help.id)
        assert found.is_child
        assert not services.trajectory(db.session, person=world.person("youth"), assignment_id=world.help).is_child
        with pytest.raises(ValidationFailed) as failed:
            services.save_rating(db.session, person=child, assignment_id=child_help.id, values={"overall": "9"})
        assert [f for f, _m in failed.value.reasons] == ["smiley"]
        rating = services.save_rating(db.session, person=child, assignment_id=child_help.id,
                                      values={"smiley": "happy", "text": "Leuk 🎈"})
        assert (rating.smiley, rating.overall, rating.informant) == ("happy", None, "youth")
        db.session.commit()


@pytest.mark.parametrize("key", ["provider_staff", "editor", "municipality_staff", "professional", "network",
                                 "sixteen", "child", "parent_without_custody"])
def test_no_one_rates_help_they_had_no_part_in(help_world, key):
    world = help_world
    with world.app.test_request_context():
        with pytest.raises(NotFound):
            _rate(world, key)
        assert db.session.exec(select(Rating).where(Rating.person_id == world.people[key])).first() is None
        assert _rate(world, "youth").id  # the one whose help it was may


def test_a_second_rating_for_the_same_trajectory_is_refused(any_help_world):
    world = any_help_world
    with world.app.test_request_context():
        first = _rate(world)
        db.session.commit()
        with pytest.raises(ValidationFailed) as failed, force_locale("en"):
            _rate(world, overall="3")  # a new rating, not a change of the first
        assert "already rated" in failed.value.reasons[0][1]
        db.session.rollback()
        db.session.add(Rating(assignment_id=first.assignment_id, person_id=first.person_id, family_id=first.family_id,
                              municipality_id=first.municipality_id, offer_id=first.offer_id,
                              provider_id=first.provider_id, informant="parent", overall=2))
        with pytest.raises(sa.exc.IntegrityError):  # the database refuses it too
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"overall": "0"}, "overall", "Give a score from 1 to 10."),
    ({"overall": "11"}, "overall", "Give a score from 1 to 10."),
    ({"overall": ""}, "overall", "Give a score from 1 to 10."),
    ({"overall": "1; DROP TABLE rating"}, "overall", "Give a score from 1 to 10."),
    ({"heard": "-3"}, "heard", "Give a score from 1 to 10."),
    ({"text": "wurd " * 201}, "text", "Use at most 200 words. You used 201."),
    ({"text": "x" * 5000}, "text", "Your text is too long. Use at most 3000 characters."),
])
def test_bad_scores_and_texts_get_a_clear_message(help_world, values, field, message):
    with help_world.app.test_request_context(), force_locale("en"):
        with pytest.raises(ValidationFailed) as failed:
            _rate(help_world, **values)
        assert (field, message) in failed.value.reasons
        assert db.session.exec(select(Rating)).first() is None


def test_the_message_is_in_the_persons_language(help_world):
    with help_world.app.test_request_context(), force_locale("fy"):
        with pytest.raises(ValidationFailed) as failed:
            _rate(help_world, overall="11", text="wurd " * 201)
        messages = dict(failed.value.reasons)
        assert "Give a score" not in messages["overall"]
        assert "201" in messages["text"]


def test_text_is_kept_as_typed_hostile_frysk_and_emoji(any_help_world):
    world = any_help_world
    text = "<script>alert(1)</script> '; DROP TABLE rating; -- Hûs, bôle, skâns, hêr 😀\u0000"
    with world.app.test_request_context():
        rating = _rate(world, text=text)
        db.session.commit()
        assert rating.text == text.replace("\u0000", "")
        assert len(("wurd " * 200).split()) == 200
        db.session.refresh(_rate_update(world, rating, text="wurd " * 200))


def _rate_update(world, rating, **changes):
    return services.save_rating(db.session, person=world.person(world.rater), assignment_id=world.help,
                                values={**GOOD, **changes}, version=str(rating.version))


def test_changes_are_versioned_until_published_and_then_final(any_help_world):
    world = any_help_world
    with world.app.test_request_context():
        rating = _rate(world)
        rating = _rate_update(world, rating, overall="9")
        with pytest.raises(ValidationFailed):
            services.save_rating(db.session, person=world.person("parent"), assignment_id=world.help,
                                 values=GOOD, version="1")  # stale: it is at version 2 now
        moderation.publish(db.session, editor=world.person("editor"), rating_id=rating.id)
        with pytest.raises(ValidationFailed) as failed, force_locale("en"):
            _rate_update(world, rating, overall="2")
        assert "published" in failed.value.reasons[0][1]
        steps = services.history(db.session, rating_id=rating.id)
        assert [(s.change, s.overall) for s in steps] == [("create", 8), ("update", 9), ("publish", 9)]
        logged = db.session.exec(select(AccessLogEntry.event).where(AccessLogEntry.object_id == str(rating.id))).all()
        assert {"rating.create", "rating.update", "rating.publish"} <= set(logged)
        with pytest.raises(sa.exc.DBAPIError):  # the history cannot be changed afterwards
            db.session.execute(sa.update(RatingVersion).values(overall=1))
        db.session.rollback()


def test_figures_show_from_five_rated_trajectories(world):
    with world.app.test_request_context():
        before = figures.provider_figures(db.session, provider_id=world.kompas)
        assert (before.trajectories, before.enough, before.average, before.texts) == (4, False, None, [])
        sanne = _rate(world)
        assert figures.provider_figures(db.session, provider_id=world.kompas).trajectories == 4  # not checked yet
        moderation.publish(db.session, editor=world.person("jeroen"), rating_id=sanne.id)
        after = figures.provider_figures(db.session, provider_id=world.kompas)
        assert (after.trajectories, after.ratings, after.enough) == (5, 5, True)
        assert after.average == pytest.approx((8 + 7 + 9 + 6 + 8) / 5)
        assert after.distribution[7] == 2
        assert sum(after.distribution) == 5
        assert after.aspects["heard"] == pytest.approx((9 + 8 + 9 + 7 + 9) / 5)
        assert "Tige tank" in after.texts[0].text
        tom = _rate(world, "tom", overall="10")
        moderation.publish(db.session, editor=world.person("jeroen"), rating_id=tom.id)
        same_trajectory = figures.provider_figures(db.session, provider_id=world.kompas)
        assert (same_trajectory.trajectories, same_trajectory.ratings) == (5, 6)
        offer = figures.offer_figures(db.session, offer_id=world.offer)
        assert offer.enough
        assert offer.average == pytest.approx(same_trajectory.average)
        incremental = db.session.get(OfferRatingFigure, world.offer).average
        figures.rebuild(db.session)
        assert db.session.get(OfferRatingFigure, world.offer).average == pytest.approx(incremental)
        db.session.commit()


def test_outcome_figures_need_five_ended_trajectories(world):
    with world.app.test_request_context():
        found = figures.provider_figures(db.session, provider_id=world.kompas).outcomes
        assert found.ended == 5  # four families and Tom
        assert found.dropout_share == 0.0
        assert (found.verdicts, found.achieved_share) == (4, None)  # Tom's family verdict is not set yet
        assert (found.answered, found.usefulness) == (4, None)


def test_rejection_tells_the_author_why_in_her_language(help_world):
    world = help_world
    with world.app.test_request_context():
        rating = _rate(world)
        with pytest.raises(ValidationFailed):
            moderation.reject(db.session, editor=world.person("editor"), rating_id=rating.id, reason="rude")
        moderation.reject(db.session, editor=world.person("editor"), rating_id=rating.id, reason="personal_data")
        note = db.session.exec(select(Notification).where(Notification.topic == "rating_checked",
                                                          Notification.person_id == world.people["parent"])).one()
        with force_locale("fy"):
            frysk = describe(note, None, "")
        with force_locale("nl"):
            dutch = describe(note, None, "")
        assert frysk != dutch
        assert "telefoon" in dutch
        assert rating.is_editable  # she may change it and send it again
        again = _rate_update(world, rating, text="Sûnder nammen")
        assert (again.status, again.reject_reason) == ("pending", "")
        db.session.commit()


def test_a_report_hides_a_published_rating_until_checked_again(world):
    with world.app.test_request_context():
        rating = _rate(world)
        moderation.publish(db.session, editor=world.person("jeroen"), rating_id=rating.id)
        moderation.report(db.session, person=world.person("karin"), rating_id=rating.id, reason="Klopt niet")
        assert rating.status == "reported"
        logged = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "rating.report")).one()
        assert (logged.actor_id, logged.family_id) == (world.people["karin"], None)  # not in the family's own log
        assert figures.provider_figures(db.session, provider_id=world.kompas).trajectories == 4
        queued = moderation.queue(db.session, editor=world.person("jeroen"))
        assert [(q.rating.id, q.reported[0].reason) for q in queued] == [(rating.id, "Klopt niet")]
        moderation.publish(db.session, editor=world.person("jeroen"), rating_id=rating.id)
        assert figures.provider_figures(db.session, provider_id=world.kompas).trajectories == 5
        db.session.commit()


def test_provider_staff_cannot_moderate_and_reply_once_editable(world):
    with world.app.test_request_context():
        rating = _rate(world)
        with pytest.raises(NotAllowed):
            moderation.queue(db.session, editor=world.person("karin"))
        with pytest.raises(NotAllowed):
            moderation.publish(db.session, editor=world.person("karin"), rating_id=rating.id)
        with pytest.raises(NotFound):  # not published yet: nothing to reply to
            moderation.reply(db.session, person=world.person("karin"), rating_id=rating.id, text="Dank")
        moderation.publish(db.session, editor=world.person("jeroen"), rating_id=rating.id)
        with pytest.raises(NotAllowed):
            moderation.reply(db.session, person=world.person("jeroen"), rating_id=rating.id, text="Dank")
        moderation.reply(db.session, person=world.person("karin"), rating_id=rating.id, text="Tank foar jo wurden")
        moderation.reply(db.session, person=world.person("karin"), rating_id=rating.id, text="Tige tank!")
        replies = db.session.exec(select(RatingReply).where(RatingReply.rating_id == rating.id)).all()
        assert [(r.text, r.version) for r in replies] == [("Tige tank!", 2)]
        shown = moderation.provider_ratings(db.session, person=world.person("karin"))
        assert shown.ratings
        assert all(not hasattr(r, "person_id") for r in shown.ratings)  # no author in what providers see
        db.session.commit()


def test_professional_scores_are_internal_to_the_municipality(world):
    with world.app.test_request_context():
        rows = moderation.professional_figures(db.session, person=world.person("jeroen"))
        assert [(r.name, r.ratings, r.average) for r in rows] == [("Mark Visser", 4, None)]  # fewer than 5
        for key in ("karin", "mark", "sanne"):
            with pytest.raises(NotAllowed):
                moderation.professional_figures(db.session, person=world.person(key))


def test_a_published_rating_stays_when_its_author_leaves_the_family(world):
    with world.app.test_request_context():
        rating = _rate(world)
        moderation.publish(db.session, editor=world.person("jeroen"), rating_id=rating.id)
        db.session.execute(sa.delete(Membership).where(Membership.person_id == world.people["sanne"]))
        db.session.commit()
        assert db.session.get(Rating, rating.id).status == "published"
        shown = figures.provider_figures(db.session, provider_id=world.kompas)
        assert shown.trajectories == 5
        assert any("Tige tank" in t.text for t in shown.texts)
        assert services.my_trajectories(db.session, person=world.person("sanne")) == []
        with pytest.raises(NotFound):
            _rate_update(world, rating, overall="1")


def test_provider_staff_see_no_single_rating_before_five_trajectories(world):
    with world.app.test_request_context():
        karin = world.person("karin")
        before = moderation.provider_ratings(db.session, person=karin)
        assert (before.ratings, before.too_few) == ([], True)  # four families rated: not even month or informant
        demo_rating = db.session.exec(select(Rating).where(Rating.provider_id == world.kompas,
                                                           Rating.status == "published")).first()
        with pytest.raises(NotFound):  # nor may she reply to a rating she cannot see
            moderation.reply(db.session, person=karin, rating_id=demo_rating.id, text="Dank")
        sanne = _rate(world)
        moderation.publish(db.session, editor=world.person("jeroen"), rating_id=sanne.id)
        after = moderation.provider_ratings(db.session, person=karin)
        assert after.too_few is False
        assert len(after.ratings) == 5
        assert sanne.id in {r.id for r in after.ratings}
        db.session.commit()


def test_an_editor_who_also_works_for_the_provider_cannot_moderate_its_ratings(help_world):
    from app.catalog.models import Provider
    from app.identity.models import StaffMembership

    world = help_world
    with world.app.test_request_context():
        rating = _rate(world)
        editor = world.person("editor")
        assert rating.id in {q.rating.id for q in moderation.queue(db.session, editor=editor)}  # until she also works
        provider = db.session.get(Provider, world.provider)  # for the provider
        db.session.add(StaffMembership(organisation_id=provider.organisation_id, person_id=editor.id,
                                       role="provider_staff"))
        db.session.commit()
        assert rating.id not in {q.rating.id for q in moderation.queue(db.session, editor=editor)}
        with pytest.raises(NotAllowed):
            moderation.publish(db.session, editor=editor, rating_id=rating.id)
        db.session.rollback()
        with pytest.raises(NotAllowed):
            moderation.reject(db.session, editor=editor, rating_id=rating.id, reason="threat")
        db.session.rollback()
        assert db.session.get(Rating, rating.id).status == "pending"


def test_rating_before_the_trajectory_opens_is_refused_with_the_day_it_opens(help_world):
    world = help_world
    with world.app.test_request_context():
        help_ = db.session.get(Assignment, world.help)
        help_.care_started_on, help_.care_stopped_on, help_.stop_reason = today() - timedelta(days=10), None, ""
        db.session.commit()
        opens = services.add_months(help_.care_started_on, 3)
        with force_locale("nl"), pytest.raises(ValidationFailed) as failed:
            _rate(world)
        opens_on = format_date(opens, "long")
        assert failed.value.reasons == [("overall", f"Je kunt deze hulp beoordelen vanaf {opens_on}.")]
        db.session.rollback()
        assert db.session.exec(select(Rating).where(Rating.assignment_id == world.help)).first() is None


def test_a_rejection_is_in_the_family_s_access_log_with_the_rule(any_help_world):
    world = any_help_world
    with world.app.test_request_context():
        rating = _rate(world, text="Mevrouw Jansen van het team was boos op ons")
        moderation.reject(db.session, editor=world.person("editor"), rating_id=rating.id, reason="complaint")
        db.session.commit()
        entry = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "rating.reject")).one()
        assert (entry.action, entry.actor_id, entry.actor_role, entry.family_id, entry.object_id, entry.detail) == (
            "update", world.people["editor"], "editor", world.family_id, str(rating.id), "complaint")
        assert [v.change for v in services.history(db.session, rating_id=rating.id)] == ["create", "reject"]


def test_the_outcome_figures_include_going_on_without_help_from_five_trajectories(world):
    from app.results.models import OutcomeAnswer

    with world.app.test_request_context():
        before = figures.provider_figures(db.session, provider_id=world.kompas).outcomes
        assert (before.answered, before.independence) == (4, {})  # four answers: nothing shown
        db.session.add(OutcomeAnswer(assignment_id=world.tom_help, person_id=world.people["sanne"],
                                     informant="parent", usefulness=9, independence="03"))
        db.session.flush()
        after = figures.provider_figures(db.session, provider_id=world.kompas).outcomes
        assert after.answered == 5
        # the demo: three families "04" (achieved), one "02" (partly); Sanne "03"
        assert after.independence == pytest.approx({"01": 0.0, "02": 0.2, "03": 0.2, "04": 0.6})
        assert figures.provider_figures(db.session, provider_id=world.kompas).any_outcomes
        db.session.rollback()


def test_two_editors_publishing_two_ratings_of_one_trajectory_at_once_count_it_once(postgres_world):
    """On PostgreSQL (SQLite has one writer at a time, so there is no race to lose there)."""
    import threading
    import time

    from app.identity.models import Person

    world = postgres_world
    with world.app.test_request_context():
        sanne, tom = _rate(world), _rate(world, "tom", overall="10")
        db.session.commit()
        ids, editor_id = (sanne.id, tom.id), world.people["jeroen"]
    failures = []

    def second_editor():
        try:
            with world.app.test_request_context(), db.new_session() as session:
                moderation.publish(session, editor=session.get(Person, editor_id), rating_id=ids[1])
        except Exception as error:  # noqa: BLE001 - reported to the test below
            failures.append(error)

    with world.app.test_request_context(), db.new_session() as first:
        moderation.publish(first, editor=first.get(Person, editor_id), rating_id=ids[0])
        other = threading.Thread(target=second_editor)
        other.start()
        time.sleep(0.5)
        assert other.is_alive()  # it waits for the trajectory's lock
        first.commit()
    other.join(10)
    assert not failures
    with world.app.test_request_context():
        shown = figures.provider_figures(db.session, provider_id=world.kompas)
        assert (shown.trajectories, shown.ratings) == (5, 6)
        db.session.commit()


@pytest.mark.parametrize("text", ["Bel mevrouw Jansen: 06-12345678", "Mijn nummer is 06 12 34 56 78.",
                                  "Bereikbaar via +31 6 12345678", "Het team: (058) 123 45 67",
                                  "Mail me: sanne.deboer@example.nl"])
def test_a_phone_number_or_e_mail_address_is_sent_back_to_the_writer_not_to_the_redactie(any_help_world, text):
    """Issue 17: such a rating went to the redactie, who read someone's number before rejecting it. The writer
    hears at once, on the text field, and nothing is saved (the code of conduct: no personal details)."""
    world = any_help_world
    with world.app.test_request_context():
        with force_locale("nl"), pytest.raises(ValidationFailed) as failed:
            _rate(world, text=text)
        assert failed.value.reasons == [("text", "Laat telefoonnummers en e-mailadressen weg. Iedereen kan een "
                                                 "gepubliceerde beoordeling lezen.")]
        db.session.rollback()
        assert db.session.exec(select(Rating).where(Rating.assignment_id == world.help)).first() is None


@pytest.mark.parametrize("text", ["Een 8 van de 10, het ging in 2026 veel beter.", "Op 14-02-2027 stopte de hulp.",
                                  "De Kindertelefoon (0800-0432) gaf ons de tip.", "Tom zat @ school beter."])
def test_numbers_that_are_no_phone_number_may_stay_in_a_rating(help_world, text):
    with help_world.app.test_request_context():
        assert _rate(help_world, text=text).text == text
        db.session.rollback()
