"""Words of "Mijn gegevens": what each message to the municipality about the plan says, and where it is; what a
request to destroy is about."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.plans.labels import section_label

SENT = {
    "plan.fixed": _l("The plan was agreed and fixed"),
    "assignment.requested": _l("Help was asked for a goal"),
    "care.started": _l("The help started"),
    "care.stopped": _l("The help stopped"),
    "result.achieved": _l("The result of a goal was reached"),
    "result.not_achieved": _l("The result of a goal was not reached"),
    "dossier.destroyed": _l("Data was destroyed on request"),
}
DELIVERED = _l("received by the municipality")
WAITING = _l("waiting to be sent")


def sent_label(event_type: str) -> str:
    return str(SENT.get(event_type, event_type))


def sent_status(status: str) -> str:
    return str(DELIVERED if status == "delivered" else WAITING)


def part_words(request) -> str:
    """What a request to destroy is about, without its content: one part of a section, or the whole dossier."""
    if request.scope == "dossier":
        return _("the whole dossier")
    return _("one part of “%(section)s”", section=section_label(request.item_kind or ""))
