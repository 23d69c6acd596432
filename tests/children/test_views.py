"""The child view (under 12: Drie Huizen) and the youth view (12-17), as the demo family uses them (issue 21).

Noor (9) adds to her houses on her mother's phone or her own, in her own name; the age rules for under-12s apply
(parents decide: what she adds asks nobody to agree again). Shown on a parent's phone, her view shows only what both
may see. Tom (14) agrees to his goal in one tap; Lisa (16) switches what her parents see. The home page's plan
button follows age, and anyone may choose the whole plan instead.
"""

import re

import pytest
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.children.models import CheckIn
from app.children.services import check_in_facts
from app.extensions import db
from app.identity.models import Person
from app.identity.policy import Actor, Role, can_create, can_show_child_view
from app.plans import services as plan_services
from app.plans.context import plan_context
from app.plans.models import Agreement, Plan, PlanItem
from tests.conftest import csrf_token, demo_id, family_id, sign_in

WORRY = "Ik bin bang yn it tsjuster 🌙 ôâûê"
TOO_LONG = "Dit is te lang: maksimaal 200 tekens. Do hast der 201."


def plan_id(flask_app) -> str:
    with flask_app.app_context():
        return db.session.exec(select(Plan).where(Plan.family_id == family_id(flask_app))).one().id


def child_url(flask_app, key: str = "noor") -> str:
    return f"/plan/{plan_id(flask_app)}/kind/{demo_id(flask_app, key)}"


def signed_in(flask_app, key: str):
    client = flask_app.test_client()
    sign_in(client, key)
    return client


def add(client, url: str, house: str, **fields):
    data = {"csrf_token": csrf_token(client, url)} | {f"{house}-{name}": value for name, value in fields.items()}
    return client.post(f"{url}/huis/{house}", data=data)


def plan_state(flask_app) -> tuple[str, int]:
    with flask_app.app_context():
        plan = db.session.get(Plan, plan_id(flask_app))
        return plan.status, plan.content_version


def test_noor_adds_a_worry_with_a_picture_on_her_mothers_phone(any_plan_app):
    sanne = signed_in(any_plan_app, "sanne")
    url = child_url(any_plan_app)
    page = sanne.get(url).get_data(as_text=True)
    assert "Hoi Noor! Dit is dyn plan." in page  # Sanne reads Frysk: the view is in the language of who holds it
    assert "Do litst Noor it berneplan sjen." in page
    before = plan_state(any_plan_app)

    answer = add(sanne, url, "worry", picture="scared", words=WORRY)
    assert answer.status_code == 303
    entry_id = re.search(r"#entry-(\w+)$", answer.headers["Location"]).group(1)
    with any_plan_app.app_context():
        item = db.session.get(PlanItem, entry_id)
        noor, sanne_id = demo_id(any_plan_app, "noor"), demo_id(any_plan_app, "sanne")
        assert (item.kind, item.text, item.picture) == ("worry", WORRY, "scared")
        assert (item.author_id, item.typed_by_id, item.youth_id, item.author_youth_age) == (noor, sanne_id, noor, 9)
        logged = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.object_id == entry_id)).one()
        assert (logged.event, logged.actor_id, logged.on_behalf_of_id) == ("item.create", sanne_id, noor)
    assert plan_state(any_plan_app) == before  # her voice, not a change anyone is asked to agree to again
    assert WORRY in sanne.get(url).get_data(as_text=True)

    mark = signed_in(any_plan_app, "mark").get(f"/plan/{plan_id(any_plan_app)}").get_data(as_text=True)
    shown = mark[mark.index(f'id="item-{entry_id}"'):]
    shown = shown[:shown.index("</article>")]
    assert WORRY in shown
    assert "Noor de Boer" in shown
    assert "Sanne Hoekstra" in shown
    assert 'alt="bang"' in shown  # her picture, named in Mark's language


def test_a_picture_without_words_is_said_in_the_childs_own_language(plan_app):
    noor = signed_in(plan_app, "noor")
    assert add(noor, child_url(plan_app), "strength", picture="dog", words="").status_code == 303
    with plan_app.app_context():
        item = db.session.exec(select(PlanItem).where(PlanItem.picture == "dog")).one()
    assert item.text == "een hond"


@pytest.mark.parametrize(("fields", "message"), [
    ({"picture": "", "words": "   "}, "Kies in plaatsje, of sis it yn in pear wurden."),
    ({"picture": "rain", "words": ""}, "Kies ien fan de plaatsjes."),  # a worry's picture is no good thing
    ({"picture": "'; DROP TABLE plan_item; --", "words": ""}, "Kies ien fan de plaatsjes."),
    ({"picture": "sun", "words": "ô" * 201}, "TOO_LONG"),
])
def test_bad_input_comes_back_with_a_message_and_what_was_typed(plan_app, fields, message):
    sanne = signed_in(plan_app, "sanne")
    with plan_app.app_context():
        count = len(db.session.exec(select(PlanItem)).all())
    answer = add(sanne, child_url(plan_app), "strength", **fields)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert (TOO_LONG if message == "TOO_LONG" else message) in page
    assert '<details class="house__add" open>' in page
    if fields["words"].strip():
        assert fields["words"] in page
    with plan_app.app_context():
        assert len(db.session.exec(select(PlanItem)).all()) == count


def test_hostile_words_are_shown_as_text(plan_app):
    noor = signed_in(plan_app, "noor")
    assert add(noor, child_url(plan_app), "own_words", picture="", words="<script>alert(1)</script>").status_code == 303
    page = noor.get(child_url(plan_app)).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_only_the_child_her_parents_with_custody_and_the_professional_open_her_view(plan_app):
    url = child_url(plan_app)
    for key, status in (("noor", 200), ("sanne", 200), ("erik", 200), ("mark", 200), ("tom", 404), ("lisa", 404),
                        ("fenna", 404), ("karin", 404), ("jeroen", 404)):
        assert signed_in(plan_app, key).get(url).status_code == status, key
    assert signed_in(plan_app, "sanne").get(child_url(plan_app, "tom")).status_code == 404  # Tom is 14: no child view
    assert signed_in(plan_app, "sanne").post(f"{url}/huis/attic", data={}).status_code in (400, 404)


def test_shown_on_a_parents_phone_her_view_holds_only_what_both_may_see(plan_app):
    """Lisa (16) wrote something about Noor that she did not share with her parents: Noor sees it on her own phone,
    but not when her mother shows her the view: Sanne must not learn it through Noor's eyes."""
    lisa_text = "Noor is myn leafste lytse suske"
    with plan_app.app_context():
        lisa = db.session.get(Person, demo_id(plan_app, "lisa"))
        ctx = plan_context(db.session, person=lisa, plan_id=plan_id(plan_app))
        plan_services.create_item(db.session, ctx=ctx, speaker=plan_services.speaker_for(ctx, None),
                                  kind="strength", fields={"text": lisa_text, "youth_id": demo_id(plan_app, "noor")})
        db.session.commit()
    assert lisa_text in signed_in(plan_app, "noor").get(child_url(plan_app)).get_data(as_text=True)
    assert lisa_text not in signed_in(plan_app, "sanne").get(child_url(plan_app)).get_data(as_text=True)


def test_a_check_in_reaches_who_may_see_it_and_nobody_else(plan_app):
    sanne = signed_in(plan_app, "sanne")
    url = child_url(plan_app)
    for bad in ("9", "", "1; DROP TABLE check_in"):
        answer = sanne.post(f"{url}/hoe-gaat-het", data={"csrf_token": csrf_token(sanne, url), "face": bad})
        assert answer.status_code == 422
        assert "Kies ien fan de gesichtsjes." in answer.get_data(as_text=True)
    answer = sanne.post(f"{url}/hoe-gaat-het", data={"csrf_token": csrf_token(sanne, url), "face": "5"})
    assert answer.status_code == 303
    with plan_app.app_context():
        rows = db.session.exec(select(CheckIn).order_by(CheckIn.created_at)).all()
    assert rows[-1].face == 5
    assert rows[-1].typed_by_id == demo_id(plan_app, "sanne")
    plan = f"/plan/{plan_id(plan_app)}"
    for key, sees in (("sanne", True), ("erik", True), ("mark", True), ("noor", True), ("tom", False),
                      ("lisa", False), ("fenna", False), ("karin", False)):
        page = signed_in(plan_app, key).get(plan).get_data(as_text=True)
        assert ('id="check-ins-heading"' in page and "check-ins__day--5" in page) is sees, key
    fragment = signed_in(plan_app, "tom").get(f"{plan}/hoe-gaat-het").get_data(as_text=True)
    assert "check-ins__day" not in fragment  # the live part fetched again tells Tom nothing either


def test_a_check_ins_live_news_goes_only_to_who_may_see_it(plan_app):
    with plan_app.app_context():
        noor = demo_id(plan_app, "noor")
        ctx = plan_context(db.session, person=db.session.get(Person, noor), plan_id=plan_id(plan_app))
        audience = ctx.audience(check_in_facts(noor, 9, 9))
    expected = {demo_id(plan_app, key) for key in ("noor", "sanne", "erik", "mark")}
    assert set(audience["people"]) == expected
    assert audience["organisations"] == []


def test_the_age_rules_of_the_child_view():
    noor, tom = Actor("noor", Role.YOUTH, age=9), Actor("tom", Role.YOUTH, age=14)
    assert [kind for kind in ("strength", "worry", "own_words", "goal", "action", "safety") if can_create(noor, kind)] \
        == ["strength", "worry", "own_words"]
    assert can_show_child_view(Actor("sanne", Role.PARENT, has_custody=True), noor)
    assert not can_show_child_view(Actor("pieter", Role.PARENT, has_custody=False), noor)
    assert not can_show_child_view(Actor("fenna", Role.NETWORK), noor)
    assert not can_show_child_view(Actor("sanne", Role.PARENT, has_custody=True), tom)
    assert can_show_child_view(noor, noor)
    assert not can_show_child_view(tom, noor)


def test_tom_agrees_to_his_goal_in_one_tap(plan_app):
    tom = signed_in(plan_app, "tom")
    url = f"/plan/{plan_id(plan_app)}/mijn"
    page = tom.get(url).get_data(as_text=True)
    assert page.index("In mijn eigen woorden") < page.index("Mijn doelen") < page.index("Wat ik hierna doe")
    with plan_app.app_context():
        school = db.session.exec(select(PlanItem).where(PlanItem.text == "Tom gaat weer met plezier naar school")).one()
    assert "Je bent het nog niet eens met dit doel." in page  # he said no in the demo
    empty = tom.post(f"{url}/akkoord", data={"csrf_token": csrf_token(tom, url), "goal_id": school.id,
                                             "decision": "disagree", "reason": ""})
    assert empty.status_code == 422
    answer = tom.post(f"{url}/akkoord", data={"csrf_token": csrf_token(tom, url), "goal_id": school.id,
                                              "decision": "agree"})
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"#goal-{school.id}")
    with plan_app.app_context():
        latest = db.session.exec(select(Agreement).where(Agreement.goal_id == school.id,
                                                         Agreement.person_id == demo_id(plan_app, "tom"))
                                 .order_by(Agreement.id.desc())).first()
    assert latest.decision == "agree"
    assert "Je bent het eens met dit doel." in tom.get(url).get_data(as_text=True)


def test_lisa_switches_what_her_parents_see_beside_each_item(plan_app):
    lisa = signed_in(plan_app, "lisa")
    url = f"/plan/{plan_id(plan_app)}/mijn"
    with plan_app.app_context():
        calm = db.session.exec(select(PlanItem).where(PlanItem.text == "Beter omgaan met spanning voor toetsen")).one()
    page = lisa.get(url).get_data(as_text=True)
    assert f'id="share-{calm.id}"' in page
    plan = f"/plan/{plan_id(plan_app)}"
    sanne = signed_in(plan_app, "sanne")
    parent_sees = "Beter omgaan met spanning voor toetsen" in sanne.get(plan).get_data(as_text=True)
    change = "unshare" if parent_sees else "share"
    answer = lisa.post(f"{url}/zichtbaarheid/{calm.id}", data={"csrf_token": csrf_token(lisa, url), "change": change})
    assert answer.status_code == 303
    now = "Beter omgaan met spanning voor toetsen" in signed_in(plan_app, "sanne").get(plan).get_data(as_text=True)
    assert now is not parent_sees
    assert lisa.post(f"{url}/zichtbaarheid/{calm.id}", data={"csrf_token": csrf_token(lisa, url),
                                                             "change": "withhold"}).status_code == 400
    tom = signed_in(plan_app, "tom")  # Lisa's goal is not his to see, let alone to share
    assert tom.post(f"{url}/zichtbaarheid/{calm.id}", data={"csrf_token": csrf_token(tom, url),
                                                            "change": "share"}).status_code == 404


def test_the_plan_button_follows_age_and_the_choice_is_kept(plan_app):
    plan = f"/plan/{plan_id(plan_app)}"
    for key, target in (("noor", f"{plan}/mijn"), ("tom", f"{plan}/mijn"), ("lisa", f"{plan}/mijn"),
                        ("sanne", plan), ("mark", plan)):
        home = signed_in(plan_app, key).get("/").get_data(as_text=True)
        assert f'href="{target}"' in home, key
    noor = signed_in(plan_app, "noor")
    assert noor.get(f"{plan}/mijn").headers["Location"].endswith(child_url(plan_app))
    tom = signed_in(plan_app, "tom")
    choose = tom.post(f"{plan}/weergave", data={"csrf_token": csrf_token(tom, plan), "view": "adult"})
    assert choose.status_code == 303
    assert choose.headers["Location"].endswith(plan)
    assert f'href="{plan}"' in tom.get("/").get_data(as_text=True)
    assert "Terug naar mijn eigen plan" in tom.get(plan).get_data(as_text=True)
    back = tom.post(f"{plan}/weergave", data={"csrf_token": csrf_token(tom, plan), "view": "own"})
    assert back.headers["Location"].endswith(f"{plan}/mijn")
    assert tom.post(f"{plan}/weergave", data={"csrf_token": csrf_token(tom, plan), "view": "x"}).status_code == 400


def test_a_goal_in_child_words_is_what_noor_reads(plan_app):
    page = signed_in(plan_app, "noor").get(child_url(plan_app)).get_data(as_text=True)
    assert "Ik mei sels in sport kieze. Dan gean ik alle wiken sporten!" in page
    assert "Noor docht mei oan in sport" not in page  # the adult text stays in the adult plan
    assert 'class="initials" aria-hidden="true">FH<' in page  # oma Fenna helps (her task under the goal)
    assert "/resultaat" not in page  # its help has not ended: no faces to choose yet
