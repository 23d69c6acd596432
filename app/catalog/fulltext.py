"""Dutch full-text search: SQLite FTS5 over text stemmed in Python, PostgreSQL tsvector('dutch') with a GIN index.

SQLite has no Dutch stemmer, so the Snowball Dutch stemmer (the algorithm PostgreSQL's `dutch` configuration uses)
stems each word here before it goes into the FTS5 table; queries are stemmed the same way. Every query term is
made of letters and digits only and quoted, so nothing a person types reaches FTS5 or tsquery syntax.
"""

import re
import unicodedata
import weakref
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
import sqlalchemy as sa
from sqlmodel import Session

from app.core.db import leave_out_of_migrations

FTS_TABLE = "offer_fts"
_WORD = re.compile(r"[^\W_]+")

SQLITE_DDL = [f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, "
              "tokenize = 'unicode61 remove_diacritics 2')"]
SQLITE_DROP = [f"DROP TABLE IF EXISTS {FTS_TABLE}"]
POSTGRES_DDL = [
    "ALTER TABLE offer ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('dutch', coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('dutch', coalesce(search_text, '')), 'B')) STORED",
    "CREATE INDEX ix_offer_search_vector ON offer USING gin (search_vector)",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS ix_offer_search_vector", "ALTER TABLE offer DROP COLUMN IF EXISTS search_vector"]

# Made with raw SQL (here and in migration 0005): Alembic's comparison must not try to drop them.
leave_out_of_migrations(table_prefix=FTS_TABLE, column="offer.search_vector", index="ix_offer_search_vector")


def ddl(dialect: str) -> list[str]:
    """The statements that create the search index for a database dialect."""
    return {"sqlite": SQLITE_DDL, "postgresql": POSTGRES_DDL}.get(dialect, [])


def attach(table: sa.Table) -> None:
    """Create the search index with the offer table, so create_all (tests) builds what the migration builds."""
    for dialect in ("sqlite", "postgresql"):
        for statement in ddl(dialect):
            sa.event.listen(table, "after_create", sa.DDL(statement).execute_if(dialect=dialect))


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("dutch")


def words(text: str) -> list[str]:
    """Split text into lower-case words of letters and digits (emoji and punctuation drop out)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Dutch Snowball stem of one lower-case word (cached: the pure-Python stemmer is slow, words repeat)."""
    return _stemmer().stemWord(word)


def stem_text(text: str) -> str:
    """Each word's Dutch stem, followed by the word itself when it differs (typing "begel" still finds it)."""
    out = []
    for word in words(text):
        root = stem(word)
        out.append(root if root == word else f"{root} {word}")
    return " ".join(out)


# A search as the database takes it: groups that must all match, each a list of phrases of which one must match;
# a phrase is its words (each given as the forms the catalog writes it in) and whether the last may be a word's start.
Phrase = tuple[tuple[tuple[str, ...], ...], bool]


def sqlite_match(groups: list[list[Phrase]]) -> str:
    """An FTS5 MATCH expression: every group, as any of its phrases; a word as its stem or itself (or its start)."""
    def options(form: str, prefix: bool) -> set[str]:
        return {f'"{stem(form)}"', f'"{form}"*' if prefix and len(form) >= 3 else f'"{form}"'}

    return " AND ".join(_group(group, options, " OR ", " AND ") for group in groups)


def postgres_tsquery(groups: list[list[Phrase]]) -> str:
    """The same as a to_tsquery('dutch', ...) text: a word as its Snowball stem or itself (or its start);
    PostgreSQL stems both again (its older Dutch stemmer keeps "angstig" where the Python one gives "angst")."""
    def options(form: str, prefix: bool) -> set[str]:
        return {stem(form), f"{form}:*" if prefix and len(form) >= 3 else form}

    return " & ".join(_group(group, options, " | ", " & ") for group in groups)


def _group(group: list[Phrase], options, either: str, both: str) -> str:
    """One group as the database's syntax: its one-word phrases merged into one set of words (the same matches as
    each on its own, without asking the database to weigh a word twice: "angst", "angst"* and a typo's "angst" are
    one word), then each phrase of several words."""
    def word(forms: tuple[str, ...], prefix: bool) -> set[str]:
        return set().union(*(options(form, prefix) for form in forms))

    single = set().union(*(word(words_[0], prefix) for words_, prefix in group if len(words_) == 1))
    phrases = dict.fromkeys("(" + both.join("(" + either.join(sorted(word(forms, prefix and i == len(words_) - 1)))
                                            + ")" for i, forms in enumerate(words_)) + ")"
                            for words_, prefix in group if len(words_) > 1)
    parts = [*phrases, *(["(" + either.join(sorted(single)) + ")"] if single else [])]
    return "(" + either.join(parts) + ")"


# The catalog's words per database engine (app/catalog/understand.py reads and keeps them): (look again after,
# words, the offers' count and newest change when they were read).
# Weak keys: an engine that is disposed of (a test's app) takes its words with it.
VOCABULARIES: "weakref.WeakKeyDictionary[object, tuple]" = weakref.WeakKeyDictionary()


def changed(session: Session) -> None:
    """The offers' texts changed: the next search reads the catalog's words again (in this process)."""
    VOCABULARIES.pop(session.get_bind(), None)


def reindex(session: Session, offers: Iterable) -> None:
    """Refresh the SQLite search rows of these offers (PostgreSQL computes its column itself)."""
    offers = list(offers)
    remove(session, [offer.id for offer in offers])
    add(session, [(offer.id, offer.name, offer.search_text) for offer in offers])


def add(session: Session, offers: Iterable[tuple[int, str, str]]) -> None:
    """Add SQLite search rows for new offers given as (id, name, search_text) (PostgreSQL computes its column)."""
    changed(session)
    if session.get_bind().dialect.name != "sqlite":
        return
    rows = [{"id": id_, "title": stem_text(name), "body": stem_text(text)} for id_, name, text in offers]
    if rows:
        session.execute(sa.text(f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (:id, :title, :body)"), rows)


def remove(session: Session, offer_ids: list[int]) -> None:
    """Drop search rows of deleted offers (SQLite)."""
    changed(session)
    if offer_ids and session.get_bind().dialect.name == "sqlite":
        session.execute(sa.text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), [{"id": i} for i in offer_ids])
