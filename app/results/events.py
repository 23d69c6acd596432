"""The outbox payloads of care and results: references and codes for the municipality, no names, no free text."""

from sqlmodel import Session

from app.catalog.models import Assignment, Offer, Provider
from app.core.clock import utcnow
from app.identity.models import Family, Municipality
from app.outbox import services as outbox
from app.results.models import FamilyVerdict, ResultVerdict


def _base(session: Session, assignment: Assignment) -> tuple[dict, Municipality]:
    offer = session.get(Offer, assignment.offer_id)
    provider = session.get(Provider, offer.provider_id)
    municipality = session.get(Municipality, session.get(Family, assignment.family_id).municipality_id)
    return {
        "reference": assignment.reference, "assignment_number": assignment.assignment_number,
        "plan_id": assignment.plan_id, "family_id": assignment.family_id, "goal_id": assignment.goal_id,
        "municipality_code": municipality.cbs_code,
        "provider": {"agb_code": provider.agb_code, "external_id": provider.external_id},
        "product": {"category": assignment.product_category, "code": assignment.product_code or None},
    }, municipality


def emit_care_started(session: Session, assignment: Assignment) -> None:
    """Tell the municipality the care started (the first 50%)."""
    payload, _ = _base(session, assignment)
    payload |= {"started_on": assignment.care_started_on.isoformat(), "recorded_at": utcnow().isoformat()}
    outbox.emit(session, event_type="care.started", aggregate_type="plan", aggregate_id=assignment.plan_id,
                payload=payload)


def emit_care_stopped(session: Session, assignment: Assignment) -> None:
    """Tell the municipality the care stopped, why (JZ588) and whether that is uitval."""
    payload, _ = _base(session, assignment)
    payload |= {"started_on": assignment.care_started_on.isoformat(),
                "stopped_on": assignment.care_stopped_on.isoformat(), "stop_reason": assignment.stop_reason,
                "dropped_out": assignment.dropped_out, "recorded_at": utcnow().isoformat()}
    outbox.emit(session, event_type="care.stopped", aggregate_type="plan", aggregate_id=assignment.plan_id,
                payload=payload)


def emit_result(session: Session, *, assignment: Assignment, family: FamilyVerdict, verdicts: list[ResultVerdict],
                counting: frozenset[str], corrects: str | None = None) -> None:
    """Tell the municipality the family's verdict at the end: achieved (second 50%) or not, verdicts attached."""
    payload, municipality = _base(session, assignment)
    releases = family.verdict == "achieved" or (family.verdict == "partly" and municipality.partial_result_releases)
    payload |= {
        "family_verdict": family.verdict, "decided_at": family.decided_at.isoformat(),
        "stopped_on": assignment.care_stopped_on.isoformat() if assignment.care_stopped_on else None,
        "partial_result_releases": municipality.partial_result_releases, "releases_second_payment": releases,
        "corrects": corrects,
        "verdicts": [{"person_reference": v.person_id, "capacity": v.capacity, "verdict": v.verdict,
                      "counts": v.person_id in counting and not v.child_voice, "child_voice": v.child_voice,
                      "given_at": v.created_at.isoformat()} for v in verdicts],
    }
    event_type = "result.achieved" if family.verdict == "achieved" else "result.not_achieved"
    outbox.emit(session, event_type=event_type, aggregate_type="plan", aggregate_id=assignment.plan_id,
                payload=payload)
