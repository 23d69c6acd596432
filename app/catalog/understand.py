"""Understand a search as a person means it: everyday words, Frysk and English, typos and Dutch compounds.

A query becomes groups, one per thing the person asked for. An offer must match every group; a group matches
when any of its alternatives does (the words as typed, the catalog words the thesaurus gives for them, a typo's
correction, the known parts of a compound). All of it happens here in Python, against the catalog's own words
(the vocabulary, read from the database) and the thesaurus (app/catalog/data/thesaurus.toml), so SQLite and
PostgreSQL search for exactly the same words.

Typos follow the rule Meilisearch uses: one typo (a letter missing, added, changed, or two letters swapped) is
forgiven in words of 5 letters or more, two in words of 9 or more; the first letter must be right.
"""

import bisect
import time
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from app.catalog import fulltext
from app.catalog.fulltext import stem, words
from app.catalog.models import Offer

THESAURUS_FILE = Path(__file__).with_name("data") / "thesaurus.toml"
MAX_WORDS = 24  # words of a query looked at (a 500-character query stays bounded)
MAX_GROUPS = 8
MAX_WORD = 40
VOCABULARY_MAX_AGE = 60.0  # seconds another process's catalog change may take to reach this one's vocabulary


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """Lower case without accents: "Êangst" -> "eangst", "útinoar" -> "utinoar"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def allowed_typos(word: str) -> int:
    """Typos forgiven in a word: none under 5 letters, one from 5, two from 9 (Meilisearch's rule)."""
    return 2 if len(word) >= 9 else 1 if len(word) >= 5 else 0


def distance(a: str, b: str, limit: int) -> int:
    """Letters changed, missing, added or swapped to make `a` into `b` (optimal string alignment), or limit + 1
    as soon as it is sure to be more than `limit` (only the cells within `limit` of the diagonal are worked out)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    over = limit + 1
    before: list[int] | None = None
    row = [j if j <= limit else over for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [over] * (len(b) + 1)
        if i <= limit:
            current[0] = i
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            value = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (a[i - 1] != b[j - 1]))
            if before is not None and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before[j - 2] + 1)
            current[j] = min(value, over)
        if min(current) > limit:
            return over
        before, row = row, current
    return row[-1] if row[-1] <= limit else over


# --- the thesaurus ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Concept:
    key: str
    search: tuple[tuple[str, ...], ...]  # the catalog words, each a phrase of folded words
    theme: str = ""
    ages: tuple[int, int] | None = None  # an age word ("kleuter"): the ages it means, not words to search for


@dataclass
class Thesaurus:
    version: int
    concepts: dict[str, Concept]
    terms: dict[tuple[str, ...], str]  # folded words of a term -> concept key
    stems: dict[str, str]  # Dutch stem of a one-word term -> concept key
    stopwords: frozenset[str]
    longest: int  # words in the longest term
    words: "Vocabulary | None" = None  # the one-word terms, for typos


def thesaurus_from(data: dict) -> Thesaurus:
    """A thesaurus from its TOML data (the file, or a version staff saved)."""
    concepts, terms, stems = {}, {}, {}
    for item in data.get("concept", []):
        key = item["key"]
        ages = tuple(item["ages"]) if item.get("ages") else None
        concepts[key] = Concept(key, tuple(tuple(fold(w) for w in words(phrase)) for phrase in item.get("search", [])),
                                item.get("theme", ""), ages)
        for language in ("nl", "fy", "en"):
            for term in item.get(language, []):
                folded = tuple(fold(w) for w in words(term))
                if folded:
                    terms.setdefault(folded, key)
                    if len(folded) == 1 and len(folded[0]) >= 4:
                        stems.setdefault(stem(folded[0]), key)
        for phrase in concepts[key].search:
            terms.setdefault(phrase, key)
    stop = data.get("stopwords", {})
    stopwords = frozenset(fold(w) for language in ("nl", "fy", "en") for w in stop.get(language, []))
    return Thesaurus(int(data.get("version", 1)), concepts, terms, stems, stopwords,
                     max((len(t) for t in terms), default=1), Vocabulary.of([" ".join(
                         t[0] for t in terms if len(t) == 1)]))


@lru_cache(maxsize=1)
def file_thesaurus() -> Thesaurus:
    return thesaurus_from(tomllib.loads(THESAURUS_FILE.read_text(encoding="utf-8")))


# --- the catalog's words ------------------------------------------------------------------------------------------

@dataclass
class Vocabulary:
    """The words of the catalog's offers (names and search texts), folded, with how often each is used."""

    counts: dict[str, int]
    surface: dict[str, tuple[str, ...]]  # folded word -> the words as written (with their accents)
    stems: frozenset[str]
    ordered: list[str]  # sorted, for "a word being typed"
    by_first: dict[tuple[str, int], list[str]]  # words of 4+ letters by first letter and length, for typos
    backwards: list[str]  # every word spelled backwards, sorted, for the compounds a word ends

    @classmethod
    def of(cls, texts) -> "Vocabulary":
        """The words of these texts, counted (each text split at once: 20,000 offers take a fraction of a second)."""
        written = Counter(w for w in words("\n".join(t or "" for t in texts)) if len(w) <= MAX_WORD and not w.isdigit())
        counts: dict[str, int] = {}
        surface: dict[str, set[str]] = {}
        for word, count in written.items():
            folded = fold(word)
            counts[folded] = counts.get(folded, 0) + count
            surface.setdefault(folded, set()).add(word)
        by_first: dict[tuple[str, int], list[str]] = {}
        for word in counts:
            if len(word) >= 4:
                by_first.setdefault((word[0], len(word)), []).append(word)
        return cls(counts, {k: tuple(sorted(v)) for k, v in surface.items()},
                   frozenset(stem(w) for w in counts), sorted(counts), by_first, sorted(w[::-1] for w in counts))

    def compounds_ending(self, word: str, most: int = 6) -> list[str]:
        """Catalog words that end in this word after a part of 3+ letters ("behandeling": traumabehandeling,
        dagbehandeling), the most used first."""
        backwards = word[::-1]
        i = bisect.bisect_left(self.backwards, backwards)
        found = []
        while i < len(self.backwards) and self.backwards[i].startswith(backwards):
            if len(self.backwards[i]) >= len(word) + 3:
                found.append(self.backwards[i][::-1])
            i += 1
        return sorted(found, key=lambda w: (-self.counts[w], w))[:most]

    def knows(self, word: str) -> bool:
        """Whether the catalog has this word, or another with its stem (a stem of 4+ letters: "ining" is not "in")."""
        root = stem(word)
        return word in self.counts or (len(root) >= 4 and root in self.stems)

    def starts(self, prefix: str) -> bool:
        """Whether some catalog word starts with this (a word being typed)."""
        i = bisect.bisect_left(self.ordered, prefix)
        return i < len(self.ordered) and self.ordered[i].startswith(prefix)

    def forms(self, word: str) -> tuple[str, ...]:
        """The ways the catalog writes a folded word (accents and all), the folded word itself included."""
        return tuple(dict.fromkeys((word, *self.surface.get(word, ()))))

    def nearest(self, word: str, limit: int) -> tuple[str, int] | None:
        """The catalog word closest to `word` within `limit` typos (same first letter; the most used wins ties)."""
        best = None
        for length in range(len(word) - limit, len(word) + limit + 1):
            for candidate in self.by_first.get((word[:1], length), ()):
                found = distance(word, candidate, limit)
                if found <= limit and (best is None or (found, -self.counts[candidate]) < (
                        best[1], -self.counts[best[0]])):
                    best = (candidate, found)
        return best


def vocabulary(session: Session) -> Vocabulary:
    """The catalog's words for this database: read once and kept until the catalog changes in this process
    (fulltext.changed); once a minute a cheap look at the offers (how many, the newest change) tells whether another
    process changed them, and only then are the words read again (0.5-1 s at 20,000 offers, no longer every minute)."""
    engine = session.get_bind()
    cached = fulltext.VOCABULARIES.get(engine)
    now = time.monotonic()
    if cached is not None and now < cached[0]:
        return cached[1]
    stamp = tuple(session.execute(sa.select(sa.func.count(), sa.func.max(Offer.updated_at))).one())
    if cached is not None and cached[2] == stamp:
        fulltext.VOCABULARIES[engine] = (now + VOCABULARY_MAX_AGE, cached[1], stamp)
        return cached[1]
    rows = session.execute(sa.select(Offer.name, Offer.search_text)).all()
    found = Vocabulary.of(f"{name} {text}" for name, text in rows)
    fulltext.VOCABULARIES[engine] = (now + VOCABULARY_MAX_AGE, found, stamp)
    return found


# --- a query ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Alternative:
    """Catalog words that together match (a phrase: all of them); `prefix`: the last may be a word's start."""

    words: tuple[str, ...]
    prefix: bool = False
    within: bool = False  # a catalog compound that ends in one of the group's words


@dataclass(frozen=True)
class Group:
    """One thing the person asked for: what they typed, how it was understood, and the words it is found by.

    how: "word" (the catalog's word), "prefix" (the start of one), "within" (the end of the catalog's compounds),
    "typo", "synonym" (the thesaurus, any language), "compound" (a part of the person's compound word)."""

    typed: str
    how: str
    alternatives: tuple[Alternative, ...]
    meant: str = ""  # the catalog word a typo or synonym stands for
    concept: str = ""

    @property
    def exact(self) -> tuple[Alternative, ...]:
        """The alternatives that are the person's own word, or all parts of their compound (the rest rank lower)."""
        if self.how == "compound":
            return self.alternatives[:1]
        return tuple(a for a in self.alternatives if a.prefix) or self.alternatives[:1]


@dataclass
class Understood:
    """How a query was read: its groups, and what the results page tells about the words."""

    groups: list[Group] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # words not found in the catalog in any way
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> the catalog word searched instead
    offered: dict[str, str] = field(default_factory=dict)  # unknown word -> a close catalog word (not searched)
    themes: list[str] = field(default_factory=list)  # themes of the concepts recognised
    left_out: list[str] = field(default_factory=list)  # words dropped because no offer had all of them
    ages: tuple[int, int] | None = None  # the ages the query's age words mean ("peuter": 1 to 4), all of them
    age_words: list[str] = field(default_factory=list)  # those words, as typed
    _typed: list[str] = field(default_factory=list)  # the query's words, as typed (lower case)

    @property
    def suggestion(self) -> str:
        """The query with typos corrected and close catalog words for unknown ones ("bedoel je …?"), or ""."""
        fixes = {**self.corrections, **self.offered}
        return " ".join(fixes.get(w, w) for w in self._typed) if fixes else ""

    def least_needed(self) -> Group | None:
        """The last group that is a plain word (not a meaning the thesaurus knows), when there are two groups or more:
        what to leave out when nothing matches them all."""
        if len(self.groups) < 2:
            return None
        return next((g for g in reversed(self.groups) if not g.concept), None)

    def without(self, group: Group) -> "Understood":
        """The same reading with one group left out (and said to be)."""
        return replace(self, groups=[g for g in self.groups if g is not group], left_out=[*self.left_out, group.typed])


def understand(text: str, vocab: Vocabulary, thesaurus: Thesaurus | None = None) -> Understood:
    """The groups of a query (see the module's docstring)."""
    thesaurus = thesaurus or file_thesaurus()
    typed = [w[:MAX_WORD] for w in words(text)][:MAX_WORDS]
    folded = [fold(w) for w in typed]
    result = Understood(_typed=typed)
    content = any(w not in thesaurus.stopwords for w in folded) or _has_phrase(folded, thesaurus)
    i = 0
    while i < len(folded) and len(result.groups) < MAX_GROUPS:
        for size in range(min(thesaurus.longest, len(folded) - i), 1, -1):  # phrases first, the longest first
            key = thesaurus.terms.get(tuple(folded[i:i + size]))
            if key is not None and thesaurus.concepts[key].ages:
                _age(result, " ".join(typed[i:i + size]), thesaurus.concepts[key])
                i += size
                break
            if key is not None:
                _add(result, _with_compounds(_remember(result, thesaurus, _concept_group(
                    " ".join(typed[i:i + size]), key, thesaurus, vocab, None)), vocab))
                i += size
                break
        else:
            word = folded[i]
            if word in folded[:i]:  # said twice: already understood (or not)
                pass
            elif word not in thesaurus.stopwords or not content:
                group = _word_group(typed[i], word, vocab, thesaurus, result)
                if group is not None:
                    _add(result, _with_compounds(group, vocab))
            i += 1
    return result


def _has_phrase(folded: list[str], thesaurus: Thesaurus) -> bool:
    """Whether the words hold a phrase of the thesaurus: "ik kan mijn kind niet meer aan" is all stop words but
    one phrase, and its other words are then left out like any stop word."""
    return any(tuple(folded[i:i + size]) in thesaurus.terms
               for i in range(len(folded)) for size in range(2, min(thesaurus.longest, len(folded) - i) + 1))


def _age(result: Understood, typed: str, concept: Concept) -> None:
    """Note an age word: the search then looks for offers for those ages (all age words together: "baby of peuter"
    is 0 to 4), instead of offers that have the word in their text."""
    low, high = concept.ages
    if result.ages is not None:
        low, high = min(low, result.ages[0]), max(high, result.ages[1])
    result.ages = (low, high)
    result.age_words.append(typed)


def _add(result: Understood, group: Group) -> None:
    if all(g.alternatives != group.alternatives for g in result.groups):
        result.groups.append(group)


def _with_compounds(group: Group, vocab: Vocabulary) -> Group:
    """The group, also found by the catalog's compounds that end in one of its words of 5+ letters."""
    extra = [Alternative((compound,), within=True) for a in group.alternatives
             if len(a.words) == 1 and len(a.words[0]) >= 5 for compound in vocab.compounds_ending(a.words[0])]
    return replace(group, alternatives=tuple(dict.fromkeys((*group.alternatives, *extra)))) if extra else group


def _concept_group(typed: str, key: str, thesaurus: Thesaurus, vocab: Vocabulary, own: Alternative | None,
                   how: str = "synonym", meant: str = "") -> Group:
    """A group for a thesaurus concept: the person's own word (when the catalog has it), then the concept's
    catalog words. "word" when what was typed is one of those catalog words itself."""
    concept = thesaurus.concepts[key]
    words_typed = tuple(fold(w) for w in words(typed))
    alternatives = [own] if own else []
    # The phrase as typed, less its stop words (PostgreSQL would drop its own, SQLite would require them), may be
    # one the catalog itself uses.
    own_words = tuple(w for w in words_typed if w not in thesaurus.stopwords)
    if own is None and len(own_words) > 1 and all(vocab.knows(w) for w in own_words):
        alternatives.append(Alternative(own_words))
    alternatives += [Alternative(phrase) for phrase in concept.search]
    if how == "synonym" and words_typed in concept.search:
        how = "word"
    return Group(typed, how, tuple(dict.fromkeys(alternatives)), meant or " ".join(concept.search[0]), key)


def _word_group(typed: str, word: str, vocab: Vocabulary, thesaurus: Thesaurus, result: Understood,
                compound: bool = True) -> Group | None:
    key = thesaurus.terms.get((word,)) or (thesaurus.stems.get(stem(word)) if len(word) >= 4 else None)
    if key is not None and thesaurus.concepts[key].ages:
        _age(result, typed, thesaurus.concepts[key])
        return None
    known = vocab.knows(word)
    if key is not None:
        own = Alternative((word,), prefix=len(word) >= 3) if known or vocab.starts(word) else None
        return _remember(result, thesaurus, _concept_group(typed, key, thesaurus, vocab, own))
    if known:
        return Group(typed, "word", (Alternative((word,), prefix=len(word) >= 3),))
    if len(word) >= 3 and vocab.starts(word):
        return Group(typed, "prefix", (Alternative((word,), prefix=True),))
    inside = vocab.compounds_ending(word) if len(word) >= 5 else []
    if inside:  # only as the end of the catalog's compounds: "behandeling" in "traumabehandeling"
        return Group(typed, "within", tuple(Alternative((w,), within=True) for w in inside))
    near = vocab.nearest(word, 2) if len(word) >= 4 and word.isalpha() else None
    fixed = _typo(word, vocab, thesaurus, near)
    if fixed is not None:
        result.corrections[typed] = fixed
        key = thesaurus.terms.get((fixed,))
        if key is not None and thesaurus.concepts[key].ages:
            _age(result, typed, thesaurus.concepts[key])
            return None
        if key is not None:
            return _remember(result, thesaurus, _concept_group(typed, key, thesaurus, vocab, None, "typo", fixed))
        return Group(typed, "typo", (Alternative((fixed,)),), fixed)
    if compound:
        parts = _compound_parts(word, vocab, thesaurus)
        if parts:
            groups = [g for part in parts if (g := _word_group(typed, part, vocab, thesaurus, result, False))]
            if groups:  # all parts, or the first group's words (what the compound is: the last part, if known)
                both = (Alternative(tuple(parts)),) if len(groups) > 1 else ()
                alternatives = tuple(dict.fromkeys((*both, *groups[0].alternatives)))
                return Group(typed, "compound", alternatives, " + ".join(parts),
                             next((g.concept for g in groups if g.concept), ""))
    result.ignored.append(typed)
    if near is not None and near[1] <= (1 if len(word) == 4 else 2):  # not searched for, but offered
        result.offered[typed] = near[0]
    return None


def _remember(result: Understood, thesaurus: Thesaurus, group: Group) -> Group:
    """Note the catalog theme of a recognised concept (suggested when nothing is found)."""
    theme = thesaurus.concepts[group.concept].theme
    if theme and theme not in result.themes:
        result.themes.append(theme)
    return group


def _typo(word: str, vocab: Vocabulary, thesaurus: Thesaurus, near: tuple[str, int] | None) -> str | None:
    """The catalog or thesaurus word this one is a typo of (the catalog's first on a tie), or None; `near` is the
    closest catalog word within two typos, already looked up."""
    limit = allowed_typos(word)
    if not limit or not word.isalpha():
        return None
    best = near if near is not None and near[1] <= limit else None
    term = thesaurus.words.nearest(word, limit) if thesaurus.words else None  # thesaurus words count too
    if term is not None and (best is None or term[1] < best[1]):
        best = term
    return best[0] if best else None


LINKS = ("s", "e", "en", "")  # what Dutch puts between the parts of a compound: opvoeding-s-vragen


def _compound_parts(word: str, vocab: Vocabulary, thesaurus: Thesaurus) -> list[str]:
    """The known parts of a Dutch compound, the last part (what it is) first: "schoolangst" -> angst, school;
    "hechtingsproblemen" -> hechting. Empty when no part of 4+ letters is known. A compound is searched as all its
    known parts, or as its first known part alone: a schoolangst is an angst, found first where school is too."""
    def known(part: str) -> bool:
        return len(part) >= 4 and part not in thesaurus.stopwords and (
            vocab.knows(part) or (part,) in thesaurus.terms or stem(part) in thesaurus.stems)

    for cut in range(3, len(word) - 2):  # the longest known last part first
        head, rest = word[cut:], word[:cut]
        if not known(head):
            continue
        for link in LINKS:
            if link and not rest.endswith(link):
                continue
            modifier = rest[:len(rest) - len(link)] if link else rest
            if known(modifier):
                return [head, modifier]
        return [head]
    for cut in range(len(word) - 3, 2, -1):  # only the first part is known: "slaapproblemen" -> slaap
        for link in LINKS:
            modifier = word[:cut]
            if link and modifier.endswith(link) and known(modifier[:len(modifier) - len(link)]):
                return [modifier[:len(modifier) - len(link)]]
            if not link and known(modifier):
                return [modifier]
    return []
