"""Mijn gegevens (issue 22, point 4; Jeugdwet 7.3.10): what exists about a person, as far as they may see it.

Each family member sees the plan parts about them, written by them or theirs to do, how often they changed, how often
others read about them, what was sent to the municipality, their complaints and ratings, and a copy. Another
person's private part never appears, not in a list and not in a count; the page's read is in the access log.
"""

import re

from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.extensions import db
from app.outbox.models import OutboxEvent
from tests.conftest import csrf_token
from tests.plans.conftest import signed_in_world

LISAS_WORRY = "Ik word heel onrustig voor toetsen en slaap dan slecht."


PARTS = re.compile(r"(\d+) (?:diel|dielen|deel|delen|part|parts) (?:fan|van|of) (?:it|het|the) plan")


def items_count(page: str) -> int:
    return int(PARTS.search(page).group(1))


def test_each_sees_what_is_about_them_and_nothing_private_of_another(any_plan_app):
    world, lisa = signed_in_world(any_plan_app, "lisa")
    mine = lisa.get("/mijn-gegevens")
    assert mine.status_code == 200
    assert LISAS_WORRY in mine.get_data(as_text=True)  # her own, private from her parents
    _, sanne = signed_in_world(any_plan_app, "sanne")
    hers = sanne.get("/mijn-gegevens").get_data(as_text=True)
    assert "Myn gegevens" in hers  # in her language
    assert LISAS_WORRY not in hers
    _, tom = signed_in_world(any_plan_app, "tom")
    toms = tom.get("/mijn-gegevens").get_data(as_text=True)
    assert LISAS_WORRY not in toms
    assert "Ik snap wiskunde niet" in toms  # his own worry
    with any_plan_app.app_context():
        read = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "dossier.view",
                                                            AccessLogEntry.actor_id == world.people["tom"])).one()
    assert (read.youth_id, read.action) == (world.people["tom"], "read")


def test_the_counts_hold_only_what_the_reader_may_see(plan_app):
    world, sanne = signed_in_world(plan_app, "sanne")
    before = items_count(sanne.get("/mijn-gegevens").get_data(as_text=True))
    _, lisa = signed_in_world(plan_app, "lisa")
    plan = f"/plan/{world.plan_id}"
    # Lisa (16) writes something about the whole family that she keeps from her parents; Sanne's counts do not move
    lisas_before = items_count(lisa.get("/mijn-gegevens").get_data(as_text=True))
    text = "Mem docht har bêst foar ús allegear"
    added = lisa.post(f"{plan}/onderdelen/strength",
                      data={"csrf_token": csrf_token(lisa, plan), "text": text, "youth_id": ""})
    assert added.status_code == 303
    assert items_count(lisa.get("/mijn-gegevens").get_data(as_text=True)) == lisas_before + 1
    assert items_count(sanne.get("/mijn-gegevens").get_data(as_text=True)) == before


def test_what_was_sent_about_a_goal_shows_only_to_who_may_see_the_goal(plan_app):
    world, sanne = signed_in_world(plan_app, "sanne")
    with plan_app.app_context():
        about_goals = [e for e in db.session.exec(select(OutboxEvent)).all() if (e.payload or {}).get("goal_id")]
    assert about_goals, "the demo sent something about Tom's goals"
    hers = sanne.get("/mijn-gegevens").get_data(as_text=True)
    _, lisa = signed_in_world(plan_app, "lisa")
    lisas = lisa.get("/mijn-gegevens").get_data(as_text=True)
    asked = "Der is help frege foar in doel"  # Sanne reads Frysk
    assert asked in hers
    assert "Er is hulp gevraagd voor een doel" not in lisas  # Tom's goals are not hers to see


def test_everyone_signed_in_reaches_it_and_nobody_else(plan_app):
    assert plan_app.test_client().get("/mijn-gegevens").status_code == 303
    for key in ("noor", "fenna", "mark", "karin", "jeroen"):
        _, client = signed_in_world(plan_app, key)
        assert client.get("/mijn-gegevens").status_code == 200, key


def test_a_statement_on_the_dossier_as_a_whole_by_the_age_rules(any_plan_app):
    world, tom = signed_in_world(any_plan_app, "tom")
    page = "/mijn-gegevens"
    words = "Ik wil dat in myn dossier stiet dat ik sels om help frege ha. 🙂"
    url = f"{page}/{world.plan_id}/verklaring"
    empty = tom.post(url, data={"csrf_token": csrf_token(tom, page), "text": "  "})
    assert empty.status_code == 422
    assert "Schrijf je verklaring." in empty.get_data(as_text=True)
    assert tom.post(url, data={"csrf_token": csrf_token(tom, page), "text": words}).status_code == 303
    assert words in tom.get(page).get_data(as_text=True)
    _, sanne = signed_in_world(any_plan_app, "sanne")
    assert words in sanne.get(page).get_data(as_text=True)  # Tom is 14: his parents see it
    assert words in sanne.get(f"/plan/{world.plan_id}/afdrukken").get_data(as_text=True)
    _, lisa = signed_in_world(any_plan_app, "lisa")
    private = "Dit is fan my allinne."
    assert lisa.post(url, data={"csrf_token": csrf_token(lisa, page), "text": private}).status_code == 303
    assert private not in sanne.get(page).get_data(as_text=True)  # Lisa is 16: hers alone
    for key in ("mark", "noor", "fenna"):
        _, client = signed_in_world(any_plan_app, key)
        refused = client.post(url, data={"csrf_token": csrf_token(client, page), "text": "Ik ek"})
        assert refused.status_code == 403, key
