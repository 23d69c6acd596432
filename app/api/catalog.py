"""Put catalog providers and offers in bulk through the catalog importer (which checks the same schemas, then the
municipalities, places and ages).

All or nothing: when any row is wrong, the answer lists every failing field and nothing is stored. Each put
creates or updates by external id, so sending the same catalog twice changes nothing the second time.
"""

from flask_babel import force_locale
from sqlmodel import Session

from app.api.auth import ApiClient
from app.api.calls import Answer, earlier_answer, remember
from app.api.validation import errors_of, invalid
from app.catalog.importer import import_catalog
from app.catalog.rows import COLUMNS

ENDPOINT = "catalog"


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
    """One importer row (its columns, with the JSON values) from a provider and one of its offers."""
    row = {}
    for column, path in COLUMNS.items():
        where, *names = path.split(".")
        value = provider if where == "provider" else offer
        for name in names:
            value = value.get(name) if isinstance(value, dict) else None
        row[column] = value
    return row


def _field(line: int, column: str, offers: list, provider_index: dict[str, int]) -> tuple[str]:
    """The API field of an importer error on the row of offers[line]."""
    where, _dot, name = COLUMNS.get(column, f"offer.{column}").partition(".")
    if where == "provider":
        return (f"providers[{provider_index[offers[line]['provider_id']]}].{name}",)
    return (f"offers[{line}].{name}",)

