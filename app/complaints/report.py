"""The monthly complaint figures for each municipality, sent through the outbox: counts only, no personal data.

Per month: complaints received per subject and regime, parts judged and how many within their term, outcomes,
reopened parts, satisfaction answers, and parts open past their deadline at the month's end.
"""

from datetime import date, timedelta

from sqlmodel import Session, select

from app.complaints.models import Complaint, ComplaintEvent, ComplaintPart
from app.complaints.vocab import OUTCOMES, SUBJECTS
from app.core.clock import add_months, utcnow
from app.identity.models import Family, Municipality
from app.outbox import services as outbox
from app.outbox.models import OutboxEvent

REGIME_CODES = ("jeugdwet", "wkkgz", "awb")


def previous_month(today: date) -> date:
    """The first day of the month before `today`'s."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def figures(parts: list[ComplaintPart], events: list[ComplaintEvent], *, month: date) -> dict:
    """The month's counts for one municipality's parts (pure: easy to check by hand)."""
    end = add_months(month, 1)

    def within(day: date | None) -> bool:
        return day is not None and month <= day < end

    received = [p for p in parts if within(p.received_on)]
    judged = [p for p in parts if within(p.judged_on)]
    on_time = sum(1 for p in judged if p.judged_on <= p.decide_by)
    kinds = {(e.part_id, e.kind) for e in events if within(e.created_at.date())}
    return {
        "received": {s: sum(1 for p in received if p.subject == s) for s in SUBJECTS},
        "regimes": {r: sum(1 for p in received if p.regime == r) for r in REGIME_CODES},
        "judged": len(judged), "judged_on_time": on_time,
        "on_time_share": round(on_time / len(judged), 3) if judged else None,
        "outcomes": {o: sum(1 for p in judged if p.outcome == o) for o in OUTCOMES},
        "closed": sum(1 for p in parts if within(p.closed_on)),
        "reopened": sum(1 for _pid, kind in kinds if kind == "reopened"),
        "satisfied": {"yes": sum(1 for _pid, kind in kinds if kind == "satisfied"),
                      "no": sum(1 for _pid, kind in kinds if kind == "not_satisfied")},
        "open_overdue_at_month_end": sum(1 for p in parts if p.received_on < end and p.decide_by < end
                                         and not (p.judged_on and p.judged_on < end)),
    }


def emit_month(session: Session, *, month: date) -> int:
    """Write one `complaints.monthly` event per municipality with complaints and not yet reported for this month;
    return how many were written (running it again for the same month writes none)."""
    rows = session.exec(select(ComplaintPart, Municipality.cbs_code).join(Complaint)
                        .join(Family, Family.id == Complaint.family_id)
                        .join(Municipality, Municipality.id == Family.municipality_id)).all()
    by_code: dict[str, list[ComplaintPart]] = {}
    for part, code in rows:
        by_code.setdefault(code, []).append(part)
    reported = _reported(session, month)
    by_code = {code: parts for code, parts in by_code.items() if code not in reported}
    for code, parts in sorted(by_code.items()):
        events = session.exec(select(ComplaintEvent).where(ComplaintEvent.part_id.in_([p.id for p in parts]))).all()
        payload = {"municipality_code": code, "month": month.strftime("%Y-%m"), "generated_at": utcnow().isoformat(),
                   **figures(parts, list(events), month=month)}
        outbox.emit(session, event_type="complaints.monthly", aggregate_type="complaints",
                    aggregate_id=f"complaints:{code}", payload=payload)
    return len(by_code)


def _reported(session: Session, month: date) -> set[str]:
    """The municipalities whose figures for this month are in the outbox already."""
    label = month.strftime("%Y-%m")
    payloads = session.exec(select(OutboxEvent.payload).where(OutboxEvent.event_type == "complaints.monthly")).all()
    return {payload.get("municipality_code") for payload in payloads if payload.get("month") == label}
