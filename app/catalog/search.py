"""Search the catalog: Dutch full text, filters, sorting, distance from a postcode, pages."""

import math
from dataclasses import dataclass, field, replace

import sqlalchemy as sa
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression
from sqlmodel import Session, select

from app.catalog import fulltext, geo, hooks, thesaurus, understand
from app.catalog.explain import Reason, reasons_for
from app.catalog.models import Location, Offer, OfferTheme, Provider, ProviderContract, ProviderLanguage
from app.identity.models import Municipality
from app.plans.help_words import mentions_danger

PAGE_SIZE = 12


@dataclass(frozen=True)
class SearchQuery:
    """What a person searches for; every field is optional and already validated by the form."""

    text: str = ""
    category: str = ""
    age: int | None = None
    theme: str = ""
    form: str = ""
    max_wait: int | None = None
    postcode: str = ""
    max_km: int | None = None
    language: str = ""
    municipality: str = ""  # CBS code: only providers this municipality contracts
    sort: str = "relevance"
    page: int = 1

    def without(self, name: str) -> "SearchQuery":
        """The same search without one filter (for the empty state's suggestions)."""
        empty = {"age": None, "max_wait": None, "max_km": None}.get(name, "")
        return replace(self, **{name: empty, "page": 1})


@dataclass
class SearchResult:
    """One page of offers, how many there are in all, and what the person should know about the order."""

    offers: list[Offer]
    total: int
    page: int
    pages: int
    distances: dict[int, float] = field(default_factory=dict)
    origin: geo.Place | None = None
    # codes: unknown_postcode, no_ratings, distance_needs_postcode, rated_first, help_lines, ages_from_words
    notes: list[str] = field(default_factory=list)
    understood: understand.Understood | None = None  # how the search words were read (None: no words)
    reasons: dict[int, list[Reason]] = field(default_factory=dict)  # per offer on the page: why it matched


def search_offers(session: Session, *, query: SearchQuery) -> SearchResult:
    """Find offers matching the query: one page, sorted, with distances when a known postcode is given."""
    notes: list[str] = []
    origin = geo.place_of(query.postcode) if query.postcode else None
    if query.postcode and origin is None:
        notes.append("unknown_postcode")
    if mentions_danger(query.text):
        notes.append("help_lines")  # words about violence, abuse, self-harm or suicide: the help lines first
    understood = vocab = None
    if fulltext.words(query.text):
        vocab = understand.vocabulary(session)
        understood = understand.understand(query.text, vocab, thesaurus.current(session))
    if understood is not None and understood.ages and query.age is None:
        notes.append("ages_from_words")
    offers, total, page, pages = _find(session, query, understood, vocab, origin, notes)
    while total == 0 and understood is not None and (plain := understood.least_needed()) is not None:
        # Nothing has all the words: leave out, from the last, a word that is not one the thesaurus knows (a
        # word the person asked for by its meaning is never dropped), as Meilisearch's "last" matching strategy.
        understood = understood.without(plain)
        offers, total, page, pages = _find(session, query, understood, vocab, origin, notes)
    distances = {}
    if origin is not None:
        distances = {o.id: geo.haversine_km(origin.latitude, origin.longitude, o.location.latitude,
                                            o.location.longitude) for o in offers}
    reasons = reasons_for(offers, understood) if understood is not None else {}
    return SearchResult(offers, total, page, pages, distances, origin, list(dict.fromkeys(notes)), understood,
                        reasons)


def _find(session: Session, query: SearchQuery, understood, vocab, origin: geo.Place | None,
          notes: list[str]) -> tuple[list[Offer], int, int, int]:
    """One page of the offers that match: the cards, how many match in all, the page shown and the number of pages."""
    filters, rank, fts = _conditions(session, query, understood, vocab, origin)
    first, reads_every_match = _order(query, rank, origin, notes)
    order = [*first, Offer.name, Offer.id]
    if query.sort == "rating" and (by_rating := hooks.best_rated_first(session, notes)):
        order, reads_every_match = by_rating + order, True
    window = reads_every_match and fts is None  # SQLite's bm25() cannot run beside a window function

    def base(statement):
        if fts is not None:
            statement = statement.join(fts, fts.c.rowid == Offer.id)
        if origin is not None:
            statement = statement.join(Location, Location.id == Offer.location_id)
        return statement.where(*filters)

    def count() -> int:
        if fts is not None and len(filters) == 1 and origin is None:  # words only: the index alone counts them
            return session.exec(select(sa.func.count()).select_from(fts).where(*filters)).one()
        return session.exec(base(select(sa.func.count()).select_from(Offer))).one()

    def page_of(number: int) -> tuple[list[Offer], int | None]:
        # The ids first (narrow rows sort fast and can come from covering indexes), then the cards of these 12.
        # Sorted by relevance or distance the database reads every match before the first page anyway, so it counts
        # them in the same pass (a window); sorted by waiting time an index gives the page without reading the rest,
        # and a separate count (only when the page is full) is cheaper.
        if window:
            rows = session.exec(_narrow_window(base, order).offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
            ids = [row[0] for row in rows]
        else:
            ids = list(session.exec(base(select(Offer.id)).order_by(*order).offset((number - 1) * PAGE_SIZE)
                                    .limit(PAGE_SIZE)).all())
        return _cards(session, ids), (rows[0][1] if window and rows else None)

    page = max(query.page, 1)
    offers, total = page_of(page)
    if total is None:
        total = _total_from_page(page, len(offers))
    if total is None:
        total = count()
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if page > pages:  # past the last page (an old link): show the last one
        page = pages
        offers = page_of(page)[0] if total else []
    return offers, total, page, pages


def _narrow_window(base, order: list):
    """The ids in this order with the number of matches beside each (a window), counted over narrow rows: the sort
    keys are worked out in a subquery the database may not merge (OFFSET 0), so the window keeps (id, keys) per
    match instead of whole offers with their search vectors (which spilled to disk on PostgreSQL at 6,000 matches)."""
    keys, directions = [], []
    for term in order:
        modifier = getattr(term, "modifier", None)
        if isinstance(term, UnaryExpression) and modifier in (operators.asc_op, operators.desc_op):
            keys.append(term.element)
            directions.append(sa.desc if modifier is operators.desc_op else sa.asc)
        else:
            keys.append(term)
            directions.append(sa.asc)
    inner = base(select(Offer.id.label("id"), *(key.label(f"k{i}") for i, key in enumerate(keys)))).offset(0)
    narrow = inner.subquery("ranked")
    return select(narrow.c.id, sa.func.count().over()).order_by(
        *(direction(narrow.c[f"k{i}"]) for i, direction in enumerate(directions)))


def _total_from_page(page: int, found: int) -> int | None:
    """The number of matches when the page itself tells (a part-filled page is the last); None when it does not."""
    if 0 < found < PAGE_SIZE or (found == 0 and page == 1):
        return (page - 1) * PAGE_SIZE + found
    return None


def _phrases(groups, vocab: understand.Vocabulary, exact: bool = False) -> list[list[fulltext.Phrase]]:
    """The groups as the database searches them: each word in every form the catalog writes it in."""
    return [[(tuple(vocab.forms(word) for word in alternative.words), alternative.prefix)
             for alternative in (group.exact if exact else group.alternatives)] for group in groups]


def _conditions(session: Session, query: SearchQuery, understood, vocab, origin: geo.Place | None):
    """The WHERE conditions; the ORDER BY terms of a search by words (the offers that match the person's own words
    first, then the best match by the database's rank), or None; the joined SQLite full-text table, or None."""
    filters = []
    rank = fts = None
    if understood is not None and not understood.groups:
        if not understood.ages:
            filters.append(sa.false())  # words, none of them known in any way: nothing matches
    elif understood is not None:
        groups, exact = _phrases(understood.groups, vocab), _phrases(understood.groups, vocab, exact=True)
        if session.get_bind().dialect.name == "postgresql":
            def tsquery(text: str):
                # A scalar subquery, so PostgreSQL parses and stems it once per search (an InitPlan): as a plain
                # call its generic plan (a statement psycopg prepared after 5 runs) did so again for every row.
                return sa.select(sa.func.to_tsquery(sa.literal_column("'dutch'::regconfig"), text)).scalar_subquery()

            vector = sa.literal_column("offer.search_vector")
            everything = tsquery(fulltext.postgres_tsquery(groups))
            filters.append(vector.op("@@")(everything))
            rank = [sa.desc(sa.func.ts_rank(vector, everything))]  # the name (weight A) 2.5 times the rest
            if exact != groups:
                rank.insert(0, sa.case((vector.op("@@")(tsquery(fulltext.postgres_tsquery(exact))), 0), else_=1))
        else:
            fts = sa.table(fulltext.FTS_TABLE, sa.column("rowid"))
            filters.append(sa.text(f"{fulltext.FTS_TABLE} MATCH :fts").bindparams(fts=fulltext.sqlite_match(groups)))
            rank = [sa.func.bm25(sa.literal_column(fulltext.FTS_TABLE), 5.0, 1.0).asc()]  # titles count 5 times
            if exact != groups:
                own = sa.text(f"offer.id IN (SELECT rowid FROM {fulltext.FTS_TABLE} WHERE {fulltext.FTS_TABLE} "
                              "MATCH :exact)").bindparams(exact=fulltext.sqlite_match(exact))
                rank.insert(0, sa.case((own, 0), else_=1))
    if query.category:
        filters.append(Offer.product_category == query.category)
    if query.age is not None:
        filters += [Offer.age_min <= query.age, Offer.age_max >= query.age]
    elif understood is not None and understood.ages:  # "kleuter": offers for some of those ages (the age filter wins)
        filters += [Offer.age_min <= understood.ages[1], Offer.age_max >= understood.ages[0]]
    if query.theme:
        filters.append(Offer.id.in_(select(OfferTheme.offer_id).where(OfferTheme.theme == query.theme)))
    if query.form:
        filters.append(Offer.form == query.form)
    if query.max_wait is not None:
        filters.append(Offer.waiting_weeks <= query.max_wait)
    if query.language:
        filters.append(Offer.provider_id.in_(select(ProviderLanguage.provider_id)
                                             .where(ProviderLanguage.language == query.language)))
    if query.municipality:
        contracted = (select(ProviderContract.provider_id).join(Municipality)
                      .where(Municipality.cbs_code == query.municipality))
        filters.append(Offer.provider_id.in_(contracted))
    if origin is not None and query.max_km:
        filters += _within(origin, query.max_km)
    return filters, rank, fts


def _squared_km(origin: geo.Place):
    """Squared distance in km² from the origin to a location, flat-earth (exact enough within a region)."""
    kx, ky = geo.km_per_degree_lon(origin.latitude), geo.KM_PER_DEGREE_LAT
    dx = (Location.longitude - origin.longitude) * kx
    dy = (Location.latitude - origin.latitude) * ky
    return dx * dx + dy * dy


def _within(origin: geo.Place, km: int) -> list:
    """Conditions on the joined location: a bounding box first (cheap), then the distance itself."""
    kx, ky = geo.km_per_degree_lon(origin.latitude), geo.KM_PER_DEGREE_LAT
    return [Location.latitude.between(origin.latitude - km / ky, origin.latitude + km / ky),
            Location.longitude.between(origin.longitude - km / kx, origin.longitude + km / kx),
            _squared_km(origin) <= km * km]


def _order(query: SearchQuery, rank, origin: geo.Place | None, notes: list[str]) -> tuple[list, bool]:
    """The first sort keys, and whether sorting by them means reading every match (relevance, distance)."""
    sort = query.sort
    if sort == "rating":
        sort = "relevance"  # among offers with the same (or no) published average, the best match first
    if sort == "distance" and origin is None:
        notes.append("distance_needs_postcode")
        sort = "relevance"
    if sort == "waiting":
        return [Offer.waiting_weeks.asc()], False
    if sort == "distance" or (sort == "relevance" and rank is None and origin is not None):
        return [_squared_km(origin).asc()], True
    if rank is not None:
        return rank, True
    return [Offer.waiting_weeks.asc()], False


def _cards(session: Session, ids: list[int]) -> list[Offer]:
    """The offers with these ids, in this order, with what a result card shows: provider and location (joined, in
    the same statement) and the provider's languages (one more); not the themes, nor the descriptions (the search
    text, which holds them all, tells why an offer matched)."""
    if not ids:
        return []
    rows = session.exec(select(Offer).where(Offer.id.in_(ids)).options(
        joinedload(Offer.location, innerjoin=True), joinedload(Offer.provider, innerjoin=True)
        .selectinload(Provider.languages), defer(Offer.description_nl), defer(Offer.description_fy),
        defer(Offer.description_en))).all()
    by_id = {offer.id: offer for offer in rows}
    return [by_id[i] for i in ids]
