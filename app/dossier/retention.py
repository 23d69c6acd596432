"""Retention (Jeugdwet 7.3.8 lid 3): a family's dossier is kept 20 years from its last change, then destroyed; the
access log is kept 5 years and then pruned behind a signed checkpoint. Both periods are settings.

Each family is destroyed in a transaction of its own and each chain pruned in one of its own, so a run stopped
half-way leaves nothing half-done: the next run finishes the rest. What the municipality needs for its figures is kept
as anonymous counts (RetainedFigure) before the dossier goes.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlmodel import Session, select

from app.audit import services as audit
from app.audit.models import AccessLogEntry
from app.audit.services import AuditActor
from app.catalog.models import Assignment
from app.complaints.models import Complaint
from app.core.clock import utcnow
from app.dossier import destruction
from app.dossier.models import JobReport, RetainedFigure
from app.identity.models import ConsentRecord, Family, Municipality
from app.outbox.services import emit
from app.plans.models import Agreement, ItemKind, ItemVersion, Plan, PlanItem

SYSTEM = AuditActor(None, "system")


def years_before(moment: datetime, years: int) -> datetime:
    """The same moment `years` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def last_changes(session: Session) -> dict[str, datetime]:
    """Each family's last change: of its plan and items, agreements, consents, complaints and logged changes."""
    plan_of = select(Plan.family_id, Plan.id.label("plan_id")).subquery()
    moments = sa.union_all(
        select(Family.id.label("family_id"), Family.created_at.label("at")),
        select(Plan.family_id, Plan.updated_at),
        select(plan_of.c.family_id, sa.func.max(ItemVersion.changed_at))
        .join(plan_of, plan_of.c.plan_id == ItemVersion.plan_id).group_by(plan_of.c.family_id),
        select(plan_of.c.family_id, sa.func.max(Agreement.created_at))
        .join(plan_of, plan_of.c.plan_id == Agreement.plan_id).group_by(plan_of.c.family_id),
        select(ConsentRecord.family_id, sa.func.max(ConsentRecord.created_at)).group_by(ConsentRecord.family_id),
        select(Complaint.family_id, sa.func.max(Complaint.created_at)).group_by(Complaint.family_id),
        select(AccessLogEntry.family_id, sa.func.max(AccessLogEntry.created_at))
        .where(AccessLogEntry.action != "read", AccessLogEntry.family_id.is_not(None))
        .group_by(AccessLogEntry.family_id),
    ).subquery()
    rows = session.execute(select(moments.c.family_id, sa.func.max(moments.c.at)).group_by(moments.c.family_id))
    return {family_id: at for family_id, at in rows if family_id is not None and at is not None}


def due_families(session: Session, now: datetime) -> list[str]:
    """The families whose last change is older than the retention period, oldest first."""
    limit = years_before(now, current_app.config["DOSSIER_RETENTION_YEARS"])
    existing = set(session.exec(select(Family.id)).all())
    changes = last_changes(session)
    return sorted((family_id for family_id, at in changes.items() if at < limit and family_id in existing),
                  key=lambda family_id: changes[family_id])


def _keep_figures(session: Session, family: Family, plan: Plan | None) -> None:
    """Add the family's counts to the anonymous figures of its municipality and starting year."""
    year = (plan.created_at if plan else family.created_at).year
    counts = {"families": 1}
    if plan is not None:
        counts["goals"] = session.exec(select(sa.func.count()).select_from(PlanItem).where(
            PlanItem.plan_id == plan.id, PlanItem.kind == ItemKind.GOAL)).one()
        counts["assignments"] = session.exec(select(sa.func.count()).select_from(Assignment)
                                             .where(Assignment.plan_id == plan.id)).one()
    counts["complaints"] = session.exec(select(sa.func.count()).select_from(Complaint)
                                        .where(Complaint.family_id == family.id)).one()
    for name, count in counts.items():
        figure = session.get(RetainedFigure, (family.municipality_id, year, name)) or RetainedFigure(
            municipality_id=family.municipality_id, year=year, name=name, count=0)
        figure.count += count
        session.add(figure)


def expire_family(session: Session, family_id: str, now: datetime) -> int:
    """Destroy one family's dossier after its retention period, in the caller's transaction; return the rows."""
    family = session.get(Family, family_id)
    plan = session.exec(select(Plan).where(Plan.family_id == family_id)).first()
    _keep_figures(session, family, plan)
    municipality = session.get(Municipality, family.municipality_id)
    destroyed = destruction.destroy_family(session, family_id)
    audit.record(session, event="dossier.expire", action="delete", actor=SYSTEM, family_id=family_id,
                 object_type="family", object_id=family_id, detail=f"{destroyed.total} rows")
    if plan is not None:
        emit(session, event_type="dossier.destroyed", aggregate_type="plan", aggregate_id=plan.id, payload={
            "request_id": None, "plan_id": plan.id, "family_id": family_id, "municipality_code": municipality.cbs_code,
            "scope": "dossier", "asked_at": None, "destroyed_at": now.isoformat(), "rows": destroyed.total,
            "reason": "retention"})
    return destroyed.total


def expire(new_session: Callable[[], Session], *, now: datetime | None = None,
           progress: Callable[[Iterable], Iterable] = lambda steps: steps) -> JobReport:
    """Run the retention job: destroy the dossiers past their term, prune the access log, remove orphaned files.
    `new_session` opens a session per step; `progress` wraps the steps (a progress bar on the command line)."""
    now = now or utcnow()
    with new_session() as session:
        report = JobReport(job="expire", started_at=utcnow())
        families = due_families(session, now)
        log_before = years_before(now, current_app.config["ACCESS_LOG_RETENTION_YEARS"])
        chains = audit.chains_with_entries_before(session, log_before)
        report.families_due = len(families)
        session.add(report)
        session.commit()
        report_id = report.id
    steps = [("family", family_id) for family_id in families] + [("chain", chain) for chain in chains]
    destroyed = pruned = 0
    done_families = 0
    for kind, key in progress(steps):
        with new_session() as session:
            if kind == "family":
                if session.get(Family, key) is None:
                    continue  # destroyed by a run that overlapped this one
                destroyed += expire_family(session, key, now)
                done_families += 1
            else:
                pruned += audit.prune(session, chain=key, before=log_before)
            session.commit()
    with new_session() as session:
        files = destruction.orphan_files(session)
        for path in files:
            path.unlink(missing_ok=True)
        report = session.get(JobReport, report_id)
        report.families_destroyed, report.rows_destroyed = done_families, destroyed
        report.log_entries_pruned, report.files_removed = pruned, len(files)
        report.finished_at = utcnow()
        audit.record(session, event="dossier.retention", action="delete", actor=SYSTEM, object_type="job",
                     object_id=str(report_id), detail=f"{done_families} dossiers, {pruned} log entries")
        session.commit()
        return report
