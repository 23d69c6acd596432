"""Insert a catalog the database does not hold yet with one INSERT per table (the demo seed).

It writes the rows the importer would write for the same import rows, ids and search index included, checked by the
importer's own helpers, but without the importer's per-provider lookups, deletes and flushes. Updating a catalog that
is already there is the importer's work.
"""

import sqlalchemy as sa
from sqlmodel import Session, select

from app.catalog import fulltext, geo
from app.catalog.importer import (
    BadRow,
    ImportReport,
    _coordinates,
    _languages,
    _offer_values,
    _provider_values,
    _split,
    _text,
    _themes,
    search_text,
)
from app.catalog.models import Location, Offer, OfferTheme, Provider, ProviderContract, ProviderLanguage
from app.core.ids import new_id
from app.identity.models import Municipality, Organisation


def is_new(session: Session, rows: list[dict]) -> bool:
    """Whether none of the rows' providers and offers is in the database (so they can be inserted in bulk)."""
    providers = select(Provider.id).where(Provider.external_id.in_({row["provider_id"] for row in rows}))
    offers = select(Offer.id).where(Offer.external_id.in_({row["offer_id"] for row in rows}))
    return session.exec(providers.union_all(offers).limit(1)).first() is None


def insert_catalog(session: Session, rows: list[dict]) -> ImportReport:
    """Insert valid import rows whose providers and offers are new (`is_new`); a bad row raises BadRow."""
    municipalities = _municipalities(session, rows)
    providers = _providers(session, rows, municipalities)
    locations = _locations(session, rows, providers, municipalities)
    offers, themes = [], []
    for row in rows:
        values, codes = _offer_values(row), _themes(row.get("themes", ""))
        provider_id, provider_name = providers[row["provider_id"]]
        text = search_text(provider_name, values, codes)
        offers.append({"external_id": row["offer_id"], **values, "provider_id": provider_id, "search_text": text,
                       "location_id": locations[_location_key(provider_id, row)]})
        themes.append(codes)
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


def _municipalities(session: Session, rows: list[dict]) -> dict[str, int]:
    """Every municipality id by CBS code; the missing ones inserted in the order the importer meets them."""
    known = dict(session.exec(select(Municipality.cbs_code, Municipality.id)).all())
    codes, providers = [], set()
    for row in rows:
        if row["provider_id"] not in providers:  # a provider's contracts are read from its first row
            providers.add(row["provider_id"])
            codes += [_cbs(code) for code in _split(row.get("contracted_municipalities", ""))]
        codes.append(_cbs(row["location_cbs"]))
    missing = [code for code in dict.fromkeys(codes) if code not in known]
    if unknown := [code for code in missing if code not in geo.MUNICIPALITY_NAMES]:
        raise BadRow("municipality", f"unknown municipality code {unknown[0]}")
    ids = _insert_returning_ids(session, Municipality, [{"cbs_code": code, "name": geo.MUNICIPALITY_NAMES[code]}
                                                        for code in missing])
    return known | dict(zip(missing, ids, strict=True))


def _providers(session: Session, rows: list[dict], municipalities: dict[str, int]) -> dict[str, tuple[int, str]]:
    """Insert each provider (from its first row, as the importer does) with its organisation, languages and
    contracts; return (id, name) by external id."""
    firsts = _first_rows(rows)
    values = [_provider_values(row) for row in firsts.values()]
    organisations = _organisations(session, [value["name"] for value in values])
    ids = _insert_returning_ids(session, Provider, [
        {"external_id": external_id, "organisation_id": organisations[value["name"]], **value}
        for external_id, value in zip(firsts, values, strict=True)])
    pairs = list(zip(ids, firsts.values(), strict=True))
    _insert(session, ProviderLanguage, [{"provider_id": id_, "language": code} for id_, row in pairs
                                        for code in _languages(row.get("languages", ""))])
    _insert(session, ProviderContract, [{"provider_id": id_, "municipality_id": municipality_id} for id_, row in pairs
                                        for municipality_id in _contracted(row, municipalities)])
    return {external_id: (id_, value["name"]) for external_id, id_, value in zip(firsts, ids, values, strict=True)}


def _contracted(row: dict, municipalities: dict[str, int]) -> list[int]:
    """The ids of the municipalities a provider's row names as contracted, each once."""
    return list(dict.fromkeys(municipalities[_cbs(code)] for code in _split(row.get("contracted_municipalities", ""))))


def _organisations(session: Session, names: list[str]) -> dict[str, str]:
    """The organisation id for each provider name: a provider organisation of that name, or a new one."""
    found: dict[str, str] = {}
    for name, id_ in session.exec(select(Organisation.name, Organisation.id).where(
            Organisation.kind == "provider", Organisation.name.in_(set(names)))).all():
        found.setdefault(name, id_)
    new = [{"id": new_id(), "name": name, "kind": "provider"} for name in dict.fromkeys(names) if name not in found]
    _insert(session, Organisation, new)
    return found | {row["name"]: row["id"] for row in new}


def _locations(session: Session, rows: list[dict], providers: dict[str, tuple[int, str]],
               municipalities: dict[str, int]) -> dict[tuple[int, str, str], int]:
    """Insert one location per provider and address (the last row's details win); return their ids by key."""
    places = {}
    for row in rows:
        key = _location_key(providers[row["provider_id"]][0], row)
        latitude, longitude = _coordinates(row, key[1])
        places[key] = {"provider_id": key[0], "postcode": key[1], "address": key[2],
                       "city": _text(row, "location_city", 100), "latitude": latitude, "longitude": longitude,
                       "municipality_id": municipalities[_cbs(row["location_cbs"])]}
    return dict(zip(places, _insert_returning_ids(session, Location, list(places.values())), strict=True))


def _location_key(provider_id: int, row: dict) -> tuple[int, str, str]:
    postcode = geo.normalise_postcode(row["location_postcode"])
    if postcode is None:
        raise BadRow("location_postcode", "not a Dutch postcode")
    return provider_id, postcode, _text(row, "location_address", 200)


def _first_rows(rows: list[dict]) -> dict[str, dict]:
    """Each provider's first row by its external id, in the order the providers first appear."""
    firsts: dict[str, dict] = {}
    for row in rows:
        firsts.setdefault(row["provider_id"], row)
    return firsts


def _cbs(code: str) -> str:
    return code.strip().zfill(4) if code.strip().isdigit() else code.strip()
