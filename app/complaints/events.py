"""The outbox event of a filed complaint the municipality handles itself: numbers and dates, no names or text."""

from sqlmodel import Session

from app.complaints.models import Complaint, ComplaintPart
from app.identity.models import Family, Municipality
from app.outbox import services as outbox

MUNICIPALITY_SUBJECTS = ("municipality", "professional", "app")  # Awb title 9.1; the rest is the provider's


def emit_filed(session: Session, complaint: Complaint, parts: list[ComplaintPart]) -> None:
    """Tell the municipality a complaint for it was filed (`complaint.filed`); nothing when it is only a provider's."""
    own = [part for part in parts if part.subject in MUNICIPALITY_SUBJECTS]
    if not own:
        return
    code = session.get(Municipality, session.get(Family, complaint.family_id).municipality_id).cbs_code
    payload = {"complaint_id": complaint.id, "number": complaint.number, "municipality_code": code,
               "filed_at": complaint.created_at.isoformat(),
               "parts": [{"part_id": part.id, "subject": part.subject, "regime": part.regime,
                          "received_on": part.received_on.isoformat(), "decide_by": part.decide_by.isoformat()}
                         for part in own]}
    outbox.emit(session, event_type="complaint.filed", aggregate_type="complaint", aggregate_id=complaint.id,
                payload=payload)
