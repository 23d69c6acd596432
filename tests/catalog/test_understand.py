"""Reading a search as a person means it (no database): typos, the thesaurus in three languages, compounds, limits."""

import time

from app.catalog.understand import (
    MAX_GROUPS,
    Vocabulary,
    allowed_typos,
    distance,
    file_thesaurus,
    fold,
    thesaurus_from,
    understand,
)
from app.catalog.vocab import THEMES

CATALOG = Vocabulary.of([
    "Angsttraining voor jongeren. Ben je vaak bang? Je leert hoe angst werkt.",
    "Thuisbegeleiding bij opvoedvragen. Samen kijken wat lastig is bij het opvoeden. opvoeden opvoeding",
    "Kinderen in scheiding. Je ouders gaan uit elkaar. scheiding",
    "Slaapcoaching. Voor kinderen die slecht slapen: slaap is belangrijk.",
    "Behandeling bij ADHD: concentratieproblemen en druk gedrag. adhd school",
    "Traumabehandeling met EMDR. trauma",
])


def searched(text: str) -> list[set[str]]:
    """Per group, the catalog words it is searched by (phrases joined by a space)."""
    return [{" ".join(a.words) for a in group.alternatives} for group in understand(text, CATALOG).groups]


def test_typos_follow_the_word_length_rule():
    assert [allowed_typos(w) for w in ("bang", "angst", "opvoeden", "scheiding")] == [0, 1, 1, 2]
    assert understand("angts", CATALOG).corrections == {"angts": "angst"}  # two letters swapped: one typo
    assert understand("agnst", CATALOG).corrections == {"agnst": "angst"}
    assert understand("bnag", CATALOG).groups == []  # 4 letters: no typo forgiven, only offered
    assert understand("bnag", CATALOG).suggestion == "bang"
    assert understand("ahgts", CATALOG).groups == []  # two typos in 5 letters: too many
    assert understand("schieding", CATALOG).corrections == {"schieding": "scheiding"}
    assert understand("sgheidinh", CATALOG).corrections == {"sgheidinh": "scheiding"}  # two typos, 9 letters
    assert understand("kngst", CATALOG).groups == []  # the first letter must be right


def test_distance_counts_a_swap_as_one_and_stops_early():
    assert distance("angts", "angst", 2) == 1
    assert distance("behandling", "behandeling", 2) == 1
    assert distance("abc", "xyz", 1) == 2  # limit + 1: sure to be more


def test_a_typo_fixed_into_a_thesaurus_word_searches_its_meaning():
    assert {"somberheid", "depressie"} <= searched("depresief")[0]


def test_everyday_words_frysk_and_english_search_the_same_catalog_words():
    angst = searched("angst")[0]
    for word in ("bang", "paniekaanvallen", "eangst", "êangst", "EANGST", "benaud", "anxiety", "scared"):
        assert {"angst", "bang"} <= searched(word)[0], word
    assert "angst" in angst
    for query in ("uit elkaar", "ouders gaan scheiden", "skieding", "útinoar", "divorce", "splitting up"):
        assert "scheiding" in searched(query)[0], query
    assert searched("spijbelen") == searched("skipping school") == searched("net nei skoalle")


def test_words_that_say_little_are_left_out_unless_there_is_nothing_else():
    assert len(searched("mijn dochter is heel bang")) == 1
    assert len(searched("my son is scared")) == 1
    assert len(searched("myn bern is benaud")) == 1
    assert searched("bij") == [{"bij"}]  # nothing but stop words: searched as typed
    assert searched("hulp bij adhd") == searched("adhd")


def test_dutch_compounds_find_their_known_parts():
    assert searched("slaapproblemen") == [{"slaap"}]
    without = Vocabulary.of(["Hulp bij het opvoeden"])  # "opvoedvragen" itself is not in this catalog
    assert "opvoeden" in {" ".join(a.words) for a in understand("opvoedvragen", without).groups[0].alternatives}
    parts = understand("opvoedtips", without).groups  # in no list: found as a compound
    assert parts[0].how == "compound"
    assert "opvoeden" in {" ".join(a.words) for a in parts[0].alternatives}
    assert {"opvoeden", "opvoeding"} <= searched("opvoedingsondersteuning")[0]
    school_angst = understand("schoolangst", CATALOG).groups[0]
    assert school_angst.how == "compound"
    assert school_angst.exact[0].words == ("angst", "school")
    # and a word finds the catalog's compounds that end in it
    assert "traumabehandeling" in searched("behandeling")[0]


def test_unknown_words_are_named_and_never_searched():
    understood = understand("bijles wiskunde", CATALOG)
    assert (understood.groups, understood.ignored) == ([], ["bijles", "wiskunde"])


def test_a_long_query_full_of_typos_stays_bounded():
    big = Vocabulary.of([" ".join(f"woord{n}{chr(97 + n % 26)}tekst" for n in range(k, k + 50))
                         for k in range(0, 5000, 50)])
    text = " ".join(f"angts{n} woord{n}x" for n in range(50))
    started = time.perf_counter()
    understood = understand(text, big)
    assert time.perf_counter() - started < 2.0
    assert len(understood.groups) <= MAX_GROUPS


def test_odd_input_gives_no_groups():
    for text in ("", "   ", "!!!", "🙂🙂", "\ud800", '"*" NEAR OR -', "\x00"):
        assert understand(text, CATALOG).groups == [], text


def test_fold_drops_accents_and_case():
    assert fold("Êangst") == "eangst"
    assert fold("ÚTINOAR") == "utinoar"


def test_the_thesaurus_file_is_consistent():
    data = file_thesaurus()
    assert data.version >= 1
    for concept in data.concepts.values():
        assert bool(concept.search) != bool(concept.ages), concept.key  # searched for by words, or an age word
        assert concept.theme in THEMES or concept.theme == "", concept.key
    single_terms = {term[0] for term in data.terms if len(term) == 1}
    assert not single_terms & data.stopwords  # a stop word would hide the term
    import tomllib

    from app.catalog.understand import THESAURUS_FILE

    raw = tomllib.loads(THESAURUS_FILE.read_text(encoding="utf-8"))
    assert len({c["key"] for c in raw["concept"]}) == len(raw["concept"])
    for concept in raw["concept"]:
        listed = set(concept.get("nl", [])) | set(concept.get("fy", [])) | set(concept.get("en", []))
        assert set(concept.get("unconfirmed", [])) <= listed, concept["key"]


def test_a_thesaurus_version_can_replace_the_file():
    mine = thesaurus_from({"version": 2, "concept": [{"key": "slaap", "search": ["slaap"], "nl": ["slapeloos"],
                                                      "fy": ["sliepe"], "en": ["insomnia"]}]})
    assert [{"slaap"}] == [{" ".join(a.words) for a in g.alternatives}
                           for g in understand("insomnia", CATALOG, mine).groups]


def test_a_phrase_of_the_thesaurus_leaves_the_stop_words_around_it_out():
    catalog = Vocabulary.of(["Als het thuis niet meer gaat, komen we: crisis. Je kind doet mee aan opvoeden."])
    understood = understand("ik kan mijn kind niet meer aan", catalog)
    assert [g.concept for g in understood.groups] == ["vastgelopen"]
    assert understood.ignored == []
    # the stop words as typed are not what ranks first (PostgreSQL would drop them, SQLite require them)
    assert understood.groups[0].exact[0].words == ("crisis",)


def test_what_an_apostrophe_leaves_is_not_searched():
    catalog = Vocabulary.of(["Learsto hoe't eangst wurket.", "Behandeling bij druk gedrag. adhd"])
    understood = understand("child can't sit still", catalog)
    assert [g.concept for g in understood.groups] == ["druk"]
    assert {"druk", "adhd", "gedrag"} <= {" ".join(a.words) for a in understood.groups[0].alternatives}


def test_every_frysk_word_finds_its_meaning_with_or_without_accents():
    import tomllib

    from app.catalog.understand import THESAURUS_FILE

    raw = tomllib.loads(THESAURUS_FILE.read_text(encoding="utf-8"))
    for concept in raw["concept"]:
        for term in concept.get("fy", []):
            for typed in (term, fold(term)):  # "ûngelok" as a phone without accents types it: "ungelok"
                understood = understand(typed, CATALOG)
                if "ages" in concept:  # an age word ("pjut"): the ages it means, no words to search for
                    assert understood.groups == [], typed
                    assert understood.ages == tuple(concept["ages"]), typed
                else:
                    assert [g.concept for g in understood.groups] == [concept["key"]], typed
    assert searched("nachtmerjes nei in ungelok") == searched("nachtmerjes nei in ûngelok") == [{"trauma", "emdr"}]
