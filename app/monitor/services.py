"""Who may see the monitor, what it shows, the CSV rows, and the access log entry of every view."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from app.audit.services import AuditActor, record
from app.core.errors import NotAllowed, NotFound
from app.identity.models import Municipality, Organisation, Person, StaffMembership
from app.monitor.figures import MIN_COUNT, Cell, Figures, collect, month_starts


@dataclass(frozen=True)
class Filters:
    """What to show: months (first days), a municipality's CBS code ('' for all of one's own) and a JZ020 code."""

    first: date
    last: date
    municipality: str = ""
    category: str = ""


@dataclass
class Monitor:
    """The figures with what they are about."""

    municipalities: list[Municipality]  # the ones the figures cover
    filters: Filters
    figures: Figures


def staff_municipalities(session: Session, person: Person | None) -> list[Municipality]:
    """The municipalities whose monitor this person may see: those they are municipality staff of."""
    if person is None:
        return []
    return list(session.exec(select(Municipality).join(Organisation, Organisation.municipality_id == Municipality.id)
                             .join(StaffMembership, StaffMembership.organisation_id == Organisation.id)
                             .where(StaffMembership.person_id == person.id,
                                    StaffMembership.role == "municipality_staff")
                             .distinct().order_by(Municipality.name)).all())


def monitor(session: Session, *, person: Person, filters: Filters, export: bool = False) -> Monitor:
    """The figures for one of the person's municipalities or all of them together; the view is logged."""
    mine = staff_municipalities(session, person)
    if not mine:
        raise NotAllowed("monitor")
    chosen = [m for m in mine if m.cbs_code == filters.municipality] if filters.municipality else mine
    if not chosen:
        raise NotFound(filters.municipality)  # another municipality's monitor: as if it did not exist
    figures = collect(session, municipality_ids=[m.id for m in chosen],
                      months=month_starts(filters.first, filters.last), category=filters.category)
    codes = ",".join(m.cbs_code for m in chosen)
    record(session, event="monitor.export" if export else "monitor.view", action="read",
           actor=AuditActor(person.id, "municipality_staff"), object_type="monitor", object_id=codes,
           detail=f"{filters.first:%Y-%m}..{filters.last:%Y-%m} category={filters.category or 'all'}")
    return Monitor(chosen, filters, figures)


CSV_HEADER = ("month", "municipalities", "figure", "product_category", "value", "n", "note")
MONTHLY = ("plans_active", "plans_fixed", "decided_on_time", "lead_days", "achieved", "usefulness", "without_help",
           "dropout", "complaints_on_time")


def csv_rows(found: Monitor) -> list[tuple]:
    """The same figures as the page, one row per figure and month; a suppressed cell has no value and no count."""
    codes = "+".join(m.cbs_code for m in found.municipalities)
    rows: list[tuple] = [CSV_HEADER]
    for month in found.figures.months:
        label = f"{month.start:%Y-%m}"
        cells = [(name, getattr(month, name)) for name in MONTHLY]
        cells += [(f"verdict_{verdict}", cell) for verdict, cell in month.verdicts.items()]
        cells += [(f"independence_{code}", cell) for code, cell in month.independence.items()]
        rows += [(label, codes, name, found.filters.category, *_csv_cell(cell)) for name, cell in cells]
    period = f"{found.filters.first:%Y-%m}/{found.filters.last:%Y-%m}"
    for wait in found.figures.waiting:
        rows.append((period, codes, "waiting_realised_days_median", wait.category, *_csv_cell(wait.realised_days)))
        stated = "" if wait.stated_weeks is None else round(wait.stated_weeks, 3)
        rows.append((period, codes, "waiting_stated_weeks_average", wait.category, stated, wait.offers, ""))
    sync = found.figures.sync
    oldest = round(sync.oldest_pending.total_seconds() / 3600, 1) if sync.oldest_pending else ""
    rows += [("now", "all", name, "", value, "", "") for name, value in (
        ("sync_pending", sync.pending), ("sync_delivered", sync.delivered), ("sync_dead", sync.dead),
        ("sync_retrying", sync.retrying), ("sync_oldest_pending_hours", oldest))]
    return rows


def _csv_cell(cell: Cell) -> tuple:
    if cell.suppressed:
        return "", "", f"fewer_than_{MIN_COUNT}"
    if cell.value is None:
        return "", cell.n, "no_data"
    return (int(cell.value) if cell.value.is_integer() else round(cell.value, 3)), cell.n, ""
