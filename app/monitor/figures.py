"""The monitor's figures per month for a set of municipalities, from GROUP BY queries (counts only, no people).

Every figure is an aggregate with its base count `n`; below MIN_COUNT (the ratings' minimum, 5) its value is not
shown (docs/decisions.md, "Monitor"). Months run from local midnight on the 1st (Europe/Amsterdam). The product
category filter applies to the figures about help (assignments, verdicts, answers, waiting times), not to plans,
complaints or the sync.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from app.catalog.models import Assignment, Offer, ProviderContract
from app.catalog.vocab import DROPOUT_REASONS
from app.complaints.deadlines import add_working_days, is_working_day
from app.complaints.models import Complaint, ComplaintPart
from app.core.clock import AMSTERDAM, add_months, utcnow
from app.identity.models import Family
from app.outbox.models import OutboxEvent
from app.plans.models import Plan
from app.ratings.vocab import MIN_TRAJECTORIES
from app.results.models import FamilyVerdict, OutcomeAnswer
from app.results.vocab import INDEPENDENCE

MIN_COUNT = MIN_TRAJECTORIES  # the same minimum as the published ratings and outcome figures
DECISION_WORKING_DAYS = 5  # iJw OP274: JW301 or JW319 within 5 working days after the request (DOMAIN.md §1.2)
DECIDED = ("assigned", "refused", "examining")
VERDICTS = ("achieved", "partly", "not_achieved")
WITHOUT_HELP = ("03", "04")  # CBS 3.1: "yes for now" and "yes, no more help needed"


@dataclass(frozen=True)
class Cell:
    """One figure and the number of cases it is based on; `value` is None when suppressed or without data."""

    value: float | None
    n: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.n < MIN_COUNT


def count_cell(n: int) -> Cell:
    """A count: shown from MIN_COUNT, and as 0 when there is nothing."""
    return Cell(None if 0 < n < MIN_COUNT else float(n), n)


def share_cell(part: int, n: int) -> Cell:
    """A share (0-1) of `n` cases."""
    return Cell(part / n if n >= MIN_COUNT else None, n)


def mean_cell(total: float, n: int) -> Cell:
    return Cell(total / n if n >= MIN_COUNT else None, n)


def median_cell(counts: Counter) -> Cell:
    """The median of values given as {value: how often} (the mean of the two middle values for an even count)."""
    n = sum(counts.values())
    if n < MIN_COUNT:
        return Cell(None, n)
    middles, seen, found = ((n - 1) // 2, n // 2), 0, []
    for value in sorted(counts):
        found += [value for position in middles if seen <= position < seen + counts[value]]
        seen += counts[value]
    return Cell(sum(found) / 2, n)


@dataclass
class Month:
    """The figures of one month."""

    start: date
    plans_active: Cell = Cell(0.0, 0)  # plans that exist at the month's end
    plans_fixed: Cell = Cell(0.0, 0)  # plans fixed (agreed) in the month
    decided_on_time: Cell = Cell(None, 0)  # share of decisions within 5 working days of the request
    lead_days: Cell = Cell(None, 0)  # median working days from request to decision
    achieved: Cell = Cell(None, 0)  # share of family verdicts at the end that say "achieved"
    verdicts: dict[str, Cell] = field(default_factory=dict)  # share per verdict
    usefulness: Cell = Cell(None, 0)  # average of "how useful was the help" (1-10)
    independence: dict[str, Cell] = field(default_factory=dict)  # share per answer to "can you go on without help"
    without_help: Cell = Cell(None, 0)  # share of those answers that say yes (CBS 03 and 04)
    dropout: Cell = Cell(None, 0)  # share of ended care that ended early and one-sidedly (uitval)
    complaints_on_time: Cell = Cell(None, 0)  # share of complaint parts judged within their term


@dataclass(frozen=True)
class CategoryWait:
    """Waiting per product category (JZ020) over the whole period."""

    category: str
    realised_days: Cell  # median calendar days from the request to the actual start of care
    stated_weeks: float | None  # average waiting time the contracted offers state now (public: no minimum)
    offers: int


@dataclass(frozen=True)
class SyncHealth:
    """The delivery of events to the municipality, now (for the whole connection)."""

    pending: int
    delivered: int
    dead: int
    retrying: int  # pending events that failed at least once
    oldest_pending: timedelta | None


@dataclass
class Figures:
    months: list[Month]
    waiting: list[CategoryWait]
    sync: SyncHealth


def month_starts(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def local_midnight(day: date) -> datetime:
    """Midnight at the start of `day` in the Netherlands, as an aware datetime (stored values are UTC)."""
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM)


def collect(session: Session, *, municipality_ids: list[int], months: list[date], category: str = "") -> Figures:
    """All the monitor's figures for these municipalities and months (optionally one product category)."""
    days = [*months, add_months(months[-1], 1)]
    q = _Query(session, municipality_ids, days, category)
    found = [Month(start) for start in months]
    q.plans(found)
    q.lead_times(found)
    q.verdicts(found)
    q.usefulness(found)
    q.independence(found)
    q.dropout(found)
    q.complaints(found)
    return Figures(found, q.waiting(), sync_health(session))


class _Query:
    """The GROUP BY queries, each bucketing rows into the months by a CASE over the month boundaries."""

    def __init__(self, session: Session, municipality_ids: list[int], days: list[date], category: str):
        self.session, self.municipalities, self.category = session, municipality_ids, category
        self.days, self.moments = days, [local_midnight(d) for d in days]
        self.postgres = session.get_bind().dialect.name == "postgresql"

    def _month(self, column, bounds):
        """The month's index (0 ...) of a date or timestamp column, for rows already within the period."""
        return sa.case(*((column < bound, index) for index, bound in enumerate(bounds[1:]))).label("month")

    def _in_period(self, column, bounds):
        return sa.and_(column >= bounds[0], column < bounds[-1])

    def _mine(self):
        return Family.municipality_id.in_(self.municipalities)

    def _category(self):
        return Assignment.product_category == self.category if self.category else sa.true()

    def _utc_date(self, column):
        """The UTC day of a timestamp (SQLite keeps '2026-03-02 10:00:00': its first ten characters)."""
        return sa.cast(sa.func.timezone("UTC", column), sa.Date) if self.postgres else sa.func.substr(column, 1, 10)

    def _days_between(self, day_column, timestamp_column):
        """Calendar days from a timestamp's UTC day to a date column, as a whole number."""
        if self.postgres:
            return day_column - self._utc_date(timestamp_column)
        return sa.cast(sa.func.julianday(day_column) - sa.func.julianday(self._utc_date(timestamp_column)),
                       sa.Integer)

    def _rows(self, inner, summed: bool = False) -> list:
        """Group the inner select's rows by its columns (all but `weight`): how many, and the sum of `weight`."""
        sub = inner.subquery()
        keys = [c for c in sub.c if c.name != "weight"]
        extra = [sa.func.sum(sub.c.weight).label("total")] if summed else []
        return list(self.session.execute(select(*keys, sa.func.count().label("n"), *extra).group_by(*keys)).all())

    def plans(self, months: list[Month]) -> None:
        created = Plan.created_at
        before = self.session.execute(select(sa.func.count()).select_from(Plan).join(Family).where(
            self._mine(), created < self.moments[0])).scalar_one()
        added = Counter({row.month: row.n for row in self._rows(
            select(self._month(created, self.moments)).join(Family).where(
                self._mine(), self._in_period(created, self.moments)))})
        fixed = {row.month: row.n for row in self._rows(
            select(self._month(Plan.fixed_at, self.moments)).join(Family).where(
                self._mine(), self._in_period(Plan.fixed_at, self.moments)))}
        running = before
        for index, month in enumerate(months):
            running += added[index]
            month.plans_active = count_cell(running)
            month.plans_fixed = count_cell(fixed.get(index, 0))

    def lead_times(self, months: list[Month]) -> None:
        decided = Assignment.decided_at
        rows = self._rows(select(self._month(decided, self.moments),
                                 self._utc_date(Assignment.confirmed_at).label("asked"),
                                 self._utc_date(decided).label("answered"))
                          .join(Family, Family.id == Assignment.family_id)
                          .where(self._mine(), self._category(), Assignment.status.in_(DECIDED),
                                 Assignment.confirmed_at.is_not(None), self._in_period(decided, self.moments)))
        pairs = [(row.month, _as_date(row.asked), _as_date(row.answered), row.n) for row in rows]
        calendar = WorkingDays(min((a for _m, a, _d, _n in pairs), default=self.days[0]), self.days[-1])
        per_month: dict[int, Counter] = {}
        on_time = Counter()
        for index, asked, answered, n in pairs:
            per_month.setdefault(index, Counter())[calendar.between(asked, answered)] += n
            on_time[index] += n if answered <= calendar.deadline(asked) else 0
        for index, month in enumerate(months):
            counts = per_month.get(index, Counter())
            month.decided_on_time = share_cell(on_time[index], sum(counts.values()))
            month.lead_days = median_cell(counts)

    def verdicts(self, months: list[Month]) -> None:
        rows = self._rows(select(self._month(FamilyVerdict.decided_at, self.moments), FamilyVerdict.verdict)
                          .join(Assignment, Assignment.id == FamilyVerdict.assignment_id)
                          .join(Family, Family.id == Assignment.family_id)
                          .where(self._mine(), self._category(), FamilyVerdict.current,
                                 FamilyVerdict.moment == "end",
                                 self._in_period(FamilyVerdict.decided_at, self.moments)))
        counts: dict[int, Counter] = {}
        for row in rows:
            counts.setdefault(row.month, Counter())[row.verdict] += row.n
        for index, month in enumerate(months):
            found = counts.get(index, Counter())
            total = sum(found.values())
            month.verdicts = {v: share_cell(found[v], total) for v in VERDICTS}
            month.achieved = month.verdicts["achieved"]

    def usefulness(self, months: list[Month]) -> None:
        inner = (select(self._month(OutcomeAnswer.created_at, self.moments), OutcomeAnswer.usefulness.label("weight"))
                 .join(Assignment, Assignment.id == OutcomeAnswer.assignment_id)
                 .join(Family, Family.id == Assignment.family_id)
                 .where(self._mine(), self._category(), self._in_period(OutcomeAnswer.created_at, self.moments)))
        rows = self._rows(inner, summed=True)
        found = {row.month: (row.total, row.n) for row in rows}
        for index, month in enumerate(months):
            total, n = found.get(index, (0, 0))
            month.usefulness = mean_cell(float(total or 0), n)

    def independence(self, months: list[Month]) -> None:
        rows = self._rows(select(self._month(OutcomeAnswer.created_at, self.moments), OutcomeAnswer.independence)
                          .join(Assignment, Assignment.id == OutcomeAnswer.assignment_id)
                          .join(Family, Family.id == Assignment.family_id)
                          .where(self._mine(), self._category(),
                                 self._in_period(OutcomeAnswer.created_at, self.moments)))
        counts: dict[int, Counter] = {}
        for row in rows:
            counts.setdefault(row.month, Counter())[row.independence] += row.n
        for index, month in enumerate(months):
            found = counts.get(index, Counter())
            total = sum(found.values())
            month.independence = {code: share_cell(found[code], total) for code in INDEPENDENCE}
            month.without_help = share_cell(sum(found[code] for code in WITHOUT_HELP), total)

    def dropout(self, months: list[Month]) -> None:
        stopped = Assignment.care_stopped_on
        dropped = sa.case((Assignment.stop_reason.in_(sorted(DROPOUT_REASONS)), 1), else_=0).label("weight")
        inner = (select(self._month(stopped, self.days), dropped).join(Family, Family.id == Assignment.family_id)
                 .where(self._mine(), self._category(), self._in_period(stopped, self.days)))
        rows = self._rows(inner, summed=True)
        found = {row.month: (row.total, row.n) for row in rows}
        for index, month in enumerate(months):
            part, n = found.get(index, (0, 0))
            month.dropout = share_cell(int(part or 0), n)

    def complaints(self, months: list[Month]) -> None:
        judged = ComplaintPart.judged_on
        in_term = sa.case((judged <= ComplaintPart.decide_by, 1), else_=0).label("weight")
        inner = (select(self._month(judged, self.days), in_term)
                 .join(Complaint, Complaint.id == ComplaintPart.complaint_id)
                 .join(Family, Family.id == Complaint.family_id)
                 .where(self._mine(), self._in_period(judged, self.days)))
        rows = self._rows(inner, summed=True)
        found = {row.month: (row.total, row.n) for row in rows}
        for index, month in enumerate(months):
            part, n = found.get(index, (0, 0))
            month.complaints_on_time = share_cell(int(part or 0), n)

    def waiting(self) -> list[CategoryWait]:
        started = Assignment.care_started_on
        rows = self._rows(select(Assignment.product_category.label("category"),
                                 self._days_between(started, Assignment.confirmed_at).label("days"))
                          .join(Family, Family.id == Assignment.family_id)
                          .where(self._mine(), self._category(), Assignment.confirmed_at.is_not(None),
                                 self._in_period(started, self.days)))
        realised: dict[str, Counter] = {}
        for row in rows:
            if row.days >= 0:  # care that began before the request (a continuation) has no waiting time
                realised.setdefault(row.category, Counter())[row.days] += row.n
        contracted = select(ProviderContract.provider_id).where(
            ProviderContract.municipality_id.in_(self.municipalities))
        offers = select(Offer.product_category, sa.func.count(), sa.func.avg(Offer.waiting_weeks)).where(
            Offer.provider_id.in_(contracted), Offer.product_category == self.category if self.category
            else sa.true()).group_by(Offer.product_category)
        stated = {category: (float(average), n) for category, n, average in self.session.execute(offers)}
        return [CategoryWait(c, median_cell(realised.get(c, Counter())), *stated.get(c, (None, 0)))
                for c in sorted(set(realised) | set(stated))]


class WorkingDays:
    """Working days between dates (Algemene termijnenwet: no weekends, no public holidays), counted once."""

    def __init__(self, first: date, last: date):
        self._rank: dict[date, int] = {}
        self._first, rank, day = first, 0, first
        while day <= last + timedelta(days=14):
            rank += is_working_day(day)
            self._rank[day] = rank
            day += timedelta(days=1)
        self._deadlines: dict[date, date] = {}

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`."""
        return max(0, self._rank.get(end, 0) - self._rank.get(start, 0))

    def deadline(self, asked: date) -> date:
        """The last day for an answer on time."""
        if asked not in self._deadlines:
            self._deadlines[asked] = add_working_days(asked, DECISION_WORKING_DAYS)
        return self._deadlines[asked]


def sync_health(session: Session) -> SyncHealth:
    """Events waiting, delivered and given up, and how long the oldest has waited."""
    counts = dict(session.execute(select(OutboxEvent.status, sa.func.count()).group_by(OutboxEvent.status)).all())
    oldest = session.execute(select(OutboxEvent.created_at).where(OutboxEvent.status == "pending")
                             .order_by(OutboxEvent.id).limit(1)).scalar()
    retrying = session.execute(select(sa.func.count()).where(OutboxEvent.status == "pending",
                                                             OutboxEvent.attempts > 0)).scalar_one()
    return SyncHealth(counts.get("pending", 0), counts.get("delivered", 0), counts.get("dead", 0), retrying,
                      utcnow() - oldest if oldest else None)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
