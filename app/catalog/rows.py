"""An import row (docs/catalog-import.md): its columns read as the API's provider and offer and checked against their
JSON Schemas (app/catalog/schemas.py, which the API checks its puts against), then for what a schema cannot say."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from app.catalog import geo
from app.catalog.schemas import CATALOG_OFFER, CATALOG_PROVIDER

SCHEMAS = {"offer": CATALOG_OFFER, "provider": CATALOG_PROVIDER}  # the API's schema of each part of a row
VALIDATORS = {where: Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
              for where, schema in SCHEMAS.items()}
NAMED_OTHERWISE = ("id", "name", "provider_id", "location")  # fields whose column has another name, or none
# Each column and its place in the API's offer or provider (the offer's provider_id is the provider's id).
COLUMNS = {
    "offer_id": "offer.id", "offer_name": "offer.name", "provider_id": "provider.id", "provider_name": "provider.name",
    **{name: f"offer.{name}" for name in CATALOG_OFFER["properties"] if name not in NAMED_OTHERWISE},
    **{name: f"provider.{name}" for name in CATALOG_PROVIDER["properties"] if name not in NAMED_OTHERWISE},
    "location_address": "offer.location.address", "location_postcode": "offer.location.postcode",
    "location_city": "offer.location.city", "location_cbs": "offer.location.municipality_code",
    "location_lat": "offer.location.latitude", "location_lon": "offer.location.longitude"}
COLUMN_AT = {path: column for column, path in COLUMNS.items()} | {"offer.provider_id": "provider_id"}
YES_NO = {**dict.fromkeys(("1", "true", "ja", "yes", "y", "j"), True),
          **dict.fromkeys(("0", "false", "nee", "no", "n"), False)}
TIDY = {  # a column's text made the way its schema wants it
    **dict.fromkeys(("agb_code", "kvk_number"), lambda text: text.replace(" ", "")),
    "location_postcode": lambda text: geo.normalise_postcode(text) or text,
    **dict.fromkeys(("location_cbs", "contracted_municipalities"),  # Excel drops a CBS code's leading zero
                    lambda code: code.zfill(4) if code.isdigit() else code)}


def unknown_municipality(code: str) -> str:
    return _("unknown municipality code %(code)s (use the 4-digit CBS code)", code=code)


MESSAGES = {  # by column when a code or form does not fit, else by the type the schema wants, else by its keyword
    "agb_code": lambda _e: _("an AGB code has exactly 8 digits"),
    "kvk_number": lambda _e: _("a KvK number has exactly 8 digits"),
    "website": lambda _e: _("a website starts with https://"),
    "complaint_regime": lambda _e: _("use jeugdwet or wkkgz"),
    "product_code": lambda _e: _("use at most 5 letters and digits"),
    "themes": lambda e: _("unknown theme %(theme)s", theme=e.instance),
    "languages": lambda e: _("unknown language code %(code)s (use nl, fy, en ...)", code=e.instance),
    "location_postcode": lambda _e: _("this is not a Dutch postcode (like 8911 AB)"),
    "location_cbs": lambda e: unknown_municipality(e.instance),
    "contracted_municipalities": lambda e: unknown_municipality(e.instance),
    **dict.fromkeys(("location_lat", "location_lon"), lambda _e: _("these coordinates are not in the Netherlands")),
    "integer": lambda _e: _("this is not a whole number"),
    "number": lambda _e: _("coordinates are numbers like 53.2012"),
    "boolean": lambda _e: _("use ja or nee"),
    "required": lambda _e: _("this is empty"),
    "maxLength": lambda e: _("this is longer than %(limit)d characters", limit=e.validator_value),
    **dict.fromkeys(("minimum", "maximum"), lambda e: _("this must be between %(low)d and %(high)d",
                                                         low=e.schema["minimum"], high=e.schema["maximum"])),
    "format": lambda _e: _("this is not a date like 2026-11-03"),
    "enum": lambda e: _("unknown value %(value)s", value=str(e.instance)[:40]),
    "maxItems": lambda e: _("this has more than %(limit)d values", limit=e.validator_value),
}


class BadRow(Exception):
    """A row that cannot be loaded: each (column, message)."""

    def __init__(self, *problems: tuple[str, str]):
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems))
        self.problems = problems


@dataclass
class Row:
    """A valid row as the models' values; its municipalities (CBS codes) are looked up as it loads."""

    offer_id: str
    provider_id: str
    offer: dict
    themes: list[str]
    location: dict
    cbs: str
    provider: dict | None = None  # None when the provider was not read (a later row of a provider already loaded)
    languages: list[str] = field(default_factory=list)
    contracts: list[str] = field(default_factory=list)


def parse_row(row: dict, *, with_provider: bool = True) -> Row:
    """Read a row (CSV text or JSON values) as the API's offer and provider, check it, and return its values."""
    shaped = shape(row)
    if problems := _problems(shaped, ("offer", "provider") if with_provider else ("offer",)):
        raise BadRow(*problems)
    provider, offer = shaped["provider"], shaped["offer"]
    if offer["age_max"] < offer["age_min"]:
        raise BadRow(("age_max", _("the highest age is lower than the lowest age")))
    read = Row(offer_id=offer["id"], provider_id=offer["provider_id"], offer=_offer_values(offer),
               themes=sorted(offer.get("themes", [])), location=_location_values(offer["location"]),
               cbs=offer["location"]["municipality_code"])
    if with_provider:
        read.provider, read.languages = _provider_values(provider), sorted(provider.get("languages", ["nl"]))
        read.contracts = provider.get("contracted_municipalities", [])
    return read


def shape(row: dict) -> dict[str, dict]:
    """The row as the API's {"offer": ..., "provider": ...}, each value typed as its schema wants (empty: left out)."""
    shaped: dict[str, dict] = {"offer": {"location": {}}, "provider": {}}
    for column, path in COLUMNS.items():
        where, *parents, name = path.split(".")
        target, schema = shaped[where], SCHEMAS[where]
        for parent in parents:
            target, schema = target[parent], schema["properties"][parent]
        value = _typed(row.get(column), schema["properties"][name], TIDY.get(column, str))
        if value not in ("", None, []):
            target[name] = value
    if "id" in shaped["provider"]:
        shaped["offer"]["provider_id"] = shaped["provider"]["id"]
    return shaped


def _typed(value, schema: dict, tidy: Callable[[str], str]):
    """A cell as the JSON value its schema wants: a list (split on | or ;), a code in lower case, a whole number, a
    number, yes/no, a date or tidied text. What does not convert stays as it is, for the schema to name."""
    if schema.get("type") == "array" and isinstance(value, str | list):
        items = [_typed(part, schema["items"], tidy) for part in (re.split(r"[|;]", value) if isinstance(value, str)
                                                                   else value)]
        return [item for i, item in enumerate(items) if item not in ("", *items[:i])]  # each once
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return value
    text, kind = str(value).strip(), schema.get("type")
    if "enum" in schema:
        return text.lower()
    if kind == "integer" and re.fullmatch(r"[+-]?[0-9]+", text):
        return int(text)
    if kind == "number" and re.fullmatch(r"[+-]?[0-9]+([.,][0-9]+)?", text):
        return float(text.replace(",", "."))
    if kind == "boolean":
        return YES_NO.get(text.lower(), text)
    return text[:10] if schema.get("format") == "date" else tidy(text)


def _problems(shaped: dict, parts: tuple[str, ...] = tuple(SCHEMAS)) -> list[tuple[str, str]]:
    """Each column that breaks the API's schemas, once, with what is wrong with it, in the order of the columns."""
    found: dict[str, str] = {}
    for where in parts:
        for error in VALIDATORS[where].iter_errors(shaped[where]):
            path = ".".join([where, *(str(key) for key in error.absolute_path if not isinstance(key, int))])
            columns = [COLUMN_AT[path]] if error.validator != "required" else [
                COLUMN_AT[f"{path}.{key}"] for key in error.validator_value if key not in error.instance]
            for column in columns:
                found.setdefault(column, _message(error, column))
    return sorted(found.items(), key=lambda problem: list(COLUMNS).index(problem[0]))


def _message(error: ValidationError, column: str) -> str:
    """What is wrong, in the person's language: said for the column, else for the type or the schema keyword."""
    kind = error.validator
    if kind == "type":
        kind = str(error.validator_value)
    elif kind in ("enum", "pattern", "minimum", "maximum") and column in MESSAGES:
        kind = column
    return MESSAGES.get(kind, lambda _e: _("this value is not valid"))(error)


def _offer_values(offer: dict) -> dict:
    """An Offer's columns from a valid offer, with the defaults for what it leaves out."""
    return {"name": offer["name"], "description_nl": offer["description_nl"],
            "description_fy": offer.get("description_fy", ""), "description_en": offer.get("description_en", ""),
            "product_category": offer["product_category"], "product_code": offer.get("product_code", ""),
            "form": offer["form"], "age_min": offer["age_min"], "age_max": offer["age_max"],
            "method": offer.get("method", ""), "is_effective_intervention": offer.get("effective_intervention", False),
            "intensity": offer.get("intensity", ""), "waiting_weeks": offer["waiting_weeks"],
            "waiting_updated_on": date.fromisoformat(offer["waiting_updated_on"]),
            "funding": offer.get("funding", "result")}


def _provider_values(provider: dict) -> dict:
    """A Provider's columns from a valid provider, with the defaults for what it leaves out."""
    defaults = {"kvk_number": "", "website": "", "phone": "", "complaint_regime": "jeugdwet", "complaint_officer": "",
                "complaint_phone": "", "complaint_email": "", "complaint_term_weeks": None}
    return {"name": provider["name"], "agb_code": provider["agb_code"],
            **{name: provider.get(name, default) for name, default in defaults.items()}}


def _location_values(location: dict) -> dict:
    """A Location's columns: the coordinates as given, or else the postcode's bundled centre."""
    values = {name: location[name] for name in ("address", "postcode", "city")}
    if "latitude" in location and "longitude" in location:
        return values | {"latitude": location["latitude"], "longitude": location["longitude"]}
    place = geo.place_of(location["postcode"])
    if place is None:
        raise BadRow(("location_lat", _("no coordinates given, and we do not know where postcode %(postcode)s is",
                                        postcode=location["postcode"])))
    return values | {"latitude": place.latitude, "longitude": place.longitude}


REQUIRED = [column for column, _problem in _problems(shape({}))]  # the columns an empty row lacks
