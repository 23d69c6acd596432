"""Measure the catalog search against the judged queries (judged_queries.toml): recall@5 and MRR.

A result list is judged by the kinds of help it shows first: each offer name counts once, where it first appears
(the demo catalog offers each kind of help at several providers). recall@5 is the share of a query's expected
offers among the first five names; the reciprocal rank is 1 / the place of the first expected name (0 when none
comes in the first 20). Both are averaged over the queries. Used by tests/catalog/test_relevance.py and
bench/relevance.py.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from app.catalog.search import SearchQuery, search_offers

JUDGED = Path(__file__).with_name("judged_queries.toml")
DEPTH = 20  # names looked at for the reciprocal rank


@dataclass(frozen=True)
class Judged:
    q: str
    lang: str
    why: str
    expect: tuple[str, ...]
    held_out: bool = False  # written after the thesaurus and never tuned for
    section: str = ""  # the "# --- Title: ..." comment the query stands under in the file


@dataclass(frozen=True)
class Outcome:
    query: Judged
    names: tuple[str, ...]  # the first distinct offer names, in order
    recall: float
    reciprocal_rank: float


def judged_queries() -> list[Judged]:
    text = JUDGED.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    sections = _sections(text)
    return [Judged(item["q"], item["lang"], item.get("why", ""), tuple(item["expect"]), item.get("held_out", False),
                   section)
            for item, section in zip(data["query"], sections, strict=True)]


def _sections(text: str) -> list[str]:
    """The section title of each [[query]] in the file, in order: the words of the last "# --- " line before it up
    to its first colon (so "# --- Held out: written after ..." gives "Held out")."""
    titles, current = [], ""
    for line in text.splitlines():
        if line.startswith("# --- "):
            current = line.removeprefix("# --- ").split(":")[0].strip(" -")
        elif line.strip() == "[[query]]":
            titles.append(current)
    return titles


def ranked_names(session, text: str, depth: int = DEPTH) -> list[str]:
    """The distinct offer names a search shows, in order, up to `depth` (paging as a person would)."""
    names: list[str] = []
    page = 1
    while len(names) < depth:
        result = search_offers(session, query=SearchQuery(text=text, page=page))
        for offer in result.offers:
            if offer.name not in names:
                names.append(offer.name)
        if page >= result.pages or page >= 30:
            break
        page += 1
    return names[:depth]


def judge(session, query: Judged) -> Outcome:
    names = ranked_names(session, query.q)
    top = names[:5]
    recall = sum(name in top for name in query.expect) / len(query.expect)
    rank = next((i for i, name in enumerate(names, start=1) if name in query.expect), None)
    return Outcome(query, tuple(names), recall, 1 / rank if rank else 0.0)


def measure(session, queries: list[Judged] | None = None) -> tuple[float, float, list[Outcome]]:
    """Mean recall@5, mean reciprocal rank and each query's outcome."""
    outcomes = [judge(session, query) for query in (queries or judged_queries())]
    count = len(outcomes)
    return (sum(o.recall for o in outcomes) / count, sum(o.reciprocal_rank for o in outcomes) / count, outcomes)
