"""The result page over HTTP: judging in Frysk and Dutch, forms that keep what was typed, the plan's fragment."""

import re

from sqlmodel import select

from app.extensions import db
from app.outbox.models import OutboxEvent
from tests.conftest import csrf_token, sign_in_person


def page(world):
    return f"/doel/{world.goal_id}/resultaat"


def post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, url.split("?")[0]), **data})


def errors(response) -> list[str]:
    return re.findall(r'class="field__error"[^>]*>([^<]*)<', response.get_data(as_text=True))


def test_the_browser_scenario_youth_and_parents_achieved_provider_partly(sqlite_world):
    world, app = sqlite_world, sqlite_world.app
    client = app.test_client()
    for key, verdict in [("provider_staff", "partly"), ("youth", "achieved"), ("parent", "achieved"),
                         ("other_parent", "achieved")]:
        sign_in_person(client, world.people[key])
        response = post(client, page(world), verdict=verdict, explanation="Het weekrooster werkt.")
        assert response.status_code == 303, errors(response)
        assert response.headers["Location"].endswith("#verdicts")
    with app.app_context():
        kinds = [e.event_type for e in db.session.exec(select(OutboxEvent).where(
            OutboxEvent.aggregate_id == world.plan_id)).all()]
    assert kinds.count("result.achieved") == 1
    sign_in_person(client, world.people["parent"])  # she reads Frysk
    html = client.get(page(world)).get_data(as_text=True)
    assert "It oardiel fan it gesin" in html
    assert "Behelle" in html
    assert "Foar in part behelle" in html  # the provider's verdict, shown but not deciding
    plan = client.get(f"/plan/{world.plan_id}").get_data(as_text=True)
    assert f'id="result-{world.goal_id}"' in plan
    assert f'href="/doel/{world.goal_id}/resultaat"' in plan
    late = post(client, page(world), verdict="not_achieved", explanation="Toch niet.")
    assert late.status_code == 422
    assert "It oardiel fan it gesin stiet fêst" in late.get_data(as_text=True)


def test_a_bad_verdict_keeps_what_was_typed_and_hostile_text_is_escaped(sqlite_world):
    world, client = sqlite_world, sqlite_world.app.test_client()
    sign_in_person(client, world.people["other_parent"])  # he reads Dutch
    assert "Nog niemand gaf een oordeel." in client.get(page(world)).get_data(as_text=True)
    typed = "<script>alert(1)</script> 🙂 Tom en ús: it giet goed"
    response = post(client, page(world), verdict="", explanation=typed)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert errors(response) == ["Kies een van de antwoorden."]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 🙂 Tom en ús: it giet goed" in html
    assert "<script>alert(1)</script>" not in html
    huge = post(client, page(world), verdict="achieved", explanation="x" * 5000)
    assert huge.status_code == 422
    assert any("2000" in message for message in errors(huge))


def test_before_your_own_verdict_you_do_not_see_the_others(sqlite_world):
    world, client = sqlite_world, sqlite_world.app.test_client()
    sign_in_person(client, world.people["youth"])
    post(client, page(world), verdict="achieved", explanation="Geheim oordeel van Tom")
    sign_in_person(client, world.people["other_parent"])
    html = client.get(page(world)).get_data(as_text=True)
    assert "Geheim oordeel van Tom" not in html
    assert "Je ziet de oordelen van de anderen als je zelf een oordeel hebt gegeven." in html


def test_the_provider_records_care_and_cannot_correct_the_family_verdict(sqlite_world):
    world, client = sqlite_world, sqlite_world.app.test_client()
    sign_in_person(client, world.people["provider_staff"])
    html = client.get(page(world)).get_data(as_text=True)
    assert "Why it stopped" not in html  # Dutch UI for the provider's staff
    assert "Waarom het stopte" in html
    assert post(client, page(world) + "/correctie", verdict="achieved", reason="Ik vind het behaald").status_code == 403
    assert post(client, page(world) + "/gesprek", text="x").status_code == 403
    stopped_again = post(client, f"/doel/{world.goal_id}/zorg/stop", stopped_on="2026-13-45", reason="31")
    assert stopped_again.status_code == 422


def test_outcome_scores_out_of_range_are_refused_in_english(sqlite_world):
    world, client = sqlite_world, sqlite_world.app.test_client()
    sign_in_person(client, world.people["youth"])
    client.post("/taal", data={"csrf_token": csrf_token(client, "/hulp"), "lang": "en", "next": "/"})
    for score in ("0", "11", "zeven", "'; DROP TABLE outcome_answer;--"):
        response = post(client, page(world) + "/uitkomst", usefulness=score, independence="04")
        assert response.status_code == 422
        assert errors(response) == ["Choose a number from 1 to 10."]
        assert re.search(r'<input checked[^>]*value="04"', response.get_data(as_text=True))  # kept
    assert post(client, page(world) + "/uitkomst", usefulness="9", independence="04").status_code == 303


def test_a_child_gets_the_smiley_version(sqlite_world):
    world, client = sqlite_world, sqlite_world.app.test_client()
    from app.core.clock import today

    noor_goal, _assignment = world.ended_help("child", stopped_on=today())  # the child is 11
    sign_in_person(client, world.people["child"])
    html = client.get(f"/doel/{noor_goal}/resultaat").get_data(as_text=True)
    assert "Hoe ging het?" in html
    assert "😀" in html
    assert "Twee vragen over de hulp" not in html  # under 12: the outcome questions are for a parent
    sign_in_person(client, world.people["youth"])  # 14: the grown-up version, with the outcome questions
    html = client.get(page(world)).get_data(as_text=True)
    assert "Hoe ging het?" not in html
    assert "Twee vragen over de hulp" in html


def test_divided_shows_on_the_professional_s_plan_and_his_notification_opens_the_result_page(sqlite_world):
    world, client = sqlite_world, sqlite_world.app.test_client()
    for key, verdict in [("youth", "achieved"), ("parent", "partly"), ("other_parent", "achieved")]:
        sign_in_person(client, world.people[key])
        assert post(client, page(world), verdict=verdict, explanation="Zo zie ik het.").status_code == 303
    sign_in_person(client, world.people["professional"])  # the professional reads Dutch
    plan = client.get(f"/plan/{world.plan_id}").get_data(as_text=True)
    block = plan.split(f'id="result-{world.goal_id}"')[1].split("</p>")[0]
    assert '<span class="status status--result-divided">Verdeeld</span>' in block
    inbox = client.get("/meldingen").get_data(as_text=True)
    assert "Het gezin is het niet eens over het resultaat van een doel. Praat er met hen over:" in inbox
    note_id = re.search(r'href="/meldingen/(\d+)"', inbox).group(1)
    opened = client.get(f"/meldingen/{note_id}")
    assert opened.status_code == 303
    assert opened.headers["Location"].endswith(f"/doel/{world.goal_id}/resultaat?moment=eind")
    result = client.get(page(world)).get_data(as_text=True)
    assert "Het gezin is het nog niet eens." in result
    assert 'action="/doel/' + world.goal_id + '/resultaat/gesprek' in result


def test_after_the_family_verdict_the_provider_still_gives_her_verdict_and_it_is_shown(sqlite_world):
    world, client = sqlite_world, sqlite_world.app.test_client()
    for key in ("youth", "parent", "other_parent"):
        sign_in_person(client, world.people[key])
        assert post(client, page(world), verdict="achieved", explanation="Het weekrooster werkt.").status_code == 303
    sign_in_person(client, world.people["provider_staff"])
    html = client.get(page(world)).get_data(as_text=True)
    assert "Het oordeel van het gezin staat vast. Je kunt je eigen oordeel nog geven of veranderen" in html
    assert post(client, page(world), verdict="partly", explanation="Nog niet alles lukt.").status_code == 303
    sign_in_person(client, world.people["other_parent"])
    html = client.get(page(world)).get_data(as_text=True)
    assert "Nog niet alles lukt." in html
    assert '<span class="status status--result-achieved">Behaald</span>' in html.split('id="family-verdict"')[1]
    with sqlite_world.app.app_context():
        kinds = [e.event_type for e in db.session.exec(select(OutboxEvent).where(
            OutboxEvent.aggregate_id == world.plan_id, OutboxEvent.event_type.like("result.%"))).all()]
    assert kinds == ["result.achieved"]
