"""The search words municipality staff edit (issue 24): versions in the database, checked, used by the search at once;
the page in the admin (/beheer/zoekwoorden) for a functional manager only."""

import re

import pytest
from sqlmodel import select

from app.catalog import thesaurus
from app.catalog.models import ThesaurusVersion
from app.catalog.search import SearchQuery, search_offers
from app.catalog.understand import THESAURUS_FILE
from app.core.errors import NotAllowed, ValidationFailed
from app.extensions import db
from app.identity.models import Person
from tests.catalog.conftest import load, row
from tests.conftest import CSRF_FIELD, demo_id, sign_in_person

SLEEP = THESAURUS_FILE.read_text(encoding="utf-8") + '''
[[concept]]
key = "slaap"
theme = ""
search = ["slaap"]
nl = ["slapeloos", "doorslapen"]
fy = ["sliepe"]
en = ["insomnia"]
'''


def found(app, text: str) -> list[str]:
    with app.test_request_context():
        return [o.external_id for o in search_offers(db.session, query=SearchQuery(text=text)).offers]


def test_a_saved_version_is_searched_with_at_once_and_kept_with_who_and_why(small_app):
    load(small_app, [row(offer_id="slaap", offer_name="Slaapcoaching", description_nl="Slaap is belangrijk.")])
    assert found(small_app, "insomnia") == []
    with small_app.test_request_context():
        jeroen = db.session.get(Person, demo_id(small_app, "jeroen"))
        first = thesaurus.save(db.session, actor=jeroen, text=SLEEP, note="slaap erbij")
        db.session.commit()
    assert found(small_app, "insomnia") == ["slaap"]
    assert found(small_app, "doorslapen") == ["slaap"]
    assert found(small_app, "bang") == ["angst-lwd"]  # the rest of the thesaurus still works
    with small_app.test_request_context():
        jeroen = db.session.get(Person, demo_id(small_app, "jeroen"))
        second = thesaurus.save(db.session, actor=jeroen, text=THESAURUS_FILE.read_text(encoding="utf-8"),
                                note="terug")
        db.session.commit()
        assert (first.number, second.number) == (1, 2)
        assert [(v.number, v.note, v.by) for v in thesaurus.history(db.session)] == [
            (2, "terug", jeroen.name), (1, "slaap erbij", jeroen.name)]
        assert thesaurus.current_text(db.session)[0] == 2
    assert found(small_app, "insomnia") == []  # version 2 took it out again


def test_only_a_functional_manager_saves_and_only_what_can_be_read(small_app):
    with small_app.test_request_context():
        sanne = db.session.get(Person, demo_id(small_app, "sanne"))
        jeroen = db.session.get(Person, demo_id(small_app, "jeroen"))
        with pytest.raises(NotAllowed):
            thesaurus.save(db.session, actor=sanne, text=SLEEP, note="x")
        with pytest.raises(ValidationFailed) as broken:
            thesaurus.save(db.session, actor=jeroen, text='[[concept]]\nkey = "x\n', note="x")
        assert broken.value.reasons[0][0] == "text"
        assert "regel 2" in broken.value.reasons[0][1]
        assert db.session.exec(select(ThesaurusVersion)).first() is None


@pytest.mark.parametrize(("text", "says"), [
    ("version = 1\n", "Er zijn geen concepten"),
    ('[[concept]]\nsearch = ["a"]\n', "Concept 1 heeft geen key"),
    ('[[concept]]\nkey = "a"\nsearch = ["a"]\n[[concept]]\nkey = "a"\nsearch = ["b"]\n', "komt twee keer voor"),
    ('[[concept]]\nkey = "a"\nsearch = []\n', "heeft geen search-woorden"),
    ('[[concept]]\nkey = "a"\nsearch = "a"\n', "lijsten van woorden"),
    ('[[concept]]\nkey = "a"\nsearch = ["a"]\ntheme = "slaap"\n', "thema dat niet bestaat"),
    ("x" * 200_001, "te lang"),
])
def test_what_is_wrong_is_said(demo_app, text, says):
    with demo_app.test_request_context():
        assert says in " ".join(thesaurus.check(text))


def test_the_file_itself_passes_the_check(demo_app):
    with demo_app.test_request_context():
        assert thesaurus.check(THESAURUS_FILE.read_text(encoding="utf-8")) == []


def test_the_page_for_the_functional_manager(demo_app):
    client = demo_app.test_client()
    sign_in_person(client, demo_id(demo_app, "jeroen"))
    assert 'href="/beheer/zoekwoorden"' in client.get("/beheer").get_data(as_text=True)
    page = client.get("/beheer/zoekwoorden").get_data(as_text=True)
    assert "Zoekwoorden van de catalogus" in page
    assert "[[concept]]" in page
    assert "eangst" in page
    assert "De eerste versie, van de app zelf, is in gebruik" in page
    token = CSRF_FIELD.search(page).group(1)
    wrong = client.post("/beheer/zoekwoorden", data={"csrf_token": token, "text": "[[concept", "note": "test"})
    assert wrong.status_code == 422
    assert "De tekst is niet te lezen rond regel 1" in wrong.get_data(as_text=True)
    saved = client.post("/beheer/zoekwoorden", data={"csrf_token": token, "text": SLEEP, "note": "slaap erbij"})
    assert saved.status_code == 303
    after = client.get("/beheer/zoekwoorden").get_data(as_text=True)
    assert "Versie 1 is bewaard." in after
    assert "Versie 1 is in gebruik." in after
    assert re.search(r"<td>1</td><td>[^<]+</td><td>Jeroen[^<]*</td><td>slaap erbij</td>", after)
    assert "insomnia" in after  # the newest text is the one to change
    back = client.post("/beheer/zoekwoorden", data={"csrf_token": token, "text": THESAURUS_FILE.read_text(
        encoding="utf-8"), "note": "zonder slaap"})
    assert back.status_code == 303
    assert "insomnia" not in client.get("/beheer/zoekwoorden").get_data(as_text=True)
    opened = client.get("/beheer/zoekwoorden?versie=1").get_data(as_text=True)
    assert "Hieronder staat versie 1. Bewaar hem om hem weer te gebruiken." in opened
    assert "insomnia" in opened  # version 1's text, to save again
    assert 'href="/beheer/zoekwoorden?versie=2">Versie 2 openen</a>' in opened
    for odd in ("99", "abc", "-1", "1" * 20):
        page = client.get(f"/beheer/zoekwoorden?versie={odd}")
        assert page.status_code == 200
        assert "Hieronder staat versie" not in page.get_data(as_text=True)


def test_nobody_else_sees_the_page(demo_app):
    client = demo_app.test_client()
    assert client.get("/beheer/zoekwoorden").status_code == 303  # to sign in
    for persona in ("sanne", "mark", "karin"):
        sign_in_person(client, demo_id(demo_app, persona))
        assert client.get("/beheer/zoekwoorden").status_code == 403, persona
        assert 'href="/beheer/zoekwoorden"' not in client.get("/beheer").get_data(as_text=True)
