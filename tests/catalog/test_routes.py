"""The catalog pages: public search (page, htmx fragment, no-JS GET), offer, provider, compare, in nl/fy/en."""

import re

import pytest
from sqlmodel import select

from app.catalog.models import Offer, Provider
from app.extensions import db
from tests.conftest import demo_id, sign_in_person

HX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
def ids(demo_app) -> dict:
    with demo_app.app_context(), db.new_session() as session:
        kompas = session.exec(select(Provider).where(Provider.external_id == "demo-p000")).one()
        offers = session.exec(select(Offer).order_by(Offer.id)).all()
        return {"kompas": kompas.id, "offers": [o.id for o in offers],
                "fy_offer": next(o.id for o in offers if o.description_fy),
                "stale": next(o.id for o in offers if o.external_id == "demo-o000-4"),
                "fresh": next(o.id for o in offers if o.external_id == "demo-o000-0"),
                "dutch_only": next(o.id for o in offers if o.external_id == "demo-o000-2")}


@pytest.fixture
def client(demo_app):
    return demo_app.test_client()


def text(response) -> str:
    return response.get_data(as_text=True)


def test_search_page_is_public_and_lists_offers(client):
    response = client.get("/catalogus")
    assert response.status_code == 200
    html = text(response)
    assert '<form id="catalog-search"' in html
    assert 'method="get"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert html.count('class="offer-card"') == 12
    assert "180 aanbiedingen gevonden" in html
    assert response.headers["Vary"].count("HX-Request") == 1


def test_htmx_gets_only_the_results_fragment_and_it_is_small(client):
    response = client.get("/catalogus?q=angst&taal=fy", headers=HX)
    html = text(response)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert 'id="catalog-search"' not in html
    assert len(response.data) < 15_000


def test_search_without_javascript_is_a_plain_get_with_the_answer_in_the_page(client):
    html = text(client.get("/catalogus?q=angstige&soort=&leeftijd=14&thema=&vorm=&wachttijd=&postcode=&afstand="
                           "&taal=&gemeente=&sorteer=relevance"))
    assert 'value="angstige"' in html  # the form keeps what was typed
    assert "Hulp bij angst en piekeren" in html
    assert "<html" in html


def test_sannes_journey_ambulant_near_leeuwarden_frysk_and_under_six_weeks(client):
    html = text(client.get("/catalogus?soort=45&taal=fy&wachttijd=5&postcode=8924+AB&afstand=10&sorteer=distance"))
    cards = re.findall(r'<li class="offer-card">(.*?)</li>', html, re.S)
    assert len(cards) >= 3
    for card in cards:
        weeks = re.search(r"<strong>(?:(\d+) (?:week|weken) wachttijd|Geen wachttijd)</strong>", card)
        assert weeks
        assert int(weeks.group(1) or 0) < 6
        assert "Spreekt Fries" in card
        km = re.search(r"([\d,]+) km hiervandaan", card)
        assert km
        assert float(km.group(1).replace(",", ".")) <= 10


@pytest.mark.parametrize("query", ["q=%27%3B+DROP+TABLE+offer%3B--", "q=%25", "q=*", "q=%22", "q=",
                                   "q=%C3%B4f+%C3%A2lden+%C3%BB+%C3%AA", "q=%F0%9F%98%80", "q=%00"])
def test_hostile_queries_answer_200(client, query):
    assert client.get(f"/catalogus?{query}").status_code == 200
    assert client.get(f"/catalogus?{query}", headers=HX).status_code == 200


def test_too_long_or_wrong_input_is_explained_with_422(client):
    response = client.get("/catalogus?q=" + "a" * 501 + "&leeftijd=veertien&soort=99&pagina=0&postcode=abc")
    html = text(response)
    assert response.status_code == 422
    for message in ("Vul een heel getal in.", "Kies een van de mogelijkheden.", "Die pagina bestaat niet.",
                    "Vul een postcode in zoals 8911 AB of 8911."):
        assert message in html
    assert 'aria-invalid="true"' in html
    fragment = client.get("/catalogus?leeftijd=99", headers=HX)
    assert fragment.status_code == 422
    assert "Vul een leeftijd in van 0 tot en met 27." in text(fragment)


def test_empty_state_suggests_removing_each_filter(client):
    html = text(client.get("/catalogus?q=angst&thema=autisme&vorm=online"))
    assert "Er is geen aanbod dat past bij je zoekopdracht." in html
    assert "Zonder “Thema: Autisme”" in html
    assert 'href="/catalogus?q=angst&amp;vorm=online"' in html
    assert "Zonder “Waar de hulp is: Online”" in html


def test_pagination_links_keep_the_filters(client):
    html = text(client.get("/catalogus?thema=opvoeden"))
    assert "Pagina 1 van" in html
    link = re.search(r'rel="next" href="([^"]+)"', html).group(1)
    assert "thema=opvoeden" in link
    assert "pagina=2" in link
    assert "Pagina 2 van" in text(client.get(link.replace("&amp;", "&")))


def test_rating_sort_is_honest(client):
    html = text(client.get("/catalogus?sorteer=rating"))
    assert "Er zijn nog geen beoordelingen" in html


def test_a_signed_in_family_member_gets_their_municipality_and_postcode(demo_app, client):
    assert 'name="postcode" type="text" value=""' in text(client.get("/catalogus"))
    sign_in_person(client, demo_id(demo_app, "sanne"))
    html = text(client.get("/catalogus?lang=nl"))
    assert 'value="8924 AB"' in html
    assert re.search(r'<option selected value="0080">Leeuwarden</option>', html)
    assert "km hiervandaan" in html
    cleared = text(client.get("/catalogus?lang=nl&postcode=&gemeente="))
    assert "km hiervandaan" not in cleared  # once she empties them, they stay empty


def test_staff_get_no_family_filters(demo_app, client):
    sign_in_person(client, demo_id(demo_app, "mark"))
    assert 'value="8924 AB"' not in text(client.get("/catalogus"))


@pytest.mark.parametrize(("lang", "words"), [
    ("nl", ["Hulp zoeken", "Zoekwoorden", "Soort hulp"]),
    ("fy", ["Help sykje", "Sykwurden", "Soart help", "oanbiedingen fûn"]),
    ("en", ["Find help", "Search words", "Type of help", "offers found"]),
])
def test_search_page_in_each_language(client, lang, words):
    html = text(client.get(f"/catalogus?lang={lang}"))
    assert f'<html lang="{lang}"' in html
    for word in words:
        assert word in html


def test_offer_page_shows_everything_and_the_freshness(client, ids):
    html = text(client.get(f"/catalogus/aanbod/{ids['fresh']}"))
    assert "Thuisbegeleiding bij opvoedvragen" in html
    assert "Kompas Jeugdhulp Fryslân" in html
    assert "2 weken wachttijd" in html
    assert re.search(r"bijgewerkt op \d+ \w+ 20\d\d", html)
    assert "ouder dan 8 weken" not in html
    assert "Nog te weinig beoordelingen." in html
    assert "Klachtenregeling van de Jeugdwet" in html
    assert "klachten@kompas-jeugdhulp.example" in html
    assert "088-555 1000" in html
    assert "Antwoord binnen 8 weken" in html  # Kompas's own complaint term, from the catalog
    assert "Triple P" in html
    assert "een erkende effectieve interventie" in html


def test_a_stale_waiting_time_is_flagged(client, ids):
    html = text(client.get(f"/catalogus/aanbod/{ids['stale']}"))
    assert "ouder dan 8 weken: vraag het de aanbieder" in html
    assert "Deze wachttijd is al meer dan 8 weken niet bijgewerkt." in html


def test_offer_page_in_frisian_shows_the_frisian_description_and_frisian_date(client, ids):
    html = text(client.get(f"/catalogus/aanbod/{ids['fresh']}?lang=fy"))
    assert "In begelieder komt by jimme thús." in html
    assert "bywurke op" in html
    assert "Nog te weinig" not in html
    assert "Noch te min beoardielingen." in html
    english = text(client.get(f"/catalogus/aanbod/{ids['fresh']}?lang=en"))
    assert "A coach visits you at home." in english
    assert "Not enough ratings yet." in english


def test_a_description_in_another_language_than_the_page_is_marked(client, ids):
    html = text(client.get(f"/catalogus/aanbod/{ids['dutch_only']}?lang=en"))  # no English text: the Dutch one, marked
    assert '<p class="offer__description" lang="nl">' in html


def test_offer_page_tells_a_family_whether_their_municipality_contracts_it(demo_app, client, ids):
    sign_in_person(client, demo_id(demo_app, "sanne"))
    assert "Je gemeente heeft een contract met deze aanbieder." in text(client.get(
        f"/catalogus/aanbod/{ids['fresh']}?lang=nl"))


def test_provider_page(client, ids):
    html = text(client.get(f"/catalogus/aanbieders/{ids['kompas']}"))
    assert "Kompas Jeugdhulp Fryslân" in html
    assert "98000001" in html
    assert "Fries" in html
    assert "Tuinen 12" in html
    assert html.count('class="offer-card"') == 5


@pytest.mark.parametrize("path", ["/catalogus/aanbod/999999", "/catalogus/aanbieders/999999",
                                  "/catalogus/aanbod/abc", "/catalogus/vergelijken?aanbod=999999",
                                  "/catalogus/vergelijken?aanbod=1x"])
def test_unknown_ids_are_404(client, path):
    assert client.get(path).status_code == 404


def test_compare_three_side_by_side(client, ids):
    first, second, third = ids["offers"][:3]
    html = text(client.get(f"/catalogus/vergelijken?aanbod={first}&aanbod={second}&aanbod={third}"))
    assert html.count('<th scope="col">') == 3
    assert 'role="region"' in html
    assert 'tabindex="0"' in html
    assert html.count("Nog te weinig beoordelingen.") == 3


def test_a_fourth_offer_is_refused_with_a_message(client, ids):
    four = ids["offers"][:4]
    response = client.get("/catalogus/vergelijken?" + "&".join(f"aanbod={i}" for i in four))
    html = text(response)
    assert response.status_code == 422
    assert "Je kunt hoogstens 3 aanbiedingen vergelijken." in html
    assert html.count('name="aanbod"') == 4
    assert "<table" not in html


def test_the_same_offer_twice_counts_once(client, ids):
    one = ids["offers"][0]
    html = text(client.get(f"/catalogus/vergelijken?aanbod={one}&aanbod={one}"))
    assert html.count('<th scope="col">') == 1


def test_compare_without_a_choice_explains_how(client):
    assert "Vink in de zoekresultaten hoogstens drie aanbiedingen aan" in text(client.get("/catalogus/vergelijken"))


def test_the_header_links_to_the_catalogue(client):
    assert 'href="/catalogus">Catalogus</a>' in text(client.get("/"))


# --- issue 24: what a person sees of how the search read their words -------------------------------------------------

def test_a_typo_shows_bedoel_je_and_why_each_offer_matched(client):
    html = text(client.get("/catalogus?q=angts", headers=HX))
    assert 'Bedoel je: <a href="/catalogus?q=angst">angst</a>?' in html
    assert html.count("Waarom gevonden: “angts” gelezen als “angst”") == 12
    assert len(html.encode()) < 15_000


def test_an_everyday_word_says_which_catalog_word_it_found(client):
    html = text(client.get("/catalogus?q=depressief", headers=HX))
    assert "Online coaching bij somberheid" in html
    assert "“depressief” betekent “somberheid”" in html
    own = text(client.get("/catalogus?q=somberheid", headers=HX))
    assert "“somberheid” in de naam" in own


def test_nothing_found_is_never_a_dead_end(client):
    html = text(client.get("/catalogus?q=slaapproblemen"))
    assert "Staat niet in de catalogus, dus niet op gezocht: “slaapproblemen”" in html
    assert "Of bekijk een thema:" in html
    assert html.count('href="/catalogus?thema=') == 12  # every theme, without the words that found nothing
    assert "Je jeugdprofessional kan met je meezoeken." in html
    both = text(client.get("/catalogus?q=angst+trauma"))
    assert "Zoek op één van je woorden:" in both
    assert 'href="/catalogus?q=angst">angst</a>' in both
    assert 'href="/catalogus?q=trauma">trauma</a>' in both
    assert 'href="/catalogus?thema=angst">Angst</a>' in both  # the themes of the words, not all twelve
    assert 'href="/catalogus?thema=opvoeden"' not in both


def test_a_word_no_offer_has_with_the_others_is_left_out_and_said(client):
    html = text(client.get("/catalogus?q=hulp+bij+autisme+thuis", headers=HX))
    assert "Geen aanbod heeft al je woorden, dus we lieten weg: “thuis”" in html
    assert "Ouderbegeleiding bij autisme" in html


def test_worrying_words_show_the_help_lines_first(client):
    html = text(client.get("/catalogus?q=mijn+zoon+wil+zelfmoord+plegen", headers=HX))
    assert 'href="tel:113"' in html
    assert 'href="tel:08002000"' in html
    assert html.index('href="tel:113"') < html.index("Er is geen aanbod")  # before the empty state
    assert 'href="tel:113"' not in text(client.get("/catalogus?q=angst", headers=HX))


@pytest.mark.parametrize(("lang", "words"), [
    ("fy", ["Bedoelsto:", "Wêrom fûn: “angts” lêzen as “angst”"]),
    ("en", ["Did you mean:", "Why it matched: “angts” read as “angst”"]),
])
def test_search_explanations_in_frysk_and_english(client, lang, words):
    html = text(client.get(f"/catalogus?q=angts&lang={lang}"))
    for word in words:
        assert word in html


def test_a_frysk_or_english_query_finds_what_its_dutch_meaning_finds(client):
    def names(query: str) -> set[str]:
        return set(re.findall(r'class="offer-card__title"><a [^>]*>([^<]+)</a>', text(client.get(
            f"/catalogus?q={query}&lang=en", headers=HX))))

    assert names("skieding") == names("divorce") == names("scheiding") == {"Kinderen in scheiding (groep)"}
    assert names("eangst") == names("anxiety") == names("angst")


def test_nothing_found_names_the_familys_own_professional(demo_app, client):
    nothing = "/catalogus?lang=nl&q=zzzzqqq"
    general = "Je jeugdprofessional kan met je meezoeken."
    visitor = text(client.get(nothing, headers=HX))
    assert general in visitor
    assert "mailto:" not in visitor
    sign_in_person(client, demo_id(demo_app, "sanne"))
    html = text(client.get(nothing, headers=HX))
    assert "Mark Visser, je jeugdprofessional, kan met je meezoeken." in html
    mail = r'<a class="target-link" href="mailto:mark@[^"?]+\?subject=Hulp%20zoeken%20in%20Ons%20Plan">Mail Mark</a>'
    assert re.search(mail, html)
    assert general not in html
    found = text(client.get("/catalogus?lang=nl&q=angst", headers=HX))
    assert "Mark Visser" not in found  # only where nothing is found
    sign_in_person(client, demo_id(demo_app, "mark"))
    own = text(client.get(nothing, headers=HX))
    assert "Mark Visser, je" not in own  # the professional is not told to ask himself
    assert general in own


def test_an_age_word_is_said_to_be_read_as_an_age(client):
    html = text(client.get("/catalogus?lang=fy&q=beuker+mei+autisme", headers=HX))
    assert "Wy lêze “beuker” as in leeftyd. Dit is dus oanbod foar 4 oant en mei 6 jier." in html
    titles = re.findall(r'class="offer-card__title"><a [^>]+>([^<]+)<', html)
    assert titles
    assert all("autisme" in title.lower() for title in titles), titles
    html = text(client.get("/catalogus?lang=nl&q=kleuter+met+autisme&leeftijd=10", headers=HX))
    assert "als een leeftijd" not in html  # the age filter is used, not the word
