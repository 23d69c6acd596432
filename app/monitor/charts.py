"""Server-drawn bar charts (SVG coordinates) and the data table behind each, in the reader's language."""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from app.catalog.vocab import CATEGORIES
from app.monitor.figures import MIN_COUNT, Cell, Figures, Month
from app.results.vocab import INDEPENDENCE
from app.web.dates import month, short_month

WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 14, 30
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # under the bar (a month, a category code)
    label_x: float
    show_label: bool
    drawn: bool  # False: too little data or none (the table says which)


@dataclass
class Chart:
    """One chart: its bars and axis, and the table with the same figures."""

    key: str
    title: str
    description: str
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    headers: list[str]
    rows: list[list[str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: float = TOP + PLOT_H
    notes: list[str] = field(default_factory=list)


def percent(value: float) -> str:
    return format_percent(value, "#,##0%")


def days(value: float) -> str:
    return format_decimal(value, "#,##0.#")


def score(value: float) -> str:
    return format_decimal(value, "0.0")


def whole(value: float) -> str:
    return format_decimal(value, "#,##0")


def cell_text(cell: Cell, show: Callable[[float], str]) -> str:
    """The figure in words: its value, 'too little data' under the minimum, or a dash when there is nothing."""
    if cell.suppressed:
        return _("Too little data")
    if cell.value is None:
        return "–"
    return show(cell.value)


def base_text(cell: Cell) -> str:
    """What the figure is based on: a number, or 'fewer than 5' (the exact small number is not shown)."""
    return _("fewer than %(min)d", min=MIN_COUNT) if cell.suppressed else whole(cell.n)


def nice_maximum(values: list[float]) -> float:
    """A round top for the axis: 1, 2 or 5 times a power of ten, at least the largest value."""
    top = max([v for v in values if v is not None] + [1.0])
    power = 10 ** math.floor(math.log10(top))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= top)


def bars(points: list[tuple[str, float | None]], maximum: float) -> list[Bar]:
    slot = PLOT_W / max(len(points), 1)
    width, every = slot * 0.64, math.ceil(len(points) / 12)
    found = []
    for index, (label, value) in enumerate(points):
        height = 0.0 if value is None else PLOT_H * min(value, maximum) / maximum
        x = LEFT + index * slot + (slot - width) / 2
        found.append(Bar(round(x, 1), round(TOP + PLOT_H - height, 1), round(width, 1), round(height, 1), label,
                         round(x + width / 2, 1), index % every == 0, value is not None))
    return found


def axis(maximum: float, show: Callable[[float], str]) -> list[tuple[float, str]]:
    return [(round(TOP + PLOT_H * (1 - part), 1), show(maximum * part)) for part in (0, 0.5, 1)]


def month_chart(key: str, title: str, months: list[Month], figure: str, show: Callable[[float], str],
                columns: list[tuple[str, Callable[[Month], Cell], Callable[[float], str]]],
                maximum: float | None = None, based_on: bool = True) -> Chart:
    """A bar per month of one figure, with a table of that figure and its companions."""
    values = [getattr(m, figure).value for m in months]
    top = maximum or nice_maximum(values)
    first, last = months[0].start, months[-1].start
    description = _("Bars per month from %(first)s to %(last)s. A month without a bar has too little data or "
                    "none. The table below has every number.", first=month(first),
                    last=month(last))
    rows = [[month(m.start), *(cell_text(get(m), fmt) for _h, get, fmt in columns),
             *([base_text(columns[0][1](m))] if based_on else [])] for m in months]
    headers = [_("Month"), *(h for h, _g, _f in columns), *([_("Based on")] if based_on else [])]
    points = [(short_month(m.start), v) for m, v in zip(months, values, strict=True)]
    return Chart(key, title, description, bars(points, top), axis(top, show), headers, rows)


def all_charts(figures: Figures) -> list[Chart]:
    """The monitor's charts, in the order of the page."""
    months = figures.months
    charts = [
        month_chart("plans", _("Plans at the end of each month"), months, "plans_active", whole, [
            (_("Plans"), lambda m: m.plans_active, whole), (_("Fixed this month"), lambda m: m.plans_fixed, whole)],
            based_on=False),
        month_chart("decisions", _("Assignment decisions within 5 working days"), months, "decided_on_time",
                    percent, [(_("Within 5 working days"), lambda m: m.decided_on_time, percent),
                              (_("Median working days"), lambda m: m.lead_days, days)], maximum=1.0),
        month_chart("verdicts", _("Goals achieved, by the family's verdict"), months, "achieved", percent, [
            (_("Achieved"), lambda m: m.verdicts["achieved"], percent),
            (_("Partly achieved"), lambda m: m.verdicts["partly"], percent),
            (_("Not achieved"), lambda m: m.verdicts["not_achieved"], percent)], maximum=1.0),
        month_chart("usefulness", _("How useful the help was (1 to 10)"), months, "usefulness", score, [
            (_("Average score"), lambda m: m.usefulness, score)], maximum=10.0),
        month_chart("independence", _("Families who can go on without help"), months, "without_help", percent, [
            (_("Yes (now or for now)"), lambda m: m.without_help, percent),
            *((str(label), lambda m, code=code: m.independence[code], percent)
              for code, label in INDEPENDENCE.items())], maximum=1.0),
        month_chart("dropout", _("Help that ended early (drop-out)"), months, "dropout", percent, [
            (_("Share of ended help"), lambda m: m.dropout, percent)], maximum=1.0),
        month_chart("complaints", _("Complaints judged within the term"), months, "complaints_on_time", percent, [
            (_("Within the term"), lambda m: m.complaints_on_time, percent)], maximum=1.0),
    ]
    charts.append(waiting_chart(figures))
    return charts


def waiting_chart(figures: Figures) -> Chart:
    """Median days from request to start of care per product category, with the offers' stated waiting time."""
    waits = figures.waiting
    values = [w.realised_days.value for w in waits]
    top = nice_maximum(values)
    rows = [[f"{w.category} {CATEGORIES.get(w.category, '')}".strip(), cell_text(w.realised_days, days),
             base_text(w.realised_days), "–" if w.stated_weeks is None else score(w.stated_weeks), whole(w.offers)]
            for w in waits]
    description = _("A bar per type of help (JZ020 code): the median number of days from the request to the start "
                    "of the help, in the chosen months. The table also has the waiting time the offers state now.")
    return Chart("waiting", _("Waiting time per type of help"), description,
                 bars([(w.category, v) for w, v in zip(waits, values, strict=True)], top), axis(top, days),
                 [_("Type of help"), _("Median days until the help started"), _("Based on"),
                  _("Waiting time stated by the offers (weeks)"), _("Offers")], rows)



@dataclass
class Summary:
    """The last month's figures in a few lines, and whether the minimum hid any of them."""

    month: str
    lines: list[tuple[str, str]]
    hidden: bool


def latest(figures: Figures) -> Summary:
    """The newest month of the period at a glance."""
    m = figures.months[-1]
    cells = [(_("Plans"), m.plans_active, whole), (_("Fixed this month"), m.plans_fixed, whole),
             (_("Within 5 working days"), m.decided_on_time, percent), (_("Achieved"), m.achieved, percent),
             (_("Average score"), m.usefulness, score), (_("Can go on without help"), m.without_help, percent),
             (_("Help that ended early (drop-out)"), m.dropout, percent),
             (_("Complaints judged within the term"), m.complaints_on_time, percent)]
    return Summary(month(m.start), [(label, cell_text(cell, show)) for label, cell, show in cells],
                   any(cell.suppressed for _label, cell, _show in cells))
