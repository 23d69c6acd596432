"""Words for stored codes (roles, events, decisions), translated when shown, never when stored."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ROLES = {
    "youth": _l("young person"),
    "parent": _l("parent"),
    "network": _l("network"),
    "professional": _l("youth care professional"),
    "provider_staff": _l("care provider"),
    "municipality_staff": _l("municipality"),
    "none": _l("not signed in"),
}
EVENTS = {
    "family.create": _l("opened the family"),
    "family.view": _l("viewed the family page"),
    "family.professional_only": _l("tried to do something only the professional may do"),
    "family.no_access": _l("tried to open the family without being part of it"),
    "invitation.create": _l("made an invitation"),
    "invitation.revoke": _l("withdrew an invitation"),
    "invitation.redeem": _l("accepted an invitation"),
    "access_log.view": _l("viewed who looked at the data"),
    "consent.given": _l("agreed to help"),
    "consent.refused": _l("did not agree to help"),
    "consent.withdrawn": _l("withdrew consent"),
    "consent.view": _l("read the consent questions"),
    "consent.sixteen_review": _l("chose what parents may see"),
}
DECISIONS = {"given": _l("yes, agreed"), "refused": _l("no, did not agree"), "withdrawn": _l("consent withdrawn")}
PROVIDERS = {"citizens": _l("Sign in with DigiD"), "staff": _l("Sign in as a professional")}


def role_label(role: str) -> str:
    """Name a role in the reader's language."""
    return str(ROLES.get(role, role))


def event_label(event: str) -> str:
    """Describe an access-log event in the reader's language."""
    return str(EVENTS.get(event, _("did something else (%(event)s)", event=event)))


def decision_label(decision: str) -> str:
    """Name a consent decision."""
    return str(DECISIONS.get(decision, decision))


def provider_label(name: str) -> str:
    """Label the sign-in button of an identity provider."""
    return str(PROVIDERS.get(name, _("Sign in")))


def invitation_role_label(invitation) -> str:
    """Name the role an invitation is for, with custody for parents."""
    label = role_label(invitation.role)
    return f"{label} · {_('with parental authority')}" if invitation.has_custody else label


TEMPLATE_GLOBALS = {"role_label": role_label, "event_label": event_label, "decision_label": decision_label,
                    "provider_label": provider_label, "invitation_role_label": invitation_role_label}
