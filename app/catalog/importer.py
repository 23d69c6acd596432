"""Load the catalog from CSV or JSON rows (docs/catalog-import.md): idempotent by external id, every bad row
reported with its line number while the good rows still load. What makes a row valid is in app/catalog/rows.py: the
API's JSON Schemas."""

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.catalog import fulltext, geo
from app.catalog.models import Location, Offer, OfferTheme, Provider, ProviderContract, ProviderLanguage
from app.catalog.rows import REQUIRED, BadRow, Row, parse_row, unknown_municipality
from app.catalog.vocab import THEME_WORDS
from app.core.clock import utcnow
from app.identity.models import Municipality, Organisation


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
        if isinstance(item, dict):
            rows.append((number, item))
        else:
            errors.append(RowError(number, "offer", _("expected an object")))
    return rows, errors


def import_catalog(session: Session, rows: Iterable[tuple[int, dict]], *,
                   progress: Callable[[int], None] | None = None) -> ImportReport:
    """Create or update providers and offers from numbered rows; bad rows go into the report, good rows load."""
    rows = list(rows)
    report = ImportReport(rows=len(rows))
    loader = _Loader(session, offer_ids=[_id(row, "offer_id") for _line, row in rows])
    seen: dict[str, int] = {}
    for line, row in rows:
        offer_id = _id(row, "offer_id")
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
                report.errors += [RowError(line, name, message) for name, message in bad.problems]
        if progress:
            progress(1)
    loader.finish()
    report.providers = len(loader.providers)
    return report


def _id(row: dict, column: str) -> str:
    """An id as the row gives it, read as text (before the row is checked)."""
    value = row.get(column)
    return "" if value is None else str(value).strip()


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

    def load(self, cells: dict) -> str:
        """Check and store one row; return "created", "updated" or "unchanged". A provider is read from its first
        row that loads; its later rows only name it."""
        provider = self.providers.get(_id(cells, "provider_id"))
        row = parse_row(cells, with_provider=provider is None)
        provider = provider or self._provider(row)
        location = self._location(provider, row)
        values = {**row.offer, "provider_id": provider.id, "location_id": location.id}
        offer = self.existing.get(row.offer_id)
        if offer is not None and offer.theme_codes == row.themes and all(
                getattr(offer, key) == value for key, value in values.items()):
            return "unchanged"
        created = offer is None
        if created:
            offer = Offer(external_id=row.offer_id, **values)
        else:
            for key, value in values.items():
                setattr(offer, key, value)
            offer.updated_at = utcnow()
        offer.search_text = search_text(provider.name, values, row.themes)
        self.session.add(offer)
        self.existing[offer.external_id] = offer
        self.offers.append((offer, row.themes, created))
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

    def _provider(self, row: Row) -> Provider:
        contracts = [self._municipality(code, "contracted_municipalities") for code in row.contracts]
        provider = self.session.exec(select(Provider).where(Provider.external_id == row.provider_id)).first()
        if provider is None:
            provider = Provider(external_id=row.provider_id, organisation_id=self._organisation(row.provider["name"]),
                                **row.provider)
        else:
            for key, value in row.provider.items():
                setattr(provider, key, value)
            provider.updated_at = utcnow()
        self.session.add(provider)
        self.session.flush()
        self.session.execute(sa.delete(ProviderLanguage).where(ProviderLanguage.provider_id == provider.id))
        self.session.execute(sa.delete(ProviderContract).where(ProviderContract.provider_id == provider.id))
        self.session.expire(provider, ["languages", "contracts"])  # a loaded list would still hold the deleted rows
        self.session.add_all([ProviderLanguage(provider_id=provider.id, language=code) for code in row.languages])
        self.session.add_all([ProviderContract(provider_id=provider.id, municipality_id=m.id) for m in contracts])
        self.providers[row.provider_id] = provider
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

    def _location(self, provider: Provider, row: Row) -> Location:
        municipality = self._municipality(row.cbs, "location_cbs")
        key = (provider.id, row.location["postcode"], row.location["address"])
        location = self.locations.get(key) or Location(provider_id=provider.id, municipality_id=municipality.id,
                                                       **row.location)
        changes = {"city": row.location["city"], "municipality_id": municipality.id,
                   "latitude": row.location["latitude"], "longitude": row.location["longitude"]}
        if location.id is None or any(getattr(location, k) != v for k, v in changes.items()):
            for name, value in changes.items():
                setattr(location, name, value)
            self.session.add(location)
            self.session.flush()
            self.locations[key] = location
        return location

    def _municipality(self, code: str, field_name: str) -> Municipality:
        if code in self.municipalities:
            return self.municipalities[code]
        if code not in geo.MUNICIPALITY_NAMES:
            raise BadRow((field_name, unknown_municipality(code)))
        municipality = Municipality(cbs_code=code, name=geo.MUNICIPALITY_NAMES[code])
        self.session.add(municipality)
        self.session.flush()
        self.municipalities[code] = municipality
        return municipality


def search_text(provider_name: str, values: dict, themes: list[str]) -> str:
    """The words an offer is found by: its provider, method, themes and descriptions in every language."""
    return " ".join([provider_name, values["method"], *(THEME_WORDS[code] for code in themes),
                     values["description_nl"], values["description_fy"], values["description_en"]])
