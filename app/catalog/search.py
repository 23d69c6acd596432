"""Search the catalog: Dutch full text, filters, sorting, distance from a postcode, pages."""

import math
from dataclasses import dataclass, field, replace

import sqlalchemy as sa
from sqlalchemy.orm import defer, joinedload
from sqlmodel import Session, select

from app.catalog import fulltext, geo, hooks
from app.catalog.models import Location, Offer, OfferTheme, Provider, ProviderContract, ProviderLanguage
from app.identity.models import Municipality

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
    notes: list[str] = field(default_factory=list)  # codes: unknown_postcode, no_ratings, distance_needs_postcode


def search_offers(session: Session, *, query: SearchQuery) -> SearchResult:
    """Find offers matching the query: one page, sorted, with distances when a known postcode is given."""
    notes: list[str] = []
    origin = geo.place_of(query.postcode) if query.postcode else None
    if query.postcode and origin is None:
        notes.append("unknown_postcode")
    terms = fulltext.query_terms(query.text)
    filters, rank, fts = _conditions(session, query, terms, origin)
    first, reads_every_match = _order(query, rank, origin, notes)
    order = [first, Offer.name, Offer.id]
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
        return session.exec(base(select(sa.func.count()).select_from(Offer))).one()

    def page_of(number: int) -> tuple[list[Offer], int | None]:
        # The ids first (narrow rows sort fast and can come from covering indexes), then the cards of these 12.
        # Sorted by relevance or distance the database reads every match before the first page anyway, so it counts
        # them in the same pass (a window); sorted by waiting time an index gives the page without reading the rest,
        # and a separate count (only when the page is full) is cheaper.
        columns = (Offer.id, sa.func.count().over()) if window else (Offer.id,)
        rows = session.exec(base(select(*columns)).order_by(*order).offset((number - 1) * PAGE_SIZE)
                            .limit(PAGE_SIZE)).all()
        ids = [row[0] for row in rows] if window else list(rows)
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
    distances = {}
    if origin is not None:
        distances = {o.id: geo.haversine_km(origin.latitude, origin.longitude, o.location.latitude,
                                            o.location.longitude) for o in offers}
    return SearchResult(offers, total, page, pages, distances, origin, notes)


def _total_from_page(page: int, found: int) -> int | None:
    """The number of matches when the page itself tells (a part-filled page is the last); None when it does not."""
    if 0 < found < PAGE_SIZE or (found == 0 and page == 1):
        return (page - 1) * PAGE_SIZE + found
    return None


def _conditions(session: Session, query: SearchQuery, terms: list[str], origin: geo.Place | None):
    filters = []
    rank = fts = None
    if terms:
        if session.get_bind().dialect.name == "postgresql":
            tsquery = sa.func.to_tsquery(sa.literal_column("'dutch'::regconfig"), fulltext.postgres_tsquery(terms))
            vector = sa.literal_column("offer.search_vector")
            filters.append(vector.op("@@")(tsquery))
            rank = sa.desc(sa.func.ts_rank_cd(vector, tsquery))
        else:
            fts = sa.table(fulltext.FTS_TABLE, sa.column("rowid"))
            filters.append(sa.text(f"{fulltext.FTS_TABLE} MATCH :fts").bindparams(fts=fulltext.sqlite_match(terms)))
            rank = sa.func.bm25(sa.literal_column(fulltext.FTS_TABLE), 5.0, 1.0).asc()  # titles count 5 times
    if query.category:
        filters.append(Offer.product_category == query.category)
    if query.age is not None:
        filters += [Offer.age_min <= query.age, Offer.age_max >= query.age]
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


def _order(query: SearchQuery, rank, origin: geo.Place | None, notes: list[str]) -> tuple[object, bool]:
    """The first sort key, and whether sorting by it means reading every match (relevance, distance)."""
    sort = query.sort
    if sort == "rating":
        sort = "relevance"  # among offers with the same (or no) published average, the best match first
    if sort == "distance" and origin is None:
        notes.append("distance_needs_postcode")
        sort = "relevance"
    if sort == "waiting":
        return Offer.waiting_weeks.asc(), False
    if sort == "distance" or (sort == "relevance" and rank is None and origin is not None):
        return _squared_km(origin).asc(), True
    if rank is not None:
        return rank, True
    return Offer.waiting_weeks.asc(), False


def _cards(session: Session, ids: list[int]) -> list[Offer]:
    """The offers with these ids, in this order, with what a result card shows: provider and location (joined, in
    the same statement) and the provider's languages (one more); not the themes, nor the long texts."""
    if not ids:
        return []
    rows = session.exec(select(Offer).where(Offer.id.in_(ids)).options(
        joinedload(Offer.location, innerjoin=True), joinedload(Offer.provider, innerjoin=True)
        .selectinload(Provider.languages), defer(Offer.description_nl), defer(Offer.description_fy),
        defer(Offer.description_en), defer(Offer.search_text))).all()
    by_id = {offer.id: offer for offer in rows}
    return [by_id[i] for i in ids]
