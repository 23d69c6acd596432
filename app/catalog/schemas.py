"""JSON Schemas (2020-12) of a catalog provider and offer: the API checks a catalog put against them, the importer
each row of a file (app/catalog/rows.py), and the API's OpenAPI document publishes them."""

from app.catalog.vocab import CATEGORIES, FORMS, FUNDING, INTENSITIES, LANGUAGES, THEMES

DATE = {"type": "string", "format": "date", "examples": ["2026-11-23"]}
EXTERNAL_ID = {"type": "string", "minLength": 1, "maxLength": 64, "pattern": r"^\S(.*\S)?$"}
MUNICIPALITY = {"type": "string", "pattern": "^[0-9]{4}$", "description": "CBS gemeentecode"}
JZ020 = {"type": "string", "enum": sorted(CATEGORIES), "description": "JZ020 productcategorie (iJw 3.2)"}


def text(limit: int, *, min_length: int = 1) -> dict:
    return {"type": "string", "minLength": min_length, "maxLength": limit}


CATALOG_PROVIDER = {
    "type": "object", "additionalProperties": False, "title": "Provider",
    "description": "A care provider. Stored (created or updated by `id`) together with its offers in the same put.",
    "required": ["id", "name", "agb_code"],
    "properties": {
        "id": {**EXTERNAL_ID, "description": "The municipality's id of the provider (external id)"},
        "name": text(200),
        "agb_code": {"type": "string", "pattern": "^[0-9]{8}$", "description": "AGB code, 8 digits"},
        "kvk_number": {"type": "string", "pattern": "^([0-9]{8})?$"},
        "website": {"type": "string", "maxLength": 300, "pattern": "^(https?://.*)?$"},
        "phone": text(30, min_length=0),
        "languages": {"type": "array", "maxItems": 20, "uniqueItems": True,
                      "items": {"type": "string", "enum": LANGUAGES},
                      "description": "ISO 639 codes of the languages the staff speak (default nl)"},
        "complaint_regime": {"enum": ["jeugdwet", "wkkgz"]},
        "complaint_officer": text(200, min_length=0),
        "complaint_phone": text(30, min_length=0),
        "complaint_email": text(254, min_length=0),
        "complaint_term_weeks": {"type": "integer", "minimum": 1, "maximum": 26,
                                 "description": "Term of the complaint regulation in weeks; left out: 6"},
        "contracted_municipalities": {"type": "array", "maxItems": 400, "uniqueItems": True, "items": MUNICIPALITY},
    },
}
CATALOG_LOCATION = {
    "type": "object", "additionalProperties": False, "required": ["address", "postcode", "city", "municipality_code"],
    "properties": {"address": text(200), "postcode": {"type": "string", "pattern": "^[1-9][0-9]{3} ?[A-Za-z]{2}$"},
                   "city": text(100), "municipality_code": MUNICIPALITY,
                   "latitude": {"type": "number", "minimum": 50.7, "maximum": 53.7},
                   "longitude": {"type": "number", "minimum": 3.3, "maximum": 7.3}},
}
CATALOG_OFFER = {
    "type": "object", "additionalProperties": False, "title": "Offer",
    "description": "One offer (aanbod) of a provider listed in `providers`; created or updated by `id`.",
    "required": ["id", "provider_id", "name", "description_nl", "product_category", "form", "age_min", "age_max",
                 "waiting_weeks", "waiting_updated_on", "location"],
    "properties": {
        "id": {**EXTERNAL_ID, "description": "The municipality's id of the offer (external id)"},
        "provider_id": {**EXTERNAL_ID, "description": "The `id` of a provider in `providers`"},
        "name": text(200),
        "description_nl": text(4000), "description_fy": text(4000, min_length=0),
        "description_en": text(4000, min_length=0),
        "product_category": JZ020,
        "product_code": {"type": "string", "pattern": "^[0-9A-Za-z]{0,5}$", "description": "Regional product code"},
        "form": {"enum": list(FORMS)},
        "age_min": {"type": "integer", "minimum": 0, "maximum": 27},
        "age_max": {"type": "integer", "minimum": 0, "maximum": 27},
        "waiting_weeks": {"type": "integer", "minimum": 0, "maximum": 104},
        "waiting_updated_on": DATE,
        "themes": {"type": "array", "uniqueItems": True, "maxItems": 12, "items": {"enum": list(THEMES)}},
        "method": text(200, min_length=0),
        "effective_intervention": {"type": "boolean"},
        "intensity": {"enum": list(INTENSITIES)},
        "funding": {"enum": list(FUNDING)},
        "location": CATALOG_LOCATION,
    },
}
