"""Read the catalog: one offer, one provider, offers side by side, and what a family's search starts from."""

import time
import weakref
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.catalog.models import Offer, Provider, ProviderContract
from app.catalog.search import SearchQuery, SearchResult, search_offers  # noqa: F401  (the service's entry points)
from app.catalog.vocab import STALE_AFTER_WEEKS
from app.core.clock import today
from app.core.errors import NotFound, ValidationFailed
from app.identity.models import Family, Membership, Municipality, Person

MAX_COMPARE = 3


@dataclass(frozen=True)
class FamilyDefaults:
    """What a signed-in family member's search starts with: their municipality and home postcode."""

    municipality: str = ""  # CBS code
    municipality_id: int | None = None
    postcode: str = ""
    family_id: str | None = None  # the family these come from (None for visitors and staff searching alone)


@dataclass(frozen=True)
class Contact:
    """A family's youth care professional, as the empty search results name them."""

    name: str
    given_name: str
    email: str


def get_offer(session: Session, *, offer_id: int) -> Offer:
    """Return one offer with its provider, location and themes, or raise NotFound."""
    offer = session.exec(select(Offer).where(Offer.id == offer_id).options(
        selectinload(Offer.provider).selectinload(Provider.languages),
        selectinload(Offer.provider).selectinload(Provider.contracts), selectinload(Offer.location),
        selectinload(Offer.themes))).first()
    if offer is None:
        raise NotFound(str(offer_id))
    return offer


def get_provider(session: Session, *, provider_id: int) -> Provider:
    """Return one provider with its locations, languages, contracts and offers, or raise NotFound."""
    provider = session.exec(select(Provider).where(Provider.id == provider_id).options(
        selectinload(Provider.locations), selectinload(Provider.languages), selectinload(Provider.contracts),
        selectinload(Provider.offers).selectinload(Offer.themes))).first()
    if provider is None:
        raise NotFound(str(provider_id))
    return provider


def compare_offers(session: Session, *, offer_ids: list[str]) -> list[Offer]:
    """Return up to three offers in the order chosen; more than three, or an unknown id, is refused."""
    unique = list(dict.fromkeys(offer_ids))
    if len(unique) > MAX_COMPARE:
        raise ValidationFailed([("aanbod", _("You can compare at most %(max)d offers. Untick one and try again.",
                                             max=MAX_COMPARE))])
    if not all(value.isdigit() and len(value) < 12 for value in unique):
        raise NotFound("offer")
    return [get_offer(session, offer_id=int(value)) for value in unique]


def chosen_offers(session: Session, *, offer_ids: list[str]) -> list[Offer]:
    """The offers among these ids that exist, in the order given (unknown ids are left out)."""
    ids = [int(value) for value in dict.fromkeys(offer_ids) if value.isdigit() and len(value) < 12]
    found = {offer.id: offer for offer in session.exec(select(Offer).where(Offer.id.in_(ids))).all()} if ids else {}
    return [found[i] for i in ids if i in found]


def municipality_names(session: Session, *, ids: set[int]) -> dict[int, str]:
    """Names of municipalities by id (for a provider's contracts)."""
    if not ids:
        return {}
    return {m.id: m.name for m in session.exec(select(Municipality).where(Municipality.id.in_(ids))).all()}


@dataclass(frozen=True)
class MunicipalityChoice:
    """A municipality as the search filter lists it."""

    cbs_code: str
    name: str


_CHOICES: "weakref.WeakKeyDictionary[object, tuple[float, list[MunicipalityChoice]]]" = weakref.WeakKeyDictionary()
CHOICES_MAX_AGE = 60.0  # seconds: a new contract shows in the filter within a minute


def contracting_municipalities(session: Session) -> list[MunicipalityChoice]:
    """Municipalities that contract at least one provider, by name (the search filter's choices).

    Public catalog data, the same for every visitor: kept per database engine for a minute, because finding them
    reads every contract (20,000 in a big region) and the filter is on every search.
    """
    engine = session.get_bind()
    cached = _CHOICES.get(engine)
    if cached is not None and time.monotonic() < cached[0]:
        return cached[1]
    contracted = select(ProviderContract.municipality_id).distinct()
    found = [MunicipalityChoice(m.cbs_code, m.name) for m in session.exec(
        select(Municipality).where(Municipality.id.in_(contracted)).order_by(Municipality.name)).all()]
    _CHOICES[engine] = (time.monotonic() + CHOICES_MAX_AGE, found)
    return found


def family_defaults(session: Session, *, person: Person | None, family: Family | None = None) -> FamilyDefaults:
    """A family member's municipality and home postcode (nothing for visitors and staff), or, when help is sought
    for one family's goal (also by its professional), that family's."""
    if family is not None:
        municipality = session.get(Municipality, family.municipality_id)
        return FamilyDefaults(municipality=municipality.cbs_code, municipality_id=municipality.id,
                              postcode=family.postcode or "", family_id=family.id)
    if person is None:
        return FamilyDefaults()
    row = session.exec(select(Family, Municipality).join(Membership, Membership.family_id == Family.id)
                       .join(Municipality, Municipality.id == Family.municipality_id)
                       .where(Membership.person_id == person.id, Membership.role != "professional")
                       .order_by(Family.created_at)).first()
    if row is None:
        return FamilyDefaults()
    family, municipality = row
    return FamilyDefaults(municipality=municipality.cbs_code, municipality_id=municipality.id,
                          postcode=family.postcode or "", family_id=family.id)


def professional_contacts(session: Session, *, person: Person | None, family_id: str | None) -> list[Contact]:
    """The youth care professionals of the family a search is for, to name when nothing is found: none for
    visitors, and none when the one searching is that family's professional."""
    if person is None or family_id is None:
        return []
    rows = session.exec(select(Person).join(Membership, Membership.person_id == Person.id)
                        .where(Membership.family_id == family_id, Membership.role == "professional")
                        .order_by(Person.given_name, Person.id)).all()
    if any(row.id == person.id for row in rows):
        return []
    return [Contact(row.name, row.given_name, row.email or "") for row in rows]


def is_stale(updated_on: date, *, on: date | None = None) -> bool:
    """True when a waiting time was last updated more than eight weeks ago."""
    return (on or today()) - updated_on > timedelta(weeks=STALE_AFTER_WEEKS)


def is_contracted(offer: Offer, *, municipality_id: int | None) -> bool | None:
    """Whether the family's municipality contracts this offer's provider (None when we do not know the family)."""
    if municipality_id is None:
        return None
    return any(contract.municipality_id == municipality_id for contract in offer.provider.contracts)
