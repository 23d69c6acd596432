"""Who manages which organisation's staff, and the writes: organisations, staff invitations, removing staff.

The municipality's functional manager manages every organisation of their municipality (gebiedsteams, the
backoffice, providers) and may give any staff role there; an organisation's own admin (org_admin) manages only the
staff of that organisation, with the roles that organisation's work has. Every change is in the audit trail.
"""

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, select

from app.audit.models import AccessLogChain, AccessLogEntry
from app.audit.services import AuditActor, record, verify
from app.core.clock import utcnow
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.identity import services as identity
from app.identity.models import (
    Invitation,
    InvitationState,
    LoginIdentity,
    Municipality,
    Organisation,
    OrganisationKind,
    Person,
    StaffMembership,
    StaffRole,
)
from app.invitations import services as invitations

DIGITS_8 = re.compile(r"^\d{8}$")
# The roles each kind of organisation's staff can have; a functional manager gives any of them, an org admin only
# those below the line of managing the municipality.
ROLES_BY_KIND = {
    OrganisationKind.MUNICIPALITY: (StaffRole.PROFESSIONAL, StaffRole.MUNICIPALITY_STAFF, StaffRole.EDITOR,
                                    StaffRole.AUDITOR, StaffRole.ORG_ADMIN, StaffRole.FUNCTIONAL_MANAGER),
    OrganisationKind.PROVIDER: (StaffRole.PROVIDER_STAFF, StaffRole.ORG_ADMIN),
}
MANAGER_ONLY = (StaffRole.FUNCTIONAL_MANAGER, StaffRole.AUDITOR, StaffRole.EDITOR, StaffRole.MUNICIPALITY_STAFF)


@dataclass(frozen=True)
class Manager:
    """What a person manages: the municipalities (as functional manager) and organisations (as their admin)."""

    person: Person
    municipality_ids: frozenset[int]
    organisation_ids: frozenset[str]

    @property
    def manages_anything(self) -> bool:
        return bool(self.municipality_ids or self.organisation_ids)

    def roles_for(self, organisation: Organisation) -> tuple[StaffRole, ...]:
        """The staff roles this manager may give in this organisation (empty: not theirs to manage)."""
        roles = ROLES_BY_KIND[OrganisationKind(organisation.kind)]
        if organisation.municipality_id in self.municipality_ids:
            return roles
        if organisation.id in self.organisation_ids:
            return tuple(role for role in roles if role not in MANAGER_ONLY)
        return ()


@dataclass(frozen=True)
class OrganisationPage:
    """One organisation as its manager sees it: its staff, open invitations and the roles they may give."""

    organisation: Organisation
    staff: list[tuple[StaffMembership, Person]]
    invitations: list[Invitation]
    roles: tuple[StaffRole, ...]
    removable: frozenset[int] = field(default_factory=frozenset)  # the roles this manager may end here


def manager(session: Session, *, person: Person) -> Manager:
    """What this person manages."""
    rows = session.exec(select(StaffMembership, Organisation).join(Organisation).where(
        StaffMembership.person_id == person.id,
        StaffMembership.role.in_((StaffRole.FUNCTIONAL_MANAGER, StaffRole.ORG_ADMIN)))).all()
    municipalities = {org.municipality_id for staff, org in rows
                      if staff.role == StaffRole.FUNCTIONAL_MANAGER and org.municipality_id is not None}
    organisations = {org.id for staff, org in rows if staff.role == StaffRole.ORG_ADMIN}
    return Manager(person, frozenset(municipalities), frozenset(organisations))


def _must_manage(session: Session, person: Person) -> Manager:
    found = manager(session, person=person)
    if not found.manages_anything:
        raise NotAllowed("not a functional manager or organisation admin")
    return found


def managed_organisations(session: Session, *, person: Person) -> list[Organisation]:
    """The organisations this person manages, by name."""
    found = _must_manage(session, person)
    statement = select(Organisation).where(
        Organisation.municipality_id.in_(found.municipality_ids) | Organisation.id.in_(found.organisation_ids))
    return list(session.exec(statement.order_by(Organisation.name)).all())


def _organisation(session: Session, found: Manager, organisation_id: str) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or not found.roles_for(organisation):
        raise NotFound(organisation_id)  # not theirs: as if it did not exist
    return organisation


def organisation_page(session: Session, *, person: Person, organisation_id: str) -> OrganisationPage:
    """An organisation's staff and open invitations, for its manager."""
    found = _must_manage(session, person)
    organisation = _organisation(session, found, organisation_id)
    staff = session.exec(select(StaffMembership, Person).join(Person).where(
        StaffMembership.organisation_id == organisation.id).order_by(Person.given_name, StaffMembership.role)).all()
    open_invitations = [invitation for invitation in session.exec(select(Invitation).where(
        Invitation.organisation_id == organisation.id).order_by(Invitation.created_at.desc())).all()
        if invitation.state(utcnow()) is InvitationState.OPEN]
    roles = found.roles_for(organisation)
    removable = frozenset(membership.id for membership, staff_person in staff if membership.role in roles and not (
        staff_person.id == person.id and membership.role == StaffRole.FUNCTIONAL_MANAGER))
    return OrganisationPage(organisation, list(staff), open_invitations, roles, removable)


def add_organisation(session: Session, *, person: Person, name: str, kind: str, agb_code: str = "",
                     kvk_number: str = "") -> Organisation:
    """A functional manager adds an organisation to their municipality: a provider (with its AGB code and KvK
    number) or a team of the municipality (a gebiedsteam, the backoffice)."""
    found = _must_manage(session, person)
    if len(found.municipality_ids) != 1:
        raise NotAllowed("only a functional manager of one municipality adds organisations")
    reasons = []
    name = identity.clean_name(name)
    if not name:
        reasons.append(("name", _("Fill in the name of the organisation.")))
    elif len(name) > 200:
        reasons.append(("name", _("Use at most %(max)d characters.", max=200)))
    if kind not in (OrganisationKind.MUNICIPALITY, OrganisationKind.PROVIDER):
        reasons.append(("kind", _("Choose what kind of organisation it is.")))
    agb_code, kvk_number = (agb_code or "").replace(" ", ""), (kvk_number or "").replace(" ", "")
    if agb_code and not DIGITS_8.match(agb_code):
        reasons.append(("agb_code", _("An AGB code has exactly 8 digits.")))
    if kvk_number and not DIGITS_8.match(kvk_number):
        reasons.append(("kvk_number", _("A KvK number has exactly 8 digits.")))
    if kind == OrganisationKind.PROVIDER and not agb_code:
        reasons.append(("agb_code", _("Fill in the provider's AGB code.")))
    if reasons:
        raise ValidationFailed(reasons)
    organisation = Organisation(name=name, kind=kind, municipality_id=next(iter(found.municipality_ids)),
                                agb_code=agb_code or None, kvk_number=kvk_number or None)
    session.add(organisation)
    session.flush()
    record(session, event="organisation.create", action="create", actor=AuditActor(person.id, "functional_manager"),
           object_type="organisation", object_id=organisation.id, detail=kind)
    return organisation


def invite_staff(session: Session, *, person: Person, organisation_id: str, role: str, given_name: str,
                 family_name: str, email: str | None, language: str) -> invitations.NewInvitation:
    """Invite someone to work at an organisation with a role this manager may give there."""
    found = _must_manage(session, person)
    organisation = _organisation(session, found, organisation_id)
    if role not in found.roles_for(organisation):
        raise ValidationFailed([("role", _("Choose a role."))])
    made = invitations.create_staff_invitation(
        session, invited_by_id=person.id, organisation_id=organisation.id, role=role, given_name=given_name,
        family_name=family_name, email=email, language=language)
    record(session, event="staff.invite", action="create", actor=AuditActor(person.id, _managing_role(found,
           organisation)), object_type="organisation", object_id=organisation.id,
           detail=f"{role} (invitation {made.invitation.id})")
    return made


@dataclass(frozen=True)
class RoleToEnd:
    """A staff role its manager asks to end: whose, at which organisation."""

    membership: StaffMembership
    person: Person
    organisation: Organisation


def role_to_end(session: Session, *, person: Person, membership_id: int) -> RoleToEnd:
    """The staff role this manager may end (NotFound for any other: an org admin does not see the municipality's
    own roles)."""
    found = _must_manage(session, person)
    membership = session.get(StaffMembership, membership_id)
    if membership is None:
        raise NotFound(str(membership_id))
    organisation = _organisation(session, found, membership.organisation_id)
    if membership.role not in found.roles_for(organisation):
        raise NotFound(str(membership_id))
    return RoleToEnd(membership, session.get(Person, membership.person_id), organisation)


def remove_staff(session: Session, *, person: Person, membership_id: int) -> StaffMembership:
    """End someone's role at an organisation; their sessions end too, so what they had open closes."""
    found = _must_manage(session, person)
    ending = role_to_end(session, person=person, membership_id=membership_id)
    membership, organisation = ending.membership, ending.organisation
    if membership.person_id == person.id and membership.role == StaffRole.FUNCTIONAL_MANAGER:
        raise ValidationFailed([("membership", _("You cannot remove yourself as functional manager. Ask another "
                                                 "functional manager."))])
    removed = session.get(Person, membership.person_id)
    session.delete(membership)
    identity.end_all_sessions(session, person=removed)
    record(session, event="staff.remove", action="delete", actor=AuditActor(person.id, _managing_role(found,
           organisation)), object_type="organisation", object_id=organisation.id,
           detail=f"{membership.role} of {removed.id}")
    return membership


def _managing_role(found: Manager, organisation: Organisation) -> str:
    return "functional_manager" if organisation.municipality_id in found.municipality_ids else "org_admin"


@dataclass(frozen=True)
class Bootstrapped:
    """What `flask admin bootstrap` made or found; `code` is shown once (None: the manager signs in directly)."""

    municipality: Municipality
    organisation: Organisation
    manager_name: str
    code: str | None = None
    link_token: str | None = None


def bootstrap(session: Session, *, cbs_code: str, municipality_name: str, given_name: str, family_name: str = "",
              email: str, language: str = "nl", issuer: str | None = None, subject: str | None = None) -> Bootstrapped:
    """Make the municipality, its own organisation and its first functional manager; run again, it makes nothing
    twice. Bound to an OpenID (issuer, subject) the manager signs in at once; else they get a fresh one-time code
    (an older open one is withdrawn)."""
    reasons = []
    if not re.fullmatch(r"\d{4}", cbs_code or ""):
        reasons.append(("cbs_code", "a CBS municipality code has 4 digits, e.g. 0080"))
    if not identity.clean_name(municipality_name):
        reasons.append(("municipality_name", "the municipality needs a name"))
    if not identity.clean_name(given_name):
        reasons.append(("given_name", "the functional manager needs a first name"))
    if not invitations.EMAIL.match(email or ""):
        reasons.append(("email", "the functional manager needs an e-mail address"))
    if bool(issuer) != bool(subject):
        reasons.append(("subject", "give both the OpenID issuer and subject, or neither"))
    if reasons:
        raise ValidationFailed(reasons)
    municipality = session.exec(select(Municipality).where(Municipality.cbs_code == cbs_code)).first()
    if municipality is None:
        municipality = Municipality(cbs_code=cbs_code, name=identity.clean_name(municipality_name))
        session.add(municipality)
        session.flush()
    organisation = session.exec(select(Organisation).where(
        Organisation.municipality_id == municipality.id, Organisation.kind == OrganisationKind.MUNICIPALITY)
        .order_by(Organisation.name)).first()
    if organisation is None:
        organisation = Organisation(name=_("Municipality of %(name)s", name=municipality.name),
                                    kind=OrganisationKind.MUNICIPALITY, municipality_id=municipality.id)
        session.add(organisation)
        session.flush()
    person = session.exec(select(Person).join(StaffMembership).where(
        StaffMembership.organisation_id == organisation.id, StaffMembership.role == StaffRole.FUNCTIONAL_MANAGER,
        Person.email == email)).first()
    if person is None and issuer:
        return _bootstrap_signed_in(session, municipality, organisation, given_name, family_name, email, language,
                                    issuer, subject)
    if person is not None:
        if issuer:
            _link(session, person, issuer, subject)
        return Bootstrapped(municipality, organisation, person.name)
    for open_one in session.exec(select(Invitation).where(Invitation.organisation_id == organisation.id,
                                                          Invitation.email == email,
                                                          Invitation.redeemed_at.is_(None),
                                                          Invitation.revoked_at.is_(None))).all():
        open_one.revoked_at = utcnow()
        session.add(open_one)
    made = invitations.create_staff_invitation(
        session, invited_by_id=None, organisation_id=organisation.id, role=StaffRole.FUNCTIONAL_MANAGER,
        given_name=given_name, family_name=family_name, email=email, language=language)
    record(session, event="staff.invite", action="create", actor=AuditActor(None), object_type="organisation",
           object_id=organisation.id, detail=f"functional_manager (invitation {made.invitation.id}, flask admin "
                                             "bootstrap)")
    return Bootstrapped(municipality, organisation, made.invitation.name, made.code, made.token)


def _bootstrap_signed_in(session, municipality, organisation, given_name, family_name, email, language, issuer,
                         subject) -> Bootstrapped:
    person = Person(given_name=identity.clean_name(given_name), family_name=identity.clean_name(family_name),
                    email=email, language=language)
    session.add(person)
    session.flush()
    session.add(StaffMembership(organisation_id=organisation.id, person_id=person.id,
                                role=StaffRole.FUNCTIONAL_MANAGER))
    _link(session, person, issuer, subject)
    record(session, event="staff.join", action="create", actor=AuditActor(None), object_type="organisation",
           object_id=organisation.id, detail=f"functional_manager {person.id} (flask admin bootstrap)")
    return Bootstrapped(municipality, organisation, person.name)


def _link(session: Session, person: Person, issuer: str, subject: str) -> None:
    taken = session.exec(select(LoginIdentity).where(LoginIdentity.issuer == issuer,
                                                     LoginIdentity.subject == subject)).first()
    if taken is not None and taken.person_id != person.id:
        raise ValidationFailed([("subject", "this OpenID identity already belongs to someone else")])
    if taken is None:
        session.add(LoginIdentity(person_id=person.id, provider="oidc", issuer=issuer, subject=subject))
        session.flush()


@dataclass(frozen=True)
class LogCheck:
    """The access log's integrity, as an auditor reads it: how much was checked and what does not add up."""

    chains: int
    entries: int
    problems: list


def may_audit(session: Session, *, person: Person) -> bool:
    """Auditors, and the functional managers who appoint them, check the access log's integrity."""
    return session.exec(select(StaffMembership.id).where(
        StaffMembership.person_id == person.id,
        StaffMembership.role.in_((StaffRole.AUDITOR, StaffRole.FUNCTIONAL_MANAGER)))).first() is not None


def check_access_log(session: Session, *, person: Person) -> LogCheck:
    """Recompute every chain of the access log (NEN 7513) for an auditor; the check itself is logged."""
    if not may_audit(session, person=person):
        raise NotAllowed("not an auditor")
    chains = session.exec(select(sa.func.count()).select_from(AccessLogChain)).one()
    entries = session.exec(select(sa.func.count()).select_from(AccessLogEntry)).one()
    problems = verify(session)
    record(session, event="access_log.verify", action="read", actor=AuditActor(person.id, "auditor"),
           object_type="access_log", object_id="all", detail=f"{len(problems)} problems")
    return LogCheck(chains, entries, problems)
