"""People, families, organisations and the memberships that give them roles."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Field, Relationship, SQLModel

from app.core.clock import age_on, today, utcnow
from app.core.db import UTCDateTime, protect_append_only
from app.core.ids import new_id


class MemberRole(enum.StrEnum):
    """The role a person has in a family."""

    YOUTH = "youth"
    PARENT = "parent"
    NETWORK = "network"
    PROFESSIONAL = "professional"

    @property
    def label(self) -> str:
        return str(_MEMBER_LABELS[self])


_MEMBER_LABELS = {
    MemberRole.YOUTH: _l("Young person"),
    MemberRole.PARENT: _l("Parent"),
    MemberRole.NETWORK: _l("Network"),
    MemberRole.PROFESSIONAL: _l("Youth care professional"),
}


class OrganisationKind(enum.StrEnum):
    """What kind of organisation employs a staff member."""

    MUNICIPALITY = "municipality"
    PROVIDER = "provider"


class StaffRole(enum.StrEnum):
    """The role a staff member has in their organisation."""

    PROFESSIONAL = "professional"
    PROVIDER_STAFF = "provider_staff"
    MUNICIPALITY_STAFF = "municipality_staff"
    EDITOR = "editor"  # the municipality's redactie: checks ratings before they are published
    FUNCTIONAL_MANAGER = "functional_manager"  # the municipality's functioneel beheerder: organisations and staff
    ORG_ADMIN = "org_admin"  # an organisation's own admin: its staff
    AUDITOR = "auditor"  # checks the access log's integrity (NEN 7513)

    @property
    def label(self) -> str:
        return str(_STAFF_LABELS[self])


_STAFF_LABELS = {
    StaffRole.PROFESSIONAL: _l("Youth care professional"),
    StaffRole.PROVIDER_STAFF: _l("Care provider"),
    StaffRole.MUNICIPALITY_STAFF: _l("Municipality"),
    StaffRole.EDITOR: _l("Editorial team (ratings)"),
    StaffRole.FUNCTIONAL_MANAGER: _l("Functional manager"),
    StaffRole.ORG_ADMIN: _l("Manages the staff of the organisation"),
    StaffRole.AUDITOR: _l("Auditor (access log)"),
}

STAFF_ROLES = tuple(role.value for role in StaffRole)
FAMILY_INVITATION_ROLES = ("youth", "parent", "network")


def _in(values) -> str:
    return ", ".join(f"'{value}'" for value in values)

LANGUAGE_CHECK = "language IN ('nl', 'fy', 'en')"


class Municipality(SQLModel, table=True):
    """A municipality (gemeente), known by its four-digit CBS code."""

    __tablename__ = "municipality"

    id: int | None = Field(default=None, primary_key=True)
    cbs_code: str = Field(max_length=4, unique=True, index=True)
    name: str = Field(max_length=100)
    partial_result_releases: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class Organisation(SQLModel, table=True):
    """A municipality's team or backoffice, or a care provider."""

    __tablename__ = "organisation"
    __table_args__ = (sa.CheckConstraint("kind IN ('municipality', 'provider')", name="kind_known"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=20)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id", index=True)
    agb_code: str | None = Field(default=None, max_length=8)  # a provider's AGB code (Vektis), 8 digits
    kvk_number: str | None = Field(default=None, max_length=8)  # its Chamber of Commerce number, 8 digits


class Person(SQLModel, table=True):
    """Anyone who uses Ons Plan: family members, network, staff."""

    __tablename__ = "person"
    __table_args__ = (sa.CheckConstraint(LANGUAGE_CHECK, name="language_known"),
                      sa.CheckConstraint("plan_view IS NULL OR plan_view IN ('adult', 'own')", name="plan_view_known"))

    id: str = Field(default_factory=new_id, primary_key=True, max_length=20)
    given_name: str = Field(max_length=100)
    family_name: str = Field(default="", max_length=100)
    birthdate: date | None = None
    language: str = Field(default="nl", max_length=2)
    email: str | None = Field(default=None, max_length=254)
    demo_key: str | None = Field(default=None, max_length=30, unique=True)
    session_version: int = 0  # raised by "sign out everywhere": older sessions stop working
    plan_view: str | None = Field(default=None, max_length=10)  # None: by age (app.children); 'adult' or 'own'
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    memberships: list["Membership"] = Relationship(back_populates="person")
    staff_memberships: list["StaffMembership"] = Relationship(back_populates="person")

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def age(self) -> int | None:
        return age_on(self.birthdate, today()) if self.birthdate else None


class Family(SQLModel, table=True):
    """A household with a youth-care question; it has one plan."""

    __tablename__ = "family"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=20)
    name: str = Field(max_length=200)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    postcode: str | None = Field(default=None, max_length=7)  # home postcode: the catalog measures distance from it
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    memberships: list["Membership"] = Relationship(back_populates="family")


class Membership(SQLModel, table=True):
    """A person's role in a family; a person can belong to several families."""

    __tablename__ = "membership"
    __table_args__ = (
        sa.UniqueConstraint("family_id", "person_id", name="one_membership_per_family"),
        sa.CheckConstraint("role IN ('youth', 'parent', 'network', 'professional')", name="role_known"),
        sa.CheckConstraint("has_custody = false OR role = 'parent'", name="custody_only_for_parents"),
    )

    id: int | None = Field(default=None, primary_key=True)
    family_id: str = Field(foreign_key="family.id", index=True, max_length=20)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=20)
    role: str = Field(max_length=20)
    has_custody: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    family: Family = Relationship(back_populates="memberships")
    person: Person = Relationship(back_populates="memberships")

    @property
    def role_label(self) -> str:
        return MemberRole(self.role).label


class StaffMembership(SQLModel, table=True):
    """A person's role in an organisation (professional, provider staff, municipality staff)."""

    __tablename__ = "staff_membership"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "person_id", "role", name="one_role_per_organisation"),
        sa.CheckConstraint(
            f"role IN ({_in(STAFF_ROLES)})", name="staff_role_known"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: str = Field(foreign_key="organisation.id", index=True, max_length=20)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=20)
    role: str = Field(max_length=30)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    person: Person = Relationship(back_populates="staff_memberships")
    organisation: Organisation = Relationship()

    @property
    def role_label(self) -> str:
        return StaffRole(self.role).label


class LoginIdentity(SQLModel, table=True):
    """An OpenID Connect identity (issuer + subject) that signs in as a person."""

    __tablename__ = "login_identity"
    __table_args__ = (sa.UniqueConstraint("issuer", "subject", name="one_person_per_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=20)
    provider: str = Field(max_length=30)
    issuer: str = Field(max_length=300)
    subject: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class InvitationState(enum.StrEnum):
    """Where an invitation is: open, used, expired or revoked."""

    OPEN = "open"
    REDEEMED = "redeemed"
    EXPIRED = "expired"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        return str(_INVITATION_LABELS[self])


_INVITATION_LABELS = {
    InvitationState.OPEN: _l("Waiting"),
    InvitationState.REDEEMED: _l("Accepted"),
    InvitationState.EXPIRED: _l("Expired"),
    InvitationState.REVOKED: _l("Withdrawn"),
}


class Invitation(SQLModel, table=True):
    """An invitation into a family, or into an organisation as staff, with a role: a link plus a short code, single
    use, 7 days."""

    __tablename__ = "invitation"
    __table_args__ = (
        sa.CheckConstraint(f"role IN ({_in(FAMILY_INVITATION_ROLES + STAFF_ROLES)})", name="role_known"),
        sa.CheckConstraint("(family_id IS NULL) <> (organisation_id IS NULL)", name="into_one_place"),
        sa.CheckConstraint(f"family_id IS NULL OR role IN ({_in(FAMILY_INVITATION_ROLES)})", name="family_role"),
        sa.CheckConstraint(f"organisation_id IS NULL OR role IN ({_in(STAFF_ROLES)})", name="staff_role"),
        sa.CheckConstraint("has_custody = false OR role = 'parent'", name="custody_only_for_parents"),
        sa.CheckConstraint("role != 'youth' OR birthdate IS NOT NULL", name="youth_has_birthdate"),
        sa.CheckConstraint(LANGUAGE_CHECK, name="language_known"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=20)
    family_id: str | None = Field(default=None, foreign_key="family.id", index=True, max_length=20)
    organisation_id: str | None = Field(default=None, foreign_key="organisation.id", index=True, max_length=20)
    role: str = Field(max_length=20)
    has_custody: bool = False
    given_name: str = Field(max_length=100)
    family_name: str = Field(default="", max_length=100)
    birthdate: date | None = None
    email: str | None = Field(default=None, max_length=254)
    language: str = Field(default="nl", max_length=2)
    code_hash: str = Field(max_length=64, unique=True)  # HMAC of the short code; the code itself is not stored
    token_hash: str = Field(max_length=64, unique=True)  # HMAC of the link token
    invited_by_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)  # None: `flask admin`
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    redeemed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    redeemed_by_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)

    def state(self, now: datetime) -> InvitationState:
        """Return the state at `now`."""
        if self.redeemed_at is not None:
            return InvitationState.REDEEMED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if now >= self.expires_at:
            return InvitationState.EXPIRED
        return InvitationState.OPEN

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class ConsentRecord(SQLModel, table=True):
    """One consent decision (given, refused or withdrawn); append-only, newest decision counts."""

    __tablename__ = "consent_record"
    __table_args__ = (
        sa.CheckConstraint("decision IN ('given', 'refused', 'withdrawn')", name="decision_known"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=20)  # who decides
    family_id: str = Field(foreign_key="family.id", index=True, max_length=20)
    youth_id: str | None = Field(default=None, foreign_key="person.id", max_length=20)  # whom it concerns
    scope: str = Field(max_length=60)  # e.g. "help", "share_with_parents", "plan_version:<id>"
    subject_id: str | None = Field(default=None, max_length=40)  # the item or version the scope points at
    decision: str = Field(max_length=20)
    reason: str = Field(default="", max_length=2000)
    recorded_by_id: str = Field(foreign_key="person.id", max_length=20)  # differs on a shared device
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


protect_append_only(ConsentRecord.__table__)


class RevokedSession(SQLModel, table=True):
    """A signed-out session: its cookie no longer works, even if a browser or a thief still has it."""

    __tablename__ = "revoked_session"

    sid: str = Field(primary_key=True, max_length=43)
    revoked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
