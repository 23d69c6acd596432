"""The plan pages over HTTP: full pages and htmx fragments, conflicts shown in place, bad input kept."""

import re

from tests.conftest import csrf_token, sign_in
from tests.plans.conftest import PlanWorld, signed_in_world

HTMX = {"HX-Request": "true"}


def plan_url(world):
    return f"/plan/{world.plan_id}"


def test_plan_page_shows_sections_in_the_readers_language(plan_app):
    world, client = signed_in_world(plan_app, "sanne")
    html = client.get(plan_url(world)).get_data(as_text=True)
    assert '<html lang="fy"' in html
    assert "Wy meitsje alle sneonen tegearre iten." in html
    assert "Ik word heel onrustig voor toetsen" not in html  # Lisa (16) did not share it
    assert "Beter omgaan met spanning" not in html  # not even as a choice in the task form's goal list
    assert "Soms durf ik niet te zeggen" not in html  # withheld from parents by the professional


def test_tom_sees_his_withheld_words_and_not_his_sisters_worry(plan_app):
    world, client = signed_in_world(plan_app, "tom")
    html = client.get(plan_url(world)).get_data(as_text=True)
    assert "Soms durf ik niet te zeggen" in html
    assert "Ik word heel onrustig voor toetsen" not in html


def test_adding_with_htmx_returns_only_the_new_item(plan_app):
    world, client = signed_in_world(plan_app, "erik")
    token = csrf_token(client, plan_url(world))
    response = client.post(f"{plan_url(world)}/onderdelen/strength", headers={**HTMX, "X-CSRFToken": token},
                           data={"text": "Tom kookt op woensdag 🍝", "youth_id": world.people["tom"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<article class="item item--strength"')
    assert "Tom kookt op woensdag 🍝" in html


def test_adding_empty_text_keeps_the_form_and_says_why(plan_app):
    world, client = signed_in_world(plan_app, "erik")
    token = csrf_token(client, plan_url(world))
    response = client.post(f"{plan_url(world)}/onderdelen/goal", headers={**HTMX, "X-CSRFToken": token},
                           data={"text": "", "result": "<b>Mijn resultaat</b>", "domain": "school"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#add-goal"
    assert "&lt;b&gt;Mijn resultaat&lt;/b&gt;" in html
    assert 'aria-invalid="true"' in html


def test_without_javascript_adding_redirects_to_the_new_item(plan_app):
    world, client = signed_in_world(plan_app, "tom")
    token = csrf_token(client, plan_url(world))
    response = client.post(f"{plan_url(world)}/onderdelen/own_words", data={"csrf_token": token, "text": "Hoi"})
    assert response.status_code == 303
    assert re.search(r"/plan/\w+#item-\w+$", response.headers["Location"])


def test_a_conflict_shows_both_texts_and_keeps_mine(plan_app):
    world = PlanWorld(plan_app)
    sanne, erik = plan_app.test_client(), plan_app.test_client()
    sign_in(sanne, "sanne")
    sign_in(erik, "erik")
    with plan_app.app_context():
        worry = world.item("worry", author_id=world.people["erik"])
        url = f"{plan_url(world)}/onderdelen/{worry.id}/bewerken"
        version = worry.version
    for client, text in ((sanne, "Wat Sanne bewaarde"), (erik, "Wat Erik typte")):
        token = csrf_token(client, url)
        response = client.post(url, data={"csrf_token": token, "version": version, "text": text})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Wat Sanne bewaarde" in html  # theirs, next to
    assert "Wat Erik typte</textarea>" in html  # mine, still in the form
    assert "Sanne Hoekstra" in html


def test_history_page_shows_a_readable_diff(plan_app):
    world, client = signed_in_world(plan_app, "mark")
    with plan_app.app_context():
        goal = world.item("goal", youth_id=world.people["tom"], domain="school")
    html = client.get(f"{plan_url(world)}/onderdelen/{goal.id}/geschiedenis").get_data(as_text=True)
    assert "<ins>" in html
    assert "ziek." in html
    # words people read: the young person's name, the part of life, the date in words; never an id or a code
    assert "Tom de Boer" in html
    assert "School en werk" in html
    assert world.people["tom"] not in html
    assert ">school<" not in html
    assert not re.search(r"\d{4}-\d{2}-\d{2}", html)
    assert re.search(r"\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
                     r"december) \d{4}", html)


def test_the_plan_says_what_changed_since_the_last_visit(plan_app):
    """Sanne was here yesterday; since then Erik added a worry and Mark changed a goal: her plan lists both, in
    Frysk, and not her own changes."""
    import datetime as dt

    import sqlalchemy as sa

    from app.extensions import db
    from app.plans.models import PlanVisit

    world, sanne, erik = PlanWorld(plan_app), plan_app.test_client(), plan_app.test_client()
    sign_in(sanne, "sanne")
    sign_in(erik, "erik")
    sanne.get(plan_url(world))
    with plan_app.app_context():
        yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
        db.session.execute(sa.update(PlanVisit).where(PlanVisit.person_id == world.people["sanne"])
                           .values(last_at=yesterday, previous_at=None))
        db.session.commit()
    erik.post(f"{plan_url(world)}/onderdelen/worry",
              data={"csrf_token": csrf_token(erik, plan_url(world)), "text": "Tom slaapt slecht sinds de verhuizing"})
    with plan_app.app_context():
        gone = world.item("worry", author_id=world.people["erik"])
        gone_text, gone_id, gone_version = gone.text, gone.id, gone.version
    response = erik.post(f"{plan_url(world)}/onderdelen/{gone_id}/bewerken",
                         data={"csrf_token": csrf_token(erik, plan_url(world)), "version": gone_version,
                               "delete": "1"})
    assert response.status_code in (200, 303)
    sanne.post(f"{plan_url(world)}/onderdelen/strength",
               data={"csrf_token": csrf_token(sanne, plan_url(world)), "text": "Wy fytse gear nei skoalle"})
    html = sanne.get(plan_url(world)).get_data(as_text=True)
    changes = re.search(r'<details class="card changes".*?</details>', html, re.S)
    assert changes, "no list of changes"
    assert "sûnt dyn lêste besite" in changes.group(0)
    assert "Tom slaapt slecht sinds de verhuizing" in changes.group(0)
    assert "Erik de Boer" in changes.group(0)
    assert "Wy fytse gear nei skoalle" not in changes.group(0)  # her own change is no news to her
    # what was taken out is news too, said so, without a link to something no longer there
    removed = [line for line in re.findall(r"<li>.*?</li>", changes.group(0), re.S) if "fuortsmiten" in line]
    assert len(removed) == 1
    assert gone_text[:40] in removed[0]
    assert "href=" not in removed[0]
    again = sanne.get(plan_url(world)).get_data(as_text=True)  # a reload a minute later keeps the list
    assert "Tom slaapt slecht sinds de verhuizing" in re.search(r'<details class="card changes".*?</details>',
                                                                again, re.S).group(0)


def test_kitchen_table_speaker_is_shown_and_used(plan_app):
    world, client = signed_in_world(plan_app, "mark")
    token = csrf_token(client, plan_url(world))
    client.post(f"{plan_url(world)}/spreker", data={"csrf_token": token, "speaker_id": world.people["tom"]})
    html = client.get(plan_url(world)).get_data(as_text=True)
    assert "Tom de Boer" in html
    client.post(f"{plan_url(world)}/onderdelen/worry", data={"csrf_token": token, "text": "Gezegd door Tom"})
    assert "Gezegd door Tom" in client.get(plan_url(world)).get_data(as_text=True)


def test_a_100000_character_worry_is_refused_and_kept(plan_app):
    world, client = signed_in_world(plan_app, "erik")
    token = csrf_token(client, plan_url(world))
    response = client.post(f"{plan_url(world)}/onderdelen/worry", data={"csrf_token": token, "text": "z" * 100_000})
    assert response.status_code == 422
    assert "z" * 100_000 in response.get_data(as_text=True)


def test_professional_overview_lists_and_sorts_the_caseload(plan_app):
    from sqlmodel import select

    from app.demo.plan_content import seed_caseload
    from app.demo.services import demo_people
    from app.extensions import db
    from app.identity.models import Membership

    with plan_app.test_request_context():
        people = demo_people(db.session)
        seed_caseload(db.session, people["mark"], 1)
        db.session.commit()
        families = len(db.session.exec(select(Membership).where(Membership.person_id == people["mark"].id,
                                                                Membership.role == "professional")).all())
    assert families == 12  # the persona family, his caseload, the four who rated Kompas and two in its work (Karin)
    client = plan_app.test_client()
    sign_in(client, "mark")
    html = client.get("/overzicht?sort=overdue").get_data(as_text=True)
    names = re.findall(r'<th scope="row"><a href="/plan/\w+">([^<]+)</a>', html)
    assert len(names) == families
    assert names[0] == "De Boer-Hoekstra"  # most overdue tasks (and, by name, first of the ties)
    fragment = client.get("/overzicht?sort=name", headers=HTMX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="caseload"')
    sign_in(client, "sanne")
    assert client.get("/overzicht").status_code == 303
