"""Words of "Mijn gegevens": what each message to the municipality about the plan says, and where it is."""

from flask_babel import lazy_gettext as _l

SENT = {
    "plan.fixed": _l("The plan was agreed and fixed"),
    "assignment.requested": _l("Help was asked for a goal"),
    "care.started": _l("The help started"),
    "care.stopped": _l("The help stopped"),
    "result.achieved": _l("The result of a goal was reached"),
    "result.not_achieved": _l("The result of a goal was not reached"),
}
DELIVERED = _l("received by the municipality")
WAITING = _l("waiting to be sent")


def sent_label(event_type: str) -> str:
    return str(SENT.get(event_type, event_type))


def sent_status(status: str) -> str:
    return str(DELIVERED if status == "delivered" else WAITING)
