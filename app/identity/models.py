"""People, families, organisations and the memberships that give them roles."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Field, Relationship, SQLModel

from app.core.clock import age_on, today, utcnow
from app.core.db import UTCDateTime
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

    @property
    def label(self) -> str:
        return str(_STAFF_LABELS[self])


_STAFF_LABELS = {
    StaffRole.PROFESSIONAL: _l("Youth care professional"),
    StaffRole.PROVIDER_STAFF: _l("Care provider"),
    StaffRole.MUNICIPALITY_STAFF: _l("Municipality"),
}

LANGUAGE_CHECK = "language IN ('nl', 'fy', 'en')"


class Municipality(SQLModel, table=True):
    """A municipality (gemeente), known by its four-digit CBS code."""

    __tablename__ = "municipality"

    id: int | None = Field(default=None, primary_key=True)
    cbs_code: str = Field(max_length=4, unique=True, index=True)
    name: str = Field(max_length=100)


class Organisation(SQLModel, table=True):
    """A municipality's team or backoffice, or a care provider."""

    __tablename__ = "organisation"
    __table_args__ = (sa.CheckConstraint("kind IN ('municipality', 'provider')", name="kind_known"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=20)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id", index=True)


class Person(SQLModel, table=True):
    """Anyone who uses Ons Plan: family members, network, staff."""

    __tablename__ = "person"
    __table_args__ = (sa.CheckConstraint(LANGUAGE_CHECK, name="language_known"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=20)
    given_name: str = Field(max_length=100)
    family_name: str = Field(default="", max_length=100)
    birthdate: date | None = None
    language: str = Field(default="nl", max_length=2)
    email: str | None = Field(default=None, max_length=254)
    demo_key: str | None = Field(default=None, max_length=30, unique=True)
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
            "role IN ('professional', 'provider_staff', 'municipality_staff')", name="staff_role_known"
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
