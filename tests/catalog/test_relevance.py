"""The judged queries (judged_queries.toml) on the demo catalog: recall@5 and MRR on SQLite and PostgreSQL (issue 24).

bench/relevance.py prints the same figures per language and lists the misses."""

import uuid

import pytest

from app.demo.catalog import seed_catalog
from app.extensions import db
from tests.catalog.relevance import judged_queries, measure
from tests.conftest import make_app

RECALL_AT_5 = 0.95
MRR = 0.85


def _figures(url: str) -> tuple[float, float, list]:
    app = make_app(url)
    try:
        with app.test_request_context(), db.new_session() as session:
            seed_catalog(session)
        with app.test_request_context():
            return measure(db.session)
    finally:
        with app.app_context():
            db.engine.dispose()


def test_the_judged_set_is_big_enough_and_names_real_offers():
    from app.demo.catalog import OFFERS

    queries = judged_queries()
    names = {offer[0] for offer in OFFERS}
    assert len(queries) >= 60
    assert {q.lang for q in queries} == {"nl", "fy", "en"}
    assert sum(q.lang == "fy" for q in queries) >= 10
    assert sum(q.lang == "en" for q in queries) >= 10
    assert sum(q.held_out for q in queries) >= 20
    independent = [q for q in queries if q.section == "Independent"]  # a second reviewer's, before the thesaurus
    assert [sum(q.lang == lang for q in independent) >= least for lang, least in (("nl", 20), ("fy", 10), ("en", 10))
            ] == [True, True, True]
    for query in queries:
        assert query.expect, query.q
        assert set(query.expect) <= names, query.q
    assert len({q.q for q in queries}) == len(queries)  # no query twice


@pytest.mark.postgres
def test_recall_and_mrr_on_both_databases_and_the_same_within_002(postgres, tmp_path):
    sqlite = _figures(f"sqlite:///{tmp_path / 'judged.db'}")
    pg = _figures(postgres.create_database(f"j_{uuid.uuid4().hex[:12]}"))
    for recall, mrr, outcomes in (sqlite, pg):
        misses = [(o.query.q, o.names[:5]) for o in outcomes if o.recall < 1 or o.reciprocal_rank < 1]
        assert recall >= RECALL_AT_5, misses
        assert mrr >= MRR, misses
        held_out = [o for o in outcomes if o.query.held_out]
        assert sum(o.recall for o in held_out) / len(held_out) >= RECALL_AT_5, misses
        independent = [o for o in outcomes if o.query.section == "Independent"]
        assert sum(o.recall for o in independent) / len(independent) >= RECALL_AT_5, misses
        assert sum(o.reciprocal_rank for o in independent) / len(independent) >= MRR, misses
    assert abs(sqlite[0] - pg[0]) <= 0.02
    assert abs(sqlite[1] - pg[1]) <= 0.02
