"""Put catalog providers and offers in bulk through the catalog importer (its AGB, code and address checks).

All or nothing: when any row is wrong, the answer lists every failing field and nothing is stored. Each put
creates or updates by external id, so sending the same catalog twice changes nothing the second time.
"""

from flask_babel import force_locale
from sqlmodel import Session

from app.api.auth import ApiClient
from app.api.calls import Answer, earlier_answer, remember
from app.api.validation import errors_of, invalid
from app.catalog.importer import import_catalog

ENDPOINT = "catalog"
# API field -> importer column, for providers and for offers (docs/catalog-import.md describes the columns)
PROVIDER_COLUMNS = {"id": "provider_id", "name": "provider_name", "agb_code": "agb_code", "kvk_number": "kvk_number",
                    "website": "website", "phone": "phone", "languages": "languages",
                    "complaint_regime": "complaint_regime", "complaint_officer": "complaint_officer",
                    "complaint_phone": "complaint_phone", "complaint_email": "complaint_email",
                    "contracted_municipalities": "contracted_municipalities"}
OFFER_COLUMNS = {"id": "offer_id", "name": "offer_name", "description_nl": "description_nl",
                 "description_fy": "description_fy", "description_en": "description_en",
                 "product_category": "product_category", "product_code": "product_code", "form": "form",
                 "age_min": "age_min", "age_max": "age_max", "waiting_weeks": "waiting_weeks",
                 "waiting_updated_on": "waiting_updated_on", "themes": "themes", "method": "method",
                 "effective_intervention": "effective_intervention", "intensity": "intensity",
                 "funding": "funding"}
LOCATION_COLUMNS = {"address": "location_address", "postcode": "location_postcode", "city": "location_city",
                    "municipality_code": "location_cbs", "latitude": "location_lat", "longitude": "location_lon"}
COLUMN_FIELDS = ({column: ("provider", name) for name, column in PROVIDER_COLUMNS.items()}
                 | {column: ("offer", name) for name, column in OFFER_COLUMNS.items()}
                 | {column: ("offer", f"location.{name}") for name, column in LOCATION_COLUMNS.items()})


def put_catalog(session: Session, *, client: ApiClient, body: dict) -> Answer:
    """Create or update the providers and offers of the body; 422 with every failing field, or the counts."""
    request_id = body.get("request_id") if isinstance(body.get("request_id"), str) else None
    earlier = earlier_answer(session, client=client, request_id=request_id, endpoint=ENDPOINT, body=body)
    if earlier is not None:
        return earlier
    errors = _envelope_errors(body)
    if errors:
        raise invalid(errors)
    providers, offers = body["providers"], body["offers"]
    errors = [*_item_errors("CatalogProvider", "providers", providers),
              *_item_errors("CatalogOffer", "offers", offers)]
    provider_index = _index(providers, "providers", errors)
    _index(offers, "offers", errors)
    errors += [(f"offers[{i}].provider_id", "no provider with this id in providers")
               for i, offer in enumerate(offers)
               if isinstance(offer, dict) and isinstance(offer.get("provider_id"), str)
               and offer["provider_id"] not in provider_index]
    if errors:
        raise invalid(errors)
    rows = [(i, _row(providers[provider_index[offer["provider_id"]]], offer)) for i, offer in enumerate(offers)]
    with force_locale("en"):  # the importer's messages, in the API's language
        report = import_catalog(session, rows)
        errors = [_field(error.line, error.field, offers, provider_index) + (error.message,)
                  for error in report.errors]
    if errors:
        raise invalid(errors)
    answer = Answer(200, {"providers": report.providers, "offers": len(offers), "created": report.created,
                          "updated": report.updated, "unchanged": report.unchanged}, object_type="catalog",
                    object_id=f"{len(offers)} offers")
    return remember(session, client=client, request_id=request_id, endpoint=ENDPOINT, body=body, answer=answer)


def _envelope_errors(body: dict) -> list[tuple[str, str]]:
    """The top level only (the items are checked one by one, so each error names its row)."""
    errors = [(key, "unknown field: leave it out") for key in body if key not in ("request_id", "providers", "offers")]
    for key in ("providers", "offers"):
        if key not in body:
            errors.append((key, "this field is required"))
        elif not isinstance(body[key], list):
            errors.append((key, "must be a list"))
    limits = {"providers": 5000, "offers": 20000}
    errors += [(key, f"at most {limit} items at once") for key, limit in limits.items()
               if isinstance(body.get(key), list) and len(body[key]) > limit]
    if "request_id" in body:
        errors += errors_of("CatalogPut", {"request_id": body["request_id"], "providers": [], "offers": []})
    return errors


def _item_errors(schema: str, name: str, items: list) -> list[tuple[str, str]]:
    errors = []
    for i, item in enumerate(items):
        errors += errors_of(schema, item, prefix=f"{name}[{i}]")
    return errors


def _index(items: list, name: str, errors: list) -> dict[str, int]:
    """Position of each item by id; a second item with the same id is an error."""
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        key = item.get("id") if isinstance(item, dict) else None
        if isinstance(key, str):
            if key in seen:
                errors.append((f"{name}[{i}].id", f"the same id is also at {name}[{seen[key]}]"))
            else:
                seen[key] = i
    return seen


def _row(provider: dict, offer: dict) -> dict:
    """One importer row (strings, lists joined by |) from a provider and one of its offers."""
    values = {column: provider.get(name) for name, column in PROVIDER_COLUMNS.items()}
    values |= {column: offer.get(name) for name, column in OFFER_COLUMNS.items()}
    values |= {column: offer["location"].get(name) for name, column in LOCATION_COLUMNS.items()}
    return {column: _text(value) for column, value in values.items()}


def _text(value) -> str:
    if isinstance(value, list):
        return "|".join(str(part) for part in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value).strip()


def _field(line: int, column: str, offers: list, provider_index: dict[str, int]) -> tuple[str]:
    """The API field of an importer error on the row of offers[line]."""
    where, name = COLUMN_FIELDS.get(column, ("offer", column))
    if where == "provider":
        return (f"providers[{provider_index[offers[line]['provider_id']]}].{name}",)
    return (f"offers[{line}].{name}",)

