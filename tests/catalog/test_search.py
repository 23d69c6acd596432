"""Searching the catalog on SQLite and PostgreSQL: Dutch stemming, each filter, distance, hostile input."""

import time
from dataclasses import replace

from app.catalog.search import PAGE_SIZE, SearchQuery, search_offers
from app.extensions import db
from tests.catalog.conftest import load, row


def found(app, **query) -> list[str]:
    """The external ids of the first page, in order."""
    with app.test_request_context():
        result = search_offers(db.session, query=SearchQuery(**query))
        return [offer.external_id for offer in result.offers]


def test_dutch_stemming_angstige_finds_angst(small_app):
    assert found(small_app, text="angstige") == ["angst-lwd"]
    # "opvoeding" and "opvoeden" (in three descriptions and a theme) share the stem "opvoed"
    assert set(found(small_app, text="opvoeding")) == {"opvoed-lwd", "autisme-drachten", "scheiding-roosendaal"}


def test_a_word_being_typed_finds_by_its_start(small_app):
    assert found(small_app, text="traumabeh") == ["trauma-sneek"]
    assert found(small_app, text="Sinnekr") == ["autisme-drachten"]  # the provider's name counts too


def test_every_word_must_match(small_app):
    assert found(small_app, text="angst leeuwarden trauma") == []
    assert found(small_app, text="emdr nare") == ["trauma-sneek"]


def test_the_name_weighs_more_than_the_description(small_app):
    load(small_app, [row(offer_id="mention", offer_name="Gezinscoaching",
                         description_nl="Ook voor kinderen met angst, naast veel andere dingen.", themes="opvoeden")])
    assert found(small_app, text="angst")[:2] == ["angst-lwd", "mention"]


FILTER_CASES = [
    ({"category": "54"}, {"angst-lwd", "trauma-sneek"}),
    ({"age": 15}, {"angst-lwd", "opvoed-lwd", "scheiding-roosendaal", "trauma-sneek"}),
    ({"age": 5}, {"opvoed-lwd", "autisme-drachten", "trauma-sneek"}),
    ({"theme": "autisme"}, {"autisme-drachten"}),
    ({"form": "online"}, {"scheiding-roosendaal"}),
    ({"max_wait": 2}, {"angst-lwd", "autisme-drachten", "scheiding-roosendaal"}),
    ({"max_wait": 0}, {"scheiding-roosendaal"}),
    ({"language": "fy"}, {"angst-lwd", "opvoed-lwd", "trauma-sneek"}),
    ({"language": "en"}, {"scheiding-roosendaal"}),
    ({"municipality": "0090"}, {"angst-lwd", "opvoed-lwd", "autisme-drachten"}),
    ({"municipality": "1900"}, {"trauma-sneek"}),
    ({"postcode": "8924 AB", "max_km": 10}, {"angst-lwd", "opvoed-lwd"}),
    ({"postcode": "8924", "max_km": 50}, {"angst-lwd", "opvoed-lwd", "autisme-drachten", "trauma-sneek"}),
    ({"category": "54", "language": "fy", "max_wait": 5}, {"angst-lwd"}),
]


def test_each_filter(small_app):
    for query, expected in FILTER_CASES:  # one app per database for all cases: making apps is the slow part
        assert set(found(small_app, **query)) == expected, query


def test_distance_order_from_the_family_home(small_app):
    assert found(small_app, postcode="8924 AB", sort="distance") == [
        "angst-lwd", "opvoed-lwd", "trauma-sneek", "autisme-drachten", "scheiding-roosendaal"]
    assert found(small_app, postcode="4701", sort="distance")[0] == "scheiding-roosendaal"
    with small_app.test_request_context():
        result = search_offers(db.session, query=SearchQuery(postcode="8924", sort="distance"))
        km = [round(result.distances[offer.id]) for offer in result.offers]
    assert km == sorted(km)
    assert 18 <= km[2] <= 25  # Leeuwarden to Sneek is about 21 km as the crow flies


def test_waiting_time_order(small_app):
    assert found(small_app, sort="waiting") == ["scheiding-roosendaal", "autisme-drachten", "angst-lwd",
                                                "trauma-sneek", "opvoed-lwd"]


def test_rating_sort_says_there_are_no_ratings_and_keeps_the_best_match(small_app):
    with small_app.test_request_context():
        result = search_offers(db.session, query=SearchQuery(text="angst", sort="rating"))
    assert "no_ratings" in result.notes
    assert [o.external_id for o in result.offers] == ["angst-lwd"]


def test_distance_needs_a_known_postcode(small_app):
    with small_app.test_request_context():
        unknown = search_offers(db.session, query=SearchQuery(postcode="1012", max_km=5))
        missing = search_offers(db.session, query=SearchQuery(sort="distance"))
    assert "unknown_postcode" in unknown.notes
    assert unknown.total == 5  # the distance filter cannot apply: nothing is hidden by it
    assert "distance_needs_postcode" in missing.notes


HOSTILE = [
    "'; DROP TABLE offer; --", "%", "*", '"', '"angst', "angst*", "angst OR 1=1", "NEAR(angst trauma)",
    "title:angst", "^angst", "(", "a & b | !c", "x" * 500, "", "   ", "🙂🙂", "âlden ôf û ê", "\x00", "\\",
]


def test_hostile_and_odd_queries_answer_without_error(small_app):
    for text in HOSTILE:
        with small_app.test_request_context():
            result = search_offers(db.session, query=SearchQuery(text=text))
            assert len(result.offers) == min(result.total, PAGE_SIZE), text
    assert len(found(small_app)) == 5  # the table is still there, with everything in it
    assert found(small_app, text="angst*") == ["angst-lwd"]  # an operator is just a character
    assert found(small_app, text="'; DROP TABLE offer; --") == []


def test_frysk_words_find_frysk_descriptions(small_app):
    load(small_app, [row(offer_id="fy", offer_name="Opfieding", description_fy="Help foar âlden mei lytse bern.")])
    assert found(small_app, text="âlden") == ["fy"]


def test_pages(any_app):
    load(any_app, [row(offer_id=f"o{n:02d}", offer_name=f"Aanbod {n:02d}", waiting_weeks=n) for n in range(30)])
    with any_app.test_request_context():
        first = search_offers(db.session, query=SearchQuery(sort="waiting"))
        last = search_offers(db.session, query=SearchQuery(sort="waiting", page=99))
    assert (first.total, first.pages, len(first.offers)) == (30, 3, PAGE_SIZE)
    assert (last.page, [o.waiting_weeks for o in last.offers]) == (3, list(range(2 * PAGE_SIZE, 30)))


def test_pages_sorted_by_distance_or_relevance_count_every_match(any_app):
    # These sorts read every match anyway; PostgreSQL counts them in the same pass (a window), SQLite counts apart.
    load(any_app, [row(offer_id=f"o{n:02d}", offer_name=f"Angst aanbod {n:02d}", waiting_weeks=n) for n in range(30)])
    with any_app.test_request_context():
        for query in (SearchQuery(postcode="8924 AB", sort="distance"), SearchQuery(text="angst")):
            first = search_offers(db.session, query=query)
            second = search_offers(db.session, query=replace(query, page=2))
            last = search_offers(db.session, query=replace(query, page=99))
            assert (first.total, first.pages, len(first.offers)) == (30, 3, PAGE_SIZE), query
            assert (second.total, len(second.offers)) == (30, PAGE_SIZE), query
            assert (last.page, last.total, len(last.offers)) == (3, 30, 30 - 2 * PAGE_SIZE), query
            assert not {o.id for o in first.offers} & {o.id for o in second.offers}


# --- issue 24: typos, the thesaurus, compounds, why it matched, never a dead end --------------------------------------

def searched(app, text: str, **query):
    with app.test_request_context():
        return search_offers(db.session, query=SearchQuery(text=text, **query))


def test_a_typo_is_forgiven_and_offered_as_bedoel_je(small_app):
    assert found(small_app, text="angts") == ["angst-lwd"]
    assert found(small_app, text="traumabehandelnig") == ["trauma-sneek"]
    result = searched(small_app, "angts")
    assert result.understood.suggestion == "angst"
    assert [(r.typed, r.word, r.how) for r in result.reasons[result.offers[0].id]] == [("angts", "angst", "typo")]


def test_everyday_frysk_and_english_words_find_the_catalog_words(small_app):
    for text in ("bang", "paniekaanvallen", "eangst", "êangst", "benaud", "anxiety", "my son is scared"):
        assert found(small_app, text=text) == ["angst-lwd"], text
    for text in ("uit elkaar", "echtscheiding", "skieding", "divorce", "parents splitting up"):
        assert found(small_app, text=text) == ["scheiding-roosendaal"], text
    assert found(small_app, text="ptss") == ["trauma-sneek"]


def test_the_persons_own_word_ranks_before_a_synonym(small_app):
    load(small_app, [row(offer_id="own-word", offer_name="Steun", description_nl="Voor kinderen die bang zijn.",
                         themes="opvoeden")])
    assert found(small_app, text="bang") == ["own-word", "angst-lwd"]
    result = searched(small_app, "bang")
    why = {offer.external_id: result.reasons[offer.id] for offer in result.offers}
    assert [(r.word, r.how, r.where) for r in why["own-word"]] == [("bang", "word", "text")]
    assert [(r.word, r.how, r.where) for r in why["angst-lwd"]] == [("angst", "synonym", "name")]


def test_a_compound_finds_its_parts(small_app):
    load(small_app, [row(offer_id="slaap", offer_name="Slaapcoaching", themes="opvoeden",
                         description_nl="Voor kinderen die slecht slapen. Slaap is belangrijk.")])
    assert found(small_app, text="slaapproblemen") == ["slaap"]
    assert found(small_app, text="opvoedtips")[0] == "opvoed-lwd"  # the offer named for it first
    assert set(found(small_app, text="opvoedtips")) == set(found(small_app, text="opvoeden"))
    result = searched(small_app, "behandeling")  # a word inside the catalog's compound
    assert [o.external_id for o in result.offers] == ["trauma-sneek"]
    assert [(r.word, r.how, r.where) for r in result.reasons[result.offers[0].id]] == [
        ("traumabehandeling", "within", "name")]


def test_a_plain_word_no_offer_has_is_left_out_and_said(small_app):
    result = searched(small_app, "angst thuis")  # "thuis" is in the catalog, never beside angst
    assert [o.external_id for o in result.offers] == ["angst-lwd"]
    assert result.understood.left_out == ["thuis"]


def test_two_meanings_are_never_dropped_to_find_something(small_app):
    result = searched(small_app, "angst trauma")
    assert (result.total, result.understood.left_out) == (0, [])
    assert [g.typed for g in result.understood.groups] == ["angst", "trauma"]
    assert result.understood.themes == ["angst", "trauma"]


def test_words_unknown_in_every_way_find_nothing_and_are_named(small_app):
    result = searched(small_app, "bijles wiskunde")
    assert (result.total, result.understood.ignored) == (0, ["bijles", "wiskunde"])


def test_new_words_are_found_right_after_an_import(small_app):
    assert found(small_app, text="zonnebloemtraining") == []  # the catalog's words are now read and kept
    load(small_app, [row(offer_id="new", offer_name="Zonnebloemtraining")])
    assert found(small_app, text="zonnebloemtraining") == ["new"]
    assert found(small_app, text="zonnebloemtrainnig") == ["new"]


def test_worrying_words_bring_the_help_lines(small_app):
    assert "help_lines" in searched(small_app, "ik wil zelfmoord plegen").notes
    assert "help_lines" in searched(small_app, "he hits me").notes
    assert "help_lines" not in searched(small_app, "angst").notes


def test_more_hostile_queries(small_app):
    fifty_typos = " ".join(f"angts{n}x scheidnig trauam" for n in range(17))
    for text in ("\ud800angst", "angst\udfff", "x" * 500, '"angst" NEAR trauma OR -emdr', "*" * 50, fifty_typos,
                 "ANGST", "a" * 41):
        started = time.perf_counter()
        result = searched(small_app, text)
        assert time.perf_counter() - started < 3.0, text[:20]
        assert len(result.offers) == min(result.total, PAGE_SIZE), text[:20]
    assert found(small_app, text="\ud800angst") == ["angst-lwd"]
    assert found(small_app, text='"angst" NEAR trauma OR -emdr') == []  # two meanings, no offer with both


def test_an_age_word_looks_for_offers_for_that_age_not_for_the_word(small_app):
    # Nothing in the catalog says "kleuter": autism help for 4 to 12 year olds is still what a parent of a kleuter
    # (4 to 6) is looking for; help for 8 to 18 year olds is not.
    assert found(small_app, text="kleuter met autisme") == ["autisme-drachten"]
    assert found(small_app, text="beuker mei autisme") == ["autisme-drachten"]  # Frysk
    assert found(small_app, text="baby autisme") == []  # 4 to 12 is not for babies
    assert found(small_app, text="kleuter angst") == []  # angst-lwd is for 8 to 18
    assert found(small_app, text="puber angst") == ["angst-lwd"]
    assert found(small_app, text="kleuter angst", age=10) == ["angst-lwd"]  # the age filter wins over the word
    # Only an age: every offer for some of 1 to 4 (0-18, 4-12 and 4-23; not 6-16 or 8-18)
    assert set(found(small_app, text="peuters")) == {"opvoed-lwd", "autisme-drachten", "trauma-sneek"}
    with small_app.test_request_context():
        result = search_offers(db.session, query=SearchQuery(text="kleuter met autisme"))
        assert "ages_from_words" in result.notes
        assert result.understood.ages == (4, 6)
        assert result.understood.age_words == ["kleuter"]
        assert result.understood.ignored == []  # read as an age, so not "not in the catalog"
        assert "ages_from_words" not in search_offers(db.session, query=SearchQuery(text="kleuter", age=10)).notes


def test_the_catalogs_words_are_read_again_only_when_another_process_changed_offers(small_app):
    import sqlalchemy as sa

    from app.catalog import fulltext, understand
    from app.catalog.models import Offer
    from app.core.clock import utcnow

    with small_app.test_request_context():
        first = understand.vocabulary(db.session)
        engine = db.session.get_bind()

        def expire() -> None:  # a minute went by
            valid, words, stamp = fulltext.VOCABULARIES[engine]
            fulltext.VOCABULARIES[engine] = (0.0, words, stamp)

        expire()
        assert understand.vocabulary(db.session) is first  # nothing changed: the words are not read again
        # Another process renames an offer (this process's fulltext.changed is not called).
        db.session.execute(sa.update(Offer).where(Offer.external_id == "opvoed-lwd")
                           .values(name="Opvoedhulp thuis zwemles", updated_at=utcnow()))
        db.session.commit()
        assert understand.vocabulary(db.session) is first  # within the minute: still the kept words
        expire()
        again = understand.vocabulary(db.session)
        db.session.execute(sa.update(Offer).where(Offer.external_id == "opvoed-lwd")
                           .values(name="Opvoedhulp thuis"))  # as it was, for the module's other tests
        db.session.commit()
        fulltext.changed(db.session)
        assert again is not first
        assert again.knows("zwemles")
