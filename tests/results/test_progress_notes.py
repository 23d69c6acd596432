"""Progress notes (voortgang) on an assigned goal, and the family's reactions to them (issue 20, point 4).

A note is a plan item under its goal: the same age rules protect it (a note on the goal about a 16-year-old is hidden
from the parents until the youth shares it), it has versions, history and access-log entries, reaches open plans
live, and never asks the family to agree again. Only the provider assigned to the goal and the professional write
notes; family members react in their own words, beside the note, and whoever may not see a note never learns of a
reaction to it.
"""

import json
import re

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.extensions import db
from app.identity.models import StaffMembership
from app.plans import live, queries
from app.plans.models import ItemVersion, Plan, PlanItem
from tests import factories
from tests.conftest import csrf_token, sign_in_person

NOTE_TEXT = "Sietse kaam op tiid. Wy oefenen it wykskema — gie goed 👍 ôâûê"


def plan_url(world) -> str:
    return f"/plan/{world.plan_id}"


def add(client, world, kind: str, anchor: str, headers=None, **fields):
    field = "goal_id" if kind == "note" else "reply_to_id"
    return client.post(f"{plan_url(world)}/onderdelen/{kind}?bij={anchor}", headers=headers or {},
                       data={"csrf_token": csrf_token(client, plan_url(world)), field: anchor, **fields})


def as_(client, world, key):
    sign_in_person(client, world.people[key])
    return client


def notes_on(world, goal_id) -> list[PlanItem]:
    with world.app.app_context():
        return list(db.session.exec(select(PlanItem).where(PlanItem.goal_id == goal_id,
                                                           PlanItem.kind == "note")).all())


def test_the_provider_writes_a_note_that_the_family_reads_under_the_goal(sqlite_world):
    world = sqlite_world
    client = as_(world.app.test_client(), world, "provider_staff")
    page = client.get(plan_url(world)).get_data(as_text=True)
    assert f'id="add-note-{world.goal_id}"' in page  # her form under the goal assigned to her organisation
    status_before = _status(world)
    answer = add(client, world, "note", world.goal_id, text=NOTE_TEXT, due_date="")
    assert answer.status_code == 303
    [note] = notes_on(world, world.goal_id)
    assert (note.author_id, note.youth_id, note.text) == (world.people["provider_staff"], world.people["youth"],
                                                          NOTE_TEXT)
    assert note.due_date is not None  # dated today when no date was given
    assert _status(world) == status_before  # how the help goes asks nobody to agree again

    for key in ("parent", "youth", "professional"):
        html = as_(world.app.test_client(), world, key).get(plan_url(world)).get_data(as_text=True)
        assert f'id="notes-{world.goal_id}"' in html
        assert "Sietse kaam op tiid" in html
        assert "Geertje" in html  # who wrote it, with her organisation
    html = as_(world.app.test_client(), world, "network").get(plan_url(world)).get_data(as_text=True)
    assert "Sietse kaam op tiid" not in html
    with world.app.app_context():
        versions = db.session.exec(select(ItemVersion).where(ItemVersion.item_id == note.id)).all()
        logged = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.object_id == note.id)).all()
    assert [v.change for v in versions] == ["create"]
    assert any(e.event == "item.create" for e in logged)


def _status(world) -> tuple[str, int]:
    with world.app.app_context():
        plan = db.session.get(Plan, world.plan_id)
        return plan.status, plan.content_version


def test_a_note_on_the_goal_of_a_16_year_old_stays_hidden_from_the_parents_until_they_share_it(sqlite_world):
    world = sqlite_world
    goal_id, _assignment = world.ended_help("sixteen", chosen_by="sixteen")  # at 16 she chooses her help
    provider = as_(world.app.test_client(), world, "provider_staff")
    assert add(provider, world, "note", goal_id, text="Hylke wol minder thús prate oer skoalle",
               due_date="").status_code == 303
    [note] = notes_on(world, goal_id)
    parent = as_(world.app.test_client(), world, "parent")
    assert "minder thús prate" not in parent.get(plan_url(world)).get_data(as_text=True)
    assert parent.get(f"{plan_url(world)}/onderdelen/{note.id}").status_code == 404
    assert parent.get(f"/plan/{world.plan_id}/afdrukken").get_data(as_text=True).count("minder thús") == 0
    # a reaction to it by the parent cannot be made: the note is not theirs to see
    refused = add(parent, world, "reaction", note.id, text="Wat is dit?")
    assert refused.status_code == 422
    sixteen = as_(world.app.test_client(), world, "sixteen")
    html = sixteen.get(plan_url(world)).get_data(as_text=True)
    assert "minder thús prate" in html
    assert f'id="share-{note.id}"' in html  # hers to share, like every item about her
    shared = sixteen.post(f"{plan_url(world)}/onderdelen/{note.id}/zichtbaarheid",
                          data={"csrf_token": csrf_token(sixteen, plan_url(world)), "change": "share"})
    assert shared.status_code == 303
    # the note is shared, but the goal it is about is not: it stays hidden (it would tell of the goal)
    assert "minder thús prate" not in parent.get(plan_url(world)).get_data(as_text=True)
    assert parent.get(f"{plan_url(world)}/onderdelen/{note.id}").status_code == 404
    sixteen.post(f"{plan_url(world)}/onderdelen/{goal_id}/zichtbaarheid",
                 data={"csrf_token": csrf_token(sixteen, plan_url(world)), "change": "share"})
    assert "minder thús prate" in parent.get(plan_url(world)).get_data(as_text=True)


def test_a_reaction_sits_beside_the_note_and_hides_with_it(sqlite_world):
    world = sqlite_world
    provider = as_(world.app.test_client(), world, "provider_staff")
    add(provider, world, "note", world.goal_id, text="Earste wike dien", due_date="")
    [note] = notes_on(world, world.goal_id)
    youth = as_(world.app.test_client(), world, "youth")
    answer = add(youth, world, "reaction", note.id, text="Ik fûn it <script>alert(1)</script> spannend 😅",
                 headers={"HX-Request": "true", "HX-Current-URL": "http://localhost" + plan_url(world)})
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert "&lt;script&gt;" in body
    assert "<script>alert(1)" not in body
    with world.app.app_context():
        reaction = db.session.exec(select(PlanItem).where(PlanItem.reply_to_id == note.id)).one()
    assert (reaction.goal_id, reaction.youth_id) == (world.goal_id, world.people["youth"])
    html = provider.get(plan_url(world)).get_data(as_text=True)
    assert f'id="reactions-{note.id}"' in html
    assert "spannend 😅" in html  # the provider reads the family's reaction to her note
    assert f'id="edit-{note.id}"' in html  # her own note she may change
    assert f'id="edit-{reaction.id}"' not in html  # not the youth's words
    # the professional withholds the note from the parents (the youth is 14): the reaction goes with it
    professional = as_(world.app.test_client(), world, "professional")
    withheld = professional.post(f"{plan_url(world)}/onderdelen/{note.id}/zichtbaarheid",
                                 data={"csrf_token": csrf_token(professional, plan_url(world)), "change": "withhold",
                                       "reason": "Sietse wol dit sels fertelle", "consulted": "Hiske de Vries",
                                       "opinion": "Iens"})
    assert withheld.status_code == 303
    parent = as_(world.app.test_client(), world, "parent")
    html = parent.get(plan_url(world)).get_data(as_text=True)
    assert "Earste wike dien" not in html
    assert "spannend" not in html
    assert parent.get(f"{plan_url(world)}/onderdelen/{reaction.id}").status_code == 404


def test_who_may_write_notes_and_bad_input(sqlite_world):
    world = sqlite_world
    parent = as_(world.app.test_client(), world, "parent")
    assert add(parent, world, "note", world.goal_id, text="Ik skriuw ek", due_date="").status_code in (403, 422)
    goal_without_help = _goal_without_help(world)
    professional = as_(world.app.test_client(), world, "professional")
    refused = add(professional, world, "note", goal_without_help, text="Gjin help", due_date="")
    assert refused.status_code == 422
    assert "Een voortgangsnotitie hoort bij een doel waarvoor hulp is." in refused.get_data(as_text=True)
    empty = add(professional, world, "note", world.goal_id, text="   ", due_date="")
    assert empty.status_code == 422
    assert "Schrijf op hoe het gaat met de hulp." in empty.get_data(as_text=True)
    huge = add(professional, world, "note", world.goal_id, text="ô" * 100_000, due_date="")
    assert huge.status_code == 422
    future = add(professional, world, "note", world.goal_id, text="Takomst", due_date="2999-01-01")
    assert future.status_code == 422
    kept = future.get_data(as_text=True)
    assert "Takomst" in kept  # what was typed stays
    assert notes_on(world, world.goal_id) == []


def _goal_without_help(world) -> str:
    with world.app.app_context():
        goal = PlanItem(plan_id=world.plan_id, kind="goal", text="Mear sporte", author_id=world.people["professional"],
                        typed_by_id=world.people["professional"])
        db.session.add(goal)
        db.session.commit()
        return goal.id


def test_another_organisation_never_reaches_the_goal(sqlite_world):
    world = sqlite_world
    with world.app.test_request_context(), db.new_session() as session:
        organisation, _offer = factories.provider(session)
        other_id = factories.staff(session, organisation=organisation, role="provider_staff", given_name="Tsjerk").id
    client = world.app.test_client()
    sign_in_person(client, other_id)
    refused = add(client, world, "note", world.goal_id, text="Hjir net", due_date="")
    assert refused.status_code in (403, 404)
    assert notes_on(world, world.goal_id) == []
    assert re.search(r"Hjir net", client.get("/").get_data(as_text=True)) is None
    assert client.get(f"/doel/{world.goal_id}/resultaat").status_code == 404  # nor the goal's start, stop, verdict
    with world.app.app_context():
        refusals = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.actor_id == other_id,
                                                                AccessLogEntry.family_id == world.family_id)).all()
    assert refusals
    assert {entry.outcome for entry in refusals} == {"refused"}


def test_notes_travel_in_the_print_page_and_the_fhir_export_only_to_who_may_see_them(sqlite_world):
    world = sqlite_world
    provider = as_(world.app.test_client(), world, "provider_staff")
    add(provider, world, "note", world.goal_id, text="Wykskema hinget no op 'e kuolkast", due_date="")
    hidden_goal, _assignment = world.ended_help("sixteen", chosen_by="sixteen")
    add(provider, world, "note", hidden_goal, text="Hylke slept minder", due_date="")
    [note] = notes_on(world, world.goal_id)
    youth = as_(world.app.test_client(), world, "youth")
    add(youth, world, "reaction", note.id, text="Ja, dat helpt")

    parent = as_(world.app.test_client(), world, "parent")
    printed = parent.get(f"{plan_url(world)}/afdrukken").get_data(as_text=True)
    assert "hinget no op" in printed
    assert "Ja, dat helpt" in printed
    assert "Hylke slept" not in printed
    bundle = parent.get(f"{plan_url(world)}/plan.fhir.json").get_json()
    Bundle.model_validate(bundle)
    care_plan = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan")
    get_fhir_model_class("CarePlan").model_validate(care_plan)
    progress = [p["text"] for a in care_plan["activity"] for p in a.get("progress", [])]
    assert len(progress) == 2
    assert "hinget no op" in progress[0]
    assert progress[1].endswith("Ja, dat helpt")
    assert "Hylke slept" not in json.dumps(bundle)
    [help_activity] = [a for a in care_plan["activity"] if a.get("progress")]
    assert help_activity["detail"]["kind"] == "ServiceRequest"
    assert help_activity["detail"]["status"] == "completed"  # the help for this goal stopped yesterday


def test_the_live_news_of_a_note_reaches_only_who_may_see_it(sqlite_world):
    world = sqlite_world
    hidden_goal, _assignment = world.ended_help("sixteen", chosen_by="sixteen")
    assert world.app.config.get("REDIS_URL") is None  # the process's own listeners carry the news here
    news = live.listen(world.plan_id, redis_url=None, heartbeat=0.05)
    provider = as_(world.app.test_client(), world, "provider_staff")
    add(provider, world, "note", hidden_goal, text="Hylke sliept wer better", due_date="")
    [note] = notes_on(world, hidden_goal)
    message = next(json.loads(body) for body in news if body)
    assert (message["item"], message["kind"], message["into"]) == (note.id, "note", f"notes-{hidden_goal}")
    told = {key for key in world.people
            if queries.for_reader(queries.Reader(world.people[key], None, set()), message) is not None}
    assert told == {"sixteen", "professional"}
    assert queries.for_reader(queries.Reader(None, _organisation_of(world), set()), message) is not None
    assert "to" not in queries.for_reader(queries.Reader(world.people["sixteen"], None, set()), message)


def _organisation_of(world) -> str:
    with world.app.app_context():
        return db.session.exec(select(StaffMembership.organisation_id).where(
            StaffMembership.person_id == world.people["provider_staff"])).one()
