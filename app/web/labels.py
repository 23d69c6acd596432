"""Words for stored codes (roles, events, decisions), translated when shown, never when stored."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.web.forms import field_input

ROLES = {
    "youth": _l("young person"),
    "parent": _l("parent"),
    "network": _l("network"),
    "professional": _l("youth care professional"),
    "provider_staff": _l("care provider"),
    "municipality_staff": _l("municipality"),
    "editor": _l("editorial team"),
    "functional_manager": _l("functional manager"),
    "org_admin": _l("staff manager of the organisation"),
    "auditor": _l("auditor of the access log"),
    "reporter": _l("someone who reported a rating"),
    "none": _l("not signed in"),
}
ORGANISATION_KINDS = {"municipality": _l("A team of the municipality"), "provider": _l("A care provider")}
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
    "plan.view": _l("viewed the plan"),
    "plan.export": _l("printed or downloaded the plan"),
    "plan.ask_agreement": _l("asked everyone to agree to the plan"),
    "plan.fixed": _l("the plan was fixed"),
    "item.create": _l("added something to the plan"),
    "item.update": _l("changed something in the plan"),
    "item.delete": _l("removed something from the plan"),
    "item.restore": _l("brought back an old version"),
    "item.view": _l("viewed a part of the plan"),
    "item.history": _l("viewed the history of a part of the plan"),
    "item.withhold": _l("kept a part of the plan from the parents"),
    "item.unwithhold": _l("shared a part of the plan with the parents again"),
    "item.share": _l("shared a part of the plan with the parents"),
    "item.unshare": _l("stopped sharing a part of the plan with the parents"),
    "item.release": _l("shared a part of the plan with a parent without authority"),
    "item.unrelease": _l("stopped sharing a part with a parent without authority"),
    "agreement.agree": _l("agreed"),
    "agreement.disagree": _l("did not agree"),
    "ratings.view": _l("looked at the help to rate"),
    "rating.view": _l("viewed a rating"),
    "rating.create": _l("gave a rating"),
    "rating.update": _l("changed a rating"),
    "rating.check_view": _l("read a rating to check it"),
    "rating.publish": _l("published a rating"),
    "rating.reject": _l("did not publish a rating"),
    "rating.report": _l("reported a rating"),
    "rating.reply": _l("replied to a rating"),
    "caseload.view": _l("saw the family in the work list of the care provider"),
    "assignment.handler": _l("chose who at the care provider handles a goal"),
}
DECISIONS = {"given": _l("yes, agreed"), "refused": _l("no, did not agree"), "withdrawn": _l("consent withdrawn")}
PROVIDERS = {"citizens": _l("Sign in with DigiD"), "staff": _l("Sign in as a professional")}


def role_label(role: str) -> str:
    """Name a role in the reader's language."""
    return str(ROLES.get(role, role))


def organisation_kind_label(kind: str) -> str:
    """Name a kind of organisation in the reader's language."""
    return str(ORGANISATION_KINDS.get(kind, kind))


def event_label(event: str) -> str:
    """Describe an access-log event in the reader's language."""
    return str(EVENTS.get(event, _("did something else (%(event)s)", event=event)))


def decision_label(decision: str) -> str:
    """Name a consent decision."""
    return str(DECISIONS.get(decision, decision))


def provider_label(name: str) -> str:
    """Label the sign-in button of an identity provider."""
    return str(PROVIDERS.get(name, _("Sign in")))


FAMILY_WORDS = ("gezin", "gesin", "family", "familie")  # a name typed as "Gezin Smit" already says it


def family_surname(name: str) -> str:
    """The family's name without a leading "Gezin"/"Gesin"/"Family", which the page's own words add."""
    first, _space, rest = (name or "").strip().partition(" ")
    return rest.strip() if first.casefold() in FAMILY_WORDS and rest.strip() else (name or "").strip()


def family_title(name: str) -> str:
    """The family as a heading: "Gezin Smit", never "Gezin Gezin Smit"."""
    return _("Family %(name)s", name=family_surname(name))


def invitation_role_label(invitation) -> str:
    """Name the role an invitation is for, with custody for parents."""
    label = role_label(invitation.role)
    return f"{label} · {_('with parental authority')}" if invitation.has_custody else label


TEMPLATE_GLOBALS = {"role_label": role_label, "event_label": event_label, "decision_label": decision_label,
                    "provider_label": provider_label, "invitation_role_label": invitation_role_label,
                    "family_title": family_title, "family_surname": family_surname, "field_input": field_input,
                    "organisation_kind_label": organisation_kind_label}
