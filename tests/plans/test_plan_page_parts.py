"""Issue 17 on the plan page: the agreement panel says which goals still wait and for whom (only what the reader may
see), the kitchen-table speaker is for one thing said (and network members can speak), a goal just added is a choice
in the task form at once, and a network member sees her part without six empty sections."""

import re

from app.extensions import db
from app.plans import agreement, queries, services
from app.plans.models import PlanStatus
from tests.conftest import csrf_token, sign_in
from tests.plans.conftest import PlanWorld, signed_in_world

HTMX = {"HX-Request": "true"}
SCHOOL = "Tom gaat weer met plezier naar school"
CALM = "Beter omgaan met spanning voor toetsen"  # Lisa's (16) goal, not shared with her parents


def plan_url(world: PlanWorld) -> str:
    return f"/plan/{world.plan_id}"


def page_as(plan_app, world: PlanWorld, key: str) -> str:
    client = plan_app.test_client()
    sign_in(client, key)
    return client.get(f"{plan_url(world)}?lang=nl").get_data(as_text=True)


def waiting_panel(html: str) -> str:
    found = re.search(r'<div class="agreement-waiting" id="agreement-waiting">(.*?)</div>', html, re.S)
    assert found, "no agreement panel on the page"
    return found.group(1)


def lines(panel: str) -> list[str]:
    """Each waiting goal as the reader reads it: its link's text and who still has to agree."""
    return [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in re.findall(r"<li>(.*?)</li>", panel, re.S)]


def agree(world: PlanWorld, calls: list[tuple[str, object]]) -> None:
    """Record each person's "akkoord" (typed by the professional, who may record it for them)."""
    for key, goal in calls:
        agreement.decide(db.session, ctx=world.ctx("mark"), person_id=world.people[key],
                         goal_id=goal.id if goal else None, decision="agree")
    db.session.commit()


def lisa_changes_her_goal(world: PlanWorld) -> None:
    """Lisa rewords her own goal: its agreement is asked again, from her only; her parents may not see it."""
    ctx = world.ctx("lisa")
    calm = world.item("goal", youth_id=world.people["lisa"])
    services.update_item(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), item_id=calm.id,
                         expected_version=calm.version,
                         fields={"text": calm.text, "result": "Ik slaap goed voor een toets", "domain": calm.domain,
                              "youth_id": calm.youth_id, "due_date": calm.due_date, "helpers": calm.helpers})
    db.session.commit()


def test_everyone_agreed_to_the_plan_and_the_panel_says_which_goal_still_waits_for_whom(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        agree(world, [("erik", None), ("tom", None), ("lisa", None)])  # everyone agrees to the whole plan
        school = world.item("goal", youth_id=world.people["tom"], domain="school")
    html = page_as(plan_app, world, "erik")
    assert "Wacht op akkoord" in html
    panel = waiting_panel(html)
    assert "Het plan wacht nog op akkoord over:" in panel
    assert f'<a href="#item-{school.id}">{SCHOOL}</a>' in panel  # a link to the goal on this page
    assert f'id="item-{school.id}"' in html
    # Erik is told it is him (and Tom, who said no and has to agree to a changed goal)
    assert lines(panel) == [f"{SCHOOL} Moet nog akkoord geven: jij en Tom de Boer"]
    assert lines(waiting_panel(page_as(plan_app, world, "sanne"))) == [
        f"{SCHOOL} Moet nog akkoord geven: Erik de Boer en Tom de Boer"]


def test_a_goal_hidden_from_the_reader_is_neither_named_nor_counted_in_the_panel(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        lisa_changes_her_goal(world)
        calm = world.item("goal", youth_id=world.people["lisa"])
        for key, shown in [("mark", 2), ("lisa", 1), ("sanne", 1), ("erik", 1)]:
            pv = queries.build(db.session, ctx=world.ctx(key), record_visit=False)
            assert len(pv.waiting) == shown, key
            assert (calm.id in {w.goal.id for w in pv.waiting}) is (key in ("mark", "lisa")), key
    assert lines(waiting_panel(page_as(plan_app, world, "lisa")))[-1] == f"{CALM} Moet nog akkoord geven: jij"
    for parent in ("sanne", "erik"):
        panel = waiting_panel(page_as(plan_app, world, parent))
        assert len(lines(panel)) == 1
        assert SCHOOL in lines(panel)[0]
        assert CALM not in panel
        assert "Lisa" not in panel


def test_when_only_a_hidden_goal_waits_the_parents_are_told_nothing_waits(plan_app):
    world = PlanWorld(plan_app)
    with plan_app.test_request_context():
        school = world.item("goal", youth_id=world.people["tom"], domain="school")
        switch = world.item("goal", youth_id=world.people["tom"], domain="parenting")
        agree(world, [("erik", school), ("tom", school), ("erik", switch), ("erik", None), ("tom", None),
                      ("lisa", None)])
        assert world.ctx("mark").plan.status == PlanStatus.FIXED
        nothing_waits = waiting_panel(page_as(plan_app, world, "sanne"))
        lisa_changes_her_goal(world)  # only Lisa's goal, hidden from her parents, waits now
        assert world.ctx("mark").plan.status == PlanStatus.AGREEING
    for parent in ("sanne", "erik"):
        html = page_as(plan_app, world, parent)
        assert "Wacht op akkoord" not in html.split('class="plan-status"')[1][:200]
        assert waiting_panel(html) == nothing_waits  # not a word, not an empty list, not a count
        assert lines(waiting_panel(html)) == []
    assert lines(waiting_panel(page_as(plan_app, world, "mark"))) == [
        f"{CALM} Moet nog akkoord geven: Lisa de Boer"]


def test_oma_fenna_can_be_chosen_as_the_speaker(plan_app):
    world = PlanWorld(plan_app)
    html = page_as(plan_app, world, "mark")
    select = re.search(r'<select[^>]*id="speaker_id".*?</select>', html, re.S).group(0)
    assert "Fenna Hoekstra" in select
    assert all(name in select for name in ("Mark Visser", "Sanne Hoekstra", "Erik de Boer", "Tom de Boer"))


def test_after_a_save_on_someones_behalf_the_professional_speaks_again(plan_app):
    world, client = signed_in_world(plan_app, "mark")
    token = csrf_token(client, plan_url(world))
    client.post(f"{plan_url(world)}/spreker", data={"csrf_token": token, "speaker_id": world.people["fenna"]})
    answer = client.post(f"{plan_url(world)}/onderdelen/strength?lang=nl", headers={**HTMX, "X-CSRFToken": token},
                         data={"text": "Noor lacht veel bij oma"}).get_data(as_text=True)
    assert answer.lstrip().startswith('<article class="item item--strength"')  # the item first, where it goes
    assert "— Fenna Hoekstra" in answer
    speaker_form = re.search(r'<form[^>]*id="speaker".*?</form>', answer, re.S).group(0)
    assert 'hx-swap-oob="true"' in speaker_form
    assert re.search(r'<option selected value="[^"]+">Mark Visser</option>', speaker_form)
    status = re.search(r'<div id="speaker-status"[^>]*>(.*?)</div>', answer, re.S)
    assert 'hx-swap-oob="innerHTML"' in status.group(0)
    assert "Bewaard als woorden van Fenna Hoekstra. Wat je nu typt, is weer van jou." in status.group(1)
    assert "aan het woord" not in status.group(1)
    nxt = client.post(f"{plan_url(world)}/onderdelen/strength?lang=nl", headers={**HTMX, "X-CSRFToken": token},
                      data={"text": "Mark ziet een warm gezin"}).get_data(as_text=True)
    assert "— Mark Visser" in nxt
    assert "Fenna" not in nxt


def test_without_javascript_the_page_after_the_save_says_whose_words_were_saved(plan_app):
    world, client = signed_in_world(plan_app, "mark")
    token = csrf_token(client, plan_url(world))
    client.post(f"{plan_url(world)}/spreker", data={"csrf_token": token, "speaker_id": world.people["tom"]})
    client.post(f"{plan_url(world)}/onderdelen/worry", data={"csrf_token": token, "text": "Gezegd door Tom"})
    html = client.get(f"{plan_url(world)}?lang=nl").get_data(as_text=True)
    assert "Bewaard als woorden van Tom de Boer." in html
    assert "Tom de Boer is nu aan het woord." not in html
    assert "Bewaard als woorden" not in client.get(f"{plan_url(world)}?lang=nl").get_data(as_text=True)  # once


def test_a_goal_added_with_htmx_comes_along_as_a_choice_in_the_task_form(plan_app):
    world, client = signed_in_world(plan_app, "erik")
    token = csrf_token(client, plan_url(world))
    answer = client.post(f"{plan_url(world)}/onderdelen/goal", headers={**HTMX, "X-CSRFToken": token},
                         data={"text": "Tom fietst zelf naar de training", "domain": "leisure"}
                         ).get_data(as_text=True)
    goal_id = re.search(r'<article class="item item--goal" id="item-(\w+)"', answer).group(1)
    oob = re.search(r'<select[^>]*hx-swap-oob="beforeend:#add-action-goal_id"[^>]*>(.*?)</select>', answer, re.S)
    assert oob, "the task form's goal list is not told of the new goal"
    assert oob.group(1) == f'<option value="{goal_id}">Tom fietst zelf naar de training</option>'
    assert 'id="add-action-goal_id"' in client.get(plan_url(world)).get_data(as_text=True)  # the list it goes to
    strength = client.post(f"{plan_url(world)}/onderdelen/strength", headers={**HTMX, "X-CSRFToken": token},
                           data={"text": "Tom helpt graag"}).get_data(as_text=True)
    assert "hx-swap-oob" not in strength  # only a goal changes the list


def test_oma_fenna_sees_her_part_without_empty_sections_and_learns_nothing_of_the_rest(plan_app):
    world = PlanWorld(plan_app)
    before = page_as(plan_app, world, "fenna")
    assert "Hier staat nog niets" not in before
    assert re.findall(r'<h2 id="heading-(\w+)"', before) == ["action"]
    assert "Noor tiisdeis fan skoalle helje" in before  # her own task
    assert "Je ziet alleen de delen van het plan die voor jou zijn. De rest van het plan is van het gezin." in before
    assert 'href="#section-worry"' not in before
    with plan_app.test_request_context():  # the family adds a worry and a goal she may not see
        ctx = world.ctx("sanne")
        for kind, text in [("worry", "Noor slaapt slecht"), ("goal", "Noor slaapt weer door")]:
            services.create_item(db.session, ctx=ctx, speaker=services.speaker_for(ctx, None), kind=kind,
                                 fields={"text": text, "youth_id": world.people["noor"]})
        db.session.commit()
    after = page_as(plan_app, world, "fenna")

    def main_part(html: str) -> str:  # the sections and what is said about them, without tokens and times
        part = html.split('<nav class="plan-nav"')[1].split('<p class="plan-export">')[0]
        return re.sub(r'value="[^"]*"', "", part)

    assert main_part(after) == main_part(before)
    assert "Noor slaapt" not in after


def test_a_reader_who_sees_the_whole_plan_still_sees_empty_sections(plan_app):
    world = PlanWorld(plan_app)
    html = page_as(plan_app, world, "lisa")  # Lisa has no safety agreements to see: her family's section stays
    assert 'id="heading-safety"' in html
    assert "Hier staat nog niets." in html
    assert "De rest van het plan is van het gezin" not in html
