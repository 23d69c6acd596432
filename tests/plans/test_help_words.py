"""Help lines appear next to text that mentions violence, abuse, self-harm or suicide; nothing is reported."""

import random
import re

import pytest

from app.plans.help_words import PATTERN, mentions_danger
from tests.conftest import csrf_token
from tests.plans.conftest import signed_in_world


@pytest.mark.parametrize("text", [
    "Mijn vader slaat mij soms", "Er is huiselijk geweld", "Ik denk aan zelfmoord", "Ik wil mezelf pijn doen",
    "Hy sloech my", "Ik tink oan selsmoard", "Ik fiel my ûnfeilich thús", "He hits me", "I want to kill myself",
    "ZELFMOORD", "Ik ben bang voor   huiselijk\ngeweld",
])
def test_danger_is_recognised_in_three_languages(text):
    assert mentions_danger(text)


@pytest.mark.parametrize("text", ["", None, "Ik slaap slecht", "We slaan een dag over", "Tom sla(at) de bal",
                                  "Geweldig gedaan!", "Wy meitsje alle sneonen tegearre iten", "Selsmoard"[:3]])
def test_ordinary_words_do_not_trigger_it(text):
    assert not mentions_danger(text)


def test_the_fast_check_finds_exactly_what_the_whole_word_list_finds():
    words = ("ik jij slaat slaan geslagen sloeg geweld Gewelddadig MISHANDELD misbruikt dood wil niet meer leven "
             "zelfmoordgedachten suïcidaal self-harm selfharm hurt myself beats me abused violent unsafe onveilig "
             "ûnfeilich selsmoard mysels sear dea wol net mear libje raped grape huiselijk de . , ! - \n")
    vocabulary = words.split(" ")
    rng = random.Random(7)
    for _ in range(5000):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 8)))
        assert mentions_danger(text) == (PATTERN.search(text) is not None), text


def test_geweldig_does_not_count_as_geweld():
    assert mentions_danger("geweld")
    assert mentions_danger("Hij was gewelddadig")
    assert not mentions_danger("Geweldig gedaan!")


def test_help_lines_show_next_to_a_worry_about_violence(plan_app):
    world, client = signed_in_world(plan_app, "tom")
    token = csrf_token(client, f"/plan/{world.plan_id}")
    response = client.post(f"/plan/{world.plan_id}/onderdelen/worry", headers={"HX-Request": "true",
                                                                               "X-CSRFToken": token},
                           data={"text": "Soms slaat mijn vader mij", "youth_id": world.people["tom"]})
    html = response.get_data(as_text=True)
    assert 'href="tel:08002000"' in html
    assert 'href="tel:08000432"' in html
    calm = client.post(f"/plan/{world.plan_id}/onderdelen/worry", headers={"HX-Request": "true", "X-CSRFToken": token},
                       data={"text": "Ik vind wiskunde moeilijk", "youth_id": world.people["tom"]})
    assert "tel:08002000" not in calm.get_data(as_text=True)


def test_help_lines_show_next_to_a_reason_for_not_agreeing_that_mentions_danger(plan_app):
    """Tom does not agree with the plan, and his reason says he is hit at home: the help lines are right there."""
    world, client = signed_in_world(plan_app, "tom")
    url = f"/plan/{world.plan_id}"
    before = client.get(url).get_data(as_text=True)
    assert "help-now" not in re.search(r'<div class="agreement[^"]*" id="agreement">.*?</form>', before, re.S).group(0)
    response = client.post(f"{url}/akkoord", data={"csrf_token": csrf_token(client, url), "decision": "disagree",
                                                   "reason": "Thuis word ik geslagen als ik iets fout doe"})
    assert response.status_code == 303
    after = client.get(url).get_data(as_text=True)
    block = re.search(r'<div class="agreement[^"]*" id="agreement">.*?</form>', after, re.S).group(0)
    assert 'href="tel:08002000"' in block
    assert 'href="tel:113"' in block
