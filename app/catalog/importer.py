"""Load the catalog from CSV or JSON rows (docs/catalog-import.md): idempotent by external id, every bad row
reported with its line number while the good rows still load."""

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.catalog import fulltext, geo
from app.catalog.models import Location, Offer, OfferTheme, Provider, ProviderContract, ProviderLanguage
from app.catalog.vocab import CATEGORIES, FORMS, FUNDING, INTENSITIES, THEME_WORDS, THEMES, known_language
from app.core.clock import utcnow
from app.identity.models import Municipality, Organisation

REQUIRED = ("offer_id", "offer_name", "description_nl", "product_category", "form", "age_min", "age_max",
            "waiting_weeks", "waiting_updated_on", "provider_id", "provider_name", "agb_code",
            "location_address", "location_postcode", "location_city", "location_cbs")
OPTIONAL = ("description_fy", "description_en", "product_code", "themes", "method", "effective_intervention",
            "intensity", "funding", "kvk_number", "website", "phone", "languages", "complaint_regime",
            "complaint_officer", "complaint_phone", "complaint_email", "complaint_term_weeks",
            "contracted_municipalities",
            "location_lat", "location_lon")
EIGHT_DIGITS = re.compile(r"^[0-9]{8}$")
YES = {"1", "true", "ja", "yes", "y", "j"}
NO = {"", "0", "false", "nee", "no", "n"}


@dataclass
class RowError:
    """One problem in the file: the line (CSV) or item number (JSON), the field and what is wrong."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)d, %(field)s: %(message)s", line=self.line, field=self.field, message=self.message)


@dataclass
class ImportReport:
    """What an import did: rows loaded, offers created and updated, and every bad row."""

    rows: int = 0
    loaded: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    providers: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class BadRow(Exception):
    """A row that cannot be loaded."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


def read_file(data: bytes, filename: str) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Parse CSV or JSON bytes (UTF-8, with or without BOM, any line endings) into numbered rows."""
    text = data.decode("utf-8-sig")
    if filename.lower().endswith(".json"):
        return _read_json(text)
    return _read_csv(text)


def _read_csv(text: str) -> tuple[list[tuple[int, dict]], list[RowError]]:
    sample = text[:4096]
    delimiter = ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return [], [RowError(1, name, _("this column is missing")) for name in missing]
    reader.fieldnames = header
    rows = []
    for row in reader:
        values = {key: (value or "").strip() for key, value in row.items() if key}
        if any(values.values()):
            rows.append((reader.line_num, values))
    return rows, []


def _read_json(text: str) -> tuple[list[tuple[int, dict]], list[RowError]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [RowError(error.lineno, "json", _("this is not valid JSON"))]
    items = data.get("offers") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return [], [RowError(1, "offers", _("expected a list of offers"))]
    rows, errors = [], []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(number, "offer", _("expected an object")))
            continue
        rows.append((number, {key: _json_value(value) for key, value in item.items()}))
    return rows, errors


def _json_value(value) -> str:
    if isinstance(value, list):
        return "|".join(str(part) for part in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value).strip()


def import_catalog(session: Session, rows: Iterable[tuple[int, dict]], *,
                   progress: Callable[[int], None] | None = None) -> ImportReport:
    """Create or update providers and offers from numbered rows; bad rows go into the report, good rows load."""
    rows = list(rows)
    report = ImportReport(rows=len(rows))
    loader = _Loader(session, offer_ids=[row.get("offer_id", "") for _line, row in rows])
    seen: dict[str, int] = {}
    for line, row in rows:
        offer_id = row.get("offer_id", "")
        if offer_id and offer_id in seen:
            report.errors.append(RowError(line, "offer_id", _("the same offer_id is also on line %(line)d; this "
                                                               "line is skipped", line=seen[offer_id])))
        else:
            seen[offer_id] = line
            try:
                outcome = loader.load(row)
                report.loaded += 1
                setattr(report, outcome, getattr(report, outcome) + 1)
            except BadRow as bad:
                report.errors.append(RowError(line, bad.field, bad.message))
        if progress:
            progress(1)
    loader.finish()
    report.providers = len(loader.providers)
    return report


class _Loader:
    """Keeps what the rows have in common (providers, municipalities) while they load."""

    def __init__(self, session: Session, *, offer_ids: list[str]):
        self.session = session
        self.municipalities = {m.cbs_code: m for m in session.exec(select(Municipality)).all()}
        self.providers: dict[str, Provider] = {}
        self.locations: dict[tuple[int, str, str], Location] = {}
        self.existing = {offer.external_id: offer for offer in session.exec(
            select(Offer).where(Offer.external_id.in_(set(offer_ids))).options(selectinload(Offer.themes))).all()
        } if offer_ids else {}
        self.offers: list[tuple[Offer, list[str], bool]] = []  # (offer, its themes, newly made)

    def load(self, row: dict) -> str:
        """Validate and store one row; return "created", "updated" or "unchanged"."""
        values, themes = _offer_values(row), _themes(row.get("themes", ""))
        provider = self.providers.get(row["provider_id"]) or self._provider(row)
        location = self._location(provider, row)
        values.update(provider_id=provider.id, location_id=location.id)
        offer = self.existing.get(row["offer_id"])
        if offer is not None and offer.theme_codes == themes and all(
                getattr(offer, key) == value for key, value in values.items()):
            return "unchanged"
        created = offer is None
        if created:
            offer = Offer(external_id=row["offer_id"], **values)
        else:
            for key, value in values.items():
                setattr(offer, key, value)
            offer.updated_at = utcnow()
        offer.search_text = search_text(provider.name, values, themes)
        self.session.add(offer)
        self.existing[offer.external_id] = offer
        self.offers.append((offer, themes, created))
        return "created" if created else "updated"

    def finish(self) -> None:
        """Write the loaded offers in batches (one INSERT per batch, not per row), then their themes and search rows."""
        self.session.flush()
        replaced = [offer.id for offer, _themes, created in self.offers if not created]
        for start in range(0, len(replaced), 1000):
            self.session.execute(sa.delete(OfferTheme).where(OfferTheme.offer_id.in_(replaced[start:start + 1000])))
        for offer, _themes, created in self.offers:
            if not created:
                self.session.expire(offer, ["themes"])
        self.session.add_all([OfferTheme(offer_id=offer.id, theme=theme)
                              for offer, themes, _created in self.offers for theme in themes])
        self.session.flush()
        fulltext.reindex(self.session, [offer for offer, _themes, _created in self.offers])

    def _provider(self, row: dict) -> Provider:
        values = _provider_values(row)
        languages = _languages(row.get("languages", ""))
        contracts = [self._municipality(code, "contracted_municipalities")
                     for code in _split(row.get("contracted_municipalities", ""))]
        provider = self.session.exec(select(Provider).where(Provider.external_id == row["provider_id"])).first()
        if provider is None:
            provider = Provider(external_id=row["provider_id"], organisation_id=self._organisation(values["name"]),
                                **values)
        else:
            for key, value in values.items():
                setattr(provider, key, value)
            provider.updated_at = utcnow()
        self.session.add(provider)
        self.session.flush()
        self.session.execute(sa.delete(ProviderLanguage).where(ProviderLanguage.provider_id == provider.id))
        self.session.execute(sa.delete(ProviderContract).where(ProviderContract.provider_id == provider.id))
        self.session.expire(provider, ["languages", "contracts"])  # a loaded list would still hold the deleted rows
        self.session.add_all([ProviderLanguage(provider_id=provider.id, language=code) for code in languages])
        self.session.add_all([ProviderContract(provider_id=provider.id, municipality_id=m.id)
                              for m in {m.id: m for m in contracts}.values()])
        self.providers[row["provider_id"]] = provider
        for location in self.session.exec(select(Location).where(Location.provider_id == provider.id)).all():
            self.locations[(provider.id, location.postcode, location.address)] = location
        return provider

    def _organisation(self, name: str) -> str:
        """The provider's organisation (its staff sign in through it): found by name, or made."""
        found = self.session.exec(select(Organisation).where(Organisation.name == name,
                                                             Organisation.kind == "provider")).first()
        if found is None:
            found = Organisation(name=name, kind="provider")
            self.session.add(found)
            self.session.flush()
        return found.id

    def _location(self, provider: Provider, row: dict) -> Location:
        postcode = geo.normalise_postcode(row["location_postcode"])
        if postcode is None:
            raise BadRow("location_postcode", _("this is not a Dutch postcode (like 8911 AB)"))
        municipality = self._municipality(row["location_cbs"], "location_cbs")
        latitude, longitude = _coordinates(row, postcode)
        address = _text(row, "location_address", 200)
        city = _text(row, "location_city", 100)
        key = (provider.id, postcode, address)
        location = self.locations.get(key) or Location(provider_id=provider.id, address=address, postcode=postcode,
                                                       city=city, municipality_id=municipality.id,
                                                       latitude=latitude, longitude=longitude)
        changes = {"city": city, "municipality_id": municipality.id, "latitude": latitude, "longitude": longitude}
        if location.id is None or any(getattr(location, k) != v for k, v in changes.items()):
            for name, value in changes.items():
                setattr(location, name, value)
            self.session.add(location)
            self.session.flush()
            self.locations[key] = location
        return location

    def _municipality(self, code: str, field_name: str) -> Municipality:
        code = code.strip().zfill(4) if code.strip().isdigit() else code.strip()
        if code in self.municipalities:
            return self.municipalities[code]
        if code not in geo.MUNICIPALITY_NAMES:
            raise BadRow(field_name, _("unknown municipality code %(code)s (use the 4-digit CBS code)", code=code))
        municipality = Municipality(cbs_code=code, name=geo.MUNICIPALITY_NAMES[code])
        self.session.add(municipality)
        self.session.flush()
        self.municipalities[code] = municipality
        return municipality


def search_text(provider_name: str, values: dict, themes: list[str]) -> str:
    """The words an offer is found by: its provider, method, themes and descriptions in every language."""
    return " ".join([provider_name, values["method"], *(THEME_WORDS[code] for code in themes),
                     values["description_nl"], values["description_fy"], values["description_en"]])


def _offer_values(row: dict) -> dict:
    age_min, age_max = _int(row, "age_min", 0, 27), _int(row, "age_max", 0, 27)
    if age_max < age_min:
        raise BadRow("age_max", _("the highest age is lower than the lowest age"))
    return {
        "name": _text(row, "offer_name", 200), "description_nl": _text(row, "description_nl", 4000),
        "description_fy": _text(row, "description_fy", 4000, required=False),
        "description_en": _text(row, "description_en", 4000, required=False),
        "product_category": _code(row, "product_category", CATEGORIES),
        "product_code": _text(row, "product_code", 5, required=False),
        "form": _code(row, "form", FORMS), "age_min": age_min, "age_max": age_max,
        "method": _text(row, "method", 200, required=False),
        "is_effective_intervention": _yes_no(row, "effective_intervention"),
        "intensity": _code(row, "intensity", INTENSITIES, required=False),
        "waiting_weeks": _int(row, "waiting_weeks", 0, 104), "waiting_updated_on": _date(row, "waiting_updated_on"),
        "funding": _code(row, "funding", FUNDING, required=False) or "result",
    }


def _provider_values(row: dict) -> dict:
    agb = row.get("agb_code", "").replace(" ", "")
    if not EIGHT_DIGITS.match(agb):
        raise BadRow("agb_code", _("an AGB code has exactly 8 digits"))
    kvk = row.get("kvk_number", "").replace(" ", "")
    if kvk and not EIGHT_DIGITS.match(kvk):
        raise BadRow("kvk_number", _("a KvK number has exactly 8 digits"))
    regime = row.get("complaint_regime", "").lower() or "jeugdwet"
    if regime not in ("jeugdwet", "wkkgz"):
        raise BadRow("complaint_regime", _("use jeugdwet or wkkgz"))
    term = _int(row, "complaint_term_weeks", 1, 26) if (row.get("complaint_term_weeks") or "").strip() else None
    website = _text(row, "website", 300, required=False)
    if website and not website.startswith(("https://", "http://")):
        raise BadRow("website", _("a website starts with https://"))
    return {"name": _text(row, "provider_name", 200), "agb_code": agb, "kvk_number": kvk, "website": website,
            "phone": _text(row, "phone", 30, required=False), "complaint_regime": regime,
            "complaint_officer": _text(row, "complaint_officer", 200, required=False),
            "complaint_phone": _text(row, "complaint_phone", 30, required=False),
            "complaint_email": _text(row, "complaint_email", 254, required=False), "complaint_term_weeks": term}


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[|;]", value or "") if part.strip()]


def _themes(value: str) -> list[str]:
    themes = sorted({part.lower() for part in _split(value)})
    unknown = [theme for theme in themes if theme not in THEMES]
    if unknown:
        raise BadRow("themes", _("unknown theme %(theme)s", theme=unknown[0]))
    return themes


def _languages(value: str) -> list[str]:
    codes = sorted({part.lower() for part in _split(value)} or {"nl"})
    unknown = [code for code in codes if not known_language(code)]
    if unknown:
        raise BadRow("languages", _("unknown language code %(code)s (use nl, fy, en ...)", code=unknown[0]))
    return codes


def _text(row: dict, name: str, limit: int, *, required: bool = True) -> str:
    value = (row.get(name) or "").strip()
    if required and not value:
        raise BadRow(name, _("this is empty"))
    if len(value) > limit:
        raise BadRow(name, _("this is longer than %(limit)d characters", limit=limit))
    return value


def _int(row: dict, name: str, low: int, high: int) -> int:
    try:
        number = int(row.get(name, "").strip())
    except ValueError:
        raise BadRow(name, _("this is not a whole number")) from None
    if not low <= number <= high:
        raise BadRow(name, _("this must be between %(low)d and %(high)d", low=low, high=high))
    return number


def _date(row: dict, name: str) -> date:
    try:
        return date.fromisoformat(row.get(name, "").strip()[:10])
    except ValueError:
        raise BadRow(name, _("this is not a date like 2026-11-03")) from None


def _code(row: dict, name: str, allowed: dict, *, required: bool = True) -> str:
    value = (row.get(name) or "").strip().lower()
    if not value and not required:
        return ""
    if value not in allowed:
        raise BadRow(name, _("unknown value %(value)s", value=value[:40]))
    return value


def _yes_no(row: dict, name: str) -> bool:
    value = (row.get(name) or "").strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise BadRow(name, _("use ja or nee"))


def _coordinates(row: dict, postcode: str) -> tuple[float, float]:
    lat, lon = row.get("location_lat", "").replace(",", "."), row.get("location_lon", "").replace(",", ".")
    if lat and lon:
        try:
            latitude, longitude = float(lat), float(lon)
        except ValueError:
            raise BadRow("location_lat", _("coordinates are numbers like 53.2012")) from None
        if not (50.7 <= latitude <= 53.7 and 3.3 <= longitude <= 7.3):
            raise BadRow("location_lat", _("these coordinates are not in the Netherlands"))
        return latitude, longitude
    place = geo.place_of(postcode)
    if place is None:
        raise BadRow("location_lat", _("no coordinates given, and we do not know where postcode %(postcode)s is",
                                       postcode=postcode))
    return place.latitude, place.longitude
