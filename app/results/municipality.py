"""The municipality's choice what a family verdict of "deels behaald" means for the second 50% (default: no release)."""

from sqlmodel import Session, select

from app.audit.services import AuditActor, record
from app.core.errors import NotFound
from app.identity.models import Municipality


def set_partial_release(session: Session, *, cbs_code: str, releases: bool) -> Municipality:
    """Whether "deels behaald" releases the second 50% in this municipality from now on; logged in the system chain."""
    municipality = session.exec(select(Municipality).where(Municipality.cbs_code == cbs_code.strip())).first()
    if municipality is None:
        raise NotFound(cbs_code)
    before = municipality.partial_result_releases
    municipality.partial_result_releases = releases
    session.add(municipality)
    session.flush()
    record(session, event="municipality.partial_release", action="update", actor=AuditActor(None, "operator"),
           object_type="municipality", object_id=municipality.cbs_code,
           detail=f"{'on' if before else 'off'}->{'on' if releases else 'off'}")
    return municipality
