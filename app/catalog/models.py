"""The Jeugdhulpcatalogus: providers, their locations, languages and contracts, and their offers."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from app.catalog import fulltext
from app.catalog.vocab import is_dropout
from app.core.clock import today, utcnow
from app.core.db import UTCDateTime
from app.core.ids import new_id

FORM_CHECK = "form IN ('home', 'provider', 'day', 'stay', 'online')"


class Provider(SQLModel, table=True):
    """A care provider (jeugdhulpaanbieder) in the catalog; its staff belong to its Organisation."""

    __tablename__ = "provider"
    __table_args__ = (
        sa.CheckConstraint("complaint_regime IN ('jeugdwet', 'wkkgz')", name="regime_known"),
        sa.CheckConstraint("length(agb_code) = 8", name="agb_has_8_digits"),
        sa.CheckConstraint("complaint_term_weeks IS NULL OR complaint_term_weeks BETWEEN 1 AND 26",
                           name="complaint_term_weeks_known"),
    )

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(max_length=64, unique=True)
    organisation_id: str = Field(foreign_key="organisation.id", index=True, max_length=20)
    name: str = Field(max_length=200)
    agb_code: str = Field(max_length=8, index=True)
    kvk_number: str = Field(default="", max_length=8)
    website: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=30)
    complaint_regime: str = Field(default="jeugdwet", max_length=10)
    complaint_officer: str = Field(default="", max_length=200)  # name of the officer or committee
    complaint_phone: str = Field(default="", max_length=30)
    complaint_email: str = Field(default="", max_length=254)
    # The term of its complaint regulation in weeks (Jeugdwet 4.2.1 lid 2c sets none); None: 6 weeks, the common one
    complaint_term_weeks: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    locations: list["Location"] = Relationship(back_populates="provider")
    offers: list["Offer"] = Relationship(back_populates="provider")
    languages: list["ProviderLanguage"] = Relationship()
    contracts: list["ProviderContract"] = Relationship()

    @property
    def language_codes(self) -> list[str]:
        return sorted(row.language for row in self.languages)


class Location(SQLModel, table=True):
    """A place a provider works from: its address, municipality (CBS code) and coordinates."""

    __tablename__ = "provider_location"
    __table_args__ = (sa.UniqueConstraint("provider_id", "postcode", "address", name="one_per_address"),)

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    address: str = Field(max_length=200)
    postcode: str = Field(max_length=7)
    city: str = Field(max_length=100)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    latitude: float
    longitude: float

    provider: Provider = Relationship(back_populates="locations")


class ProviderLanguage(SQLModel, table=True):
    """A language the provider's staff speak with families (ISO 639-1: nl, fy, en ...)."""

    __tablename__ = "provider_language"
    __table_args__ = (sa.Index("ix_provider_language_language_provider", "language", "provider_id"),)  # covering

    provider_id: int = Field(foreign_key="provider.id", primary_key=True)
    language: str = Field(max_length=3, primary_key=True)


class ProviderContract(SQLModel, table=True):
    """A municipality that has a contract with the provider."""

    __tablename__ = "provider_contract"
    __table_args__ = (sa.Index("ix_provider_contract_municipality_provider", "municipality_id", "provider_id"),)

    provider_id: int = Field(foreign_key="provider.id", primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", primary_key=True)


class Offer(SQLModel, table=True):
    """One offer (aanbod) of a provider; an assignment request will point at it by id."""

    __tablename__ = "offer"
    __table_args__ = (
        sa.CheckConstraint(FORM_CHECK, name="form_known"),
        sa.CheckConstraint("funding IN ('result', 'effort', 'task')", name="funding_known"),
        sa.CheckConstraint("age_min >= 0 AND age_max >= age_min AND age_max <= 27", name="ages_make_sense"),
        sa.CheckConstraint("waiting_weeks >= 0", name="waiting_not_negative"),
        sa.Index("ix_offer_category_waiting", "product_category", "waiting_weeks"),
        sa.Index("ix_offer_waiting_name", "waiting_weeks", "name"),  # the default order, read without sorting
        # Offers found by id (through a theme, the full-text index, a language or a contract) are filtered and
        # ordered from this narrow copy instead of the wide rows with their long texts.
        sa.Index("ix_offer_filters", "id", "waiting_weeks", "name", "age_min", "age_max", "product_category", "form",
                 "provider_id", "location_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(max_length=64, unique=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    location_id: int = Field(foreign_key="provider_location.id", index=True)
    name: str = Field(max_length=200)
    description_nl: str = Field(sa_type=sa.Text)
    description_fy: str = Field(default="", sa_type=sa.Text)
    description_en: str = Field(default="", sa_type=sa.Text)
    product_category: str = Field(max_length=2)  # JZ020
    product_code: str = Field(default="", max_length=5)  # regional product code
    form: str = Field(max_length=10)
    age_min: int = 0
    age_max: int = 18
    method: str = Field(default="", max_length=200)
    is_effective_intervention: bool = False  # recognised by the Databank Effectieve Jeugdinterventies
    intensity: str = Field(default="", max_length=20)
    waiting_weeks: int
    waiting_updated_on: date = Field(default_factory=today)
    funding: str = Field(default="result", max_length=10)
    search_text: str = Field(default="", sa_type=sa.Text)  # names, themes and descriptions, for full text search
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    provider: Provider = Relationship(back_populates="offers")
    location: Location = Relationship()
    themes: list["OfferTheme"] = Relationship()

    def description(self, language: str) -> tuple[str, str]:
        """Return the description in `language` when the provider gave one, else the Dutch; and its language."""
        text = {"fy": self.description_fy, "en": self.description_en}.get(language, "")
        return (text, language) if text else (self.description_nl, "nl")

    @property
    def theme_codes(self) -> list[str]:
        return sorted(theme.theme for theme in self.themes)


class OfferTheme(SQLModel, table=True):
    """A theme an offer helps with (angst, autisme, opvoeden ...)."""

    __tablename__ = "offer_theme"
    __table_args__ = (sa.Index("ix_offer_theme_theme_offer", "theme", "offer_id"),)  # covering: offers with a theme

    offer_id: int = Field(foreign_key="offer.id", primary_key=True)
    theme: str = Field(max_length=20, primary_key=True)


fulltext.attach(Offer.__table__)


ASSIGNMENT_STATUSES = ("chosen", "requested", "examining", "assigned", "refused", "withdrawn")
ACTIVE_STATUSES = ("chosen", "requested", "examining", "assigned")


class Assignment(SQLModel, table=True):
    """Help chosen for one goal: the family's choice, the professional's confirmation, the municipality's answer.

    In iJw terms the confirmed choice is a request for an assignment (verzoek om toewijzing): `reference` plays the
    part of ReferentieAanbieder, the answer brings a ToewijzingNummer and dates, or a refusal reason (WJ759).
    """

    __tablename__ = "assignment"
    __table_args__ = (
        sa.CheckConstraint("status IN ('chosen', 'requested', 'examining', 'assigned', 'refused', 'withdrawn')",
                           name="status_known"),
        sa.CheckConstraint("assignment_number IS NULL OR (assignment_number BETWEEN 1 AND 999999999)",
                           name="number_fits_ijw"),
        sa.Index("ix_assignment_goal_status", "goal_id", "status"),
        sa.Index("ix_assignment_organisation_status", "organisation_id", "status"),
        sa.Index("ix_assignment_offer_id", "offer_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(default_factory=new_id, max_length=36, unique=True)
    plan_id: str = Field(foreign_key="plan.id", index=True, max_length=20)
    family_id: str = Field(foreign_key="family.id", max_length=20)
    goal_id: str = Field(foreign_key="plan_item.id", max_length=20)
    offer_id: int = Field(foreign_key="offer.id")
    organisation_id: str = Field(foreign_key="organisation.id", max_length=20)
    status: str = Field(default="chosen", max_length=10)
    product_category: str = Field(max_length=2)  # JZ020
    product_code: str = Field(default="", max_length=5)
    requested_start: date | None = None
    volume: int | None = None
    unit: str = Field(default="", max_length=2)  # WJ756
    frequency: str = Field(default="", max_length=1)  # WMO757
    referrer_type: str = Field(default="01", max_length=2)  # COD327: 01 gemeente (the jeugdprofessional)
    chosen_by_id: str = Field(foreign_key="person.id", max_length=20)
    chosen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    confirmed_by_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    assignment_number: int | None = None
    assigned_start: date | None = None
    assigned_end: date | None = None
    refusal_reason: str = Field(default="", max_length=1)  # WJ759
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    care_started_on: date | None = None  # the provider started (first 50%)
    care_started_by_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)
    care_stopped_on: date | None = None
    care_stopped_by_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)
    handler_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)  # the behandelaar
    stop_reason: str = Field(default="", max_length=2, sa_column_kwargs={"server_default": ""})  # JZ588
    # Where judging the result stands, kept by app/results so the plan page needs no extra query: '' not begun,
    # open, divided, or the family verdict (achieved, partly, not_achieved).
    result_state: str = Field(default="", max_length=12, sa_column_kwargs={"server_default": ""})
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    offer: Offer = Relationship()

    @property
    def dropped_out(self) -> bool:
        """Uitval (CBS): the care ended early and one-sidedly (app/catalog/vocab.py decides which JZ588 codes)."""
        return is_dropout(self.stop_reason)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class ThesaurusVersion(SQLModel, table=True):
    """One saved version of the search thesaurus (issue 24): the whole text, who saved it, when and why. The newest
    is the one searches use; none at all means the file in the repository (app/catalog/data/thesaurus.toml)."""

    __tablename__ = "thesaurus_version"

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)  # 1, 2, 3 … as saved
    text: str = Field(sa_type=sa.Text)  # TOML, the same shape as the file
    note: str = Field(default="", max_length=300)  # what changed and why, in the saver's words
    created_by_id: str = Field(foreign_key="person.id", max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
