"""A person hears only of what they may see: the live stream, its catch-up (`?after=`, Last-Event-ID), the plan's
status, its agreement counts, "changed since your last visit" and the notifications never reveal a hidden item.

The guard runs over every age band and visibility setting on one app for the module: each case is made inside a
transaction that is rolled back, so every case starts from the same fixed plan.
"""

import json
import re
import threading
import time
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.core.clock import utcnow
from app.extensions import db
from app.identity.models import Membership, Person
from app.identity.policy import can_view
from app.notifications.models import Notification, Topic
from app.outbox.models import OutboxEvent
from app.plans import agreement, queries, services
from app.plans.models import ItemVersion, PlanItem, PlanStatus, PlanVisit
from tests.conftest import make_app, sign_in
from tests.plans.conftest import PlanWorld

PERSONAS = ("noor", "tom", "lisa", "sanne", "erik", "pieter", "fenna", "mark", "karin")
BANDS = {"child": "noor", "young_teen": "tom", "decides": "lisa"}  # 9, 14 and 16 years old
SETTINGS = ("plain", "withheld_from_parents", "private_16", "shared", "released", "network_task")
CASES = [(band, setting, kind) for band in BANDS for setting in SETTINGS
         for kind in (("action",) if setting == "network_task" else ("worry", "goal"))]


def _add_pieter(world: PlanWorld) -> None:
    pieter = Person(given_name="Pieter", family_name="Bos")
    db.session.add(pieter)
    db.session.flush()
    db.session.add(Membership(family_id=world.ctx("mark").plan.family_id, person_id=pieter.id, role="parent",
                              has_custody=False))
    world.people["pieter"] = pieter.id


def _fix(world: PlanWorld) -> None:
    """Everyone required agrees to what is still open: the plan is fixed; then Fenna ticks her task off (a change
    after the fixing, so a page drawn now catches up from there)."""
    school = world.item("goal", youth_id=world.people["tom"], domain="school")
    switch = world.item("goal", youth_id=world.people["tom"], domain="parenting")
    for key, goal in [("erik", school), ("tom", school), ("erik", switch), ("erik", None), ("tom", None),
                      ("lisa", None)]:
        agreement.decide(db.session, ctx=world.ctx("mark"), person_id=world.people[key],
                         goal_id=goal.id if goal else None, decision="agree")
    assert world.ctx("mark").plan.status == PlanStatus.FIXED
    task = world.item("action", owner_id=world.people["fenna"])
    ctx = world.ctx("fenna")
    services.set_done(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), item_id=task.id, done=True)


def _plan_world(tmp_path_factory, name: str) -> PlanWorld:
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp(name) / 'plan.db'}", with_plan=True,
                   MAIL_DIR=str(tmp_path_factory.mktemp(f"{name}-mail")), RATELIMIT_ENABLED=False,
                   LIVE_HEARTBEAT_SECONDS=0.1)
    world = PlanWorld(app)
    with app.test_request_context():
        _add_pieter(world)
        _fix(world)
        db.session.commit()
    return world


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The demo plan, fixed, with Pieter (a parent without custody); tests here roll back what they change."""
    world = _plan_world(tmp_path_factory, "privacy")
    yield world
    with world.app.app_context():
        db.engine.dispose()


def shown_to(world: PlanWorld, key: str) -> tuple:
    """The plan's status and every agreement count this person is shown."""
    pv = queries.build(db.session, ctx=world.ctx(key), record_visit=False)
    counts = {goal: (sorted(state.agreed), sorted(state.required)) for goal, state in pv.agreement.items()}
    return pv.standing, counts


@pytest.fixture(scope="module")
def baseline(world) -> dict:
    """What each persona is shown of the fixed plan."""
    with world.app.test_request_context():
        return {key: shown_to(world, key) for key in PERSONAS}


def last_change(world: PlanWorld) -> str:
    """The plan's latest event id: where a page drawn now catches up from."""
    return str(db.session.exec(select(sa.func.max(ItemVersion.id)).where(ItemVersion.plan_id == world.plan_id)).one())


@contextmanager
def born_with(**flags):
    """Items made now have these visibility flags from the start (as an earlier age or decision may leave them on
    a row: the services set them only after an item exists)."""
    def handler(_target, _args, kwargs) -> None:
        kwargs.update(flags)

    sa.event.listen(PlanItem, "init", handler)
    try:
        yield
    finally:
        sa.event.remove(PlanItem, "init", handler)


def make(world: PlanWorld, band: str, setting: str, kind: str) -> PlanItem:
    """One item about the band's youth with this visibility setting."""
    ctx = world.ctx("mark")
    said_by_lisa = setting in ("private_16", "shared")  # written by Lisa (16): private until she shares it
    speaker = services.speaker_for(ctx, world.people["lisa"] if said_by_lisa else None)
    fields = {"text": f"{setting} {band}", "youth_id": world.people[BANDS[band]]}
    if kind == "goal":
        fields |= {"domain": "health", "result": "", "helpers": ""}
    if kind == "action":
        fields["owner_id"] = world.people["fenna"]
    flags = {"withheld_from_parents": setting == "withheld_from_parents",
             "shared_with_parents": True if setting == "shared" else None,
             "released_to_non_custody": setting == "released"}
    with born_with(**flags):
        item = services.create_item(db.session, ctx=ctx, speaker=speaker, kind=kind, fields=fields)
    assert all(getattr(item, name) == value for name, value in flags.items())
    return item


def published() -> list[dict]:
    """The live messages this transaction publishes when it commits."""
    return [message for _plan, message in db.session.info.get("live_messages", [])]


def heard(reader: queries.Reader, messages: list[dict]) -> list[dict]:
    """What a reader's open stream passes on of these messages."""
    passed = [message for message in (queries.for_reader(reader, message) for message in messages) if message]
    assert all("to" not in message for message in passed), "who may see it left the server"
    return passed


def new_notifications(since_id: int) -> list[Notification]:
    return list(db.session.exec(select(Notification).where(Notification.id > since_id)).all())


def max_notification() -> int:
    return db.session.exec(select(sa.func.max(Notification.id))).one() or 0


@pytest.mark.parametrize(("band", "setting", "kind"), CASES)
def test_each_person_hears_only_of_items_they_may_see(world, baseline, band, setting, kind):
    """Catch-up and live stream carry exactly the events about the item for who may see it, and nothing at all (no
    id, no agreement news, no changed status or count, no notification) for who may not."""
    with world.app.test_request_context():
        after, notified_up_to = last_change(world), max_notification()
        readers = {key: queries.reader(db.session, ctx=world.ctx(key)) for key in PERSONAS}
        try:
            item = make(world, band, setting, kind)
            messages = published()
            notified = {n.person_id for n in new_notifications(notified_up_to)}
            for key in PERSONAS:
                ctx = world.ctx(key)
                may_see = can_view(ctx.actor, ctx.policy_item(item))
                caught = queries.missed_events(db.session, ctx=ctx, after=after)
                live = heard(readers[key], messages)
                for events in (caught, live):
                    assert {e["item"] for e in events if e["type"] == "item"} == ({item.id} if may_see else set()), key
                if not may_see:
                    assert (caught, live) == ([], []), key  # not even "agreement changed"
                    assert shown_to(world, key) == baseline[key], key
                    assert world.people[key] not in notified, key
        finally:
            db.session.rollback()


def test_lisas_private_worry_leaves_the_fixed_plan_fixed_for_everyone(world, baseline):
    """The walk: Lisa (16) writes a worry her parents do not see. Nobody's plan goes back to "waiting for agreement,
    0 of 4", Lisa's included (there is nothing new the family agrees on); a worry the whole family sees does."""
    with world.app.test_request_context():
        try:
            notified_up_to = max_notification()
            lisa = world.ctx("lisa")
            services.create_item(db.session, ctx=lisa, speaker=services.speaker_for(lisa, None), kind="worry",
                                 fields={"text": "Ik durf niet te zeggen dat ik niet slaap.",
                                      "youth_id": world.people["lisa"]})
            assert {key: shown_to(world, key) for key in PERSONAS} == baseline
            assert new_notifications(notified_up_to) == []
            erik = world.ctx("erik")
            services.create_item(db.session, ctx=erik, speaker=services.speaker_for(erik, None), kind="worry",
                                 fields={"text": "Het wisselen op vrijdag gaat nog vaak mis.", "youth_id": None})
            standing, counts = shown_to(world, "sanne")
            assert standing.status == PlanStatus.AGREEING
            assert counts[None] == ([], sorted(world.people[k] for k in ("sanne", "erik", "tom", "lisa")))
            assert shown_to(world, "fenna") == baseline["fenna"]  # she sees neither worry
        finally:
            db.session.rollback()


def test_a_goal_lisa_keeps_private_is_agreed_again_by_her_alone(world, baseline):
    """Mark changes Lisa's own goal: only Lisa is asked again and only she (and Mark) sees the plan waiting; when
    she agrees it is fixed again without telling her parents, and their "fixed on" date does not move."""
    with world.app.test_request_context():
        try:
            calm = world.item("goal", youth_id=world.people["lisa"])
            mark = world.ctx("mark")
            notified_up_to = max_notification()
            services.update_item(db.session, ctx=mark, speaker=services.speaker_for(mark, None), item_id=calm.id,
                                 expected_version=calm.version,
                                 fields={"text": calm.text, "result": calm.result, "domain": calm.domain,
                                      "youth_id": calm.youth_id, "due_date": calm.due_date,
                                      "helpers": "Psycholoog en mentor"})
            for key in ("sanne", "erik", "tom", "noor", "pieter", "fenna", "karin"):
                assert shown_to(world, key) == baseline[key], key
            assert shown_to(world, "lisa")[0].status == PlanStatus.AGREEING
            asked = {n.person_id for n in new_notifications(notified_up_to) if n.topic == Topic.AGREEMENT_ASKED}
            assert asked == {world.people["lisa"]}
            notified_up_to = max_notification()
            agreement.decide(db.session, ctx=world.ctx("lisa"), person_id=world.people["lisa"], goal_id=calm.id,
                             decision="agree")
            assert world.ctx("mark").plan.fixed_count == 2
            for key in ("sanne", "erik", "tom", "noor", "pieter", "fenna", "karin"):
                assert shown_to(world, key) == baseline[key], key
            told = {n.person_id for n in new_notifications(notified_up_to) if n.topic == Topic.PLAN_FIXED}
            assert told == {world.people["mark"]}
        finally:
            db.session.rollback()


def test_taking_out_a_goal_not_everyone_may_see_fixes_the_plan_again_quietly(world, baseline):
    """Tom's (14) goal is taken out: his sisters never saw it, so nobody is asked to agree to the plan again and
    nobody's status changes; the municipality hears the plan without it."""
    with world.app.test_request_context():
        try:
            switch = world.item("goal", youth_id=world.people["tom"], domain="parenting")
            never_saw = [key for key, ctx in ((key, world.ctx(key)) for key in PERSONAS)
                         if not can_view(ctx.actor, ctx.policy_item(switch))]
            mark, notified_up_to = world.ctx("mark"), max_notification()
            services.delete_item(db.session, ctx=mark, speaker=services.speaker_for(mark, None), item_id=switch.id,
                                 expected_version=switch.version)
            for key in PERSONAS:  # the goal's own agreement is gone for who saw it; the plan's status is the same
                shown = shown_to(world, key)
                assert shown[0] == baseline[key][0], key
                assert key not in never_saw or shown == baseline[key], key
            assert [n for n in new_notifications(notified_up_to)
                    if n.topic in (Topic.AGREEMENT_ASKED, Topic.PLAN_FIXED)] == []
            fixed = db.session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "plan.fixed",
                                                              OutboxEvent.aggregate_id == world.plan_id)
                                    .order_by(OutboxEvent.sequence)).all()
            assert fixed[-1].payload["fixed_count"] == 2
            assert switch.id not in {goal["goal_id"] for goal in fixed[-1].payload["goals"]}
        finally:
            db.session.rollback()


def test_a_goal_withheld_from_the_parents_does_not_ask_them_to_agree(world):
    """Mark keeps Tom's (14) school goal from his parents and changes it: Tom is asked again, his parents are not
    told that anything waits for them."""
    with world.app.test_request_context():
        try:
            school = world.item("goal", youth_id=world.people["tom"], domain="school")
            mark = world.ctx("mark")
            services.set_visibility(db.session, ctx=mark, item_id=school.id, change="withhold", reason="Eerst met Tom",
                                    consulted="Hiske de Vries, gedragswetenschapper", opinion="Eens: eerst met Tom.")
            notified_up_to = max_notification()
            services.update_item(db.session, ctx=mark, speaker=services.speaker_for(mark, None), item_id=school.id,
                                 expected_version=school.version,
                                 fields={"text": school.text, "result": "Een 6 voor wiskunde.", "domain": "school",
                                      "youth_id": school.youth_id, "due_date": school.due_date, "helpers": ""})
            asked = {n.person_id for n in new_notifications(notified_up_to) if n.topic == Topic.AGREEMENT_ASKED}
            assert asked == {world.people["tom"]}
        finally:
            db.session.rollback()


VISIBILITY = [  # (whose item, the change made first, the change tested, who changes it)
    ("tom_worry", None, "withhold", "mark"),
    ("tom_worry", "withhold", "unwithhold", "mark"),
    ("lisa_worry", None, "share", "lisa"),
    ("lisa_worry", "share", "unshare", "lisa"),
    ("tom_worry", None, "release", "mark"),
    ("tom_worry", "release", "unrelease", "mark"),
]


@pytest.mark.parametrize(("whose", "first", "change", "by"), VISIBILITY)
def test_a_visibility_change_reaches_only_who_may_see_it_or_could_before(world, whose, first, change, by):
    """Who could see the item (at the page's last event, or since) hears it changed: their page takes it away or
    shows it; who never could hears nothing, so its existence stays hidden."""
    with world.app.test_request_context():
        try:
            youth = world.people["tom" if whose == "tom_worry" else "lisa"]
            item = world.item("worry", youth_id=youth)
            contexts = {key: world.ctx(key) for key in PERSONAS}
            could = {key: can_view(ctx.actor, ctx.policy_item(item)) for key, ctx in contexts.items()}
            after = last_change(world)
            if first:
                services.set_visibility(db.session, ctx=world.ctx(by), item_id=item.id, change=first, reason="Eerst",
                                        consulted="Hiske de Vries", opinion="Eens")
            readers = {key: queries.reader(db.session, ctx=world.ctx(key)) for key in PERSONAS}
            shown_now = {key: item.id in readers[key].seen for key in PERSONAS}
            db.session.info.pop("live_messages", None)
            services.set_visibility(db.session, ctx=world.ctx(by), item_id=item.id, change=change, reason="Eerst",
                                    consulted="Hiske de Vries, gedragswetenschapper", opinion="Eens: eerst met Tom.")
            messages = published()
            for key in PERSONAS:
                ctx = world.ctx(key)
                may_see = can_view(ctx.actor, ctx.policy_item(item))
                caught = queries.missed_events(db.session, ctx=ctx, after=after)
                live = heard(readers[key], messages)
                assert bool(caught) == (may_see or could[key] or shown_now[key]), key
                assert bool(live) == (may_see or shown_now[key]), key
                for event in caught + live:
                    assert (event["item"], event["visibility"]) == (item.id, True), key
                    assert may_see or "by" not in event, key  # taking it away tells no more than that
        finally:
            db.session.rollback()


def test_hidden_changes_neither_show_up_nor_crowd_out_the_changes_since_your_last_visit(world):
    """Sanne's "changed since your last visit" lists Erik's change, however often Lisa changed a worry of her own."""
    with world.app.test_request_context():
        try:
            sanne, now = world.people["sanne"], utcnow()
            visit = db.session.get(PlanVisit, (sanne, world.plan_id)) or PlanVisit(person_id=sanne,
                                                                                 plan_id=world.plan_id)
            # The mark of a reload, set to now: what made the world (perhaps less than a second ago, when this
            # test runs first in its process) is from before the visit, and only the changes below are after it.
            visit.previous_at, visit.last_at = now, now
            db.session.add(visit)
            erik = world.ctx("erik")
            worry = world.item("worry", author_id=world.people["erik"])
            services.update_item(db.session, ctx=erik, speaker=services.speaker_for(erik, None), item_id=worry.id,
                                 expected_version=worry.version, fields={"text": "Het wisselen gaat beter.",
                                                                      "youth_id": None})
            lisa = world.ctx("lisa")
            own = world.item("worry", author_id=world.people["lisa"])
            for n in range(55):
                own = services.update_item(db.session, ctx=lisa, speaker=services.speaker_for(lisa, None),
                                           item_id=own.id, expected_version=own.version,
                                           fields={"text": f"Onrustig, versie {n}", "youth_id": own.youth_id})
            pv = queries.build(db.session, ctx=world.ctx("sanne"))
            assert [change.item.id for change in pv.changes] == [worry.id]
        finally:
            db.session.rollback()


# Through HTTP: the stream route, the page's own starting point, Last-Event-ID (these commit: an app of their own).

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    world = _plan_world(tmp_path_factory, "served")
    clients = {}
    for key in ("sanne", "erik", "lisa", "fenna", "noor"):
        clients[key] = world.app.test_client()
        sign_in(clients[key], key)
    yield world, clients
    with world.app.app_context():
        db.engine.dispose()


class Stream:
    """An open live stream, requested and read on a thread of its own (as a server gives each request one: the
    stream keeps its request context pushed on the thread that opened it)."""

    def __init__(self, client, url: str, headers: dict | None = None):
        self.events: list[dict] = []
        self.stop = threading.Event()
        self.opened = threading.Event()
        self.thread = threading.Thread(target=self._read, args=(client, url, headers or {}), daemon=True)
        self.thread.start()
        assert self.opened.wait(5)

    def _read(self, client, url: str, headers: dict) -> None:
        self.response = client.get(url, headers=headers, buffered=False)
        self.opened.set()
        buffer = ""
        for chunk in self.response.response:
            buffer += chunk.decode()
            while "\n\n" in buffer:
                block, buffer = buffer.split("\n\n", 1)
                event = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and line[0] != ":")
                if "data" in event:
                    self.events.append({"event": event.get("event"), **json.loads(event["data"])})
            if self.stop.is_set():
                break
        self.response.close()

    def wait(self, predicate, seconds: float = 5.0) -> None:
        deadline = time.monotonic() + seconds
        while not any(predicate(e) for e in self.events):
            assert time.monotonic() < deadline, self.events
            time.sleep(0.02)

    def close(self) -> list[dict]:
        self.stop.set()
        self.thread.join(timeout=5)
        assert not self.thread.is_alive()
        return self.events

    def item_ids(self) -> set[str]:
        return {e["item"] for e in self.events if e["event"] == "item"}


def post_worry(client, plan: str, text: str, youth_id: str = "") -> str:
    page = client.get(plan).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(f"{plan}/onderdelen/worry", data={"csrf_token": token, "text": text,
                                                              "youth_id": youth_id})
    assert response.status_code == 303, response.status_code
    return response.headers["Location"].rsplit("#item-", 1)[1]


def stream_start(client, plan: str) -> str:
    """The event id the page's live stream starts from."""
    return re.search(r'/live\?after=(\d+)', client.get(plan).get_data(as_text=True)).group(1)


def test_the_stream_its_catch_up_and_the_page_carry_only_what_the_reader_may_see(served):
    world, clients = served
    plan = f"/plan/{world.plan_id}"
    starts = {key: stream_start(clients[key], plan) for key in ("sanne", "fenna", "noor")}
    streams = {key: Stream(clients[key], f"{plan}/live") for key in ("sanne", "fenna", "lisa")}
    for stream in streams.values():
        stream.wait(lambda e: e["event"] == "ready")
    family = post_worry(clients["erik"], plan, "Het wisselen op vrijdag gaat nog vaak mis.")
    private = post_worry(clients["lisa"], plan, "Ik slaap slecht voor toetsen.", world.people["lisa"])
    streams["lisa"].wait(lambda e: e.get("item") == private)
    streams["sanne"].wait(lambda e: e.get("item") == family)
    time.sleep(0.3)  # what else would reach the others' streams has arrived by now
    live = {key: (stream.close(), stream.item_ids()) for key, stream in streams.items()}
    assert live["lisa"][1] == {family, private}
    assert live["sanne"][1] == {family}
    assert live["fenna"][1] == set()
    for key in ("sanne", "fenna"):
        assert private not in json.dumps(live[key][0]), key
    # the page starts its stream from the latest change this person may see, not from Lisa's
    assert stream_start(clients["sanne"], plan) == str(_version_id(world, family))
    assert stream_start(clients["fenna"], plan) == starts["fenna"]
    # a reconnecting page catches up (Last-Event-ID, or the page's own ?after=) on what it may see only
    for key, expected in (("sanne", {family}), ("fenna", set()), ("noor", {family})):
        caught = Stream(clients[key], f"{plan}/live", {"Last-Event-ID": starts[key]})
        caught.wait(lambda e: e["event"] == "ready")
        events = caught.close()
        assert caught.item_ids() == expected, key
        assert private not in json.dumps(events), key
    caught = Stream(clients["fenna"], f"{plan}/live?after={starts['sanne']}")
    caught.wait(lambda e: e["event"] == "ready")
    assert {e["event"] for e in caught.close()} <= {"ready", "presence"}


def _version_id(world: PlanWorld, item_id: str) -> int:
    with world.app.app_context():
        return db.session.exec(select(sa.func.max(ItemVersion.id)).where(ItemVersion.item_id == item_id)).one()


def test_a_page_drawn_after_the_fixing_has_missed_nothing_and_still_hears_what_comes_next(world):
    """Opening a fixed plan: its stream catches up on nothing that was logged before the page was drawn (the
    fixing's agreement and visibility news made every view fetch the page a second time, issue 17), and still on a
    change made after it."""
    with world.app.test_request_context():
        drawn_before = {}
        for key in PERSONAS:
            ctx = world.ctx(key)
            plan_view = queries.build(db.session, ctx=ctx, record_visit=False)
            after = str(queries.last_event_id(db.session, plan_id=ctx.plan.id, item_ids=plan_view.item_ids))
            drawn = queries.drawn_at(str(queries.drawn_mark()))
            assert queries.missed_events(db.session, ctx=ctx, after=after, drawn=drawn) == [], key
            drawn_before[key] = (after, drawn)
        try:
            time.sleep(0.002)  # a change in a later millisecond than the page
            worry = services.create_item(db.session, ctx=world.ctx("erik"),
                                         speaker=services.speaker_for(world.ctx("erik"), None),
                                         kind="worry", fields={"text": "Na het openen geschreven"})
            for key in ("sanne", "erik", "mark"):
                after, drawn = drawn_before[key]
                caught = queries.missed_events(db.session, ctx=world.ctx(key), after=after, drawn=drawn)
                assert worry.id in {event["item"] for event in caught if event["type"] == "item"}, key
        finally:
            db.session.rollback()


def test_without_the_drawing_time_a_fixed_plan_replays_its_fixing(world):
    """The case the drawing time is for: from its last item change alone, some page of the fixed plan would catch
    up on the fixing (the test above would then see events)."""
    with world.app.test_request_context():
        replayed = set()
        for key in PERSONAS:
            ctx = world.ctx(key)
            plan_view = queries.build(db.session, ctx=ctx, record_visit=False)
            after = str(queries.last_event_id(db.session, plan_id=ctx.plan.id, item_ids=plan_view.item_ids))
            if queries.missed_events(db.session, ctx=ctx, after=after):
                replayed.add(key)
        assert replayed, "no page would replay anything: the guard above proves nothing"
