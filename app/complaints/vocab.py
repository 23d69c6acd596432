"""Words for the stored codes of complaints (subjects, statuses, outcomes, regimes), translated when shown."""

from flask_babel import lazy_gettext as _l

SUBJECTS = {
    "provider": _l("A care provider"),
    "professional": _l("Your youth care professional"),
    "municipality": _l("The municipality"),
    "app": _l("The Ons Plan app"),
}
STATUSES = {
    "received": _l("Received"),
    "in_progress": _l("Being handled"),
    "meeting_planned": _l("Conversation planned"),
    "judgement": _l("Judgement given"),
    "closed": _l("Closed"),
    "reopened": _l("Reopened"),
    "forwarded": _l("Passed on"),
}
EVENT_KINDS = {
    **STATUSES,
    "assigned": _l("A handler was chosen"),
    "extended": _l("The deadline was extended"),
    "committee": _l("An advisory committee looks at it"),
    "satisfied": _l("You said you are satisfied"),
    "not_satisfied": _l("You said you are not satisfied"),
    "reaction": _l("The provider said what it will change"),
}
OUTCOMES = {
    "founded": _l("The complaint is justified"),
    "partly_founded": _l("The complaint is partly justified"),
    "unfounded": _l("The complaint is not justified"),
}
REGIMES = {
    "jeugdwet": _l("Youth Act: the provider's complaints committee"),
    "wkkgz": _l("Complaints law for health care (Wkkgz): first someone at the provider who helps with complaints, "
                "then an independent committee"),
    "awb": _l("General Administrative Law Act: the municipality"),
}
CHILD_REGIMES = {  # the same, for children under 12: who looks at it, without the names of laws
    "jeugdwet": _l("People from the care provider look at it together. Not the person you complain about."),
    "wkkgz": _l("Someone from the care provider looks at it. Not the person you complain about."),
    "awb": _l("Someone from the municipality looks at it. Not the person you complain about."),
}
AUDIT_EVENTS = {
    "complaint.create": _l("filed the complaint"),
    "complaint.view": _l("read the complaint"),
    "complaint.queue": _l("saw the complaint in the list of complaints"),
    "complaint.message": _l("sent a message"),
    "complaint.attach": _l("added a file"),
    "complaint.attachment_view": _l("opened a file"),
    "complaint.satisfaction": _l("answered whether they are satisfied"),
    "complaint.reopen": _l("reopened the complaint"),
    "complaint.assign": _l("chose who handles the complaint"),
    "complaint.status": _l("changed the status"),
    "complaint.extend": _l("extended the deadline"),
    "complaint.judge": _l("recorded the judgement"),
    "complaint.close": _l("closed the complaint"),
    "complaint.forward": _l("passed the complaint on to the municipality"),
    "complaint.react": _l("recorded what the provider will change"),
}
CLOSED = ("closed",)
DONE_DECIDING = ("judgement", "closed")
ACKNOWLEDGE_PENDING = ("received", "reopened", "forwarded")  # nobody has started on it (again) yet


def label(words: dict, code: str) -> str:
    """The word for a code in the reader's language (the code itself when unknown)."""
    return str(words.get(code, code))
