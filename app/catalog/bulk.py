"""Insert a catalog the database does not hold yet with one INSERT per table (the demo seed).

It writes the rows the importer would write for the same import rows, ids and search index included, each row read
and checked as the importer reads it (app/catalog/rows.py), but without the importer's per-provider lookups, deletes
and flushes. Updating a catalog that is already there is the importer's work.
"""

import sqlalchemy as sa
from sqlmodel import Session, select

from app.catalog import fulltext, geo
from app.catalog.importer import ImportReport, search_text
from app.catalog.models import Location, Offer, OfferTheme, Provider, ProviderContract, ProviderLanguage
from app.catalog.rows import BadRow, Row, parse_row
from app.core.ids import new_id
from app.identity.models import Municipality, Organisation


def is_new(session: Session, rows: list[dict]) -> bool:
    """Whether none of the rows' providers and offers is in the database (so they can be inserted in bulk)."""
    providers = select(Provider.id).where(Provider.external_id.in_({row["provider_id"] for row in rows}))
    offers = select(Offer.id).where(Offer.external_id.in_({row["offer_id"] for row in rows}))
    return session.exec(providers.union_all(offers).limit(1)).first() is None


def insert_catalog(session: Session, rows: list[dict]) -> ImportReport:
    """Insert valid import rows whose providers and offers are new (`is_new`); a bad row raises BadRow."""
    parsed = [parse_row(row) for row in rows]
    municipalities = _municipalities(session, parsed)
    providers = _providers(session, parsed, municipalities)
    locations = _locations(session, parsed, providers, municipalities)
    offers, themes = [], []
    for row in parsed:
        provider_id, provider_name = providers[row.provider_id]
        text = search_text(provider_name, row.offer, row.themes)
        offers.append({"external_id": row.offer_id, **row.offer, "provider_id": provider_id, "search_text": text,
                       "location_id": locations[_location_key(provider_id, row)]})
        themes.append(row.themes)
    ids = _insert_returning_ids(session, Offer, offers)
    _insert(session, OfferTheme, [{"offer_id": id_, "theme": code}
                                  for id_, codes in zip(ids, themes, strict=True) for code in codes])
    fulltext.add(session, [(id_, offer["name"], offer["search_text"]) for id_, offer in zip(ids, offers, strict=True)])
    return ImportReport(rows=len(rows), loaded=len(rows), created=len(rows), providers=len(providers))


def _insert(session: Session, model, rows: list[dict]) -> None:
    """Insert the rows with one executemany."""
    if rows:
        session.execute(sa.insert(model), rows)


def _insert_returning_ids(session: Session, model, rows: list[dict]) -> list[int]:
    """Insert the rows with one executemany; return their new ids in the rows' order."""
    if not rows:
        return []
    return list(session.scalars(sa.insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def _municipalities(session: Session, rows: list[Row]) -> dict[str, int]:
    """Every municipality id by CBS code; the missing ones inserted in the order the importer meets them."""
    known = dict(session.exec(select(Municipality.cbs_code, Municipality.id)).all())
    codes, providers = [], set()
    for row in rows:
        if row.provider_id not in providers:  # a provider's contracts are read from its first row
            providers.add(row.provider_id)
            codes += row.contracts
        codes.append(row.cbs)
    missing = [code for code in dict.fromkeys(codes) if code not in known]
    if unknown := [code for code in missing if code not in geo.MUNICIPALITY_NAMES]:
        raise BadRow(("municipality", f"unknown municipality code {unknown[0]}"))
    ids = _insert_returning_ids(session, Municipality, [{"cbs_code": code, "name": geo.MUNICIPALITY_NAMES[code]}
                                                        for code in missing])
    return known | dict(zip(missing, ids, strict=True))


def _providers(session: Session, rows: list[Row], municipalities: dict[str, int]) -> dict[str, tuple[int, str]]:
    """Insert each provider (from its first row, as the importer does) with its organisation, languages and
    contracts; return (id, name) by external id."""
    firsts = _first_rows(rows)
    values = [row.provider for row in firsts.values()]
    organisations = _organisations(session, [value["name"] for value in values])
    ids = _insert_returning_ids(session, Provider, [
        {"external_id": external_id, "organisation_id": organisations[value["name"]], **value}
        for external_id, value in zip(firsts, values, strict=True)])
    pairs = list(zip(ids, firsts.values(), strict=True))
    _insert(session, ProviderLanguage, [{"provider_id": id_, "language": code} for id_, row in pairs
                                        for code in row.languages])
    _insert(session, ProviderContract, [{"provider_id": id_, "municipality_id": municipalities[code]}
                                        for id_, row in pairs for code in row.contracts])
    return {external_id: (id_, value["name"]) for external_id, id_, value in zip(firsts, ids, values, strict=True)}


def _organisations(session: Session, names: list[str]) -> dict[str, str]:
    """The organisation id for each provider name: a provider organisation of that name, or a new one."""
    found: dict[str, str] = {}
    for name, id_ in session.exec(select(Organisation.name, Organisation.id).where(
            Organisation.kind == "provider", Organisation.name.in_(set(names)))).all():
        found.setdefault(name, id_)
    new = [{"id": new_id(), "name": name, "kind": "provider"} for name in dict.fromkeys(names) if name not in found]
    _insert(session, Organisation, new)
    return found | {row["name"]: row["id"] for row in new}


def _locations(session: Session, rows: list[Row], providers: dict[str, tuple[int, str]],
               municipalities: dict[str, int]) -> dict[tuple[int, str, str], int]:
    """Insert one location per provider and address (the last row's details win); return their ids by key."""
    places = {}
    for row in rows:
        key = _location_key(providers[row.provider_id][0], row)
        places[key] = {"provider_id": key[0], **row.location, "municipality_id": municipalities[row.cbs]}
    return dict(zip(places, _insert_returning_ids(session, Location, list(places.values())), strict=True))


def _location_key(provider_id: int, row: Row) -> tuple[int, str, str]:
    return provider_id, row.location["postcode"], row.location["address"]


def _first_rows(rows: list[Row]) -> dict[str, Row]:
    """Each provider's first row by its external id, in the order the providers first appear."""
    firsts: dict[str, Row] = {}
    for row in rows:
        firsts.setdefault(row.provider_id, row)
    return firsts
